package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultAPIURL is the real Bot API.
const DefaultAPIURL = "https://api.telegram.org"

// Client calls Bot API methods with JSON bodies, and with
// multipart/form-data bodies the few that upload a file (Upload).
type Client struct {
	base  string // <api>/bot<token>/
	files string // <api>/file/bot<token>/
	http  *http.Client
	pool  sync.Pool // *bytes.Buffer
	// Timeout bounds a call whose context has no deadline of its own.
	Timeout time.Duration
}

// DefaultTimeout bounds one Bot API call: a hung call never holds a chat.
const DefaultTimeout = 30 * time.Second

// NewClient returns a client for the bot with token at apiURL.
func NewClient(apiURL, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Transport: NewTransport()}
	}
	api := strings.TrimRight(apiURL, "/")
	return &Client{base: api + "/bot" + token + "/", files: api + "/file/bot" + token + "/", http: hc,
		Timeout: DefaultTimeout}
}

// APIError is an answer of the Bot API with ok=false.
type APIError struct {
	Method      string
	Code        int
	Description string
	RetryAfter  int // seconds, on 429
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

type apiResponse struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Call sends params as JSON to method and decodes the result into out (which
// may be nil). Transport failures are returned as they are; API refusals as
// *APIError.
func (c *Client) Call(ctx context.Context, method string, params, out any) error {
	if _, ok := ctx.Deadline(); !ok && c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	buf, _ := c.pool.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	defer c.pool.Put(buf)
	if err := json.NewEncoder(buf).Encode(params); err != nil {
		return fmt.Errorf("encode %s: %w", method, err)
	}
	return c.post(ctx, method, "application/json", buf.Bytes(), out)
}

// post sends body to method and decodes the answer into out, for Call and
// Upload alike. ctx already carries the call's deadline.
func (c *Client) post(ctx context.Context, method, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return redactToken(err, c.base)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("read %s: %w", method, err)
	}
	return decodeAnswer(method, resp.StatusCode, answer, out)
}

// decodeAnswer reads a Bot API answer: its result into out, or its refusal
// as *APIError.
func decodeAnswer(method string, status int, body []byte, out any) error {
	if fastAnswer(body, out) {
		return nil
	}
	// One pass: the result is decoded straight into out (json decodes into
	// the pointer an interface holds), not kept raw and decoded again.
	r := apiResponse{Result: &discard{}}
	if out != nil {
		r.Result = out
	}
	if err := json.Unmarshal(body, &r); err != nil {
		// A field of an unexpected type (a malformed update) is left at its
		// zero value; the rest of the answer is still used.
		var ute *json.UnmarshalTypeError
		if !errors.As(err, &ute) || !r.OK {
			return &APIError{Method: method, Code: status, Description: "unreadable answer"}
		}
	}
	if !r.OK {
		e := &APIError{Method: method, Code: r.ErrorCode, Description: r.Description}
		if e.Code == 0 {
			e.Code = status
		}
		if r.Parameters != nil {
			e.RetryAfter = r.Parameters.RetryAfter
		}
		return e
	}
	return nil
}

// discard takes any result and keeps nothing.
type discard struct{}

func (discard) UnmarshalJSON([]byte) error { return nil }

// fastAnswer reads the two answers of every step without a JSON decoder:
// {"ok":true,"result":true} and {"ok":true,"result":{"message_id":N,...
// Anything else goes through the decoder.
func fastAnswer(body []byte, out any) bool {
	const okTrue = `{"ok":true,"result":true}`
	const sent = `{"ok":true,"result":{"message_id":`
	switch o := out.(type) {
	case nil:
		return string(body) == okTrue
	case *sentMessage:
		rest, ok := bytes.CutPrefix(body, []byte(sent))
		if !ok {
			return false
		}
		end := bytes.IndexAny(rest, ",}")
		if end <= 0 {
			return false
		}
		n, err := strconv.Atoi(string(rest[:end]))
		if err != nil {
			return false
		}
		o.MessageID = n
		return true
	}
	return false
}

// redactToken keeps the bot token out of errors (and so out of logs).
func redactToken(err error, base string) error {
	msg := strings.ReplaceAll(err.Error(), base, "<api>/bot<token>/")
	return fmt.Errorf("%s", msg)
}
