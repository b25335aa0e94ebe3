package theme

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Layers returns a file system in which the first layer that has a file
// wins, file by file. Directories are merged, so a theme on disk that
// holds only layouts/cqp.html and static/style.css keeps every other file
// of the layers below it. Walking the result (fs.WalkDir) visits the union.
func Layers(layers ...fs.FS) fs.FS { return layered(slices.Clone(layers)) }

type layered []fs.FS

func (l layered) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for _, layer := range l {
		f, err := layer.Open(name)
		if err == nil {
			st, err := f.Stat()
			if err != nil || !st.IsDir() {
				return f, err
			}
			// A directory lists what every layer has in it.
			entries, err := l.ReadDir(name)
			if err != nil {
				f.Close()
				return nil, err
			}
			return &dir{File: f, entries: entries}, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadFile reads the file from the first layer that has it.
func (l layered) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	for _, layer := range l {
		b, err := fs.ReadFile(layer, name)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !isDirErr(layer, name) {
			return nil, err
		}
	}
	return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrNotExist}
}

// ReadDir merges the entries of every layer that has the directory; for a
// name present in several layers, the upper layer's entry wins.
func (l layered) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, layer := range l {
		entries, err := fs.ReadDir(layer, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || isFile(layer, name) {
				continue
			}
			return nil, err
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

func isDirErr(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}

func isFile(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// dir is a directory of the merged layers: the upper layer's directory for
// Stat, the union of the layers' entries for ReadDir.
type dir struct {
	fs.File
	entries []fs.DirEntry
	offset  int
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return rest[:n], nil
}
