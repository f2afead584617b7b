// HTTP dates (RFC 9110 §5.6.7), as pure functions of seconds since the Unix epoch: the
// library reads no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace httpfsm {

// "Sun, 06 Nov 1994 08:49:37 GMT"
inline constexpr std::size_t kHttpDateSize = 29;

// Writes the IMF-fixdate of `unix_seconds` (years 1970-9999; clamped to that range).
void format_http_date(std::int64_t unix_seconds, std::span<char, kHttpDateSize> out) noexcept;

// Parses IMF-fixdate and the two obsolete forms recipients MUST accept (RFC 9110 §5.6.7):
// rfc850-date ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime-date ("Sun Nov  6 08:49:37
// 1994"). A two-digit year more than 50 years in the future is read as the past century.
// `now_unix_seconds` is needed only for that rule. nullopt for anything else.
std::optional<std::int64_t> parse_http_date(std::string_view text,
                                            std::int64_t now_unix_seconds = 0) noexcept;

}  // namespace httpfsm
