package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store/local"
	"github.com/auditui/auditui/model/views"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/auditui/auditui/ui"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version or VCS revision is used.
var version = ""

// app is the command's world: its streams, clock and browser, so that tests
// run the real command tree against buffers.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	browse func(context.Context, ui.Options) error
	// isTerminal says whether a stream is a terminal, where raw records are escaped.
	isTerminal func(io.Writer) bool
	// retryWait caps how long a sync waits before retrying a request; 0 is
	// the client's own schedule (tests shorten it).
	retryWait time.Duration
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now, browse: browseInTerminal, isTerminal: isTerminal}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// newWriter is export.NewWriter onto stdout, escaped when it is a terminal.
func (a *app) newWriter(f export.Format) (export.Writer, error) {
	if a.isTerminal(a.stdout) {
		return export.NewTerminalWriter(a.stdout, f)
	}
	return export.NewWriter(a.stdout, f)
}

// browseInTerminal opens the browser, which needs a terminal on both ends.
func browseInTerminal(ctx context.Context, opts ui.Options) error {
	if !term.IsTerminal(os.Stdout.Fd()) {
		return errors.New("the browser needs a terminal; to write events to a file or pipe use auditui export")
	}
	if !term.IsTerminal(os.Stdin.Fd()) {
		// --file - has read stdin to its end: Bubble Tea reads keys from
		// /dev/tty instead, as less and fzf do; see that it can.
		tty, _, err := tea.OpenTTY()
		if err != nil {
			return errors.New("the browser needs a terminal to read keys from, and stdin is not one (nor could /dev/tty be opened)")
		}
		tty.Close()
	}
	return ui.Run(ctx, opts)
}

// usageError is a mistake on the command line (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// interrupted is Ctrl-C during a run, after n events were written.
type interrupted struct{ n int }

func (e interrupted) Error() string {
	return fmt.Sprintf("interrupted; %d events were written, each complete", e.n)
}

// finished is how a command that wrote n events ends: done, interrupted by
// the user (ctx cancelled), or failed.
func finished(ctx context.Context, err error, n int) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return interrupted{n}
	}
	return runFailure{err}
}

// run executes the command line and returns the exit status. Errors are
// printed as one line on stderr.
func run(ctx context.Context, args []string, a *app) int {
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	var intr interrupted
	var usage usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &intr):
		fmt.Fprintln(a.stderr, "auditui: "+sanitize.OneLine(err.Error()))
		return exitInterrupted
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintln(a.stderr, "auditui: interrupted")
		return exitInterrupted
	case errors.As(err, &usage) || isCobraUsage(err):
		path := "auditui"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		var qe queryError
		if errors.As(err, &qe) {
			path = "auditui export" // its help documents the query keys
		}
		fmt.Fprintf(a.stderr, "auditui: %s (see %s --help)\n", sanitize.OneLine(err.Error()), path)
		if errors.As(err, &qe) {
			// The query and carets under the fault; Pointer blanks control characters.
			for line := range strings.SplitSeq(qe.se.Pointer(qe.text), "\n") {
				fmt.Fprintln(a.stderr, "  "+line)
			}
		}
		return exitUsage
	}
	fmt.Fprintln(a.stderr, "auditui: "+sanitize.OneLine(err.Error()))
	return exitFailure
}

// runFailure marks an error from doing the work, as opposed to cobra's
// complaints about the command line, which carry no mark.
type runFailure struct{ err error }

func (e runFailure) Error() string { return e.err.Error() }
func (e runFailure) Unwrap() error { return e.err }

func isCobraUsage(err error) bool {
	var f runFailure
	return !errors.As(err, &f)
}

