package triage

import (
	"strings"
	"testing"
)

func newClassifier(t testing.TB, lex Lexicon) *Classifier {
	t.Helper()
	c, err := New(lex)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClassify(t *testing.T) {
	c := newClassifier(t, nil)
	tests := []struct {
		name, text, want string
	}{
		// French inflections: feminine, plural, verb forms, SMS.
		{"feminine", "je suis menacée", Danger},
		{"plural", "ils sont armés", Danger},
		{"verb third plural", "ils nous menacent", Danger},
		{"imperfect", "ils menaçaient ma fille", Danger},
		{"phrase plural", "des coups de feu cette nuit", Danger},
		{"phrase with a gap", "ils veulent vraiment me tuer", Danger},
		{"sms contraction", "jsuis en danger", Danger},
		{"sms au", "o secour", Danger},
		{"repeated letters", "au secoursssss", Danger},
		{"typo deletion", "je suis en dangé", Danger},
		{"typo substitution", "c'est une urgance", Danger},
		{"capitals", "ILS ONT TIRÉ", Danger},
		{"elision without apostrophe", "jai une arme pointee sur moi", Danger},
		// Suicide, and the phrase winning over the word inside it.
		{"want to die", "je veux mourir", Suicide},
		{"kill myself", "je vais me tuer", Suicide},
		{"en finir", "jveux en finir", Suicide},
		{"no longer live", "je n'ai plus envie de vivre", Suicide},
		{"kill me is danger", "ils vont me tuer", Danger},
		// Arabic: clitics, suffixes, hamza and ta marbuta forms, tatweel.
		{"ar pronoun suffix", "هددوني", Danger},
		{"ar feminine", "أنا مهددة", Danger},
		{"ar feminine plain ha", "انا مهدده", Danger},
		{"ar plural", "أسلحة", Danger},
		{"ar conjunction and article", "والرصاص", Danger},
		{"ar imperfect and suffix", "بغاو يقتلوني", Danger},
		{"ar durative", "كيهددوني", Danger},
		{"ar geminate root", "الشبكة كتهدد ولدي", Danger},
		{"ar tatweel", "خـــطـــر", Danger},
		{"ar diacritics", "يُهَدِّدُونَنِي", Danger},
		{"ar help me", "ساعدوني", Danger},
		{"ar suicide", "بغيت نموت", Suicide},
		{"ar kill myself", "نقتل روحي", Suicide},
		// Darija in Latin letters: Arabizi digits, the l/el article, vowels.
		{"arabizi 5", "5atar", Danger},
		{"article l", "rani fi lkhatar", Danger},
		{"arabizi 9", "bghaw y9atlouni", Danger},
		{"arabizi q", "bghaw yqetlouni", Danger},
		{"arabizi 7", "3andou sla7", Danger},
		{"arabizi 3", "3awnouni", Danger},
		{"latin suicide", "bghit nmout", Suicide},
		{"mixed", "wallah rani f danger", Danger},
		// Negation and minimisers cancel.
		{"pas urgent", "c'est pas urgent", ""},
		{"rien de grave", "rien de grave, c'est pour un dossier", ""},
		{"pas une urgence", "ce n'est pas une urgence", ""},
		{"not in danger", "je ne suis pas en danger", ""},
		{"nobody threatened", "personne ne m'a menacé", ""},
		{"ar negation", "ماشي خطر", ""},
		{"ar negation two words", "لا يوجد خطر", ""},
		{"darija negation", "machi khatar", ""},
		{"a minimiser spares a strong term", "c'est pas urgent mais ils ont tiré sur mon frère", Danger},
		{"negation does not reach far", "je sais pas ils ont tiré", Danger},
		// Harmless senses.
		{"eviction", "je suis menacée d'expulsion", ""},
		{"hospital", "mon fils est aux urgences", ""},
		{"pencil", "قلم رصاص", ""},
		{"tennis", "une balle de tennis", ""},
		{"killed time", "j'ai tué le temps", ""},
		{"army", "mon mari est dans l'armée", ""},
		{"crossed my mind", "خطر ببالي سؤال", ""},
		{"joke", "mort de rire", ""},
		{"legal aid", "je voudrais l'aide juridictionnelle", ""},
		{"third person suicide", "mon frère s'est suicidé l'an dernier", ""},
		{"tu is not tuer", "tu peux m'aider à remplir le dossier", ""},
		{"a tear is not a weapon", "j'ai une larme", ""},
		{"housework is not a threat", "je fais le ménage", ""},
		{"a small word holds its neighbour", "on a vu un film a mort de rire", ""},
		{"a skeleton needs more than its consonants", "sakna f 13", ""},
		{"ar person prefix under an exact term", "شكون يقدر يعاوني في الملف", ""},
		{"eviction, any threat of loss", "je suis menacée de perdre mon logement", ""},
		{"a threat of death stands", "il m'a menacée de mort", Danger},
		{"empty", "", ""},
		{"only punctuation", "?!", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := c.Classify(tc.text)
			if m.Class != tc.want {
				t.Errorf("Classify(%q) = %q (fired %v, cancelled %v), want %q", tc.text, m.Class, m.Fired, m.Cancelled, tc.want)
			}
			if m.Class != "" && len(m.Fired) == 0 {
				t.Errorf("Classify(%q) = %q with nothing fired", tc.text, m.Class)
			}
		})
	}
}

