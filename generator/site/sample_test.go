package site_test

import (
	"os"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/site"
)

// The sample catalogue in content/ is what `go run ./cmd/cqp build`
// publishes; it must pass `cqp check --strict`.
func TestSampleContentPassesStrict(t *testing.T) {
	cat, list := site.Check(os.DirFS("../.."), site.Options{Today: today, Strict: true})
	if len(list) > 0 {
		t.Fatalf("content/ has diagnostics:\n%s", strings.Join(lines(list), "\n"))
	}
	cqpi := 0
	registers := map[string]int{}
	for _, q := range cat.CQPs {
		if q.IsCQPI() {
			cqpi++
		}
		registers[q.Registration.Register]++
	}
	if len(cat.CQPs) < 15 || cqpi < 4 || len(cat.Branches) < 5 || registers["rncp"] == 0 || registers["rs"] == 0 || registers["none"] == 0 {
		t.Errorf("sample too thin: %d CQPs, %d CQPIs, %d branches, registers %v", len(cat.CQPs), cqpi, len(cat.Branches), registers)
	}
}
