package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // photos Telegram takes
	_ "image/jpeg" // photos Telegram takes
	_ "image/png"  // photos Telegram takes
	"mime"
	"path"
	"strings"
)

// Files the bot sends: sendPhoto and sendDocument, with a multipart upload
// or the file_id of a file Telegram already has.

const (
	maxPhotoSize = 10 << 20 // bytes; documents: maxUploadSize
	// A photo's width and height add up to at most 10000 and their ratio
	// is at most 20.
	maxPhotoSides = 10000
	maxPhotoRatio = 20

	noFileID      = "wrong file identifier/HTTP URL specified"
	noURL         = "failed to get HTTP URL content"
	fileMismatch  = "type of file mismatch"
	emptyFile     = "file must be non-empty"
	badImage      = "IMAGE_PROCESS_FAILED"
	badDimensions = "PHOTO_INVALID_DIMENSIONS"
)

// storedFile is a file Telegram has: one the bot uploaded (with its
// bytes) or one a user sent (without).
type storedFile struct {
	kind  Kind            // KindPhoto or KindDocument
	name  string          // the uploaded file's name
	data  []byte          // nil for the files of users
	media json.RawMessage // the message's "photo" (sizes) or "document"
}

// registerLocked makes the file reachable by its file ids.
func (s *Server) registerLocked(f *storedFile, ids ...string) {
	if s.files == nil {
		s.files = map[string]*storedFile{}
	}
	for _, id := range ids {
		s.files[id] = f
	}
}

func (s *Server) handleSendPhoto(r *request) *result    { return s.sendFile(r, KindPhoto) }
func (s *Server) handleSendDocument(r *request) *result { return s.sendFile(r, KindDocument) }

// sendFile sends a photo or a document: r.p[kind] is the file, uploaded in
// the part it names (or in a part of that name) or a file_id.
func (s *Server) sendFile(r *request, kind Kind) *result {
	field := string(kind)
	up, ref := r.files[field], strings.TrimSpace(r.p.str(field))
	if name, ok := strings.CutPrefix(ref, "attach://"); ok && up == nil {
		up, ref = r.files[name], ""
	} else if up != nil {
		ref = ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	if up == nil && ref == "" {
		return badRequest("there is no " + field + " in the request")
	}
	var photo image.Config
	if up != nil {
		limit := maxUploadSize
		if kind == KindPhoto {
			limit = maxPhotoSize
		}
		switch {
		case len(up.data) > limit:
			return tooLarge()
		case len(up.data) == 0:
			return badRequest(emptyFile)
		}
		if kind == KindPhoto {
			if photo, res = photoConfig(up.data); res != nil {
				return res
			}
		}
	}
	caption, mode := r.p.str("caption"), r.p.str("parse_mode")
	if res := checkCaption(caption, mode); res != nil {
		return res
	}
	capEntities, res := jsonParam(r.p, "caption_entities", '[', "caption entities")
	if res != nil {
		return res
	}
	rm, res := parseReplyMarkup(r.p.str("reply_markup"))
	if res != nil {
		return res
	}
	replyTo, res := s.replyTargetLocked(c, r.p)
	if res != nil {
		return res
	}
	var f *storedFile
	if ref != "" {
		if f, res = s.knownFileLocked(ref, kind); res != nil {
			return res
		}
	}
	if res := s.admitSendLocked(c.info.ID, 1); res != nil {
		return res
	}
	if f == nil {
		if kind == KindPhoto {
			f = s.uploadedPhotoLocked(up, photo)
		} else {
			f = s.uploadedDocumentLocked(up)
		}
	}
	m := &storedMsg{
		fromBot:     true,
		kind:        kind,
		date:        s.now().Unix(),
		caption:     caption,
		parseMode:   mode,
		capEntities: capEntities,
		media:       f.media,
		file:        f,
		protected:   r.p.bool("protect_content"),
		replyTo:     replyTo,
	}
	applyMarkup(m, rm)
	c.add(m)
	s.bumpLocked()
	return okResult(s.apiMessageLocked(c, m, true))
}

// knownFileLocked finds the file of a file_id. The fake fetches no URL.
func (s *Server) knownFileLocked(ref string, kind Kind) (*storedFile, *result) {
	if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return nil, badRequest(noURL)
	}
	f := s.files[ref]
	switch {
	case f == nil:
		return nil, badRequest(noFileID)
	case f.kind != kind:
		return nil, badRequest(fileMismatch)
	}
	return f, nil
}

