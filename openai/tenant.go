package openai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"iter"
	"strings"

	"github.com/auditui/auditui/model"
)

// The API keeps tenant-scoped events apart: it lists them only with
// tenant_only=true, which then accepts no other type. A query whose types
// span both sides is asked as two listings, merged here newest first.

// sides splits f into the listings the API can answer: one, or one per side
// when f's types are both tenant-scoped and not. Under tenant_only the other
// types can match nothing and are not sent; when none is left, there is
// nothing to list.
func sides(f model.Filter) []model.Filter {
	if len(f.Types) == 0 {
		return []model.Filter{f}
	}
	var org, tenant []string
	for _, t := range f.Types {
		if model.IsTenantType(t) {
			tenant = append(tenant, t)
		} else {
			org = append(org, t)
		}
	}
	t, o := f, f
	t.Types, t.TenantOnly = tenant, true
	o.Types = org
	switch {
	case f.TenantOnly && len(tenant) == 0:
		return nil
	case len(org) == 0 || f.TenantOnly:
		return []model.Filter{t}
	case len(tenant) == 0:
		return []model.Filter{o}
	}
	return []model.Filter{o, t}
}

// mergedPrefix marks a cursor that holds one cursor per listing.
const mergedPrefix = "auditui-merged:"

// mergedCursor is where each listing of a merged query stands: the id of the
// last event delivered from it, and whether it is finished.
type mergedCursor struct {
	After []string `json:"after"`
	Done  []bool   `json:"done"`
}

func (c mergedCursor) String() string {
	b, _ := json.Marshal(c)
	return mergedPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// parseMerged reads a cursor made by String for n listings; anything else
// starts them all from the newest.
func parseMerged(s string, n int) mergedCursor {
	c := mergedCursor{After: make([]string, n), Done: make([]bool, n)}
	raw, ok := strings.CutPrefix(s, mergedPrefix)
	if !ok {
		return c
	}
	var got mergedCursor
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &got) != nil || len(got.After) != n || len(got.Done) != n {
		return c
	}
	return got
}

// listing is one side of a merged query: its pages, and the events read
// from them but not yet delivered.
type listing struct {
	next    func() (model.Page, error, bool)
	pending []model.Event
	more    bool // the listing has pages not yet read
}

// merged lists each filter and yields their events as one sequence of pages,
// newest first. An event is delivered only when every unfinished listing has
// one waiting, so the order is exact; a page's LastID resumes all of them.
func (c *Client) merged(ctx context.Context, q model.Query, filters []model.Filter) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		cur := parseMerged(q.After, len(filters))
		ls := make([]*listing, len(filters))
		for i, f := range filters {
			sub := q
			sub.Filter, sub.After = f, cur.After[i]
			next, stop := iter.Pull2(c.pages(ctx, sub))
			defer stop()
			ls[i] = &listing{next: next, more: !cur.Done[i]}
		}
		size := q.PageSize
		if size <= 0 {
			size = model.DefaultPageSize
		}
		for n := 1; ; n++ {
			var skipped []model.RecordError
			// Read until every unfinished listing has an event waiting.
			for _, l := range ls {
				for l.more && len(l.pending) == 0 {
					p, err, ok := l.next()
					if !ok {
						l.more = false
						break
					}
					if err != nil {
						yield(model.Page{}, err)
						return
					}
					l.pending, l.more = p.Events, p.HasMore
					skipped = append(skipped, p.Skipped...)
				}
			}
			page := model.Page{Number: n, Skipped: skipped}
			for len(page.Events) < size {
				i := newestWaiting(ls)
				if i < 0 {
					break
				}
				e := ls[i].pending[0]
				ls[i].pending = ls[i].pending[1:]
				cur.After[i] = e.ID
				page.Events = append(page.Events, e)
			}
			for i, l := range ls {
				cur.Done[i] = !l.more && len(l.pending) == 0
				page.HasMore = page.HasMore || !cur.Done[i]
			}
			if len(page.Events) > 0 {
				page.FirstID = page.Events[0].ID
			}
			page.LastID = cur.String()
			if !yield(page, nil) || !page.HasMore {
				return
			}
		}
	}
}

// newestWaiting is the listing whose next event is the newest, or -1 when a
// listing that is not finished has none waiting (its next page decides).
func newestWaiting(ls []*listing) int {
	best := -1
	for i, l := range ls {
		if len(l.pending) == 0 {
			if l.more {
				return -1
			}
			continue
		}
		if best < 0 || l.pending[0].EffectiveAt.After(ls[best].pending[0].EffectiveAt) {
			best = i
		}
	}
	return best
}
