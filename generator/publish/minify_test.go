package publish

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A page with what the theme produces: document tags, a table, code in
// <pre>, a form, inline SVG with an accessible name, JSON-LD whose strings
// hold "</script>" escaped as \u003c, and an external script.
const pageHTML = `<!DOCTYPE html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>CQPI Opérateur qualité — Catalogue</title>
    <link rel="stylesheet" href="../../assets/style.css">
    <link rel="canonical" href="https://example.org/cqp/cqp/cqpi-operateur-qualite/">
    <script type="application/ld+json">
    {
      "@context": "https://schema.org",
      "@type": "EducationalOccupationalCredential",
      "name": "Opérateur \u003c/script\u003e qualité",
      "credentialCategory": "CQPI",
      "educationalLevel": 3,
      "timeRequired": 1000000,
      "ratio": 0.50,
      "competencyRequired": [ { "@type": "DefinedTerm", "name": "Contrôler \"la\" qualité" } ],
      "empty": {}
    }
    </script>
    <!-- a comment the visitor never sees -->
  </head>
  <body class="  page   cqp  ">
    <a class="skip" href="#contenu">Aller au contenu</a>
    <header role="banner">
      <nav aria-label="Menu principal">
        <ul>
          <li><a href="../../">Accueil</a></li>
          <li><a href="../../recherche/" aria-current="page">Recherche</a></li>
        </ul>
      </nav>
    </header>
    <main id="contenu">
      <h1>CQPI <em>Opérateur</em> qualité</h1>
      <p>Inscrit au <abbr title="Répertoire national des certifications professionnelles">RNCP</abbr> :
         <strong>finançable</strong> par le <a href="https://www.moncompteformation.gouv.fr/">CPF</a>.
         Niveau&nbsp;3 &amp; plus.</p>
      <table>
        <caption>Blocs de compétences</caption>
        <thead>
          <tr><th scope="col">Code</th> <th scope="col">Intitulé</th><th scope="col" colspan="1">Heures</th></tr>
        </thead>
        <tbody>
          <tr><td>RNCP37890BC01</td> <td>Préparer   le contrôle</td><td>35</td></tr>
          <tr><td>RNCP37890BC02</td> <td>Contrôler</td><td></td></tr>
        </tbody>
      </table>
      <pre><code>  indenté
	tabulation

  fin  </code></pre>
      <form action="../../recherche/" method="get" role="search">
        <label for="q">Rechercher</label>
        <input type="text" id="q" name="q" value="">
        <input type="search" name="s">
        <button type="submit">OK</button>
        <textarea name="t">  garder
   ces   espaces </textarea>
      </form>
      <figure>
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" role="img" aria-labelledby="fig-titre">
          <title id="fig-titre">Branches et CQPI</title>
          <desc>Deux branches reliées</desc>
          <rect x="10.5" y="10" width="60" height="30" rx="4" fill="none" stroke="currentColor"/>
          <line x1="70.5" y1="25" x2="130" y2="25" stroke="currentColor" stroke-width="2"/>
          <text x="40" y="30" text-anchor="middle">Métallurgie</text>
        </svg>
        <figcaption>Les branches <a href="../../branches/metallurgie/">Métallurgie</a> et
          <a href="../../branches/plasturgie/">Plasturgie</a></figcaption>
      </figure>
      <ul class="cartes">
        <li><a href="a/">Un</a> <span>deux</span></li>
        <li><a href="b/">Trois</a>, <span>quatre</span></li>
      </ul>
    </main>
    <footer><p>© 2025 · <a href="../../mentions-legales/">Mentions légales</a></p></footer>
    <script src="../../search/app.js" defer></script>
  </body>
</html>
`

const styleCSS = `/* Thème par défaut */
:root {
  --accent: #0055a4;
  --ratio: 0.333333;
}
body { margin: 0; font-family: system-ui, sans-serif; }
input[type="text"], button[type=submit] { font-size: 1rem; }
@media (max-width: 40em) {
  .cartes { display: grid; gap: 0.5rem; }
}
`

const appJS = `// Recherche
(function () {
  "use strict";
  var index = window.CQP_INDEX || [];
  function plier(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  window.cqpSearch = function (requete) {
    var q = plier(requete);
    return index.filter(function (entree) { return plier(entree.titre).indexOf(q) >= 0; });
  };
})();
`

