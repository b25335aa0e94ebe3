package render

import "html/template"

// The view structs below are what layouts see. They hold text and
// ready-made relative URLs, never the model: a layout cannot reach into a
// CQP's YAML, nor compute a link that would break under a sub-path.

// Link is a labelled URL; Current marks the page the visitor is on.
type Link struct {
	Text    string
	URL     string
	Current bool
}

// Page is what every page shares; each layout's view embeds it.
type Page struct {
	Lang        string // the html lang attribute
	Locale      string // Open Graph locale, fr_FR
	Title       string // the <title>: page, then site
	Heading     string // the page's one h1
	Description string // meta description
	Path        string // the output path, cqp/x/index.html
	Root        string // from this page to the output root: "", "../", "../../"
	Canonical   string // absolute, <base_url>cqp/x/; empty without base_url
	OGType      string // website or article
	SiteTitle   string
	Home        string // relative URL of the home page
	Stylesheet  string
	Favicon     string
	Feed        string
	Scripts     []string      // deferred scripts, relative URLs
	Header      template.HTML // layouts/partials/header.html, for a Chrome
	Footer      template.HTML // layouts/partials/footer.html, for a Chrome
	Breadcrumbs []Link        // from the home page to this page's parent
	JSONLD      template.JS   // schema.org data, already escaped for a script element
	NoIndex     bool
}

// Chrome is what the header and footer partials see. It depends only on
// the page's depth and its place in the menu, so that each is rendered
// once and shared by the pages alike (every CQP page has the same).
type Chrome struct {
	Lang      string
	SiteTitle string
	Home      string // relative URL of the home page
	Root      string
	Nav       []Link // the main menu
	Footer    []Link
}

// Card is a CQP in a list.
type Card struct {
	ID           string
	Title        string
	URL          string
	Summary      string
	Kind         string // "CQP" or "CQPI", as the visitor reads it
	IsCQPI       bool
	Archived     bool
	Registration string // "RNCP, niveau 3", "RS", "transmis à France compétences"
	Branches     []Link // the branches; on a branch page, the partners only
}

// Pager links the pages of a long list.
type Pager struct {
	Label string // "Page 2 sur 7"
	Prev  string
	Next  string
	Pages []Link // a window around the current page; a Link without URL is an ellipsis
}

// Section is a list of CQPs with a heading, split in pages when long.
type Section struct {
	ID      string // the heading's id
	Title   string
	Intro   string
	Count   string // "12 certificats"
	Cards   []Card
	Pager   *Pager
	Empty   string // said when Cards is empty
	Partner bool   // the cards' branches are partners ("avec …")
}

// Contact is one way to reach someone.
type Contact struct {
	Label string
	URL   string
	Email string
	Phone string
	Tel   template.URL // tel: URL, digits only, which html/template would refuse as a string
	Note  string
}

// Step is one step of obtaining a certificate.
type Step struct {
	Title string
	Text  string
}

// Fact is one line of a definition list.
type Fact struct {
	Term  string
	Text  string
	Links []Link // shown after Text
	Note  string
}

// SearchForm is the search hook the search script takes over.
type SearchForm struct {
	Action string // recherche/index.html, relative
}

// HomeView is index.html.
type HomeView struct {
	Page
	Intro    template.HTML
	Search   SearchForm
	Featured Section // the owner's CQPs, or every CQP of a small catalogue
	More     *Link   // the rest of Featured, when it was cut
	Branches []Link  // browse by branch, with counts in Text
	Levels   []Link  // browse by level
	CQPI     Link
	All      Link
	Steps    template.HTML // layouts/partials/steps.html
	Contacts template.HTML // layouts/partials/contacts.html
}

// CQPView is cqp/<id>/index.html.
type CQPView struct {
	Page
	CQP CQPDetail
}

