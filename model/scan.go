package model

import (
	"context"
	"runtime"
	"sync"
)

// scanParallelMin is the fewest events worth another goroutine.
const scanParallelMin = 1 << 15

// Scan returns the positions in [from, to) of the events match selects, in
// ascending order, sharing a long scan among the CPUs. It is Refine for a
// predicate the index cannot plan (a compiled query); ctx stops it.
func (s *Set) Scan(ctx context.Context, from, to int, match func(*Event) bool) ([]int32, error) {
	workers := min(runtime.NumCPU(), max((to-from)/scanParallelMin, 1))
	parts := make([][]int32, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := from+(to-from)*w/workers, from+(to-from)*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if (i-lo)%4096 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				if match(s.At(i)) {
					parts[w] = append(parts[w], int32(i))
				}
			}
		})
	}
	wg.Wait()
	var out []int32
	for w := range workers {
		if errs[w] != nil {
			return nil, errs[w]
		}
		out = append(out, parts[w]...)
	}
	return out, nil
}
