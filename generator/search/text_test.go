package search

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/catalog"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Électricité":       "electricite",
		"ŒUVRE et cœur":     "oeuvre et coeur",
		"Ex æquo":           "ex aequo",
		"Garçon":            "garcon",
		"L’entreprise":      "l’entreprise",
		"RNCP37890BC01":     "rncp37890bc01",
		"Opératrice":        "operatrice",
		"e\u0301lectricite": "electricite", // a decomposed accent
		"ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸ":  "aaaceeeeiioouuuy",
		"déjà vu":           "deja vu",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldIsCatalogFold holds the character-at-a-time Fold equal to
// catalog.Fold, which sorts the site: on every character of the Basic
// Multilingual Plane and on every text of the sample catalogue.
func TestFoldIsCatalogFold(t *testing.T) {
	for r := rune(0); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := "a" + string(r) + "B"
		if got, want := Fold(s), catalog.Fold(s); got != want {
			t.Fatalf("Fold(%q) = %q, catalog.Fold = %q", s, got, want)
		}
	}
	for _, s := range sampleTexts(t) {
		if got, want := Fold(s), catalog.Fold(s); got != want {
			t.Fatalf("Fold(%q) = %q, catalog.Fold = %q", s, got, want)
		}
	}
}

// sampleTexts are every title, summary, skill, keyword and body of the
// sample catalogue.
func sampleTexts(t testing.TB) []string {
	cat := sample(t)
	var out []string
	for _, q := range cat.CQPs {
		out = append(out, q.Title, q.Summary, string(q.Source.Body), q.Code)
		out = append(out, q.Keywords...)
		for _, j := range q.Jobs {
			out = append(out, j.Title)
		}
		for _, b := range q.Blocks {
			out = append(out, b.Title)
			out = append(out, b.Skills...)
		}
	}
	for _, b := range cat.Branches {
		out = append(out, b.Name, string(b.Source.Body))
	}
	return out
}

