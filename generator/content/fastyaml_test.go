package content

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
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

// frontMatters returns the YAML of every sample content file, the seeds of
// the differential tests.
func frontMatters(t testing.TB) [][]byte {
	var out [][]byte
	paths, _ := filepath.Glob("../../content/*/*.md")
	paths = append(paths, "../../content/_index.md")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		parts := bytes.SplitN(data, []byte("---\n"), 3)
		if len(parts) == 3 {
			out = append(out, parts[1])
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d sample front matters found", len(out))
	}
	return out
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
