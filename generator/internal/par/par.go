// Package par runs independent pieces of work on every core.
package par

import (
	"runtime"
	"sync"
)

// For calls fn(i) for every i in [0, n), on GOMAXPROCS goroutines, and
// returns when all calls have. fn must only write to what index i owns.
func For(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
