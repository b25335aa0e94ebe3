package render_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// catalogue is a small site with every case the pages explain: an owner
// branch, a partner with its own catalogue, a partner with a website
// only; a CQP in the RNCP whose block is a passerelle to a CQPI's; a CQPI
// only transmitted to France compétences; a CQP in the RS; an archived CQP
// alone at its level.
const catalogue = `
-- content/_index.md --
---
title: Les CQP de la métallurgie
description: Le catalogue de démonstration.
base_url: https://cqp.example.org/sous/chemin/
owner: metallurgie
contacts:
  - label: Référent VAE
    email: vae@example.org
    phone: 01 23 45 67 89
    note: Pour préparer une VAE.
---
Bienvenue. Voir [le CQPI](cqp:cqpi-logistique) et [la VAE](page:vae).
-- content/branches/metallurgie.md --
---
name: Métallurgie
idcc: [3248]
cpne: CPNE de la métallurgie
opco: OPCO 2i
website: https://www.example.org/metallurgie/
contacts:
  - label: Secrétariat des certifications
    url: https://www.example.org/certifications/
---
La branche de la métallurgie.
-- content/branches/chimie.md --
---
name: Industries chimiques
opco: OPCO 2i
catalogue_url: https://cqp-chimie.example.org/catalogue
---
La branche des industries chimiques.
-- content/branches/textile.md --
---
name: Industrie textile
cpne: CPNE du textile
opco: OPCO 2i
website: https://textile.example.org/
---
La branche du textile.
-- content/cqp/soudeur.md --
---
title: Soudeur industriel
branches: [metallurgie]
registration:
  register: rncp
  number: RNCP37890
  level: 3
  since: 2023-07-01
  until: 2028-06-01
summary: Souder des pièces métalliques selon un mode opératoire.
publics: [jeunes, salaries, demandeurs-emploi]
access: [formation, vae]
funding: [plan, cpf, contrat-pro, pro-a, transitions-pro, opco]
duration_hours: 490
jobs:
  - title: Soudeur ou soudeuse
    rome: H2913
blocks:
  - code: RNCP37890BC01
    title: Préparer le soudage
    skills:
      - Lire un mode opératoire de soudage
    assessment: Mise en situation observée.
    hours: 70
    common_with: [cqpi-logistique/B01]
  - code: RNCP37890BC02
    title: Souder
    hours: 315
keywords: [soudure, TIG]
updated: 2025-01-15
---
## Le métier

Le soudeur assemble des pièces. Voir [la branche](branche:metallurgie).
-- content/cqp/cqpi-logistique.md --
---
title: Agent logistique
branches: [metallurgie, chimie, textile]
registration:
  register: none
summary: Recevoir, stocker et expédier des marchandises.
access: [formation]
funding: [plan, contrat-pro]
blocks:
  - code: B01
    title: Réceptionner les marchandises
updated: 2026-03-02
---
Un CQPI de trois branches.
-- content/cqp/magasinier.md --
---
title: Magasinier
branches: [chimie]
certifier: Organisme certificateur commun
registration:
  register: rs
  number: RS5678
summary: Tenir un magasin.
access: [formation]
funding: [cpf]
blocks:
  - code: M1
    title: Tenir le stock
---
Un CQP de la chimie, au Répertoire spécifique.
-- content/cqp/ancien.md --
---
title: Technicien d'autrefois
branches: [metallurgie]
status: archived
registration:
  register: rncp
  number: RNCP11111
  level: 5
summary: Un certificat qui n'est plus délivré.
blocks:
  - code: RNCP11111BC01
    title: Faire comme avant
---
Archivé.
-- content/pages/vae.md --
---
title: La VAE
description: La VAE pas à pas.
menu: 2
---
La VAE pas à pas : [le soudeur](cqp:soudeur).
-- content/pages/mentions-legales.md --
---
title: Mentions légales
---
Éditeur : la branche.
`

