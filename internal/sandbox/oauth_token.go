package sandbox

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/hi-cli/hi/internal/auth"
)

// keysVersion is the KeysVersion of every token the sandbox issues. A token that names another
// version is rejected.
const keysVersion = "1"

// signatureField starts the last field of a token, the signature over everything before it.
const signatureField = "&RSASHA1="

// tokenIssuer issues and verifies access tokens in the shape of Cerner's: a form-encoded
// string with ConsumerKey, ExpiresOn, HMACSecrets, KeysVersion, optionally
// Consumer.Principal, and last RSASHA1. HMACSecrets holds the token secret, the accessor
// secret and a serial number, encrypted with AES-128-CBC under a random key of this sandbox.
// Despite its name, RSASHA1 is an HMAC-SHA256 under another random key, which is enough for a
// server that verifies only its own tokens. The tokens therefore carry everything the sandbox
// needs, and it keeps no table of them. It is safe for concurrent use.
type tokenIssuer struct {
	block  cipher.Block
	macKey []byte

	mu sync.Mutex
	// lastSerial is the serial number of the newest token, and every token up to
	// revokedThrough is revoked.
	lastSerial     uint64
	revokedThrough uint64
}

// tokenGrant contains the parameters of a token request that the issued token records.
type tokenGrant struct {
	consumerKey    string
	principal      string // xoauth_principal, or ""
	accessorSecret string // oauth_accessor_secret, or ""
	expiresOn      int64  // seconds since the Unix epoch
}

// issuedToken is the content of a verified access token.
type issuedToken struct {
	tokenGrant
	serial uint64
	secret string
}

// clientSecret returns the client half of the key that calls made with the token are signed
// with: the accessor secret when the token request sent one, else the consumer secret.
func (t issuedToken) clientSecret(consumerSecret string) string {
	if t.accessorSecret != "" {
		return t.accessorSecret
	}
	return consumerSecret
}

func newTokenIssuer() *tokenIssuer {
	key := make([]byte, 16)
	rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(fmt.Sprintf("sandbox: AES key of %d bytes: %v", len(key), err))
	}
	macKey := make([]byte, 32)
	rand.Read(macKey)
	return &tokenIssuer{block: block, macKey: macKey}
}

// issue returns a new access token for g and its token secret.
func (ti *tokenIssuer) issue(g tokenGrant) (token, secret string) {
	ti.mu.Lock()
	ti.lastSerial++
	serial := ti.lastSerial
	ti.mu.Unlock()

	secret = randomToken()
	sealed := ti.seal(url.Values{
		"serial":   {strconv.FormatUint(serial, 10)},
		"secret":   {secret},
		"accessor": {g.accessorSecret},
	}.Encode())

	var b strings.Builder
	b.WriteString("ConsumerKey=" + auth.PercentEncode(g.consumerKey))
	b.WriteString("&ExpiresOn=" + strconv.FormatInt(g.expiresOn, 10))
	b.WriteString("&HMACSecrets=" + auth.PercentEncode(sealed))
	b.WriteString("&KeysVersion=" + keysVersion)
	if g.principal != "" {
		b.WriteString("&Consumer.Principal=" + auth.PercentEncode(g.principal))
	}
	signed := b.String()
	return signed + signatureField + auth.PercentEncode(ti.sign(signed)), secret
}

// open verifies a token's signature and returns its content. It fails for a token that this
// sandbox did not issue or that was changed.
func (ti *tokenIssuer) open(token string) (issuedToken, error) {
	end := strings.LastIndex(token, signatureField)
	if end < 0 {
		return issuedToken{}, errors.New("token has no RSASHA1 field")
	}
	signed := token[:end]
	signature, err := url.QueryUnescape(token[end+len(signatureField):])
	if err != nil || !hmac.Equal([]byte(signature), []byte(ti.sign(signed))) {
		return issuedToken{}, errors.New("token signature does not match")
	}

	// The fields are the sandbox's own from here on, so a failure is a sandbox bug.
	fields, err := url.ParseQuery(signed)
	if err != nil {
		return issuedToken{}, fmt.Errorf("token fields: %w", err)
	}
	if fields.Get("KeysVersion") != keysVersion {
		return issuedToken{}, fmt.Errorf("token KeysVersion %q is not %s", fields.Get("KeysVersion"), keysVersion)
	}
	t := issuedToken{tokenGrant: tokenGrant{
		consumerKey: fields.Get("ConsumerKey"),
		principal:   fields.Get("Consumer.Principal"),
	}}
	if t.expiresOn, err = strconv.ParseInt(fields.Get("ExpiresOn"), 10, 64); err != nil {
		return issuedToken{}, fmt.Errorf("token ExpiresOn: %w", err)
	}
	if err := ti.openSecrets(fields.Get("HMACSecrets"), &t); err != nil {
		return issuedToken{}, err
	}
	return t, nil
}

// openSecrets decrypts HMACSecrets into t.
func (ti *tokenIssuer) openSecrets(sealed string, t *issuedToken) error {
	plain, err := ti.unseal(sealed)
	if err != nil {
		return fmt.Errorf("token HMACSecrets: %w", err)
	}
	secrets, err := url.ParseQuery(plain)
	if err != nil {
		return fmt.Errorf("token HMACSecrets: %w", err)
	}
	if t.serial, err = strconv.ParseUint(secrets.Get("serial"), 10, 64); err != nil {
		return fmt.Errorf("token serial: %w", err)
	}
	t.secret = secrets.Get("secret")
	t.accessorSecret = secrets.Get("accessor")
	return nil
}

// revoked reports whether the token with this serial number was revoked.
func (ti *tokenIssuer) revoked(serial uint64) bool {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	return serial <= ti.revokedThrough
}

// revokeAll revokes every token issued so far.
func (ti *tokenIssuer) revokeAll() {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	ti.revokedThrough = ti.lastSerial
}

// sign returns the base64 HMAC-SHA256 of s under the issuer's key.
func (ti *tokenIssuer) sign(s string) string {
	mac := hmac.New(sha256.New, ti.macKey)
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// seal encrypts plain with AES-CBC and PKCS #7 padding under a random IV, and returns the IV
// followed by the ciphertext in unpadded URL-safe base64.
func (ti *tokenIssuer) seal(plain string) string {
	padding := aes.BlockSize - len(plain)%aes.BlockSize
	data := append([]byte(plain), bytes.Repeat([]byte{byte(padding)}, padding)...)

	out := make([]byte, aes.BlockSize+len(data))
	iv := out[:aes.BlockSize]
	rand.Read(iv)
	cipher.NewCBCEncrypter(ti.block, iv).CryptBlocks(out[aes.BlockSize:], data)
	return base64.RawURLEncoding.EncodeToString(out)
}

// unseal reverses seal. Its only caller, open, verifies the token's signature first, so the
// ciphertext is the sandbox's own and padding errors cannot serve as a padding oracle.
func (ti *tokenIssuer) unseal(sealed string) (string, error) {
	data, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil {
		return "", err
	}
	if len(data) < 2*aes.BlockSize || len(data)%aes.BlockSize != 0 {
		return "", fmt.Errorf("ciphertext of %d bytes is not whole AES blocks", len(data))
	}
	iv, plain := data[:aes.BlockSize], data[aes.BlockSize:]
	cipher.NewCBCDecrypter(ti.block, iv).CryptBlocks(plain, plain)

	padding := int(plain[len(plain)-1])
	if padding < 1 || padding > aes.BlockSize {
		return "", errors.New("invalid padding")
	}
	return string(plain[:len(plain)-padding]), nil
}
