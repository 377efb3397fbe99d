package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// part is a file of a multipart call.
type part struct {
	field, name, ctype string
	data               []byte
}

// callMultipart calls method with fields and files as multipart/form-data.
func callMultipart(t *testing.T, s *Server, method string, fields map[string]string, files ...part) (int, envelope) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f.field+`"; filename="`+f.name+`"`)
		if f.ctype != "" {
			h.Set("Content-Type", f.ctype)
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = pw.Write(f.data)
	}
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/bot"+s.Token()+"/"+method, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("%s: %d, not JSON: %v", method, resp.StatusCode, err)
	}
	return resp.StatusCode, env
}

// go-telegram/bot uploads a photo and a document; the answers decode into
// its models, the chat shows them and File has their bytes.
func TestUploadsWithTheLibrary(t *testing.T) {
	s := newServer(t)
	s.AddChat(5)
	b := newBot(t, s)
	ctx := context.Background()
	img := pngOf(t, 1600, 900)

	m, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: 5, Caption: "Semaine 12", ProtectContent: true,
		Photo: &models.InputFileUpload{Filename: "tickets.png", Data: bytes.NewReader(img)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Photo) != 5 || m.Caption != "Semaine 12" || !m.HasProtectedContent || m.From == nil || !m.From.IsBot {
		t.Fatalf("answer %+v", m)
	}
	big := m.Photo[len(m.Photo)-1]
	if big.Width != 1600 || big.Height != 900 || big.FileSize != len(img) || m.Photo[0].Width != 90 || m.Photo[0].Height != 50 {
		t.Errorf("sizes %+v", m.Photo)
	}
	v, _ := s.LastBotMessage(5)
	if v.ID != m.ID || v.Kind != KindPhoto || v.Caption != "Semaine 12" || v.FileName != "tickets.png" || !v.Protected {
		t.Errorf("view %v", v)
	}
	if name, data, ok := s.File(5, m.ID); !ok || name != "tickets.png" || !bytes.Equal(data, img) {
		t.Errorf("file %q %d bytes %v", name, len(data), ok)
	}

	csv := []byte("semaine;tickets\n12;40\n")
	d, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 5, Caption: "Détail",
		Document: &models.InputFileUpload{Filename: "rapport.csv", Data: bytes.NewReader(csv)}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Document == nil || d.Document.FileName != "rapport.csv" || d.Document.MimeType != "text/csv" ||
		d.Document.FileSize != int64(len(csv)) || d.Document.FileID == "" || d.Caption != "Détail" || d.HasProtectedContent {
		t.Fatalf("answer %+v %+v", d, d.Document)
	}
	v, _ = s.LastBotMessage(5)
	if v.Kind != KindDocument || v.FileName != "rapport.csv" || v.Caption != "Détail" || v.Protected ||
		!strings.Contains(v.String(), `file="rapport.csv"`) {
		t.Errorf("view %v", v)
	}
	if name, data, ok := s.File(5, d.ID); !ok || name != "rapport.csv" || !bytes.Equal(data, csv) {
		t.Errorf("file %q %q %v", name, data, ok)
	}

	// Sent again by file_id: the same file, a new message.
	again, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 5,
		Document: &models.InputFileString{Data: d.Document.FileID}})
	if err != nil || again.ID == d.ID || again.Document.FileID != d.Document.FileID {
		t.Fatal(again, err)
	}
	if _, data, ok := s.File(5, again.ID); !ok || !bytes.Equal(data, csv) {
		t.Error("the file sent again has no bytes")
	}
	p2, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: 5, Photo: &models.InputFileString{Data: m.Photo[1].FileID}})
	if err != nil || len(p2.Photo) != 5 || p2.Photo[4].FileID != big.FileID {
		t.Fatal(p2, err)
	}
	if s.CallCount("sendPhoto") != 2 || s.Calls("sendPhoto")[0].Params["photo"] != "attach://tickets.png" {
		t.Errorf("calls %+v", s.Calls("sendPhoto"))
	}
}

