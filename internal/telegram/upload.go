package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strings"
)

// File is a file uploaded with a call: the part Field of the form, named
// Name, of type ContentType.
type File struct {
	Field       string // the method's parameter: "photo", "document"
	Name        string
	ContentType string
	Data        []byte
}

// Upload sends params and f to method as multipart/form-data, one part per
// parameter as the Bot API reads them (strings as they are, numbers,
// booleans and objects as JSON text), and decodes the result into out like
// Call. params is a struct with json tags, as for Call; it must not have a
// field named like f.Field. Same deadline and errors as Call.
func (c *Client) Upload(ctx context.Context, method string, params any, f File, out any) error {
	if _, ok := ctx.Deadline(); !ok && c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	body, ctype, err := multipartBody(params, f)
	if err != nil {
		return fmt.Errorf("encode %s: %w", method, err)
	}
	return c.post(ctx, method, ctype, body, out)
}

// multipartBody encodes params and f, the parameters in the order of their
// names.
func multipartBody(params any, f File) ([]byte, string, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, "", err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, "", fmt.Errorf("parameters are not an object: %w", err)
	}
	if _, dup := fields[f.Field]; dup || f.Field == "" {
		return nil, "", fmt.Errorf("file field %q", f.Field)
	}
	var buf bytes.Buffer
	buf.Grow(len(f.Data) + len(raw) + 1024)
	w := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := fields[k]
		if string(v) == "null" {
			continue
		}
		if v[0] == '"' {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, "", err
			}
			v = []byte(s)
		}
		if err := w.WriteField(k, string(v)); err != nil {
			return nil, "", err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
		quoteEscaper.Replace(f.Field), quoteEscaper.Replace(f.Name)))
	ctype := f.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(f.Data); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// quoteEscaper escapes a quoted parameter of Content-Disposition as
// mime/multipart does, and drops line breaks, which would end the header.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")
