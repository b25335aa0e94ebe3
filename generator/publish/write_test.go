package publish

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// readTree returns every regular file under dir, by slash-separated path,
// and fails on anything else (symbolic links, devices).
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			t.Errorf("%s: not a regular file (%v)", p, d.Type())
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return got
}

// assertTree checks that dir holds exactly files and the marker.
func assertTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	want := map[string][]byte{}
	maps.Copy(want, files)
	want[Marker] = []byte(markerText)
	got := readTree(t, dir)
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: missing", p)
		} else if !bytes.Equal(g, want[p]) {
			t.Errorf("%s = %q, want %q", p, g, want[p])
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: unexpected file", p)
		}
	}
}

// assertNoLeftovers checks that the parent of dir holds nothing but dir
// (and the names in also).
func assertNoLeftovers(t *testing.T, dir string, also ...string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(dir) && !slices.Contains(also, e.Name()) {
			t.Errorf("leftover beside the output: %s", e.Name())
		}
	}
}

func siteV1() map[string][]byte {
	return map[string][]byte{
		"index.html":                            []byte("<!doctype html><title>Accueil</title>"),
		"404.html":                              []byte("<!doctype html><title>Introuvable</title>"),
		"cqp/cqpi-operateur-qualite/index.html": []byte("<!doctype html><title>Opérateur qualité</title>"),
		"cqp/cqpm-soudeur/index.html":           []byte("<!doctype html><title>Soudeur</title>"),
		"assets/style.css":                      []byte("body{margin:0}"),
		"a/b/c/d/deep.txt":                      []byte("profond"),
		"empty.txt":                             {},
	}
}

func TestWriteThenRewriteWithFewerFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"exchange", Options{}},
		{"two renames", Options{noExchange: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "public")
			v1 := siteV1()
			if err := tc.opts.Write(dir, v1); err != nil {
				t.Fatalf("first Write: %v", err)
			}
			assertTree(t, dir, v1)
			assertNoLeftovers(t, dir)

			v2 := map[string][]byte{
				"index.html":       []byte("<!doctype html><title>Accueil v2</title>"),
				"assets/style.css": []byte("body{margin:1px}"),
			}
			if err := tc.opts.Write(dir, v2); err != nil {
				t.Fatalf("second Write: %v", err)
			}
			assertTree(t, dir, v2) // cqp/, a/, 404.html are gone
			assertNoLeftovers(t, dir)

			// An empty site is a tree with the marker alone.
			if err := tc.opts.Write(dir, nil); err != nil {
				t.Fatalf("third Write: %v", err)
			}
			assertTree(t, dir, nil)
		})
	}
}

func TestWriteModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, err := d.Info()
		if err != nil {
			t.Fatal(err)
		}
		want := fs.FileMode(fileMode)
		if d.IsDir() {
			want = dirMode
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
		return nil
	})
}

func TestWriteModTime(t *testing.T) {
	epoch := time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)
	opts, err := EnvOptions(func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return "1736937000"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if !opts.ModTime.Equal(epoch) {
		t.Fatalf("EnvOptions: ModTime = %v, want %v", opts.ModTime, epoch)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := opts.Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		info, err := d.Info()
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(epoch) {
			t.Errorf("%s: mtime %v, want %v", p, info.ModTime().UTC(), epoch)
		}
		n++
		return nil
	})
	if n < 10 {
		t.Errorf("walked %d paths, want every file and folder", n)
	}
}

func TestEnvOptions(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    time.Time
		wantErr string
	}{
		{"", time.Time{}, ""},
		{"0", time.Unix(0, 0).UTC(), ""},
		{"1736937000", time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC), ""},
		{"demain", time.Time{}, `SOURCE_DATE_EPOCH="demain"`},
		{"-5", time.Time{}, `SOURCE_DATE_EPOCH="-5"`},
	} {
		got, err := EnvOptions(func(string) string { return tc.env })
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("EnvOptions(%q) error = %v, want one containing %s", tc.env, err, tc.wantErr)
		case tc.wantErr == "" && err != nil:
			t.Errorf("EnvOptions(%q): %v", tc.env, err)
		case !got.ModTime.Equal(tc.want):
			t.Errorf("EnvOptions(%q) = %v, want %v", tc.env, got.ModTime, tc.want)
		}
	}
}

