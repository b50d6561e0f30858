package httpx

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestDecodeJSONReportsReadFailure(t *testing.T) {
	failure := errors.New("connection closed")
	r := io.MultiReader(strings.NewReader(`{"a":1} `), iotest.ErrReader(failure))
	if _, err := DecodeJSON(r); !errors.Is(err, failure) {
		t.Errorf("error = %v, want the read failure", err)
	}
	if _, err := DecodeJSON(strings.NewReader(`{"a":1} {"b":2}`)); err == nil || err.Error() != "more than one JSON value" {
		t.Errorf("two values: error = %v", err)
	}
	if _, err := DecodeJSON(strings.NewReader(`{"a":1}`)); err != nil {
		t.Errorf("one value: %v", err)
	}
}
