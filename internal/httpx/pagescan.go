package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
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
// grammar as encoding/json does and copies each item without insignificant white space,
// which is what json.Compact produces, but it scans each byte once instead of three times.
type pageScanner struct {
	data []byte
	pos  int
	// item is the compact copy of the item being scanned. While keeping is set, the bytes
	// from spanStart on belong to the item and have not been copied yet.
	item      []byte
	keeping   bool
	spanStart int
	depth     int
}

// maxPooledPage bounds the buffer kept for the next page, so that one huge page does not
// hold its memory for the rest of the walk.
const maxPooledPage = 1 << 20

// release returns s to pageBuffers, unless its buffers grew past maxPooledPage.
func (s *pageScanner) release() {
	if cap(s.data) > maxPooledPage || cap(s.item) > maxPooledPage {
		return
	}
	pageBuffers.Put(s)
}

// readAll reads r into s.data, reusing its capacity, up to maxBufferedPage bytes.
func (s *pageScanner) readAll(r io.Reader) error {
	s.data, s.pos, s.depth = s.data[:0], 0, 0
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
	escaped, err := s.str()
	if err != nil {
		return "", err
	}
	key := string(s.data[start+1 : s.pos-1])
	if escaped {
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
		if err := s.keptValue(); err != nil {
			return n, err
		}
		if err := onItem(s.item); err != nil {
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

// keptValue checks the next value and copies it without white space to s.item.
func (s *pageScanner) keptValue() error {
	s.skipSpace()
	s.item = s.item[:0]
	s.keeping, s.spanStart = true, s.pos
	err := s.value()
	s.item = append(s.item, s.data[s.spanStart:s.pos]...)
	s.keeping = false
	return err
}

// skipSpace moves past white space and returns the byte there, or 0 at the end. Inside a
// kept value it first copies the bytes before the white space to s.item, so that a value
// without white space is copied in one piece.
func (s *pageScanner) skipSpace() byte {
	start := s.pos
	for s.pos < len(s.data) && isSpace[s.data[s.pos]] {
		s.pos++
	}
	if s.keeping && s.pos > start {
		s.item = append(s.item, s.data[s.spanStart:start]...)
		s.spanStart = s.pos
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
	c := s.skipSpace()
	switch {
	case s.pos == len(s.data):
		return io.ErrUnexpectedEOF
	case c == '{' || c == '[':
		return s.container(c)
	case c == '"':
		if _, err := s.str(); err != nil {
			return err
		}
	case c == '-' || (c >= '0' && c <= '9'):
		if err := s.number(); err != nil {
			return err
		}
	case c == 't':
		if err := s.literal("true"); err != nil {
			return err
		}
	case c == 'f':
		if err := s.literal("false"); err != nil {
			return err
		}
	case c == 'n':
		if err := s.literal("null"); err != nil {
			return err
		}
	default:
		return s.syntaxError(c, "looking for beginning of value")
	}
	return nil
}

// container checks an object or array that opens with c.
func (s *pageScanner) container(c byte) error {
	s.depth++
	if s.depth > maxNestingDepth {
		return errors.New("exceeded max depth")
	}
	closing := byte(']')
	if c == '{' {
		closing = '}'
	}
	s.pos++
	if s.skipSpace() == closing {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if c == '{' {
			if err := s.objectKey(); err != nil {
				return err
			}
		}
		if err := s.value(); err != nil {
			return err
		}
		d, err := s.next()
		if err != nil {
			return err
		}
		switch {
		case d == closing:
			s.depth--
			return nil
		case d != ',' && c == '{':
			return s.syntaxError(d, "after object key:value pair")
		case d != ',':
			return s.syntaxError(d, "after array element")
		}
	}
}

// objectKey checks a key of a nested object and the colon after it.
func (s *pageScanner) objectKey() error {
	if c := s.skipSpace(); c != '"' {
		return s.syntaxError(c, "looking for beginning of object key string")
	}
	if _, err := s.str(); err != nil {
		return err
	}
	c, err := s.next()
	if err != nil {
		return err
	}
	if c != ':' {
		return s.syntaxError(c, "after object key")
	}
	return nil
}

// str moves past a string that starts at s.pos and reports whether it has escapes. Like
// encoding/json, it rejects control characters and invalid escapes but not invalid UTF-8.
func (s *pageScanner) str() (escaped bool, err error) {
	i := s.pos + 1
	for i < len(s.data) {
		// Most bytes of a string need no check beyond this lookup.
		for i < len(s.data) && !stringSpecial[s.data[i]] {
			i++
		}
		if i == len(s.data) {
			break
		}
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return escaped, nil
		case c < 0x20:
			s.pos = i
			return escaped, s.syntaxError(c, "in string literal")
		case c == '\\':
			escaped = true
			n, err := s.escape(i)
			if err != nil {
				return escaped, err
			}
			i += n
		default:
			i++
		}
	}
	s.pos = i
	return escaped, io.ErrUnexpectedEOF
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

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
