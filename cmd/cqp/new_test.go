package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/cqp-catalogue/cqp/generator/scaffold"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// cqpNew runs the command with no environment.
func cqpNew(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb, func(string) string { return "" })
	return result{code, out.String(), errb.String()}
}

// newSiteDir creates a catalogue with `cqp new site` in a fresh folder.
func newSiteDir(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "catalogue")
	if r := cqpNew(t, append([]string{"new", "site", dir}, args...)...); r.code != exitOK {
		t.Fatalf("cqp new site: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return dir
}

// `cqp new site` creates a catalogue that passes check --strict and
// builds, as created.
func TestNewSitePassesCheckAndBuild(t *testing.T) {
	dir := newSiteDir(t)
	for _, p := range []string{"content/_index.md", "content/branches/ma-branche.md", "content/cqp/" + scaffold.ExampleCQP + ".md", "content/pages/" + scaffold.ExamplePage + ".md", ".github/workflows/cqp.yml", ".gitlab-ci.yml", "README.md", ".gitignore", "schema/cqp.schema.json"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Errorf("cqp new site wrote no %s", p)
		}
	}
	if r := cqpNew(t, "check", "--strict", "--src", dir); r.code != exitOK || r.stderr != "" {
		t.Errorf("check --strict: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	if r := cqpNew(t, "build", "--src", dir, "--out", out); r.code != exitOK {
		t.Fatalf("build: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, p := range []string{"index.html", "cqp/" + scaffold.ExampleCQP + "/index.html", scaffold.ExamplePage + "/index.html", "branches/ma-branche/index.html", "schema/cqp.schema.json"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Errorf("build wrote no %s", p)
		}
	}
}

func TestNewSiteOptions(t *testing.T) {
	dir := newSiteDir(t, "--branch", "plasturgie", "--branch-name", "Plasturgie et composites", "--base-url", "https://cqp.plasturgie.example/", "--title", "Les CQP de la plasturgie", "--cqp-version", "v1.4.2")
	home, err := os.ReadFile(filepath.Join(dir, "content", "_index.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title: Les CQP de la plasturgie\n", "base_url: https://cqp.plasturgie.example/\n", "owner: plasturgie\n"} {
		if !strings.Contains(string(home), want) {
			t.Errorf("content/_index.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "branches", "plasturgie.md")); err != nil {
		t.Error(err)
	}
	wf, _ := os.ReadFile(filepath.Join(dir, ".github", "workflows", "cqp.yml"))
	if !strings.Contains(string(wf), "CQP_VERSION: v1.4.2\n") {
		t.Error("the workflow does not pin v1.4.2")
	}
	if r := cqpNew(t, "check", "--strict", "--src", dir); r.code != exitOK {
		t.Errorf("check --strict: exit %d\n%s", r.code, r.stderr)
	}
}

func TestNewSiteRefuses(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("à garder"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"new", "site", full}, exitContent, "n'est pas vide"},
		{[]string{"new", "site"}, exitUsage, "argument manquant"},
		{[]string{"new", "site", filepath.Join(t.TempDir(), "a"), "--base-url", "cqp.example.org"}, exitUsage, "« cqp.example.org » refusée"},
		{[]string{"new", "site", filepath.Join(t.TempDir(), "a"), "--branch", "Métallurgie"}, exitUsage, "essayer « metallurgie »"},
		{[]string{"new", "site", filepath.Join(t.TempDir(), "a"), "--cqp-version", "latest"}, exitUsage, "version « latest » refusée"},
		{[]string{"new", "site", filepath.Join(t.TempDir(), "a"), "--nope"}, exitUsage, "-nope"},
	}
	for _, tt := range tests {
		r := cqpNew(t, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("cqp %s: exit %d, stderr %q; want exit %d with %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.msg)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(full, "notes.txt")); string(b) != "à garder" {
		t.Error("a refused new site touched the folder")
	}
}

// Every kind of file `cqp new` writes passes check as written, with the
// flags before or after the id.
func TestNewFilePassesCheck(t *testing.T) {
	dir := newSiteDir(t)
	for _, args := range [][]string{
		{"new", "cqp", "soudeur-industriel", "--src", dir},
		{"new", "branch", "--src", dir, "plasturgie", "--title", "Plasturgie et composites"},
		{"new", "page", "vae", "--src", dir},
		{"new", "cqp", "--src", dir, "cqpi-agent-logistique", "--branches", "ma-branche,plasturgie", "--title", "Agent logistique"},
	} {
		r := cqpNew(t, args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "créé") {
			t.Fatalf("cqp %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	r := cqpNew(t, "check", "--src", dir)
	if r.code != exitOK || strings.Contains(r.stderr, "error") {
		t.Errorf("check after cqp new: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// What is left are the reminders of a new CQP and of a new CQPI's
	// partner branch, as warnings.
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !regexp.MustCompile(`^content/(cqp/(soudeur-industriel|cqpi-agent-logistique)|branches/plasturgie)\.md:1:1: warning: `).MatchString(line) {
			t.Errorf("unexpected diagnostic: %s", line)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "content", "cqp", "cqpi-agent-logistique.md"))
	if !strings.Contains(string(b), "\nbranches: [ma-branche, plasturgie]\n") || !strings.Contains(string(b), "\ntitle: Agent logistique\n") {
		t.Errorf("--branches or --title not written:\n%s", b)
	}
	// The new site keeps its schemas in schema/: the modeline points there.
	if !strings.HasPrefix(string(b), "---\n# yaml-language-server: $schema=../../schema/cqp.schema.json\n") {
		t.Errorf("modeline:\n%s", b[:100])
	}
}

func TestNewFileRefuses(t *testing.T) {
	dir := newSiteDir(t)
	existing := filepath.Join(dir, "content", "cqp", scaffold.ExampleCQP+".md")
	before, _ := os.ReadFile(existing)
	noBranch := t.TempDir()
	os.MkdirAll(filepath.Join(noBranch, "content"), 0o755)
	os.WriteFile(filepath.Join(noBranch, "content", "_index.md"), []byte("---\ntitle: T\nbase_url: https://e.org/\n---\n"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"new", "cqp", scaffold.ExampleCQP, "--src", dir}, exitContent, "existe déjà"},
		{[]string{"new", "cqp", "Soudeur Industriel", "--src", dir}, exitUsage, "identifiant « Soudeur Industriel » refusé"},
		{[]string{"new", "cqp", "Soudeur Industriel", "--src", dir}, exitUsage, "essayer « soudeur-industriel »"},
		{[]string{"new", "branch", "Métallurgie", "--src", dir}, exitUsage, "essayer « metallurgie »"},
		{[]string{"new", "page", "recherche", "--src", dir}, exitUsage, "« recherche » refusé : ce nom est réservé"},
		{[]string{"new", "page", "a", "b", "--src", dir}, exitUsage, "argument inattendu « b »"},
		{[]string{"new", "cqp", "--src", dir}, exitUsage, "argument manquant"},
		{[]string{"new", "cours", "x"}, exitUsage, "type « cours » inconnu"},
		{[]string{"new"}, exitUsage, "cqp new cqp|branch|page"},
		{[]string{"new", "cqp", "x", "--src", filepath.Join(dir, "absent")}, exitUsage, "introuvable"},
		{[]string{"new", "cqp", "x", "--src", t.TempDir()}, exitUsage, "content/_index.md absent"},
		{[]string{"new", "cqp", "x", "--src", noBranch}, exitContent, "aucune branche"},
		{[]string{"new", "cqp", "x", "--src", dir, "--branches", "chimie"}, exitContent, "branche « chimie » inconnue"},
	}
	for _, tt := range tests {
		r := cqpNew(t, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("cqp %s: exit %d, stderr %q; want exit %d with %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.msg)
		}
	}
	if after, _ := os.ReadFile(existing); !bytes.Equal(before, after) {
		t.Error("cqp new changed an existing file")
	}
	if _, err := os.Stat(filepath.Join(noBranch, "content", "cqp", "x.md")); err == nil {
		t.Error("a refused cqp new wrote a file")
	}
}

// Without a schema/ folder, the modeline points at the schema published
// with the site.
func TestNewFileModelineURL(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content", "branches"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "_index.md"), []byte("---\ntitle: T\nbase_url: https://cqp.example.org/sous-chemin\nowner: metallurgie\n---\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "branches", "metallurgie.md"), []byte("---\nname: Métallurgie\n---\n"), 0o644)
	if r := cqpNew(t, "new", "cqp", "soudeur", "--src", dir); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "content", "cqp", "soudeur.md"))
	if !strings.HasPrefix(string(b), "---\n# yaml-language-server: $schema=https://cqp.example.org/sous-chemin/schema/cqp.schema.json\n") {
		t.Errorf("modeline:\n%s", b[:120])
	}
	if !strings.Contains(string(b), "\nbranches: [metallurgie]\n") {
		t.Error("the new CQP does not name the owner branch")
	}
	// A repository that keeps the schemas under docs/schema/, as cqp's own
	// does, is pointed there.
	os.MkdirAll(filepath.Join(dir, "docs", "schema"), 0o755)
	os.WriteFile(filepath.Join(dir, "docs", "schema", "page.schema.json"), schema.JSONSchemas()["schema/page.schema.json"], 0o644)
	if r := cqpNew(t, "new", "page", "contacts", "--src", dir); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "content", "pages", "contacts.md"))
	if !strings.HasPrefix(string(b), "---\n# yaml-language-server: $schema=../../docs/schema/page.schema.json\n") {
		t.Errorf("modeline:\n%s", b[:120])
	}
}

func TestNewSchema(t *testing.T) {
	dir := newSiteDir(t)
	stale := filepath.Join(dir, "schema", "cqp.schema.json")
	os.WriteFile(stale, []byte("{}"), 0o644)
	r := cqpNew(t, "new", "schema", "--src", dir)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for p, want := range schema.JSONSchemas() {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s not refreshed (%v)", p, err)
		}
	}
	if r := cqpNew(t, "new", "schema", "--src", t.TempDir()); r.code != exitUsage {
		t.Errorf("new schema outside a catalogue: exit %d", r.code)
	}
}

// The CI files `cqp new site` writes run only commands and flags that
// exist: each `cqp …` line of the GitHub workflow, of the GitLab file and
// of the VS Code tasks is run with -h, which parses every flag before it
// and fails on an unknown one; and the check commands run for real on the
// new site.
func TestNewSiteCommandsExist(t *testing.T) {
	dir := newSiteDir(t)
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var commands [][]string
	for _, p := range []string{".github/workflows/cqp.yml", ".gitlab-ci.yml"} {
		var doc any
		if err := yaml.Unmarshal(read(p), &doc); err != nil {
			t.Fatalf("%s is not valid YAML: %v", p, err)
		}
		for _, script := range shellLines(doc, "") {
			for _, line := range strings.Split(script, "\n") {
				line = strings.TrimSpace(line)
				if strings.HasPrefix(line, "cqp ") || line == "cqp" {
					commands = append(commands, shellWords(t, line))
				}
			}
		}
	}
	var tasks struct {
		Tasks []struct {
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(read(".vscode/tasks.json"), &tasks); err != nil {
		t.Fatalf(".vscode/tasks.json: %v", err)
	}
	for _, task := range tasks.Tasks {
		commands = append(commands, append([]string{task.Command}, task.Args...))
	}
	if len(commands) < 5 {
		t.Fatalf("found only %d cqp commands: %q", len(commands), commands)
	}
	t.Logf("cqp commands in the CI files: %q", commands)
	sawCheck, sawBuild := false, false
	for _, c := range commands {
		if c[0] != "cqp" || len(c) < 2 {
			t.Errorf("not a cqp command: %q", c)
			continue
		}
		args := c[1:]
		if r := cqpNew(t, append(append([]string{}, args...), "-h")...); r.code != exitOK {
			t.Errorf("cqp %s: a command or flag that does not exist (exit %d)\n%s", strings.Join(args, " "), r.code, r.stderr)
			continue
		}
		switch args[0] {
		case "check":
			sawCheck = true
			if r := cqpNew(t, append(args, "--src", dir)...); r.code != exitOK {
				t.Errorf("cqp %s on the new site: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
			}
		case "build":
			sawBuild = true
			out := filepath.Join(t.TempDir(), "public")
			withDirs := []string{}
			for i := 0; i < len(args); i++ {
				if args[i] == "--out" {
					i++
					continue
				}
				withDirs = append(withDirs, args[i])
			}
			if r := cqpNew(t, append(withDirs, "--src", dir, "--out", out)...); r.code != exitOK {
				t.Errorf("cqp %s on the new site: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
			}
		}
	}
	if !sawCheck || !sawBuild {
		t.Errorf("the CI files do not both check and build: %q", commands)
	}
	// The workflows install the pinned version of this module.
	for _, p := range []string{".github/workflows/cqp.yml", ".gitlab-ci.yml"} {
		if !strings.Contains(string(read(p)), "go install "+scaffold.Module+"/cmd/cqp@") {
			t.Errorf("%s does not install cqp with go install", p)
		}
	}
}

// shellLines collects the shell commands of a CI file: GitHub's run:
// strings and GitLab's script: and before_script: lists, wherever they are.
func shellLines(v any, key string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			out = append(out, shellLines(x, k)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, shellLines(x, key)...)
		}
	case string:
		if key == "run" || key == "script" || key == "before_script" || key == "after_script" {
			out = append(out, v)
		}
	}
	return out
}

// ciExpr matches the expressions CI systems substitute: ${{ … }} on
// GitHub, ${VAR} and $VAR on GitLab.
var ciExpr = regexp.MustCompile(`\$\{\{[^}]*\}\}|\$\{[A-Z_]+\}|\$[A-Z_]+`)

// shellWords splits a command line as a POSIX shell would for the simple
// quoting CI files use, after replacing CI expressions with an address.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	line = ciExpr.ReplaceAllString(line, "https://exemple.github.io/catalogue")
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("|&;<>`", r):
			t.Fatalf("%q: a shell construct the test does not read", line)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("%q: unclosed quote", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
