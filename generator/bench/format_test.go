package bench

import (
	"math"
	"strings"
	"testing"
)

// The report's numbers, in French typography; "_" stands for the narrow
// no-break space and "~" for the no-break space in the wanted strings.
func french(s string) string {
	return strings.NewReplacer("_", nnbsp, "~", nbsp).Replace(s)
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"fmtInt(0)", fmtInt(0), "0"},
		{"fmtInt(999)", fmtInt(999), "999"},
		{"fmtInt(1000)", fmtInt(1000), "1_000"},
		{"fmtInt(30000)", fmtInt(30000), "30_000"},
		{"fmtInt(1234567)", fmtInt(1234567), "1_234_567"},
		{"decimal(-1234.5, 1)", decimal(-1234.5, 1), "−1_234,5"},
		{"fmtSeconds(0.0456)", fmtSeconds(0.0456), "0,046~s"},
		{"fmtSeconds(1.234)", fmtSeconds(1.234), "1,23~s"},
		{"fmtSeconds(11.84)", fmtSeconds(11.84), "11,8~s"},
		{"fmtSeconds(123.4)", fmtSeconds(123.4), "123~s"},
		{"fmtMs(0.42)", fmtMs(0.42), "0,42~ms"},
		{"fmtMs(4.25)", fmtMs(4.25), "4,2~ms"},
		{"fmtMs(3900)", fmtMs(3900), "3_900~ms"},
		{"fmtMiB(250.4)", fmtMiB(250.4), "250~Mo"},
		{"fmtMiB(1433.6)", fmtMiB(1433.6), "1,40~Go"},
		{"fmtBytes(512)", fmtBytes(512), "512~octets"},
		{"fmtBytes(312320)", fmtBytes(312320), "305,0~Ko"},
		{"fmtBytes(4404019)", fmtBytes(4404019), "4,2~Mo"},
		{"fmtBytes(3<<30)", fmtBytes(3 << 30), "3,00~Go"},
		{"fmtRatio(0.2)", fmtRatio(0.2), "0,20 (÷~5,0)"},
		{"fmtRatio(0.05)", fmtRatio(0.05), "0,05 (÷~20)"},
		{"fmtRatio(1.9)", fmtRatio(1.9), "1,90"},
		{"fmtRatio(NaN)", fmtRatio(math.NaN()), "—"},
		{"fmtFraction(0.2)", fmtFraction(0.2), "1/5"},
		{"fmtFraction(1/3)", fmtFraction(1.0 / 3), "1/3"},
	}
	for _, tt := range tests {
		if want := french(tt.want); tt.got != want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, want)
		}
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(2, 10); got != 0.2 {
		t.Errorf("ratio(2, 10) = %v, want 0.2", got)
	}
	for _, c := range [][2]float64{{0, 10}, {2, 0}, {math.NaN(), 1}} {
		if got := ratio(c[0], c[1]); !math.IsNaN(got) {
			t.Errorf("ratio(%v, %v) = %v, want NaN (a figure is missing)", c[0], c[1], got)
		}
	}
}
