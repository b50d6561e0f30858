package httpx

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"sync"
)

// maxNestingDepth bounds how deeply arrays and objects may nest in a page, as in
// encoding/json, so that a hostile body cannot exhaust the stack.
const maxNestingDepth = 10000

// errPageTooLarge means a page body is over maxBufferedPage.
var errPageTooLarge = fmt.Errorf("the page is larger than %d MiB", maxBufferedPage>>20)

// pageBuffers holds the buffers of finished page scans. A walk reads one page after another,
// so reusing them keeps the memory of a long walk as flat as that of a short one.
var pageBuffers = sync.Pool{New: func() any { return new(pageScanner) }}

// pageScanner reads one collection page held in memory in a single pass. It checks the JSON
// grammar as encoding/json does and gives each item without insignificant white space, as
// json.Compact would, but it scans each byte once instead of three times. An item without
// such white space, the usual case, is given as a slice of the page, without a copy.
type pageScanner struct {
	data []byte
	pos  int
	// item is the compact copy of an item that has white space outside its strings.
	item []byte
	// open holds the opening byte, '{' or '[', of each array and object that contains the
	// byte being scanned, innermost last.
	open []byte
}

// maxPooledPage bounds the buffer kept for the next page, so that one huge page does not
// hold its memory for the rest of the walk.
const maxPooledPage = 1 << 20

// release returns s to pageBuffers, unless its buffers grew past maxPooledPage.
func (s *pageScanner) release() {
	if cap(s.data) > maxPooledPage || cap(s.item) > maxPooledPage || cap(s.open) > maxPooledPage {
		return
	}
	pageBuffers.Put(s)
}

