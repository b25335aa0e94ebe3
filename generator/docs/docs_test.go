package docs_test

import (
	"bytes"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/docs"
	"github.com/cqp-catalogue/cqp/generator/internal/schematest"
	"github.com/cqp-catalogue/cqp/generator/schema"
	"github.com/cqp-catalogue/cqp/generator/site"
)

var update = flag.Bool("update", false, "rewrite docs/content-model.md and the generated parts of docs/edition.md")

const (
	contentModel = "../../docs/content-model.md"
	edition      = "../../docs/edition.md"
)

// docs/content-model.md and the generated parts of docs/edition.md are
// what the code says today; `go test ./generator/docs -update` rewrites them.
func TestDocsInSync(t *testing.T) {
	guide, err := os.ReadFile(edition)
	if err != nil {
		t.Fatal(err)
	}
	wantGuide, err := docs.Edition(guide)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		want []byte
	}{{contentModel, docs.ContentModel()}, {edition, wantGuide}} {
		if *update {
			if err := os.WriteFile(f.path, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatalf("%v (run go test ./generator/docs -update)", err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is out of date: run go test ./generator/docs -update", f.path)
		}
	}
}

// diagCodes reads the diagnostic codes declared in generator/diag/codes.go
// (name → code), so that a new code cannot escape the guide.
func diagCodes(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../diag/codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						codes[name.Name] = v
					}
				}
			}
		}
	}
	if len(codes) < 20 {
		t.Fatalf("read only %d codes from codes.go", len(codes))
	}
	return codes
}

