// The Cookie request field (RFC 6265 §5.4 cookie-string, syntax §4.2.1): name/value pairs,
// read leniently the way browsers send them. Pure, allocation-free: views into the input.
//
// RFC 6265 §4.2.1 cookie-string = cookie-pair *( ";" SP cookie-pair ). Browsers and other
// clients send more than that grammar (values with spaces or commas, pairs without "=",
// empty pieces, HTAB), so the reader follows RFC 6265 §5.2's lenient split instead:
//   - pieces are separated by ";", whitespace (SP, HTAB) around a piece is dropped, empty
//     pieces are skipped;
//   - a piece splits at its first "=": "a=b=c" is name "a", value "b=c"; whitespace around
//     the name and the value is dropped;
//   - a piece without "=" is a value with an empty name (RFC 6265bis §5.6, as browsers
//     store a nameless cookie);
//   - the value is as sent: DQUOTEs around it are kept (RFC 6265 §4.1.1 makes them part of
//     cookie-value), and there is no decoding (§4.1.1 leaves the encoding to the server).
// DEVIATION(RFC 6265 §4.2.1): the strict grammar is not enforced (§5.4 user agents and §5.2
// parsing are lenient). Test: deviation_reads_values_outside_cookie_octet.
//
// A request has one Cookie field (§5.4: "the user-agent MUST NOT attach more than one Cookie
// header field"); a caller that gets several (HTTP/2 splits them) reads each in turn.
#pragma once

#include <optional>
#include <string_view>

namespace httpfsm {

struct CookiePair {
  std::string_view name;
  std::string_view value;
};

class CookieReader {
 public:
  explicit CookieReader(std::string_view cookie_string) noexcept : rest_(cookie_string) {}
  // The next pair, or false at the end.
  bool next(CookiePair& pair) noexcept;

 private:
  std::string_view rest_;
  bool done_ = false;
};

// The value of the first cookie called `name` (names are case-sensitive, RFC 6265 §5.3
// step 11's comparison is exact), or nullopt.
std::optional<std::string_view> find_cookie(std::string_view cookie_string,
                                            std::string_view name) noexcept;

}  // namespace httpfsm