const catalogueJSON = `{
  "cqp": [
    { "id": "cqpi-operateur-qualite", "title": "Opérateur <qualité> & \u003c/script\u003e",
      "level": 3, "hours": 1000000, "rate": 1.50, "big": 12345678901234567890,
      "blocks": [ ], "archived": false, "until": null }
  ]
}
`

const figureSVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Généré par cqp -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 300 120" role="img" aria-labelledby="t">
  <title id="t">CQPI et branches</title>
  <g class="branche">
    <rect x="10" y="10" width="100" height="40" fill="none" stroke="currentColor"/>
    <a xlink:href="branches/metallurgie/"><text x="60" y="35" text-anchor="middle">Métallurgie</text></a>
  </g>
</svg>
`

const sitemapXML = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>https://example.org/cqp/</loc>
    <lastmod>2025-01-15</lastmod>
  </url>
  <url>
    <loc>https://example.org/cqp/cqp/cqpi-operateur-qualite/</loc>
  </url>
</urlset>
`

const feedXML = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Catalogue   des CQP</title>
  <id>https://example.org/cqp/</id>
  <updated>2025-01-15T00:00:00Z</updated>
  <entry>
    <title>Opérateur &amp; qualité</title>
    <link href="https://example.org/cqp/cqp/cqpi-operateur-qualite/"/>
    <summary>Contrôler la qualité &lt;em&gt;en production&lt;/em&gt;.</summary>
  </entry>
</feed>
`

// A feed whose HTML content holds preformatted text: minifying the text
// would reflow it in feed readers.
const feedPreXML = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <content type="html">&lt;pre&gt;  a
    b&lt;/pre&gt;</content>
  </entry>
</feed>
`

func sampleFiles() map[string][]byte {
	return map[string][]byte{
		"cqp/cqpi-operateur-qualite/index.html": []byte(pageHTML),
		"assets/style.css":                      []byte(styleCSS),
		"search/app.js":                         []byte(appJS),
		"catalogue.json":                        []byte(catalogueJSON),
		"cqpi/figure.svg":                       []byte(figureSVG),
		"sitemap.xml":                           []byte(sitemapXML),
		"feed.xml":                              []byte(feedXML),
		"robots.txt":                            []byte("User-agent: *\n\nAllow: /\n"),
		"assets/logo.png":                       {0x89, 'P', 'N', 'G', ' ', ' ', '\n', '\n'},
	}
}

func minified(t *testing.T) (before, after map[string][]byte) {
	t.Helper()
	before = sampleFiles()
	after = maps.Clone(before)
	if err := Minify(after); err != nil {
		t.Fatalf("Minify: %v", err)
	}
	return before, after
}

func TestMinifyShrinksEveryKind(t *testing.T) {
	before, after := minified(t)
	for _, p := range slices.Sorted(maps.Keys(before)) {
		b, a := before[p], after[p]
		switch mediaType(p) {
		case "":
			if !bytes.Equal(a, b) {
				t.Errorf("%s: a file of no minified kind changed:\n%q\nwant\n%q", p, a, b)
			}
		default:
			if len(a) >= len(b) {
				t.Errorf("%s: minified to %d bytes, not fewer than the %d rendered", p, len(a), len(b))
			}
		}
	}
}

