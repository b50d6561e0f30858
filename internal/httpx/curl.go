package httpx

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CurlCommand returns a curl command line that sends the same request as req with body,
// for --dry-run. Credential headers are masked (MaskHeaderValue), and so are OAuth secrets in
// the URL and in a form body. A body that is not text is referred to as bodyFile, or as
// standard input when bodyFile is empty.
func CurlCommand(req *http.Request, body []byte, bodyFile string, timeout time.Duration) string {
	var b strings.Builder
	b.WriteString("curl")
	if req.Method != http.MethodGet || len(body) > 0 {
		fmt.Fprintf(&b, " -X %s", req.Method)
	}
	if timeout > 0 {
		fmt.Fprintf(&b, " --max-time %g", timeout.Seconds())
	}
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, value := range req.Header[name] {
			fmt.Fprintf(&b, " \\\n  -H %s", shellQuote(name+": "+MaskHeaderValue(name, value)))
		}
	}
	switch {
	case len(body) == 0:
	case utf8.Valid(body) && bytes.IndexByte(body, 0) < 0:
		fmt.Fprintf(&b, " \\\n  --data-binary %s", shellQuote(MaskForm(string(body))))
	case bodyFile != "":
		fmt.Fprintf(&b, " \\\n  --data-binary %s", shellQuote("@"+bodyFile))
	default:
		b.WriteString(" \\\n  --data-binary @-")
	}
	fmt.Fprintf(&b, " \\\n  %s\n", shellQuote(RedactURL(req.URL)))
	return b.String()
}

// shellQuote quotes s for a POSIX shell: inside single quotes, where only the single quote
// itself needs care.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
