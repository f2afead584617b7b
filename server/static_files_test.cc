#include "static_files.hpp"
#include "preconditions.hpp"

#include <gtest/gtest.h>

namespace httpfsm::server {
namespace {

TEST(MimeType, by_extension_case_insensitive_with_a_default) {
  EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("a/b/app.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("x.json"), "application/json");
  EXPECT_EQ(mime_type("logo.svg"), "image/svg+xml");
  EXPECT_EQ(mime_type("p.png"), "image/png");
  EXPECT_EQ(mime_type("p.jpg"), "image/jpeg");
  EXPECT_EQ(mime_type("favicon.ico"), "image/x-icon");
  EXPECT_EQ(mime_type("m.wasm"), "application/wasm");
  EXPECT_EQ(mime_type("noext"), "application/octet-stream");
  EXPECT_EQ(mime_type(".hidden"), "application/octet-stream");
  EXPECT_EQ(mime_type("dir.d/file"), "application/octet-stream");
  // The lookup compares the first 8 bytes as one integer: the rest and the length still count.
  EXPECT_EQ(mime_type("site.WebManifest"), "application/manifest+json");
  EXPECT_EQ(mime_type("site.webmanifesx"), "application/octet-stream");
  EXPECT_EQ(mime_type("site.webmanifes"), "application/octet-stream");
  EXPECT_EQ(mime_type("f.WOFF2"), "font/woff2");
  EXPECT_EQ(mime_type("f.woff2x"), "application/octet-stream");
  EXPECT_EQ(mime_type("f.wof"), "application/octet-stream");
  EXPECT_EQ(mime_type(std::string_view("f.js\0", 5)), "application/octet-stream");
  EXPECT_EQ(mime_type("f.j@"), "application/octet-stream");  // '@' | 0x20 would be '`'
}

TEST(DirectoryLocation, from_the_normalised_path_with_one_leading_slash) {
  EXPECT_EQ(directory_location("/static/sub"), "/static/sub/");
  EXPECT_EQ(directory_location("/static/sub/"), "/static/sub/");
  // RFC 3986 §4.2: "//host/..." would be a network-path reference to another host.
  EXPECT_EQ(directory_location("//evil.example/static/sub"), "/evil.example/static/sub/");
  EXPECT_EQ(directory_location("///x"), "/x/");
  EXPECT_EQ(directory_location(""), "/");
  // §3.3: what a segment cannot hold as it is, percent-encoded (the path is decoded).
  EXPECT_EQ(directory_location("/a b/caf\xc3\xa9"), "/a%20b/caf%C3%A9/");
  EXPECT_EQ(directory_location("/q?x#f%"), "/q%3Fx%23f%25/");
  EXPECT_EQ(directory_location("/a\r\nSet-Cookie: x"), "/a%0D%0ASet-Cookie:%20x/");
  EXPECT_EQ(directory_location("/~user/-._!$&'()*+,;=:@"), "/~user/-._!$&'()*+,;=:@/");
}

TEST(PathLocation, the_same_encoding_without_the_trailing_slash) {
  EXPECT_EQ(path_location("/files/a b"), "/files/a%20b");
  EXPECT_EQ(path_location("/files/\xc3\xa9t\xc3\xa9"), "/files/%C3%A9t%C3%A9");
  EXPECT_EQ(path_location("//evil.example/x"), "/evil.example/x");
  EXPECT_EQ(path_location("/files/dir/"), "/files/dir/");
  EXPECT_EQ(path_location(""), "/");
}

struct RangeCase {
  const char* value;
  std::uint64_t size;
  RangeOutcome outcome;
  std::uint64_t first, last;
};

TEST(EvaluateRange, single_ranges_per_rfc_9110_section_14) {
  const RangeCase cases[] = {
      {"bytes=0-0", 10, RangeOutcome::satisfiable, 0, 0},
      {"bytes=2-4", 10, RangeOutcome::satisfiable, 2, 4},
      {"bytes=5-", 10, RangeOutcome::satisfiable, 5, 9},
      {"bytes=5-100", 10, RangeOutcome::satisfiable, 5, 9},
      {"bytes=-3", 10, RangeOutcome::satisfiable, 7, 9},
      {"bytes=-30", 10, RangeOutcome::satisfiable, 0, 9},
      {"BYTES=1-1", 10, RangeOutcome::satisfiable, 1, 1},
      {"bytes=10-", 10, RangeOutcome::unsatisfiable, 0, 0},
      {"bytes=-0", 10, RangeOutcome::unsatisfiable, 0, 0},
      {"bytes=0-", 0, RangeOutcome::unsatisfiable, 0, 0},
      {"bytes=4-2", 10, RangeOutcome::ignore, 0, 0},
      {"bytes=0-1,3-4", 10, RangeOutcome::ignore, 0, 0},
      {"items=0-1", 10, RangeOutcome::ignore, 0, 0},
      {"bytes=a-b", 10, RangeOutcome::ignore, 0, 0},
      {"bytes=1", 10, RangeOutcome::ignore, 0, 0},
  };
  for (const RangeCase& c : cases) {
    ByteRange r;
    EXPECT_EQ(evaluate_range(c.value, c.size, &r), c.outcome) << c.value;
    if (c.outcome == RangeOutcome::satisfiable) {
      EXPECT_EQ(r.first, c.first) << c.value;
      EXPECT_EQ(r.last, c.last) << c.value;
    }
  }
}

TEST(EvaluateRange, numerals_of_any_length_without_overflow) {
  // RFC 9110 §14.1.2: large numerals are anticipated, not wrapped: past 2^64 - 1 they stay
  // larger than any length, so a last-pos means "to the end", a suffix means all of it and a
  // first-pos is unsatisfiable.
  constexpr std::uint64_t kMax = UINT64_MAX;
  const RangeCase cases[] = {
      {"bytes=0-99999999999999999999999", 10, RangeOutcome::satisfiable, 0, 9},
      {"bytes=3-18446744073709551616", 10, RangeOutcome::satisfiable, 3, 9},  // 2^64
      {"bytes=-99999999999999999999999", 10, RangeOutcome::satisfiable, 0, 9},
      {"bytes=99999999999999999999999-", 10, RangeOutcome::unsatisfiable, 0, 0},
      {"bytes=000000000000000000000000002-3", 10, RangeOutcome::satisfiable, 2, 3},
      {"bytes=18446744073709551614-99999999999999999999", kMax, RangeOutcome::satisfiable, kMax - 1,
       kMax - 1},
      {"bytes=18446744073709551615-", kMax, RangeOutcome::unsatisfiable, 0, 0},
      {"bytes=-18446744073709551616", kMax, RangeOutcome::satisfiable, 0, kMax - 1},
      {"bytes=99999999999999999999-1", 10, RangeOutcome::ignore, 0, 0},  // last < first
  };
  for (const RangeCase& c : cases) {
    ByteRange r;
    EXPECT_EQ(evaluate_range(c.value, c.size, &r), c.outcome) << c.value;
    if (c.outcome == RangeOutcome::satisfiable) {
      EXPECT_EQ(r.first, c.first) << c.value;
      EXPECT_EQ(r.last, c.last) << c.value;
    }
  }
}

TEST(EtagMatches, weak_comparison_over_a_list) {
  EXPECT_TRUE(etag_matches("\"a\"", "\"a\""));
  EXPECT_TRUE(etag_matches("W/\"a\"", "\"a\""));
  EXPECT_TRUE(etag_matches("\"x\", \"a\"", "\"a\""));
  EXPECT_TRUE(etag_matches("*", "\"a\""));
  EXPECT_FALSE(etag_matches("\"b\"", "\"a\""));
  EXPECT_FALSE(etag_matches("a", "\"a\""));
}

}  // namespace
}  // namespace httpfsm::server
