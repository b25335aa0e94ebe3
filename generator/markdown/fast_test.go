package markdown

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"

	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// fastResolve resolves every site link but those whose target ends in "3"
// or contains "inconnu", so that the corpus has links of both kinds.
func fastResolve(scheme, target string) (string, bool) {
	if strings.HasSuffix(target, "3") || strings.Contains(target, "inconnu") {
		return "", false
	}
	switch scheme {
	case SchemeCQP:
		return "cqp/" + target + "/index.html", true
	case SchemeBranch:
		return "branches/" + target + "/index.html", true
	}
	return target + "/index.html", true
}

// fastContexts are the pages a body is checked for: at the root and
// below, headings kept or shifted up and down, and reserved ids that the
// corpus's headings take ("debouches", "prerequis-et-organisation"…).
var fastContexts = func() []Context {
	reserved := []string{"contacts", "blocs", "debouches", "prerequis", "prerequis-et-organisation",
		"acces-a-la-certification", "evolutions-possibles", "evolutions-possibles-2", "section", "titre"}
	var cs []Context
	for _, dir := range []string{"", "cqp/x"} {
		for _, top := range []int{0, 2, 3} {
			cs = append(cs, Context{Dir: dir, Resolve: fastResolve, TopHeading: top, ReservedIDs: reserved})
		}
	}
	cs = append(cs, Context{Dir: "cqp/x", TopHeading: 1}) // no resolver: site links lose their link
	return cs
}()

// checkFast fails when renderFast takes src for c with other bytes than
// goldmark's, or when its minified form is not what publish.MinifyFragment
// makes of goldmark's bytes or is declined where the other is taken; it
// tells whether renderFast took src. (The test imports publish, which must
// never import markdown.)
func checkFast(t *testing.T, src []byte, c Context) bool {
	t.Helper()
	got, ok := renderFast(src, c, false)
	gotMin, okMin := renderFast(src, c, true)
	if okMin != ok {
		t.Errorf("renderFast(%q) for %+v takes it: %v, minified: %v", src, c, ok, okMin)
	}
	if !ok {
		return false
	}
	want, err := renderGoldmark(New(), src, c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("renderFast(%q) for %+v:\n%s\ngoldmark:\n%s", src, c, got, want)
	}
	if okMin {
		// The minifier may rewrite its input in place.
		wantMin, err := publish.MinifyFragment(bytes.Clone(want))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gotMin, wantMin) {
			t.Errorf("renderFast(%q) minified for %+v:\n%q\nMinifyFragment:\n%q", src, c, gotMin, wantMin)
		}
	}
	return true
}

// corpus returns the bodies of the sample catalogue and of a synthetic one
// of n CQPs (with its branches).
func corpus(t testing.TB, n int) (sample, synthetic [][]byte) {
	t.Helper()
	_, bodies := sitetest.Corpus(t, "../..", n)
	paths, _ := filepath.Glob("../../content/*/*.md")
	k := len(paths) + 1 // and content/_index.md
	if len(paths) == 0 || len(bodies) <= k {
		t.Fatalf("corpus: %d sample files, %d bodies", len(paths), len(bodies))
	}
	return bodies[:k], bodies[k:]
}