// usedCodes returns the names of the diag constants that the program's
// code (not its tests) refers to: the codes cqp can print.
func usedCodes(t *testing.T, names map[string]string) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	for _, root := range []string{"..", "../../cmd"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.Contains(p, "generator/docs") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
			if err != nil {
				return nil // a file another engineer is writing; not ours to judge
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "diag" {
						if _, ok := names[sel.Sel.Name]; ok {
							used[sel.Sel.Name] = true
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return used
}

// Every diagnostic code is explained in the guide, once; the guide
// explains no code that does not exist; and every code cqp prints has an
// example that makes `cqp check` print it.
func TestEveryCodeIsDocumented(t *testing.T) {
	codes := diagCodes(t)
	used := usedCodes(t, codes)
	documented := map[string]*docs.Message{}
	for i := range docs.Messages {
		m := &docs.Messages[i]
		if documented[m.Code] != nil {
			t.Errorf("code %q explained twice", m.Code)
		}
		documented[m.Code] = m
	}
	guide, err := os.ReadFile(edition)
	if err != nil {
		t.Fatal(err)
	}
	for name, code := range codes {
		m := documented[code]
		switch {
		case m == nil:
			t.Errorf("diag.%s (%q) is not explained in docs/edition.md: add it to docs.Messages and run go test ./generator/docs -update", name, code)
			continue
		case used[name] && m.Example == nil:
			t.Errorf("diag.%s (%q) is printed by cqp but its explanation has no example", name, code)
		}
		if !bytes.Contains(guide, []byte("\n### `"+code+"` : ")) {
			t.Errorf("docs/edition.md has no section for %q: run go test ./generator/docs -update", code)
		}
	}
	values := slices.Collect(func(yield func(string) bool) {
		for _, v := range codes {
			if !yield(v) {
				return
			}
		}
	})
	for code := range documented {
		if !slices.Contains(values, code) {
			t.Errorf("docs.Messages explains %q, which generator/diag does not declare", code)
		}
	}
}

// Each example makes `cqp check` print its message, a warning exactly when
// the guide says so; and the example site is valid to begin with.
func TestMessageExamples(t *testing.T) {
	fsys := fstest.MapFS{}
	for p, s := range docs.ExampleSite {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	if _, list := site.Check(fsys, site.Options{Today: docs.ExampleToday, Strict: true}); len(list) > 0 {
		t.Fatalf("the example site is not valid:\n%v", list)
	}
	for i := range docs.Messages {
		m := &docs.Messages[i]
		if m.Example == nil {
			continue
		}
		d, err := m.Printed()
		if err != nil {
			t.Error(err)
			continue
		}
		if warn := strings.Contains(m.Title, "(avertissement)"); warn != (d.Severity == diag.Warning) {
			t.Errorf("%s: printed as %s, but the title %q says otherwise", m.Code, d.Severity, m.Title)
		}
		if d.Pos.Line < 1 || d.Pos.Path == "" {
			t.Errorf("%s: printed without a position: %v", m.Code, d)
		}
	}
}

// exampleBlock finds the guide's example files: a fenced block right after
// a <!-- exemple : path --> comment.
var exampleBlock = regexp.MustCompile("(?s)<!-- exemple : (\\S+) -->\n```markdown\n(.*?)\n```\n")

// The guide's example files make a catalogue that passes check --strict,
// and that an editor's YAML tool accepts.
func TestGuideExamplesPass(t *testing.T) {
	guide, err := os.ReadFile(edition)
	if err != nil {
		t.Fatal(err)
	}
	v, err := schematest.New()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, m := range exampleBlock.FindAllSubmatch(guide, -1) {
		path, data := string(m[1]), append(m[2], '\n')
		if _, dup := fsys[path]; dup {
			t.Errorf("two examples of %s", path)
		}
		fsys[path] = &fstest.MapFile{Data: data}
		if err := v.ValidateFile(path, data); err != nil {
			t.Errorf("%s: the JSON Schema refuses the example: %v", path, err)
		}
	}
	if len(fsys) < 3 {
		t.Fatalf("found %d example files in the guide, want the site, a branch and a CQP", len(fsys))
	}
	cat, list := site.Check(fsys, site.Options{Today: docs.ExampleToday, Strict: true})
	if len(list) > 0 {
		t.Errorf("the guide's examples do not pass check --strict:\n%v", list)
	}
	if len(cat.CQPs) == 0 {
		t.Error("the guide's examples hold no CQP")
	}
}

// The "every key" examples, generated from the schema's examples, make a
// valid catalogue too (with the CQP their common_with example names).
func TestAllExamplesPass(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":               {Data: []byte("---\n" + docs.AllExamples(schema.Site) + "---\n")},
		"content/branches/metallurgie.md": {Data: []byte("---\n" + docs.AllExamples(schema.Branch) + "---\n")},
		"content/cqp/exemple.md":          {Data: []byte("---\n" + docs.AllExamples(schema.CQP) + "---\n")},
		"content/pages/exemple.md":        {Data: []byte("---\n" + docs.AllExamples(schema.Page) + "---\n")},
		"content/cqp/cqpi-operateur-qualite.md": {Data: []byte("---\ntitle: Opérateur qualité\nbranches: [metallurgie]\nregistration:\n  register: none\n" +
			"summary: Contrôler la conformité des produits.\nblocks:\n  - code: B01\n    title: Contrôler\n---\n")},
	}
	if _, list := site.Check(fsys, site.Options{Today: docs.ExampleToday, Strict: true}); len(list) > 0 {
		t.Errorf("the examples of every key do not pass check --strict:\n%v", list)
	}
}

// The reference names every key of every kind of file, with its meaning.
func TestContentModelHasEveryKey(t *testing.T) {
	md := string(docs.ContentModel())
	var walk func(t2 *schema.Type, prefix string)
	walk = func(typ *schema.Type, prefix string) {
		for i := range typ.Fields {
			f := &typ.Fields[i]
			p := prefix + f.Key
			if !strings.Contains(md, "| `"+p+"` |") {
				t.Errorf("content-model.md has no row for %s", p)
			}
			if !strings.Contains(md, strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(f.Doc)) {
				t.Errorf("content-model.md lacks the meaning of %s", p)
			}
			switch {
			case f.Type.Kind == schema.Object:
				walk(f.Type, p+".")
			case f.Type.Kind == schema.List && f.Type.Elem.Kind == schema.Object:
				walk(f.Type.Elem, p+"[].")
			}
		}
	}
	for _, d := range schema.Docs {
		walk(d.Type, "")
	}
	guide := string(docs.KeysSection())
	for _, d := range schema.Docs {
		for _, f := range d.Type.Fields {
			if !strings.Contains(guide, "- **`"+f.Key+"`**") {
				t.Errorf("the guide's key list has no %s.%s", d.Name, f.Key)
			}
		}
	}
}

func TestSplice(t *testing.T) {
	begin, end := docs.Markers("x")
	doc := []byte("avant\n" + begin + "\nancien\n" + end + "\naprès\n")
	got, err := docs.Splice(doc, "x", []byte("\nnouveau\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "avant\n" + begin + "\nnouveau\n\n" + end + "\naprès\n"; string(got) != want {
		t.Errorf("Splice = %q, want %q", got, want)
	}
	again, _ := docs.Splice(got, "x", []byte("nouveau"))
	if !bytes.Equal(again, got) {
		t.Error("Splice is not stable")
	}
	for _, bad := range []string{"sans marqueurs", end + "\n" + begin, begin + begin + end} {
		if _, err := docs.Splice([]byte(bad), "x", nil); err == nil {
			t.Errorf("Splice(%q) accepted", bad)
		}
	}
}
