#include "middleware.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>

namespace httpfsm::server {

void AccessLog::append_escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      buffer_.push_back(c);
    } else {
      const char esc[4] = {'\\', 'x', kHex[u >> 4], kHex[u & 15]};
      buffer_.append(esc, 4);
    }
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

void set_cors_preflight(const Request& request, std::string_view origin, std::string_view allow,
                        Response& response) noexcept {
  (void)origin;  // Access-Control-Allow-Origin is added to every response by the connection
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

}  // namespace httpfsm::server
