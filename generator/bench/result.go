package bench

import (
	"encoding/json"
	"math"
)

// FormatVersion is the version of docs/performance.json's layout.
const FormatVersion = 1

// Result is one run of the harness: what docs/performance.json holds and
// what docs/performance.md shows.
type Result struct {
	Format   int       `json:"format"`
	Date     string    `json:"date"` // YYYY-MM-DD, UTC
	Machine  Machine   `json:"machine"`
	Runs     int       `json:"runs"`
	Seed     int64     `json:"seed"`
	Queries  []string  `json:"queries"`
	Results  int       `json:"pagefind_results_loaded"`
	Commands []string  `json:"commands"`
	Sizes    []Size    `json:"sizes"`
	Skipped  []string  `json:"skipped,omitempty"`  // not measured, and why
	Failures []string  `json:"failures,omitempty"` // measures that broke
	Profiles []Profile `json:"profiles,omitempty"`
}

// Size holds both tools' figures for one catalogue size.
type Size struct {
	N    int   `json:"cqps"`
	CQP  Side  `json:"cqp"`
	Hugo *Side `json:"hugo_pagefind,omitempty"` // nil: not compared
	// PageDifferences lists how the two sites' page counts differ; empty
	// when they build the same CQP, branch and level pages.
	PageDifferences []string `json:"page_differences,omitempty"`
	Targets         []Target `json:"targets"`
}

// Side is one tool's figures. For cqp, Build is `cqp build`, which writes
// the search index too, and Index stays empty; for the other side, Build is
// Hugo and Index is Pagefind, run on Hugo's output.
type Side struct {
	Check  Proc    `json:"check,omitzero"`
	Build  Proc    `json:"build"`
	Index  Proc    `json:"index,omitzero"`
	Output Tree    `json:"output"` // the whole site, search index included
	Search Tree    `json:"search_index"`
	Pages  Pages   `json:"pages"`
	Query  *Query  `json:"query,omitempty"`
	Serve  *Reload `json:"dev_server,omitempty"`
}

// Query sums up the search measures over the queries.
type Query struct {
	Bytes    Stat          `json:"first_result_bytes"`
	Requests Stat          `json:"first_result_requests"`
	KeyCall  Stat          `json:"keystroke_call_ms"`
	KeyWall  Stat          `json:"keystroke_wall_ms"`
	Each     []FirstResult `json:"each"`
}

// summarizeQueries makes a Query of per-query measures.
func summarizeQueries(each []FirstResult) *Query {
	if len(each) == 0 {
		return nil
	}
	var bytes, reqs, call, wall []float64
	for _, q := range each {
		bytes = append(bytes, float64(q.Bytes))
		reqs = append(reqs, float64(q.Requests))
		for _, k := range q.Keystrokes {
			call = append(call, k.Call)
			wall = append(wall, k.Wall)
		}
	}
	return &Query{
		Bytes:    Summarize(bytes, 0),
		Requests: Summarize(reqs, 0),
		KeyCall:  Summarize(call, 2),
		KeyWall:  Summarize(wall, 2),
		Each:     each,
	}
}

// SiteWall is the time to a searchable site: the build, plus the separate
// indexing where there is one.
func (s Side) SiteWall() float64 {
	if !s.Build.Valid() {
		return math.NaN()
	}
	w := s.Build.Wall.Median
	if s.Index.Valid() {
		w += s.Index.Wall.Median
	}
	return w
}

// SitePeak is the peak memory of the steps to a searchable site: the
// larger of the build's and the indexer's (they run one after the other).
func (s Side) SitePeak() float64 {
	if !s.Build.Valid() {
		return math.NaN()
	}
	return max(s.Build.Peak.Median, s.Index.Peak.Median)
}

// Target statuses.
const (
	Met         = "met"
	Missed      = "missed"
	NotMeasured = "not measured"
)

// Target is one of issue 8's targets at one size. Value is the ratio
// ours/theirs, or the measure itself for an absolute target; it must be at
// most Limit (under it, for Absolute targets).
type Target struct {
	ID       string  `json:"id"`
	Ours     float64 `json:"ours"`
	Theirs   float64 `json:"theirs"`
	Value    float64 `json:"value"`
	Limit    float64 `json:"limit"`
	Absolute bool    `json:"absolute"`
	Status   string  `json:"status"`
	Why      string  `json:"why,omitempty"`
}

