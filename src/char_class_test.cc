// The byte tables and the vector scanners against definitions written out independently.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>

#include "char_class.hpp"
#include "scan.hpp"

namespace httpfsm::detail {
namespace {

bool in(std::string_view set, unsigned c) { return set.find(static_cast<char>(c)) != set.npos; }

TEST(CharClass, tchar_matches_rfc9110_5_6_2) {
  for (unsigned c = 0; c < 256; ++c) {
    const bool expected = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || in("!#$%&'*+-.^_`|~", c);
    EXPECT_EQ(kTchar[c], expected) << c;
  }
}

TEST(CharClass, field_value_byte_is_field_vchar_sp_or_htab) {
  for (unsigned c = 0; c < 256; ++c) {
    const bool expected = c == 0x09 || c == 0x20 || (c >= 0x21 && c <= 0x7e) || c >= 0x80;
    EXPECT_EQ(kFieldValueByte[c], expected) << c;
  }
}

TEST(CharClass, origin_byte_is_pchar_slash_or_question_without_pct) {
  for (unsigned c = 0; c < 256; ++c) {
    const bool unreserved =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || in("-._~", c);
    const bool expected = unreserved || in("!$&'()*+,;=", c) || in(":@/?", c);
    EXPECT_EQ(kOriginByte[c], expected) << c;
  }
}

TEST(CharClass, unreserved_matches_rfc3986_2_3) {
  for (unsigned c = 0; c < 256; ++c) {
    const bool expected =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || in("-._~", c);
    EXPECT_EQ(kUnreserved[c], expected) << c;
  }
}

TEST(CharClass, hex_digits_and_values) {
  for (unsigned c = 0; c < 256; ++c) {
    const bool expected =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    EXPECT_EQ(is_hexdig(c), expected) << c;
  }
  EXPECT_EQ(hex_value('0'), 0u);
  EXPECT_EQ(hex_value('9'), 9u);
  EXPECT_EQ(hex_value('a'), 10u);
  EXPECT_EQ(hex_value('F'), 15u);
  for (unsigned c = 0; c < 256; ++c) {
    EXPECT_EQ(kHexValue[c], is_hexdig(c) ? hex_value(c) : kNotHex) << c;
  }
}

// Reference: the first byte not in the table, one byte at a time.
const char* reference_end(const char* p, const char* end, const ByteTable& t) {
  while (p < end && t[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// Random buffers mostly of valid bytes with a rare invalid one, scanned from every start.
TEST(Scan, vector_scanners_agree_with_the_tables_on_random_input) {
  std::mt19937 rng(20261121);
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = rng() % 80u;
    std::string buf(n, 'a');
    for (char& ch : buf) {
      const auto r = static_cast<unsigned>(rng() % 100u);
      const auto v = static_cast<unsigned>(rng());
      ch = static_cast<char>(r < 3 ? v % 256u : r < 60 ? 'a' + v % 26u : 0x20u + v % 0x5fu);
    }
    const char* b = buf.data();
    const char* e = b + buf.size();
    for (std::size_t s = 0; s <= n; ++s) {
      ASSERT_EQ(find_field_value_end(b + s, e), reference_end(b + s, e, kFieldValueByte));
      // With the buffer's start as the lower bound, the tail is one overlapping load.
      ASSERT_EQ(find_field_value_end(b + s, e, b), reference_end(b + s, e, kFieldValueByte));
      ASSERT_EQ(find_token_end(b + s, e, b), reference_end(b + s, e, kTchar));
      ASSERT_EQ(find_origin_run_end(b + s, e), reference_end(b + s, e, kOriginByte));
      ASSERT_EQ(find_token_end(b + s, e), reference_end(b + s, e, kTchar));
      ASSERT_EQ(find_unreserved_end(b + s, e), reference_end(b + s, e, kUnreserved));
    }
  }
}

TEST(Scan, every_single_byte_in_every_lane) {
  for (unsigned c = 0; c < 256; ++c) {
    for (std::size_t pos = 0; pos < 40; ++pos) {
      std::string buf(40, 'a');
      buf[pos] = static_cast<char>(c);
      const char* b = buf.data();
      const char* e = b + buf.size();
      ASSERT_EQ(find_field_value_end(b, e), reference_end(b, e, kFieldValueByte))
          << c << " " << pos;
      ASSERT_EQ(find_origin_run_end(b, e), reference_end(b, e, kOriginByte)) << c << " " << pos;
      ASSERT_EQ(find_token_end(b, e), reference_end(b, e, kTchar)) << c << " " << pos;
      ASSERT_EQ(find_unreserved_end(b, e), reference_end(b, e, kUnreserved)) << c << " " << pos;
    }
  }
}

#if HTTPFSM_SSE2
// The 32-byte window must report the first byte that stops a value (HTAB included) and the
// colon before it, and accept exactly when the bytes before the colon are letters, digits
// and "-": what a byte-by-byte reading finds.
TEST(Scan, short_line_window_agrees_with_a_byte_by_byte_reading) {
  std::mt19937 rng(7);
  const std::string alphabet = "aZ9-:: \t\r\n\x01\x7f\xe9_!xyz";
  for (int round = 0; round < 200000; ++round) {
    std::string w(32, 'a');
    for (char& ch : w) ch = alphabet[rng() % alphabet.size()];
    if (rng() % 2) w[rng() % 32] = '\r';  // make a CR likely
    if (rng() % 4 == 0) {                 // and a window of only valid bytes
      for (char& ch : w) {
        if (!kFieldValueByte[static_cast<unsigned char>(ch)] || ch == '\t') ch = 'v';
      }
    }
    std::size_t end = 0;
    while (end < 32 && kFieldValueByte[static_cast<unsigned char>(w[end])] && w[end] != '\t') {
      ++end;
    }
    const std::size_t colon = w.substr(0, end).find(':');
    bool expect = colon != std::string::npos;
    for (std::size_t i = 0; expect && i < colon; ++i) {
      const auto c = static_cast<unsigned char>(w[i]);
      expect = is_alpha(c) || is_digit(c) || c == '-';
    }
    ShortLine sl{};
    ASSERT_EQ(short_field_line(w.data(), &sl), expect) << round;
    if (expect) {
      ASSERT_EQ(sl.end, end);
      ASSERT_EQ(sl.colon, colon);
    }
  }
}

// The window that ends at the input's end and reaches back before the line (skip > 0) must
// judge exactly the bytes from the line on: the same answer as a window that starts at the
// line with the bytes after the input made invalid.
TEST(Scan, short_line_window_with_a_skip_judges_only_the_line) {
  std::mt19937 rng(11);
  const std::string alphabet = "aZ9-:: \t\r\n\x01\x7f\xe9_!xyz";
  for (int round = 0; round < 100000; ++round) {
    std::string w(32, 'a');
    for (char& ch : w) ch = alphabet[rng() % alphabet.size()];
    if (rng() % 2) w[rng() % 32] = '\r';
    const unsigned skip = 1 + static_cast<unsigned>(rng() % 31);
    const std::size_t room = 32 - skip;
    // Reference: the room bytes of the line, then a CR where the input ends.
    std::string line = w.substr(skip) + std::string(skip, '\r');
    std::size_t end = 0;
    while (end < room && kFieldValueByte[static_cast<unsigned char>(line[end])] &&
           line[end] != '\t') {
      ++end;
    }
    const std::size_t colon = line.substr(0, end).find(':');
    bool expect = colon != std::string::npos;
    for (std::size_t i = 0; expect && i < colon; ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      expect = is_alpha(c) || is_digit(c) || c == '-';
    }
    ShortLine sl{};
    ASSERT_EQ(short_field_line(w.data() + skip, &sl, skip), expect) << round;
    if (expect) {
      ASSERT_EQ(sl.end, end) << round;
      ASSERT_EQ(sl.colon, colon) << round;
    }
  }
}
#endif

// Reference for the Host shape: unreserved bytes, then optionally ":" and digits.
bool reference_simple_host(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && kUnreserved[static_cast<unsigned char>(v[i])]) ++i;
  if (i < v.size() && v[i] == ':') {
    ++i;
    while (i < v.size() && is_digit(static_cast<unsigned char>(v[i]))) ++i;
  }
  return i == v.size();
}

// Every length up to past the vector's 16 bytes, with and without room before the value
// (the overlapping load), over values mostly of the shape with a rare other byte.
TEST(Scan, simple_host_agrees_with_a_byte_by_byte_reading) {
  std::mt19937 rng(18);
  const std::string alphabet = "ab.-_~09:::/@[] \x80\xff%AZ";
  for (int round = 0; round < 200000; ++round) {
    const std::size_t n = rng() % 24u;
    const std::size_t before = rng() % 2 ? 16 : rng() % 16u;
    std::string buf(before + n, 'x');
    for (std::size_t i = before; i < buf.size(); ++i) {
      buf[i] = rng() % 4 ? "example.com-1"[rng() % 13] : alphabet[rng() % alphabet.size()];
    }
    if (n > 2 && rng() % 2) {  // a port, sometimes with a bad byte in it
      const std::size_t colon = before + rng() % n;
      buf[colon] = ':';
      for (std::size_t i = colon + 1; i < buf.size(); ++i) buf[i] = "0123456789"[rng() % 10];
      if (colon + 1 < buf.size() && rng() % 3 == 0) {
        buf[colon + 1 + rng() % (buf.size() - colon - 1)] = "x:."[rng() % 3];
      }
    }
    const char* b = buf.data();
    const std::string_view v(b + before, n);
    ASSERT_EQ(is_simple_host(v.data(), v.data() + v.size(), b), reference_simple_host(v))
        << round << " " << v;
  }
}

// Every byte value at the start, middle and end of a value, before and after a port's
// colon: the vector ranges must neither gain nor lose a byte at their edges (",-./09:@AZ[`az{").
TEST(Scan, simple_host_judges_every_byte_as_the_table_does) {
  for (unsigned c = 0; c < 256; ++c) {
    const char b = static_cast<char>(c);
    for (const std::string& v :
         {std::string(1, b), "a" + std::string(1, b) + "z", "example.co" + std::string(1, b),
          "host:8" + std::string(1, b), std::string(1, b) + ":80"}) {
      const std::string buf = std::string(16, 'x') + v;  // room for the overlapping load
      const std::string_view value(buf.data() + 16, v.size());
      ASSERT_EQ(is_simple_host(value.data(), value.data() + value.size(), buf.data()),
                reference_simple_host(value))
          << c;
    }
  }
}

TEST(Scan, origin_skip_accepts_pct_triplets_only_when_whole) {
  const auto skip = [](std::string_view s) {
    return static_cast<std::size_t>(skip_origin_form(s.data(), s.data() + s.size()) - s.data());
  };
  EXPECT_EQ(skip("/abc"), 3u);      // last byte accepted
  EXPECT_EQ(skip("/a%41b c"), 5u);  // through the triplet, up to the SP
  EXPECT_EQ(skip("/a%4"), 1u);      // incomplete triplet left to the machine
  EXPECT_EQ(skip("/a%zz"), 1u);     // invalid triplet left to the machine
  EXPECT_EQ(skip("/"), 0u);
  EXPECT_EQ(skip("/a?b/c?d#"), 7u);  // "#" ends it
}

}  // namespace
}  // namespace httpfsm::detail
