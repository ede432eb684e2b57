// Package export writes audit-log events for scripts and spreadsheets:
// JSON Lines and JSON keep each record exactly as the API sent it; CSV gives
// one row per event, each cell passed through sanitize.Cell.
package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// Format is an output format.
type Format string

const (
	JSONL Format = "jsonl" // one raw event per line (the default)
	JSON  Format = "json"  // an array of raw events
	CSV   Format = "csv"   // a header and one row per event
)

// Formats lists every format, the default first.
func Formats() []Format { return []Format{JSONL, JSON, CSV} }

// ParseFormat reads a format name as typed on the command line.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(strings.TrimSpace(s), string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use jsonl, json or csv", s)
}

// Writer writes events in one format. Events are buffered: Flush pushes
// what was written so far, and Close also ends the document (the closing
// bracket of a JSON array), so the output is whole even when the listing
// stopped early.
type Writer interface {
	Write(e *model.Event) error
	Flush() error
	Close() error
}

// NewWriter returns a Writer of format f onto w, a file or a pipe: records
// are written byte for byte.
func NewWriter(w io.Writer, f Format) (Writer, error) { return newWriter(w, f, false) }

// NewTerminalWriter is NewWriter for a terminal: each JSON record passes
// through sanitize.JSON, so it holds the same values but no raw control,
// C1 or stray byte reaches the screen. CSV cells are safe either way.
func NewTerminalWriter(w io.Writer, f Format) (Writer, error) { return newWriter(w, f, true) }

func newWriter(w io.Writer, f Format, tty bool) (Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch f {
	case JSONL, "":
		return &jsonlWriter{jsonOut{w: bw, tty: tty}}, nil
	case JSON:
		return &jsonWriter{jsonOut: jsonOut{w: bw, tty: tty}}, nil
	case CSV:
		return &csvWriter{bw: bw}, nil
	}
	return nil, fmt.Errorf("unknown format %q: use jsonl, json or csv", f)
}

var errClosed = errors.New("export: write after Close")

// jsonOut is what both JSON formats hold: where they write, whether that
// is a terminal, and whether they were closed.
type jsonOut struct {
	w      *bufio.Writer
	tty    bool // escape for a terminal
	closed bool
}

// record is e as the API sent it; none once closed.
func (o *jsonOut) record(e *model.Event) ([]byte, error) {
	if o.closed {
		return nil, errClosed
	}
	return e.JSON()
}

// write writes raw, escaped when it goes to a terminal.
func (o *jsonOut) write(raw []byte) error {
	if o.tty {
		raw = sanitize.JSON(raw)
	}
	_, err := o.w.Write(raw)
	return err
}

func (o *jsonOut) Flush() error { return o.w.Flush() }

type jsonlWriter struct{ jsonOut }

func (j *jsonlWriter) Write(e *model.Event) error {
	raw, err := j.record(e)
	if err != nil {
		return err
	}
	j.write(compact(raw))
	return j.w.WriteByte('\n')
}

func (j *jsonlWriter) Close() error {
	j.closed = true
	return j.w.Flush()
}

// compact returns raw unchanged unless the API pretty-printed it: a line
// break in valid JSON is only ever white space between tokens, so compacting
// changes no value.
func compact(raw []byte) []byte {
	if bytes.IndexByte(raw, '\n') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		// Not valid JSON (it could not have been decoded): drop the breaks.
		return bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\n"), nil), []byte("\r"), nil)
	}
	return b.Bytes()
}

type jsonWriter struct {
	jsonOut
	n int
}

func (j *jsonWriter) Write(e *model.Event) error {
	raw, err := j.record(e)
	if err != nil {
		return err
	}
	if j.n == 0 {
		j.w.WriteString("[\n")
	} else {
		j.w.WriteString(",\n")
	}
	j.n++
	return j.write(raw)
}

func (j *jsonWriter) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	if j.n == 0 {
		j.w.WriteString("[]\n")
	} else {
		j.w.WriteString("\n]\n")
	}
	return j.w.Flush()
}

// CSVHeader names the CSV columns.
var CSVHeader = []string{"id", "effective_at", "type", "actor_type", "actor", "ip_address", "project_id", "project_name", "summary"}

type csvWriter struct {
	bw     *bufio.Writer
	row    []string
	header bool
	closed bool
}

func (c *csvWriter) Write(e *model.Event) error {
	if c.closed {
		return errClosed
	}
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.row = append(c.row[:0],
		e.ID,
		e.EffectiveAt.UTC().Format(time.RFC3339),
		e.Type,
		string(e.Actor.Kind),
		e.Actor.Label(),
		e.Actor.IP(),
		e.Project.ID,
		e.Project.Name,
		model.Summary(e),
	)
	for i, cell := range c.row {
		c.row[i] = sanitize.Cell(cell)
	}
	return c.writeRow(c.row)
}

// writeRow writes one CSV record, quoting every cell that holds a separator
// a spreadsheet in any locale might split on (",", ";"), a quote, or white
// space at an end, so each reads back as one cell.
func (c *csvWriter) writeRow(cells []string) error {
	for i, cell := range cells {
		if i > 0 {
			c.bw.WriteByte(',')
		}
		if !needsQuotes(cell) {
			c.bw.WriteString(cell)
			continue
		}
		c.bw.WriteByte('"')
		c.bw.WriteString(strings.ReplaceAll(cell, `"`, `""`))
		c.bw.WriteByte('"')
	}
	return c.bw.WriteByte('\n')
}

func needsQuotes(cell string) bool {
	if cell == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(cell)
	last, _ := utf8.DecodeLastRuneInString(cell)
	return strings.ContainsAny(cell, `,;"`) || unicode.IsSpace(first) || unicode.IsSpace(last)
}

func (c *csvWriter) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	return c.writeRow(CSVHeader)
}

func (c *csvWriter) Flush() error { return c.bw.Flush() }

func (c *csvWriter) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	// An empty export is still a CSV file with its header.
	if err := c.writeHeader(); err != nil {
		return err
	}
	return c.Flush()
}

// Stats says what Copy did.
type Stats struct {
	Events  int       // events written
	Pages   int       // pages received
	Skipped []Skipped // records the source could not decode
}

// Skipped is a record the source could not decode, and on which page.
type Skipped struct {
	Page   int
	Record model.RecordError
}

func (s Skipped) String() string {
	if s.Record.Line > 0 {
		return s.Record.Error()
	}
	return fmt.Sprintf("page %d, %s", s.Page, s.Record.Error())
}

// Copy writes the events src yields for q, newest first, stopping after
// limit events (0 means all). It flushes after every page so that what was
// written survives a later failure, and always closes w. The error is src's,
// ctx's, or the writer's.
func Copy(ctx context.Context, src model.Source, q model.Query, w Writer, limit int) (Stats, error) {
	var st Stats
	err := func() error {
		if limit > 0 && limit < model.DefaultPageSize && (q.PageSize <= 0 || q.PageSize > limit) {
			q.PageSize = limit // no point asking for a bigger page than is wanted
		}
		for page, err := range src.Pages(ctx, q) {
			if err != nil {
				return err
			}
			st.Pages++
			for _, r := range page.Skipped {
				st.Skipped = append(st.Skipped, Skipped{Page: page.Number, Record: r})
			}
			for i := range page.Events {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err := w.Write(&page.Events[i]); err != nil {
					return fmt.Errorf("write: %w", err)
				}
				st.Events++
				if limit > 0 && st.Events >= limit {
					return nil
				}
			}
			if err := w.Flush(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		return ctx.Err()
	}()
	if cerr := w.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("write: %w", cerr)
	}
	return st, err
}
