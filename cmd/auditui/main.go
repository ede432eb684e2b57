// Command auditui browses and exports an OpenAI organisation's audit log.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Ctrl-C and SIGTERM cancel the context: export then stops after the
	// last complete event and closes its output. So does a closed terminal
	// (SIGHUP), so that the demo removes its temporary store, unless
	// started under nohup.
	signals := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		signals = append(signals, syscall.SIGHUP)
	}
	ctx, stop := signal.NotifyContext(context.Background(), signals...)
	code := run(ctx, os.Args[1:], newApp(os.Stdin, os.Stdout, os.Stderr))
	stop()
	os.Exit(code)
}
