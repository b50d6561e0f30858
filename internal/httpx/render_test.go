package httpx

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func response(contentType, body string) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &http.Response{Header: h, Body: io.NopCloser(strings.NewReader(body))}
}

func TestWriteBody(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		body        string
		opts        RenderOptions
		wantOut     string
		wantErr     string
	}{
		{name: "piped output stays compact", contentType: "application/json", body: `{"a":1}`,
			wantOut: `{"a":1}`},
		{name: "terminal json is indented", contentType: "application/json", body: `{"a":[1,2]}`,
			opts: RenderOptions{Terminal: true}, wantOut: "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n"},
		{name: "terminal json with colour", contentType: "application/json", body: `{"a":1}`,
			opts: RenderOptions{Terminal: true, Color: true}, wantOut: "\x1b[1m{\x1b[0m\n  \x1b[1m\x1b[94m\"a\"\x1b[0m\x1b[1m:\x1b[0m \x1b[33m1\x1b[0m\n\x1b[1m}\x1b[0m\n"},
		{name: "invalid json printed as is", contentType: "application/json", body: `{"a":`,
			opts: RenderOptions{Terminal: true}, wantOut: "{\"a\":\n"},
		{name: "text gets a final newline", contentType: "text/plain", body: "hello",
			opts: RenderOptions{Terminal: true}, wantOut: "hello\n"},
		{name: "binary kept off the terminal", contentType: "application/gzip", body: "\x1f\x8b\x00\x00",
			opts:    RenderOptions{Terminal: true},
			wantErr: "hi: binary body (application/gzip, 4 bytes) not shown on the terminal; save it with -o FILE\n"},
		{name: "binary piped byte for byte", contentType: "application/gzip", body: "\x1f\x8b\x00\x00",
			wantOut: "\x1f\x8b\x00\x00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if err := WriteBody(&out, &errOut, response(tc.contentType, tc.body), tc.opts); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.wantOut {
				t.Errorf("stdout = %q, want %q", out.String(), tc.wantOut)
			}
			if errOut.String() != tc.wantErr {
				t.Errorf("stderr = %q, want %q", errOut.String(), tc.wantErr)
			}
		})
	}
}
