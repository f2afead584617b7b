// HTTP-date (RFC 9110 §5.6.7) formatting and parsing over a proleptic Gregorian calendar
// (days-from-civil after H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
#include "httpfsm/http_date.hpp"

#include <algorithm>
#include <array>

namespace httpfsm {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(std::int64_t y, unsigned m) {
  constexpr unsigned kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDaysIn[m - 1];
}

void put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// Reads exactly `n` digits at s[at]; -1 if any is not a digit.
int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int month_index(std::string_view s, std::size_t at) {
  if (at + 3 > s.size()) return -1;
  const std::string_view m = s.substr(at, 3);
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (m == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return -1;
}

// time-of-day = hour ":" minute ":" second at s[at]; seconds of the day, or -1.
std::int64_t time_of_day(std::string_view s, std::size_t at) {
  const int h = digits(s, at, 2), m = digits(s, at + 3, 2), sec = digits(s, at + 6, 2);
  if (h < 0 || m < 0 || sec < 0 || at + 8 > s.size() || s[at + 2] != ':' || s[at + 5] != ':') {
    return -1;
  }
  // §5.6.7: hour 00-23, minute 00-59, second 00-60 (a leap second).
  if (h > 23 || m > 59 || sec > 60) return -1;
  return h * 3600 + m * 60 + sec;
}

std::optional<std::int64_t> combine(std::int64_t year, int month, int day, std::int64_t tod) {
  if (month < 1 || day < 1 || tod < 0 || year < 1 || year > 9999) return std::nullopt;
  if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         tod;
}

}  // namespace

void format_http_date(std::int64_t t, std::span<char, kHttpDateSize> out) noexcept {
  t = std::clamp<std::int64_t>(t, 0, kMaxSeconds);
  const std::int64_t days = t / 86400;
  const auto secs = static_cast<unsigned>(t % 86400);
  const Civil c = civil_from_days(days);
  char* p = out.data();
  const std::string_view day = kDays[static_cast<std::size_t>((days + 4) % 7)];  // 1970-01-01: Thu
  const std::string_view month = kMonths[c.month - 1];
  std::copy(day.begin(), day.end(), p);
  p[3] = ',';
  p[4] = ' ';
  put2(p + 5, c.day);
  p[7] = ' ';
  std::copy(month.begin(), month.end(), p + 8);
  p[11] = ' ';
  put2(p + 12, static_cast<unsigned>(c.year / 100));
  put2(p + 14, static_cast<unsigned>(c.year % 100));
  p[16] = ' ';
  put2(p + 17, secs / 3600);
  p[19] = ':';
  put2(p + 20, secs / 60 % 60);
  p[22] = ':';
  put2(p + 23, secs % 60);
  std::copy_n(" GMT", 4, p + 25);
}

std::optional<std::int64_t> parse_http_date(std::string_view s, std::int64_t now) noexcept {
  // IMF-fixdate = day-name "," SP DD SP month SP YYYY SP hh:mm:ss SP "GMT"
  if (s.size() == 29 && s[3] == ',' && s[4] == ' ' && s[7] == ' ' && s[11] == ' ' && s[16] == ' ' &&
      s.substr(25) == " GMT" &&
      std::find(kDays.begin(), kDays.end(), s.substr(0, 3)) != kDays.end()) {
    return combine(digits(s, 12, 4), month_index(s, 8), digits(s, 5, 2), time_of_day(s, 17));
  }
  // asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time SP YYYY
  if (s.size() == 24 && s[3] == ' ' && s[7] == ' ' && s[10] == ' ' && s[19] == ' ' &&
      std::find(kDays.begin(), kDays.end(), s.substr(0, 3)) != kDays.end()) {
    const int day = s[8] == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
    return combine(digits(s, 20, 4), month_index(s, 4), day, time_of_day(s, 11));
  }
  // rfc850-date = day-name-l "," SP DD "-" month "-" YY SP hh:mm:ss SP "GMT"
  const std::size_t comma = s.find(',');
  if (comma != std::string_view::npos &&
      std::find(kLongDays.begin(), kLongDays.end(), s.substr(0, comma)) != kLongDays.end() &&
      s.size() == comma + 24 && s[comma + 1] == ' ' && s[comma + 4] == '-' && s[comma + 8] == '-' &&
      s[comma + 11] == ' ' && s.substr(comma + 20) == " GMT") {
    const int yy = digits(s, comma + 9, 2);
    if (yy < 0) return std::nullopt;
    // §5.6.7: a two-digit year more than 50 years in the future is the most recent past
    // year with the same last two digits.
    const std::int64_t current = civil_from_days(std::max<std::int64_t>(now, 0) / 86400).year;
    std::int64_t year = current - current % 100 + yy;
    if (year > current + 50) year -= 100;
    return combine(year, month_index(s, comma + 5), digits(s, comma + 2, 2),
                   time_of_day(s, comma + 12));
  }
  return std::nullopt;
}

}  // namespace httpfsm