// TestFastAgrees holds renderFast to goldmark: the same bytes for every
// body it takes, on a table of constructs, on the sample catalogue and on
// 1,000 synthetic CQPs, for several pages; and it must take nearly all of
// the synthetic bodies, or Render is slow again.
func TestFastAgrees(t *testing.T) {
	for _, tt := range []struct {
		src  string
		take bool
	}{
		{"", true},
		{"Un paragraphe.\nSur deux lignes.\n\nUn autre.", true},
		{"# Titre\n\n## Sous-titre\n### Détail\nTexte.\n## Sous-titre\n", true},
		{"## Débouchés\n\n## Prérequis\n\n## Titre\n\n## !!!\n\n## Œuvre & cœur", true},
		{"- un\n- deux\n* trois\n\nTexte.\n- quatre\n# Titre\n- cinq", true},
		{"Le **tuteur désigné** et *l'agent* ou __le chef__, _la cheffe_ : **a *b* c** et *a **b** c*.", true},
		{"**Paragraphe\nsur deux lignes**.\n\n« **x** » et «\u00a0**x**\u00a0» et «**x**».", true},
		{"snake_case, a_b_c, 2 * 3 = 6, a ** b, ** et __ ou _ .", true},
		{"a __.", false}, // an opener, never closed
		{"Voir [la fiche](https://www.francecompetences.fr/recherche/rncp/1/), [ici](cqp:cqp-0002), [là](cqp:cqp-0003).", true},
		{"[**gras**](branche:metallurgie) et **[lien](page:vae)** et [_a_ b](#ancre) [rel](../x/) [mail](mailto:a@b.fr)", true},
		{"Des \"guillemets\", R&D et A & B, (parenthèses) {accolades} 100 % ; #dièse.", true},
		{"   \n\nLigne\n    \n", true},
		{"2024 : une date. 1 an.", true},
		{"Titre\n===", false},
		{"Titre\n---", false},
		{"***\n", false},
		{"0\n-:", false}, // a table
		{"a\n:-:", false},
		{"- - -", false},
		{"1. un\n2. deux", false},
		{"2) deux", false},
		{"+ plus", false},
		{"- un\n\n- deux", false},
		{"- un\nsuite", false},
		{"- un\n  - deux", false},
		{"- ", false},
		{"-", false},
		{"- # titre", false},
		{"# ", false},
		{"#", false},
		{"#titre", false},
		{"####### sept", false},
		{"## Titre ##", false},
		{"##  Titre", false},
		{"    code", false},
		{" texte", false},
		{"ligne  \nsuite", false},
		{"ligne\\\nsuite", false},
		{"\ttab", false},
		{"a\r\nb", false},
		{"> citation", false},
		{"`code`", false},
		{"~~barré~~", false},
		{"a | b", false},
		{"<b>gras</b>", false},
		{"&amp;", false},
		{"&#39;", false},
		{"&eacute; et &x;", false},
		{"\\*", false},
		{"www.example.org", false},
		{"https://example.org", false},
		{"contact@example.org", false},
		{"![image](a.png)", false},
		{"[ref][x]\n\n[x]: https://a.fr", false},
		{"[crochets] seuls", false},
		{"[x](javascript:alert(1))", false},
		{"[x](url \"titre\")", false},
		{"[x](<url>)", false},
		{"[x](a%20b)", false},
		{"[x](file:///etc/passwd)", false},
		{"[a\nb](x)", false},
		{"**a*b**", false},
		{"***a***", false},
		{"sou**dure**", false},
		{"*a **b* c**", false},
		{"**a", false},
		{"a**", false},
		{"_a_b", false},
		{"\xff", false},
	} {
		c := Context{Dir: "cqp/x", Resolve: fastResolve, TopHeading: 2, ReservedIDs: []string{"titre"}}
		if got := checkFast(t, []byte(tt.src), c); got != tt.take {
			t.Errorf("renderFast(%q) takes it: %v, want %v", tt.src, got, tt.take)
		}
	}
	sample, synthetic := corpus(t, 1000)
	for _, set := range []struct {
		name   string
		bodies [][]byte
	}{{"sample", sample}, {"synthetic", synthetic}} {
		taken := 0
		for _, src := range set.bodies {
			n := 0
			for _, c := range fastContexts {
				if checkFast(t, src, c) {
					n++
				}
			}
			if n != 0 && n != len(fastContexts) {
				t.Errorf("renderFast takes %q for %d contexts of %d", src, n, len(fastContexts))
			}
			if n != 0 {
				taken++
			}
		}
		t.Logf("%s: renderFast takes %d bodies of %d", set.name, taken, len(set.bodies))
		if set.name == "synthetic" && taken < len(set.bodies)*95/100 {
			t.Errorf("%s: renderFast takes %d bodies of %d, want 95%% at least", set.name, taken, len(set.bodies))
		}
	}
}