func newRootCmd(a *app) *cobra.Command {
	var f filterFlags
	var maxEvents int
	var interval time.Duration
	root := &cobra.Command{
		Use:   "auditui",
		Short: "Browse and export an OpenAI organisation's audit log",
		Long: `auditui reads the audit log of an OpenAI organisation (who created keys, signed in,
changed roles, projects and settings) through the Admin API.

With no command it opens an interactive browser; "auditui export" writes events for
scripts and spreadsheets. It needs an admin key in OPENAI_ADMIN_KEY, or --demo to try
it on a synthetic organisation served on this machine.`,
		Args:          noArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if maxEvents < 0 {
				return usagef("--max-events must be 0 (the default of %d) or more", ui.DefaultMaxEvents)
			}
			if interval < 0 || cmd.Flags().Changed("interval") && interval == 0 {
				return usagef("--interval must be more than 0, such as 30s")
			}
			s, err := f.search(a.now())
			if err != nil {
				return err
			}
			// Over a store the browser opens all it holds, and
			// --max-events bounds what it fetches from the API.
			f.fetchLimit = cmp.Or(maxEvents, ui.DefaultMaxEvents)
			opts, stop, err := a.browseSource(cmd.Context(), &f)
			if err != nil {
				return err
			}
			defer stop()
			opts.Query, opts.QueryText = s.pages, s.text
			if interval > 0 {
				opts.Interval = interval // else the source's own: 30s, the demo's 5s
			}
			if opts.Store == nil {
				opts.MaxEvents = maxEvents
			}
			opts.Views, opts.ViewsPath, opts.ViewsErr = a.savedViews()
			opts.Columns, opts.ColumnsPath, opts.ColumnsErr = savedColumns()
			opts.Recent, opts.RecentPath, opts.RecentErr = recentQueries(f.historyName())
			opts.SourceArgs = f.sourceArgs()
			if err := a.browse(cmd.Context(), opts); err != nil {
				return runFailure{err}
			}
			return nil
		},
	}
	f.add(root)
	root.Flags().IntVar(&maxEvents, "max-events", 0, fmt.Sprintf("events to load before pausing (0 means %d)", ui.DefaultMaxEvents))
	root.Flags().DurationVar(&interval, "interval", 0, fmt.Sprintf("how often F polls for new events (default %s; the demo's %s)", ui.DefaultInterval, fakeapi.DemoGrowEvery))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newExportCmd(a), newSyncCmd(a), newStoreCmd(a), newHistoryCmd(a), newTypesCmd(a), newVersionCmd(a))
	root.SetOut(a.stdout) // before the completion command, which keeps the writer it finds
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		// cobra's own prints its help and exits 0 for a shell it lacks.
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("no completion for %q: the shells are bash, zsh, fish and powershell", args[0])
			}
			return c.Help()
		}
	}
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			return usagef("unknown command %q", args[0])
		}
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

