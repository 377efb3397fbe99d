package redisstore

import (
	"container/list"
	"sync"

	"github.com/boussole/boussole/internal/conversation"
)

// cache keeps the last record written or read per chat, least recently
// used out first, so an ordinary step costs its Commit and no Load.
//
// It may go stale when another replica writes the chat: that is safe,
// because Commit compares revisions in Redis, conflicts, and brings back the
// current record, which replaces the stale one. Records are copied in and
// out, so no caller shares a map or slice with it.
//
// A nil *cache is a cache that keeps nothing.
type cache struct {
	mu    sync.Mutex
	size  int
	order *list.List // of *entry, most recent first
	byID  map[int64]*list.Element
}

type entry struct {
	chat int64
	rec  conversation.Record
}

// newCache returns a cache of size records, nil when size is 0 or less.
func newCache(size int) *cache {
	if size <= 0 {
		return nil
	}
	return &cache{size: size, order: list.New(), byID: make(map[int64]*list.Element, size)}
}

func (c *cache) get(chat int64) (conversation.Record, bool) {
	if c == nil {
		return conversation.Record{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byID[chat]
	if !ok {
		return conversation.Record{}, false
	}
	c.order.MoveToFront(el)
	return cloneRecord(el.Value.(*entry).rec), true
}

func (c *cache) put(chat int64, r conversation.Record) {
	if c == nil {
		return
	}
	r = cloneRecord(r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[chat]; ok {
		el.Value.(*entry).rec = r
		c.order.MoveToFront(el)
		return
	}
	c.byID[chat] = c.order.PushFront(&entry{chat: chat, rec: r})
	if c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byID, last.Value.(*entry).chat)
	}
}

func (c *cache) evict(chat int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[chat]; ok {
		c.order.Remove(el)
		delete(c.byID, chat)
	}
}
