package history

import "github.com/auditui/auditui/model"

// Index numbers, for each object, the events on it in a model.Set, so that
// one object's history is read without a scan of the set. Update reads only
// the events appended since the last: keeping it current costs a page per
// page. It is not safe for concurrent use.
type Index struct {
	n  int
	on map[string][]int32
}

// Update indexes the events appended to set since the last Update.
func (x *Index) Update(set *model.Set) { x.update(set, nil) }

// update is Update calling visit, when not nil, with each event indexed
// and its objects.
func (x *Index) update(set *model.Set, visit func(e *model.Event, ids []string)) {
	if x.on == nil {
		x.on = map[string][]int32{}
	}
	for n := set.Len(); x.n < n; x.n++ {
		e := set.At(x.n)
		ids := Objects(e)
		for _, id := range ids {
			x.on[id] = append(x.on[id], int32(x.n))
		}
		if visit != nil {
			visit(e, ids)
		}
	}
}

// Len is how many events of the set are indexed.
func (x *Index) Len() int { return x.n }

// Of is the set's indices of the events on the object id, in the set's
// order; shared, read-only.
func (x *Index) Of(id string) []int32 { return x.on[id] }

// Events copies the events on the object id out of set, in the set's order.
func (x *Index) Events(set *model.Set, id string) []model.Event {
	at := x.on[id]
	out := make([]model.Event, len(at))
	for i, ev := range at {
		out[i] = *set.At(int(ev))
	}
	return out
}
