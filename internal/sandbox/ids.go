package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// randomToken returns 32 random bytes in unpadded base64url, a bearer token of 43 characters.
func randomToken() string {
	var b [32]byte
	// crypto/rand.Read never returns an error (Go 1.24 and later).
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// randomUUID returns a random version 4 UUID (RFC 9562).
func randomUUID() string {
	var b [16]byte
	rand.Read(b[:])
	return formatUUID(b, 4)
}

// nameUUID returns a version 8 UUID built from the SHA-256 of name, so the same name always
// gives the same id (RFC 9562 describes name-based version 8 UUIDs).
func nameUUID(name string) string {
	sum := sha256.Sum256([]byte(name))
	var b [16]byte
	copy(b[:], sum[:16])
	return formatUUID(b, 8)
}

// formatUUID sets the version and variant bits of b and formats it as
// xxxxxxxx-xxxx-Mxxx-Nxxx-xxxxxxxxxxxx.
func formatUUID(b [16]byte, version byte) string {
	b[6] = b[6]&0x0f | version<<4
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
