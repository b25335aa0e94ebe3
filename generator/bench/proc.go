package bench

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Cmd is a command to time: a built binary with its arguments. A command
// that writes a tree writes each run into a folder of its own, new (see
// fresh.go): RunArgs gives the arguments of run k, and Prepare, which runs
// before run k outside the timed part, checks that the run's folder does
// not exist yet. Neither removes anything: a deletion just before a run
// would be measured with it.
type Cmd struct {
	Label string   // what the report calls it: "cqp build"
	Path  string   // the binary
	Args  []string // its arguments, the same for every run, unless RunArgs is set
	// RunArgs gives the arguments of run k (1, 2, …).
	RunArgs func(k int) []string
	// Prepare runs before run k, outside the timed part.
	Prepare func(k int) error
}

// args are the arguments of run k.
func (c Cmd) args(k int) []string {
	if c.RunArgs != nil {
		return c.RunArgs(k)
	}
	return c.Args
}

// Proc is the cost of a command over several runs: wall time and CPU time
// (user + system) in seconds, and peak resident memory in MiB, as the
// kernel accounts the child process (ru_maxrss: the largest single
// process, its own children included once it has waited for them).
type Proc struct {
	Wall Stat `json:"wall_s"`
	CPU  Stat `json:"cpu_s"`
	Peak Stat `json:"peak_mib"`
}

// Valid reports whether p was measured.
func (p Proc) Valid() bool { return p.Wall.Valid() }

// sample is one run of a command.
type sample struct {
	wall, cpu time.Duration
	peak      int64 // bytes
}

// Measure runs c runs times and summarises the runs. It stops at the first
// run that fails, with an error that carries the end of its output: a
// benchmark of a command that did not do its work would be meaningless.
func Measure(ctx context.Context, c Cmd, runs int) (Proc, error) {
	if runs < 1 {
		return Proc{}, fmt.Errorf("%s: %d runs, want at least 1", c.Label, runs)
	}
	var wall, cpu, peak []float64
	for k := 1; k <= runs; k++ {
		if c.Prepare != nil {
			if err := c.Prepare(k); err != nil {
				return Proc{}, fmt.Errorf("%s: preparing run %d: %w", c.Label, k, err)
			}
		}
		s, err := runOnce(ctx, c, c.args(k))
		if err != nil {
			return Proc{}, err
		}
		wall = append(wall, s.wall.Seconds())
		cpu = append(cpu, s.cpu.Seconds())
		peak = append(peak, float64(s.peak)/(1<<20))
	}
	return Proc{Wall: Summarize(wall, 3), CPU: Summarize(cpu, 3), Peak: Summarize(peak, 1)}, nil
}

// runOnce runs c once with args, with no input and its output kept for
// errors only. Wall time is taken around start and reap by the monotonic
// clock; CPU time and peak memory come from the rusage that wait4 returns
// for the child.
func runOnce(ctx context.Context, c Cmd, args []string) (sample, error) {
	cmd := exec.CommandContext(ctx, c.Path, args...)
	var out tail
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %s %s: %v\n%s", c.Label, c.Path, strings.Join(args, " "), err, out.String())
	}
	peak, err := peakRSS(cmd.ProcessState)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %w", c.Label, err)
	}
	return sample{
		wall: wall,
		cpu:  cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(),
		peak: peak,
	}, nil
}

// tail keeps the last 8 KiB written to it: enough to show why a command
// failed, bounded whatever the command prints.
type tail struct{ b []byte }

const tailMax = 8 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*tailMax {
		t.b = append(t.b[:0], t.b[len(t.b)-tailMax:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	b := t.b
	if len(b) > tailMax {
		b = b[len(b)-tailMax:]
	}
	return string(bytes.TrimSpace(b))
}
