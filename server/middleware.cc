#include "middleware.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <utility>

#include "context.hpp"
#include "file_io.hpp"
#include "httpfsm/accept_encoding.hpp"
#include "httpfsm/server/middleware.hpp"
#include "rate_limiter.hpp"

namespace httpfsm::server {

void AccessLog::append_escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto plain = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  };
  // Runs of plain bytes (all of a usual request-line) go in with one append each.
  while (!s.empty()) {
    std::size_t n = 0;
    while (n < s.size() && plain(s[n])) ++n;
    buffer_.append(s.data(), n);
    if (n == s.size()) break;
    const auto u = static_cast<unsigned char>(s[n]);
    const char esc[4] = {'\\', 'x', kHex[u >> 4], kHex[u & 15]};
    buffer_.append(esc, 4);
    s.remove_prefix(n + 1);
  }
}

void AccessLog::open_line(std::string_view peer, std::string_view log_date) {
  buffer_.append(peer);
  buffer_.append(" - - [");
  buffer_.append(log_date);
  buffer_.append("] \"");
}

void AccessLog::close_line(int status, std::uint64_t body_bytes) {
  buffer_.append("\" ");
  char num[24];
  auto r = std::to_chars(num, num + sizeof num, status);
  buffer_.append(num, r.ptr);
  buffer_.push_back(' ');
  if (body_bytes == 0) {
    buffer_.push_back('-');  // CLF writes "-" for no content
  } else {
    r = std::to_chars(num, num + sizeof num, body_bytes);
    buffer_.append(num, r.ptr);
  }
  buffer_.push_back('\n');
}

void AccessLog::record(std::string_view peer, std::string_view log_date,
                       std::string_view request_line, int status, std::uint64_t body_bytes) {
  if (!enabled_) return;
  open_line(peer, log_date);
  append_escaped(request_line);
  close_line(status, body_bytes);
}

void AccessLog::record(std::string_view peer, std::string_view log_date, std::string_view method,
                       std::string_view target, int version_minor, int status,
                       std::uint64_t body_bytes) {
  if (!enabled_) return;
  open_line(peer, log_date);
  append_escaped(method);
  buffer_.push_back(' ');
  append_escaped(target);
  buffer_.append(" HTTP/1.");
  buffer_.push_back(static_cast<char>('0' + (version_minor > 9 ? 9 : version_minor)));
  close_line(status, body_bytes);
}

void AccessLog::flush(int fd) noexcept {
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // stdout closed or full: drop the log rather than stall serving
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  buffer_.clear();
}

bool bearer_token_matches(const Request& request, std::string_view token) noexcept {
  const Field* f = request.find("Authorization");
  if (f == nullptr) return false;
  std::string_view v = text(request.message, f->value);
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size() || v[kScheme.size()] != ' ') return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = v[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != kScheme[i]) return false;
  }
  v.remove_prefix(kScheme.size() + 1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  // Constant time in the token's content: no early exit on the first differing byte.
  unsigned diff = v.size() == token.size() ? 0u : 1u;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = i < v.size() ? v[i] : '\0';
    diff |=
        static_cast<unsigned>(static_cast<unsigned char>(c) ^ static_cast<unsigned char>(token[i]));
  }
  return diff == 0;
}

void set_unauthorized(Response& response) noexcept {
  response.set_error(401);
  response.add_field("WWW-Authenticate", "Bearer realm=\"httpfsm\"");
}

bool is_cors_preflight(const Request& request) noexcept {
  return request.method == Method::options && request.find("Origin") != nullptr &&
         request.find("Access-Control-Request-Method") != nullptr;
}

void set_cors_preflight(const Request& request, std::string_view allow,
                        Response& response) noexcept {
  response.reset();
  // Fetch accepts any ok status; 200 with Content-Length: 0 as for any OPTIONS (RFC 9110
  // §9.3.7), so every response but 1xx/204/304 carries a length.
  response.add_field("Access-Control-Allow-Methods", allow);
  const std::string_view asked = request.find_value("Access-Control-Request-Headers");
  // Echo the requested headers: the origin is trusted by configuration, and the header
  // names were validated as a field value by the parser.
  response.add_field("Access-Control-Allow-Headers",
                     asked.empty() ? std::string_view("Authorization, Content-Type") : asked);
  response.add_field("Access-Control-Max-Age", "600");
}

// ---------------------------------------------------------------------------------------------
// The middleware chain's links

bool Middleware::before(const Request&, Response&) { return false; }
void Middleware::after(const Request&, Response&) {}
void Middleware::sent(const Request&, int, std::uint64_t) {}

