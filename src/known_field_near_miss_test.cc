// Near-miss names of the known fields (httpfsm/known_field_list.h) are other fields (issue 19):
// a name one byte longer or shorter ("Content-Lengt", "Transfer-Encodinga") or of the same
// length with any one byte changed to another tchar is not taken for the known field, and so
// changes no framing, persistence or expectation, while any ASCII case of the exact name is
// the known field (RFC 9110 §5.1: field names are case-insensitive). The classifier compares
// names a word at a time with the case folded by OR 0x20, so every position and every tchar
// is tried, in requests and in responses, read whole and byte by byte (the whole-line fast
// path and the byte-at-a-time machine).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/head_parser.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/response_head_parser.hpp"

namespace httpfsm {
namespace {

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~" / DIGIT / ALPHA
const std::string kTchars =
    "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Every name that must not be taken for `name`: each byte changed to each other tchar (same
// length), one byte dropped at either end or in the middle, one tchar added at either end.
std::vector<std::string> near_misses(const std::string& name) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < name.size(); ++at) {
    for (char c : kTchars) {
      if (lower(c) == lower(name[at])) continue;
      std::string n = name;
      n[at] = c;
      out.push_back(n);
    }
  }
  out.push_back(name.substr(0, name.size() - 1));
  out.push_back(name.substr(1));
  out.push_back(name.substr(0, name.size() / 2) + name.substr(name.size() / 2 + 1));
  for (char c : std::string("a-Z0_~")) {
    out.push_back(name + c);
    out.push_back(c + name);
  }
  return out;
}

// Every ASCII case of each byte, one byte at a time, and the whole name lower and upper.
std::vector<std::string> case_variants(const std::string& name) {
  std::vector<std::string> out = {name};
  std::string lo = name, up = name;
  for (char& c : lo) c = lower(c);
  for (char& c : up) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
  out.push_back(lo);
  out.push_back(up);
  for (std::size_t at = 0; at < name.size(); ++at) {
    std::string n = name;
    if (n[at] >= 'a' && n[at] <= 'z')
      n[at] = static_cast<char>(n[at] - 32);
    else if (n[at] >= 'A' && n[at] <= 'Z')
      n[at] = static_cast<char>(n[at] + 32);
    else
      continue;
    out.push_back(n);
  }
  return out;
}

// A value the known field acts on, so that taking a near miss for it would show.
std::string telling_value(KnownField k) {
  switch (k) {
    case KnownField::content_length:
      return "5";
    case KnownField::transfer_encoding:
      return "chunked";
    case KnownField::connection:
      return "close";
    case KnownField::expect:
      return "100-continue";
    default:
      return "near";
  }
}

// Parses whole and byte by byte (every prefix, same parser); both must agree.
template <typename Parser>
Progress parse_both_ways(Parser& whole, Parser& bytewise, const std::string& message) {
  const Progress p = whole.parse(message);
  Progress q = Progress::need_more;
  for (std::size_t n = 1; n <= message.size() && q == Progress::need_more; ++n) {
    q = bytewise.parse(std::string_view(message.data(), n));
  }
  EXPECT_EQ(p, q) << message;
  return p;
}

// The head that a near miss must leave: only the line, no known field taken, framing and
// persistence as if it were absent (the callers check framing and persistence). For Host the real
// Host line comes after the near miss and must be the one indexed.
template <typename Head>
void expect_not_taken(const Head& h, const std::string& message, KnownField k,
                      const std::string& name) {
  ASSERT_GE(h.fields.size(), 1u) << message;
  EXPECT_EQ(text(message, h.fields[0].name), name);
  const Field* f = h.field(k);
  if (k == KnownField::host) {
    ASSERT_NE(f, nullptr) << message;
    EXPECT_EQ(f, &h.fields[1]) << message;
  } else {
    EXPECT_EQ(f, nullptr) << message;
  }
  for (std::size_t other = 0; other < kKnownFieldCount; ++other) {
    if (static_cast<KnownField>(other) == KnownField::host) continue;
    EXPECT_EQ(h.field(static_cast<KnownField>(other)), nullptr) << message;
  }
}

std::string request_with(KnownField k, const std::string& name) {
  return "POST / HTTP/1.1\r\n" + name + ": " + telling_value(k) + "\r\nHost: a\r\n\r\n";
}

