package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/sanitize"
)

func newHistoryCmd(a *app) *cobra.Command {
	var f filterFlags
	var format string
	cmd := &cobra.Command{
		Use:   "history ID",
		Short: "Print the timeline of one object: every event on it, oldest first, and its state after each",
		Long: `Print the history of one object (an API key, user, project, role, invite, IP
allow-list, rate limit, service account...; "organization" for settings events
that name no id): every event whose payload names ID, oldest first, who acted,
when and from where, each field it set as before → after, and the state after.

The API records only the new value of a change. The value before is the one set
by the latest earlier event on the same object; when no event in the log set it,
it says so: "before: not in the log since DATE", DATE being where the log starts
(the oldest event of --file, else the object's oldest event).

  text   the timeline for a terminal (the default)
  jsonl  the object's raw events, oldest first, exactly as the API sent them
  json   an array of steps: event id, type, time, actor, changes, state after`,
		Example: `  auditui history --demo user-7Qm2XcPv4sKd9LbWnE3hTy
  auditui history key_abc --format json | jq '.[] | {effective_at, state}'
  auditui history --file audit.jsonl proj_abc123 --format jsonl`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
				return usagef("history takes one object id, such as key_abc or user-abc")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != string(export.JSONL) && format != string(export.JSON) {
				return usagef("unknown format %q: use text, jsonl or json", format)
			}
			if _, err := f.search(a.now()); err != nil {
				return err
			}
			ctx := cmd.Context()
			src, stop, err := a.openSource(ctx, &f, readWhole)
			if err != nil {
				return err
			}
			defer stop()
			id := args[0]
			a.sayAsOf(ctx, src)
			events, since, stored, err := storedEvents(ctx, src, id)
			if !stored {
				events, err = a.objectEvents(ctx, src, id, f.pageSize)
				since = knownSince(ctx, src)
			}
			if err != nil {
				return runFailure{err}
			}
			h := history.Build(id, events, since)
			if len(h.Steps) == 0 {
				return runFailure{fmt.Errorf("no event in %s names %s", src.Name(), sanitize.Display(id))}
			}
			if err := writeHistory(a, h, format); err != nil {
				return runFailure{err}
			}
			return nil
		},
	}
	f.addSource(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, jsonl or json")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"text\tthe timeline for a terminal", "jsonl\tthe raw events, oldest first", "json\tthe steps with their state"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func writeHistory(a *app, h *history.History, format string) error {
	switch format {
	case "text":
		return history.WriteText(a.stdout, h, sanitize.Display)
	case string(export.JSON):
		if !a.isTerminal(a.stdout) {
			return history.WriteJSON(a.stdout, h)
		}
		// For a terminal each indented line is escaped on its own; the breaks are between tokens.
		var buf bytes.Buffer
		if err := history.WriteJSON(&buf, h); err != nil {
			return err
		}
		for line := range bytes.Lines(buf.Bytes()) {
			if _, err := a.stdout.Write(append(sanitize.JSON(bytes.TrimSuffix(line, []byte("\n"))), '\n')); err != nil {
				return err
			}
		}
		return nil
	}
	w, err := a.newWriter(export.JSONL)
	if err != nil {
		return err
	}
	for _, s := range h.Steps {
		if err := w.Write(s.Event); err != nil {
			return err
		}
	}
	return w.Close()
}

// objectEvents lists the events on the object id from src (see
// history.List), reporting the records that could not be read.
func (a *app) objectEvents(ctx context.Context, src model.Source, id string, pageSize int) ([]model.Event, error) {
	events, skipped, err := history.List(ctx, src, id, pageSize)
	a.reportSkipped(len(skipped), func(i int) string {
		return "skipped a record that could not be read (" + skipped[i].Error() + ")"
	})
	return events, err
}

// knownSince is where the log starts when the source can say: the oldest
// event of a file. For the API it is zero: the object's oldest event.
func knownSince(ctx context.Context, src model.Source) time.Time {
	ms, ok := src.(*model.MemorySource)
	if !ok {
		return time.Time{}
	}
	var oldest time.Time
	for p, err := range ms.Pages(ctx, model.Query{}) {
		if err != nil || len(p.Events) == 0 {
			break
		}
		oldest = p.Events[len(p.Events)-1].EffectiveAt
	}
	return oldest
}
