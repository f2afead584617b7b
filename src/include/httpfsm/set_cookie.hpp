// The Set-Cookie response field value (RFC 6265 §4.1), written into a caller buffer. Every
// part is checked against §4.1.1's grammar first, so a name, value or attribute that would
// end the field, start another attribute or smuggle a line is refused, never escaped:
//   cookie-name  = token                                   (RFC 9110 §5.6.2)
//   cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
//   cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
//                  ; no CTLs, whitespace, DQUOTE, comma, semicolon or backslash
//   domain-value = subdomain (letters, digits, "-", "."; a leading "." is allowed, §5.2.3)
//   path-value   = <any CHAR except CTLs or ";">
// Pure: no I/O, clock or allocation; Expires is given as Unix seconds and written as an
// IMF-fixdate by format_http_date (RFC 6265 §4.1.1 sane-cookie-date = rfc1123-date).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// X(name, message)
#define HTTPFSM_SET_COOKIE_ERROR_LIST(X)                                      \
  X(none, "no error")                                                         \
  X(bad_name, "cookie name is not a token (RFC 6265 §4.1.1)")                 \
  X(bad_value, "cookie value has a byte outside cookie-octet (§4.1.1)")       \
  X(bad_domain, "Domain is not a domain name (RFC 6265 §4.1.2.3)")            \
  X(bad_path, "Path has a CTL or \";\" (RFC 6265 §4.1.2.4)")                  \
  X(bad_max_age, "Max-Age is negative (RFC 6265 §4.1.2.2)")                   \
  X(none_without_secure, "SameSite=None needs Secure (RFC 6265bis §4.1.2.7)") \
  X(buffer_too_small, "the output buffer is too small")

namespace httpfsm {

enum class SetCookieError : std::uint8_t {
#define HTTPFSM_X(name, message) name,
  HTTPFSM_SET_COOKIE_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
std::string_view set_cookie_error_name(SetCookieError e) noexcept;
std::string_view set_cookie_error_message(SetCookieError e) noexcept;

// RFC 6265bis §4.1.2.7 (not in RFC 6265; every current browser reads it).
enum class SameSite : std::uint8_t { unset, strict, lax, none };

struct SetCookie {
  std::string_view name{};
  std::string_view value{};
  std::optional<std::int64_t> expires{};  // Unix seconds -> "; Expires=<IMF-fixdate>"
  // "; Max-Age=<n>". DEVIATION(RFC 6265 §4.1.1): max-age-av is non-zero-digit *DIGIT, but
  // 0 is what servers send to delete a cookie and §5.2.2 defines it ("expire immediately"),
  // so 0 is written; negative values are refused. Test: deviation_writes_max_age_zero.
  std::optional<std::int64_t> max_age{};
  std::string_view domain{};  // "; Domain=..." when not empty
  std::string_view path{};    // "; Path=..." when not empty
  bool secure = false;        // "; Secure"
  bool http_only = false;     // "; HttpOnly"
  SameSite same_site = SameSite::unset;
};

struct SetCookieResult {
  SetCookieError error = SetCookieError::none;
  std::size_t size = 0;  // bytes written when error == none
};

// Writes the field value ("sid=abc; Path=/; HttpOnly"), without "Set-Cookie: " or CRLF.
// Nothing is written unless every part is valid; on buffer_too_small `out` may hold a prefix.
SetCookieResult write_set_cookie(const SetCookie& cookie, std::span<char> out) noexcept;

// The buffer size that always suffices for `cookie` (whether or not it is valid).
std::size_t set_cookie_size_bound(const SetCookie& cookie) noexcept;

}  // namespace httpfsm
