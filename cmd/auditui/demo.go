package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/auditui/auditui/ui"
)

// browseDemo is the browser's demo: the synthetic organisation on loopback,
// growing by an event every few seconds, synced by the real syncer into a
// store of its own in a temporary directory (never the user's), which stop
// removes.
func (a *app) browseDemo(ctx context.Context) (ui.Options, func(), error) {
	d, err := fakeapi.StartDemo(ctx)
	if err != nil {
		return ui.Options{}, nil, runFailure{fmt.Errorf("start the demo organisation: %w", err)}
	}
	dir, err := os.MkdirTemp("", "auditui-demo-") // 0700
	if err != nil {
		d.Close()
		return ui.Options{}, nil, runFailure{fmt.Errorf("make the demo's temporary store: %w", err)}
	}
	st, err := sqlite.Open(filepath.Join(dir, "demo.db"), sqlite.Options{Create: true})
	if err != nil {
		d.Close()
		os.RemoveAll(dir)
		return ui.Options{}, nil, runFailure{err}
	}
	api := openai.New(openai.Config{AdminKey: d.Key, BaseURL: d.URL, Name: "demo"})
	o := syncer.Options{Origin: store.Meta{BaseURL: d.URL}}
	d.GrowEvery(fakeapi.DemoGrowEvery)
	stop := func() {
		d.Close()
		st.Close()
		os.RemoveAll(dir)
	}
	src := local.New(st, api, o)
	return ui.Options{
		Source:   src,
		Store:    st,
		Sync:     func(ctx context.Context) error { _, err := src.Sync(ctx); return err },
		Interval: fakeapi.DemoGrowEvery,
	}, stop, nil
}
