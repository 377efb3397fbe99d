package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/telegramtest"
)

// lastUpdate reads the fake's last update as the bot receives it.
func lastUpdate(t *testing.T, tg *telegramtest.Server) conversation.Update {
	t.Helper()
	var us []update
	c := NewClient(tg.URL(), tg.Token(), nil)
	if err := c.Call(context.Background(), "getUpdates", &getUpdates{AllowedUpdates: allowedUpdates}, &us); err != nil || len(us) == 0 {
		t.Fatal(us, err)
	}
	u, ok := convert(&us[len(us)-1])
	if !ok {
		t.Fatalf("update %+v not handled", us[len(us)-1])
	}
	return u
}

// An admin's YAML document: its update says how to fetch it, and Download
// brings its bytes.
func TestDownloadADocument(t *testing.T) {
	s, tg := newTestSender(t)
	yaml := []byte("horaires:\n  lundi: 9h-17h\n")
	tg.SendDocumentData(7, "horaires.yaml", "application/yaml", yaml)
	u := lastUpdate(t, tg)
	if u.Media != "document" || !u.Private || u.FileID == "" || u.FileName != "horaires.yaml" ||
		u.FileSize != int64(len(yaml)) || u.FileMIME != "application/yaml" {
		t.Fatalf("update %+v", u)
	}
	data, err := s.Download(context.Background(), u.FileID, int64(len(yaml)))
	if err != nil || !bytes.Equal(data, yaml) {
		t.Fatalf("%q %v", data, err)
	}
	if tg.CallCount("getFile") != 1 || tg.CallCount(telegramtest.DownloadMethod) != 1 {
		t.Errorf("calls %+v", tg.Calls("*"))
	}
}

// A document sent without content downloads too (the fake's placeholder).
func TestDownloadAPlaceholder(t *testing.T) {
	s, tg := newTestSender(t)
	tg.SendDocument(7, "avis.pdf", "")
	u := lastUpdate(t, tg)
	data, err := s.Download(context.Background(), u.FileID, 1<<20)
	if err != nil || int64(len(data)) != u.FileSize || u.FileSize == 0 {
		t.Fatalf("%d bytes (%d announced): %v", len(data), u.FileSize, err)
	}
}

// A file over max is refused before its download when getFile tells its
// size, and over 20 MB by Telegram itself.
func TestDownloadRefusesBigFiles(t *testing.T) {
	s, tg := newTestSender(t)
	tg.SendDocumentData(7, "gros.yaml", "", bytes.Repeat([]byte("a"), 100))
	u := lastUpdate(t, tg)
	if _, err := s.Download(context.Background(), u.FileID, 99); !errors.Is(err, ErrFileTooBig) {
		t.Fatalf("got %v", err)
	}
	if n := tg.CallCount(telegramtest.DownloadMethod); n != 0 {
		t.Errorf("%d downloads", n)
	}
	if data, err := s.Download(context.Background(), u.FileID, 100); err != nil || len(data) != 100 {
		t.Errorf("at max: %d bytes, %v", len(data), err)
	}

	tg.SendDocumentData(7, "énorme.yaml", "", make([]byte, 20<<20+1))
	u = lastUpdate(t, tg)
	_, err := s.Download(context.Background(), u.FileID, 1<<30)
	if !errors.Is(err, ErrFileTooBig) || !errors.Is(err, delivery.ErrRejected) {
		t.Fatalf("got %v", err)
	}
	if n := tg.CallCount(telegramtest.DownloadMethod); n != 1 {
		t.Errorf("%d downloads", n)
	}
}

// When getFile does not tell the size (or tells it wrong), the download
// stops at a Content-Length over max, or one byte past max.
func TestDownloadStopsPastMax(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   int64
		length bool // a Content-Length
	}{
		{"size unknown, Content-Length", 0, true},
		{"size understated, Content-Length", 3, true},
		{"size unknown, no Content-Length", 0, false},
		{"size understated, no Content-Length", 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/getFile") {
					b, _ := json.Marshal(map[string]any{"ok": true, "result": models.File{FileID: "f", FileUniqueID: "u",
						FileSize: tc.size, FilePath: "documents/file_1.yaml"}})
					_, _ = w.Write(b)
					return
				}
				if tc.length {
					w.Header().Set("Content-Length", "1048576")
				} else {
					w.(http.Flusher).Flush() // chunked
				}
				_, _ = w.Write(bytes.Repeat([]byte("x"), 1<<20))
			}))
			defer srv.Close()
			s := NewSender(NewClient(srv.URL, "1:test", nil), true)
			if _, err := s.Download(context.Background(), "f", 10); !errors.Is(err, ErrFileTooBig) {
				t.Fatalf("got %v", err)
			}
			if data, err := s.Download(context.Background(), "f", 1<<20); err != nil || len(data) != 1<<20 {
				t.Errorf("at max: %d bytes, %v", len(data), err)
			}
		})
	}
}