// readAll reads r into s.data, reusing its capacity, up to maxBufferedPage bytes.
func (s *pageScanner) readAll(r io.Reader) error {
	s.data, s.pos = s.data[:0], 0
	for {
		if len(s.data) == cap(s.data) {
			s.data = append(s.data, 0)[:len(s.data)]
		}
		n, err := r.Read(s.data[len(s.data):cap(s.data)])
		s.data = s.data[:len(s.data)+n]
		if len(s.data) > maxBufferedPage {
			return errPageTooLarge
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// page scans the top-level object of a page, passing each item to onItem.
func (s *pageScanner) page(onItem func([]byte) error) (PageInfo, error) {
	var info PageInfo
	if s.skipSpace() != '{' {
		return info, errNotCollection
	}
	s.pos++
	sawItems := false
	for first := true; ; first = false {
		c := s.skipSpace()
		if c == '}' && first {
			break
		}
		key, err := s.memberKey()
		if err != nil {
			return info, err
		}
		switch key {
		case "items":
			sawItems = true
			info.Items, err = s.items(onItem)
		case "totalResults":
			info.TotalResults, err = s.totalResults()
			info.HasTotal = err == nil
		case "nextLink":
			info.NextLink, err = s.nextLink()
		default:
			err = s.value()
		}
		if err != nil {
			return info, err
		}
		if c, err = s.next(); err != nil {
			return info, err
		}
		if c == '}' {
			break
		}
		if c != ',' {
			return info, s.syntaxError(c, "after object key:value pair")
		}
	}
	if !sawItems {
		return info, errNotCollection
	}
	return info, nil
}

// memberKey reads an object key and the colon after it.
func (s *pageScanner) memberKey() (string, error) {
	if c := s.skipSpace(); c != '"' {
		return "", s.syntaxError(c, "looking for beginning of object key string")
	}
	start := s.pos
	end, err := s.scanString(start)
	if err != nil {
		return "", err
	}
	s.pos = end
	key := string(s.data[start+1 : end-1])
	if strings.IndexByte(key, '\\') >= 0 {
		if err := json.Unmarshal(s.data[start:s.pos], &key); err != nil {
			return "", err
		}
	}
	c, err := s.next()
	if err != nil {
		return "", err
	}
	if c != ':' {
		return "", s.syntaxError(c, "after object key")
	}
	return key, nil
}

// items reads the items array, passing each item in compact form to onItem.
func (s *pageScanner) items(onItem func([]byte) error) (int, error) {
	if s.skipSpace() != '[' {
		s.value()
		return 0, errNotCollection
	}
	s.pos++
	if s.skipSpace() == ']' {
		s.pos++
		return 0, nil
	}
	for n := 0; ; {
		s.skipSpace()
		start := s.pos
		spaced, err := s.scan()
		if err != nil {
			return n, err
		}
		item := s.data[start:s.pos]
		if spaced {
			s.item = appendCompact(s.item[:0], item)
			item = s.item
		}
		if err := onItem(item); err != nil {
			return n, err
		}
		n++
		c, err := s.next()
		if err != nil {
			return n, err
		}
		if c == ']' {
			return n, nil
		}
		if c != ',' {
			return n, s.syntaxError(c, "after array element")
		}
	}
}

// totalResults reads a non-negative integer. A quoted number is accepted too, as
// encoding/json does when it decodes into json.Number.
func (s *pageScanner) totalResults() (int, error) {
	start := s.skipSpace()
	from := s.pos
	if err := s.value(); err != nil {
		return 0, fmt.Errorf("invalid totalResults: %w", err)
	}
	text := string(s.data[from:s.pos])
	if start == '"' {
		var n json.Number
		if err := json.Unmarshal(s.data[from:s.pos], &n); err != nil {
			return 0, fmt.Errorf("invalid totalResults: %w", err)
		}
		text = n.String()
	}
	total, err := strconv.Atoi(text)
	if err != nil || total < 0 {
		return 0, fmt.Errorf("invalid totalResults %s", text)
	}
	return total, nil
}

// nextLink reads a string or null.
func (s *pageScanner) nextLink() (string, error) {
	s.skipSpace()
	start := s.pos
	if err := s.value(); err != nil {
		return "", err
	}
	var link *string
	if err := json.Unmarshal(s.data[start:s.pos], &link); err != nil {
		return "", fmt.Errorf("invalid nextLink: %w", err)
	}
	if link == nil {
		return "", nil
	}
	return *link, nil
}

// skipSpace moves past white space and returns the byte there, or 0 at the end.
func (s *pageScanner) skipSpace() byte {
	for s.pos < len(s.data) && isSpace[s.data[s.pos]] {
		s.pos++
	}
	return s.peek()
}

// next returns the next byte that is not white space and moves past it.
func (s *pageScanner) next() (byte, error) {
	c := s.skipSpace()
	if s.pos == len(s.data) {
		return 0, io.ErrUnexpectedEOF
	}
	s.pos++
	return c, nil
}

// value checks one JSON value and moves past it.
func (s *pageScanner) value() error {
	s.skipSpace()
	_, err := s.scan()
	return err
}

// scan checks the JSON value that starts at s.pos, after any white space, and moves past
// it. It reports whether white space appears in the value outside its strings. Arrays and
// objects are followed with the stack s.open rather than by recursion, so that the common
// case, a string or a number, costs no call beyond scanString.
func (s *pageScanner) scan() (spaced bool, err error) {
	data := s.data
	open := s.open[:0]
	defer func() { s.open = open[:0] }()
	i := s.pos
	for {
		// A value is expected at i.
		for i < len(data) && isSpace[data[i]] {
			i, spaced = i+1, true
		}
		if i == len(data) {
			s.pos = i
			return spaced, io.ErrUnexpectedEOF
		}
		switch c := data[i]; {
		case c == '"':
			if i, err = s.scanString(i); err != nil {
				return spaced, err
			}
		case c == '{' || c == '[':
			if len(open) == maxNestingDepth {
				s.pos = i
				return spaced, errors.New("exceeded max depth")
			}
			open = append(open, c)
			i++
			for i < len(data) && isSpace[data[i]] {
				i, spaced = i+1, true
			}
			if i < len(data) && data[i] == c+2 {
				// An empty object or array: '{'+2 is '}' and '['+2 is ']'.
				open = open[:len(open)-1]
				i++
				break
			}
			if c == '{' {
				if i, err = s.scanKey(i, &spaced); err != nil {
					return spaced, err
				}
			}
			continue
		default:
			s.pos = i
			if err := s.scalar(c); err != nil {
				return spaced, err
			}
			i = s.pos
		}

		// A value ended at i: close the containers that end here, then go on to the next
		// element or member, or return when no container is open.
		for {
			if len(open) == 0 {
				s.pos = i
				return spaced, nil
			}
			for i < len(data) && isSpace[data[i]] {
				i, spaced = i+1, true
			}
			if i == len(data) {
				s.pos = i
				return spaced, io.ErrUnexpectedEOF
			}
			c, inner := data[i], open[len(open)-1]
			if c == inner+2 {
				open = open[:len(open)-1]
				i++
				continue
			}
			if c != ',' {
				s.pos = i
				if inner == '{' {
					return spaced, s.syntaxError(c, "after object key:value pair")
				}
				return spaced, s.syntaxError(c, "after array element")
			}
			i++
			if inner == '{' {
				if i, err = s.scanKey(i, &spaced); err != nil {
					return spaced, err
				}
			}
			break
		}
	}
}

// scanKey checks the object key that starts at i, after any white space, and the colon after
// it, and returns the index after the colon. It sets *spaced when it skips white space.
func (s *pageScanner) scanKey(i int, spaced *bool) (int, error) {
	data := s.data
	for i < len(data) && isSpace[data[i]] {
		i, *spaced = i+1, true
	}
	if i == len(data) || data[i] != '"' {
		s.pos = i
		return i, s.syntaxError(s.peek(), "looking for beginning of object key string")
	}
	i, err := s.scanString(i)
	if err != nil {
		return i, err
	}
	for i < len(data) && isSpace[data[i]] {
		i, *spaced = i+1, true
	}
	if i == len(data) || data[i] != ':' {
		s.pos = i
		return i, s.syntaxError(s.peek(), "after object key")
	}
	return i + 1, nil
}

// scalar checks the number or literal that starts with c at s.pos and moves past it.
func (s *pageScanner) scalar(c byte) error {
	switch {
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.syntaxError(c, "looking for beginning of value")
}

// scanString checks the string that starts at i and returns the index after it. Like
// encoding/json, it rejects control characters and invalid escapes but not invalid UTF-8.
func (s *pageScanner) scanString(i int) (int, error) {
	data := s.data
	for i++; ; {
		if i+8 <= len(data) {
			special := specialBytes(binary.LittleEndian.Uint64(data[i:]))
			if special == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(special) / 8
		} else {
			for i < len(data) && !stringSpecial[data[i]] {
				i++
			}
			if i == len(data) {
				s.pos = i
				return i, io.ErrUnexpectedEOF
			}
		}
		switch c := data[i]; c {
		case '"':
			return i + 1, nil
		case '\\':
			n, err := s.escape(i)
			if err != nil {
				return i, err
			}
			i += n
		default:
			s.pos = i
			return i, s.syntaxError(c, "in string literal")
		}
	}
}

// appendCompact appends src, a valid JSON value, to dst without the white space outside its
// strings, as json.Compact does.
func appendCompact(dst, src []byte) []byte {
	inString, escaped := false, false
	for _, c := range src {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case isSpace[c]:
			continue
		case c == '"':
			inString = true
		}
		dst = append(dst, c)
	}
	return dst
}

// escape checks the escape sequence at i and returns its length.
func (s *pageScanner) escape(i int) (int, error) {
	if i+1 >= len(s.data) {
		return 0, io.ErrUnexpectedEOF
	}
	switch c := s.data[i+1]; c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		if i+6 > len(s.data) {
			return 0, io.ErrUnexpectedEOF
		}
		for _, h := range s.data[i+2 : i+6] {
			if !isHex(h) {
				s.pos = i
				return 0, s.syntaxError(h, "in \\u hexadecimal character escape")
			}
		}
		return 6, nil
	default:
		s.pos = i + 1
		return 0, s.syntaxError(c, "in string escape code")
	}
}

// number moves past a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *pageScanner) number() error {
	if s.data[s.pos] == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return s.endOrSyntax(c, "in numeric literal")
	}
	if s.peek() == '.' {
		s.pos++
		if c := s.peek(); c < '0' || c > '9' {
			return s.endOrSyntax(c, "after decimal point in numeric literal")
		}
		s.digits()
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if c := s.peek(); c < '0' || c > '9' {
			return s.endOrSyntax(c, "in exponent of numeric literal")
		}
		s.digits()
	}
	return nil
}

