package ateliers

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/boussole/boussole/internal/i18n"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// now is the tests' clock: Wednesday 25 November 2026, 15:00 in Paris.
var now = time.Date(2026, 11, 25, 15, 0, 0, 0, paris)

func bundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// thursday is a session on Thursday 3 December 2026, 18:00–19:30.
func thursday() Session {
	return Session{
		Kind:     "groupe",
		Title:    map[string]string{"fr": "Groupe des parents", "ar": "مجموعة الأولياء"},
		Audience: map[string]string{"fr": "Parents et proches", "ar": "الأولياء والأقارب"},
		Needs:    []string{"deuil", "psy"},
		Langs:    []string{"fr", "ar"},
		Start:    time.Date(2026, 12, 3, 18, 0, 0, 0, paris),
		Minutes:  90,
		Place:    map[string]string{"fr": "Maison des familles, 12 rue Abc", "ar": "دار العائلات، 12 شارع Abc"},
		Came:     -1,
	}
}
