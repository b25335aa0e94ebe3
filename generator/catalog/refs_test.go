package catalog

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/markdown"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// sampleBodies returns the Markdown bodies of the sample catalogue and of a
// small synthetic one.
func sampleBodies(t testing.TB) [][]byte {
	_, bodies := sitetest.Corpus(t, "../..", 60)
	return bodies
}

// refsCases are bodies at the edges of what simpleRefs takes.
var refsCases = []string{
	"", "texte\n", "[a](cqp:x)", "[a](cqp:x)\n", "Voir [le CQP](cqp:soudeur) et [la branche](branche:metallurgie).\n",
	"[cqp:x](cqp:x)", "[a](cqp:)", "[a](page:vae) [b](page:vae)", "[a](https://www.example.org/cqp:x)", "[a](cqp:x \"titre\")",
	"[a] (cqp:x)", "[a]\n\n[a]: cqp:x\n", "[a][b]\n\n[b]: cqp:x\n", "[a]", "a]", "[a](cqp:x", "[](cqp:x)", "[a]()",
	"![a](cqp:x)", "!![a](cqp:x)", "! [a](cqp:x)", "[![a](cqp:x)](cqp:y)", "[a [b](cqp:x)](cqp:y)", "[a\nb](cqp:x)",
	"    [a](cqp:x)\n", "   [a](cqp:x)\n", "\t[a](cqp:x)\n", "-     [a](cqp:x)\n", "- [a](cqp:x)\n  - [b](page:y)\n",
	"> [a](cqp:x)\n", ">     [a](cqp:x)\n", "# [a](cqp:x) #\n", "Titre [a](cqp:x)\n===\n", "[a](cqp:x)\n---\n",
	"```\n[a](cqp:x)\n```\n", "~~~\n[a](cqp:x)\n~~~\n", "~~barré~~ [a](cqp:x)", "`[a](cqp:x)`", "<a href=\"x\">[a](cqp:x)</a>",
	"<div>\n[a](cqp:x)\n</div>\n", "\\[a](cqp:x)", "[a\\](cqp:x)", "| a |\n|---|\n| [a](cqp:x) |\n", "[a](cqp:x)\n:--\n",
	"[a](cqp:x)\n- -\n", "[a](cqp:x)\n --\n", "www.example.org/[a](cqp:x)", "https://example.org/[a](cqp:x)",
	"(www.example.org/[a](cqp:x))", "[www.example.org](cqp:x)", "contact@example.org [a](cqp:x)", "[a](mailto:a@b.fr) [b](cqp:x)",
	"*[a](cqp:x)*", "**[a*](cqp:x)**", "_[a](cqp:x)_", "[*a*](cqp:x)", "[a](cqp:x)(y)", "[a](cqp:x)[b](cqp:y)",
	"[a](<cqp:x>)", "[a](cqp:x(y))", "[a](cqp:x&amp;y)", "[a](cqp:é)", "[é](cqp:x)", "[a](CQP:x)", "[a](cqpx)",
	"[a](cqp:x)\r\n", "a\x00[b](cqp:x)", "[a](cqp:x)  \nb", "1. [a](cqp:x)\n2. [b](branche:y)\n",
	"[a](javascript:alert(1)) [b](cqp:x)", "[a](cqp:x'y)", "&#91;a](cqp:x)", "[a&#93;(cqp:x)",
}

// FuzzSimpleRefs checks that whenever simpleRefs takes a body, it finds
// what goldmark finds.
func FuzzSimpleRefs(f *testing.F) {
	for _, b := range sampleBodies(f) {
		f.Add(b)
	}
	for _, s := range refsCases {
		f.Add([]byte(s))
	}
	md := markdown.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok := simpleRefs(body)
		if !ok {
			return
		}
		if ref := markdown.Refs(md, body); !reflect.DeepEqual(fast, ref) {
			t.Fatalf("links differ for %q:\nsimpleRefs: %+v\ngoldmark:   %+v", body, fast, ref)
		}
	})
}

// The fast path must take the bodies editors write, or it buys nothing.
func TestSimpleRefsTakesTheSamples(t *testing.T) {
	bodies := sampleBodies(t)
	taken, links := 0, 0
	for _, b := range bodies {
		if refs, ok := simpleRefs(b); ok {
			taken++
			links += len(refs)
		}
	}
	if taken < len(bodies)*3/4 || links == 0 {
		t.Errorf("simpleRefs took %d bodies of %d (%d links)", taken, len(bodies), links)
	}
}

// TestSimpleRefsOnRandomBodies puts together bodies from the pieces that
// matter to links and to the block structure around them, many of which
// simpleRefs takes, and holds it to goldmark on each.
func TestSimpleRefsOnRandomBodies(t *testing.T) {
	pieces := []string{
		"mot", " ", " ", "  ", "\n", "\n", "\n\n", "[", "]", "(", ")", "[texte](cqp:a)", "[b](branche:b-c)", "[p](page:p)",
		"](cqp:x)", "cqp:", "page:", "#", "# ", "> ", "- ", "* ", "+ ", "1. ", "2) ", "=", "===", "---", "-", ":", "*", "**", "_",
		"~", "~~", "!", "@", "a@b.fr", "h", "http", "https://x.fr", "www", "www.x.fr", ".", ",", "é", "«", "&", "&#91;", "'", "\"",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	md := markdown.New()
	taken := 0
	for range 30000 {
		var b []byte
		for range 1 + rng.IntN(24) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		fast, ok := simpleRefs(b)
		if !ok {
			continue
		}
		taken++
		if ref := markdown.Refs(md, b); !reflect.DeepEqual(fast, ref) {
			t.Fatalf("links differ for %q:\nsimpleRefs: %+v\ngoldmark:   %+v", b, fast, ref)
		}
	}
	if taken < 3000 {
		t.Errorf("simpleRefs took only %d random bodies", taken)
	}
}
