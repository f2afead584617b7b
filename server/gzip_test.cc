#include "gzip.hpp"

#include <gtest/gtest.h>

#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

TEST(Gzip, round_trips_and_reuses_the_encoder) {
  GzipEncoder g;
  const std::string text(100000, 'q');
  const std::string first(g.compress(text));
  EXPECT_LT(first.size(), text.size() / 10);
  EXPECT_EQ(testing::gunzip(first), text);
  const std::string binary("\0\xff\x01zz", 5);
  EXPECT_EQ(testing::gunzip(std::string(g.compress(binary))), binary);
  EXPECT_EQ(testing::gunzip(std::string(g.compress(""))), "");
}

TEST(Gzip, compressible_types) {
  EXPECT_TRUE(is_compressible_type("text/plain"));
  EXPECT_TRUE(is_compressible_type("text/html; charset=utf-8"));
  EXPECT_TRUE(is_compressible_type("application/json"));
  EXPECT_TRUE(is_compressible_type("image/svg+xml"));
  EXPECT_FALSE(is_compressible_type("image/png"));
  EXPECT_FALSE(is_compressible_type("application/zip"));
  EXPECT_FALSE(is_compressible_type("application/octet-stream"));
}

}  // namespace
}  // namespace httpfsm::server
