// Command nethttpmain does nothing but links net/http, whose package initialisation every Go
// HTTP client pays at start-up. scripts/bench shows it beside hi version for comparison.
package main

import _ "net/http"

func main() {}
