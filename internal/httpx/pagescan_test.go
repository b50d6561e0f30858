package httpx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"testing"
)

// decodePageStd reads a page with encoding/json's streaming decoder. It is the reference
// that DecodePage must agree with: the same items, the same PageInfo, and an error for the
// same inputs.
func decodePageStd(r io.Reader, onItem func([]byte) error) (PageInfo, error) {
	var info PageInfo
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return info, errNotCollection
	}
	sawItems := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return info, err
		}
		switch tok {
		case "items":
			sawItems = true
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return info, errNotCollection
			}
			info.Items = 0
			for dec.More() {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return info, err
				}
				var compact bytes.Buffer
				if err := json.Compact(&compact, raw); err != nil {
					return info, err
				}
				if err := onItem(compact.Bytes()); err != nil {
					return info, err
				}
				info.Items++
			}
			if _, err := dec.Token(); err != nil {
				return info, err
			}
		case "totalResults":
			var n json.Number
			if err := dec.Decode(&n); err != nil {
				return info, err
			}
			total, err := strconv.Atoi(n.String())
			if err != nil || total < 0 {
				return info, fmt.Errorf("invalid totalResults %s", n)
			}
			info.TotalResults, info.HasTotal = total, true
		case "nextLink":
			var link *string
			if err := dec.Decode(&link); err != nil {
				return info, err
			}
			info.NextLink = ""
			if link != nil {
				info.NextLink = *link
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return info, err
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return info, err
	}
	if !sawItems {
		return info, errNotCollection
	}
	return info, nil
}

// comparePageDecoders checks that DecodePage and decodePageStd agree on page.
func comparePageDecoders(t *testing.T, page string) {
	t.Helper()
	var got, want []string
	gotInfo, gotErr := DecodePage(strings.NewReader(page), func(item []byte) error {
		got = append(got, string(item))
		return nil
	})
	wantInfo, wantErr := decodePageStd(strings.NewReader(page), func(item []byte) error {
		want = append(want, string(item))
		return nil
	})
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("page %q: error = %v, encoding/json's = %v", page, gotErr, wantErr)
	}
	if gotErr != nil {
		return
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("page %q: items = %q, want %q", page, got, want)
	}
	if gotInfo != wantInfo {
		t.Errorf("page %q: info = %+v, want %+v", page, gotInfo, wantInfo)
	}
}

var pageScanCases = []string{
	`{"items":[],"totalResults":0}`,
	` {"items" : [ 1 , -2.5e+3 , 0 , -0.0E1 , "a\"b\\c\u00e9\/" , true , false , null ] } `,
	`{"firstLink":"f","items":[{"a" : {"b":[1,{"c":null}]}, "d":[]},{}],"nextLink":"n?o=1&l=2"}`,
	"{\n  \"items\": [\n    {\"name\": \"Ann\\nLee\", \"tags\": [ ]}\n  ],\n  \"totalResults\": 1\n}\n",
	`{"items":["é ü 日本"],"totalResults":"7","nextLink":null}`,
	`{"items":[1],"items":[2,3]}`,
	`{"it\u0065ms":[1]}`,
	`{"items":[1]} trailing data is not read`,
	`{}`,
	`[1,2]`,
	``,
	`{"items":{}}`,
	`{"items":[1,`,
	`{"items":[1 2]}`,
	`{"items":[01]}`,
	`{"items":[1.]}`,
	`{"items":[-]}`,
	`{"items":[1e]}`,
	`{"items":[tru]}`,
	`{"items":[nul]}`,
	`{"items":["a` + "\x01" + `"]}`,
	`{"items":["\x"]}`,
	`{"items":["\u12g4"]}`,
	`{"items":[{"a" 1}]}`,
	`{"items":[{"a":1,}]}`,
	`{"items":[{1:2}]}`,
	`{"items":[1],"totalResults":-1}`,
	`{"items":[1],"totalResults":1.5}`,
	`{"items":[1],"nextLink":5}`,
	`{"items":[1] "x":1}`,
	`{"items":[1],}`,
	`{"items":[1]`,
	`{"items":[` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `]}`,
	`{"items":[` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `]}`,
}

func TestDecodePageMatchesEncodingJSON(t *testing.T) {
	for _, page := range pageScanCases {
		comparePageDecoders(t, page)
	}
}