// markedDir makes a folder that looks like a previous output (it holds the
// marker) with one more file, so that only the rule under test can refuse
// it.
func markedDir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{Marker: markerText, "precieux.md": "à garder"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteRefusesDangerousTargets(t *testing.T) {
	for _, tc := range []struct {
		name string
		// setup prepares the scene in a fresh folder and returns the output
		// folder to pass to Write and the options.
		setup func(t *testing.T, root string) (string, Options)
		want  string
	}{
		{"root", func(t *testing.T, root string) (string, Options) {
			return "/", Options{}
		}, "racine"},
		{"home", func(t *testing.T, root string) (string, Options) {
			home := filepath.Join(root, "home", "alice")
			markedDir(t, home)
			t.Setenv("HOME", home)
			return home, Options{}
		}, "votre dossier personnel"},
		{"parent of home", func(t *testing.T, root string) (string, Options) {
			home := filepath.Join(root, "home", "alice")
			markedDir(t, home)
			markedDir(t, filepath.Join(root, "home"))
			t.Setenv("HOME", home)
			return filepath.Join(root, "home"), Options{}
		}, "contient votre dossier personnel"},
		{"current folder", func(t *testing.T, root string) (string, Options) {
			wd := filepath.Join(root, "site")
			markedDir(t, wd)
			t.Chdir(wd)
			return ".", Options{}
		}, "le dossier courant"},
		{"parent of the current folder", func(t *testing.T, root string) (string, Options) {
			wd := filepath.Join(root, "site", "content")
			markedDir(t, wd)
			markedDir(t, filepath.Join(root, "site"))
			t.Chdir(wd)
			return "..", Options{}
		}, "contient le dossier courant"},
		{"source", func(t *testing.T, root string) (string, Options) {
			src := filepath.Join(root, "site")
			markedDir(t, src)
			return src, Options{Source: src}
		}, "le dossier source du site"},
		{"parent of the source", func(t *testing.T, root string) (string, Options) {
			src := filepath.Join(root, "sites", "metallurgie")
			markedDir(t, src)
			markedDir(t, filepath.Join(root, "sites"))
			return filepath.Join(root, "sites"), Options{Source: src}
		}, "contient le dossier source du site"},
		{"source through a symbolic link", func(t *testing.T, root string) (string, Options) {
			src := filepath.Join(root, "site")
			markedDir(t, src)
			if err := os.Symlink(src, filepath.Join(root, "lien")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(root, "lien"), Options{Source: src}
		}, "le dossier source du site"},
		{"unrelated folder", func(t *testing.T, root string) (string, Options) {
			dir := filepath.Join(root, "documents")
			os.MkdirAll(filepath.Join(dir, "photos"), 0o755)
			os.WriteFile(filepath.Join(dir, "photos", "vacances.jpg"), []byte("jpeg"), 0o644)
			return dir, Options{}
		}, "ne vient pas de cqp build"},
		{"unrelated folder with an index.html", func(t *testing.T, root string) (string, Options) {
			dir := filepath.Join(root, "www")
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>mon site</h1>"), 0o644)
			return dir, Options{}
		}, "ne vient pas de cqp build"},
		{"marker that is a folder", func(t *testing.T, root string) (string, Options) {
			dir := filepath.Join(root, "www")
			os.MkdirAll(filepath.Join(dir, Marker), 0o755)
			return dir, Options{}
		}, "ne vient pas de cqp build"},
		{"a file", func(t *testing.T, root string) (string, Options) {
			p := filepath.Join(root, "notes.txt")
			os.WriteFile(p, []byte("notes"), 0o644)
			return p, Options{}
		}, "c'est un fichier"},
		{"empty name", func(t *testing.T, root string) (string, Options) {
			return " ", Options{}
		}, "dossier de sortie vide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir, opts := tc.setup(t, root)
			before := snapshot(t, root)
			err := opts.Write(dir, siteV1())
			if err == nil {
				t.Fatalf("Write(%q) accepted the folder", dir)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Write(%q) error = %q, want one containing %q", dir, err, tc.want)
			}
			if after := snapshot(t, root); !maps.EqualFunc(before, after, bytes.Equal) {
				t.Errorf("a refused Write changed the disk:\nbefore %v\nafter  %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
			}
		})
	}
}

// snapshot lists every path under root with the content of files.
func snapshot(t *testing.T, root string) map[string][]byte {
	t.Helper()
	m := make(map[string][]byte)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			m[p] = b
		} else {
			m[p+" ("+d.Type().String()+")"] = nil
		}
		return nil
	})
	return m
}