// A user's photo or document can be sent by its file_id (the fake has no
// bytes of it); a file_id of the wrong kind or unknown is refused.
func TestSendByFileID(t *testing.T) {
	s := newServer(t)
	_, photo := s.SendPhoto(7, "")
	_, doc := s.SendDocument(7, "avis.pdf", "")
	var photoID, docID string
	for _, m := range s.Chat(7) {
		switch m.ID {
		case photo:
			var sizes []struct {
				FileID string `json:"file_id"`
			}
			_ = json.Unmarshal(m.Media, &sizes)
			photoID = sizes[0].FileID
		case doc:
			var d struct {
				FileID string `json:"file_id"`
			}
			_ = json.Unmarshal(m.Media, &d)
			docID = d.FileID
		}
	}
	env := callJSON(t, s, "sendDocument", map[string]any{"chat_id": 7, "document": docID, "caption": "copie"})
	if !env.OK {
		t.Fatalf("%+v", env)
	}
	v, _ := s.LastBotMessage(7)
	if v.Kind != KindDocument || v.FileName != "avis.pdf" || v.Caption != "copie" {
		t.Errorf("view %v", v)
	}
	if _, _, ok := s.File(7, v.ID); ok {
		t.Error("File has bytes of a user's file")
	}
	if env := callJSON(t, s, "sendPhoto", map[string]any{"chat_id": 7, "photo": photoID}); !env.OK {
		t.Fatalf("%+v", env)
	}
	wantError(t, callJSON(t, s, "sendDocument", map[string]any{"chat_id": 7, "document": photoID}),
		400, "Bad Request: type of file mismatch")
	wantError(t, callJSON(t, s, "sendPhoto", map[string]any{"chat_id": 7, "photo": "nope"}),
		400, "Bad Request: wrong file identifier/HTTP URL specified")
	wantError(t, callJSON(t, s, "sendPhoto", map[string]any{"chat_id": 7, "photo": "https://example.org/x.png"}),
		400, "Bad Request: failed to get HTTP URL content")
}

func TestUploadErrors(t *testing.T) {
	s := newServer(t)
	s.AddChat(5)
	img := pngOf(t, 40, 30)
	photo := func(data []byte) part { return part{field: "photo", name: "p.png", ctype: "image/png", data: data} }
	for _, tc := range []struct {
		name   string
		method string
		fields map[string]string
		files  []part
		code   int
		desc   string
	}{
		{"no photo", "sendPhoto", map[string]string{"chat_id": "5", "caption": "x"}, nil,
			400, "Bad Request: there is no photo in the request"},
		{"photo in another part", "sendPhoto", map[string]string{"chat_id": "5"},
			[]part{{field: "document", name: "p.png", data: img}}, 400, "Bad Request: there is no photo in the request"},
		{"no document", "sendDocument", map[string]string{"chat_id": "5"}, nil,
			400, "Bad Request: there is no document in the request"},
		{"attach:// to nothing", "sendDocument", map[string]string{"chat_id": "5", "document": "attach://f"},
			[]part{{field: "g", name: "r.csv", data: []byte("x")}}, 400, "Bad Request: there is no document in the request"},
		{"no chat", "sendPhoto", map[string]string{}, []part{photo(img)}, 400, "Bad Request: chat_id is empty"},
		{"unknown chat", "sendPhoto", map[string]string{"chat_id": "6"}, []part{photo(img)}, 400, "Bad Request: chat not found"},
		{"empty file", "sendDocument", map[string]string{"chat_id": "5"},
			[]part{{field: "document", name: "r.csv", data: nil}}, 400, "Bad Request: file must be non-empty"},
		{"not an image", "sendPhoto", map[string]string{"chat_id": "5"}, []part{photo([]byte("semaine;tickets"))},
			400, "Bad Request: IMAGE_PROCESS_FAILED"},
		{"too thin", "sendPhoto", map[string]string{"chat_id": "5"}, []part{photo(pngOf(t, 2100, 100))},
			400, "Bad Request: PHOTO_INVALID_DIMENSIONS"},
		{"too big sides", "sendPhoto", map[string]string{"chat_id": "5"}, []part{photo(pngOf(t, 6000, 4001))},
			400, "Bad Request: PHOTO_INVALID_DIMENSIONS"},
		{"photo over 10 MB", "sendPhoto", map[string]string{"chat_id": "5"}, []part{photo(make([]byte, 10<<20+1))},
			413, "Request Entity Too Large"},
		{"document over 50 MB", "sendDocument", map[string]string{"chat_id": "5"},
			[]part{{field: "document", name: "r.bin", data: make([]byte, 50<<20+1)}}, 413, "Request Entity Too Large"},
		{"caption too long", "sendPhoto", map[string]string{"chat_id": "5", "caption": strings.Repeat("é", 1025)},
			[]part{photo(img)}, 400, "Bad Request: message caption is too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, env := callMultipart(t, s, tc.method, tc.fields, tc.files...)
			if code != tc.code {
				t.Errorf("HTTP %d", code)
			}
			wantError(t, env, tc.code, tc.desc)
		})
	}
	if n := len(s.Chat(5)); n != 0 {
		t.Errorf("failed uploads left %d messages", n)
	}
	// A 10 MB photo and a 50 MB file pass.
	code, env := callMultipart(t, s, "sendDocument", map[string]string{"chat_id": "5"},
		part{field: "document", name: "r.bin", data: make([]byte, 50<<20)})
	if code != 200 || !env.OK {
		t.Fatalf("50 MB: %d %+v", code, env)
	}
	var m struct {
		Document struct {
			FileSize int    `json:"file_size"`
			MimeType string `json:"mime_type"`
		} `json:"document"`
	}
	_ = json.Unmarshal(env.Result, &m)
	if m.Document.FileSize != 50<<20 || m.Document.MimeType != "application/octet-stream" {
		t.Errorf("document %+v", m.Document)
	}
}

