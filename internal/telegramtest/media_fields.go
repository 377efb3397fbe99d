package telegramtest

import (
	"encoding/json"

	"github.com/go-telegram/bot/models"
)

// setMedia puts a stored message's media in the API field of its kind.
func setMedia(am *apiMessage, m *storedMsg) {
	if m.media == nil {
		return
	}
	switch m.kind {
	case KindPhoto:
		am.Photo = m.media
	case KindSticker:
		am.Sticker = m.media
	case KindVoice:
		am.Voice = m.media
	case KindVideo:
		am.Video = m.media
	case KindDocument:
		am.Document = m.media
	case KindAnimation:
		am.Animation, am.Document = m.media, m.media2
	case KindAudio:
		am.Audio = m.media
	case KindVideoNote:
		am.VideoNote = m.media
	case KindLocation:
		am.Location = m.media
	case KindVenue:
		am.Venue, am.Location = m.media, m.media2
	case KindContact:
		am.Contact = m.media
	case KindPoll:
		am.Poll = m.media
	case KindDice:
		am.Dice = m.media
	}
}

// rawOf encodes v, or returns nil for a nil pointer or an empty slice.
func rawOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" || string(b) == "[]" {
		return nil
	}
	return b
}

// kindOfModel returns the kind and the media fields of a pushed message.
func kindOfModel(m *models.Message) (kind Kind, media, media2 json.RawMessage) {
	switch {
	case m.Sticker != nil:
		return KindSticker, rawOf(m.Sticker), nil
	case m.Voice != nil:
		return KindVoice, rawOf(m.Voice), nil
	case len(m.Photo) > 0:
		return KindPhoto, rawOf(m.Photo), nil
	case m.Animation != nil:
		return KindAnimation, rawOf(m.Animation), rawOf(m.Document)
	case m.Video != nil:
		return KindVideo, rawOf(m.Video), nil
	case m.Document != nil:
		return KindDocument, rawOf(m.Document), nil
	case m.Audio != nil:
		return KindAudio, rawOf(m.Audio), nil
	case m.VideoNote != nil:
		return KindVideoNote, rawOf(m.VideoNote), nil
	case m.Venue != nil:
		return KindVenue, rawOf(m.Venue), rawOf(m.Location)
	case m.Location != nil:
		return KindLocation, rawOf(m.Location), nil
	case m.Contact != nil:
		return KindContact, rawOf(m.Contact), nil
	case m.Poll != nil:
		return KindPoll, rawOf(m.Poll), nil
	case m.Dice != nil:
		return KindDice, rawOf(m.Dice), nil
	case len(m.NewChatMembers) > 0 || m.LeftChatMember != nil:
		return KindService, nil, nil
	case m.Text != "":
		return KindText, nil, nil
	}
	return KindOther, nil, nil
}
