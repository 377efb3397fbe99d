package telegramtest

import (
	"fmt"
	"strconv"
)

// Media sent by users. Every helper works in a private chat (user id =
// chatID) or, with [From], in a group, and returns the update_id and the
// message_id. File ids are unique and stable ("fake-photo-3-2", ...).

func (s *Server) fileIDLocked(kind string) (string, string) {
	s.nextFileID++
	return fmt.Sprintf("fake-%s-%d", kind, s.nextFileID), fmt.Sprintf("u%s%d", kind, s.nextFileID)
}

// fileLocked returns a new file object of the kind with the given fields.
func (s *Server) fileLocked(kind string, fields map[string]any) map[string]any {
	fid, uid := s.fileIDLocked(kind)
	f := map[string]any{"file_id": fid, "file_unique_id": uid}
	for k, v := range fields {
		f[k] = v
	}
	return f
}

func (s *Server) photoLocked() []map[string]any {
	fid, uid := s.fileIDLocked("photo")
	var sizes []map[string]any
	var ids []string
	for i, side := range []int{90, 320, 800} {
		ids = append(ids, fmt.Sprintf("%s-%d", fid, i))
		sizes = append(sizes, map[string]any{
			"file_id": ids[i], "file_unique_id": fmt.Sprintf("%s%d", uid, i),
			"width": side, "height": side * 3 / 4, "file_size": side * side / 10,
		})
	}
	s.registerLocked(&storedFile{kind: KindPhoto, media: marshal(sizes)}, ids...)
	return sizes
}

func (s *Server) sendMediaLocked(chatID int64, opts []UserOpt, kind Kind, media any, caption string) (int64, int) {
	return s.userMessageLocked(chatID, opts, &storedMsg{kind: kind, media: marshal(media), caption: caption})
}

// SendSticker simulates the user sending a sticker (no text).
func (s *Server) SendSticker(chatID int64, emoji string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sticker := s.fileLocked("sticker", map[string]any{
		"type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false,
		"file_size": 24576,
	})
	if emoji != "" {
		sticker["emoji"] = emoji
	}
	return s.sendMediaLocked(chatID, opts, KindSticker, sticker, "")
}

// SendVoice simulates the user sending a voice note of the given duration in
// seconds (no text).
func (s *Server) SendVoice(chatID int64, seconds int, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	voice := s.fileLocked("voice", map[string]any{
		"duration": seconds, "mime_type": "audio/ogg", "file_size": 2000 + 1600*seconds,
	})
	return s.sendMediaLocked(chatID, opts, KindVoice, voice, "")
}

// SendPhoto simulates the user sending a photo with an optional caption
// (no text).
func (s *Server) SendPhoto(chatID int64, caption string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendMediaLocked(chatID, opts, KindPhoto, s.photoLocked(), caption)
}

func (s *Server) videoLocked() map[string]any {
	return s.fileLocked("video", map[string]any{
		"width": 1280, "height": 720, "duration": 12, "mime_type": "video/mp4", "file_size": 1843200,
	})
}

// SendVideo simulates the user sending a video with an optional caption.
func (s *Server) SendVideo(chatID int64, caption string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendMediaLocked(chatID, opts, KindVideo, s.videoLocked(), caption)
}

func (s *Server) documentLocked(fileName string) map[string]any {
	doc := s.fileLocked("document", map[string]any{
		"file_name": fileName, "mime_type": "application/pdf", "file_size": 48213,
	})
	s.registerLocked(&storedFile{kind: KindDocument, name: fileName, media: marshal(doc)}, doc["file_id"].(string))
	return doc
}

// SendDocument simulates the user sending a file named fileName with an
// optional caption.
func (s *Server) SendDocument(chatID int64, fileName, caption string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendMediaLocked(chatID, opts, KindDocument, s.documentLocked(fileName), caption)
}

