package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// The first draws of random.Random(seed) in CPython 3.11, printed by
//
//	r = random.Random("42:cqp:1")
//	[r.getrandbits(32) for _ in range(3)], r.random(), r.randint(1, 6),
//	r.sample(range(18), 6), r.sample(range(16, 3300), 3),
//	r.choices(range(5), [30, 35, 20, 10, 5])[0]
func TestPyRandomMatchesCPython(t *testing.T) {
	r := newPyRandom("42:cqp:1")
	for i, want := range []uint32{3446744457, 3228337868, 687045535} {
		if got := r.uint32(); got != want {
			t.Errorf("uint32() #%d = %d, want %d", i, got, want)
		}
	}
	if got, want := r.random(), 0.40238375519441505; got != want {
		t.Errorf("random() = %v, want %v", got, want)
	}
	if got, want := r.intn(1, 6), 3; got != want {
		t.Errorf("intn(1, 6) = %d, want %d", got, want)
	}
	if got, want := r.sample(18, 6), []int{17, 7, 2, 6, 11, 16}; !slices.Equal(got, want) {
		t.Errorf("sample(18, 6) = %v, want %v (pool algorithm)", got, want)
	}
	if got, want := r.sample(3300-16, 3), []int{75 - 16, 729 - 16, 1868 - 16}; !slices.Equal(got, want) {
		t.Errorf("sample(3284, 3) = %v, want %v (set algorithm)", got, want)
	}
	if got, want := r.weighted(levelCum[:]), 1; got != want {
		t.Errorf("weighted(levels) = %d, want %d", got, want)
	}
	for seed, want := range map[string]uint32{"": 4124137760, "branch:0": 275230263} {
		if got := newPyRandom(seed).uint32(); got != want {
			t.Errorf("Random(%q).getrandbits(32) = %d, want %d", seed, got, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Métallurgie", "metallurgie"},
		{"Hôtellerie, cafés, restaurants", "hotellerie-cafes-restaurants"},
		{"Services de l'automobile", "services-de-l-automobile"},
		{"Commerce à prédominance alimentaire", "commerce-a-predominance-alimentaire"},
		{"Mettre en œuvre", "mettre-en-oeuvre"},
		{"  Boulangerie-pâtisserie  ", "boulangerie-patisserie"},
	} {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// digest hashes a catalogue as the Python snippet that recorded the golden
// values does: sorted paths, each followed by NUL, its bytes and NUL.
func digest(files map[string][]byte) string {
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(files[p])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The golden digests were computed from the output of
// `gen_corpus.py -n 40 --layout hugo --seed S` (shared/bench, Python 3.11).
func TestHugoMatchesGenCorpus(t *testing.T) {
	for _, tt := range []struct {
		seed int64
		want string
	}{
		{42, "82ba7fe2c1a3cf80de656f63fd6ffe609ddd096acf12f68c8721462b7685034d"},
		{7, "a70069a1eee248a51ed6250f877cafbec88cdd6f2a9d48c32e9e0b99369467a6"},
	} {
		files, err := Files(Options{N: 40, Seed: tt.seed, Layout: LayoutHugo})
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 88 {
			t.Errorf("seed %d: %d files, want 88", tt.seed, len(files))
		}
		if got := digest(files); got != tt.want {
			t.Errorf("seed %d: digest %s, want %s: the hugo layout no longer matches gen_corpus.py", tt.seed, got, tt.want)
		}
	}
}

// TestHugoAgainstPython runs gen_corpus.py itself, on a catalogue large
// enough to meet number collisions and every branch. The script is the
// design folder's (shared/bench/, beside the repository), or GEN_CORPUS.
func TestHugoAgainstPython(t *testing.T) {
	script := os.Getenv("GEN_CORPUS")
	if script == "" {
		script = filepath.Join("..", "..", "..", "shared", "bench", "gen_corpus.py")
	}
	if _, err := os.Stat(script); err != nil {
		t.Fatalf("gen_corpus.py not found (%v): set GEN_CORPUS=path/to/gen_corpus.py", err)
	}
	const n = 1500
	dir := t.TempDir()
	cmd := exec.Command("python3", script, "-n", "1500", "-o", dir, "--layout", "hugo", "--seed", "42")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	want := readTree(t, dir)
	got, err := Files(Options{N: n, Seed: 42, Layout: LayoutHugo})
	if err != nil {
		t.Fatal(err)
	}
	compareTrees(t, got, want)
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func compareTrees(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	bad := 0
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: missing", p)
			bad++
		case !bytes.Equal(g, w):
			t.Errorf("%s: differs", p)
			bad++
		}
		if bad > 5 {
			t.Fatal("too many differences")
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: unexpected", p)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, layout := range []string{LayoutCQP, LayoutHugo} {
		opts := Options{N: 300, Seed: 42, Layout: layout}
		a, err := Files(opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Files(opts)
		if err != nil {
			t.Fatal(err)
		}
		if da, db := digest(a), digest(b); da != db {
			t.Errorf("%s: two runs differ", layout)
		}
		other, err := Files(Options{N: 300, Seed: 43, Layout: layout})
		if err != nil {
			t.Fatal(err)
		}
		if digest(a) == digest(other) {
			t.Errorf("%s: seeds 42 and 43 give the same catalogue", layout)
		}
	}
}

func TestWriteMatchesFiles(t *testing.T) {
	for _, layout := range []string{LayoutCQP, LayoutHugo} {
		opts := Options{N: 120, Seed: 5, Layout: layout}
		dir := t.TempDir()
		st, err := Write(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Files(opts)
		if err != nil {
			t.Fatal(err)
		}
		got := readTree(t, dir)
		compareTrees(t, got, want)
		var size int64
		for _, data := range want {
			size += int64(len(data))
		}
		if st.Files != len(want) || st.Bytes != size {
			t.Errorf("%s: Stats say %d files, %d bytes; wrote %d files, %d bytes", layout, st.Files, st.Bytes, len(want), size)
		}
	}
}

func cqpPaths(files map[string][]byte) []string {
	var out []string
	for p := range files {
		if strings.HasPrefix(p, "content/cqp/") && !strings.HasSuffix(p, "/_index.md") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func TestNRespected(t *testing.T) {
	for _, n := range []int{1, 2, 37, 250} {
		for _, layout := range []string{LayoutCQP, LayoutHugo} {
			files, err := Files(Options{N: n, Seed: 42, Layout: layout})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(cqpPaths(files)); got != n {
				t.Errorf("N=%d, layout %s: %d CQP files", n, layout, got)
			}
		}
	}
}

// A catalogue of N CQPs is the first N CQP files of a larger one, byte for
// byte, since every reference points to an earlier CQP.
func TestPrefixStable(t *testing.T) {
	for _, layout := range []string{LayoutCQP, LayoutHugo} {
		small, err := Files(Options{N: 60, Seed: 42, Layout: layout})
		if err != nil {
			t.Fatal(err)
		}
		large, err := Files(Options{N: 400, Seed: 42, Layout: layout})
		if err != nil {
			t.Fatal(err)
		}
		for p, data := range small {
			if !bytes.Equal(large[p], data) {
				t.Errorf("%s: %s differs between N=60 and N=400", layout, p)
			}
		}
	}
}

func TestOptionsRefused(t *testing.T) {
	for _, opts := range []Options{
		{N: 0},
		{N: -3},
		{N: 10, Layout: "plain"},
	} {
		if _, err := Files(opts); err == nil {
			t.Errorf("Files(%+v): no error", opts)
		}
		dir := t.TempDir()
		if _, err := Write(dir, opts); err == nil {
			t.Errorf("Write(%+v): no error", opts)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("Write(%+v) wrote files despite the error", opts)
		}
	}
	if _, err := Files(Options{N: 3}); err != nil {
		t.Errorf("empty layout: %v, want the cqp layout", err)
	}
}

func TestFS(t *testing.T) {
	fsys, err := FS(Options{N: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(fsys, "content/_index.md", "content/cqp/cqp-0001.md", "content/branches/metallurgie.md"); err != nil {
		t.Fatal(err)
	}
}

// Both layouts describe the same catalogue: the same CQPs, with the same
// titles and branches, and the same branches.
func TestLayoutsAgree(t *testing.T) {
	const n = 500
	cqp, err := Files(Options{N: n, Seed: 42, Layout: LayoutCQP})
	if err != nil {
		t.Fatal(err)
	}
	hugo, err := Files(Options{N: n, Seed: 42, Layout: LayoutHugo})
	if err != nil {
		t.Fatal(err)
	}
	var cqpBranches, hugoBranches []string
	for p := range cqp {
		if id, ok := strings.CutPrefix(p, "content/branches/"); ok {
			cqpBranches = append(cqpBranches, strings.TrimSuffix(id, ".md"))
		}
	}
	for p := range hugo {
		if id, ok := strings.CutPrefix(p, "content/branches/"); ok && id != "_index.md" {
			hugoBranches = append(hugoBranches, strings.TrimSuffix(id, "/_index.md"))
		}
	}
	slices.Sort(cqpBranches)
	slices.Sort(hugoBranches)
	if !slices.Equal(cqpBranches, hugoBranches) || len(cqpBranches) != len(branchDefs) {
		t.Errorf("branches differ:\ncqp:  %v\nhugo: %v", cqpBranches, hugoBranches)
	}

	cqpFiles, hugoFiles := cqpPaths(cqp), cqpPaths(hugo)
	if len(cqpFiles) != n || len(hugoFiles) != n {
		t.Fatalf("%d cqp and %d hugo CQP files, want %d", len(cqpFiles), len(hugoFiles), n)
	}
	for i := 1; i <= n; i++ {
		c := cqp["content/cqp/"+cqpID(i)+".md"]
		h := hugo["content/cqp/"+cqpCode(i)+".md"]
		if c == nil || h == nil {
			t.Fatalf("CQP %d missing: cqp %v, hugo %v", i, c != nil, h != nil)
		}
		doc, err := parseFrontMatter(string(c))
		if err != nil {
			t.Fatalf("cqp %d: %v", i, err)
		}
		title := strings.TrimSuffix(strings.TrimPrefix(lineWith(string(h), "title: "), `"`), `"`)
		if doc.str("title") != title {
			t.Errorf("CQP %d: title %q in cqp, %q in hugo", i, doc.str("title"), title)
		}
		branches := "[" + strings.Join(doc.strs("branches"), ", ") + "]"
		if hb := lineWith(string(h), "branches: "); hb != branches {
			t.Errorf("CQP %d: branches %s in cqp, %s in hugo", i, branches, hb)
		}
	}
}

// lineWith returns what follows prefix on the first line starting with it.
func lineWith(text, prefix string) string {
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSuffix(v, "\n")
		}
	}
	return ""
}

func TestPlainSafe(t *testing.T) {
	for _, tt := range []struct {
		in    string
		plain bool
	}{
		{"Soudeur en fonderie", true},
		{"Mettre en œuvre les consignes", true},
		{"Hôtellerie, cafés, restaurants", true},
		{"Services de l'automobile", true},
		{"Exercer le métier : soudeur", false},
		{"titre #1", false},
		{"fin:", false},
		{"- tiret", false},
		{"'quote", false},
		{"2024-01-01", false},
		{"12", false},
		{"yes", false},
		{"No", false},
		{"null", false},
		{"", false},
		{" espace", false},
		{"ligne\nsuivante", false},
		{"sépar\u2028ateur", false},
		{"RNCP12345", true},
	} {
		if got := plainSafe(tt.in); got != tt.plain {
			t.Errorf("plainSafe(%q) = %v, want %v", tt.in, got, tt.plain)
		}
	}
	if got, want := string(appendScalar(nil, `a: "b" \ c`)), `"a: \"b\" \\ c"`; got != want {
		t.Errorf("appendScalar = %s, want %s", got, want)
	}
}