// Uploads count as messages: blocked chats refuse them, flood limits apply,
// a refused upload changes nothing.
func TestUploadsAreMessages(t *testing.T) {
	s := newServer(t, WithRateLimitConfig(RateLimits{PerChat: 0.001, PerChatBurst: 2}))
	s.AddChat(5)
	s.AddChat(6)
	img := part{field: "photo", name: "p.png", data: pngOf(t, 40, 30)}
	doc := part{field: "document", name: "r.csv", data: []byte("x")}
	for _, f := range []part{img, doc} {
		if _, env := callMultipart(t, s, "send"+strings.ToUpper(f.field[:1])+f.field[1:],
			map[string]string{"chat_id": "5"}, f); !env.OK {
			t.Fatalf("%+v", env)
		}
	}
	code, env := callMultipart(t, s, "sendDocument", map[string]string{"chat_id": "5"}, doc)
	if code != 429 || env.Parameters == nil || env.Parameters.RetryAfter < 1 ||
		!strings.HasPrefix(env.Description, "Too Many Requests: retry after ") {
		t.Errorf("third upload: %d %+v", code, env)
	}
	if n := len(s.BotMessages(5)); n != 2 {
		t.Errorf("%d messages", n)
	}
	s.Block(6)
	_, env = callMultipart(t, s, "sendPhoto", map[string]string{"chat_id": "6"}, img)
	wantError(t, env, 403, "Forbidden: bot was blocked by the user")
	if len(s.BotMessages(6)) != 0 {
		t.Error("a blocked chat got the photo")
	}
}

// The file may be named by attach:// in its parameter; reply, keyboard and
// caption entities are kept like sendMessage's.
func TestUploadByAttachWithMarkup(t *testing.T) {
	s := newServer(t)
	s.AddChat(5)
	_, q := s.SendText(5, "le rapport ?")
	_, env := callMultipart(t, s, "sendDocument", map[string]string{
		"chat_id": "5", "document": "attach://report", "caption": "Semaine 12",
		"caption_entities": `[{"type":"bold","offset":0,"length":7}]`,
		"reply_parameters": `{"message_id":` + strconv.Itoa(q) + `}`,
		"reply_markup":     `{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}`,
	}, part{field: "report", name: "semaine-12.csv", ctype: "text/csv; charset=utf-8", data: []byte("a;b\n")})
	if !env.OK {
		t.Fatalf("%+v", env)
	}
	var m models.Message
	if err := json.Unmarshal(env.Result, &m); err != nil {
		t.Fatal(err)
	}
	if m.Document == nil || m.Document.FileName != "semaine-12.csv" || m.ReplyToMessage == nil || m.ReplyToMessage.ID != q ||
		len(m.CaptionEntities) != 1 || m.ReplyMarkup == nil {
		t.Fatalf("answer %+v", m)
	}
	v, _ := s.LastBotMessage(5)
	if v.ReplyTo != q || len(v.Buttons) != 1 || v.FileName != "semaine-12.csv" {
		t.Errorf("view %v", v)
	}
	if name, data, ok := s.File(5, v.ID); !ok || name != "semaine-12.csv" || string(data) != "a;b\n" {
		t.Errorf("file %q %q", name, data)
	}
	// A copy keeps the file.
	if env := callJSON(t, s, "copyMessage", map[string]any{"chat_id": 5, "from_chat_id": 5, "message_id": v.ID}); !env.OK {
		t.Fatalf("%+v", env)
	}
	c, _ := s.LastBotMessage(5)
	if _, data, ok := s.File(5, c.ID); !ok || string(data) != "a;b\n" || c.FileName != "semaine-12.csv" {
		t.Errorf("copy %v", c)
	}
}
