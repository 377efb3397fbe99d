package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Files the bot fetches, as Telegram serves them: getFile names a file by
// a file_path, and GET /file/bot<token>/<file_path> serves its bytes.

const (
	// maxDownloadSize is the largest file getFile hands out; Telegram
	// refuses larger ones to bots.
	maxDownloadSize = 20 << 20

	invalidFileID = "invalid file_id"
	fileTooBig    = "file is too big"
)

// DownloadMethod is the name under which downloads of
// /file/bot<token>/<file_path> are recorded in [Server.Calls] (with the
// parameter "file_path") and matched by [Server.Fail] and [Server.Hang].
// [AnyMethod] matches it too. No Bot API method has this name (a method
// has no slash).
const DownloadMethod = "GET /file"

// apiFile is getFile's answer.
type apiFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// SendDocumentData simulates the user sending a file named fileName whose
// content is data (no caption). The update's document has the file's
// file_id, file_unique_id, file_name, mime_type (mime, or when empty the
// type Telegram infers from the name's extension) and file_size; getFile
// then hands out its file_path and the download serves data. fileName may
// be empty (no file_name, as for some clients). An empty data panics:
// Telegram refuses empty files.
func (s *Server) SendDocumentData(chatID int64, fileName, mime string, data []byte, opts ...UserOpt) (updateID int64, messageID int) {
	if len(data) == 0 {
		panic("telegramtest: SendDocumentData with no data (Telegram refuses empty files)")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if mime == "" {
		mime = mimeType(&upload{name: fileName})
	}
	doc := s.fileLocked("document", map[string]any{"mime_type": mime, "file_size": len(data)})
	if fileName != "" {
		doc["file_name"] = fileName
	}
	s.registerLocked(&storedFile{kind: KindDocument, name: fileName, data: append([]byte(nil), data...),
		media: marshal(doc)}, doc["file_id"].(string))
	return s.sendMediaLocked(chatID, opts, KindDocument, doc, "")
}

// fileEntry is the file object of id in a file's media (the document, or
// the photo size of that id).
type fileEntry struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size"`
}

func entryOf(f *storedFile, id string) fileEntry {
	var entries []fileEntry
	if json.Unmarshal(f.media, &entries) != nil {
		var one fileEntry
		_ = json.Unmarshal(f.media, &one)
		entries = []fileEntry{one}
	}
	for _, e := range entries {
		if e.FileID == id {
			return e
		}
	}
	return fileEntry{FileID: id}
}

// contentOf is what the download of file id serves: the file's bytes when
// the fake has them (a file the bot uploaded, or one sent with
// [Server.SendDocumentData]) and they are the size the file_id announces,
// else placeholder bytes of that size (a user's file sent without data, a
// smaller size of a photo).
func contentOf(f *storedFile, id string) []byte {
	e := entryOf(f, id)
	if f.data != nil && int64(len(f.data)) == e.FileSize {
		return f.data
	}
	line := []byte("telegramtest placeholder of " + id + "\n")
	out := make([]byte, e.FileSize)
	for i := range out {
		out[i] = line[i%len(line)]
	}
	return out
}

func (s *Server) handleGetFile(r *request) *result {
	id := strings.TrimSpace(r.p.str("file_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[id]
	if id == "" || f == nil {
		return badRequest(invalidFileID)
	}
	e := entryOf(f, id)
	if e.FileSize > maxDownloadSize {
		return badRequest(fileTooBig)
	}
	return okResult(apiFile{FileID: id, FileUniqueID: e.FileUniqueID, FileSize: e.FileSize,
		FilePath: s.filePathLocked(id, f)})
}

// filePathLocked returns the file_path of file id, the same on every
// getFile: "documents/file_3.yaml", "photos/file_4.jpg".
func (s *Server) filePathLocked(id string, f *storedFile) string {
	if p, ok := s.pathOf[id]; ok {
		return p
	}
	if s.pathOf == nil {
		s.pathOf, s.pathFiles = map[string]string{}, map[string]string{}
	}
	dir, ext := "documents", strings.ToLower(path.Ext(f.name))
	if f.kind == KindPhoto {
		dir, ext = "photos", ".jpg"
	}
	if !plainExt(ext) {
		ext = ""
	}
	p := fmt.Sprintf("%s/file_%d%s", dir, len(s.pathOf), ext)
	s.pathOf[id], s.pathFiles[p] = p, id
	return p
}

// plainExt tells an extension that may go into a path as it is: a dot and
// up to 9 lower-case letters or digits.
func plainExt(ext string) bool {
	if len(ext) < 2 || len(ext) > 10 {
		return false
	}
	return strings.Trim(ext[1:], "abcdefghijklmnopqrstuvwxyz0123456789") == ""
}

// serveFile answers GET /file/bot<token>/<file_path>: the file's bytes, or
// Telegram's 404 for a path getFile never gave and 401 for a wrong token.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	rest, _ := strings.CutPrefix(r.URL.Path, "/file/bot")
	token, fpath, _ := strings.Cut(rest, "/")
	p := params{"file_path": fpath}
	var res *result
	switch {
	case token != s.cfg.token:
		res = errResult(http.StatusUnauthorized, "Unauthorized")
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		res = errResult(http.StatusMethodNotAllowed, "Method Not Allowed")
	default:
		res = s.download(r, fpath)
	}
	s.record(DownloadMethod, p, start, res)
	body, ctype := res.body()
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(res.code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// download runs hangs and faults of DownloadMethod, then serves fpath.
func (s *Server) download(r *http.Request, fpath string) *result {
	if d := s.takeHang(DownloadMethod); d > 0 {
		if res := s.waitHang(r.Context(), d); res != nil {
			return res
		}
	}
	if res := s.takeFault(DownloadMethod); res != nil {
		return res
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.pathFiles[fpath]
	if !ok {
		return errResult(http.StatusNotFound, "Not Found")
	}
	return &result{code: http.StatusOK, rawBody: contentOf(s.files[id], id), contentType: "application/octet-stream"}
}
