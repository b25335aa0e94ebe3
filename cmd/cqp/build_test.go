package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readOut(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuildWritesTheSite(t *testing.T) {
	src := writeSite(t, "", "", "")
	out := filepath.Join(t.TempDir(), "public")
	env := map[string]string{"SOURCE_DATE_EPOCH": sde}
	r := cqp(t, env, "build", "--src", src, "--out", out)
	if r.code != exitOK {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "écrits dans "+out) || !strings.Contains(r.stdout, "3 CQP") {
		t.Errorf("summary = %q", r.stdout)
	}
	for _, p := range []string{"index.html", "cqp/soudeur/index.html", "cqpi/index.html", "catalogue.json", "sitemap.xml", "feed.xml", "robots.txt", "404.html", "style.css"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("no %s: %v", p, err)
		}
	}
	// Minified by default (the layouts are minified once: a newline stays
	// beside a few of their actions, see publish/layout.go); --no-minify
	// keeps the layouts' line breaks.
	if page := readOut(t, out, "cqp/soudeur/index.html"); strings.Count(page, "\n") > 15 || strings.Contains(page, "\n\n") {
		t.Errorf("the page is not minified: %d lines", strings.Count(page, "\n"))
	}
	plain := filepath.Join(t.TempDir(), "plain")
	if r := cqp(t, env, "build", "--src", src, "--out", plain, "--no-minify"); r.code != exitOK {
		t.Fatalf("build --no-minify: exit %d\n%s", r.code, r.stderr)
	}
	if page := readOut(t, plain, "cqp/soudeur/index.html"); strings.Count(page, "\n") < 50 {
		t.Errorf("--no-minify page has %d lines", strings.Count(page, "\n"))
	}
	// --base-url is used where base_url is, and gets its trailing slash.
	other := filepath.Join(t.TempDir(), "other")
	if r := cqp(t, env, "build", "--src", src, "--out", other, "--base-url", "https://preprod.example.net/cqp", "--no-minify"); r.code != exitOK {
		t.Fatalf("build --base-url: exit %d\n%s", r.code, r.stderr)
	}
	if page := readOut(t, other, "cqp/soudeur/index.html"); !strings.Contains(page, `<link rel="canonical" href="https://preprod.example.net/cqp/cqp/soudeur/">`) {
		t.Error("--base-url not used for the canonical link")
	}
}

// On a content error, build prints the diagnostics, exits 1 and leaves
// the previous output as it was.
func TestBuildWritesNothingOnErrors(t *testing.T) {
	env := map[string]string{"SOURCE_DATE_EPOCH": sde}
	out := filepath.Join(t.TempDir(), "public")
	if r := cqp(t, env, "build", "--src", writeSite(t, "", "", ""), "--out", out); r.code != exitOK {
		t.Fatalf("first build: exit %d\n%s", r.code, r.stderr)
	}
	before := readOut(t, out, "cqp/soudeur/index.html")
	broken := writeSite(t, "content/cqp/soudeur.md", "title: Soudeur industriel", "title: Soudeur réécrit\nlevel: 3")
	r := cqp(t, env, "build", "--src", broken, "--out", out)
	if r.code != exitContent {
		t.Fatalf("build of a broken site: exit %d, want %d", r.code, exitContent)
	}
	if !strings.Contains(r.stderr, "content/cqp/soudeur.md:") || !strings.Contains(r.stderr, "Rien n'a été écrit") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if after := readOut(t, out, "cqp/soudeur/index.html"); after != before {
		t.Error("the previous site was changed")
	}
	// A missing theme is not the content's syntax, but the build still
	// stops before writing.
	noTheme := writeSite(t, "content/_index.md", "owner: metallurgie", "owner: metallurgie\ntheme: inexistant")
	r = cqp(t, env, "build", "--src", noTheme, "--out", out)
	if r.code != exitContent || !strings.Contains(r.stderr, "thème « inexistant » introuvable") {
		t.Errorf("missing theme: exit %d, stderr %q", r.code, r.stderr)
	}
	if after := readOut(t, out, "cqp/soudeur/index.html"); after != before {
		t.Error("the previous site was changed by a failed build")
	}
}

func TestBuildUsageErrors(t *testing.T) {
	src := writeSite(t, "", "", "")
	for _, args := range [][]string{
		{"build", "--src", src, "--base-url", "cqp.example.org"},
		{"build", "--src", src, "--base-url", "ftp://cqp.example.org/"},
		{"build", "--src", src, "--base-url", "/relatif/"},
		{"build", "--src", src, "--base-url", "https://cqp.example.org/?x=1"},
		{"build", "--src", src, "--out", ""},
		{"build", "--src", filepath.Join(src, "absent")},
		{"build", "--src", src, "argument-en-trop"},
		{"build", "--inconnu"},
	} {
		r := cqp(t, nil, args...)
		if r.code != exitUsage {
			t.Errorf("cqp %s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, exitUsage, r.stderr)
		}
		if r.stderr == "" {
			t.Errorf("cqp %s: nothing on stderr", strings.Join(args, " "))
		}
	}
	if r := cqp(t, nil, "build", "--src", src, "--base-url", "cqp.example.org"); !strings.Contains(r.stderr, "« cqp.example.org »") {
		t.Errorf("the refused URL is not named: %q", r.stderr)
	}
}

func TestUsageListsBuild(t *testing.T) {
	r := cqp(t, nil, "help")
	if !strings.Contains(r.stdout, "cqp build [--src DIR] [--out DIR] [--base-url URL] [--no-minify]") {
		t.Errorf("usage lacks build:\n%s", r.stdout)
	}
}

// Interrupted (Ctrl-C, or a cancelled CI job: the context main gives
// run), build stops, removes what it wrote, exits 130 and leaves the
// previous output whole.
func TestBuildInterrupted(t *testing.T) {
	env := map[string]string{"SOURCE_DATE_EPOCH": sde}
	src := writeSite(t, "", "", "")
	out := filepath.Join(t.TempDir(), "public")
	if r := cqp(t, env, "build", "--src", src, "--out", out); r.code != exitOK {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	before := readOut(t, out, "index.html")
	edited := writeSite(t, "content/_index.md", "title:", "title: Nouveau")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"build", "--src", edited, "--out", out}, &stdout, &stderr, func(k string) string { return env[k] })
	if code != exitInterrupted || !strings.Contains(stderr.String(), "interrompu") {
		t.Fatalf("interrupted build: exit %d, stderr %q", code, stderr.String())
	}
	if got := readOut(t, out, "index.html"); got != before {
		t.Error("the previous output changed")
	}
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
}
