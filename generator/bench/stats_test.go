package bench

import (
	"math"
	"slices"
	"testing"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, 10, 1000}, 10}, // one slow run does not move it
		{[]float64{-1, 5}, 2},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.in)
		if got := Median(in); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.in, got, tt.want)
		}
		if !slices.Equal(in, tt.in) {
			t.Errorf("Median(%v) reordered its argument to %v", tt.in, in)
		}
	}
	if got := Median(nil); !math.IsNaN(got) {
		t.Errorf("Median(nil) = %v, want NaN", got)
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{1.23456, 0.98765, 1.5}, 2)
	want := Stat{Median: 1.23, Min: 0.99, Max: 1.5, Runs: []float64{1.23, 0.99, 1.5}}
	if s.Median != want.Median || s.Min != want.Min || s.Max != want.Max || !slices.Equal(s.Runs, want.Runs) {
		t.Errorf("Summarize = %+v, want %+v", s, want)
	}
	if !s.Valid() {
		t.Error("a summary of three runs is not Valid")
	}
	if z := Summarize(nil, 2); z.Valid() {
		t.Errorf("Summarize(nil) = %+v, want an invalid Stat", z)
	}
	// An even number of runs: the median is the mean of the middle two,
	// rounded like the runs.
	if got := Summarize([]float64{1, 2}, 0).Median; got != 2 {
		t.Errorf("Summarize([1 2], 0).Median = %v, want 2 (1.5 rounded)", got)
	}
}
