package auth

import (
	"net/http"
	"testing"
)

// BenchmarkAuthorize signs one GET with a query string per iteration, as hi does for each
// call made with a cached OAuth access token, and reports the time and allocations per
// signature for each signature method.
func BenchmarkAuthorize(b *testing.B) {
	for _, method := range []SignatureMethod{PlainText, HMACSHA1} {
		b.Run(string(method), func(b *testing.B) {
			signer := &OAuth1Signer{
				Consumer: Consumer{Key: "hi-sandbox-consumer", Secret: "consumer-secret-0123456789", Method: method},
				Token: AccessToken{Token: "access-token-0123456789abcdef", TokenSecret: "token-secret-0123456789",
					AccessorSecret: "accessor-secret-0123456789"},
			}
			req, err := http.NewRequest(http.MethodGet,
				"https://cernerdemo.api.us-1.healtheintent.com/personnel/v1/personnel?limit=20&formattedName=smith", nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := signer.Authorize(req, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
