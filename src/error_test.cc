#include "httpfsm/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace httpfsm {
namespace {

TEST(Error, every_error_has_a_unique_name_a_reference_and_a_message) {
  std::set<std::string_view> names;
  for (std::size_t i = 1; i < kErrorCount; ++i) {
    const auto e = static_cast<Error>(i);
    EXPECT_TRUE(names.insert(error_name(e)).second) << error_name(e);
    EXPECT_EQ(error_reference(e).substr(0, 4), "RFC ") << error_name(e);
    EXPECT_FALSE(error_message(e).empty()) << error_name(e);
    const int s = error_status(e);
    EXPECT_TRUE(s == 0 || s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 502 ||
                s == 505)
        << error_name(e) << " " << s;
  }
}

TEST(Error, statuses_keep_414_apart_from_431_and_follow_the_rfcs) {
  EXPECT_EQ(error_status(Error::target_too_long), 414);
  EXPECT_EQ(error_status(Error::field_too_long), 431);
  EXPECT_EQ(error_status(Error::too_many_fields), 431);
  EXPECT_EQ(error_status(Error::head_too_large), 431);
  EXPECT_EQ(error_status(Error::body_too_large), 413);
  EXPECT_EQ(error_status(Error::unknown_coding), 501);
  EXPECT_EQ(error_status(Error::method_too_long), 501);
  EXPECT_EQ(error_status(Error::unsupported_version), 505);
  EXPECT_EQ(error_status(Error::te_with_cl), 400);
  EXPECT_EQ(error_status(Error::truncated), 0);
}

TEST(Error, names_are_the_enumerators) {
  EXPECT_EQ(error_name(Error::none), "none");
  EXPECT_EQ(error_name(Error::bad_field_name), "bad_field_name");
  EXPECT_EQ(error_name(Error::truncated), "truncated");
  EXPECT_EQ(error_reference(Error::obs_fold), "RFC 9112 §5.2");
}

TEST(Error, out_of_range_values_read_as_none) {
  EXPECT_EQ(error_name(static_cast<Error>(250)), "none");
}

}  // namespace
}  // namespace httpfsm