func (s *pageScanner) digits() {
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
}

// peek returns the byte at s.pos, or 0 at the end.
func (s *pageScanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// literal moves past the literal word, which starts at s.pos.
func (s *pageScanner) literal(word string) error {
	for i := 0; i < len(word); i++ {
		c := s.peek()
		if c != word[i] {
			return s.endOrSyntax(c, "in literal "+word+" (expecting "+strconv.QuoteRune(rune(word[i]))+")")
		}
		s.pos++
	}
	return nil
}

// endOrSyntax returns io.ErrUnexpectedEOF at the end of the data, else a syntax error.
func (s *pageScanner) endOrSyntax(c byte, context string) error {
	if s.pos >= len(s.data) {
		return io.ErrUnexpectedEOF
	}
	return s.syntaxError(c, context)
}

// syntaxError describes an unexpected byte c in the words encoding/json uses. A zero c
// means the data ended.
func (s *pageScanner) syntaxError(c byte, context string) error {
	if c == 0 && s.pos >= len(s.data) {
		return io.ErrUnexpectedEOF
	}
	return fmt.Errorf("invalid character %s %s", quoteByte(c), context)
}

func quoteByte(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}

// isSpace marks the white space of RFC 8259: space, tab, line feed and carriage return.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// stringSpecial marks the bytes that end or interrupt the plain run of a string: the quote,
// the backslash and the control characters, which must be escaped.
var stringSpecial = [256]bool{
	'"': true, '\\': true,
	0: true, 1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true,
	8: true, 9: true, 10: true, 11: true, 12: true, 13: true, 14: true, 15: true,
	16: true, 17: true, 18: true, 19: true, 20: true, 21: true, 22: true, 23: true,
	24: true, 25: true, 26: true, 27: true, 28: true, 29: true, 30: true, 31: true,
}

// Constants of specialBytes: 0x01 and 0x80 in each byte of a word.
const (
	eachByte01 = 0x0101010101010101
	eachByte80 = 0x8080808080808080
)

// specialBytes flags the first quote, backslash or control character (below 0x20) among
// the eight bytes of a string in x, read in little-endian order. It returns a word with the
// top bit set in that byte and clear in every byte before it, or 0 when there is none. The
// term (v - 0x01…) &^ v & 0x80… flags each zero byte of v, because subtracting borrows
// through a byte only when it is zero. Likewise (x - 0x20…) &^ x & 0x80… flags each byte
// of x below 0x20. A borrow can flag a byte after a flagged one, never before it, so the
// lowest flag is exact.
func specialBytes(x uint64) uint64 {
	quote := x ^ (eachByte01 * '"')
	backslash := x ^ (eachByte01 * '\\')
	return ((quote-eachByte01)&^quote | (backslash-eachByte01)&^backslash | (x-eachByte01*0x20)&^x) & eachByte80
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
