#include "preconditions.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "httpfsm/head_parser.hpp"

namespace httpfsm::server {
namespace {

constexpr std::string_view kEtag = "\"5f3a.0-22\"";
constexpr std::string_view kDate = "Fri, 15 Apr 2022 05:20:00 GMT";
constexpr std::int64_t kModified = 1'650'000'000;  // kDate
constexpr std::int64_t kNow = kModified + 3600;
constexpr std::string_view kEarlier = "Fri, 15 Apr 2022 05:19:59 GMT";
constexpr std::string_view kLater = "Sat, 16 Apr 2022 00:00:00 GMT";

const Validators kFile{kEtag, kDate, kModified};

// ConditionalFields with the named fields set (C++20 designated initializers would warn about
// the members left out).
struct F : ConditionalFields {
  F& match(std::string_view v) { return if_match = v, *this; }
  F& unmodified_since(std::string_view v) { return if_unmodified_since = v, *this; }
  F& none_match(std::string_view v) { return if_none_match = v, *this; }
  F& modified_since(std::string_view v) { return if_modified_since = v, *this; }
  F& range_validator(std::string_view v) { return if_range = v, *this; }
  F& range_present() { return range = true, *this; }
};

Precondition eval(const ConditionalFields& f, Method m = Method::get) {
  return evaluate_preconditions(f, kFile, m, kNow);
}

TEST(EtagComparison, strong_and_weak_per_rfc_9110_section_8_8_3_2) {
  // The table of §8.8.3.2: W/"1" W/"1" weak only; W/"1" W/"2" neither; W/"1" "1" weak only;
  // "1" "1" both.
  EXPECT_FALSE(etag_matches("W/\"1\"", "W/\"1\"", EtagComparison::strong));
  EXPECT_TRUE(etag_matches("W/\"1\"", "W/\"1\"", EtagComparison::weak));
  EXPECT_FALSE(etag_matches("W/\"1\"", "W/\"2\"", EtagComparison::weak));
  EXPECT_FALSE(etag_matches("W/\"1\"", "\"1\"", EtagComparison::strong));
  EXPECT_TRUE(etag_matches("W/\"1\"", "\"1\"", EtagComparison::weak));
  EXPECT_TRUE(etag_matches("\"1\"", "\"1\"", EtagComparison::strong));
  EXPECT_TRUE(etag_matches("\"1\"", "\"1\"", EtagComparison::weak));
}

TEST(EtagComparison, lists_star_and_malformed_values) {
  EXPECT_TRUE(etag_matches(" * ", kEtag, EtagComparison::strong));
  EXPECT_TRUE(etag_matches("*", "", EtagComparison::strong));     // "*": any representation
  EXPECT_FALSE(etag_matches("\"x\"", "", EtagComparison::weak));  // no ETag: no tag matches
  EXPECT_TRUE(etag_matches("\"a\", \"5f3a.0-22\"", kEtag, EtagComparison::strong));
  EXPECT_TRUE(etag_matches(", ,\"a\" ,\t\"5f3a.0-22\",", kEtag, EtagComparison::strong));
  EXPECT_TRUE(etag_matches("\"a,b\", \"5f3a.0-22\"", kEtag, EtagComparison::strong));
  EXPECT_FALSE(etag_matches("\"a,b\"", "\"a\"", EtagComparison::weak));    // a comma in a tag
  EXPECT_FALSE(etag_matches("5f3a.0-22", kEtag, EtagComparison::weak));    // not quoted
  EXPECT_FALSE(etag_matches("\"5f3a.0-22", kEtag, EtagComparison::weak));  // unterminated
  EXPECT_FALSE(etag_matches("\"a\" \"5f3a.0-22\"", kEtag, EtagComparison::weak));  // no comma
  EXPECT_FALSE(etag_matches("", kEtag, EtagComparison::weak));
  EXPECT_FALSE(etag_matches("**", kEtag, EtagComparison::weak));
}

TEST(IfRange, strong_entity_tag_or_the_exact_date) {
  EXPECT_TRUE(if_range_matches(kEtag, kFile));
  EXPECT_FALSE(if_range_matches("W/\"5f3a.0-22\"", kFile));  // §13.1.5: strong comparison
  EXPECT_FALSE(if_range_matches("\"other\"", kFile));
  EXPECT_TRUE(if_range_matches(kDate, kFile));
  EXPECT_FALSE(if_range_matches(kLater, kFile));  // not an exact match: false
  EXPECT_FALSE(if_range_matches("Friday, 15-Apr-22 05:20:00 GMT", kFile));
  EXPECT_FALSE(if_range_matches("", kFile));
  EXPECT_FALSE(if_range_matches(kEtag, Validators{}));  // no validators: never true
}

TEST(LastModifiedTime, a_future_time_becomes_the_message_date) {
  // RFC 9110 §8.8.2.1.
  EXPECT_EQ(last_modified_time(kModified, kNow), kModified);
  EXPECT_EQ(last_modified_time(kNow, kNow), kNow);
  EXPECT_EQ(last_modified_time(kNow + 86400, kNow), kNow);
}

TEST(Preconditions, none_means_perform) {
  EXPECT_EQ(eval({}), Precondition::perform);
  ConditionalFields range_only;
  range_only.range = true;
  EXPECT_EQ(eval(range_only), Precondition::perform);
}

TEST(Preconditions, if_match_is_strong_and_fails_with_412) {
  // RFC 9110 §13.1.1.
  for (const std::string_view v :
       {kEtag, std::string_view("*"), std::string_view("\"a\", \"5f3a.0-22\"")}) {
    EXPECT_EQ(eval(F().match(v)), Precondition::perform) << v;
    EXPECT_EQ(eval(F().match(v), Method::head), Precondition::perform) << v;
  }
  for (const std::string_view v :
       {std::string_view("\"a\""), std::string_view("W/\"5f3a.0-22\""), std::string_view("")}) {
    EXPECT_EQ(eval(F().match(v)), Precondition::failed) << v;
    EXPECT_EQ(eval(F().match(v), Method::head), Precondition::failed) << v;
    EXPECT_EQ(eval(F().match(v), Method::post), Precondition::failed) << v;
  }
}

TEST(EtagLines, the_lines_of_a_list_field_are_one_list) {
  // RFC 9110 §5.3: If-Match: "a" and If-Match: "5f3a.0-22" on two lines are the list
  // "a", "5f3a.0-22".
  const std::string request =
      "GET / HTTP/1.1\r\nHost: x\r\nIf-Match: \"a\"\r\nif-match: " + std::string(kEtag) +
      "\r\nIf-None-Match: *\r\nIf-None-Match: \"b\"\r\n\r\n";
  HeadParser parser;
  ASSERT_EQ(parser.parse(request), Progress::complete);
  const std::span<const char> message(request.data(), request.size());
  const EtagLines match(message, parser.head().fields, "If-Match");
  ASSERT_TRUE(match);
  EXPECT_TRUE(match.matches(kEtag, EtagComparison::strong));
  EXPECT_FALSE(match.matches("\"c\"", EtagComparison::strong));
  EXPECT_FALSE(match.is_star());
  // "*" beside another line is no entity-tag: it matches nothing and is not the whole field.
  const EtagLines none_match(message, parser.head().fields, "If-None-Match");
  EXPECT_FALSE(none_match.is_star());
  EXPECT_FALSE(none_match.matches(kEtag, EtagComparison::weak));
  EXPECT_TRUE(none_match.matches("\"b\"", EtagComparison::weak));
  EXPECT_FALSE(EtagLines(message, parser.head().fields, "If-Range"));
  EXPECT_TRUE(EtagLines("*").is_star());
  EXPECT_TRUE(EtagLines(" * ").matches(kEtag, EtagComparison::strong));
}

TEST(Preconditions, without_a_current_representation) {
  // An upload to a free name. RFC 9110 §13.1.1: If-Match "*" is false "if the origin server
  // has no current representation", and so is every list; §13.1.2: If-None-Match "*" is
  // then true; §13.1.4: no modification date, so If-Unmodified-Since is ignored.
  const Validators none{{}, {}, 0, /*current=*/false};
  const auto post = [&](const ConditionalFields& f) {
    return evaluate_preconditions(f, none, Method::post, kNow);
  };
  EXPECT_EQ(post({}), Precondition::perform);
  EXPECT_EQ(post(F().match("*")), Precondition::failed);
  EXPECT_EQ(post(F().match(kEtag)), Precondition::failed);
  EXPECT_EQ(post(F().none_match("*")), Precondition::perform);
  EXPECT_EQ(post(F().none_match(kEtag)), Precondition::perform);
  EXPECT_EQ(post(F().unmodified_since(kEarlier)), Precondition::perform);
  // With a current representation If-None-Match "*" fails an upload with 412 (§13.1.2).
  EXPECT_EQ(eval(F().none_match("*"), Method::post), Precondition::failed);
}

TEST(Preconditions, if_unmodified_since_only_without_if_match) {
  // RFC 9110 §13.1.4: earlier or equal is true; a later modification is 412.
  EXPECT_EQ(eval(F().unmodified_since(kDate)), Precondition::perform);
  EXPECT_EQ(eval(F().unmodified_since(kLater)), Precondition::perform);
  EXPECT_EQ(eval(F().unmodified_since("Fri Apr 15 05:20:00 2022")), Precondition::perform);
  EXPECT_EQ(eval(F().unmodified_since(kEarlier)), Precondition::failed);
  EXPECT_EQ(eval(F().unmodified_since(kEarlier), Method::head), Precondition::failed);
  // Invalid dates, and a list of dates, are ignored.
  EXPECT_EQ(eval(F().unmodified_since("yesterday")), Precondition::perform);
  EXPECT_EQ(eval(F().unmodified_since("Thu, 01 Jan 1970 00:00:00 GMT, Sat, 16 Apr 2022 "
                                      "00:00:00 GMT")),
            Precondition::perform);
  // With If-Match it is not evaluated (step 1 goes to step 3).
  EXPECT_EQ(eval(F().match(kEtag).unmodified_since(kEarlier)), Precondition::perform);
  // No Last-Modified: the field is ignored.
  EXPECT_EQ(evaluate_preconditions(F().unmodified_since(kEarlier), Validators{kEtag, {}, 0},
                                   Method::get, kNow),
            Precondition::perform);
}

TEST(Preconditions, if_none_match_and_if_modified_since) {
  // RFC 9110 §13.1.2, §13.1.3.
  EXPECT_EQ(eval(F().none_match(kEtag)), Precondition::not_modified);
  EXPECT_EQ(eval(F().none_match("W/\"5f3a.0-22\"")), Precondition::not_modified);  // weak
  EXPECT_EQ(eval(F().none_match("*"), Method::head), Precondition::not_modified);
  EXPECT_EQ(eval(F().none_match(kEtag), Method::post), Precondition::failed);
  EXPECT_EQ(eval(F().none_match("\"a\"")), Precondition::perform);
  EXPECT_EQ(eval(F().modified_since(kDate)), Precondition::not_modified);
  EXPECT_EQ(eval(F().modified_since(kEarlier)), Precondition::perform);
  EXPECT_EQ(eval(F().modified_since("yesterday")), Precondition::perform);
  EXPECT_EQ(eval(F().modified_since(kDate), Method::post), Precondition::perform);
  // If-None-Match present: If-Modified-Since is not evaluated.
  EXPECT_EQ(eval(F().none_match("\"a\"").modified_since(kLater)), Precondition::perform);
}

TEST(Preconditions, evaluated_in_the_order_of_rfc_9110_section_13_2_2) {
  // A false If-Match or If-Unmodified-Since wins over a false If-None-Match (412, not 304).
  EXPECT_EQ(eval(F().match("\"a\"").none_match(kEtag)), Precondition::failed);
  EXPECT_EQ(eval(F().unmodified_since(kEarlier).none_match(kEtag)), Precondition::failed);
  EXPECT_EQ(eval(F().unmodified_since(kEarlier).modified_since(kDate)), Precondition::failed);
  // True If-Match, then a false If-None-Match: 304.
  EXPECT_EQ(eval(F().match(kEtag).none_match(kEtag)), Precondition::not_modified);
  // 304 before If-Range.
  EXPECT_EQ(eval(F().none_match(kEtag).range_validator("\"stale\"").range_present()),
            Precondition::not_modified);
  // 412 before If-Range.
  EXPECT_EQ(eval(F().match("\"a\"").range_validator(kEtag).range_present()), Precondition::failed);
}

TEST(Preconditions, if_range_only_with_a_supported_range_on_get) {
  // RFC 9110 §13.1.5: false If-Range means the whole representation; without Range (or where
  // ranges are not supported: range = false) it is ignored; Range is for GET only (§14.2).
  EXPECT_EQ(eval(F().range_validator(kEtag).range_present()), Precondition::perform);
  EXPECT_EQ(eval(F().range_validator(kDate).range_present()), Precondition::perform);
  EXPECT_EQ(eval(F().range_validator("\"stale\"").range_present()), Precondition::ignore_range);
  EXPECT_EQ(eval(F().range_validator(kEarlier).range_present()), Precondition::ignore_range);
  EXPECT_EQ(eval(F().range_validator("\"stale\"")), Precondition::perform);
  EXPECT_EQ(eval(F().range_validator("\"stale\"").range_present(), Method::head),
            Precondition::perform);
}

TEST(Preconditions, ignored_for_options_connect_and_trace) {
  // RFC 9110 §13.2.1.
  const ConditionalFields all = F().match("\"a\"")
                                    .unmodified_since(kEarlier)
                                    .none_match("*")
                                    .modified_since(kLater)
                                    .range_validator("\"stale\"")
                                    .range_present();
  EXPECT_EQ(eval(all), Precondition::failed);
  for (const Method m : {Method::options, Method::connect, Method::trace}) {
    EXPECT_EQ(eval(all, m), Precondition::perform);
  }
}

TEST(Preconditions, a_future_mtime_compares_as_the_message_date) {
  // RFC 9110 §8.8.2.1: the file says tomorrow, so Last-Modified (and the comparison) is now.
  const Validators future{kEtag, "(the message date)", last_modified_time(kNow + 86400, kNow)};
  EXPECT_EQ(evaluate_preconditions(F().modified_since("Fri, 15 Apr 2022 06:20:00 GMT"), future,
                                   Method::get, kNow),
            Precondition::not_modified);  // kNow
  EXPECT_EQ(evaluate_preconditions(F().unmodified_since("Fri, 15 Apr 2022 06:20:00 GMT"), future,
                                   Method::get, kNow),
            Precondition::perform);
}

}  // namespace
}  // namespace httpfsm::server
