package synth

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file writes the cqp content model (shared/CONTENT-MODEL.md): what
// to_cqp.py makes of gen_corpus.py's corpus, plus the keys to_cqp.py leaves
// out. Those extras come from a second generator per CQP, seeded with
// "<seed>:cqp-model:<i>", so they never disturb the draws the Hugo layout
// shares.

// Dates that keep the synthetic site free of warnings for a while: check
// warns about an échéance in the past, so every until falls after
// untilAfter; updated dates never pass updatedBefore. Both are fixed,
// never time.Now, so that output depends on the options alone.
var (
	untilAfter    = date{2027, 12, 31}
	updatedBefore = date{2026, 11, 1}
)

// Shares of what the cqp model adds, chosen so that every facet, badge
// and kind of link of the site has CQPs behind it while RNCP registration
// stays the common case, as it is among industrial CQPs.
const (
	shareRNCP        = 0.75 // then RS up to shareRS, the rest unregistered
	shareRS          = 0.80
	shareArchived    = 0.03
	sharePasserelles = 0.25 // CQPs that share blocks with earlier CQPs
	shareSeeAlso     = 0.20 // of the others: a cqp: link to an earlier CQP
	shareBranche     = 0.30 // a branche: link to the first branch
)

// romes gives each entry of metiers a plausible ROME v3 code (letter and
// four digits). They make the jobs list realistic; they are not an
// authoritative mapping.
var romes = [len(metiers)]string{
	"I1310", "H2912", "H2102", "H2909", "H2504", "H1506", "H2602", "H2913", "H2902", "H2914",
	"H2901", "N1103", "N1101", "D1214", "D1502", "G1603", "N1303", "K2503", "H2504", "H1401",
	"H1404", "I1304", "D1408", "H3301", "H2906", "I1604", "I1309", "H1203", "N1301", "N1103",
	"G1802", "G1602", "G1801", "D1208", "D1202", "G1204", "G1203", "H1503", "H2905", "H1506",
}

// keywordList feeds the keywords key: extra search terms.
var keywordList = [...]string{
	"alternance", "industrie", "maintenance", "qualité", "sécurité", "logistique", "production",
	"vente", "relation client", "encadrement", "hygiène", "environnement", "automatisme",
	"électricité", "mécanique", "soudure", "usinage", "numérique", "prévention", "tutorat",
	"reconversion", "première qualification", "polyvalence", "amélioration continue",
	"métrologie", "froid", "restauration", "commerce", "services", "transport",
}

// blockRef is a block of a CQP already written, a possible passerelle.
type blockRef struct {
	cqp  int
	code string
}

// cqpState is what the CQPs written so far leave for the next ones. Every
// reference (registration numbers, passerelles, links) points backwards, so
// the catalogue of N CQPs is the first N CQP files of any larger one.
type cqpState struct {
	numbers map[string]bool
	byTitle map[string][]blockRef // block title → blocks bearing it
	titles  []string              // titles[i-1] is CQP i's title
}

func newCQPState(n int) *cqpState {
	return &cqpState{
		numbers: make(map[string]bool, n),
		byTitle: make(map[string][]blockRef, len(blocTitres)),
		titles:  make([]string, 0, n),
	}
}

// unique returns prefix+n, or the next free number after it: to_cqp.py's
// answer to numbers that collide in the synthetic corpus.
func (s *cqpState) unique(prefix string, n int) string {
	for {
		num := prefix + strconv.Itoa(n)
		if !s.numbers[num] {
			s.numbers[num] = true
			return num
		}
		n++
	}
}