func TestMinifyHTMLKeepsMeaning(t *testing.T) {
	before, after := minified(t)
	const p = "cqp/cqpi-operateur-qualite/index.html"
	b, a := before[p], after[p]
	t.Logf("%s: %d → %d bytes\n%s", p, len(b), len(a), a)

	if !bytes.HasPrefix(bytes.ToLower(a), []byte("<!doctype html>")) {
		t.Errorf("the doctype is gone: %.40q", a)
	}
	for _, keep := range []string{
		`<html lang="fr">`, `<head>`, `</head>`, `<body`, `</body>`, `</html>`, // KeepDocumentTags
		`</li>`, `</p>`, `</td>`, `</tr>`, // KeepEndTags
		`type="text"`, `type="submit"`, `method="get"`, // KeepDefaultAttrVals, for CSS selectors
		`<script src="../../search/app.js" defer></script>`,
		`\u003c/script\u003e`, // JSON-LD strings stay escaped
		"<pre><code>  indenté\n\ttabulation\n\n  fin  </code></pre>",
		"<textarea name=\"t\">  garder\n   ces   espaces </textarea>",
		`<title id="fig-titre">Branches et CQPI</title>`,
	} {
		if !bytes.Contains(a, []byte(keep)) {
			t.Errorf("minified page lost %q", keep)
		}
	}
	if bytes.Contains(a, []byte("a comment the visitor never sees")) {
		t.Errorf("minified page kept an HTML comment")
	}
	if n := bytes.Count(bytes.ToLower(a), []byte("</script")); n != 2 {
		t.Errorf("minified page has %d </script, want 2 (one per script element)", n)
	}

	wantDOM, gotDOM := canonicalHTML(t, b), canonicalHTML(t, a)
	if !slices.Equal(gotDOM, wantDOM) {
		t.Errorf("the minified page's DOM differs:\n%s", diffLines(wantDOM, gotDOM))
	}
}

// canonicalHTML parses an HTML document the way a browser does and lists
// what a visitor, a screen reader, a CSS selector or a script can observe:
// every element with its attributes, the text of every element with
// whitespace collapsed as rendering collapses it (block boundaries count as
// spaces), the exact text of <pre> and <textarea>, and the JSON value of
// JSON-LD. Comments and whitespace-only text between blocks are left out:
// they are what minifying removes.
func canonicalHTML(t *testing.T, doc []byte) []string {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var out []string
	var walk func(n *html.Node, pre bool)
	walk = func(n *html.Node, pre bool) {
		switch n.Type {
		case html.DoctypeNode:
			out = append(out, "<!doctype "+n.Data+">")
		case html.TextNode:
			switch {
			case n.Parent != nil && n.Parent.DataAtom == atom.Script:
				typ := attr(n.Parent, "type")
				if strings.HasSuffix(typ, "json") {
					out = append(out, "json: "+canonicalJSON(t, []byte(n.Data)))
				} else {
					out = append(out, "script text")
				}
			case pre:
				out = append(out, fmt.Sprintf("pre text: %q", n.Data))
			default:
				if s := collapse(n.Data); s != "" {
					out = append(out, "text: "+s)
				}
			}
		case html.ElementNode:
			out = append(out, elementLine(n))
			if n.DataAtom != atom.Script && n.DataAtom != atom.Style {
				out = append(out, "  innerText: "+collapse(innerText(n)))
			}
			pre = pre || n.DataAtom == atom.Pre || n.DataAtom == atom.Textarea
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, pre)
		}
	}
	walk(root, false)
	return out
}

func elementLine(n *html.Node) string {
	var attrs []string
	for _, a := range n.Attr {
		key := a.Key
		if a.Namespace != "" {
			key = a.Namespace + ":" + key
		}
		val := a.Val
		switch {
		case n.Namespace == "svg" && (key == "xmlns" || strings.HasPrefix(key, "xmlns:")):
			// Inline SVG needs no xmlns: the HTML parser puts <svg> in the
			// SVG namespace by itself, and the minifier drops it.
			continue
		case key == "class":
			// A class list is a set of space-separated tokens.
			val = strings.Join(strings.Fields(val), " ")
		case n.DataAtom == atom.Meta && key == "content" && attr(n, "name") == "viewport":
			// The viewport parser ignores spaces.
			val = strings.ReplaceAll(val, " ", "")
		case n.DataAtom == atom.Input && key == "value" && val == "" && attr(n, "type") != "radio" && attr(n, "type") != "checkbox":
			// An empty value is the default value of a text field: the
			// field's value, what a form submits, is "" either way.
			continue
		}
		attrs = append(attrs, fmt.Sprintf("%s=%q", key, val))
	}
	slices.Sort(attrs)
	name := n.Data
	if n.Namespace != "" {
		name = n.Namespace + ":" + name
	}
	return "<" + strings.Join(append([]string{name}, attrs...), " ") + ">"
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// blockElements start and end a line box: the whitespace around them does
// not render.
var blockElements = map[atom.Atom]bool{
	atom.Html: true, atom.Head: true, atom.Body: true, atom.Title: true, atom.Meta: true,
	atom.Link: true, atom.Script: true, atom.Style: true, atom.Header: true, atom.Footer: true,
	atom.Main: true, atom.Nav: true, atom.Section: true, atom.Article: true, atom.Aside: true,
	atom.Div: true, atom.P: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Table: true, atom.Caption: true, atom.Thead: true,
	atom.Tbody: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Blockquote: true, atom.Figure: true, atom.Figcaption: true,
	atom.Form: true, atom.Fieldset: true, atom.Legend: true, atom.Hr: true, atom.Br: true,
	atom.Details: true, atom.Summary: true, atom.Address: true, atom.Textarea: true,
	atom.Desc: true,
}

// innerText is the node's text as rendering shows it, block boundaries
// turned into spaces.
func innerText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
			return // not rendered; compared as JSON or left to the JS tests
		}
		block := n.Type == html.ElementNode && (blockElements[n.DataAtom] || n.Namespace == "svg" && n.Data != "svg")
		if block {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c)
	}
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// canonicalJSON decodes JSON keeping numbers as written digits, and encodes
// it back with sorted keys: equal values give equal strings.
func canonicalJSON(t *testing.T, b []byte) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("JSON %q: %v", b, err)
	}
	if _, err := d.Token(); err != io.EOF {
		t.Fatalf("JSON %q: trailing data", b)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func diffLines(want, got []string) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i, w, g)
		}
	}
	return b.String()
}