// CQPDetail is everything a CQP page explains.
type CQPDetail struct {
	ID           string
	Title        string
	Kind         string // "Certificat de qualification professionnelle interbranche (CQPI)"
	KindShort    string // CQP or CQPI
	IsCQPI       bool
	Archived     bool
	Summary      string
	Facts        []Fact
	Registration Registration
	CPF          Eligibility
	VAE          Eligibility
	Publics      []string
	Routes       []Step
	Funding      []Step
	Duration     string
	Body         template.HTML
	Blocks       []BlockView
	BlocksTotal  string // "4 blocs, 420 heures"
	Jobs         []Job
	Steps        template.HTML // layouts/partials/steps.html, by formation
	VAESteps     template.HTML // by VAE, when it is open
	Certifier    string
	Branches     []BranchPartner
	Contacts     template.HTML // layouts/partials/contacts.html
	Updated      Date
}

// Registration is a CQP's standing with France compétences, in words.
type Registration struct {
	Label       string // "Inscrit au RNCP"
	Number      string
	URL         string // the France compétences record
	Explanation string
	Since       Date
	Until       Date
	Level       *Link // "Niveau 3", to its page when there is one
	LevelText   string
}

// Eligibility tells whether a scheme (CPF, VAE) is open, and why.
type Eligibility struct {
	Open   bool
	Answer string // "Oui" or "Non"
	Reason string
}

// Date is a date for <time>: Text as the visitor reads it, ISO for the
// datetime attribute. The zero Date is no date.
type Date struct {
	Text string
	ISO  string
}

// BlockView is one block of skills.
type BlockView struct {
	ID          string // anchor
	Code        string
	Title       string
	Skills      []string
	Assessment  string
	Hours       string
	Passerelles []Passerelle
}

// Passerelle is a block of another CQP that certifies the same skills.
type Passerelle struct {
	CQP   string // the other CQP's title
	Kind  string
	Block string // "RNCP90301BC01 — Contrôler…"
	URL   string // the other CQP's page, at the block's anchor
}

// Job is a job the certificate leads to.
type Job struct {
	Title string
	ROME  string
}

// BranchPartner is a branch that carries a CQP.
type BranchPartner struct {
	Name      string
	URL       string // its page on this site
	Website   string
	Catalogue string // this CQP in the branch's own catalogue
	CPNE      string
	OPCO      string
	IsOwner   bool
}

// BranchView is branches/<id>/index.html.
type BranchView struct {
	Page
	Branch   BranchDetail
	Own      Section
	Shared   Section
	Archived Section
	Contacts template.HTML // layouts/partials/contacts.html
}

// BranchDetail is what a branch page says of the branch.
type BranchDetail struct {
	ID        string
	Name      string
	Body      template.HTML
	Facts     []Fact
	Website   string
	Catalogue string
	IsOwner   bool
}

// BranchesView is branches/index.html.
type BranchesView struct {
	Page
	Intro    string
	Branches []BranchRow
}

// BranchRow is a branch in the list of branches.
type BranchRow struct {
	Link
	Counts string // "12 CQP, dont 3 CQPI"
	OPCO   string
}

// CQPIView is cqpi/index.html and its following pages.
type CQPIView struct {
	Page
	Intro   []string
	Figure  template.HTML
	Caption string
	Rows    []Card
	Pager   *Pager
	Empty   string
}

// LevelView is niveaux/<n>/index.html and its following pages.
type LevelView struct {
	Page
	Level       int
	Explanation string
	List        Section
	Others      []Link // the other levels
}

// LevelsView is niveaux/index.html.
type LevelsView struct {
	Page
	Intro  string
	Levels []LevelRow
}

// LevelRow is a level with what it means and how many CQPs it has.
type LevelRow struct {
	Link
	Explanation string
	Count       string
}

// ListView is a following page of a branch's list.
type ListView struct {
	Page
	List Section
	Back Link
}

// SearchView is recherche/index.html.
type SearchView struct {
	Page
	Intro   string
	Search  SearchForm
	Count   string
	Results []SearchRow
}

// SearchRow is one CQP of the no-JavaScript result list.
type SearchRow struct {
	ID       string
	Title    string
	URL      string
	Kind     string
	IsCQPI   bool
	Branches []Link
	Level    *Link
}

// TextView is a free page, and the 404 page.
type TextView struct {
	Page
	Body  template.HTML
	Links []Link
}
