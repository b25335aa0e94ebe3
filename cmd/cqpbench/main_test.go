package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

func TestParseSizes(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		err  bool
	}{
		{"1000,10000", []int{1000, 10000}, false},
		{" 10000 , 1000,1000", []int{10000, 1000}, false},
		{"1000,dix", nil, true},
		{"0", nil, true},
		{",", nil, true},
	}
	for _, tt := range tests {
		got, err := parseSizes(tt.in)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("parseSizes(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// Usage errors exit 2 with a message, before anything is measured.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-runs", "0"}, "-runs 0"},
		{[]string{"-sizes", "mille"}, `"mille"`},
		{[]string{"-queries", " , "}, "-queries is empty"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-serve-edits", "0"}, "at least 1"},
		{[]string{"-nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := run(context.Background(), tt.args, &out, &errb); code != 2 {
			t.Errorf("cqpbench %s: exit %d, want 2", strings.Join(tt.args, " "), code)
		}
		if !strings.Contains(errb.String(), tt.want) {
			t.Errorf("cqpbench %s: stderr %q, want it to say %q", strings.Join(tt.args, " "), errb.String(), tt.want)
		}
	}
}

func TestRelTo(t *testing.T) {
	if got := relTo("docs/performance.md", "docs/performance.svg"); got != "performance.svg" {
		t.Errorf("relTo = %q, want performance.svg", got)
	}
}
