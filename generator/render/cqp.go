package render

import (
	"bytes"
	"encoding/json"
	"html/template"
	"strconv"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// blockID is the anchor of a block on its CQP's page: passerelles and
// search results link to it, so it is package search's BlockAnchor (a
// test keeps the two in step): "bloc-" and the code folded to lower-case
// letters and digits.
func blockID(code string) string {
	return "bloc-" + strings.ReplaceAll(markdown.Slug(code), "-", "")
}

// registrationURL is the France compétences record of an RNCP or RS number.
func registrationURL(number string) string {
	for _, prefix := range []string{"RNCP", "RS"} {
		if digits, ok := strings.CutPrefix(number, prefix); ok && digits != "" && strings.Trim(digits, "0123456789") == "" {
			return "https://www.francecompetences.fr/recherche/" + strings.ToLower(prefix) + "/" + digits + "/"
		}
	}
	return ""
}

// certifier is who issues the CQP: as written, else the CPNE of its first
// branch, as the content model says.
func (r *renderer) certifier(q *catalog.CQP) string {
	if q.Certifier != "" {
		return q.Certifier
	}
	if len(q.BranchRefs) > 0 {
		b := q.BranchRefs[0]
		if b.CPNE != "" {
			return b.CPNE
		}
		return r.t("cqp.certifier_default", "branch", b.Name)
	}
	return r.t("cqp.certifier_unknown")
}

// kind names the certificate's kind, short ("CQPI") or long.
func (r *renderer) kind(q *catalog.CQP, long bool) string {
	k := "kind.cqp"
	if q.IsCQPI() {
		k = "kind.cqpi"
	}
	if long {
		return r.t(k + ".long")
	}
	return r.t(k + ".short")
}

func (r *renderer) levelLink(from string, n int) *Link {
	if n == 0 {
		return nil
	}
	l := &Link{Text: r.t("level.name", "n", n)}
	if len(r.levels[n]) > 0 {
		l.URL = rel(from, levelPath(n))
	}
	return l
}

func (r *renderer) cqpJob(q *catalog.CQP) job {
	p := cqpPath(q.ID)
	return job{path: p, layout: layoutCQP, view: func() (any, error) { return r.cqpView(q, p) }}
}

func (r *renderer) cqpView(q *catalog.CQP, p string) (any, error) {
	reg := q.Registration
	d := CQPDetail{
		ID:        q.ID,
		Title:     q.Title,
		Kind:      r.kind(q, true),
		KindShort: r.kind(q, false),
		IsCQPI:    q.IsCQPI(),
		Archived:  q.Archived(),
		Summary:   q.Summary,
		Certifier: r.certifier(q),
		Updated:   r.date(q.Updated),
	}

	// Registration, level, and what they open.
	d.Registration = Registration{
		Label:       r.t("register." + reg.Register + ".label"),
		Number:      reg.Number.Value,
		URL:         registrationURL(reg.Number.Value),
		Explanation: r.t("register." + reg.Register + ".explanation"),
		Since:       r.date(reg.Since.Value),
		Until:       r.date(reg.Until.Value),
	}
	if n := q.Level(); n > 0 {
		d.Registration.Level = r.levelLink(p, n)
		d.Registration.LevelText = r.t("level." + strconv.Itoa(n))
	}
	d.CPF = r.eligibility("cpf", reg.Register, q.CPF())
	d.VAE = r.eligibility("vae", reg.Register, q.VAE())

	// Facts: the page's summary box.
	var branchLinks []Link
	for _, b := range q.BranchRefs {
		branchLinks = append(branchLinks, Link{Text: b.Name, URL: rel(p, branchPath(b.ID))})
	}
	d.Facts = append(d.Facts, Fact{Term: r.t("cqp.fact.kind"), Text: d.Kind})
	d.Facts = append(d.Facts, Fact{Term: r.tn("cqp.fact.branches", len(branchLinks)), Links: branchLinks})
	regFact := Fact{Term: r.t("cqp.fact.registration"), Text: d.Registration.Label}
	if d.Registration.Number != "" {
		regFact.Links = []Link{{Text: d.Registration.Number, URL: d.Registration.URL}}
	}
	d.Facts = append(d.Facts, regFact)
	if l := d.Registration.Level; l != nil {
		d.Facts = append(d.Facts, Fact{Term: r.t("cqp.fact.level"), Links: []Link{*l}, Note: d.Registration.LevelText})
	}
	d.Facts = append(d.Facts,
		// The reasons follow in the recognition section.
		Fact{Term: r.t("cqp.fact.cpf"), Text: d.CPF.Answer},
		Fact{Term: r.t("cqp.fact.vae"), Text: d.VAE.Answer},
	)
	if q.DurationHours > 0 {
		d.Duration = r.tn("unit.hours", q.DurationHours)
		d.Facts = append(d.Facts, Fact{Term: r.t("cqp.fact.duration"), Text: d.Duration})
	}
	if q.Code != "" {
		d.Facts = append(d.Facts, Fact{Term: r.t("cqp.fact.code"), Text: q.Code})
	}
	d.Facts = append(d.Facts, Fact{Term: r.t("cqp.fact.certifier"), Text: d.Certifier})

	// Publics, routes, funding.
	for _, v := range q.Publics {
		d.Publics = append(d.Publics, r.t("publics."+v))
	}
	for _, a := range q.Access {
		d.Routes = append(d.Routes, Step{Title: r.t("access." + a.Value + ".title"), Text: r.t("access." + a.Value + ".text")})
	}
	for _, f := range q.Funding {
		d.Funding = append(d.Funding, Step{Title: r.t("funding." + f.Value + ".title"), Text: r.t("funding." + f.Value + ".text")})
	}

	// Blocks and passerelles.
	hours := 0
	var reserved []string
	for _, b := range q.Blocks {
		bv := BlockView{
			ID:         blockID(b.Code.Value),
			Code:       b.Code.Value,
			Title:      b.Title,
			Skills:     b.Skills,
			Assessment: b.Assessment,
		}
		reserved = append(reserved, bv.ID)
		if b.Hours > 0 {
			hours += b.Hours
			bv.Hours = r.tn("unit.hours", b.Hours)
		}
		for _, pr := range b.Passerelles {
			bv.Passerelles = append(bv.Passerelles, Passerelle{
				CQP:   pr.CQP.Title,
				Kind:  r.kind(pr.CQP, false),
				Block: pr.Block.Code.Value + " — " + pr.Block.Title,
				URL:   rel(p, cqpPath(pr.CQP.ID)) + "#" + blockID(pr.Block.Code.Value),
			})
		}
		d.Blocks = append(d.Blocks, bv)
	}
	if n := len(q.Blocks); n > 0 {
		d.BlocksTotal = r.tn("cqp.blocks.count", n)
		if hours > 0 {
			d.BlocksTotal = r.t("cqp.blocks.count_hours", "blocks", d.BlocksTotal, "hours", r.tn("unit.hours", hours))
		}
	}

	for _, j := range q.Jobs {
		d.Jobs = append(d.Jobs, Job{Title: j.Title, ROME: j.ROME})
	}
	d.Steps = r.stepsHTML("steps.formation", d.Certifier)
	if q.VAE() {
		d.VAESteps = r.stepsHTML("steps.vae", d.Certifier)
	}

	// Branches, with their own catalogues, and whom to ask.
	for _, b := range q.BranchRefs {
		bp := BranchPartner{
			Name:    b.Name,
			URL:     rel(p, branchPath(b.ID)),
			Website: safeURL(b.Website),
			CPNE:    b.CPNE,
			OPCO:    b.OPCO,
			IsOwner: b.ID == r.cat.Site.Owner.Value,
		}
		if c := safeURL(b.CatalogueURL); c != "" && !(bp.IsOwner && c == r.base) {
			bp.Catalogue = c + "cqp/" + q.ID + "/"
		}
		d.Branches = append(d.Branches, bp)
	}
	// The contacts depend on the branches alone: CQPs of the same
	// branches share them.
	var ids []string
	for _, b := range q.BranchRefs {
		ids = append(ids, b.ID)
	}
	d.Contacts = r.contactsHTML("cqp|"+strings.Join(ids, ","), func() []Contact { return r.cqpContacts(q) })

	body, err := r.body(q.Source, p, 3, reserved...)
	if err != nil {
		return nil, err
	}
	d.Body = body

	var crumbs []Link
	if q.IsCQPI() {
		crumbs = []Link{{Text: r.t("nav.cqpi"), URL: cqpiPath}}
	} else if len(q.BranchRefs) > 0 {
		b := q.BranchRefs[0]
		crumbs = []Link{{Text: r.t("nav.branches"), URL: branchesPath}, {Text: b.Name, URL: branchPath(b.ID)}}
	}
	pg := r.page(p, q.Title, q.Summary, crumbs...)
	pg.OGType = "article"
	ld, err := r.jsonLD(q, d)
	if err != nil {
		return nil, err
	}
	pg.JSONLD = ld
	return CQPView{Page: pg, CQP: d}, nil
}

// eligibility says whether CPF or VAE is open, and why, from the
// registration alone: that is what the law looks at.
func (r *renderer) eligibility(scheme, register string, open bool) Eligibility {
	e := Eligibility{Open: open, Answer: r.t("answer.no")}
	if open {
		e.Answer = r.t("answer.yes")
	}
	e.Reason = r.t("eligibility." + scheme + "." + register)
	return e
}

// cqpContacts lists whom to ask about a CQP: the branches' OPCO (each
// once), the branches' contacts, then the site's.
func (r *renderer) cqpContacts(q *catalog.CQP) []Contact {
	var out []Contact
	opcoBranches := map[string][]string{}
	var opcos []string
	for _, b := range q.BranchRefs {
		if b.OPCO == "" {
			continue
		}
		if _, ok := opcoBranches[b.OPCO]; !ok {
			opcos = append(opcos, b.OPCO)
		}
		opcoBranches[b.OPCO] = append(opcoBranches[b.OPCO], b.Name)
	}
	for _, o := range opcos {
		out = append(out, Contact{Label: o, Note: r.tn("contact.opco", len(opcoBranches[o]), "branches", strings.Join(opcoBranches[o], ", "))})
	}
	for _, b := range q.BranchRefs {
		for _, c := range r.contacts(b.Contacts) {
			if q.IsCQPI() {
				c.Label = b.Name + " — " + c.Label
			}
			out = append(out, c)
		}
	}
	return append(out, r.contacts(r.cat.Site.Contacts)...)
}

// The JSON-LD of a CQP page: schema.org's EducationalOccupationalCredential.
// Field order is fixed by the structs, so the output is stable.
type ldCredential struct {
	Context            string       `json:"@context"`
	Type               string       `json:"@type"`
	ID                 string       `json:"@id,omitempty"`
	Name               string       `json:"name"`
	Description        string       `json:"description,omitempty"`
	URL                string       `json:"url,omitempty"`
	Identifier         []ldProperty `json:"identifier,omitempty"`
	CredentialCategory string       `json:"credentialCategory"`
	EducationalLevel   *ldTerm      `json:"educationalLevel,omitempty"`
	RecognizedBy       []ldOrg      `json:"recognizedBy,omitempty"`
	CompetencyRequired []ldTerm     `json:"competencyRequired,omitempty"`
	OccupationalCat    []ldTerm     `json:"occupationalCategory,omitempty"`
	InLanguage         string       `json:"inLanguage,omitempty"`
	DateModified       string       `json:"dateModified,omitempty"`
	Keywords           string       `json:"keywords,omitempty"`
	CreativeWorkStatus string       `json:"creativeWorkStatus,omitempty"`
}

type ldProperty struct {
	Type       string `json:"@type"`
	PropertyID string `json:"propertyID"`
	Value      string `json:"value"`
	URL        string `json:"url,omitempty"`
}

type ldTerm struct {
	Type           string `json:"@type"`
	Name           string `json:"name"`
	TermCode       string `json:"termCode,omitempty"`
	Description    string `json:"description,omitempty"`
	InDefinedTerms string `json:"inDefinedTermSet,omitempty"`
	URL            string `json:"url,omitempty"`
}

type ldOrg struct {
	Type   string `json:"@type"`
	Name   string `json:"name"`
	URL    string `json:"url,omitempty"`
	SameAs string `json:"sameAs,omitempty"`
}

func (r *renderer) jsonLD(q *catalog.CQP, d CQPDetail) (template.JS, error) {
	url := r.absURL(cqpPath(q.ID))
	ld := ldCredential{
		Context:            "https://schema.org",
		Type:               "EducationalOccupationalCredential",
		ID:                 url,
		Name:               q.Title,
		Description:        q.Summary,
		URL:                url,
		CredentialCategory: d.Kind,
		InLanguage:         r.cat.Site.Language,
		DateModified:       d.Updated.ISO,
		Keywords:           strings.Join(q.Keywords, ", "),
	}
	if q.Archived() {
		ld.CreativeWorkStatus = r.t("cqp.archived.short")
	}
	if n := d.Registration.Number; n != "" {
		ld.Identifier = append(ld.Identifier, ldProperty{Type: "PropertyValue", PropertyID: strings.ToUpper(q.Registration.Register), Value: n, URL: d.Registration.URL})
	}
	if q.Code != "" {
		ld.Identifier = append(ld.Identifier, ldProperty{Type: "PropertyValue", PropertyID: "code", Value: q.Code})
	}
	if n := q.Level(); n > 0 {
		ld.EducationalLevel = &ldTerm{Type: "DefinedTerm", Name: r.t("level.name", "n", n), TermCode: strconv.Itoa(n), Description: d.Registration.LevelText, InDefinedTerms: r.t("level.framework")}
	}
	for _, b := range q.BranchRefs {
		ld.RecognizedBy = append(ld.RecognizedBy, ldOrg{Type: "Organization", Name: b.Name, URL: r.absURL(branchPath(b.ID)), SameAs: safeURL(b.Website)})
	}
	for _, b := range q.Blocks {
		// The skills stay on the page and in catalogue.json: repeating
		// them here would double the weight of every CQP page.
		term := ldTerm{Type: "DefinedTerm", Name: b.Title, TermCode: b.Code.Value}
		if url != "" {
			term.URL = url + "#" + blockID(b.Code.Value)
		}
		ld.CompetencyRequired = append(ld.CompetencyRequired, term)
	}
	for _, j := range q.Jobs {
		if j.ROME != "" {
			ld.OccupationalCat = append(ld.OccupationalCat, ldTerm{Type: "DefinedTerm", Name: j.Title, TermCode: j.ROME, InDefinedTerms: "ROME"})
		}
	}
	return scriptJSON(ld)
}

// scriptJSON marshals v for a <script type="application/ld+json">
// element. encoding/json writes <, > and & as \u003c, \u003e and \u0026,
// so no "</script>" nor "<!--" in a title can end the element early.
func scriptJSON(v any) (template.JS, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return template.JS(bytes.TrimSpace(buf.Bytes())), nil
}
