package history

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
)

// Worded keeps, for search, the summaries of a Set's events that say "from
// X to Y" (Summary over the state before, folded from every event on the
// object) where that differs from model.Summary, which the Set indexes: so
// that a search finds the words the list shows. An object is folded again
// only when more of its events were loaded. It is safe for concurrent use.
type Worded struct {
	mu      sync.Mutex
	set     *model.Set
	index   Index
	objects map[string]*wordedObject
	all     []WordedText // every object's, by index; nil when to be merged again
}

// WordedText is the summary of the set's event At, lower-cased.
type WordedText struct {
	At   int32
	Text string
}

type wordedObject struct {
	n     int // events on the object when worded
	texts []WordedText
}

// Texts returns the worded summaries of the events of set, ascending by
// index; shared, read-only.
func (w *Worded) Texts(set *model.Set) []WordedText {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.set != set {
		w.set, w.index, w.objects, w.all = set, Index{}, map[string]*wordedObject{}, nil
	}
	touched := map[string]bool{}
	w.index.update(set, func(e *model.Event, ids []string) {
		for k, id := range ids {
			if k == 0 && model.ReadsBefore(e.Type) || w.objects[id] != nil {
				touched[id] = true
			}
		}
	})
	for id := range touched {
		if w.changed(id) {
			w.objects[id] = w.word(set, id)
			w.all = nil
		}
	}
	if w.all == nil {
		w.all = []WordedText{}
		for _, o := range w.objects {
			w.all = append(w.all, o.texts...)
		}
		slices.SortFunc(w.all, func(a, b WordedText) int { return int(a.At - b.At) })
	}
	return w.all
}

// changed reports whether more events on id were indexed than last worded.
func (w *Worded) changed(id string) bool {
	o := w.objects[id]
	return o == nil || o.n != len(w.index.Of(id))
}

// word folds every indexed event on id and keeps the summaries of those
// worded by it that differ from model.Summary.
func (w *Worded) word(set *model.Set, id string) *wordedObject {
	at := w.index.Of(id)
	events := w.index.Events(set, id)
	where := make(map[*model.Event]int32, len(events))
	for i := range events {
		where[&events[i]] = at[i]
	}
	o := &wordedObject{n: len(at)}
	h := Build(id, events, time.Time{})
	for i := range h.Steps {
		s := &h.Steps[i]
		if !model.ReadsBefore(s.Event.Type) || firstObject(s.Event) != id || i == 0 || s.Kind == Created || h.Steps[i-1].Life != s.Life {
			continue
		}
		text := Summary(s.Event, h.Steps[i-1].State)
		if text != model.Summary(s.Event) {
			o.texts = append(o.texts, WordedText{At: where[s.Event], Text: strings.ToLower(text)})
		}
	}
	return o
}

// firstObject is the object whose state words e's summary: its first.
func firstObject(e *model.Event) string {
	if ids := Objects(e); len(ids) > 0 {
		return ids[0]
	}
	return ""
}
