package search

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/synth"
)

// agreeScript prints, for each text it reads, core.js's fold and terms,
// and the stem of each term.
const agreeScript = `
const core = require('./js/core.js');
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(texts.map((t) => {
  const terms = core.terms(t);
  return {fold: core.fold(t), terms, stems: terms.map(core.stem), compact: core.compact(t)};
})));
`

// TestJSAgreesWithGo runs core.js on every text of the sample catalogue
// and of a synthetic one: the index is built by Go and queried by
// JavaScript, so a word that the two sides analyse differently is a word
// nobody can find.
func TestJSAgreesWithGo(t *testing.T) {
	texts := sampleTexts(t)
	fsys, err := synth.FS(synth.Options{N: 300, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	cat, list := catalog.Load(fsys, catalog.Options{Today: today})
	if list.Errors() > 0 {
		t.Fatalf("synthetic catalogue:\n%s", list)
	}
	for _, q := range cat.CQPs {
		texts = append(texts, q.Title, q.Summary, string(q.Source.Body), q.Code, q.Registration.Number.Value)
		texts = append(texts, q.Keywords...)
		for _, b := range q.Blocks {
			texts = append(texts, b.Title, b.Code.Value)
			texts = append(texts, b.Skills...)
		}
	}
	texts = append(texts, fixtureTexts...)
	in, _ := json.Marshal(texts)
	cmd := exec.Command(node(t), "-e", agreeScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	var got []struct {
		Fold    string   `json:"fold"`
		Terms   []string `json:"terms"`
		Stems   []string `json:"stems"`
		Compact string   `json:"compact"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(texts) {
		t.Fatalf("node analysed %d texts of %d", len(got), len(texts))
	}
	words := 0
	for i, text := range texts {
		if f := Fold(text); got[i].Fold != f {
			t.Errorf("fold of %.60q: Go %.60q, JS %.60q", text, f, got[i].Fold)
		}
		terms := Terms(text)
		if !slices.Equal(got[i].Terms, terms) && (len(terms) > 0 || len(got[i].Terms) > 0) {
			t.Errorf("terms of %.60q: Go %q, JS %q", text, terms, got[i].Terms)
			continue
		}
		for k, term := range terms {
			if s := Stem(term); got[i].Stems[k] != s {
				t.Errorf("stem of %q: Go %q, JS %q", term, s, got[i].Stems[k])
			}
			words++
		}
		if c := Compact(text); got[i].Compact != c {
			t.Errorf("compact of %.60q: Go %q, JS %q", text, c, got[i].Compact)
		}
	}
	t.Logf("%d texts, %d words: Go and JavaScript agree", len(texts), words)
}