namespace {

class AccessLogMiddleware final : public Middleware {
 public:
  void sent(const Request& request, int status, std::uint64_t body_bytes) override {
    Context& context = *request.context;
    const std::string_view date = context.clock.log_date();
    if (request.complete()) {
      context.log.record(request.client, date, request.method_name, request.target,
                         request.head->version_minor, status, body_bytes);
    } else {  // no complete head: what there is of the request-line
      context.log.record(request.client, date,
                         request.raw_line.empty() ? std::string_view("-") : request.raw_line,
                         status, body_bytes);
    }
  }
};

class CorsMiddleware final : public Middleware {
 public:
  explicit CorsMiddleware(std::string origin) : origin_(std::move(origin)) {}
  bool before(const Request& request, Response& response) override {
    if (!is_cors_preflight(request)) return false;
    set_cors_preflight(request, request.allow, response);
    return true;
  }
  void after(const Request&, Response& response) override {
    response.add_field("Access-Control-Allow-Origin", origin_);
  }

 private:
  std::string origin_;
};

class BearerAuthMiddleware final : public Middleware {
 public:
  BearerAuthMiddleware(std::string token, std::function<bool(const Request&)> applies)
      : token_(std::move(token)), applies_(std::move(applies)) {}
  bool before(const Request& request, Response& response) override {
    if (applies_ && !applies_(request)) return false;
    if (bearer_token_matches(request, token_)) return false;
    set_unauthorized(response);
    return true;
  }

 private:
  std::string token_;
  std::function<bool(const Request&)> applies_;
};

class GzipMiddleware final : public Middleware {
 public:
  void after(const Request& request, Response& response) override {
    if (!response.compressible || !request.complete()) return;
    response.vary_accept_encoding = true;  // RFC 9110 §12.5.5: the choice depended on it
    if (response.status != 200 || !request.has(KnownField::accept_encoding)) return;
    if (response.body_length() > kMaxGzipSource) return;
    static constexpr Coding kOffered[] = {Coding::gzip};
    const std::optional<Coding> coding =
        negotiate_encoding(request.message, *request.head, kOffered);
    if (coding != Coding::gzip) return;
    Context& context = *request.context;
    std::string_view source = response.body;
    if (response.file.valid()) {
      std::vector<char>& buf = context.file_buffer;
      buf.resize(static_cast<std::size_t>(response.file_length));
      // A file that cannot be read now is left to the writer, which answers 500 for it.
      if (!read_range(response.file.get(), response.file_offset, {buf.data(), buf.size()})) {
        return;
      }
      source = {buf.data(), buf.size()};
    }
    response.encoded_body = context.gzip.compress(source);
    if (response.encoded_body.empty()) return;
    response.content_encoding = "gzip";
    response.file.reset();
  }
};

class RateLimitMiddleware final : public Middleware {
 public:
  explicit RateLimitMiddleware(const RateLimitOptions& o)
      : limiter_({.rate = o.rate,
                  .burst = o.burst == 0 ? o.rate : o.burst,
                  .max_clients = o.max_clients},
                 std::random_device{}()),
        ipv6_prefix_bits_(o.ipv6_prefix_bits) {}

  bool before(const Request& request, Response& response) override {
    const std::optional<ClientAddress> client = client_address(request.client, ipv6_prefix_bits_);
    if (!client) return false;  // no address (a test's connection): nothing to count
    const std::int64_t now = request.context != nullptr
                                 ? request.context->clock.now_ms()
                                 : std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now().time_since_epoch())
                                       .count();
    RateDecision d;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      d = limiter_.admit(*client, now);
    }
    if (d.allowed) return false;
    response.set_error(429);
    char digits[16];
    const auto r = std::to_chars(digits, digits + sizeof digits, d.retry_after_seconds);
    response.add_field("Retry-After",
                       response.keep({digits, static_cast<std::size_t>(r.ptr - digits)}));
    return true;
  }

 private:
  std::mutex mutex_;
  RateLimiter limiter_;
  unsigned ipv6_prefix_bits_;
};

}  // namespace

MiddlewarePtr access_log() { return std::make_shared<AccessLogMiddleware>(); }
MiddlewarePtr cors(std::string origin) {
  return std::make_shared<CorsMiddleware>(std::move(origin));
}
MiddlewarePtr bearer_auth(std::string token, std::function<bool(const Request&)> applies) {
  return std::make_shared<BearerAuthMiddleware>(std::move(token), std::move(applies));
}
MiddlewarePtr gzip() { return std::make_shared<GzipMiddleware>(); }

MiddlewarePtr rate_limit(RateLimitOptions options) {
  if (options.rate == 0) options.rate = 1;
  if (options.max_clients == 0) options.max_clients = 1;
  return std::make_shared<RateLimitMiddleware>(options);
}

}  // namespace httpfsm::server
