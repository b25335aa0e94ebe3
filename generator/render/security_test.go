package render_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// hostile is a site whose editor typed what an attacker would: a script in
// a body, javascript: links in every spelling, "</script>" in a title and
// a summary that JSON-LD, feeds and catalogue.json all carry.
const hostile = `
-- content/_index.md --
---
title: Site </script><script>alert("titre")</script>
description: Une description avec <b>balises</b> & esperluette.
base_url: https://cqp.example.org/
owner: metallurgie
---
<script>alert("accueil")</script>

[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](java&#x73;cript:alert(3)) [d](data:text/html,<script>alert(4)</script>) [e](vbscript:msgbox) <javascript:alert(5)>

<img src=x onerror="alert(6)">
-- content/branches/metallurgie.md --
---
name: Métallurgie </script><img src=x onerror=alert(7)>
---
<iframe src="https://evil.example/"></iframe>
-- content/branches/chimie.md --
---
name: Chimie
catalogue_url: https://chimie.example.org/
---
Chimie.
-- content/cqp/x.md --
---
title: Soudeur </script><script>alert("cqp")</script>
branches: [metallurgie, chimie]
registration:
  register: rncp
  number: RNCP37890
  level: 3
summary: Résumé </script><!-- et "guillemets" & <b>gras</b>
keywords: ["</script>"]
blocks:
  - code: RNCP37890BC01
    title: Bloc </script><script>alert("bloc")</script>
    skills: ["<img src=x onerror=alert(8)>"]
jobs:
  - title: Métier <svg onload=alert(9)>
    rome: H2913
updated: 2025-01-15
---
<script>alert("corps")</script>

[lien](JaVaScRiPt:alert(10))
`

// scriptTags finds script elements: every one must be external (src) or
// JSON-LD data.
var (
	scriptTag   = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	anyTag      = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>`)
	handlerAttr = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	quotedValue = regexp.MustCompile(`"[^"]*"`)
)

func TestHostileContentIsEscaped(t *testing.T) {
	files := buildTxtar(t, hostile)
	for _, p := range files.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page := files[p]
		for _, tag := range scriptTag.FindAll(page, -1) {
			s := string(tag)
			if !strings.Contains(s, ` src="`) && s != `<script type="application/ld+json">` {
				t.Errorf("%s: unexpected script element %s", p, s)
			}
		}
		// Markup: only the tags the layouts write, none with a handler.
		for _, tag := range anyTag.FindAll(page, -1) {
			name := strings.ToLower(string(anyTag.FindSubmatch(tag)[1]))
			switch name {
			case "iframe", "img", "object", "embed", "style", "b":
				t.Errorf("%s: tag from the content: %s", p, tag)
			case "svg":
				if !bytes.Contains(tag, []byte(`class="fig"`)) {
					t.Errorf("%s: svg from the content: %s", p, tag)
				}
			}
			if handlerAttr.Match(quotedValue.ReplaceAll(tag, []byte(`""`))) {
				t.Errorf("%s: event handler in %s", p, tag)
			}
		}
		for _, u := range urls(page) {
			if markdown.IsDangerousURL(u) {
				t.Errorf("%s: dangerous URL %q", p, u)
			}
		}
		// Every script element closes where it should: no "</script" in
		// the JSON-LD but the closing tag.
		for _, ld := range regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindAllSubmatch(page, -1) {
			var v map[string]any
			if err := json.Unmarshal(ld[1], &v); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v\n%s", p, err, ld[1])
			}
			if bytes.Contains(bytes.ToLower(ld[1]), []byte("</")) || bytes.Contains(ld[1], []byte("<!--")) {
				t.Errorf("%s: JSON-LD holds markup: %s", p, ld[1])
			}
		}
	}
	assertFile(t, files, "cqp/x/index.html",
		"<h1>Soudeur &lt;/script&gt;&lt;script&gt;alert(&#34;cqp&#34;)&lt;/script&gt;</h1>",
		"&lt;script&gt;alert(&quot;corps&quot;)&lt;/script&gt;",
		`"name":"Soudeur \u003c/script\u003e\u003cscript\u003ealert(\"cqp\")\u003c/script\u003e"`,
		`"description":"Résumé \u003c/script\u003e\u003c!-- et \"guillemets\" \u0026 \u003cb\u003egras\u003c/b\u003e"`,
		"lien", "! JaVaScRiPt",
	)
	assertFile(t, files, "index.html", "&lt;script&gt;alert(&quot;accueil&quot;)&lt;/script&gt;", "&lt;img src=x onerror=&quot;alert(6)&quot;&gt;",
		// The links lose their link, keep their text.
		"<p>a b c d e javascript:alert(5)</p>")
	// The open data escapes markup too, and still means the same text.
	data := files["catalogue.json"]
	if bytes.Contains(data, []byte("</script")) || bytes.Contains(data, []byte("<")) || bytes.Contains(data, []byte(">")) {
		t.Errorf("catalogue.json holds raw < or >")
	}
	var od struct {
		CQPs []struct{ Title string }
	}
	if err := json.Unmarshal(data, &od); err != nil || len(od.CQPs) != 1 || od.CQPs[0].Title != `Soudeur </script><script>alert("cqp")</script>` {
		t.Errorf("catalogue.json title = %+v, %v", od, err)
	}
	// XML files escape it as XML.
	for _, p := range []string{"feed.xml", "sitemap.xml"} {
		if bytes.Contains(files[p], []byte("<script")) {
			t.Errorf("%s holds a raw <script", p)
		}
	}
}

// A strict Content-Security-Policy (default-src 'self') must not break any
// page: no inline script, no inline event handler, no style attribute or
// element, nothing loaded from another host.
func TestPagesFitAStrictCSP(t *testing.T) {
	files, _ := build(t, sampleFS(t), renderOpts)
	style := regexp.MustCompile(`(?i)\sstyle\s*=`)
	external := regexp.MustCompile(`(?i)<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//`)
	for _, p := range files.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page := files[p]
		for _, tag := range scriptTag.FindAll(page, -1) {
			if s := string(tag); !strings.Contains(s, ` src="`) && s != `<script type="application/ld+json">` {
				t.Errorf("%s: inline script %s", p, s)
			}
		}
		for _, tag := range anyTag.FindAll(page, -1) {
			bare := quotedValue.ReplaceAll(tag, []byte(`""`))
			if handlerAttr.Match(bare) {
				t.Errorf("%s: inline event handler in %s", p, tag)
			}
			if style.Match(bare) || bytes.HasPrefix(bytes.ToLower(tag), []byte("<style")) {
				t.Errorf("%s: inline style in %s", p, tag)
			}
		}
		for _, m := range external.FindAll(page, -1) {
			if !bytes.Contains(m, []byte(`rel="canonical"`)) {
				t.Errorf("%s loads from another host: %s", p, m)
			}
		}
	}
	for _, p := range []string{"style.css", "site.js"} {
		if bytes.Contains(files[p], []byte("://")) {
			t.Errorf("%s refers to another host", p)
		}
	}
}
