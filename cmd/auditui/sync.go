package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/syncer"
)

func newSyncCmd(a *app) *cobra.Command {
	var path, since string
	var concurrency int
	var follow bool
	var reach apiFlags
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Bring the local store up to date from the API",
		Long: `Bring the local store (--store, by default auditui/<org>.db under the user's data
directory) up to date: the first run lists everything the API holds (or from --since),
later runs only what is newer, with a few minutes of overlap, and any gap an
interrupted run left. On a terminal a progress line shows how it goes; otherwise
it prints one summary line. With --follow it keeps running, polling every
--interval for new events, until Ctrl-C or SIGTERM.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if concurrency < 1 {
				return usagef("--concurrency must be 1 or more")
			}
			if interval <= 0 {
				return usagef("--interval must be more than 0, such as 30s")
			}
			var from time.Time
			if since != "" {
				t, err := model.ParseTime(since, a.now())
				if err != nil {
					return usagef("--since %q: %v", since, err)
				}
				from = t
			}
			cfg, err := reach.config()
			if err != nil {
				return err
			}
			st, err := openNamedStore(path, true)
			if err != nil {
				return err
			}
			defer st.Close()
			api, opts := a.syncFrom(cfg, concurrency)
			opts.Since = from
			ctx := cmd.Context()
			if l, ok := st.(store.SyncLocker); ok {
				release, err := l.LockSync(ctx)
				if err != nil {
					return runFailure{err}
				}
				defer release()
			}
			return a.syncRounds(ctx, st, api, opts, follow, interval, nil)
		},
	}
	cmd.Flags().StringVar(&path, "store", "", "the store's file or postgres:// URL (default $"+envDatabaseURL+", else auditui/<org>.db under the user's data directory)")
	cmd.Flags().StringVar(&since, "since", "", "on the first sync, list events from this time only (same forms as export --since)")
	cmd.Flags().BoolVar(&follow, "follow", false, "keep running, polling the API every --interval for new events, until Ctrl-C")
	cmd.Flags().DurationVar(&interval, "interval", DefaultInterval, "how often --follow polls the API")
	cmd.Flags().IntVar(&concurrency, "concurrency", syncer.DefaultConcurrency, "time slices listed at once")
	reach.add(cmd)
	return cmd
}
