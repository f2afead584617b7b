// Utf8Validator (RFC 3629 §4, for RFC 6455 §8.1): a table of byte strings, each with the rule
// it shows, run whole, one byte at a time and split at every offset; the verdict and the
// offset of the first invalid byte must not depend on the pieces.
#include "httpfsm/websocket_utf8.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace httpfsm {
namespace {

struct Utf8Case {
  std::string name;
  std::string rfc;
  std::string bytes;
  long long error_at;  // -1: valid
};

std::ostream& operator<<(std::ostream& os, const Utf8Case& c) { return os << c.name; }

// Feeds the pieces, each on an allocation of exactly its bytes; returns -1 or the error offset.
long long run(const std::string& bytes, const std::vector<std::size_t>& cuts) {
  Utf8Validator v;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (std::size_t end : ends) {
    const std::size_t n = end - from;
    std::unique_ptr<char[]> piece(new char[n == 0 ? 1 : n]);
    bytes.copy(piece.get(), n, from);
    from = end;
    if (!v.feed({piece.get(), n})) return static_cast<long long>(v.error_offset());
  }
  return v.finish() ? -1 : static_cast<long long>(v.error_offset());
}

std::vector<Utf8Case> cases() {
  const std::string ascii40(40, 'a');
  return {
      {"empty", "3629 §4", "", -1},
      {"ascii", "3629 §4 UTF8-1", "Hello, world", -1},
      {"nul_and_del", "3629 §4 UTF8-1", std::string("\0\x7f", 2), -1},
      {"greek_kosme", "3629 §4", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", -1},
      {"two_byte_lowest", "3629 §4 UTF8-2", "\xc2\x80", -1},
      {"two_byte_highest", "3629 §4 UTF8-2", "\xdf\xbf", -1},
      {"overlong_c0", "3629 §4 UTF8-2", "\xc0\x80", 0},
      {"overlong_c1", "3629 §4 UTF8-2", "\xc1\xbf", 0},
      {"three_byte_lowest", "3629 §4 UTF8-3", "\xe0\xa0\x80", -1},
      {"overlong_three_byte", "3629 §4 UTF8-3", "\xe0\x80\xaf", 1},
      {"overlong_three_byte_highest", "3629 §4 UTF8-3", "\xe0\x9f\xbf", 1},
      {"last_before_surrogates", "3629 §4 UTF8-3", "\xed\x9f\xbf", -1},
      {"surrogate_high", "3629 §3", "\xed\xa0\x80", 1},
      {"surrogate_low", "3629 §3", "\xed\xbf\xbf", 1},
      {"first_after_surrogates", "3629 §4 UTF8-3", "\xee\x80\x80", -1},
      {"bmp_highest", "3629 §4 UTF8-3", "\xef\xbf\xbf", -1},
      {"four_byte_lowest", "3629 §4 UTF8-4", "\xf0\x90\x80\x80", -1},
      {"overlong_four_byte", "3629 §4 UTF8-4", "\xf0\x8f\xbf\xbf", 1},
      {"highest_code_point", "3629 §4 UTF8-4", "\xf4\x8f\xbf\xbf", -1},
      {"above_10ffff", "3629 §3", "\xf4\x90\x80\x80", 1},
      {"lead_f5", "3629 §3", "\xf5\x80\x80\x80", 0},
      {"lead_ff", "3629 §1", "\xff", 0},
      {"lead_fe", "3629 §1", "\xfe", 0},
      {"stray_continuation", "3629 §4", "a\x80", 1},
      {"lead_then_ascii", "3629 §4", "\xe2\x41\x42", 1},
      {"lead_then_lead", "3629 §4", "\xc3\xc3\xa9", 1},
      {"ends_inside_two_byte", "6455 §8.1", "ab\xc3", 3},
      {"ends_inside_four_byte", "6455 §8.1", "\xf0\x90\x80", 3},
      // Around the 16-byte vector skip: the invalid byte at each position near a block edge.
      {"invalid_at_15", "3629 §4", std::string(15, 'a') + "\xff" + ascii40, 15},
      {"invalid_at_16", "3629 §4", std::string(16, 'a') + "\xff" + ascii40, 16},
      {"invalid_at_17", "3629 §4", std::string(17, 'a') + "\xff" + ascii40, 17},
      {"invalid_at_39", "3629 §4", std::string(39, 'a') + "\x80", 39},
      {"valid_after_long_ascii", "3629 §4", ascii40 + "\xe2\x82\xac" + ascii40 + "\xc3\xa9", -1},
      {"invalid_after_valid_multibyte", "3629 §4",
       ascii40 + "\xe2\x82\xac" + ascii40 + "\xed\xa0\x80", 84},
  };
}

class Utf8Cases : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Cases, whole_bytewise_and_every_split_agree) {
  const Utf8Case& c = GetParam();
  EXPECT_EQ(run(c.bytes, {}), c.error_at) << c.rfc;
  EXPECT_EQ(is_valid_utf8({c.bytes.data(), c.bytes.size()}), c.error_at < 0);
  std::vector<std::size_t> bytewise;
  for (std::size_t i = 1; i < c.bytes.size(); ++i) bytewise.push_back(i);
  EXPECT_EQ(run(c.bytes, bytewise), c.error_at) << "byte by byte";
  for (std::size_t i = 0; i <= c.bytes.size(); ++i)
    EXPECT_EQ(run(c.bytes, {i}), c.error_at) << "split at " << i;
}

INSTANTIATE_TEST_SUITE_P(Rfc3629, Utf8Cases, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(Utf8Validator, failure_is_sticky_until_reset) {
  Utf8Validator v;
  EXPECT_FALSE(v.feed({"\xff", 1}));
  EXPECT_FALSE(v.feed({"a", 1}));
  EXPECT_TRUE(v.failed());
  EXPECT_EQ(v.error_offset(), 0u);
  v.reset();
  EXPECT_TRUE(v.feed({"a", 1}));
  EXPECT_TRUE(v.finish());
}

TEST(Utf8Validator, at_boundary_tracks_partial_characters) {
  Utf8Validator v;
  EXPECT_TRUE(v.at_boundary());
  EXPECT_TRUE(v.feed({"\xe2\x82", 2}));
  EXPECT_FALSE(v.at_boundary());
  EXPECT_TRUE(v.feed({"\xac", 1}));
  EXPECT_TRUE(v.at_boundary());
  EXPECT_EQ(v.bytes(), 3u);
}

}  // namespace
}  // namespace httpfsm
