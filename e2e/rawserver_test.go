package e2e

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"testing"
)

// rawServer is a TCP server on 127.0.0.1 whose handler writes its response bytes by hand, so a
// test can send what no well-behaved server would: a cut body, no response at all, control
// characters in the status line.
type rawServer struct {
	URL  string
	Host string

	listener net.Listener
	mu       sync.Mutex
	conns    []net.Conn
	requests int
}

// startRawServer serves every connection with handle until the test ends. handle gets the
// connection after its request head has been read, and the request.
func startRawServer(t *testing.T, handle func(conn net.Conn, req *http.Request)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{URL: "http://" + ln.Addr().String(), Host: ln.Addr().String(), listener: ln}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, conn)
			s.mu.Unlock()
			wg.Go(func() { s.serve(conn, handle) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, conn := range s.conns {
			conn.Close()
		}
		s.mu.Unlock()
		wg.Wait()
	})
	return s
}

func (s *rawServer) serve(conn net.Conn, handle func(net.Conn, *http.Request)) {
	defer conn.Close()
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	handle(conn, req)
}

// requestCount returns the number of requests whose head arrived.
func (s *rawServer) requestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// respondWith returns a handler that writes response as it is and closes the connection.
func respondWith(response string) func(net.Conn, *http.Request) {
	return func(conn net.Conn, _ *http.Request) {
		conn.Write([]byte(response))
	}
}

// holdOpen keeps a connection open without writing to it until the client or the test's end
// closes it, as a server that stopped responding does.
func holdOpen(conn net.Conn) {
	buf := make([]byte, 512)
	for {
		if _, err := conn.Read(buf); err != nil {
			return
		}
	}
}
