package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai"
)

// storeFlags say which local store a command reads, if any.
type storeFlags struct {
	storePath string // --store: a file, or a postgres:// URL
	noStore   bool   // --no-store: behave as if there were none
	offline   bool   // --offline: the store alone, no key, no network
	// fetchLimit is how many events the run may fetch from the API over
	// the store (the browser's --max-events); 0 is no limit.
	fetchLimit int
}

func (f *storeFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.storePath, "store", "", "the local store to read (default auditui/<org>.db under the user's data directory, used when it exists; auditui sync makes it)")
	fs.BoolVar(&f.noStore, "no-store", false, "ignore the local store: list from the API as if there were none")
	fs.BoolVar(&f.offline, "offline", false, "answer from the local store alone, with no admin key and no request to the API")
}

// envDatabaseURL names a team's PostgreSQL store, used unless --store says
// otherwise: the password stays out of the command line.
const envDatabaseURL = "AUDITUI_DATABASE_URL"

// defaultStorePath is where the store lives unless --store says otherwise:
// $AUDITUI_DATABASE_URL, else the organisation's file.
func defaultStorePath() (string, error) {
	if u := os.Getenv(envDatabaseURL); u != "" {
		return u, nil
	}
	return sqlite.DefaultPath(os.Getenv(openai.EnvOrgID))
}

// openStoreAt opens the store at path, making it when create is set; the
// one place that picks a backend from the path. A missing store is an error
// wrapping fs.ErrNotExist.
func openStoreAt(path string, create bool) (store.Store, error) {
	if postgres.IsURL(path) {
		st, err := postgres.Open(path, postgres.Options{Create: create})
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	st, err := sqlite.Open(path, sqlite.Options{Create: create})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// openNamedStore opens the store --store names, else the organisation's
// default one, for the commands that need a store (sync, store).
func openNamedStore(path string, create bool) (store.Store, error) {
	if path == "" {
		var err error
		if path, err = defaultStorePath(); err != nil {
			return nil, runFailure{err}
		}
	}
	st, err := openStoreAt(path, create)
	if err != nil {
		return nil, runFailure{err}
	}
	return st, nil
}

// openStore opens the store a command reads: none with --no-store, --demo
// or --file (which never touch the user's store); the one --store names; else
// the default one, when it exists (nil when it does not and none was asked
// for, so that without a store everything behaves as before).
func (a *app) openStore(f *filterFlags) (store.Store, error) {
	switch {
	case f.noStore && (f.offline || f.storePath != ""):
		return nil, usagef("--no-store cannot be used with --store or --offline")
	case (f.demo || f.file != "") && (f.offline || f.storePath != ""):
		return nil, usagef("--store and --offline read your store; --demo and --file never do: pick one source of events")
	case f.noStore || f.demo || f.file != "":
		return nil, nil
	}
	path, asked := f.storePath, f.storePath != "" || f.offline
	if path == "" {
		var err error
		if path, err = defaultStorePath(); err != nil {
			if !asked {
				return nil, nil
			}
			return nil, runFailure{err}
		}
	}
	st, err := openStoreAt(path, false)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !asked:
		return nil, nil
	case err != nil:
		return nil, runFailure{err}
	}
	return st, nil
}

// syncFrom is the API client a sync lists from, within a throttle of
// concurrency requests, and the options that say where it lists from.
func (a *app) syncFrom(cfg openai.Config, concurrency int) (model.Source, syncer.Options) {
	th := syncer.NewThrottle(concurrency)
	cfg.Transport = th.Wrap(cfg.Transport)
	if a.retryWait > 0 {
		cfg.MaxRetryDelay = a.retryWait
	}
	base := cfg.BaseURL
	if base == "" {
		base = openai.DefaultBaseURL
	}
	return openai.New(cfg), syncer.Options{
		Origin: store.Meta{BaseURL: base, OrgID: cfg.OrgID}, Now: a.now,
		Concurrency: concurrency, Throttle: th,
	}
}

// storeSource answers from st: offline from it alone, else bringing it up
// to date from the API first.
func (a *app) storeSource(f *filterFlags, st store.Store) (*local.Source, error) {
	if f.offline {
		return local.New(st, nil, syncer.Options{Now: a.now}), nil
	}
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	api, opts := a.syncFrom(cfg, syncer.DefaultConcurrency)
	if f.fetchLimit > 0 {
		api = syncer.Limit(api, f.fetchLimit)
	}
	return local.New(st, api, opts), nil
}

// sayAsOf tells on stderr, for an offline answer, which store answers and
// as of when, so a stale export is not taken for a current one.
func (a *app) sayAsOf(ctx context.Context, src model.Source) {
	ls, ok := src.(*local.Source)
	if !ok || !ls.Offline() {
		return
	}
	m, err := ls.Store().Meta(ctx)
	if err != nil {
		return // reading the events will say what is wrong
	}
	line := "offline: answering from the store " + ls.Store().Location() + ", " + m.AsOf(a.now())
	if !m.Since.IsZero() && m.Since.After(time.Unix(0, 0)) {
		line += ", which holds events from " + m.Since.UTC().Format(time.RFC3339) + " on"
	}
	fmt.Fprintln(a.stderr, "auditui: "+sanitize.OneLine(line))
}

// storedEvents is every event the store holds on the object id, when src
// answers from the store alone; ok is false otherwise, and the source is
// listed as any other (online, the store is synced and only an older
// stretch it lacks is listed from the API). since is where the store's log
// starts, zero when it holds everything.
func storedEvents(ctx context.Context, src model.Source, id string) (events []model.Event, since time.Time, ok bool, err error) {
	ls, isLocal := src.(*local.Source)
	if !isLocal || !ls.Offline() || id == history.Organization {
		return nil, time.Time{}, false, nil
	}
	events, err = ls.Store().Resource(ctx, id)
	if err != nil {
		return nil, time.Time{}, true, err
	}
	since, err = store.KnownSince(ctx, ls.Store(), events) // the coverage of the listings they come from
	return events, since, true, err
}