func TestEveryPageOfTheContract(t *testing.T) {
	files := buildTxtar(t, catalogue)
	for _, p := range []string{
		"index.html", "cqp/soudeur/index.html", "cqp/cqpi-logistique/index.html", "cqp/magasinier/index.html", "cqp/ancien/index.html",
		"branches/metallurgie/index.html", "branches/chimie/index.html", "branches/textile/index.html", "branches/index.html",
		"cqpi/index.html", "niveaux/index.html", "niveaux/3/index.html", "vae/index.html", "mentions-legales/index.html",
		"recherche/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", "catalogue.json",
		"style.css", "site.js", "favicon.svg",
	} {
		if _, ok := files[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
	// Level 5 has only an archived CQP: no page, no link to one.
	assertNoFile(t, files, "niveaux/5/index.html")
	for p := range files {
		if strings.Contains(string(files[p]), "niveaux/5/") {
			t.Errorf("%s links to the missing level 5 page", p)
		}
	}
}

func TestCQPPageExplains(t *testing.T) {
	files := buildTxtar(t, catalogue)
	assertFile(t, files, "cqp/soudeur/index.html",
		`<html lang="fr">`,
		"<h1>Soudeur industriel</h1>",
		"Certificat de qualification professionnelle (CQP)",
		// Registration, with the France compétences record and the level.
		"Inscrit au RNCP",
		`<a href="https://www.francecompetences.fr/recherche/rncp/37890/">fiche RNCP37890 sur le site de France compétences</a>`,
		`<a href="../../niveaux/3/index.html">Niveau 3</a>`, "équivalent d&#39;un CAP ou d&#39;un BEP",
		`<time datetime="2023-07-01">1er juillet 2023</time>`, `<time datetime="2028-06-01">1er juin 2028</time>`,
		// CPF and VAE, with the reason in words.
		"inscrit au RNCP : finançable par le CPF",
		"au moins un an d&#39;expérience",
		// Publics, routes, funding in words.
		"Jeunes en fin de formation initiale", "Salariés", "Demandeurs d&#39;emploi",
		"Par la formation", "Par la validation des acquis de l&#39;expérience (VAE)",
		"Plan de développement des compétences", "Compte personnel de formation (CPF)", "Contrat de professionnalisation",
		"Pro-A (reconversion ou promotion par alternance)", "Transitions Pro", "Prise en charge par l&#39;OPCO",
		"490 heures",
		// Blocks with skills, assessment, hours; jobs with ROME codes.
		`id="bloc-rncp37890bc01"`, "Préparer le soudage", "Lire un mode opératoire de soudage", "Mise en situation observée.", "70 heures",
		"2 blocs, 385 heures de formation au total",
		"Soudeur ou soudeuse", "<td>H2913</td>", "<caption>",
		// The steps, from prior assessment to the jury and the CPNE.
		"L&#39;évaluation préalable (positionnement)", "Le jury paritaire national", "Le certificat est délivré par : CPNE de la métallurgie.",
		"Le Livret 1 (recevabilité)",
		// The branch, whom to ask.
		`<a href="../../branches/metallurgie/index.html">Métallurgie</a>`,
		"OPCO 2i", "Opérateur de compétences de la branche Métallurgie",
		"Secrétariat des certifications", `<a href="https://www.example.org/certifications/">`,
		"Référent VAE", `<a href="mailto:vae@example.org">`, `<a href="tel:0123456789">01 23 45 67 89</a>`,
		// The body, its headings under the page's, its links relative.
		`<h3 id="le-metier">Le métier</h3>`, `<a href="../../branches/metallurgie/index.html">la branche</a>`,
		// Canonical and JSON-LD use the base URL, with its path.
		`<link rel="canonical" href="https://cqp.example.org/sous/chemin/cqp/soudeur/">`,
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"EducationalOccupationalCredential"`,
		`"educationalLevel":{"@type":"DefinedTerm","name":"Niveau 3","termCode":"3"`,
		`"recognizedBy":[{"@type":"Organization","name":"Métallurgie","url":"https://cqp.example.org/sous/chemin/branches/metallurgie/"`,
		`"competencyRequired":[{"@type":"DefinedTerm","name":"Préparer le soudage","termCode":"RNCP37890BC01"`,
		// Assets, relative.
		`<link rel="stylesheet" href="../../style.css">`, `<script src="../../site.js" defer></script>`,
		"! archivé", "! Ce certificat n&#39;est plus délivré",
	)
	// The RS CQP: CPF yes, VAE no, and why; its certifier as written.
	assertFile(t, files, "cqp/magasinier/index.html",
		"Inscrit au Répertoire spécifique (RS)",
		`<a href="https://www.francecompetences.fr/recherche/rs/5678/">`,
		"inscrit au Répertoire spécifique : finançable par le CPF",
		"la VAE n&#39;est ouverte qu&#39;aux certifications inscrites au RNCP",
		"Le certificat est délivré par : Organisme certificateur commun.",
		"! Le Livret 1", "! niveaux/3",
	)
	// The CQPI, only transmitted: recognised in the branches' companies.
	assertFile(t, files, "cqp/cqpi-logistique/index.html",
		"Certificat de qualification professionnelle interbranche (CQPI)",
		"Transmis à France compétences",
		"seulement transmis à France compétences : reconnu dans les entreprises de la branche",
		"! francecompetences.fr/recherche",
		// Certifier defaults to the CPNE of the first branch.
		"Le certificat est délivré par : CPNE de la métallurgie.",
	)
}

// A CQPI's page links every carrying branch's page and, for a branch with
// catalogue_url, the same CQPI in that branch's own catalogue.
func TestCQPILinksAcrossBranches(t *testing.T) {
	files := buildTxtar(t, catalogue)
	assertFile(t, files, "cqp/cqpi-logistique/index.html",
		`<a href="../../branches/metallurgie/index.html">Métallurgie</a>`,
		`<a href="../../branches/chimie/index.html">Industries chimiques</a>`,
		`<a href="../../branches/textile/index.html">Industrie textile</a>`,
		`<a href="https://cqp-chimie.example.org/catalogue/cqp/cqpi-logistique/">Ce certificat dans le catalogue de la branche Industries chimiques</a>`,
		`<a href="https://textile.example.org/">Site de la branche Industrie textile</a>`,
		`<a href="https://www.example.org/metallurgie/">Site de la branche Métallurgie</a>`,
		"branche éditrice de ce site",
	)
	// Branch pages list the CQPIs they share, with whom.
	assertFile(t, files, "branches/chimie/index.html",
		"Les CQPI que la branche Industries chimiques partage",
		`<a href="../../cqp/cqpi-logistique/index.html">Agent logistique</a>`,
		"Partagé avec :", `<a href="../../branches/metallurgie/index.html">Métallurgie</a>`, `<a href="../../branches/textile/index.html">Industrie textile</a>`,
		"Les CQP de la branche Industries chimiques", `<a href="../../cqp/magasinier/index.html">Magasinier</a>`,
		`<a href="https://cqp-chimie.example.org/catalogue/">Le catalogue de la branche Industries chimiques</a>`,
	)
	page := string(files["branches/chimie/index.html"])
	if shared := between(page, `id="cqpi"`, "</section>"); strings.Contains(shared, `branches/chimie/index.html">`) {
		t.Errorf("the chimie page names chimie among its own partners")
	}
	// cqpi/ shows branches and CQPIs side by side, in a figure made at
	// build time, with its equivalent as a table.
	assertFile(t, files, "cqpi/index.html",
		`<svg class="fig" role="img" aria-labelledby="figure-titre figure-desc"`,
		`<title id="figure-titre">`, `<desc id="figure-desc">`,
		">Agent logistique</text>", ">Industries chimiques</text>", "<path d=",
		"<table", "<caption>", `<th scope="row"><a href="../cqp/cqpi-logistique/index.html">Agent logistique</a></th>`,
		`<a href="../branches/textile/index.html">Industrie textile</a>`,
		"! <script>",
	)
	if n := count(files, "cqpi/index.html", "<path d="); n != 3 {
		t.Errorf("cqpi figure has %d lines, want 3 (one per branch of the CQPI)", n)
	}
}

// A passerelle declared on one side shows on both, with a link to the
// other CQP's block.
func TestPasserellesOnBothSides(t *testing.T) {
	files := buildTxtar(t, catalogue)
	assertFile(t, files, "cqp/soudeur/index.html",
		"Passerelle : ce bloc certifie les mêmes compétences que",
		`<a href="../../cqp/cqpi-logistique/index.html#bloc-b01">CQPI Agent logistique</a> : B01 — Réceptionner les marchandises`,
	)
	assertFile(t, files, "cqp/cqpi-logistique/index.html",
		`id="bloc-b01"`,
		`<a href="../../cqp/soudeur/index.html#bloc-rncp37890bc01">CQP Soudeur industriel</a> : RNCP37890BC01 — Préparer le soudage`,
	)
	var data struct {
		CQPs []struct {
			ID     string
			Blocks []struct {
				Code        string
				Passerelles []struct{ CQP, Block string }
			}
		}
	}
	if err := json.Unmarshal(files["catalogue.json"], &data); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, q := range data.CQPs {
		for _, b := range q.Blocks {
			for _, p := range b.Passerelles {
				got[q.ID+"/"+b.Code] = p.CQP + "/" + p.Block
			}
		}
	}
	if got["soudeur/RNCP37890BC01"] != "cqpi-logistique/B01" || got["cqpi-logistique/B01"] != "soudeur/RNCP37890BC01" || len(got) != 2 {
		t.Errorf("catalogue.json passerelles = %v, want the pair on both sides", got)
	}
}

// Archived CQPs keep their page, marked, and leave the listings, except a
// labelled section of their branch page.
func TestArchivedCQPs(t *testing.T) {
	files := buildTxtar(t, catalogue)
	assertFile(t, files, "cqp/ancien/index.html",
		"Ce certificat n&#39;est plus délivré.", "is-archived", `"creativeWorkStatus":"Archivé"`,
		"Niveau 5", "! niveaux/5",
	)
	for _, p := range []string{"index.html", "cqpi/index.html", "recherche/index.html", "niveaux/index.html", "niveaux/3/index.html"} {
		assertFile(t, files, p, "! cqp/ancien/")
	}
	assertFile(t, files, "branches/metallurgie/index.html",
		`<h2 id="archives">CQP archivés, qui ne sont plus délivrés`,
		`<a href="../../cqp/ancien/index.html">Technicien d&#39;autrefois</a>`,
	)
	page := string(files["branches/metallurgie/index.html"])
	if own := between(page, `id="cqp"`, "</section>"); strings.Contains(own, "cqp/ancien/") {
		t.Error("the archived CQP is listed among the branch's CQPs")
	}
	assertFile(t, files, "branches/chimie/index.html", `! id="archives"`)
	// The open data keeps it, with its status.
	assertFile(t, files, "catalogue.json", `"id":"ancien"`, `"status":"archived"`)
}

func TestHomePage(t *testing.T) {
	files := buildTxtar(t, catalogue)
	assertFile(t, files, "index.html",
		"<title>Les CQP de la métallurgie</title>",
		`<meta name="description" content="Le catalogue de démonstration.">`,
		`<link rel="canonical" href="https://cqp.example.org/sous/chemin/">`,
		// Intro from the body, with site links made relative.
		`<a href="cqp/cqpi-logistique/index.html">le CQPI</a>`, `<a href="vae/index.html">la VAE</a>`,
		// The owner's CQPs, active ones only.
		"Les certificats de la branche Métallurgie", `<a href="cqp/soudeur/index.html">Soudeur industriel</a>`, `<a href="cqp/cqpi-logistique/index.html">Agent logistique</a>`,
		"! cqp/magasinier/index.html\">Magasinier",
		// Browsing by branch, level, kind.
		`<a href="branches/chimie/index.html">Industries chimiques (2)</a>`, `<a href="niveaux/3/index.html">Niveau 3 (1)</a>`,
		`<a href="cqpi/index.html">1 certificat interbranche (CQPI)</a>`, `<a href="recherche/index.html">Voir la liste des 3 certificats</a>`,
		// Steps and contacts.
		"Les étapes pour obtenir un CQP", "Le jury paritaire national", "Référent VAE",
		// Menu: the sections, then the pages with a menu position; the
		// others in the footer.
		`<a href="vae/index.html">La VAE</a>`, `<a href="mentions-legales/index.html">Mentions légales</a>`,
		`<a href="catalogue.json">Données ouvertes (catalogue.json)</a>`, `<a href="feed.xml">Flux des mises à jour (Atom)</a>`,
		"! <nav class=\"breadcrumbs\"",
	)
	// Exactly one h1 on every page.
	for _, p := range files.Paths() {
		if strings.HasSuffix(p, ".html") {
			if n := count(files, p, "<h1"); n != 1 {
				t.Errorf("%s has %d h1, want 1", p, n)
			}
		}
	}
}

// The search page and the home page carry the hooks the search script
// takes over; without JavaScript, recherche/ lists every active CQP.
func TestSearchHooks(t *testing.T) {
	files := buildTxtar(t, catalogue)
	for _, p := range []string{"index.html", "recherche/index.html"} {
		action := "recherche/index.html"
		root := ""
		if p != "index.html" {
			action, root = "../recherche/index.html", "../"
		}
		assertFile(t, files, p,
			`<form class="search" role="search" action="`+action+`" method="get">`,
			`<label for="q">`, `<input type="search" id="q" name="q" autocomplete="off"`, `<button type="submit">`,
			`<div id="facettes"></div>`, `<p id="statut" role="status" aria-live="polite"></p>`,
			`<script src="`+root+`search/search.js" defer></script>`,
		)
		body := string(files[p])
		if strings.Index(body, "search/search.js") < strings.Index(body, "</footer>") {
			t.Errorf("%s loads the search script before the end of body", p)
		}
	}
	page := string(files["recherche/index.html"])
	list := between(page, `<ol id="resultats"`, "</ol>")
	if n := strings.Count(list, "<li data-id="); n != 3 {
		t.Errorf("recherche/ lists %d CQPs, want the 3 active ones", n)
	}
	for _, id := range []string{"soudeur", "cqpi-logistique", "magasinier"} {
		item := between(list, `<li data-id="`+id+`">`, "</li>")
		if !strings.HasPrefix(item, `<a href="../cqp/`+id+`/index.html">`) {
			t.Errorf("result %s does not start with a link to its page: %q", id, item)
		}
	}
	if item := between(list, `<li data-id="soudeur">`, "</li>"); !strings.Contains(item, `href="../branches/metallurgie/index.html"`) || !strings.Contains(item, `href="../niveaux/3/index.html"`) {
		t.Errorf("result soudeur does not link its branch and level: %q", item)
	}
	assertFile(t, files, "recherche/index.html", "! ancien")
}

func TestLevelPages(t *testing.T) {
	files := buildTxtar(t, catalogue)
	assertFile(t, files, "niveaux/3/index.html",
		"<h1>Niveau 3</h1>", "équivalent d&#39;un CAP ou d&#39;un BEP",
		`<a href="../../cqp/soudeur/index.html">Soudeur industriel</a>`,
		"! Magasinier", "! Agent logistique",
	)
	assertFile(t, files, "niveaux/index.html", `<a href="../niveaux/3/index.html">Niveau 3</a>`, "! Niveau 5")
}

func TestFeedSitemapRobots(t *testing.T) {
	files := buildTxtar(t, catalogue)
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if len(feed.Entries) != 2 || feed.Entries[0].ID != "https://cqp.example.org/sous/chemin/cqp/cqpi-logistique/" || feed.Entries[1].Updated != "2025-01-15T00:00:00Z" {
		t.Errorf("feed entries = %+v, want the two dated CQPs, latest first, ids from base_url", feed.Entries)
	}
	if feed.Updated != "2026-03-02T00:00:00Z" || feed.ID != "https://cqp.example.org/sous/chemin/" {
		t.Errorf("feed id, updated = %q, %q", feed.ID, feed.Updated)
	}
	var sitemap struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sitemap); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	locs := map[string]string{}
	for _, u := range sitemap.URLs {
		locs[u.Loc] = u.LastMod
	}
	if lm, ok := locs["https://cqp.example.org/sous/chemin/cqp/soudeur/"]; !ok || lm != "2025-01-15" {
		t.Errorf("sitemap lacks the soudeur page with its date: %v", locs)
	}
	if _, ok := locs["https://cqp.example.org/sous/chemin/"]; !ok {
		t.Error("sitemap lacks the home page")
	}
	if _, ok := locs["https://cqp.example.org/sous/chemin/404.html"]; ok {
		t.Error("sitemap lists 404.html")
	}
	assertFile(t, files, "robots.txt", "User-agent: *", "Sitemap: https://cqp.example.org/sous/chemin/sitemap.xml")
	assertFile(t, files, "404.html", `<meta name="robots" content="noindex">`, "Page introuvable", `<a href="index.html">`, "! rel=\"canonical\"")
}

// --base-url replaces base_url where base_url is used, and nowhere else.
func TestBaseURLOverride(t *testing.T) {
	files, _ := build(t, sitetest.FS(catalogue), render.Options{BaseURL: "https://preprod.example.net/cqp/"})
	assertFile(t, files, "cqp/soudeur/index.html", `<link rel="canonical" href="https://preprod.example.net/cqp/cqp/soudeur/">`, `"url":"https://preprod.example.net/cqp/cqp/soudeur/"`, "! cqp.example.org")
	assertFile(t, files, "sitemap.xml", "https://preprod.example.net/cqp/cqp/soudeur/", "! cqp.example.org")
	assertFile(t, files, "feed.xml", "https://preprod.example.net/cqp/", "! cqp.example.org")
	assertFile(t, files, "robots.txt", "Sitemap: https://preprod.example.net/cqp/sitemap.xml")
	assertFile(t, files, "catalogue.json", `"url":"https://preprod.example.net/cqp/"`)
}

func TestEnglishSite(t *testing.T) {
	fsys := sitetest.Replace(t, sitetest.FS(catalogue), "content/_index.md", "owner: metallurgie", "owner: metallurgie\nlanguage: en")
	files, _ := build(t, fsys, render.Options{})
	assertFile(t, files, "cqp/soudeur/index.html",
		`<html lang="en">`, "Skip to content", "registered in the RNCP: fundable by the CPF",
		`<time datetime="2023-07-01">1 July 2023</time>`, "Blocks of skills", "! Aller au contenu",
	)
	assertFile(t, files, "index.html", `<meta property="og:locale" content="en_GB">`)
}

// A theme on disk replaces one layout and keeps the rest.
func TestThemeOnDisk(t *testing.T) {
	fsys := sitetest.Replace(t, sitetest.FS(catalogue+`
-- themes/maison/layouts/page.html --
{{define "main"}}<article class="maison"><h1>{{.Heading}}</h1>{{.Body}}</article>{{end}}
-- themes/maison/static/maison.css --
.maison { color: black }
`), "content/_index.md", "owner: metallurgie", "owner: metallurgie\ntheme: maison")
	files, _ := build(t, fsys, render.Options{})
	assertFile(t, files, "vae/index.html", `<article class="maison"><h1>La VAE</h1>`, `<a href="../cqp/soudeur/index.html">le soudeur</a>`)
	assertFile(t, files, "cqp/soudeur/index.html", "Les blocs de compétences")
	assertFile(t, files, "maison.css", ".maison")
}
