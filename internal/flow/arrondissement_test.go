package flow

import "testing"

func TestArrondissement(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" means "prefer not to say"
	}{
		{"13", "13"}, {" 3 ", "3"}, {"03", "3"}, {"13e", "13"}, {"13ème", "13"}, {"13 ème", "13"},
		{"13eme", "13"}, {"13EME", "13"}, {"le 13", "13"}, {"Le 13e", "13"}, {"dans le 15", "15"},
		{"1er", "1"}, {"16e arrondissement", "16"}, {"13013", "13"}, {"13001", "1"}, {"13016", "16"},
		{"١٣", "13"}, {"۱۳", "13"}, {"الدائرة 13", "13"}, {"في 15", "15"}, {"j'habite dans le 14", "14"},
		{"Marseille 13", "13"}, {"arrondissement 2", "2"},
		{"0", ""}, {"17", ""}, {"99", ""}, {"13017", ""}, {"13100", ""}, {"06000", ""}, {"", ""},
		{"non", ""}, {"quartiers nord", ""}, {"Vitrolles", ""}, {"13 et 14", ""}, {"3 ou 4", ""},
		{"mon fils a été tué la semaine dernière", ""},
		{"mon fils a été tué la semaine dernière, je ne sais pas quoi faire, on habite le 13", ""},
		{"قتلوا ولدي الأسبوع الماضي", ""}, {"le 13 mais je veux pas dire", ""}, {"+13", "13"}, {"1.3", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := Arrondissement(tc.in)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("Arrondissement(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}
