package openai

import (
	"errors"
	"net/http"
	"slices"
)

// newerTypes are in the SDK's enum but not in the published API description
// (OpenAPI 2.3.0, 2026-08-21). A server that validates against that
// description refuses them in event_types[], and has no events of them.
var newerTypes = map[string]bool{
	"external_storage.registered":                         true,
	"external_storage.removed":                            true,
	"tenant.trusted_access.application.submitted":         true,
	"tenant.trusted_access.business_verification.started": true,
}

// withoutNewerTypes reports whether err is a request refused (400 or 422)
// while types holds newer types beside others, and returns the others. A
// request made only of newer types is left to fail: dropping them all
// would ask for every type.
func withoutNewerTypes(err error, types []string) ([]string, bool) {
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest && e.Status != http.StatusUnprocessableEntity {
		return nil, false
	}
	known := slices.DeleteFunc(slices.Clone(types), func(t string) bool { return newerTypes[t] })
	if len(known) == len(types) || len(known) == 0 {
		return nil, false
	}
	return known, true
}
