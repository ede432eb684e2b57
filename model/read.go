package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/tidwall/gjson"

	"github.com/auditui/auditui/model/sanitize"
)

// ReadEvents decodes audit-log events from a file, whose shape it sniffs from
// the content: JSONL (one record per line; blank lines and CRLF are fine), a
// JSON array of records, one list response, several list responses one after
// another (saved curl output), or a single record. Events come back in file
// order and alias the buffers the input was read into.
//
// A bad record is skipped and reported in skipped with its line and reason;
// the rest is still read. err is set when reading r fails or a record is
// longer than maxRecord (then r is not an audit log), and then the events
// read before it are returned with it.
func ReadEvents(r io.Reader) (events []Event, skipped []RecordError, err error) {
	return ReadEventsContext(context.Background(), r)
}

// ReadEventsContext is ReadEvents that stops when ctx ends, even while r
// blocks (a FIFO with no writer, a pipe that stays open).
func ReadEventsContext(ctx context.Context, r io.Reader) (events []Event, skipped []RecordError, err error) {
	return readAll(NewEventStream(ctx, r))
}

// readAll reads st to its end and closes it.
func readAll(st *EventStream) (events []Event, skipped []RecordError, err error) {
	defer st.Close()
	for {
		evs, sk, err := st.Next()
		events, skipped = append(events, evs...), append(skipped, sk...)
		if err == io.EOF {
			return events, skipped, nil
		}
		if err != nil {
			return events, skipped, err
		}
	}
}

// maxRecord bounds one record, or one value that spans lines (a JSON
// array printed with its records indented): far above any real record (a
// 10 MB one reads), and what makes /dev/zero or a sparse file fail with a
// sentence instead of filling memory.
const maxRecord = 64 << 20

// readBlock is how much is read at a time.
const readBlock = 1 << 20

// EventStream reads a file's events a chunk at a time, so that memory
// holds one chunk (about readBlock, at most maxRecord) rather than the
// file. A chunk ends where a line starts with "{" or "[" in its first column
// (where a record can start after damage, see resync), so each is decoded
// as a file of its own; the first and last chunks are the whole input when
// it fits in one.
type EventStream struct {
	ctx    context.Context
	cancel context.CancelFunc
	blocks chan block
	buf    []byte // read, not yet decoded; starts at line
	line   int
	eof    bool  // nothing more to read
	end    error // what Next says once the buffer is decoded: io.EOF or why reading failed
	first  bool
	// The chunk Next decoded last, the line it starts on and where each
	// of its events starts in it, for Line.
	last     []byte
	lastLine int
	starts   []int
	decoded  chan chan decoded // chunks being decoded, in file order
	final    error             // what Next says from now on: io.EOF, or why it stopped
	// file, when set, is the file being read, where events leave their
	// records (see ReadFileEvents); bufOff is where buf starts in it, -1
	// once the input is not the file's bytes (it was UTF-16).
	file   *recordHome
	in     *interner
	bufOff int64
}

// Line is the line on which the i-th event Next returned last starts.
func (st *EventStream) Line(i int) int {
	if i < 0 || i >= len(st.starts) {
		return 0
	}
	return st.lastLine + bytes.Count(st.last[:st.starts[i]], []byte{'\n'})
}

type block struct {
	b   []byte
	off int64 // where b starts in the input, or -1 when it was converted
	err error
}

