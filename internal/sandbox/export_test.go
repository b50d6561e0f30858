package sandbox

import "time"

// AdvanceClock moves the sandbox's clock forward by d, so that tests can expire tokens and
// nonces without waiting.
func (s *Server) AdvanceClock(d time.Duration) {
	s.oauth.skew.Add(int64(d))
}
