package telegramtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// strictInto decodes raw into v, refusing fields v does not have.
func strictInto(t *testing.T, raw []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
}

// get fetches url and returns its status and body.
func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// lastDocument returns the document of the last update, as sent.
func lastDocument(t *testing.T, s *Server) models.Document {
	t.Helper()
	env := callJSON(t, s, "getUpdates", map[string]any{})
	var us []struct {
		Message struct {
			Document json.RawMessage `json:"document"`
		} `json:"message"`
	}
	if err := json.Unmarshal(env.Result, &us); err != nil || len(us) == 0 {
		t.Fatalf("updates %s: %v", env.Result, err)
	}
	var d models.Document
	strictInto(t, us[len(us)-1].Message.Document, &d)
	return d
}

func TestSendDocumentDataIsFetched(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	ctx := ctxTimeout(t, 5e9)
	yaml := []byte("association:\n  nom: Boussole\n")
	s.SendDocumentData(7, "horaires.yaml", "", yaml, Lang("fr"))

	d := lastDocument(t, s)
	if d.FileID == "" || d.FileUniqueID == "" || d.FileName != "horaires.yaml" ||
		d.MimeType != "application/yaml" && d.MimeType != "application/x-yaml" && d.MimeType != "application/octet-stream" ||
		d.FileSize != int64(len(yaml)) {
		t.Fatalf("document %+v", d)
	}

	env := callJSON(t, s, "getFile", map[string]any{"file_id": d.FileID})
	var f models.File
	strictInto(t, env.Result, &f)
	if !env.OK || f.FileID != d.FileID || f.FileUniqueID != d.FileUniqueID || f.FileSize != d.FileSize ||
		!strings.HasPrefix(f.FilePath, "documents/") || !strings.HasSuffix(f.FilePath, ".yaml") {
		t.Fatalf("getFile %s", env.Result)
	}
	again, err := b.GetFile(ctx, &bot.GetFileParams{FileID: d.FileID})
	if err != nil || again.FilePath != f.FilePath {
		t.Fatalf("getFile again: %+v %v", again, err)
	}
	code, body := get(t, b.FileDownloadLink(again))
	if code != http.StatusOK || !bytes.Equal(body, yaml) {
		t.Fatalf("download: %d %q", code, body)
	}
	calls := s.Calls(DownloadMethod)
	if len(calls) != 1 || !calls[0].OK() || calls[0].Params["file_path"] != f.FilePath || calls[0].Result != nil {
		t.Errorf("recorded %+v", calls)
	}
}

func TestSendDocumentDataMIME(t *testing.T) {
	s := newServer(t)
	s.SendDocumentData(7, "a.yaml", "text/x-yaml", []byte("a: 1\n"))
	if d := lastDocument(t, s); d.MimeType != "text/x-yaml" {
		t.Errorf("mime %q", d.MimeType)
	}
	s.SendDocumentData(7, "", "", []byte("a: 1\n"))
	if d := lastDocument(t, s); d.FileName != "" || d.MimeType != "application/octet-stream" {
		t.Errorf("document %+v", d)
	}
}

// A document sent without data still downloads: placeholder bytes of the
// size its update announced.
func TestSendDocumentPlaceholder(t *testing.T) {
	s := newServer(t)
	s.SendDocument(7, "avis.pdf", "voici")
	d := lastDocument(t, s)
	env := callJSON(t, s, "getFile", map[string]any{"file_id": d.FileID})
	var f models.File
	strictInto(t, env.Result, &f)
	if f.FileSize != d.FileSize || f.FilePath != "documents/file_0.pdf" {
		t.Fatalf("getFile %s", env.Result)
	}
	code, body := get(t, s.URL()+"/file/bot"+s.Token()+"/"+f.FilePath)
	if code != http.StatusOK || int64(len(body)) != d.FileSize || !bytes.HasPrefix(body, []byte("telegramtest placeholder")) {
		t.Fatalf("download: %d, %d bytes", code, len(body))
	}
}

// A file the bot uploaded is fetched with its own bytes.
func TestGetFileOfAnUpload(t *testing.T) {
	s := newServer(t)
	s.AddChat(5)
	b := newBot(t, s)
	ctx := ctxTimeout(t, 5e9)
	csv := []byte("semaine;tickets\n12;40\n")
	m, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 5,
		Document: &models.InputFileUpload{Filename: "rapport.csv", Data: bytes.NewReader(csv)}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: m.Document.FileID})
	if err != nil || f.FileSize != int64(len(csv)) {
		t.Fatal(f, err)
	}
	if code, body := get(t, b.FileDownloadLink(f)); code != http.StatusOK || !bytes.Equal(body, csv) {
		t.Fatalf("download: %d %q", code, body)
	}
}

func TestGetFileRefusals(t *testing.T) {
	s := newServer(t)
	big := bytes.Repeat([]byte("x"), maxDownloadSize+1)
	s.SendDocumentData(7, "gros.yaml", "", big)
	d := lastDocument(t, s)
	if d.FileSize != maxDownloadSize+1 {
		t.Fatalf("size %d", d.FileSize)
	}
	wantError(t, callJSON(t, s, "getFile", map[string]any{"file_id": d.FileID}), 400, "Bad Request: file is too big")
	wantError(t, callJSON(t, s, "getFile", map[string]any{"file_id": "nope"}), 400, "Bad Request: invalid file_id")
	wantError(t, callJSON(t, s, "getFile", map[string]any{}), 400, "Bad Request: invalid file_id")
	if n := s.CallCount(DownloadMethod); n != 0 {
		t.Errorf("%d downloads", n)
	}
}

func TestDownloadRefusals(t *testing.T) {
	s := newServer(t)
	s.SendDocumentData(7, "a.yaml", "", []byte("a: 1\n"))
	env := callJSON(t, s, "getFile", map[string]any{"file_id": lastDocument(t, s).FileID})
	var f models.File
	_ = json.Unmarshal(env.Result, &f)

	for _, tc := range []struct {
		name, url string
		code      int
		desc      string
	}{
		{"unknown path", s.URL() + "/file/bot" + s.Token() + "/documents/file_9.yaml", 404, "Not Found"},
		{"no path", s.URL() + "/file/bot" + s.Token() + "/", 404, "Not Found"},
		{"wrong token", s.URL() + "/file/bot123456:wrong/" + f.FilePath, 401, "Unauthorized"},
	} {
		code, body := get(t, tc.url)
		var e envelope
		if err := json.Unmarshal(body, &e); err != nil || code != tc.code || e.OK || e.ErrorCode != tc.code || e.Description != tc.desc {
			t.Errorf("%s: %d %s", tc.name, code, body)
		}
	}
	// The path is not a method.
	if code, _ := post(t, s, "/bot"+s.Token()+"/file", "application/json", "{}"); code != 404 {
		t.Errorf("POST /file: %d", code)
	}

	// Faults apply to downloads, then the file is served.
	s.Fail(DownloadMethod, 1, 502, 0)
	url := s.URL() + "/file/bot" + s.Token() + "/" + f.FilePath
	if code, _ := get(t, url); code != 502 {
		t.Errorf("fault: %d", code)
	}
	if code, body := get(t, url); code != 200 || string(body) != "a: 1\n" {
		t.Errorf("after the fault: %d %q", code, body)
	}
	calls := s.Calls(DownloadMethod)
	if len(calls) != 5 || calls[3].Code != 502 || !calls[4].OK() {
		t.Errorf("recorded %+v", calls)
	}
}
