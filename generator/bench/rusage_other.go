//go:build !unix

package bench

import (
	"errors"
	"os"
)

// peakRSS is not available here: the harness needs wait4's rusage, which
// only Unix systems give.
func peakRSS(*os.ProcessState) (int64, error) {
	return 0, errors.New("peak memory needs a Unix system (wait4 rusage)")
}
