package bench

import (
	"math"
	"slices"
)

// Stat is one quantity measured several times: the runs in the order they
// were taken, and their median, minimum and maximum. The median is what the
// report compares: on a machine that other work shares, one slow run moves
// a mean but not a median.
type Stat struct {
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Runs   []float64 `json:"runs"`
}

// Median returns the median of v (the mean of the two middle values when
// their number is even), and NaN for no values. v is left as it was.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Summarize makes a Stat of the runs, each rounded to the given number of
// decimals first, so that the JSON report carries no noise digits. No runs
// give the zero Stat, which Valid reports as not measured.
func Summarize(runs []float64, decimals int) Stat {
	if len(runs) == 0 {
		return Stat{}
	}
	r := make([]float64, len(runs))
	for i, v := range runs {
		r[i] = round(v, decimals)
	}
	return Stat{
		Median: round(Median(r), decimals),
		Min:    slices.Min(r),
		Max:    slices.Max(r),
		Runs:   r,
	}
}

// Valid reports whether s holds at least one measure.
func (s Stat) Valid() bool { return len(s.Runs) > 0 }

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
