package bench

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// proc makes a Proc of known medians.
func proc(wall, peak float64) Proc {
	return Proc{Wall: Summarize([]float64{wall}, 3), CPU: Summarize([]float64{wall * 1.5}, 3), Peak: Summarize([]float64{peak}, 1)}
}

func stat(v ...float64) Stat { return Summarize(v, 2) }

// knownResult is a result with round figures: at 1,000 CQPs every target is
// met; at 10,000 the build time and the bytes are missed and cqp serve was
// not measured.
func knownResult() *Result {
	small := Size{N: 1000,
		CQP: Side{
			Check: proc(0.2, 40), Build: proc(0.5, 60),
			Output: Tree{Files: 1090, Bytes: 30 << 20}, Search: Tree{Files: 120, Bytes: 2 << 20},
			Pages: Pages{CQP: 1000, Branch: 44, Level: 5, Total: 1078},
			Query: &Query{Bytes: stat(60000), Requests: stat(23), KeyCall: stat(2, 9), KeyWall: stat(3, 4, 40)},
			Serve: &Reload{Reload: stat(20), Served: stat(25), Startup: 0.6, Edits: 20},
		},
		Hugo: &Side{
			Build: proc(3.8, 400), Index: proc(5.1, 350),
			Output: Tree{Files: 2143, Bytes: 17 << 20}, Search: Tree{Files: 1088, Bytes: 5 << 20},
			Pages: Pages{CQP: 1000, Branch: 44, Level: 5, Total: 1053},
			Query: &Query{Bytes: stat(195000), Requests: stat(11), KeyCall: stat(15, 300), KeyWall: stat(20, 400)},
			Serve: &Reload{Served: stat(500), Internal: stat(300), Startup: 4, Edits: 10},
		},
	}
	big := Size{N: 10000,
		CQP: Side{
			Check: proc(1.8, 250), Build: proc(4, 280),
			Output: Tree{Files: 10400, Bytes: 330 << 20}, Search: Tree{Files: 1100, Bytes: 20 << 20},
			Pages: Pages{CQP: 10000, Branch: 44, Level: 5, Total: 10500},
			Query: &Query{Bytes: stat(110000), Requests: stat(25), KeyCall: stat(4, 12), KeyWall: stat(5, 6, 90)},
		},
		Hugo: &Side{
			Build: proc(11.8, 1433.6), Index: proc(28.6, 3584),
			Output: Tree{Files: 21000, Bytes: 170 << 20}, Search: Tree{Files: 10900, Bytes: 50 << 20},
			Pages: Pages{CQP: 10000, Branch: 44, Level: 5, Total: 10053},
			Query: &Query{Bytes: stat(312320), Requests: stat(11), KeyCall: stat(40, 900), KeyWall: stat(60, 1200)},
			Serve: &Reload{Served: stat(3900), Internal: stat(3500), Startup: 14, Edits: 10},
		},
	}
	small.Targets = Evaluate(small)
	big.Targets = Evaluate(big)
	return &Result{
		Format: FormatVersion, Date: "2026-01-02",
		Machine: Machine{CPUs: 2, CPUModel: "AMD EPYC", MemoryMiB: 24105, OS: "Debian GNU/Linux 12 (bookworm)",
			Kernel: "6.1.0", Go: "go1.26.8", CQP: "v0.1.0", Hugo: "v0.111.3+extended", Pagefind: "1.6.0", Chromium: "156.0.8078.79"},
		Runs: 3, Seed: 42, Queries: []string{"soudeur", "maintenance"}, Results: 5,
		Commands: []string{".bench/bin/cqp check --src .bench/work/n1000/cqp",
			"for k in 1 2 3; do .bench/bin/cqp build --src .bench/work/n1000/cqp --out .bench/work/n1000/cqp/public.run-$k; done"},
		Sizes:   []Size{small, big},
		Skipped: []string{"`cqp serve` : non mesuré à 10 000 CQP (exemple)."},
		Profiles: []Profile{{Why: "build-time à 10 000 CQP", Command: "go tool pprof -top bench.test cpu.out", Kind: "cpu", Top: samplePprof,
			Stages: []Stage{{Name: "rendu des pages (render, theme, markdown)", Percent: 39.8}, {Name: "index de recherche (search)", Percent: 0}}}},
	}
}

const samplePprof = `Type: cpu
Duration: 4.29s, Total samples = 1870ms (43.58%)
Showing nodes accounting for 1090ms, 58.29% of 1870ms total
      flat  flat%   sum%        cum   cum%
     250ms 13.37% 13.37%      250ms 13.37%  internal/runtime/syscall/linux.Syscall6
     110ms  5.88% 19.25%      110ms  5.88%  runtime.memclrNoHeapPointers
      70ms  3.74% 32.62%      340ms 18.18%  reflect.Value.call
      60ms  3.21% 35.83%       60ms  3.21%  github.com/tdewolff/parse/v2.(*Input).Peek (inline)`