func TestWriteRefusesBadPaths(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"parent", map[string][]byte{"../evil.html": nil}, `"../evil.html"`},
		{"absolute", map[string][]byte{"/etc/passwd": nil}, `"/etc/passwd"`},
		{"dot", map[string][]byte{"a/./b.html": nil}, `"a/./b.html"`},
		{"trailing slash", map[string][]byte{"a/": nil}, `"a/"`},
		{"backslash", map[string][]byte{`a\b.html`: nil}, `"a\\b.html"`},
		{"empty", map[string][]byte{"": nil}, `""`},
		{"marker", map[string][]byte{Marker: nil}, `réservé`},
		{"file and folder", map[string][]byte{"cqp": nil, "cqp/x/index.html": nil}, `"cqp" à la fois fichier et dossier`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "public")
			err := Write(dir, tc.files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Write(%v) error = %v, want one containing %s", slices.Collect(maps.Keys(tc.files)), err, tc.want)
			}
			if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a refused Write created %s", dir)
			}
			assertNoLeftovers(t, dir)
		})
	}
}

func TestWriteAcceptsEmptyFolderAndMissingParents(t *testing.T) {
	root := t.TempDir()
	empty := filepath.Join(root, "vide")
	os.Mkdir(empty, 0o755)
	if err := Write(empty, siteV1()); err != nil {
		t.Fatalf("Write into an empty folder: %v", err)
	}
	assertTree(t, empty, siteV1())

	deep := filepath.Join(root, "a", "b", "public")
	if err := Write(deep, siteV1()); err != nil {
		t.Fatalf("Write with missing parents: %v", err)
	}
	assertTree(t, deep, siteV1())
}

func TestWriteFollowsSymlink(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "var", "www", "site")
	link := filepath.Join(root, "public")
	if err := Write(real, siteV1()); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	v2 := map[string][]byte{"index.html": []byte("v2")}
	if err := Write(link, v2); err != nil {
		t.Fatalf("Write through a link: %v", err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link %s was replaced (%v, %v)", link, st.Mode(), err)
	}
	assertTree(t, real, v2)
	if b, err := os.ReadFile(filepath.Join(link, "index.html")); err != nil || string(b) != "v2" {
		t.Errorf("through the link, index.html = %q, %v; want \"v2\"", b, err)
	}
	assertNoLeftovers(t, real)
}

func TestWriteCleansLeftovers(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	if err := Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	// What killed runs leave: a half-written tree (marker first), a
	// previous site set aside, and an empty folder (killed right after
	// mkdir).
	markedDir(t, filepath.Join(root, "public.tmp-0123456789abcdef", "cqp"))
	markedDir(t, filepath.Join(root, "public.tmp-0123456789abcdef"))
	markedDir(t, filepath.Join(root, "public.old-fedcba9876543210"))
	os.Mkdir(filepath.Join(root, "public.tmp-00000000000000ff"), 0o755)
	// What is not ours and must stay: names of another form, another
	// output's leftovers, a folder of the right name without the marker.
	keep := []string{
		"public.tmp-zzzzzzzzzzzzzzzz",
		"public.old-0123456789abcdef0",
		"public.old-site",
		"public2.tmp-0123456789abcdef",
		"public.tmp-1111111111111111",
	}
	for _, k := range keep {
		os.MkdirAll(filepath.Join(root, k), 0o755)
		os.WriteFile(filepath.Join(root, k, "index.html"), []byte("à moi"), 0o644)
	}
	os.WriteFile(filepath.Join(root, "public.old-2222222222222222"), []byte("un fichier"), 0o644)
	keep = append(keep, "public.old-2222222222222222")

	if err := Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, siteV1())
	assertNoLeftovers(t, dir, keep...)
	for _, k := range keep {
		if _, err := os.Stat(filepath.Join(root, k)); err != nil {
			t.Errorf("%s was removed: %v", k, err)
		}
	}
}

// A run of the two-rename swap killed between its renames leaves no output
// folder, the previous site in .old-; the next run puts it back first, so
// that the previous site is whole again even if that run is killed too.
func TestWriteRestoresSiteSetAside(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	if err := Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	aside := filepath.Join(root, "public.old-0123456789abcdef")
	if err := os.Rename(dir, aside); err != nil {
		t.Fatal(err)
	}
	markedDir(t, filepath.Join(root, "public.tmp-fedcba9876543210"))

	if err := cleanLeftovers(root, "public", dir); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, siteV1())
	assertNoLeftovers(t, dir)
}
