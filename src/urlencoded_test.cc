// application/x-www-form-urlencoded and query strings: WHATWG URL Standard §5.1.
#include "httpfsm/urlencoded.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace httpfsm {
namespace {

std::vector<std::pair<std::string, std::string>> decode_all(std::string_view input) {
  std::string buffer(input.size(), '\0');
  std::array<FormPair, 32> pairs;
  const FormDecodeResult r = decode_form(input, buffer, pairs);
  EXPECT_TRUE(r.complete);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < r.count; ++i)
    out.emplace_back(std::string(pairs[i].name), std::string(pairs[i].value));
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(Urlencoded, splits_on_ampersand_and_first_equals_whatwg_s5_1) {
  EXPECT_EQ(decode_all("a=1&b=2"), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(decode_all("a=b=c"), (Pairs{{"a", "b=c"}}));
  EXPECT_EQ(decode_all(""), Pairs{});
}

TEST(Urlencoded, keeps_repeated_names_in_order_whatwg_s5_1) {
  EXPECT_EQ(decode_all("a=1&b=x&a=2"), (Pairs{{"a", "1"}, {"b", "x"}, {"a", "2"}}));
}

TEST(Urlencoded, skips_empty_pieces_and_keeps_empty_names_and_values_whatwg_s5_1) {
  EXPECT_EQ(decode_all("&&a&=&=b&c=&"), (Pairs{{"a", ""}, {"", ""}, {"", "b"}, {"c", ""}}));
}

TEST(Urlencoded, decodes_plus_and_valid_percent_only_whatwg_s5_1) {
  EXPECT_EQ(decode_all("a+b=c+d"), (Pairs{{"a b", "c d"}}));
  EXPECT_EQ(decode_all("x=%41%62%2B%2b"), (Pairs{{"x", "Ab++"}}));
  EXPECT_EQ(decode_all("x=%zz%4%&y=100%"), (Pairs{{"x", "%zz%4%"}, {"y", "100%"}}));
  EXPECT_EQ(decode_all("%26=%3D"), (Pairs{{"&", "="}}));  // encoded delimiters stay data
}

TEST(Urlencoded, deviation_keeps_bytes_that_are_not_utf8) {
  // WHATWG would turn %FF into U+FFFD; the bytes are kept so nothing is changed silently.
  EXPECT_EQ(decode_all("x=%ff%00"), (Pairs{{"x", std::string("\xff\0", 2)}}));
}

TEST(Urlencoded, reader_gives_raw_views) {
  const std::string q = "a=%41&b";
  FormReader reader(q);
  FormPair p;
  ASSERT_TRUE(reader.next(p));
  EXPECT_EQ(p.name, "a");
  EXPECT_EQ(p.value, "%41");
  EXPECT_EQ(p.value.data(), q.data() + 2);
  ASSERT_TRUE(reader.next(p));
  EXPECT_EQ(p.name, "b");
  EXPECT_EQ(p.value, "");
  EXPECT_FALSE(reader.next(p));
  EXPECT_FALSE(reader.next(p));
}

TEST(Urlencoded, finds_a_value_by_decoded_name) {
  char buffer[16];
  EXPECT_EQ(find_form_value("first+name=J%C3%B6rg&x=1&x=2", "first name", buffer), "J\xc3\xb6rg");
  EXPECT_EQ(find_form_value("x=1&x=2", "x", buffer), "1");  // the first of repeated names
  EXPECT_EQ(find_form_value("x=1", "y", buffer), std::nullopt);
  EXPECT_EQ(find_form_value("x=1", "x%", buffer), std::nullopt);
  char small[2];
  EXPECT_EQ(find_form_value("x=abc", "x", small), std::nullopt);
  EXPECT_EQ(find_form_value("x=%41%42", "x", small), "AB");
}

TEST(Urlencoded, component_equals_compares_decoded) {
  EXPECT_TRUE(form_component_equals("a%20b+c", "a b c"));
  EXPECT_FALSE(form_component_equals("a%20b+c", "a b"));
  EXPECT_FALSE(form_component_equals("a", "ab"));
  EXPECT_TRUE(form_component_equals("", ""));
}

TEST(Urlencoded, reports_arrays_too_small) {
  std::string buffer(16, '\0');
  std::array<FormPair, 1> one;
  const FormDecodeResult r = decode_form("a=1&b=2", buffer, one);
  EXPECT_EQ(r.count, 1u);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(one[0].value, "1");
  std::array<FormPair, 4> four;
  const FormDecodeResult small = decode_form("a=1&b=2", std::span<char>(buffer.data(), 3), four);
  EXPECT_EQ(small.count, 1u);
  EXPECT_FALSE(small.complete);
  char tiny[1];
  EXPECT_EQ(decode_form_component("ab", tiny), SIZE_MAX);
}

}  // namespace
}  // namespace httpfsm