func TestDecodePageStopsOnItemError(t *testing.T) {
	stop := fmt.Errorf("stop")
	n := 0
	_, err := DecodePage(strings.NewReader(`{"items":[1,2,3]}`), func([]byte) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("error = %v, want the error of onItem", err)
	}
	if n != 2 {
		t.Errorf("onItem called %d times, want 2", n)
	}
}

func TestDecodePageRejectsHugePage(t *testing.T) {
	body := io.MultiReader(strings.NewReader(`{"items":["`), &fillerReader{n: maxBufferedPage})
	if _, err := DecodePage(body, func([]byte) error { return nil }); err != errPageTooLarge {
		t.Errorf("error = %v, want %v", err, errPageTooLarge)
	}
}

// fillerReader returns n bytes of 'a', then io.EOF.
type fillerReader struct{ n int }

func (z *fillerReader) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.n)
	for i := range p[:n] {
		p[i] = 'a'
	}
	z.n -= n
	return n, nil
}

func FuzzDecodePage(f *testing.F) {
	for _, page := range pageScanCases {
		f.Add(page)
	}
	f.Fuzz(func(t *testing.T, page string) {
		comparePageDecoders(t, page)
	})
}

// BenchmarkDecodePage reads a page of 100 items of the sandbox's personnel shape, about
// 85 KB, and reports the throughput.
func BenchmarkDecodePage(b *testing.B) {
	page := benchmarkPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodePage(bytes.NewReader(page), func([]byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// benchmarkPage returns a collection page of n items of about 850 bytes each.
func benchmarkPage(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%08d-8ceb-8165-8299-5d0a660c117d","birthDate":"1950-01-01","gender":"FEMALE",`+
			`"name":{"prefix":"Dr.","given":["Olivia"],"family":"Smith","suffix":"MD","formatted":"Smith, Olivia"},`+
			`"addresses":[{"use":"WORK","text":"100 Main Street, Kansas City, MO 64100","lines":["100 Main Street"],`+
			`"city":"Kansas City","state":"MO","postalCode":"64100","country":"US"}],`+
			`"aliases":[{"value":"1100000000","system":"2.16.840.1.113883.4.6","type":"EXTERNAL"},`+
			`{"value":"osmith000","system":"urn:example:sandbox:username","type":"USER"}],`+
			`"telecoms":[{"system":"PHONE","value":"+18165550100"},{"system":"EMAIL","value":"osmith000@example.org"}],`+
			`"languages":["en","es","vi"],"qualifications":[{"code":"MD","issuer":"Missouri Board of Medicine",`+
			`"start":"2000-07-01","end":"2003-07-01"}],"createdAt":"2019-03-04T14:00:00.000Z",`+
			`"updatedAt":"2019-03-04T14:00:00.000Z","score":%d.5e-3}`, i, i)
	}
	fmt.Fprintf(&b, `],"totalResults":100000,"firstLink":"http://127.0.0.1/p?offset=0&limit=%d",`+
		`"nextLink":"http://127.0.0.1/p?offset=%d&limit=%d"}`, n, n, n)
	return b.Bytes()
}

// TestSpecialBytesFindsFirst checks specialBytes against stringSpecial for every byte value
// at every position of a word, with special bytes after it that must not hide it.
func TestSpecialBytesFindsFirst(t *testing.T) {
	for position := range 8 {
		for value := range 256 {
			word := []byte("abcdefgh")
			word[position] = byte(value)
			for after := position + 1; after < 8; after++ {
				word[after] = []byte{'"', '\\', 0, 0x1f}[after%4]
			}
			got := specialBytes(binary.LittleEndian.Uint64(word))
			switch {
			case stringSpecial[value] && (got == 0 || bits.TrailingZeros64(got)/8 != position):
				t.Errorf("byte %#x at %d: first flag at %d, want %d", value, position, bits.TrailingZeros64(got)/8, position)
			case !stringSpecial[value] && position == 7 && got != 0:
				t.Errorf("byte %#x at 7: flagged %#x, want none", value, got)
			case !stringSpecial[value] && position < 7 && bits.TrailingZeros64(got)/8 != position+1:
				t.Errorf("byte %#x at %d: first flag at %d, want %d", value, position, bits.TrailingZeros64(got)/8, position+1)
			}
		}
	}
}
