package content

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

func dump(n *Node) string {
	var b strings.Builder
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		fmt.Fprintf(&b, "%s%d:%d kind=%d tag=%d %q\n", strings.Repeat("  ", depth), n.Line, n.Col, n.Kind, n.Tag, n.Value)
		for _, p := range n.Pairs {
			walk(p.Key, depth+1)
			walk(p.Value, depth+2)
		}
		for _, it := range n.Items {
			walk(it, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// frontMatters returns the YAML of every sample content file and of a
// small synthetic catalogue (the benchmarks' input), the seeds of the
// differential tests.
func frontMatters(t testing.TB) [][]byte {
	fronts, _ := sitetest.Corpus(t, "../..", 40)
	if len(fronts) < 60 {
		t.Fatalf("only %d front matters found", len(fronts))
	}
	return fronts
}

// The fast path must take the files editors really write, or it buys
// nothing.
func TestFastPathTakesTheSampleCatalogue(t *testing.T) {
	for _, src := range frontMatters(t) {
		if _, ok := fastParse(src, 2); !ok {
			t.Errorf("fast path refused:\n%s", src)
		}
	}
}

// FuzzFastYAML checks that whenever the fast path accepts a text, the
// reference parser accepts it too and gives the very same tree.
func FuzzFastYAML(f *testing.F) {
	for _, src := range frontMatters(f) {
		f.Add(src)
	}
	for _, s := range []string{
		"a: 1\nb: [x, y]\n", "a:\n- x\n- y\nb: z\n", "a:\n  - k: v\n    l: w\n  - k: v2\n", "a: 'it''s'\nb: \"x # y\" # c\n",
		"a: x # c\n", "a: true\nb: ~\nc: 1.5\nd: 0x1F\ne: 2023-06-01\n", "a: [1, true, null, x y]\n", "a:\n  b:\n    c: d\n",
		"- a\n- b\n", "a: b\n  c: d\n", "a: b\nc\n", "a: [x, ]\n", "a: 'x\n", "x: -1\ny: +2\n", "a: 'b' c\n",
		"a: b:c\n", "a:\n- b:c\n- d\n", "a: x#y\nb: x #y\n", "a: 12\nb: 0\nc: 007\nd: 1234567890123456789\n",
		"a: rncp\nb: Null\nc: TRUE\nd: yes\ne: H2901\n", "title: x\nnote: y\nurl: z\n", "a: [x, 'y', 1]\nb: [é, x]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return // Parse refuses such files before any YAML is read
		}
		fast, ok := fastParse(src, 2)
		if !ok {
			return
		}
		ref, err := parseYAMLReference(src, 2)
		if err != nil {
			t.Fatalf("fast path accepted what the reference refuses (%v):\n%s", err, src)
		}
		if !reflect.DeepEqual(fast, ref) {
			t.Fatalf("trees differ for:\n%s\nfast:\n%s\nreference:\n%s", src, dump(fast), dump(ref))
		}
	})
}

// BenchmarkYAML compares the fast path with the reference parser on the
// sample catalogue's front matters.
func BenchmarkYAML(b *testing.B) {
	srcs := frontMatters(b)
	var size int64
	for _, s := range srcs {
		size += int64(len(s))
	}
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, s := range srcs {
				if _, ok := fastParse(s, 2); !ok {
					b.Fatal("fast path refused a sample file")
				}
			}
		}
	})
	b.Run("goccy", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, s := range srcs {
				if _, err := parseYAMLReference(s, 2); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// plainTypeCases are plain scalars of every shape plainType decides on,
// and some it leaves to the reference.
var plainTypeCases = []string{
	"a", "x", "y", "n", "Y", "N", "yes", "no", "on", "off", "On", "OFF", "null", "Null", "NULL", "nULL", "nul", "nulls",
	"true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "falsey", "inf", "Inf", "nan", "NaN", "infinity", "e5", "E5",
	"rncp", "rs", "none", "vae", "cpf", "plan", "jeunes", "H2901", "h2901", "RNCP34033", "RNCP34033BC01", "x_1", "a.b", "a.5",
	"0", "1", "7", "10", "581", "0312", "09", "00", "0x1F", "0o17", "0b101", "1_000", "1e5", "1.5", "1.", ".5", "1..2",
	"123456789012345678", "1234567890123456789", "99999999999999999999", "18446744073709551615", "18446744073709551616",
	"2023-06-01", "2023-13-45", "2023-6-1", "20230601", "2023-06-01T10:00:00Z", "12:30", "1:2:3",
	"-1", "+2", "-.inf", "+.inf", ".inf", ".Inf", ".INF", ".nan", ".NaN", "~", "_", "_1", "-", "--", "+", ".",
	"Électricité", "éa", "(x)", "/a", "«", "1 2", "12 mois", "1a", "1-2",
}

// plainType must type every scalar it decides on as the reference does.
func TestPlainTypeAgreesWithTheReference(t *testing.T) {
	for _, v := range plainTypeCases {
		checkPlainType(t, v)
	}
}

func checkPlainType(t *testing.T, v string) {
	t.Helper()
	kind, tag, ok := plainType(v)
	if !ok {
		return
	}
	if rk, rt := referenceType(v); kind != rk || kind != Null && tag != rt {
		t.Errorf("plainType(%q) = %d/%d, reference %d/%d", v, kind, tag, rk, rt)
	}
}

func FuzzPlainType(f *testing.F) {
	for _, v := range plainTypeCases {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" || !utf8.ValidString(v) {
			return
		}
		checkPlainType(t, v)
	})
}

// The tree shares nothing with the bytes it was read from, and its lists
// end with their capacity, so that appending to one never writes over
// another.
func TestFastTreeOwnsItsMemory(t *testing.T) {
	src := []byte("title: Soudeur\nbranches: [metallurgie, chimie]\nnote: 'it''s'\nblocks:\n- code: B1\n  skills:\n  - Souder\n  - Couper\n- code: B2\nautre: valeur\n")
	n, ok := fastParse(src, 2)
	if !ok {
		t.Fatal("fast path refused")
	}
	before := dump(n)
	for i := range src {
		src[i] = 'z'
	}
	if after := dump(n); after != before {
		t.Fatalf("tree changed with its source:\n%s\nthen:\n%s", before, after)
	}
	var walk func(n *Node)
	walk = func(n *Node) {
		if len(n.Pairs) != cap(n.Pairs) || len(n.Items) != cap(n.Items) {
			t.Errorf("%d:%d: capacity beyond length (%d/%d pairs, %d/%d items)", n.Line, n.Col, len(n.Pairs), cap(n.Pairs), len(n.Items), cap(n.Items))
		}
		for _, p := range n.Pairs {
			walk(p.Key)
			walk(p.Value)
		}
		for _, it := range n.Items {
			walk(it)
		}
	}
	walk(n)
}
