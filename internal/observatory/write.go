package observatory

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"
)

// CSVHeader is the header line of WriteCSV, in its stable column order.
var CSVHeader = []string{"du", "au", "tableau", "ligne_code", "ligne", "colonne_code", "colonne", "valeur", "note"}

// WriteCSV writes p as one CSV (UTF-8, comma-separated, a header line): one
// line per cell of every grid, in the grids' order. A hidden cell has an
// empty value and the reason in the note column; a published one its
// rounded value and no note.
func WriteCSV(w io.Writer, p Published) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	from, to := dateOf(p.From), dateOf(p.To)
	for _, g := range p.Grids {
		for i, r := range g.Rows {
			for j, c := range g.Cols {
				v := g.Cells[i][j]
				n, note := strconv.FormatInt(v.N, 10), ""
				if v.Hidden {
					n, note = "", noteOf(v)
				}
				if err := cw.Write([]string{from, to, g.Code, r.Code, r.Name, c.Code, c.Name, n, note}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// noteOf says why a cell is hidden.
func noteOf(v Value) string {
	if v.Reason == ReasonComplement {
		return "masqué en complément (sinon une case masquée se déduirait d'un total)"
	}
	return "masqué : moins de 11 personnes"
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(paris).Format("2006-01-02")
}

type jsonCell struct {
	Valeur *int64 `json:"valeur"`
	Note   string `json:"note,omitempty"`
}

type jsonGrid struct {
	Code     string       `json:"code"`
	Titre    string       `json:"titre"`
	Lignes   []jsonLabel  `json:"lignes"`
	Colonnes []jsonLabel  `json:"colonnes"`
	Cases    [][]jsonCell `json:"cases"`
}

type jsonLabel struct {
	Code    string `json:"code"`
	Libelle string `json:"libelle"`
}

type jsonExport struct {
	Du       string     `json:"du"`
	Au       string     `json:"au"`
	Seuil    int        `json:"seuil"`
	Arrondi  int        `json:"arrondi"`
	Rapport  string     `json:"rapport"`
	Tableaux []jsonGrid `json:"tableaux"`
}

// WriteJSON writes p as one JSON document (UTF-8): the period, the rules,
// the French report, then every grid with its rows, columns and cells
// ("cases", [row][column]); a hidden cell is {"valeur": null, "note": why}.
func WriteJSON(w io.Writer, p Published) error {
	out := jsonExport{Du: dateOf(p.From), Au: dateOf(p.To), Seuil: MinCount, Arrondi: RoundTo, Rapport: p.Report.Text, Tableaux: []jsonGrid{}}
	for _, g := range p.Grids {
		jg := jsonGrid{Code: g.Code, Titre: g.Title, Lignes: jsonLabels(g.Rows), Colonnes: jsonLabels(g.Cols)}
		for _, row := range g.Cells {
			jr := make([]jsonCell, len(row))
			for j, v := range row {
				if v.Hidden {
					jr[j] = jsonCell{Note: noteOf(v)}
				} else {
					n := v.N
					jr[j] = jsonCell{Valeur: &n}
				}
			}
			jg.Cases = append(jg.Cases, jr)
		}
		out.Tableaux = append(out.Tableaux, jg)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func jsonLabels(ls []Label) []jsonLabel {
	out := make([]jsonLabel, len(ls))
	for i, l := range ls {
		out[i] = jsonLabel{Code: l.Code, Libelle: l.Name}
	}
	return out
}
