package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hi-cli/hi/internal/auth"
	"github.com/hi-cli/hi/internal/config"
)

// NewHelpTopics returns hi's help topics: environment, exit-codes and auth. A topic is a
// command without a run function, which cobra lists under "Additional help topics", and
// hi help TOPIC prints its text and nothing else.
func NewHelpTopics() []*cobra.Command {
	return []*cobra.Command{
		newHelpTopic("environment", "Environment variables, precedence and the config file's location", environmentTopic()),
		newHelpTopic("exit-codes", "Exit codes and what each one means", exitCodesTopic()),
		newHelpTopic("auth", "Bearer tokens, Cerner OAuth 1.0a and where hi keeps secrets", authTopic()),
	}
}

func newHelpTopic(name, short, text string) *cobra.Command {
	c := &cobra.Command{Use: name, Short: short, Long: text}
	c.SetHelpFunc(func(c *cobra.Command, args []string) {
		fmt.Fprintln(c.OutOrStdout(), c.Long)
	})
	return c
}

// envVar is one environment variable of hi help environment.
type envVar struct {
	name, meaning string
}

// environmentVars returns the variables that hi help environment documents, grouped by purpose.
func environmentVars() [][]envVar {
	return [][]envVar{
		{
			{"HI_PROFILE", "profile to use, as -p/--profile (default: the config file's current profile)"},
			{"HI_CONFIG", "config file, as --config"},
		},
		{
			{"HI_TENANT", "tenant mnemonic: the host is https://TENANT.api.REGION.healtheintent.com"},
			{"HI_REGION", "region of the tenant's host (default " + config.DefaultRegion + ")"},
			{"HI_BASE_URL", "full base URL, in place of HI_TENANT and HI_REGION"},
		},
		{
			{"HI_AUTH", "scheme: bearer or oauth1, as --auth (default " + config.DefaultAuth + ")"},
			{"HI_TOKEN", "bearer token, used in place of the profile's stored token"},
			{"HI_CONSUMER_KEY", "Cerner OAuth 1.0a consumer key"},
			{"HI_CONSUMER_SECRET", "Cerner OAuth 1.0a consumer secret, used in place of the stored one"},
			{"HI_ACCESS_TOKEN_URL", "OAuth access-token service (default " + config.DefaultAccessTokenURL + ")"},
			{"HI_SIGNATURE_METHOD", "OAuth signature method: PLAINTEXT or HMAC-SHA1 (default " + config.DefaultSignatureMethod + ")"},
		},
		{
			{"HI_TIMEOUT", "time limit of each request, a duration such as 30s or 2m (default " + config.DefaultTimeout.String() + ")"},
			{"HI_KEYRING_TIMEOUT", "time limit of each keyring call, a duration (default " + auth.DefaultKeyringTimeout.String() + ")"},
			{"HI_CA_BUNDLE", "PEM file of CA certificates to trust as well, as --cacert"},
			{"HI_CACHE_DIR", "directory of the --etag response cache and OAuth token locks (default: <user cache dir>/hi)"},
			{"HI_DEBUG", "1 or true traces each request and response on standard error, as -v/--verbose"},
			{"NO_COLOR", "any non-empty value turns colour off, as --color never (--color always still colours)"},
		},
	}
}

func environmentTopic() string {
	var b strings.Builder
	b.WriteString("hi reads the environment variables below. A setting given as a flag wins over the environment,\n" +
		"the environment wins over the selected profile, and the profile wins over hi's defaults.\n")
	for _, group := range environmentVars() {
		b.WriteString("\n")
		for _, v := range group {
			fmt.Fprintf(&b, "  %-21s%s\n", v.name, v.meaning)
		}
	}
	b.WriteString("\n" +
		"With HI_TOKEN and HI_TENANT (or HI_BASE_URL) set, hi needs no config file and no keyring,\n" +
		"which suits CI:\n\n" +
		"  export HI_TENANT=cernerdemo HI_TOKEN=\"$SECRET_TOKEN\"\n" +
		"  hi get /personnel/v1/personnel > people.json\n\n" +
		"The config file is the first of:\n" +
		"  1. --config FILE, else HI_CONFIG\n" +
		"  2. $XDG_CONFIG_HOME/hi/config.yaml on every platform, when XDG_CONFIG_HOME is set\n" +
		"  3. Linux and other Unix systems: ~/.config/hi/config.yaml\n" +
		"     macOS: ~/Library/Application Support/hi/config.yaml\n" +
		"     Windows: %AppData%\\hi\\config.yaml\n" +
		"It never contains a secret. See hi help auth for where secrets are kept.")
	return b.String()
}

