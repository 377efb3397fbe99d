package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// upload is a multipart request parsed back.
type upload struct {
	fields   map[string]string
	field    string // the file's part
	filename string
	ctype    string
	data     []byte
}

// parseUpload reads a multipart/form-data request with exactly one file.
func parseUpload(t *testing.T, ctype string, body []byte) upload {
	t.Helper()
	mt, mp, err := mime.ParseMediaType(ctype)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q, want multipart/form-data", ctype)
	}
	u := upload{fields: map[string]string{}}
	r := multipart.NewReader(bytes.NewReader(body), mp["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		name := p.FormName()
		if _, dup := u.fields[name]; dup || (name == u.field && name != "") {
			t.Errorf("part %q twice", name)
		}
		if p.FileName() == "" {
			u.fields[name] = string(data)
			continue
		}
		if u.field != "" {
			t.Errorf("two files: %q and %q", u.field, name)
		}
		u.field, u.filename, u.ctype, u.data = name, p.FileName(), p.Header.Get("Content-Type"), data
	}
	if u.field == "" {
		t.Fatal("no file in the request")
	}
	return u
}

// strictForm checks an upload against the library's parameters lib (a
// pointer to bot.SendPhotoParams, ...): every part is one of its fields,
// the file in a field of type models.InputFile, and the other parts decode
// into it as the library encodes them (strings as they are, anything else
// as JSON text), with no unknown field.
func strictForm(t *testing.T, method string, u upload, lib any) {
	t.Helper()
	ty := reflect.TypeOf(lib).Elem()
	kinds := map[string]reflect.Type{}
	for i := range ty.NumField() {
		name, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
		kinds[name] = ty.Field(i).Type
	}
	if kinds[u.field] != reflect.TypeFor[models.InputFile]() {
		t.Errorf("%s: the file is in %q, not a file parameter", method, u.field)
	}
	obj := map[string]json.RawMessage{}
	for k, v := range u.fields {
		kt, ok := kinds[k]
		switch {
		case !ok:
			t.Errorf("%s: unknown parameter %q", method, k)
			continue
		case kt.Kind() == reflect.String:
			obj[k], _ = json.Marshal(v)
		default:
			obj[k] = json.RawMessage(v)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatalf("%s: parts that are not JSON: %v", method, err)
	}
	strict(t, method, b, lib)
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x*3/4, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUploadsMatchTheLibrary(t *testing.T) {
	photo := &models.Message{ID: 45, Date: 1, Chat: models.Chat{ID: 5, Type: models.ChatTypePrivate},
		Photo: []models.PhotoSize{{FileID: "p", FileUniqueID: "u", Width: 40, Height: 30}}, Caption: "Semaine 12"}
	doc := &models.Message{ID: 46, Date: 1, Chat: models.Chat{ID: -100, Type: models.ChatTypeSupergroup},
		Document: &models.Document{FileID: "d", FileUniqueID: "v", FileName: "rapport.csv", MimeType: "text/csv"}}
	rec, s := newRecorder(t, map[string][]string{
		"sendPhoto":    {ok(t, photo)},
		"sendDocument": {ok(t, doc)},
	})
	ctx := context.Background()
	img := testPNG(t)

	t.Run("sendPhoto", func(t *testing.T) {
		id, err := s.SendPhoto(ctx, 5, img, "Semaine 12 — 40 tickets")
		if err != nil || id != 45 {
			t.Fatal(id, err)
		}
		u := parseUpload(t, rec.contentType(t, "sendPhoto", 0), rec.body(t, "sendPhoto", 0))
		var p bot.SendPhotoParams
		strictForm(t, "sendPhoto", u, &p)
		if p.ChatID != float64(5) || p.Caption != "Semaine 12 — 40 tickets" || !p.ProtectContent || p.ParseMode != "" {
			t.Errorf("sent %+v", p)
		}
		if u.field != "photo" || u.filename != "photo.png" || u.ctype != "image/png" || !bytes.Equal(u.data, img) {
			t.Errorf("file %q %q %q, %d bytes", u.field, u.filename, u.ctype, len(u.data))
		}
	})
	t.Run("sendDocument", func(t *testing.T) {
		csv := []byte("semaine;tickets\n12;40\n")
		id, err := s.SendDocument(ctx, -100, "rapport.csv", csv, "")
		if err != nil || id != 46 {
			t.Fatal(id, err)
		}
		u := parseUpload(t, rec.contentType(t, "sendDocument", 0), rec.body(t, "sendDocument", 0))
		var p bot.SendDocumentParams
		strictForm(t, "sendDocument", u, &p)
		if p.ChatID != float64(-100) || p.Caption != "" || !p.ProtectContent {
			t.Errorf("sent %+v", p)
		}
		if _, sent := u.fields["caption"]; sent {
			t.Error("an empty caption was sent")
		}
		if u.field != "document" || u.filename != "rapport.csv" || u.ctype != "text/csv" || !bytes.Equal(u.data, csv) {
			t.Errorf("file %q %q %q, %d bytes", u.field, u.filename, u.ctype, len(u.data))
		}
	})
	t.Run("a long caption is cut", func(t *testing.T) {
		long := strings.Repeat("é", 1000) + strings.Repeat("📈", 20) // 1040 UTF-16 units
		if _, err := s.SendDocument(ctx, 5, `..\rapports/semaine "12".csv`, []byte("x"), long); err != nil {
			t.Fatal(err)
		}
		u := parseUpload(t, rec.contentType(t, "sendDocument", 1), rec.body(t, "sendDocument", 1))
		var p bot.SendDocumentParams
		strictForm(t, "sendDocument", u, &p)
		if n := len(utf16.Encode([]rune(p.Caption))); n != MaxCaption-1 || !strings.HasSuffix(p.Caption, "📈…") ||
			!strings.HasPrefix(long, strings.TrimSuffix(p.Caption, "…")) {
			t.Errorf("caption of %d units: …%q", n, p.Caption[len(p.Caption)-20:])
		}
		if u.filename != `semaine "12".csv` {
			t.Errorf("file name %q", u.filename)
		}
	})
}
