package telegramtest

import "fmt"

// SendAlbum simulates the user sending an album of n photos, as Telegram
// delivers it: one "message" update per part, consecutive message ids, the
// same media_group_id. captions[i] is the caption of part i (usually only
// the first has one). It returns the update ids and message ids in order.
func (s *Server) SendAlbum(chatID int64, n int, captions ...string) (updateIDs []int64, messageIDs []int) {
	kinds := make([]Kind, n)
	for i := range kinds {
		kinds[i] = KindPhoto
	}
	return s.SendAlbumOf(chatID, kinds, captions)
}

// SendAlbumOf is [Server.SendAlbum] with the kind of each part (photos and
// videos mix; documents and audios come alone, as in Telegram) and user
// options ([From] in a group, [ReplyTo] for the first part, names).
func (s *Server) SendAlbumOf(chatID int64, kinds []Kind, captions []string, opts ...UserOpt) (updateIDs []int64, messageIDs []int) {
	if len(kinds) < 2 || len(kinds) > 10 {
		panic(fmt.Sprintf("telegramtest: an album has 2 to 10 parts, not %d", len(kinds)))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	group := s.mediaGroupIDLocked()
	for i, kind := range kinds {
		m := &storedMsg{kind: kind, mediaGroup: group}
		if i < len(captions) {
			m.caption = captions[i]
		}
		switch kind {
		case KindPhoto:
			m.media = marshal(s.photoLocked())
		case KindVideo:
			m.media = marshal(s.videoLocked())
		case KindDocument:
			m.media = marshal(s.documentLocked(fmt.Sprintf("file%d.pdf", i+1)))
		case KindAudio:
			m.media = marshal(s.audioLocked())
		default:
			panic(fmt.Sprintf("telegramtest: an album can't hold a %s", kind))
		}
		partOpts := opts
		if i > 0 {
			partOpts = append(append([]UserOpt(nil), opts...), ReplyTo(0))
		}
		u, id := s.userMessageLocked(chatID, partOpts, m)
		updateIDs = append(updateIDs, u)
		messageIDs = append(messageIDs, id)
	}
	return updateIDs, messageIDs
}