std::string response_with(KnownField k, const std::string& name) {
  return "HTTP/1.1 200 OK\r\n" + name + ": " + telling_value(k) + "\r\nHost: a\r\n\r\n";
}

TEST(KnownFieldNearMiss, request_field_names_one_byte_off_are_other_fields) {
  for (std::size_t i = 0; i < kKnownFieldCount; ++i) {
    const auto k = static_cast<KnownField>(i);
    const std::string name(known_field_name(k));
    std::size_t tried = 0;
    for (const std::string& n : near_misses(name)) {
      ASSERT_FALSE(same_ignoring_case(n, name)) << n;
      const std::string req = request_with(k, n);
      HeadParser whole, bytewise;
      ASSERT_EQ(parse_both_ways(whole, bytewise, req), Progress::complete) << req;
      for (const HeadParser* p : {&whole, &bytewise}) {
        const RequestHead& h = p->head();
        expect_not_taken(h, req, k, n);
        // RFC 9112 §6.3 item 7: with neither Content-Length nor Transfer-Encoding, no body.
        EXPECT_EQ(h.framing, Framing::no_body) << req;
        EXPECT_FALSE(h.expect_continue) << req;
        EXPECT_TRUE(h.keep_alive) << req;  // RFC 9112 §9.3: only "Connection: close" ends it
      }
      ++tried;
    }
    EXPECT_GT(tried, name.size() * 70) << name;
  }
}

// The check above can fail: the exact name in any case is the known field and acts.
TEST(KnownFieldNearMiss, request_field_names_in_any_case_are_the_known_field) {
  for (std::size_t i = 0; i < kKnownFieldCount; ++i) {
    const auto k = static_cast<KnownField>(i);
    for (const std::string& n : case_variants(std::string(known_field_name(k)))) {
      // For Host, the one line is the Host (a second would be refused, RFC 9112 §3.2).
      const std::string req =
          k == KnownField::host ? "GET / HTTP/1.1\r\n" + n + ": a\r\n\r\n" : request_with(k, n);
      HeadParser whole, bytewise;
      ASSERT_EQ(parse_both_ways(whole, bytewise, req), Progress::complete) << req;
      for (const HeadParser* p : {&whole, &bytewise}) {
        const RequestHead& h = p->head();
        ASSERT_EQ(h.field(k), &h.fields[0]) << req;
        EXPECT_EQ(h.framing, k == KnownField::content_length      ? Framing::content_length
                             : k == KnownField::transfer_encoding ? Framing::chunked
                                                                  : Framing::no_body)
            << req;
        EXPECT_EQ(h.keep_alive, k != KnownField::connection) << req;
        EXPECT_EQ(h.expect_continue, k == KnownField::expect) << req;
      }
    }
  }
}

// Responses index the same fields with the same classifier (RFC 9112 §6.3 frames them).
TEST(KnownFieldNearMiss, response_field_names_one_byte_off_are_other_fields) {
  for (std::size_t i = 0; i < kKnownFieldCount; ++i) {
    const auto k = static_cast<KnownField>(i);
    const std::string name(known_field_name(k));
    for (const std::string& n : near_misses(name)) {
      const std::string res = response_with(k, n);
      ResponseHeadParser whole, bytewise;
      ASSERT_EQ(parse_both_ways(whole, bytewise, res), Progress::complete) << res;
      for (const ResponseHeadParser* p : {&whole, &bytewise}) {
        const ResponseHead& h = p->head();
        expect_not_taken(h, res, k, n);
        // RFC 9112 §6.3 item 8: with neither framing field, the body runs until the close.
        EXPECT_EQ(h.framing, Framing::until_close) << res;
      }
    }
    for (const std::string& n : case_variants(name)) {
      const std::string res = response_with(k, n);
      ResponseHeadParser p;
      ASSERT_EQ(p.parse(res), Progress::complete) << res;
      EXPECT_EQ(p.head().field(k), &p.head().fields[0]) << res;
      EXPECT_EQ(p.head().framing, k == KnownField::content_length      ? Framing::content_length
                                  : k == KnownField::transfer_encoding ? Framing::chunked
                                                                       : Framing::until_close)
          << res;
    }
  }
}

}  // namespace
}  // namespace httpfsm
