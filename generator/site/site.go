// Package site runs the pipeline. Check loads a site folder and checks it:
// it is the first half of every build, never a second code path, so what
// `cqp check` accepts is exactly what `cqp build` publishes.
package site

import (
	"fmt"
	"io/fs"
	"strconv"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
)

// Options tune a check.
type Options struct {
	// Today is the reference date for past registrations; zero means the
	// current date.
	Today time.Time
	// Strict turns warnings into errors.
	Strict bool
}

// Check loads and checks the site in fsys (the site folder, holding
// content/). The catalogue is returned even when there are errors; callers
// decide what to do with it. The list is sorted; with Strict, its warnings
// have become errors.
func Check(fsys fs.FS, opts Options) (*catalog.Catalog, diag.List) {
	today := opts.Today
	if today.IsZero() {
		today = time.Now().UTC().Truncate(24 * time.Hour)
	}
	cat, list := catalog.Load(fsys, catalog.Options{Today: today})
	if opts.Strict {
		list = list.Strict()
	}
	list.Sort()
	return cat, list
}

// Today returns the reference date: the day of SOURCE_DATE_EPOCH when it is
// set (reproducible builds, https://reproducible-builds.org/specs/source-date-epoch/),
// else the zero time, which Check takes as today.
func Today(getenv func(string) string) (time.Time, error) {
	v := getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Time{}, nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q n'est pas un nombre de secondes depuis 1970", v)
	}
	return time.Unix(secs, 0).UTC().Truncate(24 * time.Hour), nil
}
