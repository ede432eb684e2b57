package openai

import (
	"context"
	"fmt"

	"github.com/auditui/auditui/openai/fakeapi"
)

// Demo serves the synthetic demo organisation on loopback and returns the
// real client pointed at it: the production code path, with no key and no
// network. stop shuts the server down; ctx ending does too.
func Demo(ctx context.Context) (c *Client, stop func(), err error) {
	d, err := fakeapi.StartDemo(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("start the demo organisation: %w", err)
	}
	return New(Config{AdminKey: d.Key, BaseURL: d.URL, Name: "demo"}), d.Close, nil
}
