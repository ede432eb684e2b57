//go:build unix

package model

import "syscall"

// processCPU is the CPU time this process has used, all threads, in
// nanoseconds; benchmarks report it because the machine they run on is shared.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
