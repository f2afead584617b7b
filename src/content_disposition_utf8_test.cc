// filename* values at the edges of UTF-8 (RFC 8187 §3.2.1: the charset "UTF-8" is RFC 3629):
// the first and last code point of each sequence length decode, and the sequences just
// outside them (overlong forms, past U+10FFFF, cut short, a bad continuation byte) are
// bad_ext_value; so are an ext-value without a charset and a language tag with another byte.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "httpfsm/content_disposition.hpp"

namespace httpfsm {
namespace {

ContentDispositionResult parse_filename_star(const std::string& ext_value) {
  static std::array<char, 64> scratch;
  return parse_form_data_disposition("form-data; name=f; filename*=" + ext_value, scratch);
}

TEST(ContentDispositionUtf8, first_and_last_code_point_of_each_length_decode) {
  const struct {
    const char* encoded;
    const char* bytes;
  } accepted[] = {
      {"%7F", "\x7f"},                       // U+007F, the last of one byte
      {"%C2%80", "\xc2\x80"},                // U+0080, the first of two
      {"%DF%BF", "\xdf\xbf"},                // U+07FF, the last of two
      {"%E0%A0%80", "\xe0\xa0\x80"},         // U+0800, the first of three
      {"%ED%9F%BF", "\xed\x9f\xbf"},         // U+D7FF, just below the surrogates
      {"%EE%80%80", "\xee\x80\x80"},         // U+E000, just above them
      {"%EF%BF%BF", "\xef\xbf\xbf"},         // U+FFFF, the last of three
      {"%F0%90%80%80", "\xf0\x90\x80\x80"},  // U+10000, the first of four
      {"%F4%8F%BF%BF", "\xf4\x8f\xbf\xbf"},  // U+10FFFF, the last code point
  };
  for (const auto& a : accepted) {
    const ContentDispositionResult r = parse_filename_star(std::string("UTF-8''") + a.encoded);
    ASSERT_EQ(r.error, MultipartError::none) << a.encoded;
    EXPECT_EQ(r.disposition.filename, a.bytes) << a.encoded;
    EXPECT_TRUE(r.disposition.filename_from_ext);
  }
}

TEST(ContentDispositionUtf8, sequences_just_outside_utf8_are_bad_ext_values) {
  for (const char* refused : {
           "%80",           // a continuation byte alone
           "%C1%BF",        // U+007F in two bytes (overlong)
           "%E0%9F%BF",     // U+07FF in three bytes (overlong)
           "%F0%8F%BF%BF",  // U+FFFF in four bytes (overlong)
           "%F4%90%80%80",  // U+110000, past the last code point
           "%F5%80%80%80",  // a lead byte no sequence starts with
           "%ED%A0%80",     // U+D800, a surrogate
           "%C2",           // cut short: two bytes announced, one sent
           "%E0%A0",        // three announced, two sent
           "%F0%90%80",     // four announced, three sent
           "%C2A",          // a continuation that is not 10xxxxxx
           "%F0%90%80A",
       }) {
    EXPECT_EQ(parse_filename_star(std::string("UTF-8''") + refused).error,
              MultipartError::bad_ext_value)
        << refused;
  }
}

TEST(ContentDispositionUtf8, charset_and_language_are_checked) {
  // RFC 8187 §3.2.1: charset is required; language is a Language-Tag (letters, digits, "-").
  EXPECT_EQ(parse_filename_star("''a").error, MultipartError::bad_ext_value);
  EXPECT_EQ(parse_filename_star("UTF-8'e_n'a").error, MultipartError::bad_ext_value);
  EXPECT_EQ(parse_filename_star("UTF-8'en-GB-1'a").error, MultipartError::none);
  EXPECT_EQ(parse_filename_star("utf-8''a").error, MultipartError::none);  // case-insensitive
}

}  // namespace
}  // namespace httpfsm
