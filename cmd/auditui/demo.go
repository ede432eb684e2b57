package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/auditui/auditui/ui"
)

// demoStore is the demo organisation on loopback, growing by an event every
// few seconds, and a store of its own in a temporary directory (never the
// user's) that the real syncer fills from it; stop removes both.
type demoStore struct {
	st   *sqlite.Store
	api  *openai.Client
	opts syncer.Options
	stop func()
}

func startDemoStore(ctx context.Context) (*demoStore, error) {
	d, err := fakeapi.StartDemo(ctx)
	if err != nil {
		return nil, runFailure{fmt.Errorf("start the demo organisation: %w", err)}
	}
	removeStaleDemos()
	dir, err := os.MkdirTemp("", demoPrefix) // 0700
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, demoOwner), []byte(strconv.Itoa(os.Getpid())), 0o600)
	}
	if err != nil {
		d.Close()
		os.RemoveAll(dir)
		return nil, runFailure{fmt.Errorf("make the demo's temporary store: %w", err)}
	}
	st, err := sqlite.Open(filepath.Join(dir, "demo.db"), sqlite.Options{Create: true})
	if err != nil {
		d.Close()
		os.RemoveAll(dir)
		return nil, runFailure{err}
	}
	d.GrowEvery(fakeapi.DemoGrowEvery)
	return &demoStore{
		st:   st,
		api:  openai.New(openai.Config{AdminKey: d.Key, BaseURL: d.URL, Name: "demo"}),
		opts: syncer.Options{Origin: store.Meta{BaseURL: d.URL}},
		stop: func() {
			d.Close()
			st.Close()
			os.RemoveAll(dir)
		},
	}, nil
}

// A demo's temporary directory is demoPrefix and a random tail, holding
// demoOwner: the process id of the demo that made it.
const (
	demoPrefix = "auditui-demo-"
	demoOwner  = "pid"
)

// removeStaleDemos removes the temporary directories of demos that ended
// without removing them (killed with kill -9): this user's, whose owning
// process is gone. One without an owner file is left alone.
func removeStaleDemos() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), demoPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, demoOwner))
		if err != nil {
			continue // not ours to read, or not a demo's
		}
		if pid, err := strconv.Atoi(string(b)); err == nil && pid > 0 && !running(pid) {
			os.RemoveAll(dir)
		}
	}
}

// running reports whether process pid exists (another user's counts).
func running(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	if runtime.GOOS == "windows" {
		return true // FindProcess opened it
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, os.ErrPermission)
}

// browseDemo is the browser's demo, over the demo's own store.
func (a *app) browseDemo(ctx context.Context) (ui.Options, func(), error) {
	d, err := startDemoStore(ctx)
	if err != nil {
		return ui.Options{}, nil, err
	}
	src := local.New(d.st, d.api, d.opts)
	src.LeaveRecords() // as over any store: records are read when shown
	return ui.Options{
		Source:   src,
		Store:    src.Store(),
		Sync:     func(ctx context.Context) error { _, err := src.Sync(ctx); return err },
		Interval: fakeapi.DemoGrowEvery,
	}, d.stop, nil
}