func TestStemJoinsInflections(t *testing.T) {
	for _, group := range [][]string{
		{"operateur", "operateurs", "operatrice", "operatrices"},
		{"technicien", "techniciens", "technicienne", "techniciennes"},
		{"conducteur", "conducteurs", "conductrice", "conductrices"},
		{"soudeur", "soudeurs", "soudeuse", "soudeuses"},
		{"agent", "agents", "agente", "agentes"},
		{"national", "nationaux", "nationale", "nationales"},
		{"materiau", "materiaux"},
		{"travail", "travaux"},
		{"bureau", "bureaux"},
		{"animateur", "animatrice"},
		{"ouvrier", "ouvriere", "ouvrieres"},
		{"chaudronnier", "chaudronniere"},
		{"professionnel", "professionnelle", "professionnels"},
		{"preventif", "preventive", "preventives"},
		{"dangereux", "dangereuse"},
		{"chef", "cheffe", "cheffes"},
		{"qualite", "qualites"},
		{"soude", "soudee", "soudees"},
		{"metier", "metiers"},
		{"regleur", "regleuse"},
		{"patron", "patronne"},
		{"muet", "muette"},
		{"superieur", "superieure"},
	} {
		want := Stem(group[0])
		for _, w := range group[1:] {
			if got := Stem(w); got != want {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want the same", w, got, group[0], want)
			}
		}
	}
	// Different words stay apart.
	for _, pair := range [][2]string{
		{"soudure", "soudeur"},
		{"soudage", "soudure"},
		{"conduite", "conducteur"},
		{"maintenance", "mainteneur"},
	} {
		if Stem(pair[0]) == Stem(pair[1]) {
			t.Errorf("Stem(%q) = Stem(%q) = %q", pair[0], pair[1], Stem(pair[0]))
		}
	}
	// Codes and short words are left alone.
	for _, w := range []string{"rncp37890", "h2903", "bus", "gaz", "cn", "eaux"[:3]} {
		if got := Stem(w); got != w {
			t.Errorf("Stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

func TestTerms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"L'entreprise", []string{"entreprise"}},
		{"l’entreprise d’accueil", []string{"entreprise", "accueil"}},
		{"Agent-logistique", []string{"agent", "logistique", "agentlogistique"}},
		{"éco-conception.", []string{"eco", "conception", "ecoconception"}},
		{"(semi-automatique)", []string{"semi", "automatique", "semiautomatique"}},
		{"l'agent-logistique", []string{"agent", "logistique"}},
		{"Conducteur de ligne", []string{"conducteur", "ligne"}},
		{"RNCP37890BC01 — bloc 1", []string{"rncp37890bc01", "bloc"}},
		{"Soudeur / soudeuse", []string{"soudeur", "soudeuse"}},
		{"a b c de la pour", nil},
		{"MQ 2006 10 69 0268", []string{"mq", "2006", "10", "69", "0268"}},
		{"niveau 4", []string{"niveau"}},
		{"Produit/process", []string{"produit", "process"}},
		{"", nil},
	} {
		got := Terms(c.in)
		if len(got) == 0 {
			got = nil
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Terms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCompact(t *testing.T) {
	for in, want := range map[string]string{
		"MQ 2006 10 69 0268": "mq200610690268",
		"CQPM-0268":          "cqpm0268",
		"RNCP37890":          "rncp37890",
		"2000 04 59/35 0186": "20000459350186",
	} {
		if got := Compact(in); got != want {
			t.Errorf("Compact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStopWords(t *testing.T) {
	sw := StopWords()
	if !slices.IsSorted(sw) || len(slices.Compact(slices.Clone(sw))) != len(sw) {
		t.Error("StopWords is not sorted without duplicates")
	}
	for _, w := range sw {
		if w != Fold(w) || len(Words(w)) != 1 {
			t.Errorf("stop word %q is not one folded word", w)
		}
	}
	for _, w := range []string{"plan", "poste", "cqp", "vae", "cpf", "niveau", "bloc"} {
		if IsStopWord(w) {
			t.Errorf("%q is a stop word: visitors search it", w)
		}
	}
}

// textFixture is testdata/text.json: the analysis of a table of texts
// that js/core.test.mjs checks core.js against, so that both sides agree
// without Go at hand. go test -run TestTextFixture -update rewrites it.
type textFixture struct {
	StopWords []string       `json:"stopWords"`
	Fold      [][2]string    `json:"fold"`
	Stem      [][2]string    `json:"stem"`
	Compact   [][2]string    `json:"compact"`
	Terms     []termsFixture `json:"terms"`
}

type termsFixture struct {
	In    string   `json:"in"`
	Terms []string `json:"terms"`
}

// fixtureTexts are the inputs of the shared fixture: the cases above, and
// words that exercise every rule of the stemmer.
var fixtureTexts = []string{
	"Électricité", "ŒUVRE et cœur", "Ex æquo", "Garçon", "L’entreprise", "e\u0301lectricite",
	"ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸ", "İstanbul", "Straße", "ǅemal", "ﬁn", "Ωmega", "𝐀lpha beta", "x\u00a0y", "a\u2003b",
	"Agent-logistique", "éco-conception.", "(semi-automatique)", "l'agent-logistique", "a--b", "-début fin-",
	"RNCP37890BC01 — bloc 1", "MQ 2006 10 69 0268", "Produit/process", "aujourd'hui", "qu'il", "jusqu'à",
	"Opérateur, opératrice, opérateurs, opératrices", "Technicien(ne)s techniciennes",
	"conductrice conducteurs", "soudeuse soudeurs", "agente agentes", "nationaux nationales",
	"matériaux travaux bureaux chevaux eaux", "animatrice ouvrière chaudronnière professionnelle",
	"préventive dangereux dangereuse cheffe qualités soudées métiers régleuse patronne muette supérieure",
	"process procès bus gaz cas eau yeux rail email détails", "trice actrice matrice", "idée idées",
	"chaudronnerie chaudronnier soudage soudure tuyauterie", "1er 2e 3ème h2903 rncp 37890",
}

func buildTextFixture() textFixture {
	fx := textFixture{StopWords: StopWords()}
	seen := map[string]bool{}
	for _, in := range fixtureTexts {
		fx.Fold = append(fx.Fold, [2]string{in, Fold(in)})
		fx.Compact = append(fx.Compact, [2]string{in, Compact(in)})
		terms := Terms(in)
		fx.Terms = append(fx.Terms, termsFixture{In: in, Terms: append([]string{}, terms...)})
		for _, w := range Words(Fold(in)) {
			if !seen[w] {
				seen[w] = true
				fx.Stem = append(fx.Stem, [2]string{w, Stem(w)})
			}
		}
	}
	return fx
}

func TestTextFixture(t *testing.T) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(buildTextFixture()); err != nil {
		t.Fatal(err)
	}
	const path = "testdata/text.json"
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("%s is not the Go analysis of its texts (go test -run TestTextFixture -update)", path)
	}
}
