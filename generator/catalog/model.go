package catalog

import (
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
)

// Located is a value with the position of that value in its file, kept
// where a rule that runs after decoding must point at it.
type Located[T any] struct {
	Value T
	Pos   diag.Pos
}

// target lets the decoder fill the value and its position.
func (l *Located[T]) target() (any, *diag.Pos) { return &l.Value, &l.Pos }

// Source is a Markdown body and where it lies in its file.
type Source struct {
	Path string // the file, relative to the site folder
	Body []byte
	Line int // the file's line on which Body starts
}

// Contact is one entry of a contacts list.
type Contact struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
	Email string `yaml:"email"`
	Phone string `yaml:"phone"`
	Note  string `yaml:"note"`
}

// Site holds content/_index.md.
type Site struct {
	Title       string          `yaml:"title"`
	Description string          `yaml:"description"`
	BaseURL     string          `yaml:"base_url"`
	Language    string          `yaml:"language"`
	Owner       Located[string] `yaml:"owner"`
	Theme       string          `yaml:"theme"`
	Contacts    []Contact       `yaml:"contacts"`
	Source      Source
}

// Branch is one professional branch.
type Branch struct {
	ID           string
	Name         string    `yaml:"name"`
	IDCC         []int     `yaml:"idcc"`
	CPNE         string    `yaml:"cpne"`
	OPCO         string    `yaml:"opco"`
	Website      string    `yaml:"website"`
	CatalogueURL string    `yaml:"catalogue_url"`
	Contacts     []Contact `yaml:"contacts"`
	Source       Source

	// Derived by Resolve: the CQPs this branch carries, in catalogue order.
	CQPs []*CQP
}

// Registration is a CQP's standing with France compétences.
type Registration struct {
	Register string             `yaml:"register"` // rncp, rs or none
	Number   Located[string]    `yaml:"number"`
	Level    Located[int]       `yaml:"level"`
	Since    Located[time.Time] `yaml:"since"`
	Until    Located[time.Time] `yaml:"until"`
	Pos      diag.Pos           // the map's own position
}

// Register values.
const (
	RNCP = "rncp"
	RS   = "rs"
	None = "none"
)

// Job is a job a CQP leads to.
type Job struct {
	Title string `yaml:"title"`
	ROME  string `yaml:"rome"`
}

// Block is a block of skills.
type Block struct {
	Code       Located[string]   `yaml:"code"`
	Title      string            `yaml:"title"`
	Skills     []string          `yaml:"skills"`
	Assessment string            `yaml:"assessment"`
	Hours      int               `yaml:"hours"`
	CommonWith []Located[string] `yaml:"common_with"`
	Pos        diag.Pos

	// Derived by Resolve: the blocks that certify the same skills, declared
	// on either side, sorted by CQP id then code.
	Passerelles []BlockRef
}

// BlockRef names a block of a CQP.
type BlockRef struct {
	CQP   *CQP
	Block *Block
}

// CQP is one certificate.
type CQP struct {
	ID            string
	Title         string            `yaml:"title"`
	Code          string            `yaml:"code"`
	Branches      []Located[string] `yaml:"branches"`
	Certifier     string            `yaml:"certifier"`
	Registration  Registration      `yaml:"registration"`
	Status        string            `yaml:"status"`
	Summary       string            `yaml:"summary"`
	Publics       []string          `yaml:"publics"`
	Access        []Located[string] `yaml:"access"`
	Funding       []Located[string] `yaml:"funding"`
	DurationHours int               `yaml:"duration_hours"`
	Jobs          []Job             `yaml:"jobs"`
	Blocks        []*Block          `yaml:"blocks"`
	Keywords      []string          `yaml:"keywords"`
	Updated       time.Time         `yaml:"updated"`
	Source        Source

	// Derived by Resolve.
	BranchRefs []*Branch // the branches, in the order written
}

// Status values.
const (
	Active   = "active"
	Archived = "archived"
)

// IsCQPI tells whether two or more branches carry the certificate.
func (c *CQP) IsCQPI() bool { return len(c.Branches) >= 2 }

// Archived tells whether the certificate is no longer issued.
func (c *CQP) Archived() bool { return c.Status == Archived }

// CPF tells whether the CPF can fund the certificate: it must be in the
// RNCP or the RS.
func (c *CQP) CPF() bool {
	r := c.Registration.Register
	return r == RNCP || r == RS
}

// VAE tells whether the certificate can be obtained by VAE: only an RNCP
// registration opens it.
func (c *CQP) VAE() bool { return c.Registration.Register == RNCP }

// Level is the RNCP level, 0 when there is none.
func (c *CQP) Level() int { return c.Registration.Level.Value }

// HasAccess tells whether a route is listed.
func (c *CQP) HasAccess(route string) bool { return containsValue(c.Access, route) }

// HasFunding tells whether a funding is listed.
func (c *CQP) HasFunding(f string) bool { return containsValue(c.Funding, f) }

func containsValue(l []Located[string], v string) bool {
	for _, x := range l {
		if x.Value == v {
			return true
		}
	}
	return false
}

// Page is a free page.
type Page struct {
	Slug        string
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Menu        *int   `yaml:"menu"`
	Source      Source
}
