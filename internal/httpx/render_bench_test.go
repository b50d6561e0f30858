package httpx

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// BenchmarkWriteBody renders a 100-item collection page of about 85 KB of compact JSON and
// reports the throughput in MB/s of response body. It writes the page as hi does to a pipe
// (the bytes as they are), to a terminal (pretty-printed) and to a terminal with colour.
func BenchmarkWriteBody(b *testing.B) {
	page := benchmarkPage(100)
	modes := []struct {
		name string
		opts RenderOptions
	}{
		{"raw", RenderOptions{}},
		{"pretty", RenderOptions{Terminal: true}},
		{"pretty-color", RenderOptions{Terminal: true, Color: true}},
	}
	for _, mode := range modes {
		b.Run(mode.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				resp := &http.Response{
					Header: http.Header{"Content-Type": {"application/json"}},
					// A bare io.Reader, as an HTTP body is: io.Copy cannot hand the whole
					// slice over in one WriteTo call.
					Body: io.NopCloser(struct{ io.Reader }{bytes.NewReader(page)}),
				}
				if err := WriteBody(writeOnly{}, io.Discard, resp, mode.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// writeOnly discards what it is given. Unlike io.Discard it has no ReadFrom method, so
// io.Copy moves the bytes through its buffer as it does for a pipe.
type writeOnly struct{}

func (writeOnly) Write(p []byte) (int, error) { return len(p), nil }
