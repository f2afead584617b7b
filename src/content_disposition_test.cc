// Content-Disposition of a form-data part: RFC 6266 §4, RFC 7578 §4.2, RFC 8187 §3.2.
#include "httpfsm/content_disposition.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace httpfsm {
namespace {

ContentDispositionResult parse(std::string_view v, std::size_t scratch_size = 256) {
  static std::array<char, 256> scratch;
  return parse_form_data_disposition(v, std::span<char>(scratch.data(), scratch_size));
}

TEST(ContentDisposition, reads_name_rfc7578_s4_2) {
  const auto r = parse("form-data; name=\"field1\"");
  ASSERT_EQ(r.error, MultipartError::none);
  EXPECT_EQ(r.disposition.type, "form-data");
  EXPECT_EQ(r.disposition.name, "field1");
  EXPECT_TRUE(r.disposition.has_name);
  EXPECT_FALSE(r.disposition.has_filename);
}

TEST(ContentDisposition, reads_name_and_filename_as_views_rfc7578_s4_2) {
  const std::string v = "form-data; name=\"file\"; filename=\"r\xc3\xa9sum\xc3\xa9.pdf\"";
  const auto r = parse(v);
  ASSERT_EQ(r.error, MultipartError::none);
  EXPECT_EQ(r.disposition.filename, "r\xc3\xa9sum\xc3\xa9.pdf");  // raw UTF-8, as browsers send
  EXPECT_TRUE(r.disposition.has_filename);
  EXPECT_FALSE(r.disposition.filename_from_ext);
  // Not decoded: the view points into the field value.
  EXPECT_GE(r.disposition.filename.data(), v.data());
  EXPECT_LT(r.disposition.filename.data(), v.data() + v.size());
}

TEST(ContentDisposition, accepts_tokens_case_and_whitespace_rfc6266_s4_1) {
  const auto r = parse("Form-Data ;NAME = a ; FileName=b.txt;");
  ASSERT_EQ(r.error, MultipartError::none);
  EXPECT_EQ(r.disposition.name, "a");
  EXPECT_EQ(r.disposition.filename, "b.txt");
}

TEST(ContentDisposition, keeps_an_empty_filename) {
  const auto r = parse("form-data; name=\"f\"; filename=\"\"");
  ASSERT_EQ(r.error, MultipartError::none);
  EXPECT_TRUE(r.disposition.has_filename);
  EXPECT_EQ(r.disposition.filename, "");
}

TEST(ContentDisposition, unescapes_quoted_pairs_into_scratch_rfc9110_s5_6_4) {
  const auto r = parse("form-data; name=\"a\\\\b\"; filename=\"x\\\"y.txt\"");
  ASSERT_EQ(r.error, MultipartError::none);
  EXPECT_EQ(r.disposition.name, "a\\b");
  EXPECT_EQ(r.disposition.filename, "x\"y.txt");
}

TEST(ContentDisposition, prefers_filename_star_rfc6266_s4_3) {
  const auto r =
      parse("form-data; name=\"f\"; filename*=UTF-8''%e2%82%ac%20rates.txt; filename=\"x.txt\"");
  ASSERT_EQ(r.error, MultipartError::none);
  EXPECT_EQ(r.disposition.filename, "\xe2\x82\xac rates.txt");
  EXPECT_TRUE(r.disposition.filename_from_ext);
  const auto lang = parse("form-data; name=f; filename*=utf-8'en-US'a%2Fb");
  ASSERT_EQ(lang.error, MultipartError::none);
  EXPECT_EQ(lang.disposition.filename, "a/b");  // decoded as sent; the server judges names
}

TEST(ContentDisposition, refuses_what_it_cannot_decode_exactly_rfc8187_s3_2_1) {
  EXPECT_EQ(parse("form-data; name=f; filename*=ISO-8859-1''%a3").error,
            MultipartError::unsupported_charset);
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8''%ff").error,
            MultipartError::bad_ext_value);  // not UTF-8
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8''%c0%af").error,
            MultipartError::bad_ext_value);  // overlong "/"
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8''%ed%a0%80").error,
            MultipartError::bad_ext_value);  // a surrogate
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8''%zz").error, MultipartError::bad_ext_value);
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8''a%2").error, MultipartError::bad_ext_value);
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8'a").error, MultipartError::bad_ext_value);
  EXPECT_EQ(parse("form-data; name=f; filename*=\"UTF-8''a\"").error,
            MultipartError::bad_ext_value);
  EXPECT_EQ(parse("form-data; name=f; filename*=UTF-8''a'b").error,
            MultipartError::bad_ext_value);  // "'" is a tchar but no attr-char
}

TEST(ContentDisposition, refuses_duplicate_parameters_rfc6266_s4_1) {
  EXPECT_EQ(parse("form-data; name=a; name=b").error, MultipartError::duplicate_parameter);
  EXPECT_EQ(parse("form-data; name=a; NAME=a").error, MultipartError::duplicate_parameter);
  EXPECT_EQ(parse("form-data; name=a; filename=x; filename=y").error,
            MultipartError::duplicate_parameter);
  EXPECT_EQ(parse("form-data; name=a; filename*=UTF-8''x; filename*=UTF-8''y").error,
            MultipartError::duplicate_parameter);
}

TEST(ContentDisposition, refuses_malformed_values) {
  EXPECT_EQ(parse("").error, MultipartError::bad_content_disposition);
  EXPECT_EQ(parse("form-data; name=\"a").error, MultipartError::bad_content_disposition);
  EXPECT_EQ(parse("form-data; name=\"a\rb\"").error, MultipartError::bad_content_disposition);
  EXPECT_EQ(parse("form-data; name").error, MultipartError::bad_content_disposition);
  EXPECT_EQ(parse("form-data name=a").error, MultipartError::bad_content_disposition);
  EXPECT_EQ(parse("form-data; name=a b").error, MultipartError::bad_content_disposition);
}

TEST(ContentDisposition, requires_form_data_and_name_rfc7578_s4_2) {
  EXPECT_EQ(parse("attachment; name=a").error, MultipartError::not_form_data_part);
  EXPECT_EQ(parse("form-data; filename=a").error, MultipartError::missing_name);
  char scratch[8];
  EXPECT_EQ(parse_content_disposition("attachment; filename=a", scratch).error,
            MultipartError::none);
}

TEST(ContentDisposition, refuses_a_scratch_buffer_too_small) {
  // A decoded value takes as many scratch bytes as its encoded form (6 here, 5 decoded).
  EXPECT_EQ(parse("form-data; name=\"a\\\"bcd\"", 5).error, MultipartError::buffer_too_small);
  EXPECT_EQ(parse("form-data; name=\"a\\\"bcd\"", 6).error, MultipartError::none);
  EXPECT_EQ(parse("form-data; name=a; filename*=UTF-8''abcd", 3).error,
            MultipartError::buffer_too_small);
  EXPECT_EQ(parse("form-data; name=a; filename*=UTF-8''abcd", 4).error, MultipartError::none);
}

}  // namespace
}  // namespace httpfsm
