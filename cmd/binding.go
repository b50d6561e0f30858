package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
)

// boundPrefix starts every secret hi stores, before the JSON of boundSecret.
const boundPrefix = "hi-bound-v1:"

// boundSecret is a stored secret together with where it may be sent. A login writes the
// keyring before the config file. So a login that is killed in between can leave a config
// that names one host and a keyring entry that contains another host's secret. Checking the
// binding at use turns that into an error instead of a credential sent to the wrong host.
type boundSecret struct {
	BaseURL        string `json:"baseURL"`
	AccessTokenURL string `json:"accessTokenURL,omitempty"`
	Secret         string `json:"secret"`
}

// bindSecret encodes secret for storage with the base URL and, for an OAuth consumer
// secret, the access-token URL it belongs to.
func bindSecret(secret, baseURL, accessTokenURL string) string {
	data, _ := json.Marshal(boundSecret{BaseURL: baseURL, AccessTokenURL: accessTokenURL, Secret: secret})
	return boundPrefix + string(data)
}

// unbindSecret decodes a stored secret and checks that it was stored for baseURL and
// accessTokenURL.
func unbindSecret(raw, profile, baseURL, accessTokenURL string) (string, error) {
	var b boundSecret
	encoded, ok := strings.CutPrefix(raw, boundPrefix)
	if !ok || json.Unmarshal([]byte(encoded), &b) != nil {
		return "", withHint(fmt.Errorf("the stored credential of profile %q is not in a form this hi reads", profile),
			fmt.Sprintf("log in again with hi login -p %s", profile))
	}
	if b.BaseURL != baseURL || b.AccessTokenURL != accessTokenURL {
		return "", withHint(fmt.Errorf("the stored credential of profile %q was stored for %s, not the profile's %s, "+
			"so it is not sent: the profile was edited after login, or a login was interrupted", profile,
			describeBinding(b.BaseURL, b.AccessTokenURL), describeBinding(baseURL, accessTokenURL)),
			fmt.Sprintf("log in again with hi login -p %s, or restore the profile's previous settings", profile))
	}
	return b.Secret, nil
}

func describeBinding(baseURL, accessTokenURL string) string {
	if accessTokenURL == "" {
		return baseURL
	}
	return baseURL + " with token service " + accessTokenURL
}
