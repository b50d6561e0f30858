package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// maxBodyBytes is the largest request body the sandbox reads. Larger bodies get 413.
const maxBodyBytes = 1 << 20

// decodePersonnel reads a personnel record from the request body. A body that is not JSON gets
// 400. JSON that is not a valid record gets 422 with one detail per field at fault. Unknown
// fields and wrong JSON types are reported first, and the rules of validatePersonnel are
// checked only once the body has the right shape.
func decodePersonnel(w http.ResponseWriter, r *http.Request) (personnel, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return personnel{}, readBodyError(err)
	}

	var tree any
	if err := json.Unmarshal(body, &tree); err != nil {
		return personnel{}, newAPIError(http.StatusBadRequest,
			bodyError("", "parseError", "body is not valid JSON: "+err.Error()))
	}
	if _, ok := tree.(map[string]any); !ok {
		return personnel{}, newAPIError(http.StatusUnprocessableEntity, wrongType("", "an object", tree))
	}
	if details := checkShape(tree, reflect.TypeFor[personnel](), ""); len(details) > 0 {
		return personnel{}, newAPIError(http.StatusUnprocessableEntity, details...)
	}

	var p personnel
	if err := json.Unmarshal(body, &p); err != nil {
		// checkShape accepts only JSON that decodes into personnel, so this is a sandbox bug.
		return personnel{}, newAPIError(http.StatusInternalServerError,
			bodyError("", "internalError", "failed to decode a checked body: "+err.Error()))
	}
	if details := validatePersonnel(p); len(details) > 0 {
		return personnel{}, newAPIError(http.StatusUnprocessableEntity, details...)
	}
	return p, nil
}

func readBodyError(err error) *apiError {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newAPIError(http.StatusRequestEntityTooLarge,
			bodyError("", "tooLarge", fmt.Sprintf("body is larger than %d bytes", tooLarge.Limit)))
	}
	return newAPIError(http.StatusBadRequest, bodyError("", "readError", "failed to read body: "+err.Error()))
}

// checkShape compares a decoded JSON value with the Go type it will be decoded into. It returns
// a detail for each object member that t has no field for and for each value of the wrong JSON
// type. A JSON null is accepted anywhere and leaves the zero value.
func checkShape(v any, t reflect.Type, path string) []errorDetail {
	if v == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return checkObject(v, t, path)
	case reflect.Slice:
		return checkArray(v, t, path)
	case reflect.String:
		if _, ok := v.(string); !ok {
			return []errorDetail{wrongType(path, "a string", v)}
		}
	}
	return nil
}

func checkObject(v any, t reflect.Type, path string) []errorDetail {
	object, ok := v.(map[string]any)
	if !ok {
		return []errorDetail{wrongType(path, "an object", v)}
	}

	fields := jsonFields(t)
	var details []errorDetail
	for _, key := range slices.Sorted(maps.Keys(object)) {
		fieldPath := joinFieldPath(path, key)
		fieldType, known := fields[key]
		if !known {
			details = append(details, bodyError(fieldPath, "unknownField", "unknown field "+fieldPath))
			continue
		}
		details = append(details, checkShape(object[key], fieldType, fieldPath)...)
	}
	return details
}

func checkArray(v any, t reflect.Type, path string) []errorDetail {
	array, ok := v.([]any)
	if !ok {
		return []errorDetail{wrongType(path, "an array", v)}
	}

	var details []errorDetail
	for i, element := range array {
		details = append(details, checkShape(element, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
	}
	return details
}

// jsonFields maps the JSON member names of a struct type to the types of their fields.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for field := range t.Fields() {
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fields[name] = field.Type
		}
	}
	return fields
}

func joinFieldPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// wrongType builds the detail for a value of the wrong JSON type at path, where an empty path
// is the body itself.
func wrongType(path, expected string, v any) errorDetail {
	subject := path
	if subject == "" {
		subject = "body"
	}
	message := fmt.Sprintf("%s must be %s, not %s", subject, expected, jsonTypeName(v))
	return bodyError(path, "invalidType", message)
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}