func (g *generator) cqpSite(emit emitFunc) error {
	var y yamlWriter
	y.b = append(y.b, "---\n"...)
	y.str("", "title", "Catalogue des CQP")
	y.str("", "description", "Catalogue synthétique de certificats de qualification professionnelle, généré pour les mesures de performance.")
	y.raw("", "base_url", "https://cqp.example.org/")
	y.raw("", "language", "fr")
	y.raw("", "owner", g.branches[0].slug)
	y.key("", "contacts")
	y.str("- ", "label", "Référent VAE")
	y.raw("  ", "email", "vae@cqp.example.org")
	y.str("  ", "note", "Pour préparer une validation des acquis de l'expérience.")
	y.str("- ", "label", "France Travail")
	y.raw("  ", "url", "https://www.francetravail.fr/")
	y.str("  ", "note", "Pour les demandeurs d'emploi.")
	y.b = append(y.b, "---\nCatalogue synthétique pour les mesures de performance.\n"...)
	if err := emit("content/_index.md", y.b); err != nil {
		return err
	}
	for i, b := range g.branches {
		if err := emit("content/branches/"+b.slug+".md", g.cqpBranch(i, b)); err != nil {
			return err
		}
	}
	return nil
}

// cqpBranch writes a branch with the keys to_cqp.py keeps (name, opco,
// idcc) and a website for all, so that no CQPI partner draws a warning; one
// branch in three also publishes its own catalogue.
func (g *generator) cqpBranch(i int, b branch) []byte {
	var y yamlWriter
	y.b = append(y.b, "---\n"...)
	y.str("", "name", b.name)
	y.key("", "idcc")
	for _, n := range b.idcc {
		y.b = append(y.b, "- "...)
		y.b = strconv.AppendInt(y.b, int64(n), 10)
		y.b = append(y.b, '\n')
	}
	y.str("", "cpne", "CPNE "+b.name)
	y.str("", "opco", b.opco)
	y.raw("", "website", "https://"+b.slug+".example.org/")
	if i%3 == 0 {
		y.raw("", "catalogue_url", "https://cqp."+b.slug+".example.org/")
	}
	y.key("", "contacts")
	y.str("- ", "label", "Service formation de la branche")
	y.raw("  ", "email", "formation@"+b.slug+".example.org")
	y.b = append(y.b, "---\n\n"...)
	y.b = append(y.b, branchBody(g.seed, b)...)
	return y.b
}

// cqpEntry is a CQP as the cqp model writes it: the draft plus every
// decision taken for the keys to_cqp.py leaves out.
type cqpEntry struct {
	d                *draft
	register, number string // number is empty for register "none"
	until            date   // zero for register "none"
	archived         bool
	codes            []string // block codes
	hours            []int    // block hours
	summary          string
	publics          []string
	access, funding  []string
	jobs             []int // indices into metiers, the CQP's own first
	keywords         []string
	updated          date
	commonWith       []string // per block: "<cqp-id>/<code>" or ""
	seeAlso          int      // an earlier CQP linked from the body, 0 for none
	seeAlsoTitle     string
	shared           bool // seeAlso shares blocks with this CQP
	brancheLink      bool
}

// modelRNG is the generator for what the cqp model adds to CQP i.
func modelRNG(seed string, i int) *pyRandom {
	return newPyRandom(seed + ":cqp-model:" + strconv.Itoa(i))
}

