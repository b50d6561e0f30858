package auth

import (
	"errors"
	"strings"
)

// authHeaderScanner reads the tokens of an Authorization or WWW-Authenticate header value:
// scheme names, parameter names, "=", ",", and quoted or unquoted values (RFC 9110
// section 11). Every read method either consumes input or returns without moving, so a
// loop that stops when nothing was consumed is bounded by the length of the value.
type authHeaderScanner struct {
	s   string
	pos int
}

func (sc *authHeaderScanner) skipSpace() {
	for sc.pos < len(sc.s) && (sc.s[sc.pos] == ' ' || sc.s[sc.pos] == '\t') {
		sc.pos++
	}
}

// done reports whether only whitespace is left.
func (sc *authHeaderScanner) done() bool {
	sc.skipSpace()
	return sc.pos >= len(sc.s)
}

// consume skips whitespace and then c, and reports whether c was there.
func (sc *authHeaderScanner) consume(c byte) bool {
	sc.skipSpace()
	if sc.pos < len(sc.s) && sc.s[sc.pos] == c {
		sc.pos++
		return true
	}
	return false
}

// token skips whitespace and returns the run of token characters that follows.
func (sc *authHeaderScanner) token() string {
	sc.skipSpace()
	start := sc.pos
	for sc.pos < len(sc.s) && isTokenChar(sc.s[sc.pos]) {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// quotedString reads a double-quoted string and returns its content with each
// backslash-escaped character replaced by the character itself.
func (sc *authHeaderScanner) quotedString() (string, error) {
	if !sc.consume('"') {
		return "", errors.New("value is not a quoted string")
	}
	var b strings.Builder
	for sc.pos < len(sc.s) {
		c := sc.s[sc.pos]
		sc.pos++
		switch {
		case c == '"':
			return b.String(), nil
		case c == '\\' && sc.pos < len(sc.s):
			b.WriteByte(sc.s[sc.pos])
			sc.pos++
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("quoted string has no closing quote")
}

// looseValue reads a quoted value, or else the unquoted text up to the next whitespace or
// comma. Servers send unquoted values that are not tokens, such as realm=host:8443.
func (sc *authHeaderScanner) looseValue() string {
	sc.skipSpace()
	if sc.pos < len(sc.s) && sc.s[sc.pos] == '"' {
		value, _ := sc.quotedString()
		return value
	}
	start := sc.pos
	for sc.pos < len(sc.s) && !strings.ContainsRune(" \t,", rune(sc.s[sc.pos])) {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110 section 5.6.2).
func isTokenChar(c byte) bool {
	if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
