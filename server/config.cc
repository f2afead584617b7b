#include "config.hpp"

#include <getopt.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "trusted_proxies.hpp"

namespace httpfsm::server {

namespace {

enum Option : int {
  kBind = 256,
  kPort,
  kDirectory,
  kStatic,
  kWorkers,
  kMaxConnections,
  kMaxBody,
  kHeaderTimeout,
  kIdleTimeout,
  kLog,
  kEventLoop,
  kCors,
  kAuthToken,
  kRateLimit,
  kRateBurst,
  kWsMaxMessage,
  kTlsCert,
  kTlsKey,
  kTlsPort,
  kHelp,
  kVersion,
  kBodyTimeout,
  kBodyMinRate,
  kShutdownTimeout,
  kProxyProtocol,
  kTrustedProxy,
  kAccessLog,
  kErrorLog,
};

constexpr option kOptions[] = {
    {"bind", required_argument, nullptr, kBind},
    {"port", required_argument, nullptr, kPort},
    {"directory", required_argument, nullptr, kDirectory},
    {"static", required_argument, nullptr, kStatic},
    {"workers", required_argument, nullptr, kWorkers},
    {"max-connections", required_argument, nullptr, kMaxConnections},
    {"max-body", required_argument, nullptr, kMaxBody},
    {"header-timeout", required_argument, nullptr, kHeaderTimeout},
    {"idle-timeout", required_argument, nullptr, kIdleTimeout},
    {"log", required_argument, nullptr, kLog},
    {"event-loop", required_argument, nullptr, kEventLoop},
    {"cors", required_argument, nullptr, kCors},
    {"auth-token", required_argument, nullptr, kAuthToken},
    {"rate-limit", required_argument, nullptr, kRateLimit},
    {"rate-burst", required_argument, nullptr, kRateBurst},
    {"ws-max-message", required_argument, nullptr, kWsMaxMessage},
    {"tls-cert", required_argument, nullptr, kTlsCert},
    {"tls-key", required_argument, nullptr, kTlsKey},
    {"tls-port", required_argument, nullptr, kTlsPort},
    {"help", no_argument, nullptr, kHelp},
    {"version", no_argument, nullptr, kVersion},
    {"body-timeout", required_argument, nullptr, kBodyTimeout},
    {"body-min-rate", required_argument, nullptr, kBodyMinRate},
    {"shutdown-timeout", required_argument, nullptr, kShutdownTimeout},
    {"proxy-protocol", no_argument, nullptr, kProxyProtocol},
    {"trusted-proxy", required_argument, nullptr, kTrustedProxy},
    {"access-log", required_argument, nullptr, kAccessLog},
    {"error-log", required_argument, nullptr, kErrorLog},
    {nullptr, 0, nullptr, 0},
};

bool parse_unsigned(std::string_view s, std::uint64_t min, std::uint64_t max, std::uint64_t* out) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

// Seconds with an optional fraction ("2", "0.25"), to milliseconds.
bool parse_seconds(std::string_view s, std::uint32_t* out_ms) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !(v >= 0.001) || v > 86'400) return false;
  *out_ms = static_cast<std::uint32_t>(std::lround(v * 1000));
  return true;
}

// "8M", "512k", "100": a byte count with an optional binary suffix.
bool parse_size(std::string_view s, std::uint64_t* out) {
  std::uint64_t scale = 1;
  if (!s.empty()) {
    switch (s.back()) {
      case 'k':
      case 'K':
        scale = 1ull << 10;
        break;
      case 'm':
      case 'M':
        scale = 1ull << 20;
        break;
      case 'g':
      case 'G':
        scale = 1ull << 30;
        break;
      default:
        break;
    }
    if (scale != 1) s.remove_suffix(1);
  }
  std::uint64_t v = 0;
  if (!parse_unsigned(s, 0, std::numeric_limits<std::uint64_t>::max() / scale, &v)) return false;
  *out = v * scale;
  return true;
}

CommandLine fail(std::string message) {
  CommandLine c;
  c.action = CommandLine::Action::error;
  c.message = std::move(message);
  return c;
}

}  // namespace