// Telegram's refusals are classified as Send's.
func TestDownloadClassifiesFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("unknown file id is rejected", func(t *testing.T) {
		s, _ := newTestSender(t)
		if _, err := s.Download(ctx, "nope", 1<<20); !errors.Is(err, delivery.ErrRejected) || errors.Is(err, ErrFileTooBig) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("429 on getFile says when to come back", func(t *testing.T) {
		s, tg := newTestSender(t)
		tg.SendDocumentData(7, "a.yaml", "", []byte("a: 1\n"))
		u := lastUpdate(t, tg)
		tg.Fail("getFile", 1, 429, 4)
		_, err := s.Download(ctx, u.FileID, 1<<20)
		var ra *delivery.RetryAfter
		if !errors.As(err, &ra) || ra.Wait != 4*time.Second {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("502 on the download is temporary", func(t *testing.T) {
		s, tg := newTestSender(t)
		tg.SendDocumentData(7, "a.yaml", "", []byte("a: 1\n"))
		u := lastUpdate(t, tg)
		tg.Fail(telegramtest.DownloadMethod, 1, 502, 0)
		_, err := s.Download(ctx, u.FileID, 1<<20)
		var ae *APIError
		if err == nil || errors.Is(err, delivery.ErrRejected) || !errors.As(err, &ae) || ae.Code != 502 {
			t.Fatalf("got %v", err)
		}
		if data, err := s.Download(ctx, u.FileID, 1<<20); err != nil || string(data) != "a: 1\n" {
			t.Fatalf("retry: %q %v", data, err)
		}
	})
	t.Run("a hung download ends at the deadline", func(t *testing.T) {
		s, tg := newTestSender(t)
		tg.SendDocumentData(7, "a.yaml", "", []byte("a: 1\n"))
		u := lastUpdate(t, tg)
		tg.Hang(telegramtest.DownloadMethod, 1, 5*time.Second)
		s.c.Timeout = 100 * time.Millisecond
		_, err := s.Download(ctx, u.FileID, 1<<20)
		if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), tg.Token()) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unknown path and wrong token are rejected", func(t *testing.T) {
		s, tg := newTestSender(t)
		_, err := s.c.download(ctx, "documents/file_9.yaml", 10)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != 404 || ae.Description != "Not Found" || !errors.Is(classify(err), delivery.ErrRejected) {
			t.Fatalf("unknown path: %v", err)
		}
		tg.SendDocumentData(7, "a.yaml", "", []byte("a: 1\n"))
		u := lastUpdate(t, tg)
		if _, err := s.Download(ctx, u.FileID, 10); err != nil {
			t.Fatal(err)
		}
		path := tg.Calls(telegramtest.DownloadMethod)[1].Params["file_path"]
		wrong := NewClient(tg.URL(), "123456:wrong", nil)
		if _, err := wrong.download(ctx, path, 10); !errors.As(err, &ae) || ae.Code != 401 {
			t.Fatalf("wrong token: %v", err)
		}
	})
}

// The token, the file id and its path stay out of errors (and so of logs).
func TestDownloadErrorsNameNoSecret(t *testing.T) {
	const token = "42:SECRET-token"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getFile") {
			_, _ = w.Write([]byte(`{"ok":true,"result":{"file_id":"FID","file_unique_id":"u","file_path":"documents/SECRET-path.yaml"}}`))
			return
		}
		panic(http.ErrAbortHandler) // the connection drops mid-download
	}))
	defer srv.Close()
	s := NewSender(NewClient(srv.URL, token, nil), true)
	_, err := s.Download(context.Background(), "FID", 10)
	if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "FID") {
		t.Fatalf("got %v", err)
	}
}
