#include "httpfsm/http_date.hpp"

#include <gtest/gtest.h>

#include <string>

namespace httpfsm {
namespace {

std::string format(std::int64_t t) {
  char buf[kHttpDateSize];
  format_http_date(t, std::span<char, kHttpDateSize>(buf));
  return std::string(buf, kHttpDateSize);
}

TEST(HttpDate, formats_imf_fixdate) {
  EXPECT_EQ(format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(format(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");  // leap day
  EXPECT_EQ(format(4133980799), "Fri, 31 Dec 2100 23:59:59 GMT");
  EXPECT_EQ(format(-5), "Thu, 01 Jan 1970 00:00:00 GMT");  // clamped
}

TEST(HttpDate, parses_the_three_forms_of_rfc9110_5_6_7) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", 1763700000), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov 16 08:49:37 1994"), 784111777 + 10 * 86400);
}

TEST(HttpDate, reads_two_digit_years_relative_to_now) {
  const std::int64_t now_2026 = 1795000000;  // in 2026
  // 2069 is within 50 years of 2026; 2094 is not, so it is 1994.
  EXPECT_EQ(parse_http_date("Monday, 01-Jan-69 00:00:00 GMT", now_2026),
            parse_http_date("Tue, 01 Jan 2069 00:00:00 GMT"));
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now_2026), 784111777);
}

TEST(HttpDate, rejects_malformed_dates) {
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37 UTC", "sun, 06 Nov 1994 08:49:37 GMT",
                          "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 29 Feb 1900 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                          "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 GMT ", "Sunday, 06-Nov-1994 08:49:37 GMT",
                          "Sun Nov 6 08:49:37 1994", "Sun, 00 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 0000 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT"}) {
    EXPECT_EQ(parse_http_date(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:60 GMT"), 784111777 + 23);  // leap second
}

TEST(HttpDate, round_trips_every_day_of_four_centuries) {
  for (std::int64_t t = 0; t < 4102444800; t += 86400 + 3661) {
    char buf[kHttpDateSize];
    format_http_date(t, std::span<char, kHttpDateSize>(buf));
    ASSERT_EQ(parse_http_date(std::string_view(buf, kHttpDateSize)), t) << t;
  }
}

}  // namespace
}  // namespace httpfsm
