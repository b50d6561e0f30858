//go:build !windows && !darwin

package auth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// checkSessionBus returns an error when no D-Bus session bus can be found the way go-keyring's
// D-Bus library (github.com/godbus/dbus/v5) looks for one: DBUS_SESSION_BUS_ADDRESS, else
// the bus or dbus-session file in /run/user/UID. The library's last resort is to run
// dbus-launch, which starts a session bus daemon that outlives hi, so hi fails instead.
func checkSessionBus() error {
	if address := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); address != "" && address != "autolaunch:" {
		return nil
	}
	runtimeDir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(runtimeDir, name)); !errors.Is(err, os.ErrNotExist) {
			return nil
		}
	}
	return errors.New("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set")
}
