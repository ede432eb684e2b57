package model

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
)

// FileSource is a Source over a saved file that is read as it is paged, so
// the first events come at once and memory holds a chunk, not the file. A
// file is newest first when saved from the API or by export, and its events
// are passed on in file order; from the first event newer than the one
// before, the rest is held and sorted, and Unordered is called with its line
// first. It can be paged once.
type FileSource struct {
	name string
	r    io.Reader
	used bool
	// Unordered, when set, hears the line of the first event out of
	// newest-first order, and whether anything had been passed on before it.
	Unordered func(line int, passedOn bool)
	// InFile, when set and r is a regular *os.File, has the events leave
	// their records in it, as ReadFileEvents does: for a browser that keeps
	// them all, not for an export that writes each once. r must then stay
	// open while the events are used.
	InFile bool
}

var _ Source = (*FileSource)(nil)

// NewFileSource returns a Source reading events from r (any shape
// ReadEvents knows), named name in messages.
func NewFileSource(name string, r io.Reader) *FileSource {
	return &FileSource{name: name, r: r}
}

// Name is the file's name.
func (f *FileSource) Name() string { return f.name }

// Pages yields the events matching q.Filter, at most q.PageSize (100 when
// 0) a page and at least one page per chunk read, with the records skipped
// in it. After is not supported: a file is read once.
func (f *FileSource) Pages(ctx context.Context, q Query) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		size := cmp.Or(q.PageSize, DefaultPageSize)
		switch {
		case size < 1 || size > DefaultPageSize:
			yield(Page{}, fmt.Errorf("page size %d is out of range: use 1 to %d", q.PageSize, DefaultPageSize))
			return
		case q.After != "" || f.used:
			yield(Page{}, errors.New(f.name+" is read once, from its start"))
			return
		}
		f.used = true
		var st *EventStream
		if of, ok := f.r.(*os.File); ok && f.InFile {
			st = newFileStream(ctx, of, f.name)
		} else {
			st = NewEventStream(ctx, f.r)
		}
		defer st.Close()
		zero := q.Filter.IsZero()
		pg := pager{size: size, yield: yield}
		var held []Event // from the first chunk out of order on
		unordered := false
		var prev *Event
		for {
			events, skipped, err := st.Next()
			if err != nil && err != io.EOF {
				yield(Page{}, fmt.Errorf("cannot read %s: %w", f.name, err))
				return
			}
			eof := err == io.EOF
			var out []Event
			for i := range events {
				e := &events[i]
				if !unordered && prev != nil && e.EffectiveAt.After(prev.EffectiveAt) {
					unordered = true
					if f.Unordered != nil {
						f.Unordered(st.Line(i), pg.passed > 0)
					}
				}
				prev = e
				if zero || q.Filter.Match(e) {
					out = append(out, *e)
				}
			}
			if unordered {
				// The chunk the disorder is found in is held whole, so a file
				// out of order from its start is written sorted, all of it.
				held = append(held, out...)
				out = nil
			}
			if !pg.send(out, skipped, !eof) {
				return
			}
			if eof {
				break
			}
		}
		if !unordered {
			if pg.number == 0 {
				yield(Page{Number: 1}, nil)
			}
			return
		}
		slices.SortStableFunc(held, func(a, b Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
		pg.send(held, nil, false)
		if pg.number == 0 {
			yield(Page{Number: 1}, nil)
		}
	}
}

// pager cuts the events a file source passes on into numbered pages.
type pager struct {
	size           int // events a page at most
	number, passed int // pages and events yielded so far
	yield          func(Page, error) bool
}

// send yields events, at most size a page, the first page with skipped;
// more says whether events follow them. False means the consumer stopped.
func (pg *pager) send(events []Event, skipped []RecordError, more bool) bool {
	for len(events) > 0 || len(skipped) > 0 {
		n := min(len(events), pg.size)
		pg.number++
		p := Page{Events: events[:n:n], Number: pg.number, Skipped: skipped, HasMore: more || n < len(events)}
		if n > 0 {
			p.FirstID, p.LastID = p.Events[0].ID, p.Events[n-1].ID
		}
		pg.passed += n
		if !pg.yield(p, nil) {
			return false
		}
		events, skipped = events[n:], nil
	}
	return true
}
