package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model"
)

// filterFlags are the filters and source flags shared by the browser and
// export.
type filterFlags struct {
	types      []string
	actors     []string
	projects   []string
	resources  []string
	since      string
	until      string
	pageSize   int
	tenantOnly bool
	demo       bool
	file       string
}

func (f *filterFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringSliceVarP(&f.types, "type", "t", nil, "event type or glob such as 'api_key.*' (repeatable, or comma-separated)")
	fs.StringArrayVarP(&f.actors, "actor", "a", nil, "actor: an email, or a user, service account or API key id (repeatable)")
	fs.StringSliceVarP(&f.projects, "project", "p", nil, "project id (repeatable, or comma-separated)")
	fs.StringSliceVarP(&f.resources, "resource", "r", nil, "id of the object acted on, such as a key or project (repeatable, or comma-separated)")
	fs.StringVar(&f.since, "since", "", "events at or after this time: RFC 3339, YYYY-MM-DD, Unix seconds, or a duration back from now (90m, 24h, 7d)")
	fs.StringVar(&f.until, "until", "", "events before this time (same forms as --since)")
	fs.IntVar(&f.pageSize, "page-size", model.DefaultPageSize, "events per API request, 1-100")
	fs.BoolVar(&f.tenantOnly, "tenant-only", false, "only tenant-scoped events (needed for role.bound_to_resource and tenant.* types)")
	fs.BoolVar(&f.demo, "demo", false, "use a synthetic organisation served on this machine instead of the API")
	fs.StringVarP(&f.file, "file", "f", "", "read events saved earlier (JSONL, JSON array or saved list responses; - for stdin) instead of the API")
	_ = cmd.RegisterFlagCompletionFunc("type", completeTypes)
	noFiles := cobra.FixedCompletions(nil, cobra.ShellCompDirectiveNoFileComp)
	for _, name := range []string{"actor", "project", "resource", "since", "until", "page-size"} {
		_ = cmd.RegisterFlagCompletionFunc(name, noFiles)
	}
}

// query turns the flags into what a Source is asked for. Every mistake is a
// usage error naming the flag.
func (f *filterFlags) query(now time.Time) (model.Query, error) {
	var q model.Query
	if f.demo && f.file != "" {
		return q, usagef("--demo and --file cannot be used together: pick one source of events")
	}
	types, err := model.ExpandTypes(f.types)
	if err != nil {
		return q, usagef("--type: %v", err)
	}
	q.Filter.Types = types
	for _, a := range f.actors {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case strings.Contains(a, "@"):
			q.Filter.ActorEmails = append(q.Filter.ActorEmails, a)
		default:
			q.Filter.ActorIDs = append(q.Filter.ActorIDs, a)
		}
	}
	q.Filter.ProjectIDs = nonEmpty(f.projects)
	q.Filter.ResourceIDs = nonEmpty(f.resources)
	if f.since != "" {
		if q.Filter.Since, err = model.ParseTime(f.since, now); err != nil {
			return q, usagef("--since: %v", err)
		}
	}
	if f.until != "" {
		if q.Filter.Until, err = model.ParseTime(f.until, now); err != nil {
			return q, usagef("--until: %v", err)
		}
	}
	if !q.Filter.Since.IsZero() && !q.Filter.Until.IsZero() && !q.Filter.Since.Before(q.Filter.Until) {
		return q, usagef("--since (%s) must be before --until (%s)", q.Filter.Since.Format(time.RFC3339), q.Filter.Until.Format(time.RFC3339))
	}
	if f.pageSize < 1 || f.pageSize > model.DefaultPageSize {
		return q, usagef("--page-size must be between 1 and %d, got %d", model.DefaultPageSize, f.pageSize)
	}
	q.PageSize = f.pageSize
	q.Filter.TenantOnly = f.tenantOnly
	return q, nil
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// completeTypes offers every catalogued type with its description, and a
// glob per family ("api_key.*").
func completeTypes(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	families := map[string]string{}
	for _, t := range model.EventTypes() {
		if strings.HasPrefix(t.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(t.Name, t.Description))
		}
		if i := strings.IndexByte(t.Name, '.'); i > 0 {
			families[t.Name[:i+1]+"*"] = t.Category
		}
	}
	globs := make([]string, 0, len(families))
	for g := range families {
		if strings.HasPrefix(g, toComplete) {
			globs = append(globs, g)
		}
	}
	sort.Strings(globs)
	for _, g := range globs {
		out = append(out, cobra.CompletionWithDesc(g, fmt.Sprintf("every %s event", families[g])))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
