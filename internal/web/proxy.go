package web

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// Behind a reverse proxy, every request's direct peer is the proxy. The
// proxy says who the client was in X-Forwarded-For and which scheme the
// client used in X-Forwarded-Proto, but anyone can send those headers, so
// they are believed only when the direct peer is a proxy the operator
// named (--trusted-proxy). Two functions decide, for every rate limit,
// log and cookie alike: Proxies.Client the client's address and
// Proxies.HTTPS the original scheme.

// Proxies are the address ranges of the reverse proxies whose forwarding
// headers are believed. The zero value trusts nobody.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDR ranges, such as
// "127.0.0.1/32,10.0.0.0/8,::1/128". A bare address is refused, so that
// nobody trusts a whole network by leaving out its mask by mistake.
func ParseProxies(list string) (Proxies, error) {
	var p Proxies
	for part := range strings.SplitSeq(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR range such as 127.0.0.1/32 or ::1/128", part)
		}
		p = append(p, prefix.Masked())
	}
	return p, nil
}

// trusts reports whether a is in one of the ranges.
func (p Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, prefix := range p {
		if prefix.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the request's direct peer, or false when RemoteAddr holds no
// address (as in a test that sets none).
func peer(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	a, err := netip.ParseAddr(r.RemoteAddr)
	return a.Unmap().WithZone(""), err == nil
}

// Client is the address of the client that sent r. When the direct peer
// is a trusted proxy, it walks X-Forwarded-For from the right (each proxy
// appends the address it heard from) past every trusted proxy, and the
// first address that is not one is the client: values further left came
// from the client itself and may be anything. A value that is not an
// address ends the walk at the last trusted hop, so a mangled header
// costs its sender the proxy's shared limit rather than letting them
// choose a key. Without a peer address, RemoteAddr is returned as it is.
func (p Proxies) Client(r *http.Request) string {
	addr, ok := peer(r)
	if !ok {
		return r.RemoteAddr
	}
	if len(p) == 0 || !p.trusts(addr) {
		return addr.String()
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		addr = hop
		if !p.trusts(hop) {
			break
		}
	}
	return addr.String()
}

// forwardedFor splits X-Forwarded-For, which may come as several header
// lines, into its comma-separated values in order.
func forwardedFor(lines []string) []string {
	var hops []string
	for _, line := range lines {
		for hop := range strings.SplitSeq(line, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHop reads one X-Forwarded-For value: an address, or an address
// with a port as some proxies write it ("192.0.2.1:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// HTTPS reports whether the client reached the site over https: the
// connection itself is TLS, or a trusted proxy says so. A chain of proxies
// may each append to X-Forwarded-Proto; the right-most value is the one
// the nearest proxy wrote, and anything but "https" there counts as plain
// http, so a doubtful header never turns on what https alone allows.
func (p Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if len(p) == 0 {
		return false
	}
	if addr, ok := peer(r); !ok || !p.trusts(addr) {
		return false
	}
	values := forwardedFor(r.Header.Values("X-Forwarded-Proto"))
	return len(values) > 0 && strings.EqualFold(values[len(values)-1], "https")
}

// origin is what Proxies decided about a request, kept in its context so
// that it is decided once.
type origin struct {
	client string
	https  bool
}

type originKey struct{}

// forwarded decides a request's client address and scheme once, for every
// handler below it. With no trusted proxy there is nothing to decide
// beyond the connection, and the request goes on as it came.
func (s *Server) forwarded(next http.Handler) http.Handler {
	if len(s.cfg.TrustedProxies) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := &origin{client: s.cfg.TrustedProxies.Client(r), https: s.cfg.TrustedProxies.HTTPS(r)}
		serveWithContext(next, w, r, context.WithValue(r.Context(), originKey{}, o))
	})
}

// clientIP is the address the request came from, as Server.forwarded
// decided it; for a request that did not pass through it, the direct
// peer.
func clientIP(r *http.Request) string {
	if o, ok := r.Context().Value(originKey{}).(*origin); ok {
		return o.client
	}
	return Proxies(nil).Client(r)
}

// isHTTPS reports whether the client reached the site over https, as
// Server.forwarded decided it; for a request that did not pass through
// it, whether the connection is TLS.
func isHTTPS(r *http.Request) bool {
	if o, ok := r.Context().Value(originKey{}).(*origin); ok {
		return o.https
	}
	return Proxies(nil).HTTPS(r)
}

// hsts is the Strict-Transport-Security header: browsers that saw it over
// https go to the site (and its subdomains) over https only, for a year.
const hsts = "max-age=31536000; includeSubDomains"

// strictTransport sends HSTS on every response to a client that came over
// https. Over plain http it is never sent: a browser ignores it there, and
// a development server on http must not pin a name to https.
func strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isHTTPS(r) {
			w.Header().Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}
