package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxUploadSize is the largest file a bot may upload (sendDocument);
// maxBodySize bounds request bodies: such a file and the rest of its form.
const (
	maxUploadSize = 50 << 20
	maxBodySize   = maxUploadSize + 1<<20
)

// params holds the parameters of one call. Strings are stored as is; other
// JSON values (numbers, booleans, objects, arrays) as their JSON text, which
// is also how multipart and form-encoded clients send nested objects.
type params map[string]string

type request struct {
	ctx   context.Context
	p     params
	files files
}

// upload is a file of a multipart request.
type upload struct {
	name  string // the part's filename
	ctype string // the part's Content-Type
	data  []byte
}

// files are the files of a multipart request by part name.
type files map[string]*upload

func (p params) str(key string) string { return p[key] }

func (p params) has(key string) bool {
	_, ok := p[key]
	return ok
}

// int64 returns the integer value of key, or 0 when absent or malformed.
func (p params) int64(key string) int64 {
	v := strings.TrimSpace(p[key])
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil {
			return 0
		}
		return int64(f)
	}
	return n
}

func (p params) int(key string) int { return int(p.int64(key)) }

// bool reads a boolean the way Telegram does: "true" or a non-zero number.
func (p params) bool(key string) bool {
	v := strings.ToLower(strings.TrimSpace(p[key]))
	switch v {
	case "true":
		return true
	case "", "false", "0":
		return false
	}
	n, err := strconv.ParseFloat(v, 64)
	return err == nil && n != 0
}

// parseParams merges query parameters and the request body. The files of
// a multipart body are kept apart; their parameter says
// "attach://<filename>" (unless a field of the same name says otherwise).
func parseParams(r *http.Request) (params, files, *result) {
	p := params{}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			p[k] = vs[len(vs)-1]
		}
	}
	if r.Body == nil {
		return p, nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
	if err != nil {
		return nil, nil, badRequest("can't read request body")
	}
	if len(body) > maxBodySize {
		return nil, nil, tooLarge()
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil, nil
	}
	var fs files
	mediaType, mparams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/json":
		fields, res := jsonObjectParams(body)
		if res != nil {
			return nil, nil, res
		}
		for k, v := range fields {
			p[k] = v
		}
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), mparams["boundary"])
		form, err := mr.ReadForm(maxBodySize)
		if err != nil {
			return nil, nil, badRequest("can't parse multipart/form-data request")
		}
		defer func() { _ = form.RemoveAll() }()
		for k, vs := range form.Value {
			if len(vs) > 0 {
				p[k] = vs[len(vs)-1]
			}
		}
		for k, fhs := range form.File {
			if len(fhs) == 0 {
				continue
			}
			u, err := readUpload(fhs[0])
			if err != nil {
				return nil, nil, badRequest("can't parse multipart/form-data request")
			}
			if fs == nil {
				fs = files{}
			}
			fs[k] = u
			if !p.has(k) {
				p[k] = "attach://" + fhs[0].Filename
			}
		}
	case "application/x-www-form-urlencoded", "":
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, badRequest("can't parse application/x-www-form-urlencoded request")
		}
		for k, vs := range values {
			if len(vs) > 0 {
				p[k] = vs[len(vs)-1]
			}
		}
	default:
		return nil, nil, badRequest("unsupported Content-Type " + strconv.Quote(mediaType))
	}
	return p, fs, nil
}

// readUpload reads a file of a multipart form.
func readUpload(fh *multipart.FileHeader) (*upload, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return &upload{name: fh.Filename, ctype: fh.Header.Get("Content-Type"), data: data}, nil
}

// tooLarge is the answer of Telegram's front end to a body (or a file)
// over its limit.
func tooLarge() *result {
	return errResult(http.StatusRequestEntityTooLarge, "Request Entity Too Large")
}

// jsonObjectParams flattens a JSON object into params.
func jsonObjectParams(body []byte) (params, *result) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, badRequest("can't parse JSON object")
	}
	p := params{}
	for k, raw := range fields {
		raw = bytes.TrimSpace(raw)
		switch {
		case bytes.Equal(raw, []byte("null")):
			continue
		case len(raw) > 0 && raw[0] == '"':
			var str string
			if err := json.Unmarshal(raw, &str); err != nil {
				return nil, badRequest("can't parse JSON object")
			}
			p[k] = str
		default:
			p[k] = string(raw)
		}
	}
	return p, nil
}
