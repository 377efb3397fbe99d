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
			true, conversation.Update{ID: 1, Chat: 9, MsgID: 3, Kind: conversation.KindText, Text: "/retour", Lang: "ar"}},
		{"command with argument", `{"update_id":2,"message":{"message_id":4,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"/langue@B ar","entities":[{"type":"bot_command","offset":0,"length":9}]}}`,
			true, conversation.Update{ID: 2, Chat: 9, MsgID: 4, Kind: conversation.KindText, Text: "/langue ar"}},
		{"emoji before command: not a command", `{"update_id":3,"message":{"message_id":5,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"😀 /aide","entities":[{"type":"bot_command","offset":3,"length":5}]}}`,
			true, conversation.Update{ID: 3, Chat: 9, MsgID: 5, Kind: conversation.KindText, Text: "😀 /aide"}},
		{"sticker", `{"update_id":4,"message":{"message_id":6,"from":{"id":9},"chat":{"id":9,"type":"private"},"sticker":{"file_id":"x"}}}`,
			true, conversation.Update{ID: 4, Chat: 9, MsgID: 6, Kind: conversation.KindOther}},
		{"button", `{"update_id":5,"callback_query":{"id":"q1","from":{"id":9,"language_code":"fr"},"message":{"message_id":7,"chat":{"id":9,"type":"private"}},"data":"abc"}}`,
			true, conversation.Update{ID: 5, Chat: 9, Kind: conversation.KindButton, Data: "abc", CallbackID: "q1", Lang: "fr"}},
		{"group message ignored", `{"update_id":6,"message":{"message_id":8,"from":{"id":9},"chat":{"id":-100,"type":"supergroup"},"text":"hi"}}`,
			false, conversation.Update{ID: 6, Chat: -100}},
		{"edited message ignored", `{"update_id":7,"edited_message":{"message_id":8,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"hi"}}`,
			false, conversation.Update{ID: 7}},
		{"entity longer than text", `{"update_id":8,"message":{"message_id":9,"from":{"id":9},"chat":{"id":9,"type":"private"},"text":"/a","entities":[{"type":"bot_command","offset":0,"length":50}]}}`,
			true, conversation.Update{ID: 8, Chat: 9, MsgID: 9, Kind: conversation.KindText, Text: "/a"}},
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
