package query

import (
	"strings"

	"github.com/auditui/auditui/model"
)

// Seen is the values of the actor, project, ip and country keys in a
// Set's events, each once in the order first met: what tab offers after
// those keys, and what tells a person that actor:alice matches none of
// them. Update reads only the events appended since the last call.
type Seen struct {
	n      int
	values map[Key][]string
	has    map[Key]map[string]bool
}

// Update takes in the events of s appended since the last Update; s must
// be the same Set every time.
func (sn *Seen) Update(s *model.Set) {
	if sn.has == nil {
		sn.values, sn.has = map[Key][]string{}, map[Key]map[string]bool{}
	}
	for ; sn.n < s.Len(); sn.n++ {
		e := s.At(sn.n)
		sn.add(KeyActor, e.Actor.Email())
		for _, id := range e.Actor.IDs() {
			sn.add(KeyActor, id)
		}
		sn.add(KeyProject, e.Project.ID)
		sn.add(KeyProject, e.Project.Name)
		sn.add(KeyIP, e.Actor.IP())
		sn.add(KeyCountry, e.Actor.Country())
	}
}

func (sn *Seen) add(k Key, v string) {
	if v == "" || sn.has[k][v] {
		return
	}
	if sn.has[k] == nil {
		sn.has[k] = map[string]bool{}
	}
	sn.has[k][v] = true
	sn.values[k] = append(sn.values[k], v)
}

// Values is what key k took in the events, in the order first met; nil
// for keys Seen does not keep.
func (sn *Seen) Values(k Key) []string { return sn.values[k] }

// NoActor is the first actor: value in q that no event seen has as its
// email or id, as the API compares them (exactly), with up to n of the
// seen actors that contain it, ignoring case; "" when each matches some.
func (sn *Seen) NoActor(q Query, n int) (string, []string) {
	for _, t := range q.Terms() {
		if t.Key != KeyActor || sn.has[KeyActor][t.Value] {
			continue
		}
		var near []string
		lower := strings.ToLower(t.Value)
		for _, v := range sn.values[KeyActor] {
			if len(near) < n && strings.Contains(strings.ToLower(v), lower) {
				near = append(near, v)
			}
		}
		return t.Value, near
	}
	return "", nil
}