// resolveCQP takes every decision about CQP d, in order, since registration
// numbers and passerelles depend on the CQPs before it; then it records what
// later CQPs may refer to. rng is modelRNG(seed, d.index); st gathers counts.
func resolveCQP(d *draft, rng *pyRandom, s *cqpState, st *Stats) *cqpEntry {
	e := &cqpEntry{d: d}

	// Registration: to_cqp.py's unique RNCP number, or an RS or no
	// registration for a share of them.
	switch r := rng.random(); {
	case r < shareRNCP:
		e.register, e.number = "rncp", s.unique("RNCP", d.rncp)
	case r < shareRS:
		e.register, e.number = "rs", s.unique("RS", rng.intn(1000, 6999))
	default:
		e.register = "none"
	}
	if e.register != "none" {
		// An échéance belongs to a registration, which lasts five years and
		// is renewed here until it lies comfortably in the future.
		e.until = d.since.addYears(5)
		for !untilAfter.before(e.until) {
			e.until = e.until.addYears(5)
		}
	}
	e.archived = rng.random() < shareArchived

	e.codes = make([]string, len(d.blocks))
	for j := range d.blocks {
		if e.register == "rncp" {
			e.codes[j] = fmt.Sprintf("%sBC%02d", e.number, j+1)
		} else {
			e.codes[j] = fmt.Sprintf("B%02d", j+1)
		}
	}
	e.hours = make([]int, len(d.blocks))
	for j := range e.hours {
		e.hours[j] = 7 * rng.intn(3, 30)
	}

	if rng.below(2) == 0 {
		e.summary = fmt.Sprintf("%s, certifié en %d blocs de compétences.", d.title, len(d.blocks))
	} else {
		e.summary = fmt.Sprintf("Exercer le métier %s %s, du bloc « %s » au bloc « %s ».",
			elideDe(strings.ToLower(d.metierText)), domaines[d.domaine],
			d.blocks[0].title, d.blocks[len(d.blocks)-1].title)
	}

	for _, p := range [...]struct {
		name  string
		share float64
	}{{"jeunes", 0.6}, {"salaries", 0.9}, {"demandeurs-emploi", 0.5}} {
		if rng.random() < p.share {
			e.publics = append(e.publics, p.name)
		}
	}
	if len(e.publics) == 0 {
		e.publics = []string{"salaries"}
	}

	// Access and funding as to_cqp.py sets them: VAE needs RNCP, CPF a
	// registration; then the occasional Pro-A, Transitions Pro or OPCO.
	e.access = []string{"formation"}
	if e.register == "rncp" {
		e.access = append(e.access, "vae")
	}
	e.funding = []string{"plan"}
	if e.register != "none" {
		e.funding = append(e.funding, "cpf")
	}
	e.funding = append(e.funding, "contrat-pro")
	if rng.random() < 0.4 {
		e.funding = append(e.funding, "pro-a")
	}
	if e.register == "rncp" && rng.random() < 0.2 {
		e.funding = append(e.funding, "transitions-pro")
	}
	if rng.random() < 0.3 {
		e.funding = append(e.funding, "opco")
	}

	e.jobs = []int{d.metier}
	switch r := rng.random(); {
	case r < 0.5:
	case r < 0.85:
		e.jobs = append(e.jobs, otherMetiers(rng, d.metier, 1)...)
	default:
		e.jobs = append(e.jobs, otherMetiers(rng, d.metier, 2)...)
	}

	for _, k := range rng.sample(len(keywordList), rng.intn(2, 4)) {
		e.keywords = append(e.keywords, keywordList[k])
	}

	e.updated = d.since.addDays(rng.below(d.since.daysUntil(updatedBefore) + 1))

	// Passerelles: blocks of earlier CQPs with the same title.
	e.commonWith = make([]string, len(d.blocks))
	if rng.random() < sharePasserelles {
		for _, j := range rng.sample(len(d.blocks), rng.intn(1, 2)) {
			cands := s.byTitle[d.blocks[j].title]
			if len(cands) == 0 {
				continue
			}
			ref := cands[rng.below(len(cands))]
			e.commonWith[j] = cqpID(ref.cqp) + "/" + ref.code
			st.Passerelles++
			if e.seeAlso == 0 {
				e.seeAlso, e.shared = ref.cqp, true
			}
		}
	} else if d.index > 1 && rng.random() < shareSeeAlso {
		e.seeAlso = 1 + rng.below(d.index-1)
	}
	if e.seeAlso > 0 {
		e.seeAlsoTitle = s.titles[e.seeAlso-1]
		st.Links++
	}
	if e.brancheLink = rng.random() < shareBranche; e.brancheLink {
		st.Links++
	}

	for j, b := range d.blocks {
		s.byTitle[b.title] = append(s.byTitle[b.title], blockRef{d.index, e.codes[j]})
	}
	s.titles = append(s.titles, d.title)
	return e
}

