package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// weigh gives fresh families a short session each (/start and -session
// taps), lets them go idle, and asks Redis what their keys cost.
func weigh(ctx context.Context, o options, dr *driver, rdb *redis.Client) error {
	before, err := usedMemory(ctx, rdb)
	if err != nil {
		return err
	}
	g := dr.newGroup(weighChats, o.idleChats, 1+o.session)
	dr.runBudget(ctx, g, 100, 2*time.Minute)
	if !dr.finished(g) {
		return errors.New("the weighed families did not finish their sessions within 2 minutes")
	}
	time.Sleep(500 * time.Millisecond) // acks of the last replies
	after, err := usedMemory(ctx, rdb)
	if err != nil {
		return err
	}
	chats := make([]int64, 0, len(g.fams))
	for chat := range g.fams {
		chats = append(chats, chat)
	}
	km, err := measureKeys(ctx, rdb, chats)
	if err != nil {
		return err
	}
	n := float64(km.chats)
	fmt.Printf("\nidle conversations: %d families, each /start + %d taps, then idle\n", km.chats, o.session)
	fmt.Printf("  MEMORY USAGE per conversation: conv %.0f B + msgs %.0f B = %.0f B (conv keys %d, msgs keys %d)\n",
		float64(km.conv)/n, float64(km.msgs)/n, float64(km.conv+km.msgs)/n, km.convKeys, km.msgsKeys)
	fmt.Printf("  conv hash: %.1f fields, %.0f B of names and values; msgs: %.1f journal entries\n",
		float64(km.convFields)/n, float64(km.convLen)/n, float64(km.journalEntries)/n)
	fmt.Printf("  used_memory delta (server-wide): %.0f B per conversation\n", float64(after-before)/n)
	return nil
}
