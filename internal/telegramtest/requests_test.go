package telegramtest

import (
	"net/url"
	"strings"
	"testing"
)

func TestRequestsForPrivacyScans(t *testing.T) {
	s := newServer(t)
	s.AddGroup(desk, "Desk")
	s.AddChat(20)
	s.SendText(10, "help", FirstName("Zoé"), LastName("Martin"), Username("zoem"))
	// A JSON-escaped name in a keyboard, a plain name in a text.
	callJSON(t, s, "sendMessage", map[string]any{"chat_id": desk, "text": "New ticket",
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Take", "callback_data": "take:1"}}}}})
	callForm(t, s, "sendMessage", url.Values{"chat_id": {"20"}, "text": {"case 1"},
		"reply_markup": {`{"inline_keyboard":[[{"text":"Z\u00f6e Martin","callback_data":"u:10"}]]}`}})
	callJSON(t, s, "copyMessage", map[string]any{"chat_id": 20, "from_chat_id": 10, "message_id": 1})
	callJSON(t, s, "getUpdates", nil)

	reqs := s.Requests()
	if len(reqs) != 4 || reqs[0].Method != "sendMessage" || reqs[0].ChatID != desk || !reqs[0].OK ||
		reqs[3].Method != "getUpdates" || reqs[3].ChatID != 0 {
		t.Fatalf("requests = %+v", reqs)
	}
	for _, r := range s.RequestsTo(desk) {
		for _, secret := range []string{"Zoé", "Martin", "zoem", "10"} {
			if secret != "10" && r.Contains(secret) {
				t.Fatalf("group request %s leaks %q:\n%s", r.Method, secret, r.Text)
			}
		}
	}
	vol := s.RequestsTo(20)
	if len(vol) != 2 || !vol[0].Contains("zöe martin") || !vol[0].Contains("u:10") || vol[1].Method != "copyMessage" {
		t.Fatalf("volunteer requests = %+v", vol)
	}
	if !strings.Contains(vol[0].Text, "reply_markup.inline_keyboard.0.0.text: Zöe Martin\n") {
		t.Fatalf("decoded text = %s", vol[0].Text)
	}
}
