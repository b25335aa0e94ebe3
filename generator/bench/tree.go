package bench

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
)

// Tree is the size of a folder: its regular files and their bytes.
type Tree struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

// SizeOf walks dir and adds up its regular files. A missing dir is an
// error: the caller asked for the size of something that should exist.
func SizeOf(dir string) (Tree, error) {
	var t Tree
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		t.Files++
		t.Bytes += info.Size()
		return nil
	})
	return t, err
}

// Pages counts the HTML pages of a built site by kind, the ones that must
// match between the two tools for the comparison to be fair: one page per
// CQP, one per branch, one per level. Total is every HTML file (lists,
// pagination and free pages included), which differs by design.
type Pages struct {
	CQP    int `json:"cqp"`
	Branch int `json:"branch"`
	Level  int `json:"level"`
	Total  int `json:"html_total"`
}

// Site layouts: where each tool writes the pages that Pages counts. cqp
// follows CONTENT-MODEL.md (niveaux/<n>/); the Hugo site of
// shared/bench/hugo-site names its level taxonomy "level".
var (
	cqpPages  = pageKinds{cqp: "cqp", branch: "branches", level: "niveaux"}
	hugoPages = pageKinds{cqp: "cqp", branch: "branches", level: "level"}
)

type pageKinds struct{ cqp, branch, level string }

// pageRE matches <section>/<one segment>/index.html: a CQP, branch or level
// page, and not the section's own list (<section>/index.html) nor its
// pagination (<section>/page/2/index.html, <section>/<x>/page/2/...).
var pageRE = regexp.MustCompile(`^([^/]+)/([^/]+)/index\.html$`)

// CountPages counts the pages of a site from its file paths
// (slash-separated, relative to the output folder).
func CountPages(paths []string, k pageKinds) Pages {
	var p Pages
	for _, f := range paths {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		p.Total++
		m := pageRE.FindStringSubmatch(f)
		if m == nil || m[2] == "page" {
			continue
		}
		switch m[1] {
		case k.cqp:
			p.CQP++
		case k.branch:
			p.Branch++
		case k.level:
			p.Level++
		}
	}
	return p
}

// ListFiles returns the slash-separated paths of the regular files under
// dir, relative to it.
func ListFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out, err
}

// ComparePages says how two sites' page counts differ, one sentence per
// kind of page; none means the comparison is fair.
func ComparePages(ours, theirs Pages) []string {
	var d []string
	check := func(kind string, a, b int) {
		if a != b {
			d = append(d, fmt.Sprintf("%s: cqp %d, Hugo %d", kind, a, b))
		}
	}
	check("CQP pages", ours.CQP, theirs.CQP)
	check("branch pages", ours.Branch, theirs.Branch)
	check("level pages", ours.Level, theirs.Level)
	return d
}
