package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/internal/par"
)

// catalogue.json is the catalogue as open data: every branch and every CQP
// with its blocks, archived ones included (with their status), documented
// field by field in docs/catalogue-json.md and described by
// docs/catalogue.schema.json. Every field is always present (null or []
// when the content says nothing), branches and CQPs are sorted by id, and
// lists keep the order of the content, so that two builds, and two
// versions of a catalogue, compare line by line.

// OpenDataVersion is the format's version; it changes only when a field
// changes meaning or disappears.
const OpenDataVersion = 1

// The file is an object with these members, in this order: format,
// version, site (odSite), counts (odCounts), updated, generator
// (odGenerator), branches (odBranch), cqps (odCQP); openDataParts writes
// it member by member.

type odGenerator struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type odCounts struct {
	Branches int `json:"branches"`
	CQPs     int `json:"cqps"`
	CQPIs    int `json:"cqpis"`
	Active   int `json:"active"`
	Archived int `json:"archived"`
	Blocks   int `json:"blocks"`
}

type odSite struct {
	Title       string      `json:"title"`
	Description *string     `json:"description"`
	URL         *string     `json:"url"`
	Language    string      `json:"language"`
	Owner       *string     `json:"owner"`
	Contacts    []odContact `json:"contacts"`
}

type odContact struct {
	Label string  `json:"label"`
	URL   *string `json:"url"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
	Note  *string `json:"note"`
}

type odBranch struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	IDCC         []int       `json:"idcc"`
	CPNE         *string     `json:"cpne"`
	OPCO         *string     `json:"opco"`
	Website      *string     `json:"website"`
	CatalogueURL *string     `json:"catalogue_url"`
	Contacts     []odContact `json:"contacts"`
	URL          *string     `json:"url"`
	CQPs         []string    `json:"cqps"`
}

type odCQP struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	Kind          string         `json:"kind"`
	Code          *string        `json:"code"`
	Status        string         `json:"status"`
	Branches      []string       `json:"branches"`
	Certifier     string         `json:"certifier"`
	Registration  odRegistration `json:"registration"`
	CPF           bool           `json:"cpf"`
	VAE           bool           `json:"vae"`
	Summary       *string        `json:"summary"`
	Publics       []string       `json:"publics"`
	Access        []string       `json:"access"`
	Funding       []string       `json:"funding"`
	DurationHours *int           `json:"duration_hours"`
	Jobs          []odJob        `json:"jobs"`
	Blocks        []odBlock      `json:"blocks"`
	Keywords      []string       `json:"keywords"`
	Updated       *string        `json:"updated"`
	URL           *string        `json:"url"`
}

type odRegistration struct {
	Register string  `json:"register"`
	Number   *string `json:"number"`
	Level    *int    `json:"level"`
	Since    *string `json:"since"`
	Until    *string `json:"until"`
	URL      *string `json:"url"`
}

type odJob struct {
	Title string  `json:"title"`
	ROME  *string `json:"rome"`
}

type odBlock struct {
	Code        string         `json:"code"`
	Title       string         `json:"title"`
	Skills      []string       `json:"skills"`
	Assessment  *string        `json:"assessment"`
	Hours       *int           `json:"hours"`
	Passerelles []odPasserelle `json:"passerelles"`
}

type odPasserelle struct {
	CQP   string `json:"cqp"`
	Block string `json:"block"`
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func num(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func day(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func strs(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func values(v []catalog.Located[string]) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = x.Value
	}
	return out
}

func (r *renderer) odContacts(cs []catalog.Contact) []odContact {
	out := make([]odContact, 0, len(cs))
	for _, c := range cs {
		out = append(out, odContact{Label: c.Label, URL: str(safeURL(c.URL)), Email: str(c.Email), Phone: str(c.Phone), Note: str(c.Note)})
	}
	return out
}

// openDataBatch is how many CQPs a part of catalogue.json holds.
const openDataBatch = 256

// openDataParts yields catalogue.json in parts, for Sink.PutParts: the
// head (site, counts, branches), then the CQPs a batch at a time, each
// batch encoded on every core. The 56 MB of 10,000 CQPs are never held
// whole: with their records they were a spike of 110 MB of live memory,
// which set the heap's size for the rest of the build.
//
// The file has one branch or CQP per line: compact enough for a large
// catalogue (indenting 10,000 CQPs costs a fifth of the file and much
// time), and still a file whose versions compare line by line. With
// Options.CompactData the line breaks are left out, which is all the JSON
// minifier would remove. Escaping <, > and & keeps it harmless if a
// browser or a careless proxy ever sniffs it as HTML.
func (r *renderer) openDataParts() iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		nl := "\n"
		if r.opts.CompactData {
			nl = ""
		}
		cqps := slices.Clone(r.cat.CQPs)
		slices.SortFunc(cqps, func(a, b *catalog.CQP) int { return strings.Compare(a.ID, b.ID) })
		head, err := r.openDataHead(cqps, nl)
		if err != nil {
			yield(nil, fmt.Errorf("%s : %w", dataPath, err))
			return
		}
		if !yield(head, nil) {
			return
		}
		recs := make([][]byte, min(openDataBatch, len(cqps)))
		errs := make([]error, len(recs))
		var part []byte
		for start := 0; start < len(cqps); start += openDataBatch {
			batch := cqps[start:min(start+openDataBatch, len(cqps))]
			par.For(len(batch), func(i int) { recs[i], errs[i] = encodeJSON(r.odCQP(batch[i])) })
			if err := errors.Join(errs[:len(batch)]...); err != nil {
				yield(nil, fmt.Errorf("%s : %w", dataPath, err))
				return
			}
			part = part[:0]
			for i, b := range recs[:len(batch)] {
				if start+i > 0 {
					part = append(part, ',')
				}
				part = append(part, nl...)
				part = append(part, b...)
			}
			if !yield(part, nil) {
				return
			}
		}
		yield([]byte(nl+"]"+nl+"}"+nl), nil)
	}
}

// openDataHead is catalogue.json up to the CQPs' opening bracket.
func (r *renderer) openDataHead(cqps []*catalog.CQP, nl string) ([]byte, error) {
	site := r.cat.Site
	var counts odCounts
	var latest time.Time
	for _, q := range cqps {
		if q.IsCQPI() {
			counts.CQPIs++
		}
		if q.Archived() {
			counts.Archived++
		} else {
			counts.Active++
		}
		if q.Updated.After(latest) {
			latest = q.Updated
		}
		counts.Blocks += len(q.Blocks)
	}
	branches := slices.Clone(r.cat.Branches)
	slices.SortFunc(branches, func(a, b *catalog.Branch) int { return strings.Compare(a.ID, b.ID) })
	counts.Branches = len(branches)
	counts.CQPs = len(cqps)

	var head bytes.Buffer
	put := func(v any) error {
		b, err := encodeJSON(v)
		head.Write(b)
		return err
	}
	field := func(name string, v any) error {
		head.WriteString("," + nl + "\"" + name + "\":")
		return put(v)
	}
	head.WriteString("{\"format\":")
	err := put("cqp-catalogue")
	for _, e := range []error{
		field("version", OpenDataVersion),
		field("site", odSite{
			Title:       site.Title,
			Description: str(site.Description),
			URL:         str(r.base),
			Language:    site.Language,
			Owner:       str(site.Owner.Value),
			Contacts:    r.odContacts(site.Contacts),
		}),
		field("counts", counts),
		field("updated", day(latest)),
		field("generator", odGenerator{Name: "cqp", URL: "https://github.com/cqp-catalogue/cqp"}),
	} {
		err = cmp.Or(err, e)
	}
	head.WriteString("," + nl + "\"branches\":[")
	for i, b := range branches {
		if i > 0 {
			head.WriteByte(',')
		}
		head.WriteString(nl)
		err = cmp.Or(err, put(r.odBranch(b)))
	}
	head.WriteString(nl + "]," + nl + "\"cqps\":[")
	return head.Bytes(), err
}

func (r *renderer) odBranch(b *catalog.Branch) odBranch {
	ob := odBranch{
		ID: b.ID, Name: b.Name, IDCC: b.IDCC, CPNE: str(b.CPNE), OPCO: str(b.OPCO),
		Website: str(safeURL(b.Website)), CatalogueURL: str(safeURL(b.CatalogueURL)),
		Contacts: r.odContacts(b.Contacts), URL: str(r.absURL(branchPath(b.ID))), CQPs: []string{},
	}
	if ob.IDCC == nil {
		ob.IDCC = []int{}
	}
	for _, q := range b.CQPs {
		ob.CQPs = append(ob.CQPs, q.ID)
	}
	slices.Sort(ob.CQPs)
	return ob
}

func (r *renderer) odCQP(q *catalog.CQP) odCQP {
	reg := q.Registration
	kind := "cqp"
	if q.IsCQPI() {
		kind = "cqpi"
	}
	oq := odCQP{
		ID: q.ID, Title: q.Title, Kind: kind, Code: str(q.Code), Status: q.Status,
		Branches:  values(q.Branches),
		Certifier: r.certifier(q),
		Registration: odRegistration{
			Register: reg.Register, Number: str(reg.Number.Value), Level: num(reg.Level.Value),
			Since: day(reg.Since.Value), Until: day(reg.Until.Value), URL: str(registrationURL(reg.Number.Value)),
		},
		CPF: q.CPF(), VAE: q.VAE(),
		Summary: str(q.Summary), Publics: strs(q.Publics), Access: values(q.Access), Funding: values(q.Funding),
		DurationHours: num(q.DurationHours), Jobs: []odJob{}, Blocks: []odBlock{}, Keywords: strs(q.Keywords),
		Updated: day(q.Updated), URL: str(r.absURL(cqpPath(q.ID))),
	}
	for _, j := range q.Jobs {
		oq.Jobs = append(oq.Jobs, odJob{Title: j.Title, ROME: str(j.ROME)})
	}
	for _, b := range q.Blocks {
		ob := odBlock{Code: b.Code.Value, Title: b.Title, Skills: strs(b.Skills), Assessment: str(b.Assessment), Hours: num(b.Hours), Passerelles: []odPasserelle{}}
		for _, p := range b.Passerelles {
			ob.Passerelles = append(ob.Passerelles, odPasserelle{CQP: p.CQP.ID, Block: p.Block.Code.Value})
		}
		slices.SortFunc(ob.Passerelles, func(a, b odPasserelle) int {
			if c := strings.Compare(a.CQP, b.CQP); c != 0 {
				return c
			}
			return strings.Compare(a.Block, b.Block)
		})
		oq.Blocks = append(oq.Blocks, ob)
	}
	return oq
}

// DataPath is where catalogue.json lands in the output.
const DataPath = dataPath

// encodeJSON is json.Marshal with <, > and & escaped (as Marshal does) and
// no final newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
