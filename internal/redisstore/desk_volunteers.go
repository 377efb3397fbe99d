package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

// Volunteer returns what the desk knows of a volunteer; ok is false when
// nothing.
func (d *Desk) Volunteer(ctx context.Context, id int64) (handoff.Volunteer, bool, error) {
	m, err := d.c.HGetAll(ctx, d.volunteerKey(id)).Result()
	if err != nil {
		return handoff.Volunteer{}, false, fmt.Errorf("volunteer %d: %w", id, err)
	}
	if len(m) == 0 {
		return handoff.Volunteer{}, false, nil
	}
	v, err := decodeVolunteer(m)
	if err != nil {
		return handoff.Volunteer{}, false, err
	}
	return v, true, nil
}

// SetVolunteer creates or updates a volunteer's pseudonym, duty, capacity
// and private flag, as given, and not their tickets. A capacity of 0 counts
// as 1.
func (d *Desk) SetVolunteer(ctx context.Context, v handoff.Volunteer) error {
	_, err := d.run(ctx, deskSetVolScript, d.clock(),
		v.ID, v.Pseudonym, deskFlag(v.Off), v.Capacity, deskFlag(v.Private))
	if err != nil {
		return fmt.Errorf("set volunteer %d: %w", v.ID, err)
	}
	return nil
}

// Leave forgets a volunteer who left the group: the tickets they held go
// back to the queue at their old place, returned.
func (d *Desk) Leave(ctx context.Context, id int64, now time.Time) ([]handoff.Ticket, error) {
	res, err := d.run(ctx, deskLeaveScript, now, id)
	if err != nil {
		return nil, fmt.Errorf("volunteer %d leaves: %w", id, err)
	}
	ts, err := d.decodeTickets(res)
	if err != nil {
		return nil, fmt.Errorf("volunteer %d leaves: %w", id, err)
	}
	return ts, nil
}

// Volunteers lists the ids of every known volunteer.
func (d *Desk) Volunteers(ctx context.Context) ([]int64, error) {
	res, err := d.run(ctx, deskVolsScript, d.clock())
	if err != nil {
		return nil, fmt.Errorf("volunteers: %w", err)
	}
	arr, ok := res.([]any)
	if !ok {
		return nil, fmt.Errorf("volunteers: %w", ErrCorrupt)
	}
	ids := make([]int64, 0, len(arr))
	for _, x := range arr {
		s, _ := x.(string)
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("volunteers: %w", ErrCorrupt)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
