package flow

import (
	"strings"
	"testing"
)

func TestCardLeavesOutMissingFieldsAndKeepsArabicRightToLeft(t *testing.T) {
	r := &Resource{Name: Text{"fr": "SAMU", "ar": "الإسعاف"}, Phone: "15", SMS: "114",
		Hours: Text{"fr": "24 h/24", "ar": "على مدار الساعة"}}
	fr := r.Card("fr")
	if fr != "▪️ SAMU\n☎️ 15\n💬 SMS 114\n🕒 24 h/24" {
		t.Errorf("French card:\n%s", fr)
	}
	for _, line := range strings.Split(r.Card("ar"), "\n") {
		if !strings.HasPrefix(line, "\u200f") {
			t.Errorf("Arabic card line %q does not start with a right-to-left mark", line)
		}
	}
}
