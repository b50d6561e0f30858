// Package termtext escapes text that came from a server before hi shows it to a person. A
// response can then never send control sequences to the terminal: no ANSI escape (ESC, CSI,
// OSC), no bell, and no backspace or lone carriage return that overwrites what hi printed.
//
// Outside JSON, a control character is written as it would be in a Go quoted string
// (strconv.Quote): \r, \n, \a, \b, \f and \v where a short form exists, \x1b for the rest of
// C0 and for DEL, \u009b for a C1 control, and \xff for a byte that is not part of valid
// UTF-8. Inside JSON the same characters become JSON escapes such as \u001b, so the output
// stays valid JSON. A backslash is left alone, so text that already contains "\x1b" looks the
// same as an escaped ESC. Piped standard output is never escaped, so it has the exact bytes.
package termtext

import (
	"strconv"
	"unicode/utf8"
)

// mode selects the characters that pass unescaped and the form of an escape.
type mode int

const (
	lineMode mode = iota // one line: tab passes
	textMode             // text: tab, newline and the CR of a CRLF pass
	jsonMode             // JSON: newline passes, and escapes are JSON's
)

// Line escapes every control character in s, newline and carriage return included, so that
// s prints as one line. A tab is kept.
func Line(s string) string {
	b := []byte(s)
	if !needsEscape(b, lineMode) {
		return s
	}
	return string(escape(b, lineMode))
}

// Text escapes the control characters of multi-line text. Newline, tab and a carriage return
// directly before a newline (a CRLF line end) are kept.
func Text(b []byte) []byte {
	if !needsEscape(b, textMode) {
		return b
	}
	return escape(b, textMode)
}

// JSON escapes the control characters of a JSON document, such as a pretty-printed
// response body: a C0 control other than newline, DEL and a C1 control become \u00XX
// escapes, and a byte that is not valid UTF-8 becomes \ufffd. In valid JSON those
// characters can only occur inside strings, so the result is valid JSON with the same
// structure.
func JSON(b []byte) []byte {
	if !needsEscape(b, jsonMode) {
		return b
	}
	return escape(b, jsonMode)
}

// isControl reports whether r is a C0 control, DEL or a C1 control.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// passes reports whether the control character at b[i] is written as it is in mode m.
func passes(b []byte, i int, m mode) bool {
	switch c := b[i]; {
	case c == '\n':
		return m != lineMode
	case c == '\t':
		return m != jsonMode
	case c == '\r':
		return m == textMode && i+1 < len(b) && b[i+1] == '\n'
	}
	return false
}

// needsEscape reports whether escape would change b.
func needsEscape(b []byte, m mode) bool {
	for i := 0; i < len(b); {
		if c := b[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size <= 1) || (isControl(r) && !passes(b, i, m)) {
			return true
		}
		i += size
	}
	return false
}

// escape returns b with its control characters and invalid bytes escaped as mode m writes
// them.
func escape(b []byte, m mode) []byte {
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1 && m == jsonMode:
			out = append(out, `\ufffd`...)
		case r == utf8.RuneError && size <= 1:
			out = append(out, '\\', 'x', hexDigits[b[i]>>4], hexDigits[b[i]&0xf])
		case !isControl(r) || passes(b, i, m):
			out = append(out, b[i:i+size]...)
		case m == jsonMode:
			out = append(out, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
		default:
			// QuoteRune returns the Go escape of r between single quotes.
			quoted := strconv.QuoteRune(r)
			out = append(out, quoted[1:len(quoted)-1]...)
		}
		i += size
	}
	return out
}
