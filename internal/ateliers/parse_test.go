package ateliers

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

const form = `type: groupe
titre fr: Groupe des parents
titre ar: مجموعة الأولياء
pour fr: Parents et proches
pour ar: الأولياء والأقارب
besoins: psy, deuil
langues: fr, ar
date: 2026-12-03 18:00
durée: 90
lieu fr: Maison des familles, 12 rue Abc
lieu ar: دار العائلات، 12 شارع Abc
lieu la veille: non`

func TestParse(t *testing.T) {
	s, probs := Parse(form, paris, now, nil)
	if len(probs) != 0 {
		t.Fatalf("problems %v", probs)
	}
	want := thursday()
	if s.Kind != want.Kind || !s.Start.Equal(want.Start) || s.Minutes != 90 || s.Came != -1 || s.PlaceLater ||
		!slices.Equal(s.Needs, []string{"psy", "deuil"}) || !slices.Equal(s.Langs, want.Langs) ||
		fmt.Sprint(s.Title, s.Audience, s.Place) != fmt.Sprint(want.Title, want.Audience, want.Place) {
		t.Errorf("parsed %+v", s)
	}
	// A phone's way of typing: case, spaces, "duree", a French date, CRLF.
	s, probs = Parse("TYPE : Permanence\r\nTitre  FR: Droits\r\ntitre ar: حقوق\r\nlangues: ar\r\ndate: 03/12/2026 9:30\r\n"+
		"duree: 60\r\nlieu fr: Ici\r\nlieu ar: هنا\r\nlieu la veille: oui", paris, now, nil)
	if len(probs) != 0 || s.Kind != "permanence" || !s.PlaceLater || s.Minutes != 60 || s.Start.In(paris).Hour() != 9 {
		t.Errorf("phone form: %+v %v", s, probs)
	}
}

func TestParseProblems(t *testing.T) {
	long := strings.Repeat("é", MaxTitle+1)
	for _, c := range []struct {
		text string
		want []Problem
	}{
		{"type: groupe\nsalle: 3\ntitre\n", []Problem{{2, "salle", CodeUnknownKey}, {3, "titre", CodeSyntax}}},
		{strings.Replace(form, "type: groupe", "type: fête", 1), []Problem{{1, "type", CodeKind}}},
		{strings.Replace(form, "titre ar: مجموعة الأولياء", "titre ar: Groupe", 1), []Problem{{3, "titre ar", CodeNotArabic}}},
		{strings.Replace(form, "titre fr: Groupe des parents", "titre fr: مجموعة", 1), []Problem{{2, "titre fr", CodeNotLatin}}},
		{strings.Replace(form, "titre fr: Groupe des parents", "titre fr: "+long, 1), []Problem{{2, "titre fr", CodeTooLongTitle}}},
		{strings.Replace(form, "lieu fr: Maison des familles, 12 rue Abc", "lieu fr: "+strings.Repeat("a", 201), 1), []Problem{{10, "lieu fr", CodeTooLong}}},
		{strings.Replace(form, "2026-12-03 18:00", "2026-11-20 18:00", 1), []Problem{{8, "date", CodePast}}},
		{strings.Replace(form, "2026-12-03 18:00", "3 décembre", 1), []Problem{{8, "date", CodeDate}}},
		{strings.Replace(form, "durée: 90", "durée: 600", 1), []Problem{{9, "durée", CodeDuration}}},
		{strings.Replace(form, "psy, deuil", "psy, argent", 1), []Problem{{6, "besoins", CodeNeeds}}},
		{strings.Replace(form, "fr, ar", "fr, en", 1), []Problem{{7, "langues", CodeLangs}}},
		{strings.Replace(form, "lieu la veille: non", "lieu la veille: peut-être", 1), []Problem{{12, "lieu la veille", CodeYesNo}}},
		{strings.Replace(form, "pour ar: الأولياء والأقارب\n", "", 1), []Problem{{0, "pour ar", CodeMissing}}},
		{strings.Replace(form, "lieu ar: دار العائلات، 12 شارع Abc\n", "", 1), []Problem{{0, "lieu ar", CodeMissing}}},
		{form + "\ndurée: 60", []Problem{{13, "durée", CodeDuplicate}}},
		{strings.Replace(form, "durée: 90", "durée:", 1), []Problem{{9, "durée", CodeEmpty}}},
	} {
		_, got := Parse(c.text, paris, now, nil)
		if len(got) > len(c.want) && c.want[0].Code == CodeUnknownKey {
			got = got[:len(c.want)] // and the keys missing
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q:\n got %v\nwant %v", c.text, got, c.want)
		}
	}
	// A blank form: every required key.
	_, got := Parse("", paris, now, nil)
	if len(got) != 8 {
		t.Errorf("blank form: %v", got)
	}
}

func TestParseChange(t *testing.T) {
	base := thursday()
	base.ID = "K7F2"
	s, probs := Parse("date: 2026-12-04 18:30\nlieu fr: Autre salle\nlieu ar: قاعة أخرى\npour fr:\npour ar:", paris, now, &base)
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	if s.ID != "K7F2" || s.Title["fr"] != "Groupe des parents" || s.Place["fr"] != "Autre salle" || s.Audience["fr"] != "" ||
		!s.Start.Equal(time.Date(2026, 12, 4, 18, 30, 0, 0, paris)) {
		t.Errorf("changed %+v", s)
	}
	if base.Place["fr"] != "Maison des familles, 12 rue Abc" || base.Audience["fr"] == "" {
		t.Errorf("the base was written into: %+v", base)
	}
	// Only one language of a pair.
	if _, probs := Parse("pour fr:", paris, now, &base); !slices.Equal(probs, []Problem{{1, "pour fr", CodeMissing}}) {
		t.Errorf("half a pair: %v", probs)
	}
}

func TestEveryCodeHasWords(t *testing.T) {
	b := bundle(t)
	for _, lang := range []string{"fr", "ar", "en"} {
		for _, code := range Codes {
			id := "admin_ateliers_problem_" + code
			if got := b.T(lang, id, map[string]string{"key": "x"}); got == id {
				t.Errorf("%s: no %s", lang, id)
			}
		}
	}
}