func TestMinifyJSONKeepsValues(t *testing.T) {
	before, after := minified(t)
	b, a := before["catalogue.json"], after["catalogue.json"]
	if got, want := canonicalJSON(t, a), canonicalJSON(t, b); got != want {
		t.Errorf("catalogue.json changed value:\n got %s\nwant %s", got, want)
	}
	var anyB, anyA any
	if err := json.Unmarshal(b, &anyB); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(a, &anyA); err != nil {
		t.Fatalf("minified catalogue.json: %v\n%s", err, a)
	}
	if !reflect.DeepEqual(anyA, anyB) {
		t.Errorf("json.Unmarshal of the minified catalogue differs:\n got %v\nwant %v", anyA, anyB)
	}
	// Numbers keep their digits, so that typed decoders still read them.
	var typed struct {
		CQP []struct {
			Level int     `json:"level"`
			Hours int     `json:"hours"`
			Rate  float64 `json:"rate"`
		} `json:"cqp"`
	}
	if err := json.Unmarshal(a, &typed); err != nil {
		t.Errorf("minified catalogue.json no longer decodes into ints: %v\n%s", err, a)
	} else if typed.CQP[0].Hours != 1000000 {
		t.Errorf("hours = %d, want 1000000", typed.CQP[0].Hours)
	}
	for _, keep := range []string{`\u003c/script\u003e`, `12345678901234567890`} {
		if !bytes.Contains(a, []byte(keep)) {
			t.Errorf("minified catalogue.json lost %q:\n%s", keep, a)
		}
	}
}

func TestMinifyCSSKeepsSelectorsAndNumbers(t *testing.T) {
	_, after := minified(t)
	a := string(after["assets/style.css"])
	t.Logf("style.css: %s", a)
	for _, keep := range []string{"0.333333", "--accent:", `input[type=text]`, `button[type=submit]`, "@media(max-width:40em)"} {
		if !strings.Contains(a, keep) {
			t.Errorf("minified CSS lost %q: %s", keep, a)
		}
	}
}

func TestMinifyJSKeepsGlobals(t *testing.T) {
	_, after := minified(t)
	a := string(after["search/app.js"])
	t.Logf("app.js: %s", a)
	for _, keep := range []string{"window.cqpSearch", "window.CQP_INDEX", ".titre", `"use strict"`, `\u0300-\u036f`} {
		if !strings.Contains(a, keep) {
			t.Errorf("minified JS lost %q: %s", keep, a)
		}
	}
}

func TestMinifySVGKeepsNamesAndShapes(t *testing.T) {
	before, after := minified(t)
	b, a := before["cqpi/figure.svg"], after["cqpi/figure.svg"]
	t.Logf("figure.svg: %s", a)
	if got, want := canonicalXML(t, a), canonicalXML(t, b); !slices.Equal(got, want) {
		t.Errorf("figure.svg changed:\n%s", diffLines(want, got))
	}
	// A standalone SVG keeps its namespace, or browsers show it as XML.
	if !bytes.Contains(a, []byte(`xmlns="http://www.w3.org/2000/svg"`)) {
		t.Errorf("figure.svg lost its xmlns: %s", a)
	}
}

