package theme_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/theme"
	defaulttheme "github.com/cqp-catalogue/cqp/themes/default"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// homeView is what the default skeleton needs.
type homeView struct{ render.Page }

func TestLayersFirstWins(t *testing.T) {
	upper := fstest.MapFS{
		"layouts/cqp.html":  file("upper"),
		"static/extra.txt":  file("extra"),
		"static/style.css":  file("upper css"),
		"i18n/fr.yaml":      file("a: b"),
		"only-upper/x.html": file("x"),
	}
	lower := fstest.MapFS{
		"layouts/cqp.html":  file("lower"),
		"layouts/home.html": file("home"),
		"static/style.css":  file("lower css"),
		"static/site.js":    file("js"),
	}
	l := theme.Layers(upper, lower)
	for name, want := range map[string]string{
		"layouts/cqp.html":  "upper",
		"layouts/home.html": "home",
		"static/style.css":  "upper css",
		"static/site.js":    "js",
	} {
		got, err := fs.ReadFile(l, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	entries, err := fs.ReadDir(l, "static")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"extra.txt", "site.js", "style.css"}; !slices.Equal(names, want) {
		t.Errorf("ReadDir(static) = %v, want %v", names, want)
	}
	if _, err := fs.ReadFile(l, "nope.html"); err == nil {
		t.Error("ReadFile(nope.html) succeeded")
	}
	if err := fstest.TestFS(l, "layouts/cqp.html", "layouts/home.html", "static/site.js", "static/extra.txt", "only-upper/x.html"); err != nil {
		t.Error(err)
	}
}

func TestDefaultThemeLoads(t *testing.T) {
	for _, lang := range []string{"fr", "en", "fr-FR", "en-GB", "de"} {
		th, err := theme.Load(nil, "", lang)
		if err != nil {
			t.Fatalf("Load(%q): %v", lang, err)
		}
		for _, l := range []string{"layouts/home.html", "layouts/cqp.html", "layouts/branch.html", "layouts/branches.html", "layouts/cqpi.html", "layouts/level.html", "layouts/levels.html", "layouts/list.html", "layouts/page.html", "layouts/search.html", "layouts/404.html"} {
			if !th.HasLayout(l) {
				t.Errorf("Load(%q): no layout %s", lang, l)
			}
		}
	}
}

func TestLanguagePicksStrings(t *testing.T) {
	tests := []struct {
		lang, key, want, wantLang string
	}{
		{"fr", "nav.skip", "Aller au contenu", "fr"},
		{"en", "nav.skip", "Skip to content", "en"},
		{"en-GB", "nav.skip", "Skip to content", "en"},
		{"fr-CA", "nav.skip", "Aller au contenu", "fr"},
		{"de", "nav.skip", "Aller au contenu", "fr"}, // no German file: French
	}
	for _, tt := range tests {
		th, err := theme.Load(nil, "", tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := th.Text(tt.key); got != tt.want || err != nil {
			t.Errorf("lang %s: Text(%q) = %q, %v; want %q", tt.lang, tt.key, got, err, tt.want)
		}
		if th.Lang != tt.wantLang {
			t.Errorf("lang %s: Lang = %q, want %q", tt.lang, th.Lang, tt.wantLang)
		}
	}
}

func TestTextAndPlural(t *testing.T) {
	fr, _ := theme.Load(nil, "", "fr")
	en, _ := theme.Load(nil, "", "en")
	tests := []struct {
		th   *theme.Theme
		n    int
		want string
	}{
		{fr, 0, "0 certificat"}, {fr, 1, "1 certificat"}, {fr, 2, "2 certificats"},
		{en, 0, "0 certificates"}, {en, 1, "1 certificate"}, {en, 12, "12 certificates"},
	}
	for _, tt := range tests {
		if got, err := tt.th.Plural("count.cqp", tt.n); got != tt.want || err != nil {
			t.Errorf("%s Plural(count.cqp, %d) = %q, %v; want %q", tt.th.Lang, tt.n, got, err, tt.want)
		}
	}
	got, err := fr.Text("cqp.record", "number", "RNCP37890")
	if want := "fiche RNCP37890 sur le site de France compétences"; got != want || err != nil {
		t.Errorf("Text(cqp.record) = %q, %v; want %q", got, err, want)
	}
	if _, err := fr.Text("pas.de.cle"); err == nil || !strings.Contains(err.Error(), "pas.de.cle") || !strings.Contains(err.Error(), "i18n/fr.yaml") {
		t.Errorf("Text(missing) error = %v, want one naming the key and i18n/fr.yaml", err)
	}
	if n := fr.Len("steps.formation"); n < 5 {
		t.Errorf("Len(steps.formation) = %d, want the five steps", n)
	}
}

// Every language file the default theme ships has the same keys as the
// French one, so that no string falls back to French by mistake.
func TestLanguageFilesAgree(t *testing.T) {
	keys := func(lang string) []string {
		t.Helper()
		th, err := theme.New("default", lang, defaulttheme.FS)
		if err != nil {
			t.Fatal(err)
		}
		return th.Keys()
	}
	fr := keys("fr")
	entries, err := fs.ReadDir(defaulttheme.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		lang := strings.TrimSuffix(e.Name(), ".yaml")
		if lang == "fr" {
			continue
		}
		other := keys(lang)
		for _, k := range fr {
			if !slices.Contains(other, k) {
				t.Errorf("i18n/%s.yaml lacks %q", lang, k)
			}
		}
		for _, k := range other {
			if !slices.Contains(fr, k) {
				t.Errorf("i18n/%s.yaml has %q, which i18n/fr.yaml lacks", lang, k)
			}
		}
	}
}

func TestThemeOnDiskOverridesFileByFile(t *testing.T) {
	site := fstest.MapFS{
		"themes/maison/layouts/home.html": file(`{{define "main"}}<h1 class="maison">{{.Heading}}</h1><p>{{t "nav.skip"}}</p>{{end}}`),
		"themes/maison/i18n/fr.yaml":      file("nav:\n  skip: Passer au contenu\n"),
		"themes/maison/static/style.css":  file("body{color:black}"),
	}
	th, err := theme.Load(site, "maison", "fr")
	if err != nil {
		t.Fatal(err)
	}
	out, err := th.Render("layouts/home.html", homeView{render.Page{Heading: "Accueil", Lang: "fr"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<h1 class="maison">Accueil</h1>`, "Passer au contenu", "<!DOCTYPE html>"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("home lacks %q:\n%s", want, out)
		}
	}
	// A key the theme does not reword comes from the embedded file.
	if got, _ := th.Text("nav.main"); got != "Menu principal" {
		t.Errorf("Text(nav.main) = %q, want the embedded string", got)
	}
	static, err := th.Static()
	if err != nil {
		t.Fatal(err)
	}
	if string(static["style.css"]) != "body{color:black}" || static["site.js"] == nil || static["favicon.svg"] == nil {
		t.Errorf("Static() = %v keys; want the theme's style.css over the embedded site.js and favicon.svg", len(static))
	}
}

func TestThemeErrors(t *testing.T) {
	tests := []struct {
		name string
		site fstest.MapFS
		want []string
	}{
		{"absent", fstest.MapFS{"content/_index.md": file("")}, []string{"thème « absent » introuvable", "themes/absent/"}},
		{"casse", fstest.MapFS{"themes/casse/layouts/cqp.html": file("{{define \"main\"}}\n\n{{.Titre}\n{{end}}")}, []string{"layouts/cqp.html:3"}},
		{"sansmain", fstest.MapFS{"themes/sansmain/layouts/extra.html": file("<p>rien</p>")}, []string{"layouts/extra.html", `{{define "main"}}`}},
		{"yaml", fstest.MapFS{"themes/yaml/i18n/fr.yaml": file("nav: [\n")}, []string{"i18n/fr.yaml"}},
	}
	for _, tt := range tests {
		_, err := theme.Load(tt.site, tt.name, "fr")
		if err == nil {
			t.Errorf("Load(%s) succeeded", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%s) error %q lacks %q", tt.name, err, w)
			}
		}
	}
}

func TestExecuteErrorNamesLayoutAndLine(t *testing.T) {
	site := fstest.MapFS{
		"themes/t/layouts/page.html": file("{{define \"main\"}}\n<p>\n{{.Absent}}\n</p>{{end}}"),
	}
	th, err := theme.Load(site, "t", "fr")
	if err != nil {
		t.Fatal(err)
	}
	_, err = th.Render("layouts/page.html", homeView{})
	if err == nil || !strings.Contains(err.Error(), "layouts/page.html:3") {
		t.Errorf("Render error = %v, want one at layouts/page.html:3", err)
	}
	if _, err := th.Render("layouts/none.html", homeView{}); err == nil || !strings.Contains(err.Error(), "layouts/none.html") {
		t.Errorf("Render(missing layout) error = %v", err)
	}
}

// Layouts compacted by Options.Compact are what pages execute; errors
// still name the line the author wrote; a compactor that fails leaves the
// layouts as written.
func TestCompactedLayouts(t *testing.T) {
	site := fstest.MapFS{
		"themes/t/layouts/page.html": file("{{define \"main\"}}\n<p>\n  {{.Heading}}\n</p>\n<p>\n{{.Absent}}\n</p>{{end}}"),
	}
	squeeze := func(path string, src []byte) ([]byte, error) {
		return []byte(strings.NewReplacer("\n", "", "  ", "").Replace(string(src))), nil
	}
	th, err := theme.LoadWith(site, "t", "fr", theme.Options{Compact: squeeze})
	if err != nil {
		t.Fatal(err)
	}
	if !th.Compacted() {
		t.Fatal("Compacted() = false")
	}
	_, err = th.Render("layouts/page.html", homeView{})
	if err == nil || !strings.Contains(err.Error(), "layouts/page.html:6") {
		t.Errorf("Render error = %v, want one at layouts/page.html:6, the line as written", err)
	}

	site["themes/t/layouts/page.html"] = file("{{define \"main\"}}\n<p>\n  {{.Heading}}\n</p>{{end}}")
	th, err = theme.LoadWith(site, "t", "fr", theme.Options{Compact: squeeze})
	if err != nil {
		t.Fatal(err)
	}
	got, err := th.Render("layouts/page.html", homeView{render.Page{Heading: "Titre"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "<p>Titre</p>") {
		t.Errorf("page not executed from the compacted layout:\n%s", got)
	}

	broken := func(path string, src []byte) ([]byte, error) {
		if strings.HasSuffix(path, "page.html") {
			return []byte("{{define \"main\"}}{{if}}"), nil // does not parse
		}
		return src, nil
	}
	th, err = theme.LoadWith(site, "t", "fr", theme.Options{Compact: broken})
	if err != nil {
		t.Fatal(err)
	}
	if th.Compacted() {
		t.Error("Compacted() = true after a compacted layout failed to parse")
	}
	got, err = th.Render("layouts/page.html", homeView{render.Page{Heading: "Titre"}})
	if err != nil || !strings.Contains(string(got), "<p>\n  Titre\n</p>") {
		t.Errorf("page not executed from the layout as written: %v\n%s", err, got)
	}
}
