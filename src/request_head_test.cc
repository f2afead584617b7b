#include "httpfsm/request_head.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "httpfsm/head_parser.hpp"

namespace httpfsm {
namespace {

// method_token() gives back the token the parser recognised, for every recognised method.
TEST(RequestHeadNames, method_token_is_the_token_that_parses_to_the_method) {
  for (const char* token : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"}) {
    const std::string request = std::string(token) + " / HTTP/1.1\r\nHost: a\r\n\r\n";
    HeadParser p;
    ASSERT_EQ(p.parse(request), Progress::complete) << token;
    EXPECT_EQ(method_token(p.head().method_id), token);
  }
  EXPECT_EQ(method_token(Method::connect), "CONNECT");
  EXPECT_EQ(method_token(Method::other), "");
}

// Every entry of httpfsm/method_list.h is recognised by the parser's classifier (which is
// expanded from the list), named by method_token, and numbered alike in C; a token one byte
// longer or shorter, or in another case, is `other` (RFC 9110 §9.1: case-sensitive).
TEST(RequestHeadNames, every_listed_method_is_classified_and_named) {
  std::size_t listed = 0;
#define HTTPFSM_X(name, token, c_name, reference)                                               \
  {                                                                                             \
    ++listed;                                                                                   \
    const std::string t = token;                                                                \
    HeadParser p;                                                                               \
    /* CONNECT takes authority-form (RFC 9112 §3.2.3) */                                       \
    const std::string req =                                                                     \
        t + (Method::name == Method::connect ? " a:1" : " /") + " HTTP/1.1\r\nHost: a\r\n\r\n"; \
    ASSERT_EQ(p.parse(req), Progress::complete) << t;                                           \
    EXPECT_EQ(p.head().method_id, Method::name) << t;                                           \
    EXPECT_EQ(method_token(Method::name), t);                                                   \
    for (const std::string& other : {t + "X", t.substr(1), "x" + t.substr(1)}) {                \
      HeadParser q;                                                                             \
      const std::string r = other + " / HTTP/1.1\r\nHost: a\r\n\r\n";                           \
      ASSERT_EQ(q.parse(r), Progress::complete) << other;                                       \
      EXPECT_EQ(q.head().method_id, Method::other) << other;                                    \
    }                                                                                           \
  }
  HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  EXPECT_EQ(listed + 1, kMethodCount);
}

// Every entry of httpfsm/known_field_list.h is indexed in any ASCII case, by the byte-by-byte
// path (a lone field line) and the whole-line fast path alike, and named by known_field_name;
// a name differing in one byte is not indexed.
TEST(RequestHeadNames, every_listed_field_is_indexed_in_any_case_and_named) {
  std::size_t listed = 0;
#define HTTPFSM_X(name, field_name, c_name, has_rules) \
  ++listed;                                            \
  EXPECT_EQ(known_field_name(KnownField::name), field_name);
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  EXPECT_EQ(listed, kKnownFieldCount);
  for (std::size_t i = 0; i < kKnownFieldCount; ++i) {
    const auto k = static_cast<KnownField>(i);
    std::string upper(known_field_name(k)), lower(upper);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // A value every known field accepts in a request with a Host (a second Host would fail).
    const std::string value = k == KnownField::content_length      ? "0"
                              : k == KnownField::transfer_encoding ? "chunked"
                                                                   : "a";
    std::string changed = lower;
    changed.back() = changed.back() == 'x' ? 'y' : 'x';
    for (const std::string& n : {upper, lower, std::string(known_field_name(k)), changed}) {
      const std::string host = k == KnownField::host ? "" : "Host: a\r\n";
      const std::string req = "GET / HTTP/1.1\r\n" + host + n + ": " + value + "\r\n\r\n";
      HeadParser p;
      ASSERT_EQ(p.parse(req),
                n == changed && k == KnownField::host ? Progress::failed : Progress::complete)
          << req;
      if (n == changed) {
        if (k != KnownField::host) {
          EXPECT_EQ(p.head().field(k), nullptr) << req;
        }
      } else {
        ASSERT_NE(p.head().field(k), nullptr) << req;
        EXPECT_EQ(p.head().value(req, k), value) << req;
      }
    }
  }
}

TEST(RequestHeadNames, target_forms_and_framings_are_named_after_their_enumerators) {
  EXPECT_EQ(target_form_name(TargetForm::origin), "origin");
  EXPECT_EQ(target_form_name(TargetForm::absolute), "absolute");
  EXPECT_EQ(target_form_name(TargetForm::authority), "authority");
  EXPECT_EQ(target_form_name(TargetForm::asterisk), "asterisk");
  EXPECT_EQ(framing_name(Framing::no_body), "no_body");
  EXPECT_EQ(framing_name(Framing::content_length), "content_length");
  EXPECT_EQ(framing_name(Framing::chunked), "chunked");
}

}  // namespace
}  // namespace httpfsm
