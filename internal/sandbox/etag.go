package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// entityTag returns a strong ETag for a response body: the first 128 bits of its SHA-256, in
// hex and quoted.
func entityTag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// noneMatchFails reports whether an If-None-Match header value lists tag or is "*", in which
// case a GET gets 304. The comparison is weak, so W/"x" matches "x" (RFC 9110 section 13.1.2).
func noneMatchFails(header, tag string) bool {
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for _, candidate := range parseEntityTags(header) {
		if strings.TrimPrefix(candidate, "W/") == tag {
			return true
		}
	}
	return false
}

// ifMatchFails reports whether an If-Match header value is present and lists neither tag nor
// "*", in which case a write gets 412. The comparison is strong, so a weak tag never matches
// (RFC 9110 section 13.1.1).
func ifMatchFails(header, tag string) bool {
	header = strings.TrimSpace(header)
	if header == "" || header == "*" {
		return false
	}
	for _, candidate := range parseEntityTags(header) {
		if candidate == tag {
			return false
		}
	}
	return true
}

// parseEntityTags splits a comma-separated list of entity tags such as `"a", W/"b"`. Each
// tag keeps its quotes and any W/ prefix. Parsing stops at the first malformed tag.
func parseEntityTags(header string) []string {
	var tags []string
	rest := header
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			return tags
		}

		weak := strings.HasPrefix(rest, "W/")
		opaque := strings.TrimPrefix(rest, "W/")
		if !strings.HasPrefix(opaque, `"`) {
			return tags
		}
		end := strings.IndexByte(opaque[1:], '"')
		if end < 0 {
			return tags
		}

		tag := opaque[:end+2]
		if weak {
			tag = "W/" + tag
		}
		tags = append(tags, tag)
		rest = opaque[end+2:]
	}
}
