package synth

import (
	"slices"
	"strconv"
	"strings"
)

// This file is the port of gen_corpus.py proper: what a CQP or a branch is
// made of, drawn in exactly the order the Python tool draws it. Anything
// the cqp content model adds is drawn elsewhere, from other generators, so
// that it cannot shift these draws.

// branch is a professional branch as make_branches() builds it.
type branch struct {
	slug, name, opco string
	idcc             []int
}

// makeBranches seeds each branch's IDCC numbers from its position alone, not
// from the catalogue seed, as gen_corpus.py does.
func makeBranches() []branch {
	out := make([]branch, len(branchDefs))
	for i, d := range branchDefs {
		rng := newPyRandom("branch:" + strconv.Itoa(i))
		k := rng.intn(1, 3)
		idcc := rng.sample(3300-16, k)
		for j := range idcc {
			idcc[j] += 16
		}
		slices.Sort(idcc)
		out[i] = branch{slug: slugify(d.name), name: d.name, opco: d.opco, idcc: idcc}
	}
	return out
}

// branchBody is the presentation of a branch: two or three paragraphs.
func branchBody(seed string, b branch) string {
	rng := newPyRandom(seed + ":branch:" + b.slug)
	n := rng.intn(2, 3)
	paras := make([]string, n)
	for i := range paras {
		paras[i] = paragraph(rng, "dans la branche « "+b.name+" »")
	}
	return strings.Join(paras, "\n\n") + "\n"
}

// draft is one CQP as gen_corpus.py's cqp_file() draws it, before it is
// written in either layout.
type draft struct {
	index      int
	metier     int    // index into metiers, for the ROME code
	metierText string // as it appears in the title, sometimes inclusive
	domaine    int
	title      string
	cqpi       bool  // gen_corpus.py's kind; the cqp model derives it from branches
	branches   []int // indices into the branch list, first is the owner
	level      int
	since      date
	rncp       int // as drawn: numbers collide, the cqp layout makes them unique
	certifier  string
	blocks     []draftBlock
	body       []section
}

type draftBlock struct {
	title      string
	skills     []string
	assessment []string
}

// section is one paragraph of a CQP body, with the heading that precedes it.
// fiche marks a paragraph followed by a link to the France compétences
// record, which each layout writes with its own registration number.
type section struct {
	heading string
	text    string
	fiche   bool
}

// code is the CQP's code in gen_corpus.py, also its Hugo file name.
func (d *draft) code() string { return cqpCode(d.index) }

func cqpCode(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 4 {
		s = strings.Repeat("0", 4-len(s)) + s
	}
	return "CQP-" + s
}

// cqpID is the file name of CQP i in the cqp layout: its code in lower case,
// as to_cqp.py names it.
func cqpID(i int) string { return strings.ToLower(cqpCode(i)) }

var (
	levels   = [...]int{3, 4, 5, 6, 7}
	levelCum = [...]float64{30, 65, 85, 95, 100}
)

// drawCQP is cqp_file(i, seed, branches) without the writing.
func drawCQP(seed string, i int, branchCum []float64) *draft {
	rng := newPyRandom(seed + ":cqp:" + strconv.Itoa(i))
	d := &draft{index: i}
	d.metier = rng.pick(len(metiers))
	d.metierText = feminise(metiers[d.metier], rng)
	d.domaine = rng.pick(len(domaines))
	d.title = d.metierText + " " + domaines[d.domaine]
	d.cqpi = rng.random() < 0.08
	var nb int
	if d.cqpi {
		nb = rng.intn(2, 3)
	} else {
		switch r := rng.random(); {
		case r < 0.85:
			nb = 1
		case r < 0.97:
			nb = 2
		default:
			nb = 3
		}
	}
	for len(d.branches) < nb {
		if b := rng.weighted(branchCum); !slices.Contains(d.branches, b) {
			d.branches = append(d.branches, b)
		}
	}
	d.level = levels[rng.weighted(levelCum[:])]
	year := rng.intn(2017, 2024)
	month, day := rng.intn(1, 12), rng.intn(1, 28)
	d.since = date{year, month, day}
	d.rncp = rng.intn(10000, 39999)
	d.certifier = certificateurs[rng.pick(len(certificateurs))] + " " + branchDefs[d.branches[0]].name

	titles := rng.sample(len(blocTitres), rng.intn(4, 8))
	d.blocks = make([]draftBlock, len(titles))
	for j, t := range titles {
		b := &d.blocks[j]
		b.title = blocTitres[t]
		b.skills = make([]string, rng.intn(4, 10))
		for k := range b.skills {
			verbe, objet := verbes[rng.pick(len(verbes))], objets[rng.pick(len(objets))]
			if ctx := contextes[rng.pick(len(contextes))]; ctx != "" {
				b.skills[k] = verbe + " " + objet + " " + ctx
			} else {
				b.skills[k] = verbe + " " + objet
			}
		}
		for _, a := range rng.sample(len(evaluations), rng.intn(1, 3)) {
			b.assessment = append(b.assessment, evaluations[a])
		}
	}

	extra := "en tant que " + strings.ToLower(d.metierText)
	d.body = make([]section, rng.intn(3, 6))
	for p := range d.body {
		s := &d.body[p]
		if p > 0 && rng.random() < 0.35 {
			s.heading = titresSections[rng.pick(len(titresSections))]
		}
		s.text = paragraph(rng, extra)
		s.fiche = rng.random() < 0.2
	}
	return d
}

