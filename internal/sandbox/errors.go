package sandbox

import (
	"fmt"
	"net/http"
)

// errorDomain is the domain of every error detail the sandbox sends.
const errorDomain = "global"

// apiError is the platform's error body, for example
// {"code":404,"message":"Not Found","errorDetails":[…]}.
type apiError struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Details []errorDetail `json:"errorDetails,omitempty"`
}

// errorDetail is one entry of errorDetails. LocationType is one of query, header, path,
// formData or body, and Location names the parameter, header or field.
type errorDetail struct {
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Message      string `json:"message"`
	LocationType string `json:"locationType,omitempty"`
	Location     string `json:"location,omitempty"`
}

// newAPIError builds the error body for status, with the status text as its message. Details
// without a domain get errorDomain.
func newAPIError(status int, details ...errorDetail) *apiError {
	for i := range details {
		if details[i].Domain == "" {
			details[i].Domain = errorDomain
		}
	}
	return &apiError{Code: status, Message: http.StatusText(status), Details: details}
}

// writeError sends e as a JSON body with e.Code as the status.
func writeError(w http.ResponseWriter, e *apiError) {
	body := encodeJSON(e)
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(e.Code)
	w.Write(body)
}

// queryError builds the detail for an invalid query parameter.
func queryError(param, message string) errorDetail {
	return errorDetail{Reason: "invalidParameter", Message: message, LocationType: "query", Location: param}
}

// bodyError builds the detail for an invalid field of the request body. An empty field
// means the body as a whole.
func bodyError(field, reason, message string) errorDetail {
	return errorDetail{Reason: reason, Message: message, LocationType: "body", Location: field}
}

// recordNotFound builds the 404 for an id that names no record.
func recordNotFound(kind, param, id string) *apiError {
	return newAPIError(http.StatusNotFound, errorDetail{
		Reason:       "notFound",
		Message:      fmt.Sprintf("no %s with ID %q", kind, id),
		LocationType: "path",
		Location:     param,
	})
}
