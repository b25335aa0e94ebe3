// Package content reads a site folder: it walks content/ in an fs.FS, tells
// each file's kind from its place, cuts the YAML front matter from the
// Markdown body and parses it into a tree of Nodes that keep the line and
// column of every key and value.
//
// Problems that concern a file as a whole (unreadable, not UTF-8, no front
// matter, YAML syntax, a bad file name) are reported here, each at its
// position; the meaning of the keys is the schema and catalog packages'
// business. The package never writes anything.
//
// Line numbers are those of the file as the editor sees it: the front
// matter's lines are counted in the YAML positions and File.BodyLine gives
// the line on which the body starts, so Markdown positions can be mapped
// back too. CRLF line endings and a UTF-8 byte order mark are accepted.
package content

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"golang.org/x/text/unicode/norm"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/internal/par"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// Kind is the kind of a content file, given by its place.
type Kind int

const (
	SiteFile   Kind = iota // content/_index.md
	BranchFile             // content/branches/<id>.md
	CQPFile                // content/cqp/<id>.md
	PageFile               // content/pages/<slug>.md
)

// SitePath is where the site's settings live.
const SitePath = "content/_index.md"

// Folders maps each kind with an id to its folder under content/.
var Folders = map[Kind]string{BranchFile: "branches", CQPFile: "cqp", PageFile: "pages"}

// File is one content file, cut and parsed.
type File struct {
	Path string // relative to the site folder, with forward slashes
	Kind Kind
	ID   string // the file name without .md; "" for the site file
	// Meta is the front matter, always a Map; nil when it could not be read.
	Meta *Node
	// Body is the Markdown after the front matter, with CRLF turned into LF;
	// BodyLine is the line of the file on which it starts.
	Body     []byte
	BodyLine int
}

// Entry is a content file found by Walk, not yet read.
type Entry struct {
	Path string
	Kind Kind
	ID   string
}

// Walk lists the content files of the site in fsys, sorted by path, and
// reports misplaced files, bad names and a missing site file.
func Walk(fsys fs.FS) ([]Entry, diag.List) {
	var list diag.List
	var entries []Entry
	err := fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "content" {
				return err
			}
			list.Errorf(diag.FileStart(p), diag.Unreadable, "lecture impossible : %v", unwrapPathError(err))
			return nil
		}
		name := d.Name()
		if p != "content" && p != SitePath && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if _, _, ok := classify(p); ok {
				list.Errorf(diag.FileStart(p), diag.Unreadable, "« %s » est un dossier : ce doit être un fichier Markdown", p)
			}
			return nil
		}
		kind, id, ok := classify(p)
		switch {
		case ok:
			entries = append(entries, Entry{p, kind, id})
			if kind != SiteFile && !schema.IDPattern.MatchString(id) {
				what := "identifiant"
				if kind == PageFile {
					what = "slug"
				}
				list.Errorf(diag.FileStart(p), diag.BadName, "nom de fichier « %s.md » refusé : l'%s ne peut contenir que des lettres minuscules sans accents, des chiffres et des tirets simples ; renommer en « %s.md »", id, what, Slugify(id))
			}
		case strings.HasSuffix(name, ".md"):
			list.Errorf(diag.FileStart(p), diag.MisplacedFile, "fichier « %s » hors des dossiers connus : le placer dans content/cqp/, content/branches/ ou content/pages/", p)
		default:
			list.Warnf(diag.FileStart(p), diag.IgnoredFile, "fichier « %s » ignoré : cqp ne lit que les fichiers .md de content/cqp/, content/branches/ et content/pages/", p)
		}
		return nil
	})
	if err != nil {
		list.Errorf(diag.FileStart("content"), diag.Unreadable, "dossier content/ introuvable ou illisible : %v", unwrapPathError(err))
		return nil, list
	}
	if !slices.ContainsFunc(entries, func(e Entry) bool { return e.Kind == SiteFile }) && !slices.ContainsFunc(list, func(d diag.Diagnostic) bool { return d.Pos.Path == SitePath }) {
		list.Errorf(diag.FileStart(SitePath), diag.MissingSite, "fichier du site absent : créer content/_index.md avec au moins title et base_url")
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return entries, list
}

// Read reads and parses one content file. The File is nil when the file
// could not be read.
func Read(fsys fs.FS, e Entry) (*File, diag.List) {
	data, err := fs.ReadFile(fsys, e.Path)
	if err != nil {
		var l diag.List
		l.Errorf(diag.FileStart(e.Path), diag.Unreadable, "lecture impossible : %v", unwrapPathError(err))
		return nil, l
	}
	f, l := Parse(e.Path, data)
	f.Kind, f.ID = e.Kind, e.ID
	return f, l
}