std::string usage_text() {
  return "usage: httpfsm-server [options]\n"
         "  --bind ADDR             address to listen on (default 127.0.0.1; IPv6 too)\n"
         "  --port N                TCP port (default 4221; 0 picks a free one)\n"
         "  --directory DIR         root of /files/{name} (GET reads, POST uploads)\n"
         "  --static DIR            serve DIR under /static/\n"
         "  --workers N             event loops sharing the port (default 1)\n"
         "  --max-connections N     open connections; more are answered 503 (default 4096)\n"
         "  --max-body SIZE         largest request body, e.g. 8M (default 8M)\n"
         "  --header-timeout SECS   time to send a request head, else 408 (default 10)\n"
         "  --idle-timeout SECS     keep-alive idle and stalled transfer limit (default 60)\n"
         "  --log common|off        access log on stdout (default common)\n"
         "  --event-loop poll|epoll readiness backend (default poll; epoll on Linux scales\n"
         "                          to many idle connections)\n"
         "  --cors ORIGIN           send Access-Control-Allow-Origin: ORIGIN, answer preflight\n"
         "  --auth-token TOKEN      uploads need Authorization: Bearer TOKEN\n"
         "  --rate-limit N          requests/s per client address, 429 over it (default 0: off)\n"
         "  --rate-burst B          requests a client may send at once (default N)\n"
         "  --ws-max-message SIZE   largest /ws/echo message (default 1M); more closes 1009\n"
         "  --tls-cert FILE         HTTPS: certificate (PEM, chain after it allowed)\n"
         "  --tls-key FILE          HTTPS: its private key (PEM); SIGHUP reloads both\n"
         "  --tls-port N            HTTPS on port N beside cleartext --port (default: the\n"
         "                          listener itself is HTTPS when --tls-cert is given)\n"
         "  --body-timeout SECS     pause allowed in a request body, else 408 (default 10)\n"
         "  --body-min-rate SIZE    least bytes/s after one body-timeout (default 1k; 0: off)\n"
         "  --shutdown-timeout SECS drain time after SIGTERM/SIGINT (default 10)\n"
         "  --proxy-protocol        every connection opens with a PROXY header (v1 or v2)\n"
         "                          giving the client's address (behind HAProxy, nginx)\n"
         "  --trusted-proxy CIDR    with --proxy-protocol: accept connections only from\n"
         "                          this block (repeatable; IPv4 and IPv6)\n"
         "  --access-log FILE       the access log goes to FILE (appended) instead of stdout\n"
         "  --error-log FILE        standard error goes to FILE (appended); SIGUSR1 reopens\n"
         "                          both files (log rotation)\n"
         "  --help, --version\n";
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine result;
  Config& c = result.config;
  std::vector<char*> argv;
  std::vector<std::string> storage(args);  // getopt wants mutable strings
  for (std::string& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(storage.size());

  optind = 0;  // glibc: 0 restarts scanning from scratch, so tests may parse repeatedly
  opterr = 0;  // we print our own one-line error
  for (;;) {
    int index = 0;
    const int opt = getopt_long(argc, argv.data(), "", kOptions, &index);
    if (opt == -1) break;
    const std::string_view arg = optarg != nullptr ? optarg : "";
    std::uint64_t n = 0;
    switch (opt) {
      case kBind:
        if (arg.empty()) return fail("--bind: empty address");
        c.bind = arg;
        break;
      case kPort:
        if (!parse_unsigned(arg, 0, 65535, &n))
          return fail("--port: not a port number: " + std::string(arg));
        c.port = static_cast<std::uint16_t>(n);
        break;
      case kDirectory:
        if (arg.empty()) return fail("--directory: empty path");
        c.directory = arg;
        break;
      case kStatic:
        if (arg.empty()) return fail("--static: empty path");
        c.static_dir = arg;
        break;
      case kWorkers:
        if (!parse_unsigned(arg, 1, 256, &n))
          return fail("--workers: expected 1 to 256: " + std::string(arg));
        c.workers = static_cast<unsigned>(n);
        break;
      case kMaxConnections:
        if (!parse_unsigned(arg, 1, 1'000'000, &n)) {
          return fail("--max-connections: expected 1 to 1000000: " + std::string(arg));
        }
        c.max_connections = static_cast<std::uint32_t>(n);
        break;
      case kMaxBody:
        if (!parse_size(arg, &c.max_body))
          return fail("--max-body: not a size: " + std::string(arg));
        break;
      case kWsMaxMessage:
        if (!parse_size(arg, &c.ws_max_message) || c.ws_max_message == 0)
          return fail("--ws-max-message: not a size: " + std::string(arg));
        break;
      case kHeaderTimeout:
        if (!parse_seconds(arg, &c.header_timeout_ms)) {
          return fail("--header-timeout: expected seconds (0.001 to 86400): " + std::string(arg));
        }
        break;
      case kIdleTimeout:
        if (!parse_seconds(arg, &c.idle_timeout_ms)) {
          return fail("--idle-timeout: expected seconds (0.001 to 86400): " + std::string(arg));
        }
        break;
      case kLog:
        if (arg == "common") {
          c.log = LogFormat::common;
        } else if (arg == "off") {
          c.log = LogFormat::off;
        } else {
          return fail("--log: expected common or off: " + std::string(arg));
        }
        break;
      case kEventLoop: {
        bool known = false;
        for (const PollerKind k : {PollerKind::poll, PollerKind::epoll}) {
          if (arg != poller_name(k)) continue;
          if (!poller_available(k)) {
            return fail("--event-loop: " + std::string(arg) + " is not available on this system");
          }
          c.event_loop = k;
          known = true;
        }
        if (!known) return fail("--event-loop: expected poll or epoll: " + std::string(arg));
        break;
      }
      case kCors:
        if (arg.empty()) return fail("--cors: empty origin");
        c.cors_origin = arg;
        break;
      case kAuthToken:
        if (arg.empty()) return fail("--auth-token: empty token");
        c.auth_token = arg;
        break;
      case kRateLimit:
        if (!parse_unsigned(arg, 0, 1'000'000, &n)) {
          return fail("--rate-limit: expected 0 to 1000000: " + std::string(arg));
        }
        c.rate_limit = static_cast<std::uint32_t>(n);
        break;
      case kRateBurst:
        if (!parse_unsigned(arg, 1, 1'000'000, &n)) {
          return fail("--rate-burst: expected 1 to 1000000: " + std::string(arg));
        }
        c.rate_burst = static_cast<std::uint32_t>(n);
        break;
      case kTlsCert:
        if (arg.empty()) return fail("--tls-cert: empty path");
        c.tls_cert = arg;
        break;
      case kTlsKey:
        if (arg.empty()) return fail("--tls-key: empty path");
        c.tls_key = arg;
        break;
      case kTlsPort:
        if (!parse_unsigned(arg, 0, 65535, &n))
          return fail("--tls-port: not a port number: " + std::string(arg));
        c.tls_port = static_cast<std::uint16_t>(n);
        break;
      case kBodyTimeout:
        if (!parse_seconds(arg, &c.body_timeout_ms)) {
          return fail("--body-timeout: expected seconds (0.001 to 86400): " + std::string(arg));
        }
        break;
      case kBodyMinRate:
        if (!parse_size(arg, &n) || n > std::numeric_limits<std::uint32_t>::max()) {
          return fail("--body-min-rate: expected bytes a second, e.g. 1k: " + std::string(arg));
        }
        c.body_min_rate = static_cast<std::uint32_t>(n);
        break;
      case kShutdownTimeout:
        if (!parse_seconds(arg, &c.shutdown_timeout_ms)) {
          return fail("--shutdown-timeout: expected seconds (0.001 to 86400): " + std::string(arg));
        }
        break;
      case kProxyProtocol:
        c.proxy_protocol = true;
        break;
      case kTrustedProxy:
        if (!TrustedProxies().parse(arg)) {
          return fail("--trusted-proxy: expected an address or CIDR block: " + std::string(arg));
        }
        c.trusted_proxies.emplace_back(arg);
        break;
      case kAccessLog:
      case kErrorLog:
        if (arg.empty())
          return fail("--" + std::string(opt == kAccessLog ? "access" : "error") +
                      "-log: expected a file name");
        (opt == kAccessLog ? c.access_log_file : c.error_log_file) = std::string(arg);
        break;
      case kHelp:
        result.action = CommandLine::Action::help;
        result.message = usage_text();
        return result;
      case kVersion:
        result.action = CommandLine::Action::version;
        return result;
      default: {
        // getopt_long reports the unknown or argument-less option through optopt/optind.
        // A std::string: the ternary of a string and "" makes a temporary.
        const std::string bad =
            optind >= 1 && optind <= argc ? args[static_cast<std::size_t>(optind - 1)] : "";
        if (opt == ':' || (opt == '?' && optopt != 0)) return fail("missing argument for " + bad);
        return fail("unknown option: " + bad + " (try --help)");
      }
    }
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) return fail("--tls-cert and --tls-key go together");
  if (c.tls_port && c.tls_cert.empty()) return fail("--tls-port needs --tls-cert and --tls-key");
  if (!c.trusted_proxies.empty() && !c.proxy_protocol) {
    return fail("--trusted-proxy needs --proxy-protocol");
  }
  if (optind < argc) {
    return fail("unexpected argument: " + args[static_cast<std::size_t>(optind)] + " (try --help)");
  }
  return result;
}

}  // namespace httpfsm::server
