package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/telegramtest"
)

// The contract with the Bot API: what we send decodes into go-telegram/bot's
// parameters with no unknown field, and what we read is where the library's
// models put it. The lean wire types cannot drift from the API unnoticed.

// strict decodes body into the library's parameters, refusing any field
// they do not have.
func strict(t *testing.T, method string, body []byte, into any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s: %s does not decode into the library's params: %v", method, body, err)
	}
}

func keyboardOf(t *testing.T, m *models.InlineKeyboardMarkup) [][]string {
	t.Helper()
	if m == nil {
		return nil
	}
	out := [][]string{}
	for _, row := range m.InlineKeyboard {
		var r []string
		for _, b := range row {
			r = append(r, b.Text+"→"+b.CallbackData)
		}
		out = append(out, r)
	}
	return out
}

func TestRequestsMatchTheLibrary(t *testing.T) {
	msg := func(id int, chat int64) *models.Message {
		return &models.Message{ID: id, Date: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}, Text: "x"}
	}
	member := &models.ChatMember{Type: models.ChatMemberTypeRestricted,
		Restricted: &models.ChatMemberRestricted{User: &models.User{ID: 9}, IsMember: true}}
	rec, s := newRecorder(t, map[string][]string{
		"sendMessage":        {ok(t, msg(41, 5))},
		"copyMessage":        {ok(t, models.MessageID{ID: 42})},
		"copyMessages":       {ok(t, []models.MessageID{{ID: 43}, {ID: 44}})},
		"editMessageText":    {ok(t, msg(4, 5)), ok(t, msg(6, -100))},
		"editMessageCaption": {ok(t, msg(4, 5))},
		"getChatMember":      {ok(t, member)},
		"getMe":              {ok(t, models.User{ID: 1, IsBot: true, FirstName: "Boussole", Username: "BoussoleBot"})},
		"getFile":            {ok(t, models.File{FileID: "f", FileUniqueID: "u", FileSize: 5, FilePath: "documents/file_7.yaml"})},
		"file_7.yaml":        {"a: b\n"}, // the download of its file_path
	})
	ctx := context.Background()
	buttons := [][]flow.Button{{{Label: "Prendre", Data: "d:take:1"}}, {{Label: "⬅️", Data: flow.ButtonBack}}}
	wantKB := [][]string{{"Prendre→d:take:1"}, {"⬅️→" + flow.ButtonBack}}

	t.Run("sendMessage", func(t *testing.T) {
		ids, err := s.Send(ctx, 5, delivery.Item{Text: "salut", ReplyTo: 3, Buttons: buttons})
		if err != nil || !reflect.DeepEqual(ids, []int{41}) {
			t.Fatal(ids, err)
		}
		var p struct {
			bot.SendMessageParams
			ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup"` // the library's is an interface
		}
		strict(t, "sendMessage", rec.body(t, "sendMessage", 0), &p)
		if p.ChatID != float64(5) || p.Text != "salut" || !p.ProtectContent || p.ParseMode != "" ||
			p.LinkPreviewOptions == nil || p.LinkPreviewOptions.IsDisabled == nil || !*p.LinkPreviewOptions.IsDisabled ||
			p.ReplyParameters == nil || p.ReplyParameters.MessageID != 3 || !p.ReplyParameters.AllowSendingWithoutReply ||
			!reflect.DeepEqual(keyboardOf(t, p.ReplyMarkup), wantKB) {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("copyMessage", func(t *testing.T) {
		ids, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindCopy, From: 9, IDs: []int{7}, ReplyTo: 3})
		if err != nil || !reflect.DeepEqual(ids, []int{42}) {
			t.Fatal(ids, err)
		}
		var p struct {
			bot.CopyMessageParams
			ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup"` // the library's is an interface
		}
		strict(t, "copyMessage", rec.body(t, "copyMessage", 0), &p)
		if p.ChatID != float64(5) || p.FromChatID != float64(9) || p.MessageID != 7 || !p.ProtectContent ||
			p.ReplyParameters == nil || p.ReplyParameters.MessageID != 3 || !p.ReplyParameters.AllowSendingWithoutReply {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("copyMessages", func(t *testing.T) {
		ids, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindCopy, From: 9, IDs: []int{8, 7, 8}, Album: "g1"})
		if err != nil || !reflect.DeepEqual(ids, []int{43, 44}) {
			t.Fatal(ids, err)
		}
		var p bot.CopyMessagesParams
		strict(t, "copyMessages", rec.body(t, "copyMessages", 0), &p)
		if p.ChatID != float64(5) || p.FromChatID != float64(9) || !reflect.DeepEqual(p.MessageIDs, []int{7, 8}) ||
			!p.ProtectContent || p.RemoveCaption {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("editMessageText", func(t *testing.T) {
		ids, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindEdit, IDs: []int{4}, Text: "corrigé"})
		if err != nil || ids != nil {
			t.Fatal(ids, err)
		}
		var p struct {
			bot.EditMessageTextParams
			ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup"` // the library's is an interface
		}
		strict(t, "editMessageText", rec.body(t, "editMessageText", 0), &p)
		if p.ChatID != float64(5) || p.MessageID != 4 || p.Text != "corrigé" || p.ParseMode != "" || p.ReplyMarkup != nil {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("editMessageText of a card", func(t *testing.T) {
		id, err := s.Card(ctx, -100, 6, "Ticket 1", buttons)
		if err != nil || id != 6 {
			t.Fatal(id, err)
		}
		var p struct {
			bot.EditMessageTextParams
			ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup"` // the library's is an interface
		}
		strict(t, "editMessageText", rec.body(t, "editMessageText", 1), &p)
		if p.ChatID != float64(-100) || p.MessageID != 6 || p.Text != "Ticket 1" ||
			!reflect.DeepEqual(keyboardOf(t, p.ReplyMarkup), wantKB) {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("editMessageCaption", func(t *testing.T) {
		ids, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindEdit, IDs: []int{4}, Text: "légende", Caption: true})
		if err != nil || ids != nil {
			t.Fatal(ids, err)
		}
		var p struct {
			bot.EditMessageCaptionParams
			ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup"` // the library's is an interface
		}
		strict(t, "editMessageCaption", rec.body(t, "editMessageCaption", 0), &p)
		if p.ChatID != float64(5) || p.MessageID != 4 || p.Caption != "légende" || p.ParseMode != "" {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("getChatMember", func(t *testing.T) {
		status, err := s.Member(ctx, -100, 9)
		if err != nil || status != "restricted" {
			t.Fatal(status, err)
		}
		var p bot.GetChatMemberParams
		strict(t, "getChatMember", rec.body(t, "getChatMember", 0), &p)
		if p.ChatID != float64(-100) || p.UserID != 9 {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("answerCallbackQuery", func(t *testing.T) {
		if err := s.Answer(ctx, "q1", "Déjà pris", true); err != nil {
			t.Fatal(err)
		}
		if err := s.AnswerButton(ctx, "q2", ""); err != nil {
			t.Fatal(err)
		}
		var p bot.AnswerCallbackQueryParams
		strict(t, "answerCallbackQuery", rec.body(t, "answerCallbackQuery", 0), &p)
		if p.CallbackQueryID != "q1" || p.Text != "Déjà pris" || !p.ShowAlert {
			t.Errorf("sent %+v", p)
		}
		p = bot.AnswerCallbackQueryParams{}
		strict(t, "answerCallbackQuery", rec.body(t, "answerCallbackQuery", 1), &p)
		if p.CallbackQueryID != "q2" || p.Text != "" || p.ShowAlert {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("getMe", func(t *testing.T) {
		name, err := s.Me(ctx)
		if err != nil || name != "BoussoleBot" {
			t.Fatal(name, err)
		}
		var p struct{} // getMe takes no parameter
		strict(t, "getMe", rec.body(t, "getMe", 0), &p)
	})
	t.Run("deleteMessages", func(t *testing.T) {
		if err := s.Delete(ctx, 5, []int{1, 2}); err != nil {
			t.Fatal(err)
		}
		var p bot.DeleteMessagesParams
		strict(t, "deleteMessages", rec.body(t, "deleteMessages", 0), &p)
		if p.ChatID != float64(5) || !reflect.DeepEqual(p.MessageIDs, []int{1, 2}) {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("sendChatAction", func(t *testing.T) {
		if err := s.Typing(ctx, 5); err != nil {
			t.Fatal(err)
		}
		var p bot.SendChatActionParams
		strict(t, "sendChatAction", rec.body(t, "sendChatAction", 0), &p)
		if p.ChatID != float64(5) || p.Action != models.ChatActionTyping {
			t.Errorf("sent %+v", p)
		}
	})
	t.Run("getFile and the download", func(t *testing.T) {
		data, err := s.Download(ctx, "f", 5)
		if err != nil || string(data) != "a: b\n" {
			t.Fatal(data, err)
		}
		var p bot.GetFileParams
		strict(t, "getFile", rec.body(t, "getFile", 0), &p)
		if p.FileID != "f" {
			t.Errorf("sent %+v", p)
		}
		if rec.calls("file_7.yaml") != 1 {
			t.Errorf("%d downloads", rec.calls("file_7.yaml"))
		}
	})
	t.Run("setWebhook", func(t *testing.T) {
		b, _ := json.Marshal(&setWebhook{URL: "https://x/hook", SecretToken: "s", AllowedUpdates: allowedUpdates})
		var p bot.SetWebhookParams
		strict(t, "setWebhook", b, &p)
		if p.URL != "https://x/hook" || p.SecretToken != "s" || !reflect.DeepEqual(p.AllowedUpdates, allowedUpdates) {
			t.Errorf("sent %+v", p)
		}
	})
}

// allowedUpdates names fields of the library's Update.
func TestAllowedUpdatesAreUpdateFields(t *testing.T) {
	fields := map[string]bool{}
	ty := reflect.TypeFor[models.Update]()
	for i := range ty.NumField() {
		name, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
		fields[name] = true
	}
	for _, u := range allowedUpdates {
		if !fields[u] {
			t.Errorf("%q is not an update type", u)
		}
	}
}

// fromLibrary converts an update encoded by the library, as Telegram sends
// it (field names included).
func fromLibrary(t *testing.T, u models.Update) (conversation.Update, bool) {
	t.Helper()
	raw, err := json.Marshal(&u)
	if err != nil {
		t.Fatal(err)
	}
	var w update
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return convert(&w)
}

func TestUpdatesFromTheLibrary(t *testing.T) {
	person := &models.User{ID: 9, FirstName: "A", LanguageCode: "ar"}
	private := models.Chat{ID: 9, Type: models.ChatTypePrivate}
	group := models.Chat{ID: -100, Type: models.ChatTypeSupergroup, Title: "Bénévoles"}
	inPrivate := func(m models.Message) *models.Message {
		m.ID, m.Date, m.From, m.Chat = 8, 1, person, private
		return &m
	}
	media := func(name string, copyable bool, caption bool) conversation.Update {
		return conversation.Update{Chat: 9, MsgID: 8, Kind: conversation.KindOther, Lang: "ar", From: 9,
			Private: true, Media: name, Copyable: copyable, Caption: caption}
	}
	file := models.Document{FileID: "f", FileUniqueID: "u"}
	cases := []struct {
		name string
		in   models.Update
		ok   bool
		want conversation.Update
	}{
		{"text replying", models.Update{Message: inPrivate(models.Message{Text: "bonjour",
			ReplyToMessage: &models.Message{ID: 5, Date: 1, Chat: private}})}, true,
			conversation.Update{Chat: 9, MsgID: 8, Kind: conversation.KindText, Text: "bonjour", Lang: "ar", From: 9,
				Private: true, Copyable: true, ReplyTo: 5}},
		{"photo of an album with a caption", models.Update{Message: inPrivate(models.Message{
			Photo: []models.PhotoSize{{FileID: "p", Width: 1, Height: 1}}, Caption: "ma carte", MediaGroupID: "g7"})}, true,
			func() conversation.Update {
				u := media("photo", true, true)
				u.Text, u.Album = "ma carte", "g7"
				return u
			}()},
		{"edited caption", models.Update{EditedMessage: inPrivate(models.Message{EditDate: 2,
			Video: &models.Video{FileID: "v"}, Caption: "corrigé"})}, true,
			func() conversation.Update {
				u := media("video", true, true)
				u.Text, u.Edited = "corrigé", true
				return u
			}()},
		{"edited text", models.Update{EditedMessage: inPrivate(models.Message{EditDate: 2, Text: "corrigé"})}, true,
			conversation.Update{Chat: 9, MsgID: 8, Kind: conversation.KindText, Text: "corrigé", Lang: "ar", From: 9,
				Private: true, Copyable: true, Edited: true}},
		{"voice", models.Update{Message: inPrivate(models.Message{Voice: &models.Voice{FileID: "v"}})}, true,
			media("voice", true, true)},
		{"audio", models.Update{Message: inPrivate(models.Message{Audio: &models.Audio{FileID: "a"}})}, true,
			media("audio", true, true)},
		{"document", models.Update{Message: inPrivate(models.Message{Document: &models.Document{FileID: "f",
			FileUniqueID: "u", FileName: "horaires.yaml", MimeType: "application/yaml", FileSize: 812,
			Thumbnail: &models.PhotoSize{FileID: "t", Width: 1, Height: 1}}, Caption: "à jour"})}, true,
			func() conversation.Update {
				u := media("document", true, true)
				u.Text, u.FileID, u.FileName, u.FileSize, u.FileMIME = "à jour", "f", "horaires.yaml", 812, "application/yaml"
				return u
			}()},
		{"edited document", models.Update{EditedMessage: inPrivate(models.Message{EditDate: 2, Document: &file})}, true,
			func() conversation.Update {
				u := media("document", true, true)
				u.Edited, u.FileID = true, "f"
				return u
			}()},
		{"animation (also a document, no file for an upload)", models.Update{Message: inPrivate(models.Message{Document: &file,
			Animation: &models.Animation{FileID: "g"}})}, true, media("animation", true, true)},
		{"sticker", models.Update{Message: inPrivate(models.Message{Sticker: &models.Sticker{FileID: "s"}})}, true,
			media("sticker", true, false)},
		{"video note", models.Update{Message: inPrivate(models.Message{VideoNote: &models.VideoNote{FileID: "n"}})}, true,
			media("video_note", true, false)},
		{"location", models.Update{Message: inPrivate(models.Message{Location: &models.Location{Latitude: 1}})}, true,
			media("location", true, false)},
		{"venue (also a location)", models.Update{Message: inPrivate(models.Message{Location: &models.Location{Latitude: 1},
			Venue: &models.Venue{Title: "x"}})}, true, media("venue", true, false)},
		{"contact", models.Update{Message: inPrivate(models.Message{Contact: &models.Contact{PhoneNumber: "1"}})}, true,
			media("contact", true, false)},
		{"poll", models.Update{Message: inPrivate(models.Message{Poll: &models.Poll{ID: "p", Type: "regular"}})}, true,
			media("poll", true, false)},
		{"quiz", models.Update{Message: inPrivate(models.Message{Poll: &models.Poll{ID: "p", Type: "quiz"}})}, true,
			media("poll", false, false)},
		{"dice", models.Update{Message: inPrivate(models.Message{Dice: &models.Dice{Emoji: "🎲", Value: 3}})}, true,
			media("dice", true, false)},
		{"paid media", models.Update{Message: inPrivate(models.Message{PaidMedia: &models.PaidMediaInfo{StarCount: 1},
			Caption: "payez"})}, true, func() conversation.Update {
			u := media("other", false, true)
			u.Text = "payez"
			return u
		}()},
		{"story", models.Update{Message: inPrivate(models.Message{Story: &models.Story{ID: 1, Chat: private}})}, true,
			media("other", true, false)},
		{"invoice", models.Update{Message: inPrivate(models.Message{Invoice: &models.Invoice{Title: "x"}})}, true,
			media("other", false, false)},
		{"pinned message (service)", models.Update{Message: inPrivate(models.Message{PinnedMessage: &models.MaybeInaccessibleMessage{
			Type: models.MaybeInaccessibleMessageTypeMessage, Message: &models.Message{ID: 3, Date: 1, Chat: private, Text: "x"}}})}, true,
			media("other", false, false)},
		{"group message", models.Update{Message: &models.Message{ID: 8, Date: 1, From: person, Chat: group, Text: "je prends"}}, true,
			conversation.Update{Chat: -100, MsgID: 8, Kind: conversation.KindText, Text: "je prends", Lang: "ar", From: 9, Copyable: true}},
		{"someone joined (service)", models.Update{Message: &models.Message{ID: 8, Date: 1, From: person, Chat: group,
			NewChatMembers: []models.User{*person}}}, true,
			conversation.Update{Chat: -100, MsgID: 8, Kind: conversation.KindOther, Lang: "ar", From: 9, Media: "other"}},
		{"bot's message", models.Update{Message: &models.Message{ID: 8, Date: 1, From: &models.User{ID: 7, IsBot: true},
			Chat: group, Text: "x"}}, false, conversation.Update{Chat: -100}},
		{"channel post", models.Update{ChannelPost: &models.Message{ID: 8, Date: 1,
			Chat: models.Chat{ID: -200, Type: models.ChatTypeChannel}, Text: "x"}}, false, conversation.Update{}},
		{"tap in the group", models.Update{CallbackQuery: &models.CallbackQuery{ID: "q1", From: *person, Data: "d:take:1",
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
				Message: &models.Message{ID: 6, Date: 1, Chat: group, Text: "Ticket"}}}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindButton, Data: "d:take:1", CallbackID: "q1", Lang: "ar", From: 9}},
		{"tap on a message gone", models.Update{CallbackQuery: &models.CallbackQuery{ID: "q2", From: *person, Data: "x",
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage,
				InaccessibleMessage: &models.InaccessibleMessage{Chat: private, MessageID: 6}}}}, true,
			conversation.Update{Chat: 9, Kind: conversation.KindButton, Data: "x", CallbackID: "q2", Lang: "ar", From: 9, Private: true}},
		{"person blocks the bot", models.Update{MyChatMember: &models.ChatMemberUpdated{Chat: private, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeMember, 1, false),
			NewChatMember: chatMember(models.ChatMemberTypeBanned, 1, false)}}, true,
			conversation.Update{Chat: 9, Kind: conversation.KindMember, Blocked: true, Lang: "ar", From: 9, Private: true}},
		{"person unblocks the bot", models.Update{MyChatMember: &models.ChatMemberUpdated{Chat: private, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeBanned, 1, false),
			NewChatMember: chatMember(models.ChatMemberTypeMember, 1, false)}}, true,
			conversation.Update{Chat: 9, Kind: conversation.KindMember, Lang: "ar", From: 9, Private: true}},
		{"bot removed from the group", models.Update{MyChatMember: &models.ChatMemberUpdated{Chat: group, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeAdministrator, 1, false),
			NewChatMember: chatMember(models.ChatMemberTypeLeft, 1, false)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, Blocked: true, Lang: "ar", From: 9}},
		{"bot added to the group", models.Update{MyChatMember: &models.ChatMemberUpdated{Chat: group, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeLeft, 1, false),
			NewChatMember: chatMember(models.ChatMemberTypeMember, 1, false)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, Lang: "ar", From: 9}},
		{"bot removed from a channel", models.Update{MyChatMember: &models.ChatMemberUpdated{
			Chat: models.Chat{ID: -200, Type: models.ChatTypeChannel}, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeAdministrator, 1, false),
			NewChatMember: chatMember(models.ChatMemberTypeLeft, 1, false)}}, false, conversation.Update{}},
		{"volunteer joins", models.Update{ChatMember: &models.ChatMemberUpdated{Chat: group, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeLeft, 12, false),
			NewChatMember: chatMember(models.ChatMemberTypeMember, 12, false)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, From: 12}},
		{"volunteer leaves", models.Update{ChatMember: &models.ChatMemberUpdated{Chat: group, From: models.User{ID: 12}, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeMember, 12, false),
			NewChatMember: chatMember(models.ChatMemberTypeLeft, 12, false)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, From: 12, Left: true}},
		{"volunteer banned", models.Update{ChatMember: &models.ChatMemberUpdated{Chat: group, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeMember, 12, false),
			NewChatMember: chatMember(models.ChatMemberTypeBanned, 12, false)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, From: 12, Left: true}},
		{"volunteer restricted, still a member", models.Update{ChatMember: &models.ChatMemberUpdated{Chat: group, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeMember, 12, false),
			NewChatMember: chatMember(models.ChatMemberTypeRestricted, 12, true)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, From: 12}},
		{"volunteer restricted, no longer a member", models.Update{ChatMember: &models.ChatMemberUpdated{Chat: group, From: *person, Date: 1,
			OldChatMember: chatMember(models.ChatMemberTypeRestricted, 12, true),
			NewChatMember: chatMember(models.ChatMemberTypeRestricted, 12, false)}}, true,
			conversation.Update{Chat: -100, Kind: conversation.KindMember, From: 12, Left: true}},
	}
	for i, tc := range cases {
		tc.in.ID = int64(100 + i)
		tc.want.ID = tc.in.ID
		got, ok := fromLibrary(t, tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s:\n got %+v %v\nwant %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// chatMember is a ChatMember of user with status, as the library encodes it.
func chatMember(status models.ChatMemberType, user int64, isMember bool) models.ChatMember {
	u := &models.User{ID: user, FirstName: "V"}
	m := models.ChatMember{Type: status}
	switch status {
	case models.ChatMemberTypeAdministrator:
		m.Administrator = &models.ChatMemberAdministrator{User: *u}
	case models.ChatMemberTypeMember:
		m.Member = &models.ChatMemberMember{User: u}
	case models.ChatMemberTypeRestricted:
		m.Restricted = &models.ChatMemberRestricted{User: u, IsMember: isMember}
	case models.ChatMemberTypeLeft:
		m.Left = &models.ChatMemberLeft{User: u}
	case models.ChatMemberTypeBanned:
		m.Banned = &models.ChatMemberBanned{User: u}
	}
	return m
}

// The fake's getFile answers and documents have the library's shapes, with
// no field the library does not know: tests against the fake hold.
func TestFakeFileShapesMatchTheLibrary(t *testing.T) {
	tg := telegramtest.New()
	defer tg.Close()
	tg.SendDocumentData(9, "horaires.yaml", "application/yaml", []byte("a: b\n"))
	c := NewClient(tg.URL(), tg.Token(), nil)
	ctx := context.Background()
	var us []struct {
		Message struct {
			Document json.RawMessage `json:"document"`
		} `json:"message"`
	}
	if err := c.Call(ctx, "getUpdates", &getUpdates{AllowedUpdates: allowedUpdates}, &us); err != nil || len(us) != 1 {
		t.Fatal(us, err)
	}
	var d models.Document
	strict(t, "document", us[0].Message.Document, &d)
	if d.FileID == "" || d.FileUniqueID == "" || d.FileName != "horaires.yaml" || d.MimeType != "application/yaml" || d.FileSize != 5 {
		t.Errorf("document %+v", d)
	}
	var raw json.RawMessage
	if err := c.Call(ctx, "getFile", &getFile{FileID: d.FileID}, &raw); err != nil {
		t.Fatal(err)
	}
	var f models.File
	strict(t, "getFile", raw, &f)
	if f.FileID != d.FileID || f.FileUniqueID != d.FileUniqueID || f.FileSize != 5 || f.FilePath == "" {
		t.Errorf("file %+v", f)
	}
	var lean file
	if err := json.Unmarshal(raw, &lean); err != nil || lean.FileSize != f.FileSize || lean.FilePath != f.FilePath {
		t.Errorf("lean %+v %v", lean, err)
	}
}
