package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
)

// Files the bot fetches (the YAML documents admins upload).

// ErrFileTooBig refuses a file larger than the caller takes, or than
// Telegram lets a bot download (20 MB).
var ErrFileTooBig = errors.New("telegram: file too big")

// Download fetches the file fileID (a document's Update.FileID) and returns
// its bytes. A file over max bytes is refused with ErrFileTooBig: before
// any download when getFile tells its size (or Telegram says it is too
// big for a bot), else once more than max bytes came. Telegram's refusals
// are classified as Send's (a 400 is delivery.ErrRejected, a 429 a
// *delivery.RetryAfter, a 5xx or a network failure temporary). Neither the
// file id, its path nor the token is in an error. getFile and the download
// each have the client's Timeout when ctx has no deadline.
func (s *Sender) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	if max < 0 {
		max = 0
	}
	var f file
	if err := s.c.Call(ctx, "getFile", &getFile{FileID: fileID}, &f); err != nil {
		if badRequest(err, "file is too big") {
			return nil, fmt.Errorf("%w: %w", ErrFileTooBig, classify(err))
		}
		return nil, classify(err)
	}
	if f.FileSize > max {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrFileTooBig, f.FileSize, max)
	}
	if f.FilePath == "" {
		return nil, errors.New("telegram getFile: no file_path in the answer")
	}
	data, err := s.c.download(ctx, f.FilePath, max)
	if err != nil {
		return nil, classify(err)
	}
	return data, nil
}

// download GETs <api>/file/bot<token>/<path> and returns at most max bytes:
// more is ErrFileTooBig. A refusal is an *APIError of method "download".
func (c *Client) download(ctx context.Context, path string, max int64) ([]byte, error) {
	if _, ok := ctx.Deadline(); !ok && c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	url := c.files + path
	// The URL holds the token: errors keep only its shape, and the
	// context's error for what gave up.
	redact := func(err error) error {
		msg := strings.ReplaceAll(err.Error(), url, "<api>/file/bot<token>/<file_path>")
		msg = strings.ReplaceAll(msg, c.files, "<api>/file/bot<token>/")
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("%s: %w", msg, cerr)
		}
		return errors.New(msg)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, redact(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, redact(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if err := decodeAnswer("download", resp.StatusCode, body, nil); err != nil {
			return nil, err
		}
		return nil, &APIError{Method: "download", Code: resp.StatusCode, Description: http.StatusText(resp.StatusCode)}
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrFileTooBig, resp.ContentLength, max)
	}
	limit := max
	if limit < math.MaxInt64 {
		limit++ // one byte more tells a file over max
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, limit)); err != nil {
		return nil, fmt.Errorf("read download: %w", redact(err))
	}
	if int64(buf.Len()) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrFileTooBig, max)
	}
	return buf.Bytes(), nil
}
