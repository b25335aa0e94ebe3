package search

import (
	"maps"
	"slices"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// plainTerms is the set of terms of a body that appendPlainBody takes, or
// false when it declines.
func plainTerms(src []byte) (map[string]bool, bool) {
	raw, ok := appendPlainBody(nil, src)
	if !ok || !checkPlainFolded(appendFold(nil, raw, nil)) {
		return nil, false
	}
	return termSet(string(raw)), true
}

// parsedTerms is the set of terms of the text the parser makes of a body.
func parsedTerms(src []byte) map[string]bool {
	return termSet(string(appendBodyText(nil, markdown.New(), src)))
}

func termSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, t := range Terms(text) {
		set[t] = true
	}
	return set
}

// checkPlainBody fails when appendPlainBody takes src but gives other
// terms than the parser's text, and tells whether it took it.
func checkPlainBody(t *testing.T, src []byte) bool {
	t.Helper()
	got, ok := plainTerms(src)
	if !ok {
		return false
	}
	if want := parsedTerms(src); !maps.Equal(got, want) {
		var extra, missing []string
		for w := range got {
			if !want[w] {
				extra = append(extra, w)
			}
		}
		for w := range want {
			if !got[w] {
				missing = append(missing, w)
			}
		}
		slices.Sort(extra)
		slices.Sort(missing)
		t.Errorf("the shortcut reads %q with terms %q the parser's text lacks, and without %q", src, extra, missing)
	}
	return true
}

// TestPlainBodyAgrees holds the shortcut of the index for plain bodies to
// the parser's text: same terms for every body it takes, on a table of
// Markdown constructs, the fixture, the sample and 2,000 synthetic CQPs,
// of which it must take most (else the index is slow again).
func TestPlainBodyAgrees(t *testing.T) {
	for _, c := range []struct {
		src  string
		take bool
	}{
		{"Souder des pièces.\n\nDeux paragraphes.", true},
		{"## Titre ##\n\nTexte.\n\nTitre\n=====\n\nAutre\n---\n\n***\n- - -\n", true},
		{"- un agent-logistique\n- deux\n+ trois\n* quatre\n  - imbriqué\n", true},
		{"Le **tuteur désigné** et *l'agent* ou __le chef__, _la cheffe_.", true},
		{"Consulter la [fiche RNCP12345](https://www.francecompetences.fr/recherche/rncp/12345/).", true},
		{"Voir [agent-logistique](cqp:agent-logistique) et [la branche](branche:metallurgie).", true},
		{"Un [lien]() vide, des (parenthèses) et [crochets] sans lien.", true},
		{"**agent**-logistique", false},      // the compound would join
		{"agent-**logistique**", false},      // idem
		{"[agent](cqp:x)-logistique", false}, // idem
		{"sou**dure**", false},               // emphasis inside a word
		{"snake_case et a_b", false},         // an underscore inside a word
		{"[fiche](url)s", false},             // a link glued to a word
		{"[texte](url \"titre\")", false},    // a title: not read
		{"[texte] (url)", true},              // no link: brackets and parentheses stay
		{"[a\n\nb](url)", false},             // no link across paragraphs
		{"[a [b] c](url)", false},            // nested brackets
		{"[ref][x]\n\n[x]: https://a.fr", false},
		{"![image](a.png)", false},
		{"Écrire à contact@branche.fr", false},
		{"Voir www.branche.fr ou https://branche.fr", false},
		{"Un `code` et ~~barré~~", false},
		{"1. premier\n2. second", false},
		{"    du code indenté", false},
		{"\tdu code indenté", false},
		{"> une citation", false},
		{"a | b\n--|--\nc | d", false},
		{"&amp; \\* <b>gras</b>", false},
	} {
		if got := checkPlainBody(t, []byte(c.src)); got != c.take {
			t.Errorf("appendPlainBody(%q) takes it: %v, want %v", c.src, got, c.take)
		}
	}
	for _, cat := range []struct {
		name string
		n    int
	}{{"fixture", 0}, {"sample", 0}, {"synthetic", 2000}} {
		c := fixture(t)
		switch cat.name {
		case "sample":
			c = sample(t)
		case "synthetic":
			c = synthetic(t, cat.n)
		}
		taken := 0
		for _, q := range c.CQPs {
			if checkPlainBody(t, q.Source.Body) {
				taken++
			}
		}
		t.Logf("%s: the shortcut takes %d bodies of %d", cat.name, taken, len(c.CQPs))
		if cat.name == "synthetic" && taken < len(c.CQPs)*3/4 {
			t.Errorf("%s: the shortcut takes %d bodies of %d, want three quarters at least", cat.name, taken, len(c.CQPs))
		}
	}
}

// FuzzPlainBody looks for a body that the shortcut takes with other terms
// than the parser's; make test runs the seeds.
func FuzzPlainBody(f *testing.F) {
	for _, s := range []string{
		"Le **tuteur** et [la fiche](https://a.fr/b).", "## Titre\n\n- agent-logistique\n", "a*b*c", "[x](y)z",
		"_a_-b", "*** \n---\n", "é**x**", "e\u0301*x*", "[a]\n(b)", "Titre\n===\n", "# a #\n", "l'[agent](x)",
		"- **Souder** les [pièces](cqp:x).\n  - *sous-ensemble*\n\n## Accès\n\nTexte_libre.",
		"* [a](b) *c* _d_\n+ e\n-  f\n\n    g", "1) un\n- 2. deux", "a\r\nb\r\n", "__*x*__-y z", "[*a*](b)c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkPlainBody(t, []byte(s))
	})
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "Soudeur", "Opérateur « qualité » – 2ᵉ niveau", `a "b" \c`, "ligne\nsuivante\t\x01",
		"\u2028\u2029", "\xff\xfeinvalide", "<&>", "\x7f", "émoji 😀"} {
		want, err := marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got[1:], want)
		}
	}
}
