package markdown_test

import (
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// resolve knows one CQP, one branch and one page, as a catalogue would.
func resolve(scheme, target string) (string, bool) {
	known := map[string]string{
		"cqp:soudeur":         "cqp/soudeur/index.html",
		"branche:metallurgie": "branches/metallurgie/index.html",
		"page:vae":            "vae/index.html",
	}
	p, ok := known[scheme+":"+target]
	return p, ok
}

func render(t *testing.T, src string, c markdown.Context) string {
	t.Helper()
	if c.Resolve == nil {
		c.Resolve = resolve
	}
	out, err := markdown.Render(markdown.New(), []byte(src), c)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return string(out)
}

// check asserts that out contains each line, or does not when the line
// starts with "! ".
func check(t *testing.T, src, out string, lines []string) {
	t.Helper()
	for _, l := range lines {
		if not, ok := strings.CutPrefix(l, "! "); ok {
			if strings.Contains(out, not) {
				t.Errorf("Render(%q) contains %q:\n%s", src, not, out)
			}
		} else if !strings.Contains(out, l) {
			t.Errorf("Render(%q) lacks %q:\n%s", src, l, out)
		}
	}
}

func TestRenderSiteLinks(t *testing.T) {
	tests := []struct {
		dir, src string
		want     []string
	}{
		{"cqp/x", "[soudeur](cqp:soudeur)", []string{`<a href="../../cqp/soudeur/index.html">soudeur</a>`}},
		{"", "[soudeur](cqp:soudeur)", []string{`<a href="cqp/soudeur/index.html">soudeur</a>`}},
		{"vae", "[la branche](branche:metallurgie)", []string{`<a href="../branches/metallurgie/index.html">la branche</a>`}},
		{"branches/metallurgie", "[VAE](page:vae)", []string{`<a href="../../vae/index.html">VAE</a>`}},
		{"cqp/x", "[ref][r]\n\n[r]: cqp:soudeur", []string{`<a href="../../cqp/soudeur/index.html">ref</a>`}},
		// A target the checker would refuse keeps its text, loses its link.
		{"cqp/x", "[perdu](cqp:inconnu)", []string{"perdu", "! <a", "! cqp:inconnu"}},
		// Other links are left alone.
		{"cqp/x", "[ext](https://example.org/a?b=1) [ancre](#blocs) [rel](../x/)", []string{
			`<a href="https://example.org/a?b=1">ext</a>`, `<a href="#blocs">ancre</a>`, `<a href="../x/">rel</a>`}},
	}
	for _, tt := range tests {
		check(t, tt.src, render(t, tt.src, markdown.Context{Dir: tt.dir}), tt.want)
	}
}

// Dangerous URLs lose their link, whatever their spelling and whatever
// the kind of link; the text stays.
func TestRenderDropsDangerousURLs(t *testing.T) {
	srcs := []string{
		"[clic](javascript:alert(1))",
		"[clic](JaVaScRiPt:alert(1))",
		"[clic](java&#x73;cript:alert(1))",
		"[clic](&#106;avascript:alert(1))",
		"[clic](javascript&colon;alert(1))",
		"[clic](<java\tscript:alert(1)>)",
		"[clic]( javascript:alert(1))",
		"[clic](vbscript:msgbox(1))",
		"[clic](data:text/html,<script>alert(1)</script>)",
		"[clic](DATA:text/html;base64,PHNjcmlwdD4=)",
		"[clic][r]\n\n[r]: javascript:alert(1)",
		"<javascript:alert(1)>",
		"![clic](javascript:alert(1))",
		"![clic](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
		"[![clic](x.png)](javascript:alert(1))",
	}
	for _, src := range srcs {
		out := render(t, src, markdown.Context{Dir: "cqp/x"})
		low := strings.ToLower(out)
		for _, bad := range []string{"javascript", "vbscript", "data:", "<script", "onload", "href=\"\""} {
			if strings.Contains(low, bad) && !strings.Contains(src, "<javascript:") {
				t.Errorf("Render(%q) keeps %q:\n%s", src, bad, out)
			}
		}
		if !strings.Contains(out, "clic") && !strings.Contains(src, "<javascript:") {
			t.Errorf("Render(%q) lost the text:\n%s", src, out)
		}
		if strings.Contains(low, "<a") && !strings.Contains(src, "x.png") {
			t.Errorf("Render(%q) keeps a link:\n%s", src, out)
		}
		if strings.Contains(low, "<img") && !strings.Contains(src, "x.png") {
			t.Errorf("Render(%q) keeps an image:\n%s", src, out)
		}
	}
	// The autolink's text is its URL, shown as text, never as a link.
	out := render(t, "<javascript:alert(1)>", markdown.Context{})
	check(t, "<javascript:alert(1)>", out, []string{"javascript:alert(1)", "! <a"})
}

func TestIsDangerousURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"javascript:alert(1)", true},
		{"JAVASCRIPT:alert(1)", true},
		{" \t javascript:x", true},
		{"java\nscript:x", true},
		{"java\x00script:x", true},
		{"java&#x73;cript:x", true},
		{"java&#115;cript:x", true},
		{"&#x6A;avascript&#x3A;x", true},
		{"javascript&colon;x", true},
		{`java\script:x`, true},
		{"vbscript:x", true},
		{"data:text/html,x", true},
		{"Data:image/png;base64,AAAA", true},
		{"https://example.org/javascript:x", false},
		{"http://example.org", false},
		{"mailto:a@example.org", false},
		{"tel:+33123456789", false},
		{"../cqp/x/index.html", false},
		{"#javascript:x", false},
		{"?q=javascript:x", false},
		{"/data:x", false},
		{"cqp:soudeur", false},
	}
	for _, tt := range tests {
		if got := markdown.IsDangerousURL(tt.url); got != tt.want {
			t.Errorf("IsDangerousURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestRenderEscapesRawHTML(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"<script>alert(1)</script>", []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "! <script"}},
		{"Du <b>gras</b> et <img src=x onerror=alert(1)>.", []string{"&lt;b&gt;gras&lt;/b&gt;", "&lt;img src=x onerror=alert(1)&gt;", "! <b>", "! <img"}},
		{"<div onclick=\"x()\">\nbloc\n</div>", []string{"&lt;div onclick=&quot;x()&quot;&gt;", "! <div"}},
		{"<!-- note de l'éditeur -->\n\nTexte <!-- en ligne -->", []string{"Texte", "! note", "! en ligne", "! &lt;!--"}},
		{"<style>body{display:none}</style>", []string{"&lt;style&gt;", "! <style"}},
		{"<iframe src=\"https://evil.example\"></iframe>", []string{"&lt;iframe", "! <iframe"}},
	}
	for _, tt := range tests {
		check(t, tt.src, render(t, tt.src, markdown.Context{}), tt.want)
	}
}

func TestRenderHeadings(t *testing.T) {
	tests := []struct {
		src  string
		top  int
		want []string
	}{
		{"## Prérequis\n\n### Détail", 3, []string{`<h3 id="prerequis">Prérequis</h3>`, `<h4 id="detail">Détail</h4>`}},
		{"# Titre\n\n## Sous-titre", 2, []string{`<h2 id="titre">`, `<h3 id="sous-titre">`, "! <h1"}},
		{"### Seul", 2, []string{`<h2 id="seul">`}},
		{"## Même\n\n## Même", 2, []string{`id="meme"`, `id="meme-2"`}},
		// Layout ids and reserved ids are never taken.
		{"## Contacts\n\n## Blocs", 2, []string{`id="contacts-2"`, `id="blocs-2"`}},
		{"## Qu'est-ce qu'un CQP ?", 2, []string{`id="qu-est-ce-qu-un-cqp"`}},
		{"## Œuvre & cœur", 0, []string{`<h2 id="oeuvre-coeur">`}},
	}
	for _, tt := range tests {
		out := render(t, tt.src, markdown.Context{TopHeading: tt.top, ReservedIDs: []string{"contacts", "blocs"}})
		check(t, tt.src, out, tt.want)
	}
}

func TestRenderTables(t *testing.T) {
	src := "| Niveau | CPF |\n|:---|---:|\n| RNCP | oui |\n"
	out := render(t, src, markdown.Context{})
	check(t, src, out, []string{"<table>", "<th", `class="align-left"`, `class="align-right"`, "! style="})
}

func TestRefsIgnoresRenderedContext(t *testing.T) {
	// Refs, which the checker uses, still sees site links as written.
	refs := markdown.Refs(markdown.New(), []byte("[a](cqp:soudeur) [b](javascript:x) [c](page:vae)"))
	if len(refs) != 2 || refs[0].Dest != "cqp:soudeur" || refs[1].Dest != "page:vae" {
		t.Errorf("Refs = %+v, want cqp:soudeur and page:vae", refs)
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Qu'est-ce qu'un CQP ?", "qu-est-ce-qu-un-cqp"},
		{"Bloc n° 2 : Régler", "bloc-n-2-regler"},
		{"RNCP37890BC01", "rncp37890bc01"},
		{"  --  ", ""},
		{"Œil et cœur", "oeil-et-coeur"},
		{"Ça marche", "ca-marche"},
	}
	for _, tt := range tests {
		if got := markdown.Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRel(t *testing.T) {
	tests := []struct{ dir, target, want string }{
		{"", "style.css", "style.css"},
		{"cqp/x", "style.css", "../../style.css"},
		{"recherche", "cqp/x/index.html", "../cqp/x/index.html"},
		{"branches/x/cqp/page/2", "index.html", "../../../../../index.html"},
	}
	for _, tt := range tests {
		if got := markdown.Rel(tt.dir, tt.target); got != tt.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", tt.dir, tt.target, got, tt.want)
		}
	}
}