// TestFastMinified pins the minified form on the minifier's rules
// (fastmin.go): white space collapsed and trimmed around blocks, entities
// decoded where the minifier decodes them, a link's trailing space, an
// empty <em>. checkFast holds each to publish.MinifyFragment as well.
func TestFastMinified(t *testing.T) {
	c := Context{Dir: "cqp/x", Resolve: fastResolve, TopHeading: 2}
	for _, tt := range []struct{ src, want string }{
		{"Un  paragraphe.\nSur deux lignes.\n\nUn autre.", "<p>Un paragraphe.\nSur deux lignes.</p><p>Un autre.</p>"},
		{"# Titre\n- un\n- *deux*\n\nTexte.", `<h2 id="titre">Titre</h2><ul><li>un</li><li><em>deux</em></li></ul><p>Texte.</p>`},
		{"R&D & co &\"x\" &[b](cqp:inconnu) [a&](cqp:inconnu)b &", `<p>R&amp;D & co &"x" &amp;b a&amp;b &</p>`},
		{"[a ](cqp:x3)\nb et a\n[ b](cqp:x3)", "<p>a\nb et a\nb</p>"},
		{"a [ b](x) c [d ](x) e [f ](x)\ng [h  ](x)  i", `<p>a <a href="x">b</a> c <a href="x">d </a>e <a href="x">f </a>g <a href="x">h </a>i</p>`},
		{"# a [b ](x)\n- [*a* ](x)\n- [a ](x) [b](y)", `<h2 id="a-b-x">a <a href="x">b</a></h2><ul><li><a href="x"><em>a</em></a></li><li><a href="x">a </a><a href="y">b</a></li></ul>`},
		{"a\n*b*\n*c*", "<p>a\n<em>b</em>\n<em>c</em></p>"},
		{"a *[](cqp:inconnu)* b *[ ](cqp:inconnu)* c **d** [ ](cqp:inconnu) e", "<p>a <em></em> b <em></em>c <strong>d</strong> e</p>"},
		{"&[#1](cqp:inconnu) &[ #](cqp:inconnu)\n\n[ a](cqp:inconnu)\n- [ b ](cqp:inconnu)", "<p>&amp;#1 & #</p><p>a</p><ul><li>b</li></ul>"},
	} {
		if !checkFast(t, []byte(tt.src), c) {
			t.Errorf("renderFast(%q) declines it", tt.src)
			continue
		}
		if got, _ := renderFast([]byte(tt.src), c, true); string(got) != tt.want {
			t.Errorf("renderFast(%q) minified:\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

// TestRenderMinified checks RenderMinified's two paths on the sample
// catalogue and on bodies the fast path declines: minified and so
// reported when renderFast takes the body, Render's output otherwise.
func TestRenderMinified(t *testing.T) {
	sample, _ := corpus(t, 1)
	bodies := append(sample, []byte("> citation"), []byte("a | b\n--|--\n1 | 2"), []byte("Du **texte**  et [un lien](page:vae)."))
	md := New()
	for _, src := range bodies {
		for _, c := range fastContexts {
			normal, err := Render(md, src, c)
			if err != nil {
				t.Fatal(err)
			}
			got, minified, err := RenderMinified(md, src, c)
			if err != nil {
				t.Fatal(err)
			}
			_, fast := renderFast(src, c, false)
			want := normal
			if fast {
				if want, err = publish.MinifyFragment(bytes.Clone(normal)); err != nil {
					t.Fatal(err)
				}
			}
			if minified != fast || !bytes.Equal(got, want) {
				t.Errorf("RenderMinified(%q) for %+v = %v,\n%q\nwant %v,\n%q", src, c, minified, got, fast, want)
			}
		}
	}
	if _, minified, _ := RenderMinified(md.(instance).Markdown, []byte("Texte."), Context{}); minified {
		t.Error("RenderMinified minifies with another goldmark instance than New's")
	}
}

// TestRenderTakesFastPath checks that Render takes renderFast's path for
// New's instance only, seen in its allocations: those of renderFast, not
// the dozens of goldmark's.
func TestRenderTakesFastPath(t *testing.T) {
	src := []byte("Du **texte** et [un lien](page:vae).\n\n- un\n- deux\n")
	c := Context{Resolve: fastResolve}
	allocs := func(render func() ([]byte, error)) float64 {
		return testing.AllocsPerRun(10, func() {
			if _, err := render(); err != nil {
				t.Fatal(err)
			}
		})
	}
	fast := allocs(func() ([]byte, error) {
		out, _ := renderFast(src, c, false)
		return out, nil
	})
	md := New()
	slow := allocs(func() ([]byte, error) { return renderGoldmark(md, src, c) })
	if fast >= slow {
		t.Fatalf("renderFast makes %v allocations, goldmark %v", fast, slow)
	}
	for _, md := range []struct {
		name string
		md   goldmark.Markdown
		want float64
	}{{"New", md, fast}, {"goldmark", md.(instance).Markdown, slow}} {
		if got := allocs(func() ([]byte, error) { return Render(md.md, src, c) }); got != md.want {
			t.Errorf("Render with %s makes %v allocations, want %v (renderFast %v, goldmark %v)", md.name, got, md.want, fast, slow)
		}
	}
}

// FuzzFast looks for a body that renderFast takes with other bytes than
// goldmark's; make test runs the seeds.
func FuzzFast(f *testing.F) {
	sample, synthetic := corpus(f, 20)
	for _, src := range append(sample, synthetic...) {
		f.Add(string(src))
	}
	for _, s := range []string{
		"**a*b**", "_a_b", "a_b_", "[x](cqp:missing)", "[x](cqp:inconnu)", "[x](javascript:alert(1))",
		"## !!!\n\n## ???", "## Titre\n\n## Titre\n\n## Titre", "# ", "#", "## Titre ##", "## Titre#", "# #",
		"- ", "-", "- un\nsuite", "- un\n\nsuite", "- un\n- deux\n\n- trois", "   \n  \n", "a\n   \nb",
		"« **x** »", "«\u00a0**x**\u00a0»", "«\u202f*x*\u202f»", "\u00a0**x**", "**x**\u00a0", "a\u00a0_b_",
		"*a*b", "a*b*", "**a**b", "_a_", "__a__b", "(**a**)", "**(a)**", "*[a](b)*", "[*a*](b)", "[*a](b)*",
		"**a\nb**", "*a\n*", "* *a*", "*a\n* b", "Texte\n- item", "Texte\n* item", "- a\n* b", "- a\n# b",
		"[a](b)c", "[](x)", "[a]()", "[a](b)(c)", "[a] (b)", "R&D", "&x;", "&#1;", "&&;", "a\"b", "[\"a\"](b)",
		"http:/a", "w.www.", "WWW.A.FR", "a:b", "[a](http:b)", "[a](mailto:x@y.fr)", "[a](data:x)",
		"0\n-:", "a\n:-", "a\n :-: ", "1 an", "1.5 an", "10) a", "\ufeff# Titre", "# Titre\n===", "Titre\n- - -", "a\n__\nb", "a\n=\n",
		// The minified form: spaces, soft breaks, entities, spans at line ends.
		"a  b", "a  \"b\"  &  c", "&\"", "&a", "& a", "&\n", "&*a*", "*&*", "R&D\n&", "[&](x)", "[a&](cqp:inconnu)b",
		"a [ b](x) c", "[a ](x) b", "[a ](x)\nb", "[a  ](x)  b", "[a ](x) [b](y)", "[*a* ](x)", "[a ](cqp:x3)\nb", "a\n[ b](cqp:x3)",
		"a\n*b*", "*a*\n*b*", "**a**\nb", "a *b*\n[c](x)\nd", "*[](cqp:inconnu)* b", "a *[ ](cqp:inconnu)* b", "**a** [ ](cqp:inconnu) b", "&[#1](cqp:inconnu)", "a\n\n[ b](cqp:inconnu)",
		"# a [b ](x)\n## *c*\n- [d ](x)\n- e  f\n\ng\nh", "- [a](x)\n- *b*\n* c\n\n# d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, src := range [][]byte{[]byte(s), fuzzTokens(s)} {
			for _, c := range fastContexts[2:4] {
				checkFast(t, src, c)
			}
		}
	})
}

// fuzzTokens reads s as a list of choices among pieces of the subset and
// what borders it, so that the fuzzer makes bodies renderFast takes as
// often as bodies it declines: random bytes would nearly always make it
// decline at once.
func fuzzTokens(s string) []byte {
	tokens := [...]string{
		"a", "b", "é", " ", "  ", "\n", "\n\n", "# ", "## ", "###### ", "- ", "* ", "*", "**", "***", "_", "__",
		"[", "]", "](cqp:x)", "](cqp:inconnu)", "](https://a.fr/b_c*d)", "](#x)", "(", ")", ".", ",", "«", "»",
		"\u00a0", "\u202f", "\"", "&", "!", "#", "1", "1. ", "2) ", ":", "-", "=", "'", "+ ", "’", "…", "😀",
		"Titre", "e\u0301",
	}
	var b []byte
	for i := range len(s) {
		b = append(b, tokens[int(s[i])%len(tokens)]...)
	}
	return b
}

// BenchmarkRender renders the synthetic bodies with goldmark alone, with
// Render's fast path, with it then publish.MinifyFragment (what a minified
// build did) and with RenderMinified's fast path (what it does): one op is
// one body.
func BenchmarkRender(b *testing.B) {
	_, bodies := corpus(b, 500)
	c := Context{Dir: "cqp/x", Resolve: fastResolve, TopHeading: 2, ReservedIDs: []string{"contacts", "blocs"}}
	md := New()
	for _, bench := range []struct {
		name   string
		render func(src []byte) ([]byte, error)
	}{
		{"goldmark", func(src []byte) ([]byte, error) { return renderGoldmark(md, src, c) }},
		{"fast", func(src []byte) ([]byte, error) { return Render(md, src, c) }},
		{"fast+minifier", func(src []byte) ([]byte, error) {
			out, err := Render(md, src, c)
			if err != nil {
				return nil, err
			}
			return publish.MinifyFragment(out)
		}},
		{"minified", func(src []byte) ([]byte, error) {
			out, _, err := RenderMinified(md, src, c)
			return out, err
		}},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for _, src := range bodies {
				size += len(src)
			}
			b.SetBytes(int64(size / len(bodies)))
			i := 0
			for b.Loop() {
				if _, err := bench.render(bodies[i%len(bodies)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
