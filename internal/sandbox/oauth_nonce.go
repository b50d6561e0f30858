package sandbox

import (
	"crypto/sha256"
	"sync"
	"time"
)

// nonceLifetime is how long a nonce is remembered. Timestamps more than maxTimestampSkew from
// the clock are refused, so a replay of a request older than this is refused anyway.
const nonceLifetime = 2 * maxTimestampSkew

// maxNonces is the number of nonces a nonceCache keeps at most, which bounds its memory.
//
// NOTE: a client that sends more than this many nonces within nonceLifetime makes the cache
// forget the oldest early, and a replay of one of those is then accepted. A sandbox serves one
// developer or test run, far below that rate.
const maxNonces = 100_000

// nonceCache remembers the nonces each consumer used in the last nonceLifetime. It stores a
// hash of the consumer key and nonce, so its memory does not depend on how long they are. It
// is safe for concurrent use.
type nonceCache struct {
	mu      sync.Mutex
	expires map[[sha256.Size]byte]time.Time
	// order lists the keys of expires from the oldest to the newest.
	order []nonceEntry
}

type nonceEntry struct {
	key     [sha256.Size]byte
	expires time.Time
}

func newNonceCache() *nonceCache {
	return &nonceCache{expires: map[[sha256.Size]byte]time.Time{}}
}

// use records that consumerKey sent nonce at now, and reports whether the nonce was new.
func (c *nonceCache) use(consumerKey, nonce string, now time.Time) bool {
	key := sha256.Sum256([]byte(consumerKey + "\x00" + nonce))

	c.mu.Lock()
	defer c.mu.Unlock()
	c.forget(now)
	if expires, ok := c.expires[key]; ok && now.Before(expires) {
		return false
	}

	entry := nonceEntry{key: key, expires: now.Add(nonceLifetime)}
	c.expires[key] = entry.expires
	c.order = append(c.order, entry)
	return true
}

// forget drops the nonces that expired at now, and then the oldest ones until there is room
// for one more.
func (c *nonceCache) forget(now time.Time) {
	for len(c.order) > 0 && (!now.Before(c.order[0].expires) || len(c.order) >= maxNonces) {
		oldest := c.order[0]
		// A nonce used again after it expired has a newer entry, which must stay.
		if c.expires[oldest.key].Equal(oldest.expires) {
			delete(c.expires, oldest.key)
		}
		c.order = c.order[1:]
	}
}
