//go:build !unix

package search

// cpuTime is not available here: the benchmarks report wall time only.
func cpuTime() (int64, bool) { return 0, false }
