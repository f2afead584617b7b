#include "trusted_proxies.hpp"

#include <gtest/gtest.h>

namespace httpfsm::server {
namespace {

TEST(TrustedProxies, empty_set_trusts_everyone) {
  const TrustedProxies t;
  EXPECT_TRUE(t.contains("198.51.100.1"));
}

TEST(TrustedProxies, ipv4_blocks_and_single_addresses) {
  TrustedProxies t;
  ASSERT_TRUE(t.parse("10.0.0.0/8"));
  ASSERT_TRUE(t.parse("192.0.2.7"));
  EXPECT_TRUE(t.contains("10.255.1.2"));
  EXPECT_TRUE(t.contains("192.0.2.7"));
  EXPECT_TRUE(t.contains("::ffff:10.0.0.1"));  // a dual-stack listener's IPv4 peer
  EXPECT_FALSE(t.contains("11.0.0.1"));
  EXPECT_FALSE(t.contains("192.0.2.8"));
  EXPECT_FALSE(t.contains("::1"));
  EXPECT_FALSE(t.contains("not an address"));
}

TEST(TrustedProxies, ipv6_blocks_and_odd_prefixes) {
  TrustedProxies t;
  ASSERT_TRUE(t.parse("2001:db8::/32"));
  ASSERT_TRUE(t.parse("::1"));
  ASSERT_TRUE(t.parse("172.16.0.0/12"));
  EXPECT_TRUE(t.contains("2001:db8:ffff::1"));
  EXPECT_TRUE(t.contains("::1"));
  EXPECT_FALSE(t.contains("2001:db9::1"));
  EXPECT_FALSE(t.contains("::2"));
  EXPECT_TRUE(t.contains("172.31.255.255"));
  EXPECT_FALSE(t.contains("172.32.0.0"));
}

TEST(TrustedProxies, malformed_blocks_are_refused) {
  TrustedProxies t;
  for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.1.0.0/8", "10.0.0.0/x",
                          "10.0.0/8", "host.example", "10.0.0.0/8/8", "10.0.0.0/-1"}) {
    EXPECT_FALSE(t.parse(bad)) << bad;
  }
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace httpfsm::server
