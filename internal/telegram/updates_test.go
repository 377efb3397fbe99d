package telegram

import (
	"encoding/json"
	"testing"

	"github.com/boussole/boussole/internal/conversation"
)

func TestConvert(t *testing.T) {
	cases := []struct {
		name string
		raw  string
		ok   bool
		want conversation.Update
	}{
		{"command with bot name", `{"update_id":1,"message":{"message_id":3,"from":{"id":9,"language_code":"ar"},"chat":{"id":9,"type":"private"},"text":"/Retour@BoussoleBot","entities":[{"type":"bot_command","offset":0,"length":19}]}}`,
			true, conversation.Update{ID: 1, Chat: 9, MsgID: 3, Kind: conversation.KindText, Text: "/retour", Lang: "ar", From: 9, Private: true, Copyable: true}},
		{"command with argument", `{"update_id":2,"message":{"message_id":4,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"/langue@B ar","entities":[{"type":"bot_command","offset":0,"length":9}]}}`,
			true, conversation.Update{ID: 2, Chat: 9, MsgID: 4, Kind: conversation.KindText, Text: "/langue ar", From: 9, Private: true, Copyable: true}},
		{"emoji before command: not a command", `{"update_id":3,"message":{"message_id":5,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"😀 /aide","entities":[{"type":"bot_command","offset":3,"length":5}]}}`,
			true, conversation.Update{ID: 3, Chat: 9, MsgID: 5, Kind: conversation.KindText, Text: "😀 /aide", From: 9, Private: true, Copyable: true}},
		{"sticker", `{"update_id":4,"message":{"message_id":6,"from":{"id":9},"chat":{"id":9,"type":"private"},"sticker":{"file_id":"x"}}}`,
			true, conversation.Update{ID: 4, Chat: 9, MsgID: 6, Kind: conversation.KindOther, From: 9, Private: true, Media: "sticker", Copyable: true}},
		{"button", `{"update_id":5,"callback_query":{"id":"q1","from":{"id":9,"language_code":"fr"},"message":{"message_id":7,"chat":{"id":9,"type":"private"}},"data":"abc"}}`,
			true, conversation.Update{ID: 5, Chat: 9, Kind: conversation.KindButton, Data: "abc", CallbackID: "q1", Lang: "fr", From: 9, Private: true}},
		{"group message", `{"update_id":6,"message":{"message_id":8,"from":{"id":9},"chat":{"id":-100,"type":"supergroup"},"text":"hi","reply_to_message":{"message_id":4,"chat":{"id":-100,"type":"supergroup"},"date":1}}}`,
			true, conversation.Update{ID: 6, Chat: -100, MsgID: 8, Kind: conversation.KindText, Text: "hi", From: 9, Copyable: true, ReplyTo: 4}},
		{"edited message", `{"update_id":7,"edited_message":{"message_id":8,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"hi"}}`,
			true, conversation.Update{ID: 7, Chat: 9, MsgID: 8, Kind: conversation.KindText, Text: "hi", From: 9, Private: true, Copyable: true, Edited: true}},
		{"message of a bot ignored", `{"update_id":9,"message":{"message_id":8,"from":{"id":7,"is_bot":true},"chat":{"id":-100,"type":"supergroup"},"text":"hi"}}`,
			false, conversation.Update{ID: 9, Chat: -100}},
		{"channel post ignored", `{"update_id":10,"channel_post":{"message_id":8,"chat":{"id":-200,"type":"channel"},"text":"hi"}}`,
			false, conversation.Update{ID: 10}},
		{"message in a channel ignored", `{"update_id":11,"message":{"message_id":8,"from":{"id":9},"chat":{"id":-200,"type":"channel"},"text":"hi"}}`,
			false, conversation.Update{ID: 11, Chat: -200}},
		{"tap in a channel answered, not handled", `{"update_id":12,"callback_query":{"id":"q2","from":{"id":9},"message":{"message_id":7,"chat":{"id":-200,"type":"channel"}},"data":"abc"}}`,
			false, conversation.Update{ID: 12, CallbackID: "q2"}},
		{"tap on an inline message answered, not handled", `{"update_id":13,"callback_query":{"id":"q3","from":{"id":9},"inline_message_id":"x","data":"abc"}}`,
			false, conversation.Update{ID: 13, CallbackID: "q3"}},
		{"service message", `{"update_id":14,"message":{"message_id":8,"from":{"id":9},"chat":{"id":-100,"type":"supergroup"},"new_chat_members":[{"id":9}]}}`,
			true, conversation.Update{ID: 14, Chat: -100, MsgID: 8, Kind: conversation.KindOther, From: 9, Media: "other"}},
		{"entity longer than text", `{"update_id":8,"message":{"message_id":9,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"/a","entities":[{"type":"bot_command","offset":0,"length":50}]}}`,
			true, conversation.Update{ID: 8, Chat: 9, MsgID: 9, Kind: conversation.KindText, Text: "/a", From: 9, Private: true, Copyable: true}},
	}
	for _, tc := range cases {
		var u update
		if err := json.Unmarshal([]byte(tc.raw), &u); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, ok := convert(&u)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s:\n got %+v %v\nwant %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// The log names an update by its kind only: never its text or caption.
func TestUpdateTypeNamesNoContent(t *testing.T) {
	for _, tc := range []struct {
		u    conversation.Update
		want string
	}{
		{conversation.Update{Kind: conversation.KindText, Text: "mon adresse"}, "text"},
		{conversation.Update{Kind: conversation.KindText, Text: "/retour"}, "command:retour"},
		{conversation.Update{Kind: conversation.KindText, Text: "/retour", Edited: true}, "edit"},
		{conversation.Update{Kind: conversation.KindOther, Media: "photo", Text: "ma carte", Caption: true}, "photo"},
		{conversation.Update{Kind: conversation.KindOther, Media: "photo", Text: "ma carte", Caption: true, Edited: true}, "edit"},
		{conversation.Update{Kind: conversation.KindOther}, "media"},
		{conversation.Update{Kind: conversation.KindButton, Data: "d:take:1"}, "button"},
		{conversation.Update{Kind: conversation.KindMember, Private: true, Blocked: true}, "blocked"},
		{conversation.Update{Kind: conversation.KindMember, Private: true}, "unblocked"},
		{conversation.Update{Kind: conversation.KindMember, Blocked: true}, "bot removed"},
		{conversation.Update{Kind: conversation.KindMember, Left: true}, "member left"},
		{conversation.Update{Kind: conversation.KindMember}, "member"},
	} {
		if got := updateType(tc.u); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.u, got, tc.want)
		}
	}
}
