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
	"sync"
)

// KeptFileSource is the browser's Source over a saved file: one pass reads
// the file as a stream (a regular file's events leaving their records in
// it) and keeps the events, so the first rows come at once, and queries
// after the pass are answered from what it kept, as a MemorySource. A
// query that arrives during the pass answers from the kept prefix and
// follows the pass to its end: in-order events are passed on, and from the
// chunk with the first event newer than the one before, the rest is held
// and sorted, as with FileSource.
type KeptFileSource struct {
	name   string
	r      io.Reader
	start  sync.Once
	stop   context.CancelFunc
	mu     sync.Mutex
	grew   chan struct{} // closed and replaced when the pass adds or ends
	kept   [][]Event     // the chunks read, in file order: never copied into one
	skips  []RecordError
	done   bool
	err    error
	sorted *MemorySource // made from kept when first asked for after the pass
}

var _ Source = (*KeptFileSource)(nil)

// NewKeptFileSource returns a Source over r (any shape ReadEvents knows),
// named name in messages. A regular *os.File must stay open while the
// events are used; Close ends a pass under way.
func NewKeptFileSource(name string, r io.Reader) *KeptFileSource {
	return &KeptFileSource{name: name, r: r, grew: make(chan struct{})}
}

// Name is the file's name.
func (k *KeptFileSource) Name() string { return k.name }

// Close stops the pass if it is still reading.
func (k *KeptFileSource) Close() {
	k.start.Do(func() {}) // a pass not begun never begins
	if k.stop != nil {
		k.stop()
	}
}

// Skipped is the records the pass could not read so far, in file order.
func (k *KeptFileSource) Skipped() []RecordError {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.skips)
}

// read is the pass: the file's events kept chunk by chunk.
func (k *KeptFileSource) read(ctx context.Context) {
	var st *EventStream
	if f, ok := k.r.(*os.File); ok {
		st = newFileStream(ctx, f, k.name)
	} else {
		st = NewEventStream(ctx, k.r) // a pipe or UTF-16: the records are held
	}
	defer st.Close()
	for {
		events, skipped, err := st.Next()
		k.mu.Lock()
		if len(events) > 0 {
			k.kept = append(k.kept, events)
		}
		k.skips = append(k.skips, skipped...)
		if err != nil {
			k.done = true
			if err != io.EOF {
				k.err = fmt.Errorf("cannot read %s: %w", k.name, err)
			}
		}
		close(k.grew)
		k.grew = make(chan struct{})
		k.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// Pages yields the events matching q.Filter newest first, at most
// q.PageSize (100 when 0) a page. During the pass it follows the file
// (After is then refused); after it, it pages what was kept.
func (k *KeptFileSource) Pages(ctx context.Context, q Query) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		began := false
		k.start.Do(func() {
			began = true
			pass, stop := context.WithCancel(context.Background())
			k.stop = stop
			go k.read(pass)
		})
		if k.stop == nil {
			yield(Page{}, errors.New(k.name+" is closed"))
			return
		}
		// The call that began the pass follows it even when it has already
		// ended, so its pages carry the skipped records, whatever the timing.
		if sorted := k.memory(); sorted != nil && !began {
			for p, err := range sorted.Pages(ctx, q) {
				if !yield(p, err) {
					return
				}
			}
			return
		}
		if q.After != "" {
			yield(Page{}, errors.New(k.name+" is still being read: ask again from its start"))
			return
		}
		k.follow(ctx, q, yield)
	}
}

// memory is what the pass kept, as a MemorySource, once the pass has read
// the file to its end; nil before.
func (k *KeptFileSource) memory() *MemorySource {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.done || k.err != nil {
		return nil
	}
	if k.sorted == nil {
		flat := slices.Concat(k.kept...)
		for i, off := 0, 0; i < len(k.kept); i++ { // the chunks become views of it
			n := len(k.kept[i])
			k.kept[i], off = flat[off:off+n:off+n], off+n
		}
		k.sorted = NewMemorySource(k.name, flat)
	}
	return k.sorted
}

// follow pages the pass as it keeps events, from the file's start.
func (k *KeptFileSource) follow(ctx context.Context, q Query, yield func(Page, error) bool) {
	size := cmp.Or(q.PageSize, DefaultPageSize)
	if size < 1 || size > DefaultPageSize {
		yield(Page{}, fmt.Errorf("page size %d is out of range: use 1 to %d", q.PageSize, DefaultPageSize))
		return
	}
	zero := q.Filter.IsZero()
	pg := pager{size: size, yield: yield}
	at, skipAt := 0, 0 // chunks and skips seen
	var held []Event
	unordered := false
	var prev *Event
	// take is what of a chunk is passed on now; the rest it holds.
	take := func(events []Event) []Event {
		out := events[:0:0]
		for i := range events {
			e := &events[i]
			if !unordered && prev != nil && e.EffectiveAt.After(prev.EffectiveAt) {
				unordered = true
			}
			prev = e
			if !zero && q.Filter.Match(e) {
				out = append(out, *e)
			}
		}
		if zero {
			out = events // what is kept, not a copy: pages are only read
		}
		if unordered {
			// The chunk the disorder is found in is held whole, so a file
			// out of order from its start comes out sorted, all of it.
			held, out = append(held, out...), nil
		}
		return out
	}
	for {
		k.mu.Lock()
		chunks, skipped, done, err, grew := slices.Clone(k.kept[at:]), k.skips[skipAt:], k.done, k.err, k.grew
		k.mu.Unlock()
		at, skipAt = at+len(chunks), skipAt+len(skipped)
		if len(skipped) > 0 && !pg.send(nil, skipped, true) {
			return
		}
		for _, events := range chunks {
			if !pg.send(take(events), nil, true) {
				return
			}
		}
		if done {
			if err != nil {
				yield(Page{}, err)
				return
			}
			break
		}
		select {
		case <-grew:
		case <-ctx.Done():
			yield(Page{}, ctx.Err())
			return
		}
	}
	slices.SortStableFunc(held, func(a, b Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	if len(held) > 0 {
		pg.send(held, nil, false)
		return
	}
	yield(Page{Number: pg.number + 1}, nil) // none follows
}
