package scaffold_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/internal/schematest"
	"github.com/cqp-catalogue/cqp/generator/scaffold"
	"github.com/cqp-catalogue/cqp/generator/schema"
	"github.com/cqp-catalogue/cqp/generator/site"
)

var today = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

// baseSite is the smallest valid site a new file is added to.
func baseSite() fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md":               {Data: []byte("---\ntitle: Les CQP de la métallurgie\nbase_url: https://cqp.example.org/\nowner: metallurgie\n---\n")},
		"content/branches/metallurgie.md": {Data: []byte("---\nname: Métallurgie\n---\n")},
	}
}

func check(fsys fstest.MapFS, strict bool) diag.List {
	_, list := site.Check(fsys, site.Options{Today: today, Strict: strict})
	return list
}

func codes(l diag.List) []string {
	var c []string
	for _, d := range l {
		c = append(c, d.Code)
	}
	slices.Sort(c)
	return c
}

// Every kind of file `cqp new` writes passes check as written; only the
// reminders that a new CQP has no summary and no blocks remain, as
// warnings. An editor's YAML tool flags nothing either.
func TestFilePassesCheck(t *testing.T) {
	v, err := schematest.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind, id string
		opts     scaffold.FileOptions
		warnings []string
	}{
		{"cqp", "cqpm-soudeur-industriel", scaffold.FileOptions{Branches: []string{"metallurgie"}}, []string{diag.NoBlocks, diag.NoSummary}},
		{"cqp", "soudeur", scaffold.FileOptions{Branches: []string{"metallurgie"}, Title: "Soudeur : « industriel », #1", Schema: "https://cqp.example.org/schema/cqp.schema.json"}, []string{diag.NoBlocks, diag.NoSummary}},
		{"branch", "plasturgie", scaffold.FileOptions{Title: "Plasturgie et composites"}, nil},
		{"branch", "industries-chimiques", scaffold.FileOptions{}, nil},
		{"page", "vae", scaffold.FileOptions{Schema: "../../schema/page.schema.json"}, nil},
		{"page", "mentions-legales", scaffold.FileOptions{Title: "Mentions légales"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.id, func(t *testing.T) {
			text, err := scaffold.File(tt.kind, tt.id, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			path, _ := scaffold.Path(tt.kind, tt.id)
			fsys := baseSite()
			fsys[path] = &fstest.MapFile{Data: text}
			list := check(fsys, false)
			if list.Errors() > 0 {
				t.Errorf("check reports errors:\n%v\nfile:\n%s", list, text)
			}
			if got := codes(list); !slices.Equal(got, tt.warnings) {
				t.Errorf("warnings %v, want %v:\n%v", got, tt.warnings, list)
			}
			if err := v.ValidateFile(path, text); err != nil {
				t.Errorf("the JSON Schema refuses the new file: %v\n%s", err, text)
			}
			f, _ := content.Parse(path, text)
			if tt.opts.Title != "" {
				if got := f.Meta.Pairs[0].Value.Value; got != tt.opts.Title {
					t.Errorf("title read back as %q, want %q", got, tt.opts.Title)
				}
			}
		})
	}
}

// The new file names its JSON Schema on the first line of the front matter,
// where yaml-language-server looks for it.
func TestFileModeline(t *testing.T) {
	text, err := scaffold.File("page", "vae", scaffold.FileOptions{Schema: "../../schema/page.schema.json"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(text), "---\n# yaml-language-server: $schema=../../schema/page.schema.json\n") {
		t.Errorf("the file does not open with the modeline:\n%s", text)
	}
	text, _ = scaffold.File("page", "vae", scaffold.FileOptions{})
	if strings.Contains(string(text), "yaml-language-server") {
		t.Errorf("a modeline without a schema:\n%s", text)
	}
}

// comments gathers the text of a file's comments, whitespace collapsed.
func comments(text []byte) string {
	var parts []string
	for _, l := range strings.Split(string(text), "\n") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(l), "#"); ok {
			parts = append(parts, strings.TrimSpace(c))
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Every key of the kind is in the file, under a comment that carries its
// definition's text, and every value of an enumeration is listed with its
// meaning: the file documents the model where the editor types.
func TestFileDocumentsEveryKey(t *testing.T) {
	for _, kind := range scaffold.Kinds() {
		doc, _ := scaffold.Doc(kind)
		text, err := scaffold.File(kind, "essai", scaffold.FileOptions{Branches: []string{"metallurgie"}})
		if err != nil {
			t.Fatal(err)
		}
		notes := comments(text)
		var walk func(t *schema.Type, indent string, written bool)
		walk = func(typ *schema.Type, indent string, written bool) {
			for i := range typ.Fields {
				f := &typ.Fields[i]
				if written && !regexp.MustCompile(`(?m)^`+indent+f.Key+`:`).Match(text) {
					t.Errorf("%s: no line %q", kind, indent+f.Key+":")
				}
				if !strings.Contains(notes, collapse(f.Doc)) {
					t.Errorf("%s.%s: the comments do not carry its definition %q", kind, f.Key, f.Doc)
				}
				enum := f.Type
				if enum.Kind == schema.List {
					enum = enum.Elem
				}
				for _, v := range enum.Values {
					if !strings.Contains(notes, collapse(v.Name+" : "+v.Doc)) {
						t.Errorf("%s.%s: value %q is not listed with its meaning", kind, f.Key, v.Name)
					}
				}
				switch {
				case f.Type.Kind == schema.Object:
					walk(f.Type, indent+"  ", written)
				case f.Type.Kind == schema.List && f.Type.Elem.Kind == schema.Object:
					walk(f.Type.Elem, "", false)
				}
			}
		}
		walk(doc.Type, "", true)
	}
}

// The examples commented out under blocks, jobs and contacts make a valid
// file once uncommented, as the comment invites.
func TestFileCommentedExamplesWork(t *testing.T) {
	for _, kind := range scaffold.Kinds() {
		text, err := scaffold.File(kind, "essai", scaffold.FileOptions{Branches: []string{"metallurgie"}})
		if err != nil {
			t.Fatal(err)
		}
		// Uncomment the example lines: "#   - " and the lines that follow
		// them at deeper indentation.
		lines := strings.Split(string(text), "\n")
		in := false
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, "#   - "):
				in = true
			case in && strings.HasPrefix(l, "#     "):
			default:
				in = false
			}
			if in {
				lines[i] = strings.TrimPrefix(l, "# ")
			}
		}
		uncommented := []byte(strings.Join(lines, "\n"))
		path, _ := scaffold.Path(kind, "essai")
		fsys := baseSite()
		fsys[path] = &fstest.MapFile{Data: uncommented}
		// The block's example points at cqpi-operateur-qualite/B01.
		fsys["content/cqp/cqpi-operateur-qualite.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Opérateur qualité\nbranches: [metallurgie]\nregistration:\n  register: none\nsummary: Contrôler.\nblocks:\n  - code: B01\n    title: Contrôler\n---\n")}
		list := check(fsys, false)
		if list.Errors() > 0 {
			t.Errorf("%s: uncommented examples do not pass check:\n%v\n%s", kind, list, uncommented)
		}
		f, _ := content.Parse(path, uncommented)
		for _, key := range []string{"blocks", "jobs", "contacts"} {
			for _, p := range f.Meta.Pairs {
				if p.Key.Value == key && p.Value.Kind != content.Seq {
					t.Errorf("%s: %s is still empty after uncommenting:\n%s", kind, key, uncommented)
				}
			}
		}
	}
}

