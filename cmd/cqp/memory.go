package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Memory of a build
//
// A build holds the checked catalogue (the model: about 110 MB at 10,000
// CQPs, bodies and front-matter values for the most part) and, beside it,
// what its workers have in hand: the search index while it is computed,
// then a page per worker. Go's collector lets the heap grow to twice what
// was live at its last cycle (GOGC=100), so the peak is about twice the
// largest live set, which the index sets for a moment.
//
// boundHeap, called once the catalogue is checked, caps the heap at twice
// the catalogue plus a margin (debug.SetMemoryLimit): the collector then
// runs a little more often near the cap rather than letting the heap
// double. The cap grows with the catalogue, so that a large one is never
// squeezed (a cap below the live set would make the collector run without
// end). GOMEMLIMIT, when set, wins, as does GOGC=off. It is the command's
// policy, not the packages': main turns it on (limitHeap), and the tests
// of runBuild, whose process holds more than a build, run without it.

// limitHeap turns boundHeap on; main sets it.
var limitHeap bool

// heapMargin is what the cap adds to twice the catalogue: the workers'
// pages and buffers, the runtime's own structures.
const heapMargin = 32 << 20

// boundHeap sets the memory limit from the live heap, measured by a
// collection (a few tens of milliseconds at 10,000 CQPs, a cycle the
// render would have run soon anyway), and returns the function that puts
// the previous limit back.
func boundHeap(getenv func(string) string) (restore func()) {
	if !limitHeap || getenv("GOMEMLIMIT") != "" || getenv("GOGC") == "off" {
		return func() {}
	}
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return func() {}
	}
	live := int64(sample[0].Value.Uint64())
	prev := debug.SetMemoryLimit(2*live + heapMargin)
	return func() { debug.SetMemoryLimit(prev) }
}
