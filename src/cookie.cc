// The Cookie request field (httpfsm/cookie.hpp): RFC 6265 §5.4, §4.2.1, split as §5.2 does.
#include "httpfsm/cookie.hpp"

namespace httpfsm {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool CookieReader::next(CookiePair& pair) noexcept {
  while (!done_) {
    const std::size_t semi = rest_.find(';');
    const std::string_view piece = trim(rest_.substr(0, semi));
    if (semi == std::string_view::npos) {
      done_ = true;
    } else {
      rest_.remove_prefix(semi + 1);
    }
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      pair = {{}, piece};
    } else {
      pair = {trim(piece.substr(0, eq)), trim(piece.substr(eq + 1))};
    }
    return true;
  }
  return false;
}

std::optional<std::string_view> find_cookie(std::string_view cookie_string,
                                            std::string_view name) noexcept {
  CookieReader reader(cookie_string);
  CookiePair pair;
  while (reader.next(pair)) {
    if (pair.name == name) return pair.value;
  }
  return std::nullopt;
}

}  // namespace httpfsm
