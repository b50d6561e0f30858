//go:build windows || darwin

package auth

// checkSessionBus returns nil: the keyrings of macOS and Windows need no D-Bus.
func checkSessionBus() error { return nil }
