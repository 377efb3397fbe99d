package i18n

import (
	"fmt"
	"strings"
	"testing"

	"github.com/boussole/boussole/internal/flow"
)

func TestSummary(t *testing.T) {
	b := newBundle(t)
	s := flow.Summary{
		Added:      []string{"merci"},
		Changed:    []string{"besoin", "info"},
		Texts:      map[string][]string{"ar": {"besoin", "info"}},
		Coverage:   flow.Coverage{Total: 50, Done: map[string]int{"fr": 50, "ar": 48}},
		ResRemoved: []string{"ancien"},
		ToVerify:   []string{"local"},
	}
	want := strings.Join([]string{
		"➕ 1 écran ajouté : merci",
		"✏️ 2 écrans modifiés : besoin, info",
		"✏️ textes modifiés (ar) : besoin, info",
		"➖ 1 service supprimé : ancien",
		"🌐 Traduction : fr 100 %, ar 96 %",
		"🔎 1 service à vérifier (vérifié il y a plus d'un an, ou jamais) : local",
	}, "\n")
	if got := b.Summary("fr", s); got != want {
		t.Errorf("fr:\n%s\nwant:\n%s", got, want)
	}
	if got, want := b.SummaryLine("fr", s), "2 écrans modifiés, 1 écran ajouté; 1 service supprimé; textes ar : 2"; got != want {
		t.Errorf("line fr: %q, want %q", got, want)
	}
	if got, want := b.SummaryLine("en", s), "2 screens changed, 1 screen added; 1 service removed; texts ar: 2"; got != want {
		t.Errorf("line en: %q, want %q", got, want)
	}
	ar := b.Summary("ar", s)
	for _, w := range []string{"➕ شاشة واحدة مضافة: merci", "✏️ شاشتان معدّلتان: besoin، info", "الترجمة: fr 100٪، ar 96٪"} {
		if !strings.Contains(ar, w) {
			t.Errorf("ar: no %q in\n%s", w, ar)
		}
	}

	// Long lists are cut.
	var ids []string
	for i := range 11 {
		ids = append(ids, fmt.Sprintf("n%02d", i))
	}
	long := b.Summary("fr", flow.Summary{Removed: ids})
	if want := "➖ 11 écrans supprimés : n00, n01, n02, n03, n04, n05, n06, n07 … (+3)"; long != want {
		t.Errorf("long list: %q, want %q", long, want)
	}
	if !strings.HasSuffix(b.Summary("ar", flow.Summary{Removed: ids}), "n07 … (+3)") {
		t.Errorf("ar long list: %q", b.Summary("ar", flow.Summary{Removed: ids}))
	}

	// No change: said, with the coverage and what to verify all the same.
	none := flow.Summary{Coverage: flow.Coverage{Total: 4, Done: map[string]int{"fr": 4, "ar": 4}}, ToVerify: []string{"a", "b"}}
	want = "Aucun changement\n🌐 Traduction : fr 100 %, ar 100 %\n🔎 2 services à vérifier (vérifiés il y a plus d'un an, ou jamais) : a, b"
	if got := b.Summary("fr", none); got != want {
		t.Errorf("none:\n%s\nwant:\n%s", got, want)
	}
	if got := b.Summary("fr", flow.Summary{}); got != "Aucun changement" {
		t.Errorf("empty: %q", got)
	}
	if got := b.SummaryLine("ar", none); got != "لا تغيير" {
		t.Errorf("none line ar: %q", got)
	}
	for _, lang := range catalogLangs {
		for _, got := range []string{b.Summary(lang, s), b.SummaryLine(lang, s), b.Summary(lang, flow.Summary{Removed: ids})} {
			if strings.Contains(got, "flows_") || strings.Contains(got, "<no value>") {
				t.Errorf("%s: %q", lang, got)
			}
		}
	}
}