// Load reads every content file of the site in fsys, in parallel. The
// files are sorted by path; those that could not be read are left out
// (and reported).
func Load(fsys fs.FS) ([]*File, diag.List) {
	entries, list := Walk(fsys)
	files := make([]*File, len(entries))
	lists := make([]diag.List, len(entries))
	par.For(len(entries), func(i int) { files[i], lists[i] = Read(fsys, entries[i]) })
	out := files[:0]
	for i, f := range files {
		list = append(list, lists[i]...)
		if f != nil {
			out = append(out, f)
		}
	}
	return out, list
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// classify tells a content file's kind and id from its path.
func classify(p string) (Kind, string, bool) {
	if p == SitePath {
		return SiteFile, "", true
	}
	dir, name := path.Split(p)
	if !strings.HasSuffix(name, ".md") {
		return 0, "", false
	}
	for kind, folder := range Folders {
		if dir == "content/"+folder+"/" {
			return kind, strings.TrimSuffix(name, ".md"), true
		}
	}
	return 0, "", false
}

var yamlFormat = frontmatter.NewFormat("---", "---", func(data []byte, v any) error {
	*(v.(*[]byte)) = data
	return nil
})

// splitFast cuts the front matter of the ordinary file: "---" alone on its
// first line, and a closing line that is exactly "---". It returns the
// length of the YAML text (which starts after the first line) and where
// the body starts. Anything else (leading blank lines, delimiters with
// spaces, no closing line) is left to splitReference.
//
// adrg/frontmatter defines what a front matter is here, and FuzzSplit
// checks that splitFast agrees with it; but it copies each file line by
// line into a growing buffer, which made it 60% of what `cqp check`
// allocated on a large catalogue, hence this path for the common case.
func splitFast(data []byte) (yamlLen, bodyStart int, ok bool) {
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return 0, 0, false
	}
	// Only a line that holds "---" can be the closing one: look for those
	// rather than at every line.
	for at := 4; ; {
		i := bytes.Index(data[at:], []byte("---"))
		if i < 0 {
			return 0, 0, false
		}
		off := 4 + bytes.LastIndexByte(data[4:at+i], '\n') + 1
		end := bytes.IndexByte(data[at+i:], '\n')
		next := len(data)
		if end >= 0 {
			next = at + i + end + 1
		}
		line := data[off:next]
		if t := bytes.TrimSpace(line); len(t) == 3 && string(t) == "---" {
			if string(bytes.TrimSuffix(line, []byte("\n"))) != "---" {
				return 0, 0, false
			}
			return off - 4, next, true
		}
		at = next
	}
}

// splitReference cuts the front matter with adrg/frontmatter. open is
// where the YAML text starts (after the opening line). ok is false when
// the block is not closed: the library then hands back the whole file.
func splitReference(data []byte, open int) (yamlLen, bodyStart int, ok bool) {
	var yamlSrc []byte
	body, err := frontmatter.Parse(bytes.NewReader(data), &yamlSrc, yamlFormat)
	if err != nil || len(body) == len(data) {
		return 0, 0, false
	}
	return len(yamlSrc), len(data) - len(body), true
}

// Parse cuts one file's front matter and parses it. The returned File is
// never nil; its Meta is nil when the front matter could not be read.
func Parse(p string, data []byte) (*File, diag.List) {
	var list diag.List
	f := &File{Path: p}
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		list.Errorf(diag.Pos{Path: p, Line: line, Col: col}, diag.InvalidUTF8, "le fichier n'est pas en UTF-8 (octet invalide ligne %d, colonne %d) : l'enregistrer en UTF-8", line, col)
		return f, list
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	open, openLine := openingLine(data)
	if open < 0 {
		list.Errorf(diag.FileStart(p), diag.NoFrontMatter, "en-tête YAML absent : le fichier doit commencer par une ligne ---, les clés, puis une autre ligne ---")
		return f, list
	}
	yamlLen, bodyStart, ok := splitFast(data)
	if !ok {
		yamlLen, bodyStart, ok = splitReference(data, open)
	}
	if !ok {
		list.Errorf(diag.Pos{Path: p, Line: openLine, Col: 1}, diag.Unclosed, "en-tête YAML non fermé : ajouter une ligne --- après la dernière clé")
		return f, list
	}
	// The body is copied so the front matter's bytes can be freed.
	f.Body = bytes.Clone(data[bodyStart:])
	f.BodyLine = 1 + bytes.Count(data[:bodyStart], []byte("\n"))
	node, err := parseYAML(data[open:open+yamlLen], openLine+1)
	if err != nil {
		var pe *positionedError
		if errors.As(err, &pe) {
			list.Errorf(diag.Pos{Path: p, Line: pe.line, Col: pe.col}, pe.code, "%s", pe.msg)
		} else {
			list.Errorf(diag.Pos{Path: p, Line: openLine + 1, Col: 1}, diag.YAMLSyntax, "YAML invalide : %v", err)
		}
		return f, list
	}
	switch node.Kind {
	case Map:
		f.Meta = node
	case Null:
		f.Meta = &Node{Kind: Map, Line: openLine + 1, Col: 1}
	default:
		list.Errorf(diag.Pos{Path: p, Line: node.Line, Col: node.Col}, diag.WrongType, "l'en-tête doit être une suite de lignes « clé: valeur », pas %s", node.Describe())
	}
	return f, list
}

// openingLine finds the front matter's opening --- line, skipping blank
// lines as adrg/frontmatter does. It returns the offset just past that line
// and its line number, or -1.
func openingLine(data []byte) (int, int) {
	off, line := 0, 1
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		l := bytes.TrimSpace(data[off:next])
		switch {
		case len(l) == 0:
			off, line = next, line+1
			continue
		case string(l) == "---" && end >= 0:
			return next, line
		}
		return -1, 0
	}
	return -1, 0
}

func invalidUTF8At(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

// Slugify proposes an id for a name: accents removed, lower case, every run
// of other characters turned into one hyphen.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
			hyphen = false
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
			hyphen = false
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
			hyphen = false
		default:
			if !hyphen && b.Len() > 0 {
				b.WriteByte('-')
				hyphen = true
			}
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "fichier"
	}
	return out
}

// String gives the French name of a kind.
func (k Kind) String() string {
	return [...]string{"site", "branche", "CQP", "page"}[k]
}