func TestCheckID(t *testing.T) {
	tests := []struct {
		kind, id   string
		suggestion string // "" when the id is accepted
	}{
		{"cqp", "soudeur-industriel", ""},
		{"cqp", "cqpi-2", ""},
		{"cqp", "Soudeur industriel", "soudeur-industriel"},
		{"cqp", "opérateur-qualité", "operateur-qualite"},
		{"cqp", "soudeur--industriel", "soudeur-industriel"},
		{"cqp", "-soudeur", "soudeur"},
		{"cqp", "soudeur.md", "soudeur"},
		{"branch", "Métallurgie", "metallurgie"},
		{"branch", "cœur", "coeur"},
		{"page", "recherche", "recherche-infos"},
		{"page", "schema", "schema-infos"},
		{"cqp", "recherche", ""}, // reserved for pages only
	}
	for _, tt := range tests {
		err := scaffold.CheckID(tt.kind, tt.id)
		var ie *scaffold.IDError
		switch {
		case tt.suggestion == "" && err != nil:
			t.Errorf("CheckID(%q, %q) = %v, want nil", tt.kind, tt.id, err)
		case tt.suggestion != "" && !errors.As(err, &ie):
			t.Errorf("CheckID(%q, %q) = %v, want an IDError", tt.kind, tt.id, err)
		case tt.suggestion != "" && ie.Suggestion != tt.suggestion:
			t.Errorf("CheckID(%q, %q) suggests %q, want %q", tt.kind, tt.id, ie.Suggestion, tt.suggestion)
		case tt.suggestion != "" && !strings.Contains(err.Error(), "« "+tt.id+" »"):
			t.Errorf("CheckID(%q, %q) = %q does not quote the refused id", tt.kind, tt.id, err)
		}
		if ie != nil && !schema.IDPattern.MatchString(ie.Suggestion) {
			t.Errorf("CheckID(%q, %q) suggests %q, itself refused", tt.kind, tt.id, ie.Suggestion)
		}
	}
	if err := scaffold.CheckID("cours", "x"); err == nil {
		t.Error("CheckID accepts an unknown kind")
	}
}

