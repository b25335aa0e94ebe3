package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

// PagefindVersion is the Pagefind release the comparison installs: the one
// that shared/bench measured, so that figures stay comparable across runs.
const PagefindVersion = "1.6.0"

// Tools are the programs the harness drives, found or installed. An empty
// path means the tool is missing; the matching Why says what was tried.
type Tools struct {
	Hugo, HugoVersion         string
	Pagefind, PagefindVersion string
	Chromium, ChromiumVersion string
	HugoWhy, PagefindWhy      string
	ChromiumWhy               string
}

// FindTools looks for Hugo, Pagefind and Chromium and, with install,
// installs the missing ones the way `make test` installs Chromium: Debian
// packages with apt-get (as root, or through sudo), Pagefind with npm into
// dir/node_modules. A tool that cannot be had is not an error here: the
// caller measures what it can and the report says what was skipped.
func FindTools(ctx context.Context, dir string, install bool, log io.Writer) Tools {
	var t Tools
	t.Hugo, t.HugoWhy = findOrApt(ctx, "hugo", []string{"hugo"}, install, log)
	if t.Hugo != "" {
		t.HugoVersion = firstMatch(ctx, `v?[0-9]+\.[0-9]+\.[0-9]+[^ ]*`, t.Hugo, "version")
	}
	t.Pagefind, t.PagefindWhy = findPagefind(ctx, dir, install, log)
	if t.Pagefind != "" {
		t.PagefindVersion = firstMatch(ctx, `[0-9]+\.[0-9]+\.[0-9]+`, t.Pagefind, "--version")
	}
	t.Chromium, t.ChromiumWhy = findChromium(ctx, install, log)
	if t.Chromium != "" {
		t.ChromiumVersion = firstMatch(ctx, `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`, t.Chromium, "--version")
	}
	return t
}

// findOrApt finds one of names on the PATH or installs the Debian package.
func findOrApt(ctx context.Context, pkg string, names []string, install bool, log io.Writer) (string, string) {
	look := func() string {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				return p
			}
		}
		return ""
	}
	if p := look(); p != "" {
		return p, ""
	}
	if !install {
		return "", fmt.Sprintf("%s is not on the PATH (install it with apt-get install -y %s)", names[0], pkg)
	}
	fmt.Fprintf(log, "bench: %s is missing; installing Debian's %s package\n", names[0], pkg)
	if err := aptInstall(ctx, pkg, log); err != nil {
		return "", fmt.Sprintf("%s is not on the PATH and apt-get install -y %s failed: %v", names[0], pkg, err)
	}
	if p := look(); p != "" {
		return p, ""
	}
	return "", fmt.Sprintf("apt-get install -y %s succeeded but %s is still not on the PATH", pkg, names[0])
}

func aptInstall(ctx context.Context, pkg string, log io.Writer) error {
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("apt-get not found (not a Debian system?)")
	}
	var pre []string
	if os.Geteuid() != 0 {
		if _, err := exec.LookPath("sudo"); err != nil {
			return errors.New("not root and no sudo")
		}
		pre = []string{"sudo"}
	}
	run := func(args ...string) error {
		all := append(append([]string{}, pre...), args...)
		cmd := exec.CommandContext(ctx, all[0], all[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		var out tail
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(all, " "), err, out.String())
		}
		return nil
	}
	if err := run("apt-get", "update"); err != nil {
		return err
	}
	return run("apt-get", "install", "-y", pkg)
}

// pagefindBinary is where npm puts Pagefind's extended binary for this
// machine (the pagefind package pulls @pagefind/<platform> as an optional
// dependency).
func pagefindBinary(dir string) string {
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return filepath.Join(dir, "node_modules", "@pagefind", runtime.GOOS+"-"+arch, "bin", "pagefind_extended")
}

func findPagefind(ctx context.Context, dir string, install bool, log io.Writer) (string, string) {
	bin := pagefindBinary(dir)
	ok := func() bool {
		st, err := os.Stat(bin)
		return err == nil && st.Mode()&0o111 != 0
	}
	if ok() {
		return bin, ""
	}
	if !install {
		return "", fmt.Sprintf("%s is missing (npm install --prefix %s pagefind@%s)", bin, dir, PagefindVersion)
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", "npm is missing (apt-get install -y npm), so Pagefind cannot be installed"
	}
	fmt.Fprintf(log, "bench: installing pagefind@%s into %s\n", PagefindVersion, filepath.Join(dir, "node_modules"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err.Error()
	}
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, "pagefind@"+PagefindVersion)
	var out tail
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Sprintf("npm install pagefind@%s failed: %v\n%s", PagefindVersion, err, out.String())
	}
	if !ok() {
		return "", fmt.Sprintf("npm installed pagefind@%s but %s is missing (no binary for %s/%s?)", PagefindVersion, bin, runtime.GOOS, runtime.GOARCH)
	}
	return bin, ""
}

// findChromium finds the browser as generator/browsertest does ($CQP_CHROMIUM,
// then the usual names), and installs Debian's chromium when asked.
func findChromium(ctx context.Context, install bool, log io.Writer) (string, string) {
	if p := os.Getenv("CQP_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p, ""
		}
	}
	return findOrApt(ctx, "chromium", []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}, install, log)
}

// firstMatch runs a tool with args and returns the first match of re in
// what it prints, or "unknown".
func firstMatch(ctx context.Context, re, path string, args ...string) string {
	out, _ := exec.CommandContext(ctx, path, args...).CombinedOutput()
	if m := regexp.MustCompile(re).Find(out); m != nil {
		return string(m)
	}
	return "unknown"
}

// Machine describes where the figures were taken.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	MemoryMiB int    `json:"memory_mib"`
	OS        string `json:"os"`
	Kernel    string `json:"kernel"`
	Go        string `json:"go"`
	CQP       string `json:"cqp"`
	Hugo      string `json:"hugo,omitempty"`
	Pagefind  string `json:"pagefind,omitempty"`
	Chromium  string `json:"chromium,omitempty"`
}

// ReadMachine reads the machine's description from /proc and /etc (Linux);
// what it cannot read stays empty.
func ReadMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPUModel = procField(b, "model name")
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb, err := strconv.Atoi(strings.Fields(procField(b, "MemTotal") + " 0")[0]); err == nil {
			m.MemoryMiB = kb >> 10
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`)
			}
		}
	}
	if m.OS == "" {
		m.OS = runtime.GOOS + "/" + runtime.GOARCH
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// procField returns the value of the first "key : value" line of a /proc
// file.
func procField(b []byte, key string) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
