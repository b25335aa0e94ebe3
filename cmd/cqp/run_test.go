package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// writeSite writes the checker's valid test site to a temporary folder,
// with one optional replacement in one file.
func writeSite(t *testing.T, path, old, new string) string {
	t.Helper()
	fsys := sitetest.File(t, "../../generator/site/testdata/valid.txtar")
	if path != "" {
		fsys = sitetest.Replace(t, fsys, path, old, new)
	}
	dir := t.TempDir()
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

func cqp(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb, func(k string) string { return env[k] })
	return result{code, out.String(), errb.String()}
}

const sde = "1795392000" // SOURCE_DATE_EPOCH of 2026-11-23

func TestCheckExitCodes(t *testing.T) {
	valid := writeSite(t, "", "", "")
	broken := writeSite(t, "content/cqp/soudeur.md", "level: 3", "level: 9")
	expired := writeSite(t, "content/cqp/soudeur.md", "until: 2028-06-01", "until: 2026-01-31")
	env := map[string]string{"SOURCE_DATE_EPOCH": sde}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
	}{
		{"valid", env, []string{"check", "--src", valid}, 0},
		{"valid strict", env, []string{"check", "--strict", "--src", valid}, 0},
		{"content error", env, []string{"check", "--src", broken}, 1},
		{"warning only", env, []string{"check", "--src", expired}, 0},
		{"warning strict", env, []string{"check", "--src", expired, "--strict"}, 1},
		{"warning not yet past in 2025", map[string]string{"SOURCE_DATE_EPOCH": "1735689600"}, []string{"check", "--src", expired, "--strict"}, 0},
		{"no command", env, nil, 2},
		{"unknown command", env, []string{"publish"}, 2},
		{"unknown flag", env, []string{"check", "--verbose"}, 2},
		{"stray argument", env, []string{"check", valid}, 2},
		{"bad format", env, []string{"check", "--src", valid, "--format", "xml"}, 2},
		{"missing folder", env, []string{"check", "--src", filepath.Join(valid, "nope")}, 2},
		{"bad SOURCE_DATE_EPOCH", map[string]string{"SOURCE_DATE_EPOCH": "hier"}, []string{"check", "--src", valid}, 2},
		{"help", env, []string{"check", "-h"}, 0},
		{"version", env, []string{"version"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := cqp(t, tt.env, tt.args...); r.code != tt.code {
				t.Errorf("cqp %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(tt.args, " "), r.code, tt.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestCheckFormats(t *testing.T) {
	dir := writeSite(t, "content/cqp/soudeur.md", "level: 3", "level: 9\n  niveau: 3")
	env := map[string]string{"SOURCE_DATE_EPOCH": sde}

	text := cqp(t, env, "check", "--src", dir)
	wantText := "content/cqp/soudeur.md:7:10: error: « level » vaut 9 : il faut un nombre entier de 1 à 8\n" +
		"content/cqp/soudeur.md:8:3: error: clé inconnue « niveau » : vouliez-vous dire « level » ?\n"
	if text.code != 1 || text.stderr != wantText {
		t.Errorf("text: exit %d, stderr:\n%s\nwant:\n%s", text.code, text.stderr, wantText)
	}
	if !strings.Contains(text.stdout, "2 erreurs") {
		t.Errorf("text: summary %q does not count 2 errors", text.stdout)
	}

	gh := cqp(t, env, "check", "--src", dir, "--format", "github")
	wantGH := "::error file=content/cqp/soudeur.md,line=7,col=10,title=cqp out-of-range::« level » vaut 9 %3A il faut un nombre entier de 1 à 8\n"
	if gh.code != 1 || !strings.HasPrefix(gh.stderr, strings.ReplaceAll(wantGH, "%3A", ":")) || gh.stdout != "" {
		t.Errorf("github: exit %d, stdout %q, stderr:\n%s", gh.code, gh.stdout, gh.stderr)
	}
	if n := strings.Count(gh.stderr, "\n"); n != 2 {
		t.Errorf("github: %d lines, want 2", n)
	}

	js := cqp(t, env, "check", "--src", dir, "--format", "json")
	var items []struct {
		Path     string `json:"path"`
		Line     int    `json:"line"`
		Col      int    `json:"col"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	}
	if err := json.Unmarshal([]byte(js.stderr), &items); err != nil {
		t.Fatalf("json: %v in %q", err, js.stderr)
	}
	if js.code != 1 || len(items) != 2 || items[1].Path != "content/cqp/soudeur.md" || items[1].Line != 8 || items[1].Col != 3 ||
		items[1].Severity != "error" || items[1].Code != "unknown-key" || items[1].Message != "clé inconnue « niveau » : vouliez-vous dire « level » ?" {
		t.Errorf("json: exit %d, items %+v", js.code, items)
	}

	clean := cqp(t, env, "check", "--src", writeSite(t, "", "", ""), "--format", "json")
	if clean.code != 0 || strings.TrimSpace(clean.stderr) != "[]" {
		t.Errorf("json on a clean site: exit %d, stderr %q, want []", clean.code, clean.stderr)
	}
}