// exitCodeRows returns the exit-code table. docs/exit-codes.md holds the same table, and a
// test keeps the two equal.
func exitCodeRows() [][2]string {
	return [][2]string{
		{"0", "success: a 2xx status, or 304 Not Modified"},
		{"1", "no HTTP answer: network failure or timeout, an unreadable config file, an unavailable keyring, a missing credential"},
		{"2", "usage error: an unknown command or flag, a missing argument, invalid input (header, query item, JSON body, profile name, or a tenant, region or base URL from a flag, the environment or the config file); nothing was sent"},
		{"3", "a 3xx redirect that was not followed (only GET and HEAD follow redirects)"},
		{"4", "a 4xx client error, such as 401 (credential rejected), 403 (API not granted), 404, 409, 412 or 422"},
		{"5", "a 5xx server error"},
		{"130", "interrupted with Ctrl-C (SIGINT); nothing partial is left in an -o file or the config"},
		{"143", "stopped with SIGTERM, as timeout(1) and CI runners do; handled like Ctrl-C"},
	}
}

func exitCodesTopic() string {
	var b strings.Builder
	b.WriteString("Every hi command ends with one of these exit codes, so a script can branch on the outcome\n" +
		"without parsing output.\n\n")
	for _, row := range exitCodeRows() {
		fmt.Fprintf(&b, "  %s  %s\n", row[0], row[1])
	}
	b.WriteString("\n" +
		"For an error status the response body is still written to standard output, so a script can\n" +
		"read the platform's error document, and standard error gets one summary line, for example\n" +
		"\"HTTP 404 Not Found: GET /personnel/v1/personnel/123\", followed by a hint where one helps.")
	return b.String()
}

func authTopic() string {
	return "hi signs each request with one of the two schemes HealtheIntent accepts.\n\n" +
		"Bearer token (auth: bearer, the default)\n" +
		"  A system account's long-lived token, sent as \"Authorization: Bearer TOKEN\". Every API accepts\n" +
		"  it except the Data Collector API (see hi api show data-collector). hi login --tenant TENANT\n" +
		"  stores one, and HI_TOKEN supplies one without a login.\n\n" +
		"Cerner OAuth 1.0a (auth: oauth1)\n" +
		"  Two-legged OAuth 1.0a with a consumer key and secret. hi fetches an access token from the\n" +
		"  access-token service (" + config.DefaultAccessTokenURL + " unless the profile or\n" +
		"  HI_ACCESS_TOKEN_URL names another), reuses it until shortly before it expires, and signs each\n" +
		"  request with PLAINTEXT or HMAC-SHA1. hi login --oauth --consumer-key KEY stores the secret,\n" +
		"  and HI_CONSUMER_KEY with HI_CONSUMER_SECRET supply both without a login. When a profile holds\n" +
		"  both kinds of credential, --auth or HI_AUTH picks the scheme for one call.\n\n" +
		"Where secrets are kept\n" +
		"  In the OS keyring under the service \"" + auth.KeyringService + "\": the Secret Service on Linux, the Keychain on\n" +
		"  macOS and the Credential Manager on Windows. Each profile has one entry per kind of secret,\n" +
		"  named PROFILE:" + auth.KindBearer + ", PROFILE:" + auth.KindConsumerSecret + " and PROFILE:" + auth.KindAccessToken + " (the cached access\n" +
		"  token). A secret too long for one entry continues in PROFILE:KIND#1, PROFILE:KIND#2 and so on.\n" +
		"  Each keyring call gives up after HI_KEYRING_TIMEOUT (default " + auth.DefaultKeyringTimeout.String() + ").\n\n" +
		"  Where no keyring is available, hi login --insecure-storage keeps the profile's secrets\n" +
		"  unencrypted in credentials.yaml (mode 0600) beside the config file, and says so. Secrets in\n" +
		"  environment variables need neither keyring nor file. The config file never contains a secret.\n\n" +
		"  Secrets are read from a hidden prompt or, with --with-token, from standard input; never from a\n" +
		"  flag value, which would end up in the shell history. hi logout removes a profile's secrets and\n" +
		"  keeps its settings; hi profile remove removes both."
}