func TestMinifyXMLKeepsValues(t *testing.T) {
	before, after := minified(t)
	for _, p := range []string{"sitemap.xml", "feed.xml"} {
		b, a := before[p], after[p]
		t.Logf("%s: %s", p, a)
		if got, want := canonicalXML(t, a), canonicalXML(t, b); !slices.Equal(got, want) {
			t.Errorf("%s changed:\n%s", p, diffLines(want, got))
		}
	}
}

func TestMinifyLeavesPreformattedFeedsWhole(t *testing.T) {
	files := map[string][]byte{"feed.xml": []byte(feedPreXML)}
	if err := Minify(files); err != nil {
		t.Fatal(err)
	}
	if got := string(files["feed.xml"]); got != feedPreXML {
		t.Errorf("a feed with <pre> content was rewritten:\n%s", got)
	}
}

// canonicalXML lists the elements, attributes (namespaces resolved,
// namespace declarations left out) and text of an XML document, the text
// with whitespace collapsed and whitespace-only text left out, which is
// what the XML and SVG minifiers may change.
func canonicalXML(t *testing.T, b []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			var attrs []string
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
					continue
				}
				attrs = append(attrs, fmt.Sprintf("{%s}%s=%q", a.Name.Space, a.Name.Local, a.Value))
			}
			slices.Sort(attrs)
			out = append(out, fmt.Sprintf("<{%s}%s %s>", tok.Name.Space, tok.Name.Local, strings.Join(attrs, " ")))
		case xml.EndElement:
			out = append(out, "</"+tok.Name.Local+">")
		case xml.CharData:
			if s := collapse(string(tok)); s != "" {
				out = append(out, "text: "+s)
			}
		}
	}
}

func TestMinifyIsDeterministic(t *testing.T) {
	// Many files, so that both workers take part, in whatever order.
	build := func() map[string][]byte {
		files := make(map[string][]byte)
		for i := range 300 {
			files[fmt.Sprintf("cqp/%03d/index.html", i)] = []byte(strings.ReplaceAll(pageHTML, "Opérateur", fmt.Sprint("Opérateur ", i)))
			files[fmt.Sprintf("data/%03d.json", i)] = []byte(catalogueJSON)
		}
		return files
	}
	a, b := build(), build()
	if err := Minify(a); err != nil {
		t.Fatal(err)
	}
	if err := Minify(b); err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(a, b, bytes.Equal) {
		t.Error("two Minify runs of the same files differ")
	}
}

func TestMinifyReportsBrokenFiles(t *testing.T) {
	files := sampleFiles()
	files["search/broken.js"] = []byte("function (\n")
	files["data/broken.json"] = []byte(`{"a": }`)
	err := Minify(files)
	if err == nil {
		t.Fatal("Minify accepted a JavaScript syntax error")
	}
	msg := err.Error()
	for _, want := range []string{`"data/broken.json"`, `"search/broken.js"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %s", msg, want)
		}
	}
	if strings.Index(msg, "data/broken.json") > strings.Index(msg, "search/broken.js") {
		t.Errorf("errors are not in path order: %q", msg)
	}
	if string(files["search/broken.js"]) != "function (\n" {
		t.Errorf("a file that failed was changed: %q", files["search/broken.js"])
	}
	if bytes.Equal(files["assets/style.css"], []byte(styleCSS)) {
		t.Errorf("the other files were not minified")
	}
}

func TestMediaType(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"index.html", typeHTML},
		{"a/B.HTML", typeHTML},
		{"assets/style.css", typeCSS},
		{"search/app.js", typeJS},
		{"search/index.json", typeJSON},
		{"site.webmanifest", typeJSON},
		{"cqpi/figure.svg", typeSVG},
		{"sitemap.xml", typeXML},
		{"robots.txt", ""},
		{"logo.png", ""},
		{"search/index.json.gz", ""},
		{"README", ""},
	} {
		if got := mediaType(tc.path); got != tc.want {
			t.Errorf("mediaType(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