// appendBody appends the sections as gen_corpus.py joins them: a blank
// line after each heading and between paragraphs, one final newline. fiche
// is the sentence that follows a paragraph marked fiche, or "".
func (d *draft) appendBody(b []byte, fiche string) []byte {
	for i, s := range d.body {
		if i > 0 {
			b = append(b, '\n')
		}
		if s.heading != "" {
			b = append(b, "## "...)
			b = append(b, s.heading...)
			b = append(b, "\n\n"...)
		}
		b = append(b, s.text...)
		if s.fiche && fiche != "" {
			b = append(b, ' ')
			b = append(b, fiche...)
		}
		b = append(b, '\n')
	}
	return b
}

// sizeHint is a little more than a CQP file takes in either layout, so
// that its buffer is allocated once: 80% of the time goes into moving
// bytes, and growing a buffer moves them again.
func (d *draft) sizeHint() int {
	n := 2048 + len(d.title)
	for _, b := range d.blocks {
		n += 96 + len(b.title)
		for _, s := range b.skills {
			n += 12 + len(s)
		}
		for _, a := range b.assessment {
			n += 12 + len(a)
		}
	}
	for _, s := range d.body {
		n += 128 + len(s.heading) + len(s.text)
	}
	return n
}

// ficheSentence links to the France compétences record of a registration
// number such as "RNCP12345" or "RS4321".
func ficheSentence(number string) string {
	kind, digits := "rncp", strings.TrimPrefix(number, "RNCP")
	if strings.HasPrefix(number, "RS") {
		kind, digits = "rs", strings.TrimPrefix(number, "RS")
	}
	return "Consulter la [fiche " + number + "](https://www.francecompetences.fr/recherche/" + kind + "/" + digits + "/)."
}

// feminise gives a title its inclusive form three times in ten, when its
// first word has one; the draw happens only then, as in Python.
func feminise(metier string, rng *pyRandom) string {
	first, rest, _ := strings.Cut(metier, " ")
	if f, ok := feminin[first]; ok && rng.random() < 0.3 {
		return strings.TrimSpace(f + " " + rest)
	}
	return metier
}

func sentence(rng *pyRandom, extra string) string {
	var b strings.Builder
	b.Grow(256) // the longest sentences stay under it
	b.WriteString(sujets[rng.pick(len(sujets))])
	b.WriteString(" ")
	b.WriteString(predicats[rng.pick(len(predicats))])
	b.WriteString(" ")
	b.WriteString(complements[rng.pick(len(complements))])
	if rng.random() < 0.4 {
		b.WriteString(" ")
		b.WriteString(complements[rng.pick(len(complements))])
	}
	if extra != "" && rng.random() < 0.25 {
		b.WriteString(", notamment ")
		b.WriteString(extra)
	}
	b.WriteString(".")
	return b.String()
}

// paragraph is three to six sentences, one of them in bold three times in ten.
func paragraph(rng *pyRandom, extra string) string {
	sents := make([]string, rng.intn(3, 6))
	for i := range sents {
		sents[i] = sentence(rng, extra)
	}
	if rng.random() < 0.3 {
		k := rng.below(len(sents))
		sents[k] = "**" + strings.TrimSuffix(sents[k], ".") + "**."
	}
	return strings.Join(sents, " ")
}

// slugify is gen_corpus.py's slugify for the French names of the branch
// list: accents folded to ASCII, anything else than a letter or a digit
// turned into a single hyphen. Python uses NFKD; a table of the Latin
// letters French uses does the same here without golang.org/x/text.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if f, ok := foldLatin[r]; ok {
			b.WriteString(f)
			dash = false
			continue
		}
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

var foldLatin = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ñ': "n",
	'œ': "oe", 'æ': "ae",
}
