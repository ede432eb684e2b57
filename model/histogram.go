package model

import (
	"context"
	"time"
)

// Histogram is how many events fall in each of a run of equal time buckets.
type Histogram struct {
	Start  time.Time     // start of the first bucket (inclusive)
	Step   time.Duration // length of every bucket
	Counts []int         // per bucket, oldest first
	Max    int           // the largest count, for scaling bars
}

// histogramSteps are the bucket lengths a histogram may use: round numbers
// a person reads at a glance, from minutes to a year.
var histogramSteps = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	day, 2 * day, 7 * day, 14 * day, 30 * day, 91 * day, 365 * day,
}

const day = 24 * time.Hour

// HistogramBuckets returns the start and step of the buckets for events
// from oldest to newest, at most buckets of them: the shortest step in
// minutes, hours or days that fits, with the first bucket starting on a
// round time (a whole step, or midnight in loc for days).
func HistogramBuckets(oldest, newest time.Time, buckets int, loc *time.Location) (start time.Time, step time.Duration) {
	if loc == nil {
		loc = time.UTC
	}
	buckets = max(buckets, 1)
	if newest.Before(oldest) {
		oldest, newest = newest, oldest
	}
	for _, step = range histogramSteps {
		start = alignBucket(oldest, step, loc)
		if int64(newest.Sub(start)/step) < int64(buckets) {
			return start, step
		}
	}
	// Longer than the longest step allows: stretch the step to fit.
	start = alignBucket(oldest, day, loc)
	step = (newest.Sub(start)/time.Duration(buckets) + day).Truncate(day)
	return start, step
}

func alignBucket(t time.Time, step time.Duration, loc *time.Location) time.Time {
	if step < day {
		return t.Truncate(step)
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Len is the number of buckets.
func (h Histogram) Len() int { return len(h.Counts) }

// Bucket returns the bucket t falls in, or -1 when it is outside them all.
func (h Histogram) Bucket(t time.Time) int {
	if len(h.Counts) == 0 || t.Before(h.Start) {
		return -1
	}
	i := int(t.Sub(h.Start) / h.Step)
	if i >= len(h.Counts) {
		return -1
	}
	return i
}

// Bounds returns bucket i's time range: from inclusive, to exclusive, as
// the since: and until: terms take it.
func (h Histogram) Bounds(i int) (from, to time.Time) {
	from = h.Start.Add(time.Duration(i) * h.Step)
	return from, from.Add(h.Step)
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
	h := Histogram{Start: start, Step: step, Counts: make([]int, int(time.Unix(hi, 0).Sub(start)/step)+1)}
	from, width := start.Unix(), int64(step/time.Second)
	err := each(func(at int64) { h.Counts[(at-from)/width]++ })
	if err != nil {
		return Histogram{}, err
	}
	for _, c := range h.Counts {
		h.Max = max(h.Max, c)
	}
	return h, nil
}
