package model

import (
	"context"
	"time"
)

// Histogram is how many events fall in each of a run of equal time buckets.
// Lengths are whole seconds, not time.Duration: the times a record may carry
// (±1e11 s) are farther apart than a Duration holds (about 292 years).
type Histogram struct {
	Start  time.Time // start of the first bucket (inclusive)
	Step   int64     // seconds in every bucket
	Counts []int     // per bucket, oldest first
	Max    int       // the largest count, for scaling bars
}

const (
	minute = 60
	hour   = 60 * minute
	day    = 24 * hour
)

// histogramSteps are the bucket lengths in seconds a histogram may use:
// round numbers a person reads at a glance, from minutes to a year.
var histogramSteps = []int64{
	minute, 2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute,
	hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour,
	day, 2 * day, 7 * day, 14 * day, 30 * day, 91 * day, 365 * day,
}

// HistogramBuckets returns the start and step (seconds) of the buckets for
// events from oldest to newest, at most buckets of them: the shortest step
// in minutes, hours or days that fits, with the first bucket starting on a
// round time (a whole step, or midnight in loc for days).
func HistogramBuckets(oldest, newest time.Time, buckets int, loc *time.Location) (start time.Time, step int64) {
	if loc == nil {
		loc = time.UTC
	}
	buckets = max(buckets, 1)
	if newest.Before(oldest) {
		oldest, newest = newest, oldest
	}
	for _, step = range histogramSteps {
		start = alignBucket(oldest, step, loc)
		if (newest.Unix()-start.Unix())/step < int64(buckets) {
			return start, step
		}
	}
	// Longer than the longest step allows: stretch the step to whole days that fit.
	start = alignBucket(oldest, day, loc)
	step = ((newest.Unix()-start.Unix())/int64(buckets)/day + 1) * day
	return start, step
}

func alignBucket(t time.Time, step int64, loc *time.Location) time.Time {
	if step < day {
		return time.Unix(floorDiv(t.Unix(), step)*step, 0).In(t.Location())
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// floorDiv rounds towards minus infinity, so times before 1970 align too.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Len is the number of buckets.
func (h Histogram) Len() int { return len(h.Counts) }

// Bucket returns the bucket t falls in, or -1 when it is outside them all.
func (h Histogram) Bucket(t time.Time) int {
	if len(h.Counts) == 0 || t.Before(h.Start) {
		return -1
	}
	i := (t.Unix() - h.Start.Unix()) / h.Step
	if i >= int64(len(h.Counts)) {
		return -1
	}
	return int(i)
}

// Bounds returns bucket i's time range: from inclusive, to exclusive, as
// the since: and until: terms take it.
func (h Histogram) Bounds(i int) (from, to time.Time) {
	at := h.Start.Unix() + int64(i)*h.Step
	return time.Unix(at, 0).In(h.Start.Location()), time.Unix(at+h.Step, 0).In(h.Start.Location())
}

// Histogram counts the events at indices (nil: every indexed event; out of
// range ones are ignored) in at most buckets time buckets chosen by
// HistogramBuckets. No events give the zero Histogram.
func (x *FacetIndex) Histogram(ctx context.Context, indices []int32, buckets int, loc *time.Location) (Histogram, error) {
	v := x.view()
	each := func(f func(at int64)) error {
		if indices == nil {
			for i, at := range v.at[:v.n] {
				if i%checkEvery == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				f(at)
			}
			return nil
		}
		for k, i := range indices {
			if k%checkEvery == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			if i >= 0 && int(i) < v.n {
				f(v.at[i])
			}
		}
		return nil
	}
	var lo, hi int64
	seen := false
	if err := each(func(at int64) {
		if !seen {
			lo, hi, seen = at, at, true
		}
		lo, hi = min(lo, at), max(hi, at)
	}); err != nil || !seen {
		return Histogram{}, err
	}
	start, step := HistogramBuckets(time.Unix(lo, 0), time.Unix(hi, 0), buckets, loc)
	from := start.Unix()
	h := Histogram{Start: start, Step: step, Counts: make([]int, (hi-from)/step+1)}
	err := each(func(at int64) { h.Counts[(at-from)/step]++ })
	if err != nil {
		return Histogram{}, err
	}
	for _, c := range h.Counts {
		h.Max = max(h.Max, c)
	}
	return h, nil
}
