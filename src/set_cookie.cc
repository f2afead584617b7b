// The Set-Cookie writer (httpfsm/set_cookie.hpp): RFC 6265 §4.1.
#include "httpfsm/set_cookie.hpp"

#include <array>
#include <cstring>

#include "char_class.hpp"
#include "httpfsm/http_date.hpp"

namespace httpfsm {

namespace {

constexpr std::string_view kNames[] = {
#define HTTPFSM_X(name, message) #name,
    HTTPFSM_SET_COOKIE_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
constexpr std::string_view kMessages[] = {
#define HTTPFSM_X(name, message) message,
    HTTPFSM_SET_COOKIE_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
constexpr std::size_t kCount = sizeof kNames / sizeof kNames[0];

// RFC 6265 §4.1.1 cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
         (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

bool valid_value(std::string_view v) {
  // cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  for (char c : v)
    if (!is_cookie_octet(static_cast<unsigned char>(c))) return false;
  return true;
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n)
    if (!detail::kTchar[static_cast<unsigned char>(c)]) return false;
  return true;
}

// RFC 6265 §4.1.2.3 domain-value = <subdomain> (RFC 1034 §3.5: labels of letters, digits and
// hyphens, separated by dots); a leading "." is ignored by recipients (§5.2.3), so allowed.
bool valid_domain(std::string_view d) {
  if (!d.empty() && d.front() == '.') d.remove_prefix(1);
  if (d.empty() || d.back() == '.') return false;
  char previous = '.';
  for (char c : d) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (previous == '.') return false;  // empty label
    } else if (!detail::is_alpha(u) && !detail::is_digit(u) && c != '-') {
      return false;
    }
    previous = c;
  }
  return true;
}

// RFC 6265 §4.1.2.4 path-value = <any CHAR except CTLs or ";">; CHAR is US-ASCII.
bool valid_path(std::string_view p) {
  for (char c : p) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == ';') return false;
  }
  return true;
}

class Out {
 public:
  explicit Out(std::span<char> out) : out_(out) {}
  void put(std::string_view s) {
    // An empty view may have a null data(): memcpy must not see it (C11 §7.24.1).
    if (s.empty()) return;
    if (s.size() > out_.size() - n_) {
      overflow_ = true;
      return;
    }
    std::memcpy(out_.data() + n_, s.data(), s.size());
    n_ += s.size();
  }
  void put_number(std::int64_t v) {
    std::array<char, 20> digits{};
    std::size_t k = digits.size();
    auto u = static_cast<std::uint64_t>(v);
    do {
      digits[--k] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    put({digits.data() + k, digits.size() - k});
  }
  bool overflow() const { return overflow_; }
  std::size_t size() const { return n_; }

 private:
  std::span<char> out_;
  std::size_t n_ = 0;
  bool overflow_ = false;
};

}  // namespace

std::string_view set_cookie_error_name(SetCookieError e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return kNames[i < kCount ? i : 0];
}
std::string_view set_cookie_error_message(SetCookieError e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return kMessages[i < kCount ? i : 0];
}

std::size_t set_cookie_size_bound(const SetCookie& c) noexcept {
  // Fixed text: "=" "; Expires=" date "; Max-Age=" 20 digits "; Domain=" "; Path="
  // "; Secure" "; HttpOnly" "; SameSite=Strict".
  return c.name.size() + c.value.size() + c.domain.size() + c.path.size() + 1 + 10 + kHttpDateSize +
         10 + 20 + 9 + 7 + 8 + 10 + 17;
}

SetCookieResult write_set_cookie(const SetCookie& c, std::span<char> out) noexcept {
  if (!valid_name(c.name)) return {SetCookieError::bad_name, 0};
  if (!valid_value(c.value)) return {SetCookieError::bad_value, 0};
  if (!c.domain.empty() && !valid_domain(c.domain)) return {SetCookieError::bad_domain, 0};
  if (!valid_path(c.path)) return {SetCookieError::bad_path, 0};
  if (c.max_age && *c.max_age < 0) return {SetCookieError::bad_max_age, 0};
  if (c.same_site == SameSite::none && !c.secure) return {SetCookieError::none_without_secure, 0};

  // RFC 6265 §4.1.1 set-cookie-string = cookie-pair *( ";" SP cookie-av )
  Out o(out);
  o.put(c.name);
  o.put("=");
  o.put(c.value);
  if (c.expires) {
    std::array<char, kHttpDateSize> date{};
    format_http_date(*c.expires, date);
    o.put("; Expires=");
    o.put({date.data(), date.size()});
  }
  if (c.max_age) {
    o.put("; Max-Age=");
    o.put_number(*c.max_age);
  }
  if (!c.domain.empty()) {
    o.put("; Domain=");
    o.put(c.domain);
  }
  if (!c.path.empty()) {
    o.put("; Path=");
    o.put(c.path);
  }
  if (c.secure) o.put("; Secure");
  if (c.http_only) o.put("; HttpOnly");
  switch (c.same_site) {
    case SameSite::unset:
      break;
    case SameSite::strict:
      o.put("; SameSite=Strict");
      break;
    case SameSite::lax:
      o.put("; SameSite=Lax");
      break;
    case SameSite::none:
      o.put("; SameSite=None");
      break;
  }
  if (o.overflow()) return {SetCookieError::buffer_too_small, 0};
  return {SetCookieError::none, o.size()};
}

}  // namespace httpfsm
