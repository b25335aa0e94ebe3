package render_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/site"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// renderOpts are the options of the sample's builds: no override.
var renderOpts = render.Options{}

// sampleFS is the site folder at the root of the repository: the sample
// catalogue that `go run ./cmd/cqp build` publishes.
func sampleFS(t testing.TB) fs.FS {
	t.Helper()
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "content", "_index.md")); err != nil {
		t.Fatalf("sample content not found: %v", err)
	}
	return os.DirFS(root)
}

// The key pages of the sample, compared with golden files. Run
// `go test ./generator/render -run Golden -update` after a deliberate
// change to a layout, a string or the sample, and review the diff.
func TestGoldenPages(t *testing.T) {
	files, _ := build(t, sampleFS(t), renderOpts)
	for name, p := range map[string]string{
		"home.html":   "index.html",
		"cqpi.html":   "cqp/cqpi-conducteur-equipements-industriels/index.html",
		"cqp.html":    "cqp/cqpm-soudeur-industriel/index.html",
		"branch.html": "branches/metallurgie/index.html",
	} {
		got, ok := files[p]
		if !ok {
			t.Errorf("the sample has no %s", p)
			continue
		}
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run with -update and review the diff):\n%s", p, golden, firstDiff(want, got))
		}
	}
}

// firstDiff shows the first line that differs.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			// Show the lines from a little before where they part.
			at := 0
			for at < len(w) && at < len(g) && w[at] == g[at] {
				at++
			}
			from := max(0, at-60)
			clip := func(s string) string { return s[min(from, len(s)):min(len(s), at+120)] }
			return "line " + strconv.Itoa(i+1) + ", byte " + strconv.Itoa(at+1) + ":\n- …" + clip(w) + "\n+ …" + clip(g)
		}
	}
	return ""
}

// Every internal link and asset of the built sample points at a file of
// the output, and names it (index.html, never a bare folder, which would
// show a listing from file://). The whole build is checked, search index
// and schemas included, as `cqp build` writes it.
func TestSampleLinksResolve(t *testing.T) {
	files, _, list, err := site.Build(sampleFS(t), site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
	if err != nil || list.Errors() > 0 {
		t.Fatalf("build: %v %v", err, list)
	}
	if checked := checkLinks(t, files); checked < 500 {
		t.Errorf("checked only %d internal links; is the sample complete?", checked)
	}
}

// checkLinks checks every href and src of the HTML files and returns how
// many internal links it followed.
func checkLinks(t *testing.T, files render.Files) int {
	t.Helper()
	checked := 0
	for _, p := range files.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, u := range urls(files[p]) {
			parsed, err := url.Parse(u)
			if err != nil {
				t.Errorf("%s: bad URL %q: %v", p, u, err)
				continue
			}
			if parsed.Scheme != "" || parsed.Host != "" {
				switch parsed.Scheme {
				case "http", "https", "mailto", "tel":
				default:
					t.Errorf("%s: link with scheme %q: %s", p, parsed.Scheme, u)
				}
				continue
			}
			if strings.HasPrefix(u, "/") {
				t.Errorf("%s: absolute path %q, want a relative link", p, u)
				continue
			}
			target := p
			if parsed.Path != "" {
				target = path.Join(path.Dir(p), parsed.Path)
			}
			if strings.HasPrefix(target, "../") || target == ".." {
				t.Errorf("%s: link %q leaves the site", p, u)
				continue
			}
			if strings.HasSuffix(parsed.Path, "/") {
				t.Errorf("%s: link %q ends in /, want index.html", p, u)
				continue
			}
			checked++
			if _, ok := files[target]; !ok {
				t.Errorf("%s: link %q points at %s, which is not in the output", p, u, target)
				continue
			}
			if f := parsed.Fragment; f != "" && strings.HasSuffix(target, ".html") && !bytes.Contains(files[target], []byte(`id="`+f+`"`)) {
				t.Errorf("%s: link %q: %s has no id %q", p, u, target, f)
			}
		}
	}
	return checked
}

// Two renders of the same input are byte-identical, whatever the
// scheduling of the workers.
func TestRenderIsDeterministic(t *testing.T) {
	a, _ := build(t, sampleFS(t), renderOpts)
	for range 3 {
		b, _ := build(t, sampleFS(t), renderOpts)
		if len(a) != len(b) {
			t.Fatalf("renders have %d and %d files", len(a), len(b))
		}
		for p, data := range a {
			if !bytes.Equal(data, b[p]) {
				t.Fatalf("%s differs between two renders:\n%s", p, firstDiff(data, b[p]))
			}
		}
	}
}

// catalogue.json matches the JSON Schema published in docs/, for the
// sample and for the small site of the page tests.
func TestOpenDataMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schemaPath, err := filepath.Abs(filepath.Join("..", "..", "docs", "catalogue.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("docs/catalogue.schema.json: %v", err)
	}
	sample, _ := build(t, sampleFS(t), renderOpts)
	for name, data := range map[string][]byte{
		"sample":    sample["catalogue.json"],
		"catalogue": buildTxtar(t, catalogue)["catalogue.json"],
		"hostile":   buildTxtar(t, hostile)["catalogue.json"],
	} {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: catalogue.json: %v", name, err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: catalogue.json does not match docs/catalogue.schema.json:\n%v", name, err)
		}
	}
	// The schema is strict enough to catch a wrong file.
	bad := bytes.Replace(sample["catalogue.json"], []byte(`"kind":"cqpi"`), []byte(`"kind":"cqpx"`), 1)
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err := sch.Validate(v); err == nil {
		t.Error("the schema accepts kind cqpx")
	}
}

// The open data is in a stable order: branches and CQPs by id.
func TestOpenDataOrder(t *testing.T) {
	files := buildTxtar(t, catalogue)
	var d struct {
		Branches []struct{ ID string }
		CQPs     []struct{ ID string }
		Counts   map[string]int
	}
	if err := json.Unmarshal(files["catalogue.json"], &d); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range d.Branches {
		ids = append(ids, b.ID)
	}
	for _, q := range d.CQPs {
		ids = append(ids, q.ID)
	}
	if got, want := strings.Join(ids, " "), "chimie metallurgie textile ancien cqpi-logistique magasinier soudeur"; got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
	if d.Counts["cqps"] != 4 || d.Counts["cqpis"] != 1 || d.Counts["archived"] != 1 || d.Counts["active"] != 3 || d.Counts["blocks"] != 5 {
		t.Errorf("counts = %v", d.Counts)
	}
}