// SendAnimation simulates the user sending a GIF (Telegram sends it as both
// "animation" and "document") with an optional caption.
func (s *Server) SendAnimation(chatID int64, caption string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	anim := s.fileLocked("animation", map[string]any{
		"width": 320, "height": 240, "duration": 3, "file_name": "animation.mp4",
		"mime_type": "video/mp4", "file_size": 120000,
	})
	doc := map[string]any{
		"file_id": anim["file_id"], "file_unique_id": anim["file_unique_id"],
		"file_name": "animation.mp4", "mime_type": "video/mp4", "file_size": 120000,
	}
	return s.userMessageLocked(chatID, opts, &storedMsg{
		kind: KindAnimation, media: marshal(anim), media2: marshal(doc), caption: caption,
	})
}

// SendAudio simulates the user sending a music file with an optional
// caption.
func (s *Server) SendAudio(chatID int64, caption string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendMediaLocked(chatID, opts, KindAudio, s.audioLocked(), caption)
}

func (s *Server) audioLocked() map[string]any {
	return s.fileLocked("audio", map[string]any{
		"duration": 180, "title": "Song", "performer": "Artist", "file_name": "song.mp3",
		"mime_type": "audio/mpeg", "file_size": 4320000,
	})
}

// SendVideoNote simulates the user sending a round video message of the
// given duration in seconds (no caption).
func (s *Server) SendVideoNote(chatID int64, seconds int, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	note := s.fileLocked("videonote", map[string]any{
		"length": 240, "duration": seconds, "file_size": 50000 * max(seconds, 1),
	})
	return s.sendMediaLocked(chatID, opts, KindVideoNote, note, "")
}

func location(lat, lon float64) map[string]any {
	return map[string]any{"latitude": lat, "longitude": lon}
}

// SendLocation simulates the user sharing a location.
func (s *Server) SendLocation(chatID int64, lat, lon float64, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendMediaLocked(chatID, opts, KindLocation, location(lat, lon), "")
}

// SendVenue simulates the user sharing a venue (Telegram sends it as both
// "venue" and "location").
func (s *Server) SendVenue(chatID int64, lat, lon float64, title, address string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	venue := map[string]any{"location": location(lat, lon), "title": title, "address": address}
	return s.userMessageLocked(chatID, opts, &storedMsg{
		kind: KindVenue, media: marshal(venue), media2: marshal(location(lat, lon)),
	})
}

// SendContact simulates the user sharing a contact card.
func (s *Server) SendContact(chatID int64, phone, firstName string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	contact := map[string]any{"phone_number": phone, "first_name": firstName}
	return s.sendMediaLocked(chatID, opts, KindContact, contact, "")
}

// Quiz makes [Server.SendPoll] send a quiz whose correct option is correct;
// a negative correct makes the correct option unknown to the bot, as for a
// quiz forwarded from elsewhere (such a poll can't be copied).
func Quiz(correct int) UserOpt { return func(o *userOpts) { o.quiz = &correct } }

// SendPoll simulates the user sending a poll (a regular, anonymous poll, or
// a quiz with [Quiz]).
func (s *Server) SendPoll(chatID int64, question string, options []string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextFileID++
	opt := make([]map[string]any, len(options))
	for i, text := range options {
		opt[i] = map[string]any{"text": text, "voter_count": 0}
	}
	poll := map[string]any{
		"id": strconv.FormatInt(5000000000000000000+s.nextFileID, 10), "question": question,
		"options": opt, "total_voter_count": 0, "is_closed": false, "is_anonymous": true,
		"type": "regular", "allows_multiple_answers": false,
	}
	if o := collectOpts(opts); o.quiz != nil {
		poll["type"] = "quiz"
		if *o.quiz >= 0 {
			poll["correct_option_id"] = *o.quiz
		}
	}
	return s.sendMediaLocked(chatID, opts, KindPoll, poll, "")
}

// SendDice simulates the user throwing a dice of the given emoji ("🎲" when
// empty). Values cycle through 1..6.
func (s *Server) SendDice(chatID int64, emoji string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if emoji == "" {
		emoji = "🎲"
	}
	s.nextFileID++
	dice := map[string]any{"emoji": emoji, "value": int(s.nextFileID%6) + 1}
	return s.sendMediaLocked(chatID, opts, KindDice, dice, "")
}
