package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/model/sanitize"
)

// exportRequest is one file to write: which rows of the Set, where, and
// whether an existing file there may be replaced.
type exportRequest struct {
	path      string
	format    export.Format
	rows      []int32 // nil: the first n of the Set
	n         int
	overwrite bool
}

// exportState is the export being written, for the status bar.
type exportState struct {
	running     bool
	gen         int
	path        string
	done, total int
	cancel      context.CancelFunc
}

func (s exportState) progress() string {
	return fmt.Sprintf("exporting %s of %s to %s", commas(s.done), commas(s.total), sanitize.Display(s.path))
}

// exportProgressMsg and exportDoneMsg come from the goroutine writing the file.
type exportProgressMsg struct {
	gen, done int
	job       *exportJob
}

type exportDoneMsg struct {
	gen    int
	req    exportRequest
	n      int
	exists bool // the file is there and overwrite was not asked for
	err    error
}

// exportJob carries the writer's progress and result back to Update.
type exportJob struct {
	progress chan exportProgressMsg
	done     chan exportDoneMsg
}

// wait is the command that delivers the job's next message.
func (j *exportJob) wait() tea.Cmd {
	return func() tea.Msg {
		select {
		case d := <-j.done:
			return d
		case p := <-j.progress:
			return p
		}
	}
}

// exportRows is what e exports: the marked rows when any, else what the
// list shows (the query, the filter and the picked types applied).
func (m *Model) exportRows() exportRequest {
	if len(m.marks) > 0 {
		r := m.marks.rows(m.facetIdx)
		return exportRequest{rows: r, n: len(r)}
	}
	if rows := m.list.Indices(); rows != nil {
		return exportRequest{rows: rows, n: len(rows)}
	}
	return exportRequest{n: m.list.Len()}
}

// startExport writes req off the UI goroutine: into a private temporary
// file beside the target, linked into place only when nothing is there
// (renamed over it when overwriting), so no file is ever half-written.
func (m *Model) startExport(req exportRequest) tea.Cmd {
	if m.export.running {
		m.notice = "an export is already being written"
		return nil
	}
	if req.n == 0 {
		m.notice = "nothing to export"
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.export.gen++
	m.export = exportState{running: true, gen: m.export.gen, path: req.path, total: req.n, cancel: cancel}
	job := &exportJob{progress: make(chan exportProgressMsg, 1), done: make(chan exportDoneMsg, 1)}
	set, gen := m.set, m.export.gen
	go func() {
		n, exists, err := writeExport(ctx, set, req, func(done int) {
			select {
			case job.progress <- exportProgressMsg{gen: gen, done: done, job: job}:
			default: // the last one is not read yet: skip this one
			}
		})
		job.done <- exportDoneMsg{gen: gen, req: req, n: n, exists: exists, err: err}
	}()
	return job.wait()
}

// exportProgressEvery is how many events are written between progress messages.
const exportProgressEvery = 5000

func writeExport(ctx context.Context, set *model.Set, req exportRequest, progress func(int)) (n int, exists bool, err error) {
	if _, err := os.Lstat(req.path); err == nil && !req.overwrite {
		return 0, true, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(req.path), ".auditui-export-*") // 0600
	if err != nil {
		return 0, false, err
	}
	defer os.Remove(tmp.Name()) // gone once linked or renamed; on failure, nothing is left
	w, err := export.NewWriter(tmp, req.format)
	if err != nil {
		tmp.Close()
		return 0, false, err
	}
	for ; n < req.n; n++ {
		i := n
		if req.rows != nil {
			i = int(req.rows[n])
		}
		if err := w.Write(set.At(i)); err != nil {
			tmp.Close()
			return n, false, err
		}
		if n%exportProgressEvery == 0 {
			if ctx.Err() != nil {
				tmp.Close()
				return n, false, ctx.Err()
			}
			progress(n)
		}
	}
	err = errors.Join(w.Close(), tmp.Sync(), tmp.Close())
	if err != nil {
		return n, false, err
	}
	if req.overwrite {
		return n, false, os.Rename(tmp.Name(), req.path)
	}
	// Link fails if a file appeared meanwhile: never replace one unasked.
	if err := os.Link(tmp.Name(), req.path); errors.Is(err, fs.ErrExist) {
		return 0, true, nil
	} else if err != nil {
		return n, false, err
	}
	return n, false, nil
}

// onExportProgress and onExportDone apply the writer's messages.
func (m *Model) onExportProgress(msg exportProgressMsg) tea.Cmd {
	if msg.gen != m.export.gen || !m.export.running {
		return nil
	}
	m.export.done = msg.done
	return msg.job.wait()
}

func (m *Model) onExportDone(msg exportDoneMsg) tea.Cmd {
	if msg.gen != m.export.gen {
		return nil
	}
	m.export.cancel()
	m.export.running = false
	name := sanitize.Display(msg.req.path)
	switch {
	case msg.exists:
		m.notice = ""
		return m.open(newExportPrompt(m.common, msg.req, true, m.startExport))
	case msg.err != nil:
		m.notice = ""
		m.queryErr = "" // the export's error takes the line
		m.exportErr = "not exported: " + sanitize.OneLine(pathless(msg.err)) + ": " + name
	default:
		m.exportErr = ""
		m.notice = "exported " + plural(msg.n, "event") + " to " + name
	}
	return nil
}

// pathless is an error's message without the temporary file's name.
func pathless(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// exportName is the name e offers: the day and what the view is about,
// such as audit-2026-12-01-login.failed.jsonl.
func (m *Model) exportName() string {
	subject := ""
	switch {
	case len(m.marks) > 0:
		subject = "marked"
	case len(m.types) == 1:
		subject = m.types[0]
	case m.query.text != "":
		subject = m.query.text
	case m.input.Value() != "":
		subject = m.input.Value()
	}
	name := "audit-" + m.opts.Now().In(m.opts.Location).Format("2006-01-02")
	if s := slug(subject); s != "" {
		name += "-" + s
	}
	return name + ".jsonl"
}

// slug keeps the letters, digits, dots and dashes of s, runs of anything
// else becoming one dash; type: and other keys are dropped.
func slug(s string) string {
	var b strings.Builder
	for _, word := range strings.Fields(s) {
		if k, v, ok := strings.Cut(word, ":"); ok && k != "" && v != "" {
			word = v
		}
		for _, r := range word {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_'
			switch {
			case ok:
				b.WriteRune(r)
			case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
				b.WriteByte('-')
			}
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String()[:min(b.Len(), 40)], "-.")
}

// formatOf is the export format a file name asks for by its extension.
func formatOf(path string) (export.Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if ext == "" {
		return "", errors.New("name the file with .jsonl, .json or .csv: the extension picks the format")
	}
	f, err := export.ParseFormat(ext)
	if err != nil {
		return "", fmt.Errorf(".%s is not a format: use .jsonl, .json or .csv", sanitize.Display(ext))
	}
	return f, nil
}

// expandHome turns a leading ~/ into the home directory.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}