func TestTitleFromID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"soudeur-industriel", "Soudeur industriel"},
		{"cqpm-soudeur", "CQPM soudeur"},
		{"cqpi-agent-logistique", "CQPI agent logistique"},
		{"vae", "VAE"},
		{"technicien-2", "Technicien 2"},
	}
	for _, tt := range tests {
		if got := scaffold.TitleFromID(tt.id); got != tt.want {
			t.Errorf("TitleFromID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestRelativeSchema(t *testing.T) {
	tests := []struct{ file, schema, want string }{
		{"content/cqp/x.md", "schema/cqp.schema.json", "../../schema/cqp.schema.json"},
		{"content/_index.md", "schema/site.schema.json", "../schema/site.schema.json"},
		{"content/pages/x.md", "docs/schema/page.schema.json", "../../docs/schema/page.schema.json"},
		{"x.md", "schema/page.schema.json", "schema/page.schema.json"},
	}
	for _, tt := range tests {
		if got := scaffold.RelativeSchema(tt.file, tt.schema); got != tt.want {
			t.Errorf("RelativeSchema(%q, %q) = %q, want %q", tt.file, tt.schema, got, tt.want)
		}
	}
}

// Scalar and FlowList write values that YAML reads back as written.
func TestScalarRoundTrip(t *testing.T) {
	values := []string{"Soudeur", "Soudeur : industriel", "- tiret", "2024", "yes", "null", "# dièse", "a #b", "« guillemets »", `"double" et 'simple'`, "[crochets]", "a, b", "é", "  espaces  ", "ligne\nsuivante"}
	for _, v := range values {
		var got struct {
			S string   `yaml:"s"`
			L []string `yaml:"l"`
		}
		src := "s: " + scaffold.Scalar(v) + "\nl: " + scaffold.FlowList([]string{v, "x"}) + "\n"
		if err := yaml.Unmarshal([]byte(src), &got); err != nil {
			t.Errorf("%q: %v\n%s", v, err, src)
			continue
		}
		if got.S != v || len(got.L) != 2 || got.L[0] != v {
			t.Errorf("%q read back as %q and %q from\n%s", v, got.S, got.L, src)
		}
	}
}

// A new catalogue passes check --strict as created, its files match the
// JSON Schema, and it carries the schemas themselves.
func TestSitePassesStrictCheck(t *testing.T) {
	v, err := schematest.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []scaffold.SiteOptions{
		{},
		{Title: "Les CQP de la plasturgie", BaseURL: "https://cqp.plasturgie.example/catalogue", Branch: "plasturgie", BranchName: "Plasturgie et composites", CQPVersion: "v1.4.2"},
	} {
		files, err := scaffold.Site(opts)
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{}
		for p, b := range files {
			fsys[p] = &fstest.MapFile{Data: b}
		}
		cat, list := site.Check(fsys, site.Options{Today: today, Strict: true})
		if len(list) > 0 {
			t.Errorf("%+v: check --strict reports:\n%v", opts, list)
		}
		if len(cat.CQPs) != 1 || len(cat.Branches) != 1 || len(cat.Pages) != 1 || cat.Owner() == nil {
			t.Errorf("%+v: %d CQP, %d branches, %d pages, owner %v", opts, len(cat.CQPs), len(cat.Branches), len(cat.Pages), cat.Owner())
		}
		for p, b := range files {
			if _, ok := schematest.DocFor(p); ok {
				if err := v.ValidateFile(p, b); err != nil {
					t.Errorf("%s: %v", p, err)
				}
				if !strings.HasPrefix(string(b), "---\n# yaml-language-server: $schema=") {
					t.Errorf("%s does not name its schema", p)
				}
			}
		}
		for p, b := range schema.JSONSchemas() {
			if string(files[p]) != string(b) {
				t.Errorf("%s is not the generated schema", p)
			}
		}
		for _, p := range []string{"README.md", ".github/workflows/cqp.yml", ".gitlab-ci.yml", ".gitignore", ".vscode/tasks.json"} {
			if len(files[p]) == 0 {
				t.Errorf("no %s", p)
			}
		}
		// Every modeline resolves to a schema the site carries.
		for p, b := range files {
			first, _, _ := strings.Cut(strings.TrimPrefix(string(b), "---\n"), "\n")
			if ref, ok := strings.CutPrefix(first, "# yaml-language-server: $schema="); ok {
				target := strings.TrimPrefix(ref, "../")
				target = strings.TrimPrefix(target, "../")
				if _, ok := files[target]; !ok || scaffold.RelativeSchema(p, target) != ref {
					t.Errorf("%s: $schema=%s leads nowhere", p, ref)
				}
			}
		}
	}
}

func TestSiteRefusesBadOptions(t *testing.T) {
	for _, opts := range []scaffold.SiteOptions{
		{BaseURL: "cqp.example.org"},
		{BaseURL: "ftp://cqp.example.org/"},
		{Branch: "Plasturgie"},
		{CQPVersion: "latest"},
		{CQPVersion: "1.2.3"},
		{CQPVersion: "v1.2"},
		{CQPVersion: "v1.2.3; rm -rf /"},
	} {
		if _, err := scaffold.Site(opts); err == nil {
			t.Errorf("Site(%+v) accepted", opts)
		}
	}
}

func TestValidVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.1.0": true, "v1.12.3": true, "v1.2.3-rc.1": true, "v0.0.0-20260101120000-abcdef123456": true,
		"": false, "latest": false, "1.2.3": false, "v1.2": false, "v1.x.3": false, "(développement)": false,
	} {
		if got := scaffold.ValidVersion(v); got != want {
			t.Errorf("ValidVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

// The GitHub workflow is valid YAML with the jobs, triggers, permissions
// and pinned version the README promises; the GitLab file likewise.
func TestWorkflows(t *testing.T) {
	files, err := scaffold.Site(scaffold.SiteOptions{CQPVersion: "v1.4.2"})
	if err != nil {
		t.Fatal(err)
	}
	var gh struct {
		On struct {
			PullRequest any `yaml:"pull_request"`
			Push        struct {
				Branches []string `yaml:"branches"`
			} `yaml:"push"`
		} `yaml:"on"`
		Env         map[string]string `yaml:"env"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			If          string            `yaml:"if"`
			Needs       any               `yaml:"needs"`
			Permissions map[string]string `yaml:"permissions"`
			Environment struct {
				Name string `yaml:"name"`
			} `yaml:"environment"`
			Concurrency struct {
				Group string `yaml:"group"`
			} `yaml:"concurrency"`
			Steps []struct {
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(files[".github/workflows/cqp.yml"], &gh); err != nil {
		t.Fatalf(".github/workflows/cqp.yml: %v", err)
	}
	if !slices.Contains(gh.On.Push.Branches, "main") || gh.Env["CQP_VERSION"] != "v1.4.2" || gh.Permissions["contents"] != "read" {
		t.Errorf("workflow triggers, env or permissions: %+v %v %v", gh.On, gh.Env, gh.Permissions)
	}
	runs := map[string][]string{}
	uses := map[string][]string{}
	for name, j := range gh.Jobs {
		for _, s := range j.Steps {
			if s.Run != "" {
				runs[name] = append(runs[name], s.Run)
			}
			if s.Uses != "" {
				uses[name] = append(uses[name], strings.Split(s.Uses, "@")[0])
			}
		}
	}
	if !slices.Contains(runs["check"], "cqp check --format github --strict") || gh.Jobs["check"].If != "" {
		t.Errorf("the check job does not run on every event: %v, if %q", runs["check"], gh.Jobs["check"].If)
	}
	for _, job := range []string{"check", "build"} {
		if !slices.Contains(runs[job], "go install "+scaffold.Module+"/cmd/cqp@${{ env.CQP_VERSION }}") || !slices.Contains(uses[job], "actions/setup-go") {
			t.Errorf("job %s does not install cqp at the pinned version: %v", job, runs[job])
		}
	}
	if b := gh.Jobs["build"]; !strings.Contains(b.If, "refs/heads/main") || !strings.Contains(b.If, "pull_request") ||
		!slices.Contains(uses["build"], "actions/configure-pages") || !slices.Contains(uses["build"], "actions/upload-pages-artifact") {
		t.Errorf("the build job: if %q, uses %v", b.If, uses["build"])
	}
	if d := gh.Jobs["deploy"]; d.Permissions["pages"] != "write" || d.Permissions["id-token"] != "write" || d.Environment.Name != "github-pages" || d.Concurrency.Group == "" || !slices.Contains(uses["deploy"], "actions/deploy-pages") {
		t.Errorf("the deploy job: %+v", d)
	}

	type glJob struct {
		Stage     string   `yaml:"stage"`
		Script    []string `yaml:"script"`
		Artifacts struct {
			Paths []string `yaml:"paths"`
		} `yaml:"artifacts"`
		Rules []map[string]string `yaml:"rules"`
	}
	var gl struct {
		Variables map[string]string `yaml:"variables"`
		Stages    []string          `yaml:"stages"`
		Default   struct {
			BeforeScript []string `yaml:"before_script"`
		} `yaml:"default"`
		Check glJob `yaml:"check"`
		Pages glJob `yaml:"pages"`
	}
	if err := yaml.Unmarshal(files[".gitlab-ci.yml"], &gl); err != nil {
		t.Fatalf(".gitlab-ci.yml: %v", err)
	}
	if !slices.Contains(gl.Check.Script, "cqp check --strict") || !slices.Contains(gl.Stages, gl.Check.Stage) {
		t.Errorf("GitLab check job: %+v", gl.Check)
	}
	if p := gl.Pages; !slices.Equal(p.Artifacts.Paths, []string{"public"}) || len(p.Rules) != 1 || p.Rules[0]["if"] != "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" || !slices.Contains(gl.Stages, p.Stage) {
		t.Errorf("GitLab pages job: %+v", p)
	}
	if gl.Variables["CQP_VERSION"] != "v1.4.2" || !slices.Contains(gl.Default.BeforeScript, "go install "+scaffold.Module+"/cmd/cqp@${CQP_VERSION}") {
		t.Errorf("GitLab does not install the pinned version: %v %v", gl.Variables, gl.Default.BeforeScript)
	}
}

// The VS Code task's problem matcher reads the diagnostics cqp prints.
func TestVSCodeTasks(t *testing.T) {
	files, err := scaffold.Site(scaffold.SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var tasks struct {
		Tasks []struct {
			Label          string   `json:"label"`
			Command        string   `json:"command"`
			Args           []string `json:"args"`
			ProblemMatcher struct {
				Pattern struct {
					Regexp string `json:"regexp"`
				} `json:"pattern"`
			} `json:"problemMatcher"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(files[".vscode/tasks.json"], &tasks); err != nil {
		t.Fatal(err)
	}
	d := diag.Diagnostic{Pos: diag.Pos{Path: "content/cqp/soudeur.md", Line: 12, Col: 3}, Severity: diag.Error, Message: "clé inconnue « titel » : vouliez-vous dire « title » ?"}
	for _, task := range tasks.Tasks {
		re, err := regexp.Compile(task.ProblemMatcher.Pattern.Regexp)
		if err != nil {
			t.Fatalf("%s: %v", task.Label, err)
		}
		m := re.FindStringSubmatch(d.String())
		if m == nil || m[1] != d.Pos.Path || m[2] != "12" || m[3] != "3" || m[4] != "error" || m[5] != d.Message {
			t.Errorf("%s: the matcher reads %q as %q", task.Label, d.String(), m)
		}
		if task.Command != "cqp" {
			t.Errorf("%s runs %q", task.Label, task.Command)
		}
	}
}
