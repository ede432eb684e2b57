package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/openai"
)

// filterFlags are the filters and source flags shared by the browser and
// export.
type filterFlags struct {
	query      string
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
	apiFlags
	storeFlags
}

// apiFlags say how to reach the API, the same for every command that lists from it.
type apiFlags struct {
	// insecureHTTP allows OPENAI_BASE_URL to be plain http to another machine.
	insecureHTTP bool
	// requestTimeout bounds one attempt at one page; one that runs out is retried.
	requestTimeout time.Duration
}

func (f *apiFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.BoolVar(&f.insecureHTTP, "insecure-http", false, "allow an http:// OPENAI_BASE_URL that is not this machine, sending the admin key unencrypted (or set "+openai.EnvInsecureHTTP+"=1)")
	fs.DurationVar(&f.requestTimeout, "request-timeout", openai.DefaultRequestTimeout, "how long one request for a page may take before it is tried again")
}

// config is the client's settings: the environment's, with these flags'.
func (f *apiFlags) config() (openai.Config, error) {
	if f.requestTimeout <= 0 {
		return openai.Config{}, usagef("--request-timeout must be more than 0, such as 1m")
	}
	cfg, err := openai.ConfigFromEnv(f.insecureHTTP)
	if err != nil {
		return openai.Config{}, runFailure{err}
	}
	cfg.RequestTimeout = f.requestTimeout
	return cfg, nil
}

func (f *filterFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVarP(&f.query, "query", "q", "", `query such as 'type:login.failed -country:US since:7d' (see "Query language" in the README); the other filter flags add terms to it`)
	fs.StringSliceVarP(&f.types, "type", "t", nil, "event type or glob such as 'api_key.*' (repeatable, or comma-separated)")
	fs.StringArrayVarP(&f.actors, "actor", "a", nil, "actor: an email, or a user, service account or API key id (repeatable)")
	fs.StringSliceVarP(&f.projects, "project", "p", nil, "project id (repeatable, or comma-separated)")
	fs.StringSliceVarP(&f.resources, "resource", "r", nil, "id of the object acted on, such as a key or project (repeatable, or comma-separated)")
	fs.StringVar(&f.since, "since", "", "events at or after this time: RFC 3339, YYYY-MM-DD, Unix seconds, or a duration back from now (90m, 24h, 7d)")
	fs.StringVar(&f.until, "until", "", "events before this time (same forms as --since)")
	fs.BoolVar(&f.tenantOnly, "tenant-only", false, "only tenant-scoped events (needed for role.bound_to_resource and tenant.* types)")
	f.addSource(cmd)
	_ = cmd.RegisterFlagCompletionFunc("type", completeTypes)
	noFiles := cobra.FixedCompletions(nil, cobra.ShellCompDirectiveNoFileComp)
	for _, name := range []string{"query", "actor", "project", "resource", "since", "until"} {
		_ = cmd.RegisterFlagCompletionFunc(name, noFiles)
	}
}

// addSource adds the flags that say where events come from.
func (f *filterFlags) addSource(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.IntVar(&f.pageSize, "page-size", model.DefaultPageSize, "events per API request, 1-100")
	fs.BoolVar(&f.demo, "demo", false, "use a synthetic organisation served on this machine instead of the API")
	fs.StringVarP(&f.file, "file", "f", "", "read events saved earlier (JSONL, JSON array or saved list responses; - for stdin) instead of the API")
	f.apiFlags.add(cmd)
	f.storeFlags.add(cmd)
	_ = cmd.RegisterFlagCompletionFunc("page-size", cobra.FixedCompletions(nil, cobra.ShellCompDirectiveNoFileComp))
}

// search is what the filter flags ask for: one query (the flags are terms
// of it) split between the API and local evaluation.
type search struct {
	text  string      // the whole query in canonical form, flags included
	plan  query.Plan  // Server has --tenant-only folded in
	pages model.Query // page size; the filter is the plan's
}

// search parses -q and the filter flags as one query. Every mistake is a
// usage error: a *query.SyntaxError points into -q, a *query.FlagError
// names the flag.
func (f *filterFlags) search(now time.Time) (search, error) {
	var s search
	if f.demo && f.file != "" {
		return s, usagef("--demo and --file cannot be used together: pick one source of events")
	}
	if f.pageSize < 1 || f.pageSize > model.DefaultPageSize {
		return s, usagef("--page-size must be between 1 and %d, got %d", model.DefaultPageSize, f.pageSize)
	}
	var flags []query.Flag
	add := func(name string, key query.Key, values ...string) {
		for _, v := range values {
			flags = append(flags, query.Flag{Name: name, Key: key, Value: v})
		}
	}
	add("type", query.KeyType, f.types...)
	add("actor", query.KeyActor, f.actors...)
	add("project", query.KeyProject, f.projects...)
	add("resource", query.KeyResource, f.resources...)
	add("since", query.KeySince, f.since)
	add("until", query.KeyUntil, f.until)
	q, err := query.ParseWithFlags(f.query, flags, now)
	var se *query.SyntaxError
	switch {
	case errors.As(err, &se):
		return s, usageError{queryError{se: se, text: f.query}}
	case err != nil:
		return s, usageError{err}
	}
	s.text = q.String()
	s.plan = query.Compile(q, now)
	s.plan.Server.TenantOnly = s.plan.Server.TenantOnly || f.tenantOnly
	s.pages = model.Query{Filter: s.plan.Server, PageSize: f.pageSize}
	return s, nil
}

// queryError is a -q query that cannot be parsed; it is printed with the
// query and a line of carets under the text at fault.
type queryError struct {
	se   *query.SyntaxError
	text string
}

func (e queryError) Error() string { return e.se.Error() }
func (e queryError) Unwrap() error { return e.se }

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
