package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/itchyny/gojq"

	"github.com/hi-cli/hi/internal/termtext"
)

// JQ is a compiled jq expression that shapes a JSON response (github.com/itchyny/gojq).
type JQ struct {
	code *gojq.Code
}

// CompileJQ parses and compiles expr.
func CompileJQ(expr string) (*JQ, error) {
	query, err := gojq.Parse(expr)
	if err != nil {
		return nil, err
	}
	code, err := gojq.Compile(query)
	if err != nil {
		return nil, err
	}
	return &JQ{code: code}, nil
}

// DecodeJSON reads one JSON document from r, keeping numbers as json.Number so that large
// integers and decimals reach the jq expression unchanged.
func DecodeJSON(r io.Reader) (any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch _, err := dec.Token(); {
	case err == io.EOF:
		return v, nil
	case err != nil && !isSyntaxError(err):
		// A failure to read the rest of the body, such as a connection closed early.
		return nil, err
	}
	return nil, errors.New("more than one JSON value")
}

// Write runs the expression on input and writes each result on a line of its own, as
// `jq -r` does: a string as raw text, anything else as JSON, pretty-printed on a terminal.
// On a terminal the control characters of the results are escaped (see termtext).
func (q *JQ) Write(ctx context.Context, w io.Writer, input any, opts RenderOptions) error {
	iter := q.code.RunWithContext(ctx, input)
	var out bytes.Buffer
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				break
			}
			w.Write(out.Bytes())
			return fmt.Errorf("--jq: %w", err)
		}
		if err := writeJQValue(&out, v, opts); err != nil {
			return err
		}
		if out.Len() >= 64<<10 {
			if _, err := w.Write(out.Bytes()); err != nil {
				return err
			}
			out.Reset()
		}
	}
	_, err := w.Write(out.Bytes())
	return err
}

func writeJQValue(out *bytes.Buffer, v any, opts RenderOptions) error {
	if s, isString := v.(string); isString {
		if opts.Terminal {
			s = string(termtext.Text([]byte(s)))
		}
		out.WriteString(s)
		out.WriteByte('\n')
		return nil
	}
	encoded, err := gojq.Marshal(v)
	if err != nil {
		return fmt.Errorf("--jq: %w", err)
	}
	if opts.Terminal {
		out.Write(prettyJSON(encoded, opts.Color))
		return nil
	}
	out.Write(encoded)
	out.WriteByte('\n')
	return nil
}

func isSyntaxError(err error) bool {
	var syntax *json.SyntaxError
	return errors.As(err, &syntax)
}
