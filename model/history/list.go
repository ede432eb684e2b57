package history

import (
	"context"

	"github.com/auditui/auditui/model"
)

// List asks src for the events on the object id, newest first: one
// listing for its resource id and, since the API keeps them apart, one for
// tenant-scoped events on it; an organisation event that names no id is
// found by its type. It returns the records that could not be read too.
func List(ctx context.Context, src model.Source, id string, pageSize int) ([]model.Event, []model.RecordError, error) {
	filters := []model.Filter{{ResourceIDs: []string{id}}, {ResourceIDs: []string{id}, TenantOnly: true}}
	if id == Organization {
		filters = []model.Filter{{Types: []string{"organization.updated"}}}
	}
	var events []model.Event
	var skipped []model.RecordError
	for _, f := range filters {
		for p, err := range src.Pages(ctx, model.Query{Filter: f, PageSize: pageSize}) {
			if err != nil {
				return nil, nil, err
			}
			events = append(events, p.Events...)
			skipped = append(skipped, p.Skipped...)
		}
	}
	return events, skipped, nil
}
