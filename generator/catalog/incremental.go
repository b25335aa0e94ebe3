package catalog

import (
	"bytes"
	"hash/maphash"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/internal/par"
	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// Loader is Load for a site that is loaded again and again, as the dev
// server does after every save: it keeps each file's decoded result and
// reads again only the files that changed, then runs the cross-file rules
// (assemble) on the whole site, as Load does. What it returns is exactly
// what Load returns for the same files: decodeOne and assemble are the same
// code, and a test holds the two to the same catalogue and diagnostics.
//
// A file counts as changed when its size or modification time differs from
// the last load, when it is new, or when the caller names it (or a folder
// above it) in Load's changed list: a watcher knows what was saved, and
// naming it covers an edit that keeps both size and time, which coarse
// clocks and tests can produce.
//
// A Loader is used by one goroutine at a time.
type Loader struct {
	md    goldmark.Markdown
	seed  maphash.Seed
	files map[string]*loadedFile
	// entries and walked are the last walk's files and diagnostics,
	// which Reload reuses when no file came or went.
	entries []content.Entry
	walked  diag.List
	// unique numbers the versions of files that could not be read: each
	// is new, so whatever was built from such a file is built again.
	unique atomic.Uint64
}

// loadedFile is one file's decoded result and what tells whether it is
// still current.
type loadedFile struct {
	entry   content.Entry
	size    int64
	modTime time.Time
	stamped bool // size and modTime were read
	d       decoded
	version Version
}

// Version fingerprints a content file as it was last loaded: Front covers
// everything but the Markdown body, Body the body. Two loads of a file give
// the same Version exactly when they give the same model (a file with CRLF
// line endings has its whole text in Front, which only over-counts).
type Version struct {
	Front, Body uint64
}

// NewLoader returns a Loader that has read nothing yet.
func NewLoader() *Loader {
	return &Loader{md: markdown.New(), seed: maphash.MakeSeed(), files: map[string]*loadedFile{}}
}

// Load reads, decodes and checks the site in fsys, like Load, reading again
// only the files that changed since the previous call (all of them the
// first time). changed names files or folders, relative to the site folder
// with forward slashes, that must be read again whatever their size and
// time.
func (l *Loader) Load(fsys fs.FS, opts Options, changed ...string) (*Catalog, diag.List) {
	entries, list := content.Walk(fsys)
	forced := make(map[string]bool, len(changed))
	for _, c := range changed {
		forced[strings.TrimSuffix(c, "/")] = true
	}
	next := make([]*loadedFile, len(entries))
	par.For(len(entries), func(i int) {
		e := entries[i]
		size, mod, stamped := stamp(fsys, e.Path)
		if old := l.files[e.Path]; old != nil && old.entry == e && old.stamped && stamped &&
			old.size == size && old.modTime.Equal(mod) && !isForced(forced, e.Path) {
			next[i] = old
			return
		}
		next[i] = l.read(fsys, e, size, mod, stamped)
	})
	l.entries, l.walked = entries, list
	return l.assemble(next, opts)
}

// Reload is Load for a caller that knows what changed, as a watcher does:
// when every path in changed is a file that the last load read and that is
// still a file, it reads those files again and takes every other file as
// unchanged, without walking the folder or looking at each file's size and
// time (at 10,000 files, that is most of a save's cost on disk); with no
// path, it reads nothing. Otherwise (a file came or went, a folder
// changed, nothing was loaded yet) it is Load.
func (l *Loader) Reload(fsys fs.FS, opts Options, changed []string) (*Catalog, diag.List) {
	if l.entries == nil {
		return l.Load(fsys, opts, changed...)
	}
	fresh := make(map[string]*loadedFile, len(changed))
	for _, p := range changed {
		st, err := fs.Stat(fsys, p)
		old := l.files[p]
		switch {
		case old != nil && err == nil && st.Mode().IsRegular():
			fresh[p] = l.read(fsys, old.entry, st.Size(), st.ModTime(), true)
		case old == nil && err != nil && !strings.HasSuffix(p, ".md") && !l.knows(p):
			// It names nothing the site has or had, and nothing now: a
			// temporary file that an editor (or sed -i) wrote and
			// renamed away.
		default:
			return l.Load(fsys, opts, changed...)
		}
	}
	next := make([]*loadedFile, len(l.entries))
	for i, e := range l.entries {
		if f := fresh[e.Path]; f != nil {
			next[i] = f
		} else {
			next[i] = l.files[e.Path]
		}
	}
	return l.assemble(next, opts)
}

// knows tells whether the last walk saw p, or anything under it: a file,
// a folder, or a file it reported.
func (l *Loader) knows(p string) bool {
	under := func(q string) bool { return q == p || strings.HasPrefix(q, p+"/") }
	for _, e := range l.entries {
		if under(e.Path) {
			return true
		}
	}
	for _, d := range l.walked {
		if under(d.Pos.Path) {
			return true
		}
	}
	return false
}

// assemble keeps the files read and checks the site they make, as Load
// does.
func (l *Loader) assemble(next []*loadedFile, opts Options) (*Catalog, diag.List) {
	files := make(map[string]*loadedFile, len(next))
	out := make([]decoded, len(next))
	par.For(len(next), func(i int) { out[i] = next[i].d.fresh() })
	for _, f := range next {
		files[f.entry.Path] = f
	}
	l.files = files
	return assemble(out, slices.Clone(l.walked), opts)
}

// Version returns the fingerprint of the file at path as last loaded, and
// whether the last load saw that file.
func (l *Loader) Version(path string) (Version, bool) {
	f := l.files[path]
	if f == nil {
		return Version{}, false
	}
	return f.version, true
}

// read reads and decodes one file, as Load does.
func (l *Loader) read(fsys fs.FS, e content.Entry, size int64, mod time.Time, stamped bool) *loadedFile {
	lf := &loadedFile{entry: e, size: size, modTime: mod, stamped: stamped}
	data, err := fs.ReadFile(fsys, e.Path)
	if err != nil {
		// content.Read words the message as Load does; if the file has
		// become readable meanwhile, its result is as good as any.
		f, list := content.Read(fsys, e)
		if f == nil {
			lf.d = decoded{file: &content.File{Path: e.Path, Kind: e.Kind, ID: e.ID}, list: list}
		} else {
			lf.d = decodeOne(newDecoder(), l.md, f)
			lf.d.list = append(list, lf.d.list...)
			f.Meta = nil
		}
		// No bytes to fingerprint: a version never seen before.
		lf.version = Version{Front: l.unique.Add(1), Body: ^uint64(0)}
		lf.stamped = false
		return lf
	}
	f, list := content.Parse(e.Path, data)
	f.Kind, f.ID = e.Kind, e.ID
	lf.d = decodeOne(newDecoder(), l.md, f)
	lf.d.list = append(list, lf.d.list...)
	f.Meta = nil // the model holds what it needs, as in Load
	front := data
	if f.Body != nil && bytes.IndexByte(data, '\r') < 0 && bytes.HasSuffix(data, f.Body) {
		front = data[:len(data)-len(f.Body)]
	}
	lf.version = Version{Front: maphash.Bytes(l.seed, front), Body: maphash.Bytes(l.seed, f.Body)}
	return lf
}

// stamp returns a file's size and modification time; ok is false when they
// cannot be read, and the file is then read again every time.
func stamp(fsys fs.FS, path string) (size int64, mod time.Time, ok bool) {
	st, err := fs.Stat(fsys, path)
	if err != nil {
		return 0, time.Time{}, false
	}
	return st.Size(), st.ModTime(), true
}

// isForced tells whether path or a folder above it is in forced.
func isForced(forced map[string]bool, path string) bool {
	if len(forced) == 0 {
		return false
	}
	for p := path; p != "." && p != ""; {
		if forced[p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return false
}

// fresh returns a copy of a decoded file whose model can go through
// assemble: resolve links the values to one another (BranchRefs, a
// branch's CQPs, passerelles) and sort sorts those links, so each catalogue
// gets its own copies of the values and the decoded result stays as
// decodeOne left it. What is only read (texts, lists, positions, the body)
// is shared.
func (d decoded) fresh() decoded {
	switch v := d.value.(type) {
	case *Site:
		c := *v
		d.value = &c
	case *Branch:
		c := *v
		c.CQPs = nil
		d.value = &c
	case *CQP:
		c := *v
		c.BranchRefs = nil
		c.Blocks = make([]*Block, len(v.Blocks))
		for i, b := range v.Blocks {
			nb := *b
			nb.Passerelles = nil
			c.Blocks[i] = &nb
		}
		d.value = &c
	case *Page:
		c := *v
		d.value = &c
	}
	// assemble appends to the catalogue's list, never to this one, but the
	// slice must not be shared with a later append of ours either.
	d.list = d.list[:len(d.list):len(d.list)]
	return d
}