// NewEventStream starts reading r, off the caller's goroutine so that Next
// returns when ctx ends even if a Read never does. Close releases it.
func NewEventStream(ctx context.Context, r io.Reader) *EventStream {
	ctx, cancel := context.WithCancel(ctx)
	st := &EventStream{ctx: ctx, cancel: cancel, blocks: make(chan block, 2), line: 1, first: true}
	go func() {
		defer close(st.blocks)
		u := utf16Reader{r: r}
		var off int64
		for {
			b := make([]byte, readBlock)
			n, err := io.ReadFull(&u, b)
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			at := off
			if u.order != nil {
				at = -1
			}
			off += int64(n)
			select {
			case st.blocks <- block{b[:n], at, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return st
}

// Close stops reading.
func (st *EventStream) Close() { st.cancel() }

// Next decodes the next chunk: its events in file order and the records
// skipped in it. err is io.EOF after the last chunk, ctx's error when it
// ended, or why the input cannot be read.
func (st *EventStream) Next() ([]Event, []RecordError, error) {
	if st.decoded == nil {
		st.decoded = make(chan chan decoded, runtime.GOMAXPROCS(0))
		go st.dispatch()
	}
	if st.final != nil {
		return nil, nil, st.final
	}
	var c chan decoded
	select {
	case c = <-st.decoded:
	case <-st.ctx.Done():
	}
	if c == nil {
		st.final = st.ctx.Err()
		return nil, nil, st.final
	}
	d := <-c
	if d.err != nil {
		st.final = d.err
		return nil, nil, d.err
	}
	st.last, st.lastLine, st.starts = d.chunk, d.line, d.starts
	return d.events, d.skipped, nil
}

// decoded is one chunk, decoded off the caller's goroutine.
type decoded struct {
	chunk   []byte
	line    int
	starts  []int
	events  []Event
	skipped []RecordError
	err     error
}

// dispatch cuts the input into chunks in order and decodes up to
// GOMAXPROCS of them at once, each a file of its own; Next takes the
// results in file order. An error, the end or ctx ending is the last.
func (st *EventStream) dispatch() {
	defer close(st.decoded)
	for {
		chunk, err := st.nextChunk()
		c := make(chan decoded, 1)
		select {
		case st.decoded <- c:
		case <-st.ctx.Done():
			return
		}
		if err != nil {
			c <- decoded{err: err}
			return
		}
		line, opening := st.line, st.first && !st.eof
		st.first = false
		st.line += bytes.Count(chunk, []byte{'\n'})
		file, in, off := st.file, st.in, st.bufOff-int64(len(chunk))
		if st.bufOff < 0 {
			file = nil
		}
		if file != nil && in == nil {
			in = newInterner()
			st.in = in
		}
		go func() {
			d := decodeChunk(chunk, line, opening)
			if file != nil {
				in.detach(d.events, chunk, off, file)
			}
			c <- d
		}()
	}
}

// nextChunk returns the next decodable part of the input: io.EOF after the
// last, ctx's error when it ended, or why the input cannot be read.
func (st *EventStream) nextChunk() ([]byte, error) {
	for {
		if st.eof {
			if len(st.buf) == 0 {
				return nil, st.end
			}
			chunk := st.buf
			st.buf = nil
			st.advance(len(chunk))
			return chunk, nil
		}
		if cut := st.cut(); cut > 0 {
			chunk := st.buf[:cut:cut]
			rest := st.buf[cut:]
			st.buf = append(make([]byte, 0, max(len(rest), readBlock)), rest...)
			st.advance(cut)
			return chunk, nil
		}
		if len(st.buf) >= maxRecord {
			return nil, fmt.Errorf("line %d: a record longer than %d MiB: this is not an audit log", st.line, maxRecord>>20)
		}
		var blk block
		select {
		case blk = <-st.blocks:
		case <-st.ctx.Done():
			return nil, st.ctx.Err()
		}
		if len(st.buf) == 0 && st.bufOff >= 0 {
			st.bufOff = blk.off
		} else if blk.off < 0 {
			st.bufOff = -1
		}
		st.buf = append(st.buf, blk.b...)
		if blk.err != nil {
			// What was read before a failure is decoded first.
			st.eof, st.end = true, io.EOF
			if blk.err != io.EOF {
				st.end = fmt.Errorf("read events: %w", blk.err)
			}
		}
	}
}

// advance moves bufOff past the n bytes of a chunk cut from buf; dispatch
// then finds the chunk's start n bytes back.
func (st *EventStream) advance(n int) {
	if st.bufOff >= 0 {
		st.bufOff += int64(n)
	}
}

// cut returns where the decodable part of the buffer ends: after the last
// complete line that is followed by one starting a value in its first
// column; 0 when there is none yet.
func (st *EventStream) cut() int {
	for end := len(st.buf); end > 0; {
		i := bytes.LastIndexByte(st.buf[:end], '\n')
		if i < 0 {
			return 0
		}
		if i+1 < len(st.buf) && (st.buf[i+1] == '{' || st.buf[i+1] == '[') {
			return i + 1
		}
		end = i
	}
	return 0
}

// decodeChunk decodes a chunk that starts on line line. opening says it
// is the first of several, where a JSON array's opening bracket may be.
func decodeChunk(chunk []byte, line int, opening bool) decoded {
	if opening {
		// A JSON array whose records are on lines of their own: its
		// opening bracket is dropped so each chunk holds whole records
		// (the closing one, and the commas, are skipped as left over).
		p := skipWS(chunk, 0, len(chunk))
		if bytes.HasPrefix(chunk[p:], []byte("\xEF\xBB\xBF")) {
			p = skipWS(chunk, p+3, len(chunk))
		}
		if p < len(chunk) && chunk[p] == '[' {
			if _, whole := scanValue(chunk, p, len(chunk)); !whole {
				chunk[p] = ' '
			}
		}
	}
	d := newFileDecoder(chunk)
	d.run()
	if len(d.skipped) > 1 {
		// Damaged lists are reported after their records were read.
		slices.SortStableFunc(d.skipped, func(a, b RecordError) int { return a.Line - b.Line })
	}
	for i := range d.skipped {
		if d.skipped[i].Line > 0 {
			d.skipped[i].Line += line - 1
		}
	}
	return decoded{chunk: chunk, line: line, starts: d.starts, events: d.events, skipped: d.skipped}
}

// utf16Reader turns UTF-16 that starts with a byte-order mark (what
// PowerShell's > writes) into UTF-8 as it is read; anything else passes as
// it is.
type utf16Reader struct {
	r       io.Reader
	sniffed bool
	order   binary.ByteOrder
	raw     []byte // UTF-16 read, not yet converted (an odd byte, a lone high surrogate)
	out     []byte // converted, not yet returned
	err     error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	if !u.sniffed {
		var bom [2]byte
		n, err := io.ReadFull(u.r, bom[:])
		u.sniffed = true
		switch {
		case n == 2 && bom == [2]byte{0xFF, 0xFE}:
			u.order = binary.LittleEndian
		case n == 2 && bom == [2]byte{0xFE, 0xFF}:
			u.order = binary.BigEndian
		default:
			u.out = append(u.out, bom[:n]...)
			if err != nil && err != io.ErrUnexpectedEOF {
				u.err = err
			} else if err != nil {
				u.err = io.EOF
			}
		}
	}
	if u.order == nil {
		if len(u.out) > 0 {
			n := copy(p, u.out)
			u.out = u.out[n:]
			return n, nil
		}
		if u.err != nil {
			return 0, u.err
		}
		return u.r.Read(p)
	}
	for len(u.out) == 0 && u.err == nil {
		buf := make([]byte, max(len(p), 2))
		n, err := u.r.Read(buf)
		u.raw = append(u.raw, buf[:n]...)
		u.err = err
		even := len(u.raw) &^ 1
		units := make([]uint16, even/2)
		for i := range units {
			units[i] = u.order.Uint16(u.raw[2*i:])
		}
		keep := 0
		if k := len(units); err == nil && k > 0 && utf16.IsSurrogate(rune(units[k-1])) && units[k-1] < 0xDC00 {
			keep = 1 // a high surrogate whose pair is in the next read
		}
		u.out = append(u.out, string(utf16.Decode(units[:len(units)-keep]))...)
		u.raw = append([]byte(nil), u.raw[even-2*keep:]...)
	}
	if len(u.out) == 0 {
		return 0, u.err
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// DecodePage decodes one list response from the audit-log endpoint. A body
// that is not a valid list object is an error (the page should be fetched
// again); a bad record inside is reported in Page.Skipped with its index and
// the rest of the page is kept. Number is left for the caller. The events
// alias body, which must not be modified afterwards.
func DecodePage(body []byte) (Page, error) {
	s, e := trimSpan(body, 0, len(body))
	switch {
	case s == e:
		return Page{}, errors.New("the response body is empty")
	case body[s] != '{':
		return Page{}, errors.New("the response body is not a JSON object")
	case tooDeep(body[s:e]):
		return Page{}, fmt.Errorf("the response body nests deeper than %d levels", maxDepth)
	case !validJSON(body[s:e]):
		_, msg := syntaxProblem(body[s:e])
		return Page{}, fmt.Errorf("the response body is not valid JSON: %s", msg)
	}
	var p Page
	var err error
	haveData := false
	// The body is valid JSON, so walking it cannot fail.
	_ = walkObject(body, s, e, func(key []byte, vs, ve int) {
		if err != nil {
			return
		}
		v := body[vs:ve]
		switch string(key) {
		case "object":
			if o := gjson.ParseBytes(v); o.Type != gjson.String || o.Str != "list" {
				err = fmt.Errorf(`the response is not a list ("object" is %s)`, clip(v))
			}
		case "data":
			if v[0] != '[' {
				err = errors.New(`the response's "data" is not a list`)
				return
			}
			haveData = true
			_ = walkArray(body, vs, ve, func(i, rs, re int) {
				ev, rerr := decodeElement(body, rs, re, true)
				if rerr != nil {
					p.Skipped = append(p.Skipped, RecordError{Index: i, Reason: rerr.Error()})
					return
				}
				p.Events = append(p.Events, ev)
			})
		case "first_id":
			p.FirstID, err = cursorField("first_id", v)
		case "last_id":
			p.LastID, err = cursorField("last_id", v)
		case "has_more":
			switch string(v) {
			case "true":
				p.HasMore = true
			case "false":
			default:
				err = fmt.Errorf(`the response's "has_more" is %s, not true or false`, clip(v))
			}
		}
	})
	if err != nil {
		return Page{}, err
	}
	if !haveData {
		if msg := apiErrorMessage(body[s:e]); msg != "" {
			return Page{}, fmt.Errorf("the response is an error, not a list: %s", msg)
		}
		return Page{}, errors.New(`the response has no "data" list`)
	}
	return p, nil
}

// cursorField reads first_id or last_id: a string, or null on an empty page.
func cursorField(name string, v []byte) (string, error) {
	r := gjson.ParseBytes(v)
	switch r.Type {
	case gjson.String:
		return r.Str, nil
	case gjson.Null:
		return "", nil
	}
	return "", fmt.Errorf("the response's %q is %s, not a string", name, clip(v))
}

// apiErrorMessage returns the message of an API error envelope, or "".
func apiErrorMessage(v []byte) string {
	if m := gjson.GetBytes(v, "error.message"); m.Type == gjson.String && m.Str != "" {
		return m.Str
	}
	return ""
}

// clip quotes a short excerpt of v for an error message.
func clip(v []byte) string {
	if head, cut := sanitize.Cut(string(v), 40); cut {
		return head + "..."
	}
	return string(v)
}

// fileDecoder turns a whole file into events and skipped records.
type fileDecoder struct {
	b       []byte
	events  []Event
	starts  []int // the offset of each event's record
	skipped []RecordError
	// lineOff and lineNo remember the last line computed, so counting lines
	// for a run of errors stays linear.
	lineOff, lineNo int
	// badSpans collects the records skipped while a damaged list is read,
	// to tell whether the damage was inside one of them.
	badSpans [][2]int
}

func newFileDecoder(b []byte) *fileDecoder {
	return &fileDecoder{b: b, lineNo: 1}
}

// run reads values one after another. JSONL is read line by line, so a bad
// line never affects the next; a value that spans lines (pretty-printed
// output) is read whole. After damage, reading resumes at the next line that
// starts a top-level value in its first column.
func (d *fileDecoder) run() {
	b := d.b
	p := 0
	if bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		p = 3
	}
	p = skipWS(b, p, len(b))
	if p == len(b) {
		return
	}
	// Only when the first value spans lines may a value run on to the end
	// of the input; in JSONL a cut-short line must not swallow the rest.
	lineNext := nextLine(b, p)
	_, firstComplete := scanValue(b, p, lineNext)
	spanning := !firstComplete
	if firstComplete {
		d.events = make([]Event, 0, bytes.Count(b[p:], []byte{'\n'})+1)
	}
	for ; p < len(b); p = skipWS(b, p, len(b)) {
		lineNext = nextLine(b, p)
		switch b[p] {
		case '{', '[':
		case ',', ']', '}':
			p++ // left over from a damaged list; no record is lost here
			continue
		default:
			stop := resync(b, p+1)
			d.skip(p, -1, "expected a JSON object or array, found "+clip(firstLine(b[p:stop])))
			p = stop
			continue
		}
		// Fast path: the rest of the line is one valid value (JSONL).
		_, e := trimSpan(b, p, lineNext)
		if validJSON(b[p:e]) {
			d.valid(p, e, -1)
			p = e
			continue
		}
		q, ok := scanValue(b, p, e)
		if !ok {
			limit := len(b)
			if !spanning {
				limit = resync(b, p+1)
			}
			q, ok = scanValue(b, p, limit)
		}
		if !ok {
			stop := resync(b, p+1)
			switch {
			case stop > lineNext:
				d.damaged(p, stop)
			case b[p] == '[':
				d.skip(p, -1, "list is cut short or malformed")
			default:
				d.skip(p, -1, "record is cut short or malformed")
			}
			spanning = false
			p = stop
			continue
		}
		if validJSON(b[p:q]) {
			d.valid(p, q, -1)
		} else {
			d.damaged(p, q)
		}
		p = q
	}
}

// nextLine returns the offset after the newline ending the line at p, or
// len(b).
func nextLine(b []byte, p int) int {
	if i := bytes.IndexByte(b[p:], '\n'); i >= 0 {
		return p + i + 1
	}
	return len(b)
}

// valid handles one value known to be valid JSON; index is its position in
// an enclosing list, or -1.
func (d *fileDecoder) valid(s, e, index int) {
	switch d.b[s] {
	case '[':
		d.list(s, e, true)
	case '{':
		if isListResponse(d.b, s, e) {
			d.listResponse(s, e, true)
			return
		}
		ev, err := decodeValid(d.b[s:e:e])
		if err == nil {
			d.events, d.starts = append(d.events, ev), append(d.starts, s)
			return
		}
		if gjson.GetBytes(d.b[s:e], "data").IsArray() {
			d.listResponse(s, e, true)
			return
		}
		if msg := apiErrorMessage(d.b[s:e]); msg != "" {
			d.skip(s, index, "the API answered with an error instead of events: "+msg)
			return
		}
		d.skip(s, index, err.Error())
	default:
		d.skip(s, index, "record is not a JSON object")
	}
}

// list reads a JSON array whose elements are records or list responses.
func (d *fileDecoder) list(s, e int, trusted bool) {
	d.walkError(e, walkArray(d.b, s, e, func(i, vs, ve int) {
		d.element(vs, ve, i, trusted)
	}))
}

// listResponse reads the records in the "data" list of a list response.
func (d *fileDecoder) listResponse(s, e int, trusted bool) {
	found, dataDamaged := false, false
	werr := walkObject(d.b, s, e, func(key []byte, vs, ve int) {
		if string(key) != "data" {
			return
		}
		found = true
		if d.b[vs] != '[' {
			d.skip(vs, -1, `list response's "data" is not a list`)
			return
		}
		aerr := walkArray(d.b, vs, ve, func(i, rs, re int) {
			d.record(rs, re, i, trusted)
		})
		dataDamaged = aerr != nil
		d.walkError(e, aerr)
	})
	switch {
	case werr != nil && !dataDamaged:
		d.walkError(e, werr)
	case !found && werr == nil:
		d.skip(s, -1, `list response has no "data" list`)
	}
}

// walkError reports where a damaged list or object stopped being readable.
func (d *fileDecoder) walkError(end int, werr *walkError) {
	if werr == nil {
		return
	}
	d.badSpans = append(d.badSpans, [2]int{werr.at, end})
	d.skip(werr.at, werr.index, werr.reason)
}

// element is one member of a top-level array: a record or a list response.
func (d *fileDecoder) element(s, e, index int, trusted bool) {
	if d.b[s] == '{' && isListResponse(d.b, s, e) {
		if trusted || validJSON(d.b[s:e]) {
			d.listResponse(s, e, true)
		} else {
			d.damaged(s, e)
		}
		return
	}
	d.record(s, e, index, trusted)
}

func (d *fileDecoder) record(s, e, index int, trusted bool) {
	ev, err := decodeElement(d.b, s, e, trusted)
	if err != nil {
		if !trusted {
			d.badSpans = append(d.badSpans, [2]int{s, e})
		}
		if !trusted && d.b[s] == '{' && !validJSON(d.b[s:e]) {
			d.invalidRecord(s, e, index)
			return
		}
		d.skip(s, index, err.Error())
		return
	}
	d.events, d.starts = append(d.events, ev), append(d.starts, s)
}

// decodeElement decodes a record inside a list; trusted means the enclosing
// document was validated already.
func decodeElement(b []byte, s, e int, trusted bool) (Event, error) {
	if b[s] != '{' {
		return Event{}, errors.New("record is not a JSON object")
	}
	if trusted {
		return decodeValid(b[s:e:e])
	}
	return DecodeEvent(b[s:e:e])
}

// damaged handles a value that is not valid JSON: a list is read record by
// record as far as its structure allows; a record is skipped.
func (d *fileDecoder) damaged(s, e int) {
	v := d.b[s:e]
	what := "list"
	switch {
	case v[0] == '[':
		d.list(s, e, false)
	case isListResponse(d.b, s, e):
		what = "list response"
		d.listResponse(s, e, false)
	default:
		d.invalidRecord(s, e, -1)
		return
	}
	off, msg := syntaxProblem(v)
	for _, sp := range d.badSpans {
		if sp[0] <= s+off && s+off <= sp[1] {
			return // the damage is inside a record already reported
		}
	}
	d.skip(s+off, -1, what+" is not valid JSON: "+msg+"; the records around the damage were still read")
}

// invalidRecord skips a record that is not valid JSON, saying where the
// damage is when it is not on the record's first line.
func (d *fileDecoder) invalidRecord(s, e, index int) {
	off, msg := syntaxProblem(d.b[s:e])
	start, at := d.lineAt(s), d.lineAt(s+off)
	if at != start {
		msg = fmt.Sprintf("line %d: %s", at, msg)
	}
	d.skipped = append(d.skipped, RecordError{Line: start, Index: index, Reason: "record is not valid JSON (" + msg + ")"})
}

func (d *fileDecoder) skip(off, index int, reason string) {
	d.skipped = append(d.skipped, RecordError{Line: d.lineAt(off), Index: index, Reason: reason})
}

// lineAt returns the 1-based line of offset off.
func (d *fileDecoder) lineAt(off int) int {
	off = min(max(off, 0), len(d.b))
	if off < d.lineOff {
		d.lineOff, d.lineNo = 0, 1
	}
	d.lineNo += bytes.Count(d.b[d.lineOff:off], []byte{'\n'})
	d.lineOff = off
	return d.lineNo
}

// syntaxProblem says where and why v is not valid JSON: the offset within v
// of the offending byte and a reason for people.
func syntaxProblem(v []byte) (int, string) {
	var raw json.RawMessage
	err := json.Unmarshal(v, &raw)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return 0, "not valid JSON"
	}
	off := max(int(se.Offset)-1, 0)
	if strings.Contains(se.Error(), "unexpected end of JSON input") {
		return len(v), "it is cut short"
	}
	return off, se.Error()
}

// isListResponse reports whether the object at b[s:e] is a list response,
// judging by its first key (a record starts with none of these).
func isListResponse(b []byte, s, e int) bool {
	p := skipWS(b, s+1, e)
	if p >= e || b[p] != '"' {
		return false
	}
	q, ok := scanString(b, p, e)
	if !ok {
		return false
	}
	switch string(b[p+1 : q-1]) {
	case "data", "first_id", "last_id", "has_more":
		return true
	case "object":
		v := skipWS(b, q, e)
		if v < e && b[v] == ':' {
			v = skipWS(b, v+1, e)
			return bytes.HasPrefix(b[v:e], []byte(`"list"`))
		}
	}
	return false
}

// resync returns the start of the next line at or after off that begins, in
// its first column, with "{" or "[": where a new top-level value of
// pretty-printed output starts. len(b) if there is none.
func resync(b []byte, off int) int {
	for off < len(b) {
		nl := bytes.IndexByte(b[off:], '\n')
		if nl < 0 {
			return len(b)
		}
		off += nl + 1
		if off < len(b) && (b[off] == '{' || b[off] == '[') {
			return off
		}
	}
	return len(b)
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimSpace(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(b []byte, p, end int) int {
	for p < end && isSpace(b[p]) {
		p++
	}
	return p
}

// trimSpan narrows b[s:e] to exclude JSON white space at both ends.
func trimSpan(b []byte, s, e int) (int, int) {
	s = skipWS(b, s, e)
	for e > s && isSpace(b[e-1]) {
		e--
	}
	return s, e
}

// scanString returns the offset after the string starting at b[p] ('"').
func scanString(b []byte, p, end int) (int, bool) {
	j := p + 1
	for j < end {
		k := bytes.IndexByte(b[j:end], '"')
		if k < 0 {
			return end, false
		}
		q := j + k
		escapes := 0
		for r := q - 1; r > p && b[r] == '\\'; r-- {
			escapes++
		}
		if escapes%2 == 0 {
			return q + 1, true
		}
		j = q + 1
	}
	return end, false
}

// scanValue returns the offset after the JSON value starting at b[p],
// matching brackets and skipping strings but not validating anything else.
// ok is false when the value is cut short or its brackets do not match.
func scanValue(b []byte, p, end int) (int, bool) {
	switch b[p] {
	case '"':
		return scanString(b, p, end)
	case '{', '[':
	default:
		q := p
		for q < end && !isSpace(b[q]) && !strings.ContainsRune(",:{}[]\"", rune(b[q])) {
			q++
		}
		return q, q > p
	}
	var buf [64]byte
	stack := buf[:0]
	for j := p; j < end; j++ {
		switch c := b[j]; c {
		case '"':
			q, ok := scanString(b, j, end)
			if !ok {
				return end, false
			}
			j = q - 1
		case '{', '[':
			stack = append(stack, c)
		case '}', ']':
			open := byte('{')
			if c == ']' {
				open = '['
			}
			if stack[len(stack)-1] != open {
				return j, false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return j + 1, true
			}
		}
	}
	return end, false
}

// walkError is where a list or object stopped making sense.
type walkError struct {
	at     int
	index  int // of the element that could not be read, or -1
	reason string
}

// walkArray calls fn with the span of each element of the array at b[s]. It
// tolerates a trailing comma and stops at the first structural damage.
func walkArray(b []byte, s, end int, fn func(i, vs, ve int)) *walkError {
	p := skipWS(b, s+1, end)
	for i := 0; ; i++ {
		if p >= end {
			return &walkError{at: end, index: -1, reason: "list is cut short"}
		}
		if b[p] == ']' {
			return nil
		}
		q, ok := scanValue(b, p, end)
		if !ok {
			return &walkError{at: p, index: i, reason: "record is cut short or malformed"}
		}
		fn(i, p, q)
		var done bool
		var werr *walkError
		if p, done, werr = afterValue(b, q, end, ']'); done || werr != nil {
			return werr
		}
	}
}

// walkObject calls fn with each key (raw, unescaped bytes) and the span of
// its value in the object at b[s]. It tolerates a trailing comma and stops at
// the first structural damage.
func walkObject(b []byte, s, end int, fn func(key []byte, vs, ve int)) *walkError {
	p := skipWS(b, s+1, end)
	for {
		if p >= end {
			return &walkError{at: end, index: -1, reason: "object is cut short"}
		}
		if b[p] == '}' {
			return nil
		}
		if b[p] != '"' {
			return &walkError{at: p, index: -1, reason: fmt.Sprintf("expected a key, found %s", clip(firstLine(b[p:end])))}
		}
		kq, ok := scanString(b, p, end)
		if !ok {
			return &walkError{at: p, index: -1, reason: "object is cut short"}
		}
		key := b[p+1 : kq-1]
		p = skipWS(b, kq, end)
		if p >= end || b[p] != ':' {
			return &walkError{at: p, index: -1, reason: "expected : after a key"}
		}
		p = skipWS(b, p+1, end)
		if p >= end {
			return &walkError{at: end, index: -1, reason: "object is cut short"}
		}
		q, ok := scanValue(b, p, end)
		if !ok {
			if b[p] == '[' || b[p] == '{' {
				fn(key, p, end) // let the caller salvage what the value holds
			}
			return &walkError{at: p, index: -1, reason: "value is cut short or malformed"}
		}
		fn(key, p, q)
		var done bool
		var werr *walkError
		if p, done, werr = afterValue(b, q, end, '}'); done || werr != nil {
			return werr
		}
	}
}

// afterValue reads past the comma after a list's or an object's value
// ending at b[q], or says the closer ends it there (done).
func afterValue(b []byte, q, end int, closer byte) (next int, done bool, err *walkError) {
	p := skipWS(b, q, end)
	what, a := "list", "a list"
	if closer == '}' {
		what, a = "object", "an object"
	}
	switch {
	case p >= end:
		return end, false, &walkError{at: end, index: -1, reason: what + " is cut short"}
	case b[p] == ',':
		return skipWS(b, p+1, end), false, nil
	case b[p] == closer:
		return p, true, nil
	}
	return p, false, &walkError{at: p, index: -1, reason: fmt.Sprintf("expected , or %c in %s, found %s", closer, a, clip(firstLine(b[p:end])))}
}

// maxDepth bounds JSON nesting, as encoding/json does: gjson validates
// recursively, and input nested millions deep would overflow the stack,
// which is a fatal error rather than a panic.
const maxDepth = 10000

// validJSON is gjson.ValidBytes that refuses input nested too deeply.
func validJSON(v []byte) bool {
	return !tooDeep(v) && gjson.ValidBytes(v)
}

// tooDeep reports whether v nests deeper than maxDepth. Values too short to
// nest that deep, such as every ordinary record, are not scanned.
func tooDeep(v []byte) bool {
	if len(v) <= 2*maxDepth {
		return false
	}
	depth := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			q, ok := scanString(v, i, len(v))
			if !ok {
				return false
			}
			i = q - 1
		case '{', '[':
			if depth++; depth > maxDepth {
				return true
			}
		case '}', ']':
			depth--
		}
	}
	return false
}
