// The server's settings and the command line that fills them (getopt_long). Parsing is a pure
// function of argv so tests can drive it; main() prints the message and exits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "poller.hpp"

namespace httpfsm::server {

enum class LogFormat : std::uint8_t { common, off };

struct Config {
  std::string bind = "127.0.0.1";  // numeric IPv4 or IPv6 address, or a host name
  std::uint16_t port = 4221;       // 0: any free port (tests)
  std::string directory;           // root of /files; empty: /files answers 404
  std::string static_dir;          // root of /static/; empty: no static site
  unsigned workers = 1;            // event loops, each on its own SO_REUSEPORT socket
  std::uint32_t max_connections = 4096;
  std::uint64_t max_body = 8ull << 20;
  std::uint32_t header_timeout_ms = 10'000;  // request-line start to end of head (408)
  std::uint32_t idle_timeout_ms = 60'000;    // keep-alive idle, stalled body or output
  LogFormat log = LogFormat::common;
  PollerKind event_loop = PollerKind::poll;  // poll() everywhere; epoll on Linux (issue 9)
  std::string cors_origin;                   // empty: no CORS headers
  std::string auth_token;                    // empty: uploads need no Authorization
};

struct CommandLine {
  enum class Action : std::uint8_t { run, help, version, error };
  Action action = Action::run;
  Config config;
  std::string message;  // usage text, version line or the one-line error
};

// Parses argv. Never exits or prints. Errors name the flag: "--port: not a number: x".
CommandLine parse_command_line(const std::vector<std::string>& args);

std::string usage_text();

}  // namespace httpfsm::server