// renderCQP writes content/cqp/<id>.md. It only reads e, so CQPs render
// in parallel once resolved.
func (g *generator) renderCQP(e *cqpEntry) []byte {
	d := e.d
	var y yamlWriter
	y.b = make([]byte, 0, d.sizeHint())
	y.b = append(y.b, "---\n"...)
	y.str("", "title", d.title)
	y.raw("", "code", d.code())
	y.key("", "branches")
	for _, b := range d.branches {
		y.b = append(y.b, "- "...)
		y.b = append(y.b, g.branches[b].slug...)
		y.b = append(y.b, '\n')
	}
	y.str("", "certifier", d.certifier)
	y.key("", "registration")
	y.raw("  ", "register", e.register)
	if e.number != "" {
		y.raw("  ", "number", e.number)
	}
	if e.register == "rncp" {
		y.int("  ", "level", d.level)
	}
	y.raw("  ", "since", d.since.String())
	if e.register != "none" {
		y.raw("  ", "until", e.until.String())
	}
	if e.archived {
		y.raw("", "status", "archived")
	}
	y.str("", "summary", e.summary)
	y.list("", "publics", e.publics)
	y.list("", "access", e.access)
	y.list("", "funding", e.funding)
	total := 0
	for _, h := range e.hours {
		total += h
	}
	y.int("", "duration_hours", total)
	y.key("", "jobs")
	for j, m := range e.jobs {
		title := metiers[m]
		if j == 0 {
			title = d.metierText
		}
		y.str("- ", "title", title)
		y.raw("  ", "rome", romes[m])
	}
	y.key("", "blocks")
	for j, b := range d.blocks {
		y.raw("- ", "code", e.codes[j])
		y.str("  ", "title", b.title)
		y.list("  ", "skills", b.skills)
		y.str("  ", "assessment", strings.Join(b.assessment, "; "))
		y.int("  ", "hours", e.hours[j])
		if e.commonWith[j] != "" {
			y.list("  ", "common_with", []string{e.commonWith[j]})
		}
	}
	y.list("", "keywords", e.keywords)
	y.raw("", "updated", e.updated.String())
	y.b = append(y.b, "---\n\n"...)

	fiche := ""
	if e.number != "" {
		fiche = ficheSentence(e.number)
	}
	y.b = d.appendBody(y.b, fiche)
	if e.seeAlso > 0 || e.brancheLink {
		y.b = append(y.b, '\n')
		if e.seeAlso > 0 {
			verb := "Voir aussi"
			if e.shared {
				verb = "Des blocs sont communs avec"
			}
			y.b = append(y.b, verb+" le CQP ["+e.seeAlsoTitle+"](cqp:"+cqpID(e.seeAlso)+")."...)
		}
		if e.brancheLink {
			if e.seeAlso > 0 {
				y.b = append(y.b, ' ')
			}
			b := g.branches[d.branches[0]]
			y.b = append(y.b, "Retrouvez les autres certifications de la [branche "+b.name+"](branche:"+b.slug+")."...)
		}
		y.b = append(y.b, '\n')
	}
	return y.b
}

// otherMetiers draws n trades other than the CQP's own, for its jobs list.
func otherMetiers(rng *pyRandom, own, n int) []int {
	idx := rng.sample(len(metiers)-1, n)
	for i, m := range idx {
		if m >= own {
			idx[i] = m + 1 // skip own without a retry loop
		}
	}
	return idx
}

// elideDe puts "de" before a word the French way: "d'agent", "de soudeur".
func elideDe(word string) string {
	r, _ := utf8.DecodeRuneInString(word)
	if strings.ContainsRune("aâàeéèêiîoôuûy", r) {
		return "d'" + word
	}
	return "de " + word
}

// date is a calendar day. The synthetic dates all have a day ≤ 28, so year
// and day arithmetic never overflows a month.
type date struct{ y, m, d int }

func (d date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)
}

func (d date) time() time.Time {
	return time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC)
}

func fromTime(t time.Time) date { return date{t.Year(), int(t.Month()), t.Day()} }

func (d date) addYears(n int) date { return fromTime(d.time().AddDate(n, 0, 0)) }

func (d date) addDays(n int) date { return fromTime(d.time().AddDate(0, 0, n)) }

func (d date) before(e date) bool { return d.time().Before(e.time()) }

// daysUntil counts the days from d to e, 0 if e is not later.
func (d date) daysUntil(e date) int {
	return max(0, int(e.time().Sub(d.time())/(24*time.Hour)))
}