// Target identifiers, in the order the report lists them.
const (
	TargetBuildTime   = "build-time"
	TargetBuildMemory = "build-memory"
	TargetFirstBytes  = "first-result-bytes"
	TargetKeystroke   = "keystroke"
	TargetReload      = "save-to-reload"
)

// targetText is how the report names each target, in French.
var targetText = map[string]string{
	TargetBuildTime:   "`cqp build` (index compris) : au plus 1/5 du temps de Hugo",
	TargetBuildMemory: "`cqp build` : au plus 1/5 de la mémoire de pointe de Hugo",
	TargetFirstBytes:  "octets avant le premier résultat : au plus 1/3 de Pagefind",
	TargetKeystroke:   "une frappe dans la recherche : moins de 10 ms",
	TargetReload:      "serveur de développement, de l'enregistrement à la page : moins de 1/10 de Hugo server",
}

// Evaluate computes a size's targets from its figures.
func Evaluate(s Size) []Target {
	var t []Target
	relative := func(id string, ours, theirs, limit float64, why string) {
		tg := Target{ID: id, Ours: ours, Theirs: theirs, Limit: limit}
		r := ratio(ours, theirs)
		switch {
		case why != "":
			tg.Status, tg.Why = NotMeasured, why
		case math.IsNaN(r):
			tg.Status, tg.Why = NotMeasured, "a figure is missing"
		default:
			tg.Value = round(r, 3)
			tg.Status = Missed
			if r <= limit {
				tg.Status = Met
			}
		}
		t = append(t, tg)
	}
	noHugo := ""
	if s.Hugo == nil {
		noHugo = "Hugo and Pagefind were not measured"
	}
	var hugoWall, hugoPeak float64
	if s.Hugo != nil {
		hugoWall, hugoPeak = s.Hugo.Build.Wall.Median, s.Hugo.Build.Peak.Median
	}
	relative(TargetBuildTime, s.CQP.Build.Wall.Median, hugoWall, 0.2, noHugo)
	relative(TargetBuildMemory, s.CQP.Build.Peak.Median, hugoPeak, 0.2, noHugo)

	why := noHugo
	var ours, theirs float64
	switch {
	case s.CQP.Query == nil:
		why = "the cqp search was not measured"
	case s.Hugo != nil && s.Hugo.Query == nil:
		why = "the Pagefind search was not measured"
	}
	if s.CQP.Query != nil {
		ours = s.CQP.Query.Bytes.Median
	}
	if s.Hugo != nil && s.Hugo.Query != nil {
		theirs = s.Hugo.Query.Bytes.Median
	}
	relative(TargetFirstBytes, ours, theirs, 1.0/3, why)

	k := Target{ID: TargetKeystroke, Limit: 10, Absolute: true}
	if s.CQP.Query == nil || !s.CQP.Query.KeyWall.Valid() {
		k.Status, k.Why = NotMeasured, "the cqp search was not measured"
	} else {
		k.Ours = s.CQP.Query.KeyWall.Median
		k.Value = k.Ours
		k.Status = Missed
		if k.Ours < k.Limit {
			k.Status = Met
		}
		if s.Hugo != nil && s.Hugo.Query != nil {
			k.Theirs = s.Hugo.Query.KeyWall.Median
		}
	}
	t = append(t, k)

	why, ours, theirs = noHugo, 0, 0
	switch {
	case s.CQP.Serve == nil:
		why = "cqp serve was not measured"
	case s.Hugo != nil && s.Hugo.Serve == nil:
		why = "hugo server was not measured"
	}
	if s.CQP.Serve != nil {
		ours = s.CQP.Serve.Served.Median
	}
	if s.Hugo != nil && s.Hugo.Serve != nil {
		theirs = s.Hugo.Serve.Served.Median
	}
	relative(TargetReload, ours, theirs, 0.1, why)
	return t
}

// JSON is the result as docs/performance.json holds it: indented, fields in
// a fixed order, lists in run order, a final newline.
func (r *Result) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