func newExportCmd(a *app) *cobra.Command {
	var f filterFlags
	var format, checkpoint string
	var limit int
	var follow bool
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write matching events to stdout, newest first",
		Long: `Write the events matching the filters to stdout, newest first.

  jsonl  one event per line, exactly as the API sent it (the default)
  json   a JSON array of the events as the API sent them
  csv    a header, then id, effective_at (RFC 3339, UTC), type, actor_type, actor
         (email or id), ip_address, project_id, project_name and summary; cells that
         a spreadsheet would run as a formula start with a single quote

Query (-q): terms separated by spaces; the same key repeated is OR, different
keys are AND; a leading - negates a term; "double quotes" hold spaces.

  type:login.failed  type:api_key.*   an event type, or a glob over the catalogue
  category:roles                      every type of a category (auditui types lists them)
  actor:alice@example.com  actor:ID   the actor's email, or its user, key or account id
  project:proj_123  project:"Beta"    a project id, else a project name
  resource:key_abc                    the id of the object acted on
  ip:198.51.100.7  ip:10.0.0.0/8      the session's IP address, or a CIDR range
  country:US                          the session's country (ISO code)
  since:7d  until:2026-11-01          at or after / before: RFC 3339, YYYY-MM-DD,
                                      Unix seconds, or back from now (90m, 24h, 7d)
  alice  "wrong password"             free text in the actor, IP, project, ids,
                                      summary and payload values`,
		Example: `  auditui export --demo --limit 5
  auditui export --since 7d --type 'api_key.*' > keys.jsonl
  auditui export -q 'type:login.failed -country:US since:30d' --format csv > failed.csv
  auditui export --since 2024-07-01 --until 2024-08-01 --format csv > july.csv
  auditui export --file saved.jsonl --actor alice@example.com
  auditui export --follow --checkpoint siem | vector --config vector.toml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmtVal, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			if limit < 0 {
				return usagef("--limit must be 0 (no limit) or more")
			}
			s, err := f.search(a.now())
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if follow {
				if fmtVal != export.JSONL || limit != 0 {
					return usagef("export --follow writes JSON Lines with no --limit")
				}
				return a.followExport(ctx, &f, s, checkpoint, interval)
			}
			src, stop, err := a.openSource(ctx, &f, readOnce)
			if err != nil {
				return err
			}
			defer stop()
			a.sayAsOf(ctx, src)
			w, err := a.newWriter(fmtVal)
			if err != nil {
				return usageError{err}
			}
			st, err := export.Copy(ctx, s.plan.Source(src), s.pages, w, limit)
			a.reportSkipped(len(st.Skipped), func(i int) string {
				return "skipped a record that could not be read (" + st.Skipped[i].String() + ")"
			})
			return finished(ctx, err, st.Events)
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&format, "format", string(export.JSONL), "output format: jsonl, json or csv")
	cmd.Flags().IntVar(&limit, "limit", 0, "stop after this many events (0 means all)")
	cmd.Flags().BoolVar(&follow, "follow", false, "follow the local store: write each event once as JSON Lines as it arrives (syncing every --interval unless --offline), resuming at --checkpoint")
	cmd.Flags().DurationVar(&interval, "interval", DefaultInterval, "how often --follow polls the API")
	cmd.Flags().StringVar(&checkpoint, "checkpoint", "export", "the name --follow keeps its place in the store under; a new name starts at the store's first event")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"jsonl\tone raw event per line", "json\ta JSON array of raw events", "csv\ta spreadsheet-safe table"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func newTypesCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "types [TYPE or GLOB...]",
		Short: "List the event types auditui knows, with their category and description",
		Long: `List the event types auditui knows: name, category and description, in the
order of the catalogue. With arguments, only the types they name or match
(globs as in --type, such as 'api_key.*'). Types marked tenant-scoped are
listed by the API only with tenant_only, which auditui sends for them.`,
		Example:           "  auditui types\n  auditui types 'login.*' 'tenant.sso*'",
		ValidArgsFunction: completeTypes,
		RunE: func(_ *cobra.Command, args []string) error {
			list := model.EventTypes()
			if len(args) > 0 {
				names, err := model.ExpandTypes(args)
				if err != nil {
					return usageError{err}
				}
				list = slices.DeleteFunc(list, func(t model.EventType) bool { return !slices.Contains(names, t.Name) })
			}
			unknown := slices.DeleteFunc(slices.Clone(args), func(a string) bool {
				_, known := model.LookupType(a)
				return known || strings.ContainsAny(a, "*?[")
			})
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, t := range list {
				scope := ""
				if model.IsTenantType(t.Name) {
					scope = " (tenant-scoped)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s%s\n", t.Name, t.Category, t.Description, scope)
			}
			if err := tw.Flush(); err != nil {
				return runFailure{err}
			}
			if len(unknown) > 0 {
				// Like grep: asking for something that is not there is exit 1.
				return runFailure{fmt.Errorf("no known event type is named %s (auditui types lists them all)", strings.Join(quoteAll(unknown), ", "))}
			}
			return nil
		},
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print auditui's version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if _, err := fmt.Fprintf(a.stdout, "auditui %s (%s, %s/%s)\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH); err != nil {
				return runFailure{err}
			}
			return nil
		},
	}
}

// buildVersion is the -ldflags version, else the module version go install
// recorded, else the VCS revision, else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return "dev-" + rev + dirty
	}
	return "dev"
}

// savedViews are the built-in views and those in the user's views file,
// where that file is, and one line on what is wrong with it.
func (a *app) savedViews() ([]views.View, string, string) {
	path, err := views.Path()
	if err != nil {
		return views.Builtin(), "", sanitize.OneLine(err.Error())
	}
	all, err := views.All(path, a.now())
	if err != nil {
		return all, path, sanitize.OneLine(err.Error())
	}
	return all, path, ""
}

// savedColumns are the list columns chosen last time, where they are
// kept, and one line on what is wrong with that file.
func savedColumns() ([]string, string, string) {
	return fromFile(views.ColumnsPath, views.LoadColumns)
}

// recentQueries is the query bar's history for the organisation named
// org, where it is kept, and one line on what is wrong with that file.
func recentQueries(org string) ([]string, string, string) {
	return fromFile(func() (string, error) { return views.RecentPath(org) }, views.LoadRecent)
}

// fromFile is what load reads from the file path names, where that file
// is, and one line on what is wrong with either.
func fromFile(path func() (string, error), load func(string) ([]string, error)) ([]string, string, string) {
	p, err := path()
	if err != nil {
		return nil, "", sanitize.OneLine(err.Error())
	}
	names, err := load(p)
	if err != nil {
		return nil, p, sanitize.OneLine(err.Error())
	}
	return names, p, ""
}

// historyName is whose queries the browser's history holds: the demo's,
// those typed over files, or the organisation's (OPENAI_ORG_ID, as its
// store is named), never one mixed with another's.
func (f *filterFlags) historyName() string {
	switch {
	case f.demo:
		return "demo"
	case f.file != "":
		return "file"
	}
	return os.Getenv(openai.EnvOrgID)
}

// sourceArgs are the flags that said where the events come from, as E in
// the browser adds them to the export command it copies: a file by its
// absolute path, a store URL without its password.
func (f *filterFlags) sourceArgs() []string {
	var args []string
	switch {
	case f.demo:
		args = append(args, "--demo")
	case f.file != "":
		path := f.file
		if abs, err := filepath.Abs(path); err == nil && path != "-" {
			path = abs
		}
		args = append(args, "--file", path)
	}
	if f.storePath != "" {
		args = append(args, "--store", withoutPassword(f.storePath))
	}
	if f.noStore {
		args = append(args, "--no-store")
	}
	if f.offline {
		args = append(args, "--offline")
	}
	return args
}

// withoutPassword is a store URL with any password left out (it belongs
// in AUDITUI_DATABASE_URL or a password file, not a copied command).
func withoutPassword(store string) string {
	u, err := url.Parse(store)
	if err != nil || u.User == nil {
		return store
	}
	if _, has := u.User.Password(); !has {
		return store
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

// browseSource is where the browser's events come from: the demo with a
// store of its own, else what openSource opens, with the store behind it.
func (a *app) browseSource(ctx context.Context, f *filterFlags) (ui.Options, func(), error) {
	if f.demo {
		if _, err := a.openStore(f); err != nil {
			return ui.Options{}, nil, err // --store or --offline with --demo
		}
		return a.browseDemo(ctx)
	}
	src, stop, err := a.openSource(ctx, f, readKept)
	if err != nil {
		return ui.Options{}, nil, err
	}
	opts := ui.Options{Source: src, FromFile: f.file != ""}
	if ks, ok := src.(*model.KeptFileSource); ok {
		closeFile := stop
		stop = func() { // the browser said them in its status line; here they stay
			ks.Close()
			skipped := ks.Skipped()
			a.reportSkipped(len(skipped), func(i int) string { return ks.Name() + ": skipped " + skipped[i].Error() })
			closeFile()
		}
	}
	if ls, ok := src.(*local.Source); ok {
		ls.LeaveRecords() // a million events are held, their records read when shown
		opts.Store, opts.Offline = ls.Store(), ls.Offline()
		if !ls.Offline() {
			opts.Sync = func(ctx context.Context) error { _, err := ls.Sync(ctx); return err }
		}
	}
	return opts, stop, nil
}

// fileRead is how openSource reads a file.
type fileRead int

const (
	readWhole fileRead = iota // read it all before the events are used (history)
	readOnce                  // stream it, once (export)
	readKept                  // stream it once and keep the events for later queries (the browser)
)

// openSource picks where events come from: a file (read as how says), the
// demo organisation, the local store (kept current from the API unless
// --offline) or the API. stop releases it.
func (a *app) openSource(ctx context.Context, f *filterFlags, how fileRead) (model.Source, func(), error) {
	st, err := a.openStore(f)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case f.file != "":
		r, name, closeFile, err := a.openFile(ctx, f.file)
		if err != nil {
			return nil, nil, runFailure{err}
		}
		switch how {
		case readKept:
			return model.NewKeptFileSource(name, r), closeFile, nil // the events read their records back from it
		case readOnce:
			src := model.NewFileSource(name, r)
			src.Unordered = func(line int, passedOn bool) {
				msg := name + " is not newest first (line %d is newer than the record before it): its events are held in memory and written sorted"
				if passedOn {
					msg = name + " is not newest first from line %d on: the events before it were written as they came, the rest are held in memory and written sorted"
				}
				fmt.Fprintln(a.stderr, "auditui: "+sanitize.OneLine(fmt.Sprintf(msg, line)))
			}
			return src, closeFile, nil
		}
		src, err := a.readFile(ctx, r, name)
		if err != nil {
			closeFile()
			return nil, nil, runFailure{err}
		}
		return src, closeFile, nil // the events read their records back from it
	case f.demo:
		// The demo is the real client against the fake endpoint on loopback:
		// the production code path, with no key and no network.
		d, err := fakeapi.StartDemo(ctx)
		if err != nil {
			return nil, nil, runFailure{fmt.Errorf("start the demo organisation: %w", err)}
		}
		return openai.New(openai.Config{AdminKey: d.Key, BaseURL: d.URL, Name: "demo"}), d.Close, nil
	}
	if st != nil {
		src, err := a.storeSource(f, st)
		if err != nil {
			st.Close()
			return nil, nil, err
		}
		return src, func() { st.Close() }, nil
	}
	cfg, err := f.config()
	if err != nil {
		return nil, nil, err
	}
	return openai.New(cfg), func() {}, nil
}

// openFile opens saved events ("-" is stdin). Opening a FIFO waits for a
// writer, so it is done off this goroutine and given up when ctx ends.
func (a *app) openFile(ctx context.Context, path string) (io.Reader, string, func(), error) {
	if path == "-" {
		return a.stdin, "stdin", func() {}, nil
	}
	type opened struct {
		fh  *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		fh, err := os.Open(path)
		ch <- opened{fh, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, "", nil, fmt.Errorf("cannot open %s: %w", path, errors.Unwrap(o.err))
		}
		return o.fh, path, func() { o.fh.Close() }, nil
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.fh != nil {
				o.fh.Close()
			}
		}()
		return nil, "", nil, ctx.Err()
	}
}

// readFile reads saved events (any shape model.ReadEvents knows) and
// reports the records it skipped. An opened file keeps the records, which
// the events read back from it (model.ReadFileEvents), so it must stay open.
func (a *app) readFile(ctx context.Context, r io.Reader, name string) (model.Source, error) {
	var events []model.Event
	var skipped []model.RecordError
	var err error
	if f, ok := r.(*os.File); ok {
		events, skipped, err = model.ReadFileEvents(ctx, f, name)
	} else {
		events, skipped, err = model.ReadEventsContext(ctx, r)
	}
	a.reportSkipped(len(skipped), func(i int) string { return name + ": skipped " + skipped[i].Error() })
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	return model.NewMemorySource(name, events), nil
}

// maxSkippedLines caps the skipped-record lines, so that a wrong file does
// not bury the terminal.
const maxSkippedLines = 20

// reportSkipped prints one line per skipped record, up to maxSkippedLines,
// then how many more there were.
func (a *app) reportSkipped(n int, line func(i int) string) {
	for i := 0; i < min(n, maxSkippedLines); i++ {
		fmt.Fprintln(a.stderr, "auditui: "+sanitize.OneLine(line(i)))
	}
	if n > maxSkippedLines {
		fmt.Fprintf(a.stderr, "auditui: and %d more records skipped\n", n-maxSkippedLines)
	}
}
