package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The report is in French, as the rest of docs/: decimal commas, a narrow
// no-break space between thousands, units after a no-break space. Every
// number goes through these functions, so that the same figures always
// give the same bytes.

const (
	nbsp  = "\u00a0"
	nnbsp = "\u202f"
)

// decimal writes v with the given decimals and a decimal comma.
func decimal(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupThousands(intPart)
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(nnbsp)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// fmtInt writes a count: 10 000.
func fmtInt(n int64) string { return decimal(float64(n), 0) }

// fmtSeconds writes a duration in seconds with three significant figures
// at least: 0,045 s, 1,23 s, 12,3 s, 123 s.
func fmtSeconds(s float64) string {
	switch {
	case s < 1:
		return decimal(s, 3) + nbsp + "s"
	case s < 10:
		return decimal(s, 2) + nbsp + "s"
	case s < 100:
		return decimal(s, 1) + nbsp + "s"
	}
	return decimal(s, 0) + nbsp + "s"
}

// fmtMs writes milliseconds: 0,42 ms, 4,2 ms, 42 ms, 4 200 ms.
func fmtMs(ms float64) string {
	switch {
	case ms < 1:
		return decimal(ms, 2) + nbsp + "ms"
	case ms < 10:
		return decimal(ms, 1) + nbsp + "ms"
	}
	return decimal(ms, 0) + nbsp + "ms"
}

// fmtMiB writes a memory size given in MiB: 250 Mo, 1,4 Go.
func fmtMiB(mib float64) string {
	if mib >= 1024 {
		return decimal(mib/1024, 2) + nbsp + "Go"
	}
	return decimal(mib, 0) + nbsp + "Mo"
}

// fmtBytes writes a size in bytes, in units of 1 024 as cqp build prints
// them: 512 octets, 12,3 Ko, 4,2 Mo, 1,25 Go.
func fmtBytes(n int64) string {
	v := float64(n)
	switch {
	case n < 1<<10:
		return fmtInt(n) + nbsp + "octets"
	case n < 1<<20:
		return decimal(v/(1<<10), 1) + nbsp + "Ko"
	case n < 1<<30:
		return decimal(v/(1<<20), 1) + nbsp + "Mo"
	}
	return decimal(v/(1<<30), 2) + nbsp + "Go"
}

// fmtRatio writes ours/theirs and, when ours is smaller, how many times:
// "0,21 (÷ 4,8)".
func fmtRatio(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "—"
	}
	s := decimal(r, 2)
	if r > 0 && r < 1 {
		d := 1 / r
		if d >= 10 {
			s += " (÷" + nbsp + decimal(d, 0) + ")"
		} else {
			s += " (÷" + nbsp + decimal(d, 1) + ")"
		}
	}
	return s
}

// ratio is ours/theirs, NaN when either is missing.
func ratio(ours, theirs float64) float64 {
	if ours <= 0 || theirs <= 0 || math.IsNaN(ours) || math.IsNaN(theirs) {
		return math.NaN()
	}
	return ours / theirs
}

// fmtFraction writes a limit ratio as the fraction it stands for: 1/5.
func fmtFraction(limit float64) string {
	if limit > 0 && limit < 1 {
		d := 1 / limit
		if math.Abs(d-math.Round(d)) < 1e-9 {
			return fmt.Sprintf("1/%d", int(math.Round(d)))
		}
	}
	return decimal(limit, 2)
}
