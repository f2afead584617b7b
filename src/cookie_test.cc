// The Cookie request field (RFC 6265 §5.4, §4.2.1) and the Set-Cookie writer (§4.1).
#include "httpfsm/cookie.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "httpfsm/set_cookie.hpp"

namespace httpfsm {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs read_all(std::string_view s) {
  Pairs out;
  CookieReader reader(s);
  CookiePair p;
  while (reader.next(p)) out.emplace_back(std::string(p.name), std::string(p.value));
  return out;
}

TEST(Cookie, splits_the_cookie_string_rfc6265_s4_2_1) {
  EXPECT_EQ(read_all("SID=31d4d96e407aad42; lang=en-US"),
            (Pairs{{"SID", "31d4d96e407aad42"}, {"lang", "en-US"}}));
  EXPECT_EQ(read_all(""), Pairs{});
}

TEST(Cookie, reads_leniently_as_browsers_send_rfc6265_s5_2) {
  EXPECT_EQ(read_all("a=1;b=2"), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(read_all(" a = 1 ;; \tb=2 ; "), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(read_all("a=b=c"), (Pairs{{"a", "b=c"}}));
  EXPECT_EQ(read_all("a="), (Pairs{{"a", ""}}));
  EXPECT_EQ(read_all("nameless"), (Pairs{{"", "nameless"}}));         // RFC 6265bis §5.6
  EXPECT_EQ(read_all("q=\"quoted\""), (Pairs{{"q", "\"quoted\""}}));  // §4.1.1: quotes kept
}

TEST(Cookie, deviation_reads_values_outside_cookie_octet) {
  EXPECT_EQ(read_all("x=1, y=2; z=a b"), (Pairs{{"x", "1, y=2"}, {"z", "a b"}}));
}

TEST(Cookie, finds_by_exact_name_rfc6265_s5_3) {
  EXPECT_EQ(find_cookie("a=1; sid=xyz; sid=old", "sid"), "xyz");
  EXPECT_EQ(find_cookie("SID=1", "sid"), std::nullopt);
  EXPECT_EQ(find_cookie("a=1", "b"), std::nullopt);
}

std::string write(const SetCookie& c, SetCookieError* error = nullptr) {
  std::string out(set_cookie_size_bound(c), '\0');
  const SetCookieResult r = write_set_cookie(c, out);
  if (error) *error = r.error;
  out.resize(r.size);
  return out;
}

TEST(SetCookie, writes_the_cookie_pair_rfc6265_s4_1_1) {
  EXPECT_EQ(write({.name = "sid", .value = "abc"}), "sid=abc");
  EXPECT_EQ(write({.name = "e", .value = ""}), "e=");
  EXPECT_EQ(write({.name = "q", .value = "\"x\""}), "q=\"x\"");
}

// Regression (form_helpers_fuzzer): an empty value given as a default view (null data())
// reached memcpy, which UBSan reports.
TEST(SetCookie, writes_an_empty_value_given_as_a_null_view) {
  SetCookie c;
  c.name = "a";
  char out[8];
  const SetCookieResult r = write_set_cookie(c, out);
  ASSERT_EQ(r.error, SetCookieError::none);
  EXPECT_EQ(std::string_view(out, r.size), "a=");
}

TEST(SetCookie, writes_every_attribute_rfc6265_s4_1_1) {
  const SetCookie c{.name = "sid",
                    .value = "abc",
                    .expires = 784111777,
                    .max_age = 3600,
                    .domain = "example.com",
                    .path = "/",
                    .secure = true,
                    .http_only = true,
                    .same_site = SameSite::lax};
  EXPECT_EQ(write(c),
            "sid=abc; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=3600; Domain=example.com; "
            "Path=/; Secure; HttpOnly; SameSite=Lax");
  EXPECT_EQ(write({.name = "a", .value = "b", .same_site = SameSite::strict}),
            "a=b; SameSite=Strict");
  EXPECT_EQ(write({.name = "a", .value = "b", .secure = true, .same_site = SameSite::none}),
            "a=b; Secure; SameSite=None");
}

TEST(SetCookie, deviation_writes_max_age_zero) {
  EXPECT_EQ(write({.name = "sid", .value = "", .max_age = 0}), "sid=; Max-Age=0");
}

TEST(SetCookie, refuses_what_would_break_the_field_rfc6265_s4_1_1) {
  SetCookieError e{};
  for (std::string_view name :
       {"", "a b", "a;b", "a=b", "a,b", "a\"b", "a\r\nb", "a\x7f", "\xc3\xa9"}) {
    write({.name = name, .value = "v"}, &e);
    EXPECT_EQ(e, SetCookieError::bad_name) << name;
  }
  for (std::string_view value : {"a b", "a;b", "a,b", "a\"b", "\"", "a\\b", "a\r\nSet-Cookie: x=y",
                                 "\t", "\x7f", "\x80", "\"a b\""}) {
    write({.name = "n", .value = value}, &e);
    EXPECT_EQ(e, SetCookieError::bad_value) << value;
  }
  for (std::string_view domain : {"exa mple.com", "a;b", "a..b", "a.", ".", "a_b.com"}) {
    write({.name = "n", .value = "v", .domain = domain}, &e);
    EXPECT_EQ(e, SetCookieError::bad_domain) << domain;
  }
  EXPECT_EQ(write({.name = "n", .value = "v", .domain = ".example.com"}, &e),
            "n=v; Domain=.example.com");
  for (std::string_view path : {"/a;b", "/a\r\n", "/\x80"}) {
    write({.name = "n", .value = "v", .path = path}, &e);
    EXPECT_EQ(e, SetCookieError::bad_path) << path;
  }
  write({.name = "n", .value = "v", .max_age = -1}, &e);
  EXPECT_EQ(e, SetCookieError::bad_max_age);
  write({.name = "n", .value = "v", .same_site = SameSite::none}, &e);
  EXPECT_EQ(e, SetCookieError::none_without_secure);
  EXPECT_EQ(set_cookie_error_name(SetCookieError::bad_value), "bad_value");
}

TEST(SetCookie, refuses_a_buffer_too_small) {
  const SetCookie c{.name = "sid", .value = "abc", .path = "/"};
  char out[16];
  EXPECT_EQ(write_set_cookie(c, std::span<char>(out, 15)).size, 15u);  // "sid=abc; Path=/"
  EXPECT_EQ(write_set_cookie(c, std::span<char>(out, 14)).error, SetCookieError::buffer_too_small);
}

}  // namespace
}  // namespace httpfsm
