// Properties of HTTP dates (src/include/httpfsm/http_date.hpp, RFC 9110 §5.6.7): any time in
// the documented range formats to an IMF-fixdate that parses back to it, and so do the two
// obsolete forms a recipient MUST accept, built from the same fields.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <string>

#include "httpfsm/http_date.hpp"

namespace httpfsm {
namespace {

constexpr std::int64_t kLast = 253402300799;  // 9999-12-31T23:59:59Z

std::string imf_fixdate(std::int64_t t) {
  char buf[kHttpDateSize];
  format_http_date(t, std::span<char, kHttpDateSize>(buf));
  return {buf, kHttpDateSize};
}

RC_GTEST_PROP(HttpDateProperty, imf_fixdate_parses_back_to_the_time, ()) {
  const std::int64_t t = *rc::gen::inRange<std::int64_t>(0, kLast + 1);
  const std::string date = imf_fixdate(t);
  RC_ASSERT(parse_http_date(date) == std::optional<std::int64_t>(t));
}

RC_GTEST_PROP(HttpDateProperty, obsolete_forms_parse_to_the_same_time, ()) {
  const std::int64_t t = *rc::gen::inRange<std::int64_t>(0, kLast + 1);
  // IMF-fixdate = day-name "," SP day SP month SP year SP hour ":" minute ":" second " GMT"
  //               "Sun, 06 Nov 1994 08:49:37 GMT"
  const std::string f = imf_fixdate(t);
  const std::string day_name = f.substr(0, 3), day = f.substr(5, 2), month = f.substr(8, 3),
                    year = f.substr(12, 4), time = f.substr(17, 8);
  static const char* kLong[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                "Thursday", "Friday", "Saturday"};
  std::string long_name;
  for (const char* n : kLong) {
    if (day_name == std::string(n).substr(0, 3)) long_name = n;
  }
  RC_ASSERT(!long_name.empty());
  // asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
  const std::string asctime = day_name + " " + month + " " +
                              (day[0] == '0' ? " " + day.substr(1) : day) + " " + time + " " + year;
  RC_ASSERT(parse_http_date(asctime) == std::optional<std::int64_t>(t));
  // rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP GMT. Seen
  // from the time itself, its year is not in the future, so the century is its own.
  const std::string rfc850 =
      long_name + ", " + day + "-" + month + "-" + year.substr(2) + " " + time + " GMT";
  RC_ASSERT(parse_http_date(rfc850, t) == std::optional<std::int64_t>(t));
}

}  // namespace
}  // namespace httpfsm
