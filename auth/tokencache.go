package auth

import (
	"crypto/sha256"
	"sync"
	"unsafe"
)

// tokenKey identifies a token in the cache: its SHA-256, so the cache never
// holds the token itself and a collision is out of reach.
type tokenKey [sha256.Size]byte

// keyOf returns the cache key of token. It hashes the string's bytes in
// place: []byte(token) would copy the token to the heap on every request
// (the hash reads its input through an interface, so the copy escapes).
// The hash only reads them.
func keyOf(token string) tokenKey {
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(token), len(token)))
}

// cacheEntry is one verified token: its claims, the issuer that verified it
// and the issuer's key-set generation at that time.
type cacheEntry struct {
	key        tokenKey
	claims     *Claims
	iss        *issuer
	gen        uint64
	prev, next *cacheEntry // LRU list, most recent at head
}

// tokenCache is a bounded LRU of verified tokens. It is safe for
// concurrent use. Time claims are not checked here: the verifier re-checks
// them on every hit. The Claims it holds are never handed to callers (the
// verifier stores and returns copies), so nothing outside changes them.
type tokenCache struct {
	size int

	// mu guards the fields below.
	mu         sync.Mutex
	entries    map[tokenKey]*cacheEntry
	head, tail *cacheEntry
}

func newTokenCache(size int) *tokenCache {
	return &tokenCache{size: size, entries: make(map[tokenKey]*cacheEntry, min(size, 1024))}
}

// get returns the entry for k and marks it recently used.
func (c *tokenCache) get(k *tokenKey) (claims *Claims, iss *issuer, gen uint64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[*k]
	if e == nil {
		return nil, nil, 0, false
	}
	c.moveToFront(e)
	return e.claims, e.iss, e.gen, true
}

// add stores an entry, evicting the least recently used one when full.
func (c *tokenCache) add(k *tokenKey, claims *Claims, iss *issuer, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[*k]; e != nil {
		e.claims, e.iss, e.gen = claims, iss, gen
		c.moveToFront(e)
		return
	}
	if len(c.entries) >= c.size && c.tail != nil {
		old := c.tail
		c.unlink(old)
		delete(c.entries, old.key)
	}
	e := &cacheEntry{key: *k, claims: claims, iss: iss, gen: gen}
	c.entries[*k] = e
	c.pushFront(e)
}

// remove drops the entry for k, if any.
func (c *tokenCache) remove(k *tokenKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[*k]; e != nil {
		c.unlink(e)
		delete(c.entries, *k)
	}
}

// len reports the number of entries.
func (c *tokenCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// requires mu held
func (c *tokenCache) moveToFront(e *cacheEntry) {
	if c.head == e {
		return
	}
	c.unlink(e)
	c.pushFront(e)
}

// requires mu held
func (c *tokenCache) pushFront(e *cacheEntry) {
	e.prev, e.next = nil, c.head
	if c.head != nil {
		c.head.prev = e
	}
	c.head = e
	if c.tail == nil {
		c.tail = e
	}
}

// requires mu held
func (c *tokenCache) unlink(e *cacheEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		c.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		c.tail = e.prev
	}
	e.prev, e.next = nil, nil
}
