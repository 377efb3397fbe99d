package telegram

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/telegramtest"
)

func TestSendPhotoAndDocumentReachTheChat(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	img := testPNG(t)
	id, err := s.SendPhoto(ctx, 5, img, "Tickets de la semaine")
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	m, _ := tg.LastBotMessage(5)
	if m.ID != id || m.Kind != telegramtest.KindPhoto || m.Caption != "Tickets de la semaine" || !m.Protected ||
		m.FileName != "photo.png" {
		t.Errorf("sent %v", m)
	}
	if _, data, ok := tg.File(5, id); !ok || !bytes.Equal(data, img) {
		t.Errorf("photo of %d bytes", len(data))
	}

	csv := []byte("semaine;tickets\n12;40\n")
	id, err = s.SendDocument(ctx, 5, "rapport-semaine-12.csv", csv, strings.Repeat("x", 2000))
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	m, _ = tg.LastBotMessage(5)
	if m.ID != id || m.Kind != telegramtest.KindDocument || m.FileName != "rapport-semaine-12.csv" || !m.Protected ||
		telegramtest.UTF16Len(m.Caption) != MaxCaption || !strings.HasSuffix(m.Caption, "x…") {
		t.Errorf("sent %v", m)
	}
	if !strings.Contains(string(m.Media), `"mime_type":"text/csv"`) {
		t.Errorf("document %s", m.Media)
	}
	if name, data, ok := tg.File(5, id); !ok || name != "rapport-semaine-12.csv" || !bytes.Equal(data, csv) {
		t.Errorf("file %q %q", name, data)
	}
}

// Uploads are classified like every call, one call per attempt.
func TestUploadsClassifyFailures(t *testing.T) {
	img := testPNG(t)
	for _, tc := range []struct {
		name   string
		method string
		fault  func(*telegramtest.Server)
		data   []byte
		check  func(error) bool
	}{
		{"429 says when to come back", "sendPhoto", func(tg *telegramtest.Server) { tg.Fail("sendPhoto", 1, 429, 7) }, img,
			func(err error) bool {
				var ra *delivery.RetryAfter
				return errors.As(err, &ra) && ra.Wait == 7*time.Second
			}},
		{"403 is blocked", "sendDocument", func(tg *telegramtest.Server) { tg.Block(5) }, []byte("a;b"),
			func(err error) bool { return errors.Is(err, delivery.ErrBlocked) }},
		{"400 is rejected", "sendPhoto", func(*telegramtest.Server) {}, []byte("not a picture"),
			func(err error) bool {
				return errors.Is(err, delivery.ErrRejected) && strings.Contains(err.Error(), "IMAGE_PROCESS_FAILED")
			}},
		{"413 is rejected", "sendDocument", func(tg *telegramtest.Server) {
			tg.FailWith("sendDocument", 1, 413, "Request Entity Too Large", 0)
		}, []byte("a;b"), func(err error) bool { return errors.Is(err, delivery.ErrRejected) }},
		{"500 is temporary", "sendDocument", func(tg *telegramtest.Server) {
			tg.FailWith("sendDocument", 1, 500, "Internal Server Error", 0)
		}, []byte("a;b"), func(err error) bool {
			var ra *delivery.RetryAfter
			return err != nil && !errors.As(err, &ra) && !errors.Is(err, delivery.ErrBlocked) &&
				!errors.Is(err, delivery.ErrRejected)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, tg := newTestSender(t)
			tc.fault(tg)
			var err error
			if tc.method == "sendPhoto" {
				_, err = s.SendPhoto(context.Background(), 5, tc.data, "")
			} else {
				_, err = s.SendDocument(context.Background(), 5, "r.csv", tc.data, "")
			}
			if !tc.check(err) {
				t.Errorf("got %v", err)
			}
			if n := tg.CallCount(tc.method); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
			if len(tg.BotMessages(5)) != 0 {
				t.Error("a failed upload left a message")
			}
		})
	}
}

// A file Telegram would refuse for its size is refused without a call.
func TestUploadsOverTheLimitAreNotSent(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	if _, err := s.SendPhoto(ctx, 5, make([]byte, MaxPhotoSize+1), ""); !errors.Is(err, delivery.ErrRejected) {
		t.Errorf("photo: %v", err)
	}
	if _, err := s.SendDocument(ctx, 5, "r.bin", make([]byte, MaxDocumentSize+1), ""); !errors.Is(err, delivery.ErrRejected) {
		t.Errorf("document: %v", err)
	}
	if n := tg.CallCount(""); n != 0 {
		t.Errorf("%d calls", n)
	}
}

// A hung upload ends at the client's deadline.
func TestUploadHasADeadline(t *testing.T) {
	s, tg := newTestSender(t)
	s.c.Timeout = 200 * time.Millisecond
	tg.Hang("sendDocument", 1, 10*time.Second)
	start := time.Now()
	if _, err := s.SendDocument(context.Background(), 5, "r.csv", []byte("a;b"), ""); err == nil {
		t.Fatal("a hung upload succeeded")
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the upload was not cut at its deadline")
	}
}

func TestCutCaption(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int // UTF-16 units
		cut  bool
	}{
		{"", 0, false},
		{strings.Repeat("a", MaxCaption), MaxCaption, false},
		{strings.Repeat("a", MaxCaption+1), MaxCaption, true},
		{strings.Repeat("😀", 600), MaxCaption - 1, true}, // 1022 units of emoji, then "…"
		{strings.Repeat("a", 1020) + "      b", MaxCaption - 3, true},
	} {
		got := cutCaption(tc.in)
		if n := telegramtest.UTF16Len(got); n != tc.want || strings.HasSuffix(got, "…") != tc.cut {
			t.Errorf("%d units, cut %v: %q…", n, strings.HasSuffix(got, "…"), got[max(0, len(got)-10):])
		}
	}
}
