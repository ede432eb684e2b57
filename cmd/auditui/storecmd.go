package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
)

func newStoreCmd(a *app) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Say where the local store is, its size, how many events it holds, the time it covers and when it was last synced",
		Long: `Print what the local store (--store, by default auditui/<org>.db under the user's
data directory) holds: where it is, its size on disk, how many events, the time
ranges each listing covers completely (the default listing, and tenant_only, which
the API keeps apart), when it was last synced and the API it was filled from. It
reads the store only; there is none until auditui sync makes it.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := openNamedStore(path, false)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := describeStore(cmd.Context(), a.stdout, st, a.now()); err != nil {
				return runFailure{err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&path, "store", "", "the store to describe (default auditui/<org>.db under the user's data directory)")
	return cmd
}

// describeStore writes what st holds, one fact a line; every string read
// from the store is sanitised, since a file can hold anything.
func describeStore(ctx context.Context, w io.Writer, st store.Store, now time.Time) error {
	m, err := st.Meta(ctx)
	if err != nil {
		return err
	}
	n, err := st.Count(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, sanitize.OneLine(v)) }
	line("store", st.Location())
	if sz, ok := st.(interface{ Size() (int64, error) }); ok {
		b, err := sz.Size()
		if err != nil {
			return err
		}
		line("size", bytesText(b))
	}
	line("events", fmt.Sprint(n))
	for _, l := range store.Listings {
		cov, err := st.Coverage(ctx, l)
		if err != nil {
			return err
		}
		if len(cov) == 0 {
			line("covers ("+string(l)+")", "nothing yet")
		}
		for _, r := range cov {
			line("covers ("+string(l)+")", stamp(r.Since)+" to "+stamp(r.Until))
		}
	}
	synced := m.AsOf(now)
	if !m.LastSync.IsZero() {
		synced = stamp(m.LastSync) + " (" + synced + ")"
	}
	line("last sync", synced)
	switch {
	case m.BaseURL == "" && m.OrgID == "":
		line("origin", "none yet")
	case m.OrgID == "":
		line("origin", m.BaseURL+" (no organisation id)")
	default:
		line("origin", m.BaseURL+", organisation "+m.OrgID)
	}
	line("schema", fmt.Sprint(m.Schema))
	return tw.Flush()
}

// stamp is a time in RFC 3339; the Unix epoch, where a sync of everything
// starts, is said in words.
func stamp(t time.Time) string {
	if t.Equal(time.Unix(0, 0)) {
		return "the beginning"
	}
	return t.UTC().Format(time.RFC3339)
}

// bytesText is a size for a person: 5.7 MiB.
func bytesText(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTPE"[exp])
}