func TestAdminTerms(t *testing.T) {
	c := newClassifier(t, Lexicon{
		Danger:        {French: {"trafic d'armes"}, Latin: {"chkoupi"}},
		"disparition": {French: {"!introuvable"}, Arabic: {"هرب"}},
	})
	for text, want := range map[string]string{
		"chkoupi":                              Danger,
		"ma fille est introuvable":             "disparition",
		"ولدي هربوا":                           "disparition",
		"rien de grave, ils sont introuvables": "disparition", // strong: a minimiser does not cancel it
	} {
		if m := c.Classify(text); m.Class != want {
			t.Errorf("Classify(%q) = %q %v, want %q", text, m.Class, m.Fired, want)
		}
	}
	if got := strings.Join(c.Classes(), ","); got != "danger,suicide,disparition" {
		t.Errorf("Classes() = %s", got)
	}
	if _, err := New(Lexicon{Danger: {French: {" ?! "}}}); err == nil {
		t.Error("a term with no letter was accepted")
	}
	if _, err := New(Lexicon{Danger: {"en": {"kill"}}}); err == nil {
		t.Error("an unknown writing was accepted")
	}
}

func TestFiredNamesTheWords(t *testing.T) {
	m := newClassifier(t, nil).Classify("ils m'ont menacée")
	if len(m.Fired) == 0 || !strings.Contains(m.Fired[0], "menacee") {
		t.Errorf("Fired = %v, want the word as read", m.Fired)
	}
	m = newClassifier(t, nil).Classify("c'est pas urgent")
	if len(m.Cancelled) == 0 || !strings.Contains(m.Cancelled[0], "pas") {
		t.Errorf("Cancelled = %v, want the negation named", m.Cancelled)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"ils veulent me tuer", "هددوني", "rani f lkhatar", "c'est pas urgent", "5atar 3awnouni",
		"ééééé", "ـــــ", "\xff\xfe", "a b c d e f g", "personne ne", "ما", "ma kayn"} {
		f.Add(s)
	}
	c := newClassifier(f, nil)
	classes := map[string]bool{"": true, Danger: true, Suicide: true}
	f.Fuzz(func(t *testing.T, s string) {
		m := c.Classify(s)
		if !classes[m.Class] {
			t.Fatalf("Classify(%q) = unknown class %q", s, m.Class)
		}
		if m.Class != "" && len(m.Fired) == 0 {
			t.Fatalf("Classify(%q) = %q with nothing fired", s, m.Class)
		}
		if again := c.Classify(s); again.Class != m.Class {
			t.Fatalf("Classify(%q) not deterministic: %q then %q", s, m.Class, again.Class)
		}
	})
}

var sink Match

func BenchmarkClassify(b *testing.B) {
	c := newClassifier(b, nil)
	for _, bc := range []struct{ name, text string }{
		{"ordinary fr", "bonjour je voudrais des informations pour porter plainte"},
		{"alarm fr", "ils veulent me tuer ils sont devant ma porte"},
		{"ordinary ar", "السلام عليكم بغيت نهضر مع شي واحد"},
		{"alarm latin", "rani f lkhatar bghaw yqetlouni"},
		{"long", strings.Repeat("mon fils a des problèmes à l'école depuis la rentrée ", 8)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = c.Classify(bc.text)
			}
		})
	}
}
