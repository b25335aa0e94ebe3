package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func countCQPs(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "content", "cqp"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Name() != "_index.md" {
			n++
		}
	}
	return n
}

func TestRunWrites(t *testing.T) {
	for _, tt := range []struct {
		layout, file string
	}{
		{"cqp", "content/cqp/cqp-0007.md"},
		{"hugo", "content/cqp/CQP-0007.md"},
	} {
		dir := t.TempDir()
		code, out, errs := runCmd("-n", "12", "-o", dir, "-seed", "3", "-layout", tt.layout)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", tt.layout, code, errs)
		}
		if !strings.Contains(out, "wrote 12 CQPs") || !strings.Contains(out, "44 branches") || !strings.Contains(out, "MiB") {
			t.Errorf("%s: stdout %q, want the counts and the size", tt.layout, out)
		}
		if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
			t.Errorf("%s: %v", tt.layout, err)
		}
		if n := countCQPs(t, dir); n != 12 {
			t.Errorf("%s: %d CQP files, want 12", tt.layout, n)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"-o", dir},
		{"-n", "0", "-o", dir},
		{"-n", "-4", "-o", dir},
		{"-n", "abc", "-o", dir},
		{"-n", "5"},
		{"-n", "5", "-o", dir, "-layout", "plain"},
		{"-n", "5", "-o", dir, "extra"},
		{"-n", "5", "-o", dir, "-bogus"},
	} {
		code, out, errs := runCmd(args...)
		if code != 2 {
			t.Errorf("cqpgen %q: exit %d, want 2", args, code)
		}
		if out != "" || !strings.Contains(errs, "usage") && !strings.Contains(errs, "Usage") {
			t.Errorf("cqpgen %q: stdout %q, stderr %q: want the usage on stderr only", args, out, errs)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a usage error wrote %d entries", len(entries))
	}
	if code, _, _ := runCmd("-h"); code != 0 {
		t.Errorf("cqpgen -h: exit %d, want 0", code)
	}
}

// A second run into the same folder would leave the CQPs of a larger first
// run behind: refused, unless -force.
func TestExistingContent(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd("-n", "20", "-o", dir); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs := runCmd("-n", "5", "-o", dir)
	if code != 1 || !strings.Contains(errs, "-force") {
		t.Errorf("second run: exit %d, stderr %q; want 1 and a hint about -force", code, errs)
	}
	if code, _, errs := runCmd("-n", "5", "-o", dir, "-force"); code != 0 {
		t.Fatalf("-force: exit %d, %s", code, errs)
	}
	if n := countCQPs(t, dir); n != 5 {
		t.Errorf("after -force: %d CQP files, want 5", n)
	}
}
