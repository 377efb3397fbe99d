package conversation

import (
	"errors"
	"time"
)

// degradedEvery is how often a chat is told again about an outage while its
// updates keep failing.
const degradedEvery = 10 * time.Minute

var errConflicts = errors.New("conversation: too many concurrent writes to the same chat")

// StoreError means the store could not be reached: the update must be
// delivered again later.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "store unavailable: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }
