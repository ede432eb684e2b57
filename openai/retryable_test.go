package openai

import (
	"testing"

	"github.com/auditui/auditui/model"
)

// TestRetryableByStatus: only a 4xx the API repeats however often it is
// asked is marked as not worth retrying.
func TestRetryableByStatus(t *testing.T) {
	for status, want := range map[int]bool{0: true, 400: false, 401: false, 403: false, 404: false, 422: false,
		408: true, 409: true, 429: true, 500: true, 503: true} {
		if got := model.Retryable(&Error{Status: status}); got != want {
			t.Errorf("status %d: Retryable %v, want %v", status, got, want)
		}
	}
}
