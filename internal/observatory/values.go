package observatory

import (
	"fmt"
	"strconv"
	"time"
)

// The values the observatory knows. Anything outside these lists is either
// folded into a catch-all ("" or "other") or refused (an unknown kind), so
// no free text can ever reach a key or a field.

// Kinds are the events counted, in the order the exports list them.
var Kinds = []string{
	"conversation",  // a conversation started
	"resources",     // a screen with services shown
	"emergency",     // an emergency screen shown
	"handoff_asked", // the person asked to write to a volunteer
	"ticket_taken",  // a volunteer took the ticket
	"ticket_closed", // the ticket was closed
	"feedback_yes",  // "did it help?": yes
	"feedback_some", // "did it help?": a little
	"feedback_no",   // "did it help?": no
}

// Needs are the needs of the orientation menu, then "other" for anything
// else, including a need not (yet) chosen.
var Needs = []string{"psy", "medical", "legal", "deuil", "menace", "proche", "other"}

// Langs are the languages of the bot, then "" for any other or none.
var Langs = []string{"fr", "ar", ""}

// Arrondissements are Marseille's sixteen arrondissements, then "" when the
// person did not say (or said something that is not one).
var Arrondissements = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", ""}

// Timers are the durations observed as histograms: "wait" from queued to
// taken by a volunteer, "handling" from taken to closed.
var Timers = []string{"wait", "handling"}

// Buckets are the upper bounds of the histogram buckets; the last bucket
// has no upper bound.
var Buckets = []time.Duration{5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour}

// bucketCodes name the buckets in the stored hash field, one more than
// Buckets.
var bucketCodes = []string{"lt5m", "lt15m", "lt30m", "lt1h", "lt2h", "lt4h", "ge4h"}

// bucketOf returns the index of the bucket of d.
func bucketOf(d time.Duration) int {
	for i, b := range Buckets {
		if d < b {
			return i
		}
	}
	return len(Buckets)
}

// normalize checks an event's values: known kinds only, anything else folded
// into the catch-all of its dimension.
func normalize(e Event) (Key, error) {
	k := Key{Lang: e.Lang, Need: e.Need, Arrondissement: e.Arrondissement, Kind: e.Kind}
	if !contains(Kinds, k.Kind) {
		return Key{}, fmt.Errorf("observatory: unknown kind %q", e.Kind)
	}
	if !contains(Langs, k.Lang) {
		k.Lang = ""
	}
	if !contains(Needs, k.Need) {
		k.Need = "other"
	}
	if n, err := strconv.Atoi(k.Arrondissement); err != nil || n < 1 || n > 16 || strconv.Itoa(n) != k.Arrondissement {
		k.Arrondissement = ""
	}
	return k, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// French labels, for what admins and the public read.

var needLabels = map[string]string{
	"psy":     "Soutien psychologique",
	"medical": "Soins médicaux",
	"legal":   "Droits, plainte",
	"deuil":   "Deuil",
	"menace":  "Menaces",
	"proche":  "Inquiet pour un proche",
	"other":   "Autre ou non dit",
}

// needShort are the needs' labels on the charts, short enough for a phone.
var needShort = map[string]string{
	"psy":     "Psy",
	"medical": "Médical",
	"legal":   "Droits",
	"deuil":   "Deuil",
	"menace":  "Menaces",
	"proche":  "Proche",
	"other":   "Autre",
}

var kindLabels = map[string]string{
	"conversation":  "Conversations commencées",
	"resources":     "Services montrés",
	"emergency":     "Écrans d'urgence",
	"handoff_asked": "Demandes de bénévole",
	"ticket_taken":  "Prises en charge",
	"ticket_closed": "Échanges clos",
	"feedback_yes":  "Avis : ça a aidé",
	"feedback_some": "Avis : un peu",
	"feedback_no":   "Avis : pas aidé",
}

var langLabels = map[string]string{"fr": "Français", "ar": "Arabe", "": "Autre ou non dit"}

var timerLabels = map[string]string{"wait": "Attente d'un·e bénévole", "handling": "Durée de l'échange"}

var bucketLabels = []string{"< 5 min", "5–15 min", "15–30 min", "30 min–1 h", "1–2 h", "2–4 h", "> 4 h"}

func arrLabel(a string) string {
	switch a {
	case "":
		return "Non dit"
	case "1":
		return "1er"
	}
	return a + "e"
}
