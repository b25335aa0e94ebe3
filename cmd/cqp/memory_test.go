package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// boundHeap caps the heap at twice the live heap plus the margin, puts the
// previous cap back, and leaves the cap alone when GOMEMLIMIT or GOGC=off
// say otherwise, or when main did not turn it on.
func TestBoundHeap(t *testing.T) {
	defer func(on bool) { limitHeap = on }(limitHeap)
	before := debug.SetMemoryLimit(-1)
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}

	limitHeap = false
	boundHeap(env(nil))()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("off: the limit changed to %d", got)
	}

	limitHeap = true
	for _, vars := range []map[string]string{{"GOMEMLIMIT": "1GiB"}, {"GOGC": "off"}} {
		restore := boundHeap(env(vars))
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("%v: the limit changed to %d", vars, got)
		}
		restore()
	}

	// 64 MB held while the cap is set: it is counted in.
	held := make([]byte, 64<<20)
	for i := range held {
		held[i] = byte(i)
	}
	restore := boundHeap(env(nil))
	limit := debug.SetMemoryLimit(-1)
	runtime.KeepAlive(held)
	if limit == math.MaxInt64 || limit < 2*int64(len(held))+heapMargin || limit > 4*int64(len(held))+heapMargin+(256<<20) {
		t.Errorf("limit = %d with %d bytes held", limit, len(held))
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("restore: the limit is %d, want %d", got, before)
	}
}
