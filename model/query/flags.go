package query

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/auditui/auditui/model"
)

// Flag is one value of a command-line filter flag (--type, --actor, ...),
// which is sugar for the term Key:Value.
type Flag struct {
	Name  string // the flag as typed, for messages: "type", "actor"
	Key   Key
	Value string
}

// FlagError is a flag value that does not make a valid term.
type FlagError struct {
	Flag  string
	Value string
	Msg   string
}

func (e *FlagError) Error() string { return fmt.Sprintf("--%s %q: %s", e.Flag, e.Value, e.Msg) }

// ParseWithFlags parses text (the -q query) followed by one term per flag
// value, exactly as if they had been typed after it: a flag repeats its key,
// so it ORs with the query's terms of that key and ANDs with the others.
// Empty flag values are ignored. An error in text is a *SyntaxError with
// positions in text; an error in a flag is a *FlagError naming it. Term
// positions are offsets in text followed by a space and FormatTerm of each
// flag value.
func ParseWithFlags(text string, flags []Flag, now time.Time) (Query, error) {
	if _, err := Parse(text, now); err != nil {
		return Query{}, err
	}
	combined := text
	var owners []int // start offset in combined of each flag's term
	var used []Flag
	for _, f := range flags {
		v := strings.TrimSpace(f.Value)
		if v == "" {
			continue
		}
		term := FormatTerm(f.Key, v, false)
		if _, err := Parse(term, now); err != nil {
			return Query{}, flagError(f, v, err)
		}
		combined += " "
		owners = append(owners, len(combined))
		used = append(used, Flag{Name: f.Name, Key: f.Key, Value: v})
		combined += term
	}
	q, err := Parse(combined, now)
	var se *SyntaxError
	if errors.As(err, &se) && se.Pos > len(text) {
		// Only the time range can fail here: name the flag that closed it.
		i, _ := slices.BinarySearch(owners, se.Pos+1)
		return Query{}, flagError(used[i-1], used[i-1].Value, err)
	}
	return q, err
}

func flagError(f Flag, v string, err error) error {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	return &FlagError{Flag: f.Name, Value: v, Msg: strings.TrimPrefix(se.Msg, string(f.Key)+": ")}
}

// SameServer reports whether p and o ask the API for the same events, so
// that a browser keeps its pages when only local terms changed.
func (p Plan) SameServer(o Plan) bool {
	a, b := p.Server, o.Server
	return slices.Equal(a.Types, b.Types) && slices.Equal(a.ActorIDs, b.ActorIDs) &&
		slices.Equal(a.ActorEmails, b.ActorEmails) && slices.Equal(a.ProjectIDs, b.ProjectIDs) &&
		slices.Equal(a.ResourceIDs, b.ResourceIDs) && a.Since.Equal(b.Since) && a.Until.Equal(b.Until) &&
		a.TenantOnly == b.TenantOnly
}

// Source returns src asked with the plan's server filter and finished with
// its local predicate: the events of its pages are exactly those the query
// matches. The Filter of the model.Query given to Pages is replaced by
// p.Server; page size and cursor are kept. A page may come back with fewer
// events than asked for, or none, while HasMore is true.
func (p Plan) Source(src model.Source) model.Source { return planSource{src: src, plan: p} }

type planSource struct {
	src  model.Source
	plan Plan
}

func (s planSource) Name() string { return s.src.Name() }

func (s planSource) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	q.Filter = s.plan.Server
	return func(yield func(model.Page, error) bool) {
		for page, err := range s.src.Pages(ctx, q) {
			if err == nil && s.plan.Local != nil {
				kept := page.Events[:0:0]
				for i := range page.Events {
					if s.plan.Local(&page.Events[i]) {
						kept = append(kept, page.Events[i])
					}
				}
				page.Events = kept
			}
			if !yield(page, err) {
				return
			}
		}
	}
}
