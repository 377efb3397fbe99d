package telegram

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/boussole/boussole/internal/delivery"
)

// Files the bot sends (the admins' weekly report: charts and a CSV).

// Limits of the Bot API on what a bot uploads.
const (
	MaxPhotoSize    = 10 << 20 // bytes
	MaxDocumentSize = 50 << 20 // bytes
	// MaxCaption is the longest caption, in UTF-16 code units as Telegram
	// counts; a longer one is cut (see cutCaption).
	MaxCaption = 1024
)

// SendPhoto uploads a picture (PNG, JPEG) to chat with a caption, protected
// like every message of the Sender, and returns the id of its message. A
// caption over MaxCaption is cut with "…"; a photo over MaxPhotoSize is
// refused here, without a call. Errors are classified as Send's.
func (s *Sender) SendPhoto(ctx context.Context, chat int64, img []byte, caption string) (int, error) {
	if len(img) > MaxPhotoSize {
		return 0, fmt.Errorf("%w: a photo of %d bytes (Telegram takes %d)", delivery.ErrRejected, len(img), MaxPhotoSize)
	}
	ctype, name := http.DetectContentType(img), "photo"
	if ext := photoExt[ctype]; ext != "" {
		name += ext
	} else {
		ctype = "application/octet-stream"
	}
	params := sendPhoto{ChatID: chat, Caption: cutCaption(caption), ProtectContent: s.protect}
	return s.upload(ctx, "sendPhoto", &params, File{Field: "photo", Name: name, ContentType: ctype, Data: img})
}

// photoExt names an uploaded photo after what its bytes are.
var photoExt = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

// SendDocument uploads data to chat as a file named name (its type taken
// from the extension: .csv is text/csv) with a caption, protected like
// every message of the Sender, and returns the id of its message. A
// caption over MaxCaption is cut with "…"; a file over MaxDocumentSize is
// refused here, without a call. Errors are classified as Send's.
func (s *Sender) SendDocument(ctx context.Context, chat int64, name string, data []byte, caption string) (int, error) {
	if len(data) > MaxDocumentSize {
		return 0, fmt.Errorf("%w: a file of %d bytes (Telegram takes %d)", delivery.ErrRejected, len(data), MaxDocumentSize)
	}
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "" || name == "." || name == "/" {
		name = "document"
	}
	params := sendDocument{ChatID: chat, Caption: cutCaption(caption), ProtectContent: s.protect}
	return s.upload(ctx, "sendDocument", &params, File{Field: "document", Name: name, ContentType: contentType(name), Data: data})
}

func (s *Sender) upload(ctx context.Context, method string, params any, f File) (int, error) {
	var msg sentMessage
	if err := s.c.Upload(ctx, method, params, f, &msg); err != nil {
		return 0, classify(err)
	}
	return msg.MessageID, nil
}

// knownTypes are the types of the files Boussole sends, whatever the
// system's MIME tables say.
var knownTypes = map[string]string{
	".csv": "text/csv", ".txt": "text/plain", ".pdf": "application/pdf", ".png": "image/png",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".json": "application/json", ".zip": "application/zip",
}

// contentType is the type of a file named name, from its extension.
func contentType(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if t := knownTypes[ext]; t != "" {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// cutCaption keeps a caption within MaxCaption UTF-16 code units, cutting
// it at a character and ending it with "…".
func cutCaption(s string) string {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	if n <= MaxCaption {
		return s
	}
	n = 0
	for i, r := range s {
		if n+utf16Len(r) > MaxCaption-1 { // room for "…", one unit
			return strings.TrimRight(s[:i], " \n") + "…"
		}
		n += utf16Len(r)
	}
	return s
}

func utf16Len(r rune) int {
	if l := utf16.RuneLen(r); l > 0 {
		return l
	}
	return 1 // an invalid rune is sent as U+FFFD
}
