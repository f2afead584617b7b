#include "httpfsm/request_head.hpp"

#include <gtest/gtest.h>

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