// photoConfig reads the dimensions of a PNG, JPEG or GIF photo and applies
// Telegram's rules on them.
func photoConfig(data []byte) (image.Config, *result) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, badRequest(badImage)
	}
	w, h := cfg.Width, cfg.Height
	if w+h > maxPhotoSides || w > maxPhotoRatio*h || h > maxPhotoRatio*w {
		return cfg, badRequest(badDimensions)
	}
	return cfg, nil
}

// photoSides are the longest sides of the sizes Telegram makes of a photo
// (s, m, x, y), below the largest one, which is at most 2560.
var photoSides = []int{90, 320, 800, 1280}

const maxPhotoSide = 2560

// uploadedPhotoLocked stores an uploaded photo as Telegram answers it: a
// PhotoSize per size smaller than the picture, and the picture itself
// (scaled to 2560 at most), each with its own file_id.
func (s *Server) uploadedPhotoLocked(up *upload, cfg image.Config) *storedFile {
	fid, uid := s.fileIDLocked("photo")
	long := max(cfg.Width, cfg.Height)
	var sides []int
	for _, side := range photoSides {
		if side < long {
			sides = append(sides, side)
		}
	}
	sides = append(sides, min(long, maxPhotoSide))
	area := float64(cfg.Width) * float64(cfg.Height)
	sizes := make([]map[string]any, len(sides))
	ids := make([]string, len(sides))
	for i, side := range sides {
		w, h := max(1, cfg.Width*side/long), max(1, cfg.Height*side/long)
		ids[i] = fmt.Sprintf("%s-%d", fid, i)
		sizes[i] = map[string]any{
			"file_id": ids[i], "file_unique_id": fmt.Sprintf("%s%d", uid, i),
			"width": w, "height": h,
			"file_size": max(1, int(float64(len(up.data))*float64(w)*float64(h)/area)),
		}
	}
	f := &storedFile{kind: KindPhoto, name: up.name, data: up.data, media: marshal(sizes)}
	s.registerLocked(f, ids...)
	return f
}

// uploadedDocumentLocked stores an uploaded file as Telegram answers it:
// its name as sent, its type from its name (or from the part).
func (s *Server) uploadedDocumentLocked(up *upload) *storedFile {
	fid, uid := s.fileIDLocked("document")
	doc := map[string]any{"file_id": fid, "file_unique_id": uid, "file_size": len(up.data)}
	if up.name != "" {
		doc["file_name"] = up.name
	}
	doc["mime_type"] = mimeType(up)
	f := &storedFile{kind: KindDocument, name: up.name, data: up.data, media: marshal(doc)}
	s.registerLocked(f, fid)
	return f
}

// extTypes are the types of common extensions, whatever the system's MIME
// tables say.
var extTypes = map[string]string{
	".csv": "text/csv", ".txt": "text/plain", ".pdf": "application/pdf", ".png": "image/png",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".json": "application/json", ".zip": "application/zip",
}

// mimeType is the mime_type Telegram gives an uploaded document: from its
// name's extension, else from its part, else application/octet-stream.
func mimeType(up *upload) string {
	ext := strings.ToLower(path.Ext(up.name))
	t := extTypes[ext]
	if t == "" && ext != "" {
		t = mime.TypeByExtension(ext)
	}
	if t == "" && up.ctype != "application/octet-stream" {
		t = up.ctype
	}
	if mt, _, err := mime.ParseMediaType(t); err == nil {
		return mt
	}
	return "application/octet-stream"
}

// File returns the name and the bytes of the file of the bot's message
// messageID in chat: what it uploaded with sendPhoto or sendDocument (or
// sent again by file_id, or copied). ok is false for other messages and
// for the files of users, whose bytes the fake never had.
func (s *Server) File(chatID int64, messageID int) (name string, data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return "", nil, false
	}
	m := c.byID[messageID]
	if m == nil || m.file == nil || m.file.data == nil {
		return "", nil, false
	}
	return m.file.name, bytes.Clone(m.file.data), true
}
