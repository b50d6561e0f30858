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
			opts: RenderOptions{Terminal: true}, wantOut: "{\"a\":\n",
			wantErr: "hi: the application/json body is not valid JSON, so it is not pretty-printed\n"},
		{name: "html declared as json", contentType: "application/json", body: "<html>\x1b[2J</html>\n",
			opts: RenderOptions{Terminal: true}, wantOut: "<html>\\x1b[2J</html>\n",
			wantErr: "hi: the application/json body is not valid JSON, so it is not pretty-printed\n"},
		{name: "json not utf-8", contentType: "application/json", body: "{\"a\":\"caf\xe9\"}",
			opts: RenderOptions{Terminal: true}, wantOut: "{\"a\":\"caf\\xe9\"}\n",
			wantErr: "hi: the application/json body is not valid UTF-8, so it is not pretty-printed\n"},
		{name: "invalid json piped byte for byte", contentType: "application/json", body: "{\"a\":\x1b",
			wantOut: "{\"a\":\x1b"},
		{name: "json control characters escaped", contentType: "application/json",
			body: "{\"\u009b2J\":\"\\u001b]0;x\\u0007\u0085\x7f\"}", opts: RenderOptions{Terminal: true},
			wantOut: "{\n  \"\\u009b2J\": \"\\u001b]0;x\\u0007\\u0085\\u007f\"\n}\n"},
		{name: "json escaped before colour", contentType: "application/json", body: "[\"\u009b\"]",
			opts:    RenderOptions{Terminal: true, Color: true},
			wantOut: "\x1b[1m[\x1b[0m\n  \x1b[32m\"\x1b[0m\x1b[35m\\u009b\x1b[0m\x1b[32m\"\x1b[0m\n\x1b[1m]\x1b[0m\n"},
		{name: "json piped keeps control characters", contentType: "application/json", body: "[\"\u009b\x7f\"]",
			wantOut: "[\"\u009b\x7f\"]"},
		{name: "terminal text escaped", contentType: "text/plain",
			body: "ok\r\nsafe\rEVIL\x1b]8;;http://x\x07\bz\u009b\n", opts: RenderOptions{Terminal: true},
			wantOut: "ok\r\nsafe\\rEVIL\\x1b]8;;http://x\\a\\bz\\u009b\n"},
		{name: "text declared binary shown", contentType: "application/octet-stream", body: "plain words",
			opts: RenderOptions{Terminal: true}, wantOut: "plain words\n"},
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

func TestWriteBodyTooLargeForTerminal(t *testing.T) {
	body := strings.Repeat("x", maxTerminalBody+1)
	var out, errOut bytes.Buffer
	if err := WriteBody(&out, &errOut, response("text/plain", body), RenderOptions{Terminal: true}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout has %d bytes, want none", out.Len())
	}
	if want := "hi: body (text/plain) larger than 64 MiB not shown on the terminal; save it with -o FILE\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut.String(), want)
	}
}

func TestWriteHead(t *testing.T) {
	resp := &http.Response{
		Proto:  "HTTP/1.1",
		Status: "404 Not\x1b]0;pwned\x07Found\u009b",
		Header: http.Header{"X-B": {"b\u0085"}, "X-A": {"plain"}},
	}
	cases := []struct {
		name string
		opts RenderOptions
		want string
	}{
		{name: "terminal escapes server text", opts: RenderOptions{Terminal: true},
			want: "HTTP/1.1 404 Not\\x1b]0;pwned\\aFound\\u009b\r\nX-A: plain\r\nX-B: b\\u0085\r\n\r\n"},
		{name: "piped head as received",
			want: "HTTP/1.1 404 Not\x1b]0;pwned\x07Found\u009b\r\nX-A: plain\r\nX-B: b\u0085\r\n\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := WriteHead(&out, resp, tc.opts); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("head = %q, want %q", out.String(), tc.want)
			}
		})
	}
}
