// Command emptymain does nothing. scripts/bench times hi version against it, so the figure
// shows what hi adds to the start and exit of any Go program.
package main

func main() {}