func TestEvaluate(t *testing.T) {
	r := knownResult()
	status := func(s Size) map[string]string {
		m := map[string]string{}
		for _, t := range s.Targets {
			m[t.ID] = t.Status
		}
		return m
	}
	tests := []struct {
		size int
		want map[string]string
	}{
		{1000, map[string]string{TargetBuildTime: Met, TargetBuildMemory: Met, TargetFirstBytes: Met, TargetKeystroke: Met, TargetReload: Met}},
		{10000, map[string]string{TargetBuildTime: Missed, TargetBuildMemory: Met, TargetFirstBytes: Missed, TargetKeystroke: Met, TargetReload: NotMeasured}},
	}
	for i, tt := range tests {
		got := status(r.Sizes[i])
		for id, want := range tt.want {
			if got[id] != want {
				t.Errorf("%d CQPs: target %s is %q, want %q", tt.size, id, got[id], want)
			}
		}
	}
	// The ratios are ours over theirs.
	bt := r.Sizes[1].Targets[0]
	if bt.ID != TargetBuildTime || math.Abs(bt.Value-4/11.8) > 1e-3 || bt.Ours != 4 || bt.Theirs != 11.8 {
		t.Errorf("10,000 CQPs build-time = %+v, want ratio 4/11.8", bt)
	}
	// A limit is inclusive: exactly a fifth is met.
	s := Size{N: 1, CQP: Side{Build: proc(2, 20)}, Hugo: &Side{Build: proc(10, 100)}}
	for _, tg := range Evaluate(s)[:2] {
		if tg.Status != Met {
			t.Errorf("exactly a fifth: %s is %q, want met", tg.ID, tg.Status)
		}
	}
	// Without Hugo, nothing relative is measured, and the report says why.
	for _, tg := range Evaluate(Size{N: 1, CQP: Side{Build: proc(2, 20)}}) {
		if tg.ID != TargetKeystroke && (tg.Status != NotMeasured || tg.Why == "") {
			t.Errorf("without Hugo, %s = %+v, want not measured with a reason", tg.ID, tg)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/bench -run %s -update to write it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; diff, and if the change is wanted: go test ./generator/bench -run %s -update\n--- got ---\n%s", path, t.Name(), got)
	}
}

func TestMarkdownGolden(t *testing.T) {
	r := knownResult()
	md := r.Markdown("performance.svg")
	golden(t, "report.md", md)
	if again := knownResult().Markdown("performance.svg"); !bytes.Equal(md, again) {
		t.Error("two reports of the same figures differ")
	}
	s := string(md)
	for _, want := range []string{
		"| Objectif | 1" + nnbsp + "000 CQP | 10" + nnbsp + "000 CQP |",
		"**manqué** : 0,34 (÷" + nbsp + "3,0)", // build time at 10,000: 4 / 11.8
		"![Temps et mémoire",
		"| pages CQP / branches / niveaux | 1" + nnbsp + "000 / 44 / 5 | 1" + nnbsp + "000 / 44 / 5 | identiques |",
		"- `internal/runtime/syscall/linux.Syscall6 (13.37%)`",
		"ext4 sans journal", "420 µs au lieu d'environ 10 µs", "dossiers neufs", // why no run follows a deletion
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func TestMarkdownWithoutHugo(t *testing.T) {
	r := knownResult()
	for i := range r.Sizes {
		r.Sizes[i].Hugo = nil
		r.Sizes[i].Targets = Evaluate(r.Sizes[i])
	}
	r.Skipped = []string{"Hugo et Pagefind : comparaison non faite, cqp mesuré seul (hugo is not on the PATH)."}
	s := string(r.Markdown("performance.svg"))
	for _, want := range []string{"**Comparaison non faite**", "Hugo + Pagefind (non mesuré)", "hugo is not on the PATH"} {
		if !strings.Contains(s, want) {
			t.Errorf("a report without Hugo lacks %q", want)
		}
	}
}

func TestPageDifferencesShown(t *testing.T) {
	r := knownResult()
	r.Sizes[0].PageDifferences = []string{"level pages: cqp 5, Hugo 6"}
	s := string(r.Markdown("performance.svg"))
	if !strings.Contains(s, "**différentes**") || !strings.Contains(s, "1"+nnbsp+"000 CQP : level pages: cqp 5, Hugo 6") {
		t.Errorf("the report does not show that the pages differ:\n%s", s)
	}
}

func TestSVGGolden(t *testing.T) {
	p := PlotOf(knownResult())
	svg := p.SVG()
	golden(t, "plot.svg", svg)

	// Well-formed XML, two panels of three lines, each line through both
	// sizes, and a text alternative that carries the figures.
	dec := xml.NewDecoder(bytes.NewReader(svg))
	lines, desc := 0, ""
	var inDesc bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the plot is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			inDesc = e.Name.Local == "desc"
			if e.Name.Local == "polyline" {
				lines++
				for _, a := range e.Attr {
					if a.Name.Local == "points" && len(strings.Fields(a.Value)) != 2 {
						t.Errorf("a line has points %q, want one per size", a.Value)
					}
				}
			}
		case xml.CharData:
			if inDesc {
				desc += string(e)
			}
		case xml.EndElement:
			inDesc = false
		}
	}
	if lines != 6 {
		t.Errorf("the plot has %d lines, want 6 (three per panel)", lines)
	}
	for _, want := range []string{"Hugo + Pagefind : 1" + nnbsp + "000 CQP : 8,90 secondes", "Pagefind : 1" + nnbsp + "000 CQP : 350,00 Mo"} {
		if !strings.Contains(desc, want) {
			t.Errorf("the plot's description lacks %q: %s", want, desc)
		}
	}
}

func TestSVGMissingValues(t *testing.T) {
	p := Plot{Title: "t", Sizes: []int{1000, 10000, 30000}, Panels: []Panel{{Title: "Temps", Unit: "s", Series: []Series{
		{Name: "a", Values: []float64{1, math.NaN(), 3}},
		{Name: "b", Values: []float64{math.NaN(), math.NaN(), math.NaN()}},
	}}}}
	svg := string(p.SVG())
	if strings.Contains(svg, "NaN") {
		t.Error("a missing value was drawn as NaN")
	}
	if n := strings.Count(svg, "<polyline"); n != 1 {
		t.Errorf("%d lines, want 1 (the series with no value draws none)", n)
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		max  float64
		want []float64
	}{
		{11.8, []float64{0, 5, 10, 15}},
		{3584, []float64{0, 1000, 2000, 3000, 4000}},
		{0.45, []float64{0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5}},
		{0, []float64{0, 1}},
	}
	for _, tt := range tests {
		got := niceTicks(tt.max)
		if len(got) != len(tt.want) {
			t.Errorf("niceTicks(%v) = %v, want %v", tt.max, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("niceTicks(%v) = %v, want %v", tt.max, got, tt.want)
				break
			}
		}
	}
}

func TestJSON(t *testing.T) {
	r := knownResult()
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Sizes[1].Hugo.Build.Wall.Median != 11.8 || back.Sizes[0].Targets[0].Status != Met {
		t.Errorf("the JSON does not round-trip the figures: %s", b)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) {
		t.Error("the JSON does not end with a newline")
	}
}

func TestHotSpots(t *testing.T) {
	got := HotSpots(samplePprof, 2)
	want := []string{"internal/runtime/syscall/linux.Syscall6 (13.37%)", "runtime.memclrNoHeapPointers (5.88%)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("HotSpots = %q, want %q", got, want)
	}
	if got := trimPprof("File: bench.test\nBuild ID: abc\nType: cpu\nTime: 2026-01-01 10:00:00 UTC\n  flat  flat%\n"); got != "Type: cpu\n  flat  flat%" {
		t.Errorf("trimPprof kept %q", got)
	}
}

func TestStages(t *testing.T) {
	cum := `Type: cpu
      flat  flat%   sum%        cum   cum%
         0     0%     0%     11.24s 68.83%  sync.(*WaitGroup).Go.func1
         0     0%     0%      6.50s 39.80%  github.com/cqp-catalogue/cqp/generator/render.(*renderer).run.func1
         0     0%  1.35%      4.40s 26.94%  github.com/cqp-catalogue/cqp/generator/theme.(*Theme).Execute
         0     0%  2.63%      3.06s 18.74%  github.com/cqp-catalogue/cqp/generator/publish.MinifyAsset
         0     0% 23.03%      1.68s 10.29%  github.com/cqp-catalogue/cqp/generator/catalog.Load.func1
         0     0% 23.64%      1.38s  8.45%  github.com/cqp-catalogue/cqp/generator/publish.(*Tree).Put
         0     0% 31.66%      0.97s  5.94%  github.com/cqp-catalogue/cqp/generator/markdown.Render
         0     0% 32.82%      0.95s  5.82%  runtime.gcBgMarkWorker
         0     0% 33.07%      0.86s  5.27%  github.com/cqp-catalogue/cqp/generator/content.fastParse (inline)`
	got := Stages(cum)
	want := []float64{10.29, 39.80, 0, 18.74, 8.45, 5.82}
	if len(got) != len(want) {
		t.Fatalf("Stages = %+v, want %d stages", got, len(want))
	}
	for i, st := range got {
		if st.Percent != want[i] {
			t.Errorf("stage %q: %v %%, want %v %%", st.Name, st.Percent, want[i])
		}
	}
}
