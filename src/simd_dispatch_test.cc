// The run-time choice of vector instruction set, and the AVX2 scans against the same
// references as the baseline ones (char_class_test.cc). ctest runs the parser suites once per
// implementation with HTTPFSM_SIMD set (src/CMakeLists.txt); the first test here proves each
// such run really used the implementation it names.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "char_class.hpp"
#include "httpfsm/head_parser.hpp"
#include "scan_avx2.hpp"
#include "simd_dispatch.hpp"
#include "websocket_simd.hpp"

namespace httpfsm::detail {
namespace {

TEST(SimdDispatch, the_forced_implementation_is_the_one_in_use) {
  const char* env = std::getenv("HTTPFSM_SIMD");
  if (env == nullptr || *env == '\0') {
    EXPECT_EQ(simd(), simd_available(Simd::avx2) ? Simd::automatic : Simd::baseline);
    return;
  }
  const std::string_view name = env;
  ASSERT_TRUE(name == "scalar" || name == "sse2" || name == "neon" || name == "avx2" ||
              name == "auto")
      << "HTTPFSM_SIMD=" << name << " names no implementation";
  bool available = false;
  for (const Simd s : {Simd::baseline, Simd::scalar, Simd::avx2, Simd::automatic}) {
    available = available || (simd_name(s) == name && simd_available(s));
  }
  if (!available) GTEST_SKIP() << name << " is not available in this build or on this CPU";
  EXPECT_EQ(simd_name(simd()), name);
}

TEST(SimdDispatch, forcing_an_unavailable_implementation_changes_nothing) {
  const Simd before = simd();
  for (const Simd s : {Simd::baseline, Simd::scalar, Simd::avx2, Simd::automatic}) {
    if (simd_available(s)) continue;
    EXPECT_FALSE(force_simd(s));
    EXPECT_EQ(simd(), before);
  }
  EXPECT_TRUE(force_simd(Simd::scalar));
  EXPECT_EQ(simd(), Simd::scalar);
  EXPECT_TRUE(force_simd(before));
}

// Every implementation, switched in one process, parses a head the same way.
TEST(SimdDispatch, every_implementation_reads_the_same_head) {
  const std::string head =
      "GET /a/b?c=d&e=%41 HTTP/1.1\r\nHost: example.com\r\n"
      "User-Agent: a-user-agent-string-well-past-thirty-two-bytes/1.0 (X11)\r\n"
      "X-Tab:\tvalue with\ttabs \r\nAccept: */*\r\n\r\n";
  const Simd before = simd();
  std::string first;
  for (const Simd s : {Simd::baseline, Simd::scalar, Simd::avx2, Simd::automatic}) {
    if (!force_simd(s)) continue;
    HeadParser parser;
    ASSERT_EQ(parser.parse(head), Progress::complete) << simd_name(s);
    std::string seen;
    for (const Field& f : parser.head().fields) {
      seen += head.substr(f.name.offset, f.name.length) + "=" +
              head.substr(f.value.offset, f.value.length) + ";";
    }
    EXPECT_EQ(parser.consumed(), head.size());
    if (first.empty()) first = seen;
    EXPECT_EQ(seen, first) << simd_name(s);
  }
  force_simd(before);
  EXPECT_EQ(first,
            "Host=example.com;User-Agent=a-user-agent-string-well-past-thirty-two-bytes/1.0 "
            "(X11);X-Tab=value with\ttabs;Accept=*/*;");
}

#if HTTPFSM_AVX2
const char* reference_end(const char* p, const char* end, const ByteTable& t) {
  while (p < end && t[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

class Avx2Scan : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!simd_available(Simd::avx2)) GTEST_SKIP() << "no AVX2 on this CPU";
  }
};

// As Scan.vector_scanners_agree_with_the_tables_on_random_input, past 64 bytes so that the
// 32-byte loop, the overlapping tail and the SSE2 finish all run.
TEST_F(Avx2Scan, agrees_with_the_tables_on_random_input) {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = rng() % 140u;
    std::string buf(n, 'a');
    for (char& ch : buf) {
      const auto r = static_cast<unsigned>(rng() % 100u);
      const auto v = static_cast<unsigned>(rng());
      ch = static_cast<char>(r < 2 ? v % 256u : r < 60 ? 'a' + v % 26u : 0x20u + v % 0x5fu);
    }
    const char* b = buf.data();
    const char* e = b + buf.size();
    for (std::size_t s = 0; s <= n; ++s) {
      const char* p = b + s;
      ASSERT_EQ(Avx2Scans::find_field_value_end(p, e, nullptr),
                reference_end(p, e, kFieldValueByte));
      ASSERT_EQ(Avx2Scans::find_field_value_end(p, e, b), reference_end(p, e, kFieldValueByte));
      ASSERT_EQ(Avx2Scans::find_token_end(p, e, nullptr), reference_end(p, e, kTchar));
      ASSERT_EQ(Avx2Scans::find_token_end(p, e, b), reference_end(p, e, kTchar));
      ASSERT_EQ(Avx2Scans::find_origin_run_end(p, e), reference_end(p, e, kOriginByte));
      if (s < n && *p == '/') {
        ASSERT_EQ(Avx2Scans::skip_origin_form(p, e), skip_origin_form(p, e));
      }
    }
  }
}

TEST_F(Avx2Scan, every_single_byte_in_every_lane) {
  for (unsigned c = 0; c < 256; ++c) {
    for (std::size_t pos = 0; pos < 72; ++pos) {
      std::string buf(72, 'a');
      buf[pos] = static_cast<char>(c);
      const char* b = buf.data();
      const char* e = b + buf.size();
      for (const char* lo : {static_cast<const char*>(nullptr), b}) {
        ASSERT_EQ(Avx2Scans::find_field_value_end(b + 1, e, lo),
                  reference_end(b + 1, e, kFieldValueByte))
            << c << " " << pos;
        ASSERT_EQ(Avx2Scans::find_token_end(b + 1, e, lo), reference_end(b + 1, e, kTchar))
            << c << " " << pos;
      }
      ASSERT_EQ(Avx2Scans::find_origin_run_end(b, e), reference_end(b, e, kOriginByte))
          << c << " " << pos;
    }
  }
}

// The one-register window answers exactly as the two-register SSE2 window.
TEST_F(Avx2Scan, short_line_window_agrees_with_the_sse2_window) {
  std::mt19937 rng(11);
  const std::string alphabet = "aZ9-:: \t\r\n\x01\x7f\xe9_!xyz";
  for (int round = 0; round < 200000; ++round) {
    std::string w(32, 'a');
    for (char& ch : w) ch = alphabet[rng() % alphabet.size()];
    if (rng() % 2) w[rng() % 32] = '\r';
    if (rng() % 4 == 0) {
      for (char& ch : w) {
        if (!kFieldValueByte[static_cast<unsigned char>(ch)] || ch == '\t') ch = 'v';
      }
    }
    ShortLine wide{};
    ShortLine narrow{};
    const bool ok = Avx2Scans::short_field_line(w.data(), &wide);
    ASSERT_EQ(ok, short_field_line(w.data(), &narrow)) << round;
    if (ok) {
      ASSERT_EQ(wide.colon, narrow.colon) << round;
      ASSERT_EQ(wide.end, narrow.end) << round;
    }
    // The window that reaches back before the line (a line near the input's end): the same
    // window, only the bytes from `skip` on judged.
    const auto skip = static_cast<unsigned>(rng() % 32);
    const bool ok_skip = Avx2Scans::short_field_line(w.data() + skip, &wide, skip);
    ASSERT_EQ(ok_skip, short_field_line(w.data() + skip, &narrow, skip)) << round << " " << skip;
    if (ok_skip) {
      ASSERT_EQ(wide.colon, narrow.colon) << round << " " << skip;
      ASSERT_EQ(wide.end, narrow.end) << round << " " << skip;
    }
  }
}

// The WebSocket loops (websocket_avx2.cc) against byte-at-a-time references, from every start
// and every length up to 160 bytes, so that the 32-byte loop and the baseline finish both run.
TEST_F(Avx2Scan, websocket_loops_agree_with_byte_loops) {
  std::mt19937 rng(6455);
  for (int round = 0; round < 300; ++round) {
    std::string buf(160, 'a');
    for (char& ch : buf)
      ch = static_cast<char>(rng() % 100u == 0 ? 0x80u + rng() % 0x80u : rng() % 0x80u);
    const auto* b = reinterpret_cast<const unsigned char*>(buf.data());
    const unsigned char pattern[4] = {static_cast<unsigned char>(rng()), 0x5a, 0xff,
                                      static_cast<unsigned char>(round)};
    for (std::size_t s = 0; s < 40; ++s) {
      for (std::size_t n = 0; s + n <= buf.size(); n += 1 + n / 8) {
        const unsigned char* p = b + s;
        const unsigned char* expect = p;
        while (expect < p + n && *expect < 0x80) ++expect;
        ASSERT_EQ(skip_ascii_avx2(p, p + n), expect) << s << " " << n;
        std::string out(n, '\0');
        auto* o = reinterpret_cast<unsigned char*>(out.data());
        xor_pattern_avx2(p, o, n, pattern);
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_EQ(o[i], static_cast<unsigned char>(p[i] ^ pattern[i % 4])) << s << " " << n;
        }
      }
    }
  }
}
#endif

}  // namespace
}  // namespace httpfsm::detail
