package store

import (
	"context"
	"time"

	"github.com/auditui/auditui/model"
)

// KnownSince is from when st holds every event of the listings that events
// (an object's) come from: the start of each listing's newest covered range,
// the one syncs keep extending to now, and the latest of those starts. A
// listing with no coverage recorded falls back to Meta.KnownSince; an empty
// events asks of the default listing. Zero means from the beginning.
func KnownSince(ctx context.Context, st Store, events []model.Event) (time.Time, error) {
	listings := map[Listing]bool{}
	for i := range events {
		listings[ListingOf(&events[i])] = true
	}
	if len(listings) == 0 {
		listings[Default] = true
	}
	var since time.Time
	for _, l := range Listings {
		if !listings[l] {
			continue
		}
		cov, err := st.Coverage(ctx, l)
		if err != nil {
			return time.Time{}, err
		}
		start := time.Time{}
		if len(cov) > 0 {
			start = cov[len(cov)-1].Since
		} else {
			m, err := st.Meta(ctx)
			if err != nil {
				return time.Time{}, err
			}
			start = m.KnownSince()
		}
		if start.After(since) && start.After(time.Unix(0, 0)) {
			since = start
		}
	}
	return since, nil
}
