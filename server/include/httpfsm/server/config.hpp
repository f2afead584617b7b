// httpfsm::server::Config: every setting of a Server, in one struct a program fills in code
// (httpfsm-server fills it from its command line). Plain data: copied into the server when it
// is created; defaults are the command line's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace httpfsm::server {

enum class LogFormat : std::uint8_t { common, off };
// The readiness backend: poll() everywhere; epoll where the build found it (Linux).
enum class PollerKind : std::uint8_t { poll, epoll };

struct Config {
  // The server.
  std::string bind = "127.0.0.1";            // numeric IPv4 or IPv6 address, or a host name
  std::uint16_t port = 4221;                 // 0: any free port (tests)
  unsigned workers = 1;                      // event loops, each on its own SO_REUSEPORT socket
  std::uint32_t max_connections = 4096;      // more are answered 503
  std::uint64_t max_body = 8ull << 20;       // any request body (413 beyond)
  std::uint32_t header_timeout_ms = 10'000;  // request-line start to end of head (408)
  std::uint32_t idle_timeout_ms = 60'000;    // keep-alive idle, stalled body or output
  PollerKind event_loop = PollerKind::poll;
  // Slow request bodies (the slow-POST attack; Apache's mod_reqtimeout, nginx's
  // client_body_timeout): no body byte for body_timeout_ms -> 408; and once the first
  // body_timeout_ms have passed, a body averaging under body_min_rate bytes a second since its
  // first byte was expected -> 408. 0 turns the rate check off. The same rate, after the same
  // grace, applies to a client reading a response (the connection is closed).
  std::uint32_t body_timeout_ms = 10'000;
  std::uint32_t body_min_rate = 1024;
  // After SIGTERM/SIGINT (Server::request_shutdown), in-flight requests have this long to
  // finish (a download to be read) before their connections are closed.
  std::uint32_t shutdown_timeout_ms = 10'000;
  // Behind a load balancer: every connection opens with a PROXY protocol header (v1 or v2),
  // whose source address is the client's. trusted_proxies: CIDR blocks ("10.0.0.0/8",
  // "::1/128", or one address) the connections must come from; empty: any source.
  bool proxy_protocol = false;
  std::vector<std::string> trusted_proxies;

  // HTTPS (TLS 1.2 and 1.3, OpenSSL). With a certificate (PEM, the leaf then any chain) and
  // its key, the listener on `port` speaks HTTPS, or, when tls_port is set, a second
  // listener on tls_port does and `port` stays cleartext. Server::reload_tls() (SIGHUP in
  // httpfsm-server) reads both files again for new connections.
  std::string tls_cert;
  std::string tls_key;
  std::optional<std::uint16_t> tls_port;  // 0: any free port (Server::tls_port() tells)

  // The classic application of httpfsm-server (classic_app.hpp) reads these; a Server given
  // another App ignores them.
  std::string directory;              // root of /files; empty: /files answers 404
  std::string static_dir;             // root of /static/; empty: no static site
  LogFormat log = LogFormat::common;  // access_log() middleware
  std::string cors_origin;            // cors() middleware when not empty
  std::string auth_token;             // bearer_auth() on uploads when not empty
  std::uint32_t rate_limit = 0;       // rate_limit() middleware: requests/s per client; 0 off
  std::uint32_t rate_burst = 0;       // its burst; 0: the same as rate_limit
  // /ws/echo (--ws-max-message): a larger WebSocket message closes with 1009.
  std::uint64_t ws_max_message = 1u << 20;

  // httpfsm-server only (log_files.hpp): the access log (stdout) and standard error go to
  // these files instead, reopened on SIGUSR1 (log rotation); empty: the streams as given.
  std::string access_log_file;
  std::string error_log_file;
};

}  // namespace httpfsm::server
