// RateLimiter: token bucket per client (RFC 6585 §4 429, RFC 9110 §10.2.3 Retry-After), with
// the time passed in, and bounded memory.
#include "rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace httpfsm::server {
namespace {

ClientAddress v4(std::uint8_t last) {
  ClientAddress a;
  a.bytes = {192, 0, 2, last};
  a.size = 4;
  return a;
}

TEST(RateLimiter, allows_the_burst_at_once_then_refuses) {
  RateLimiter l({.rate = 2, .burst = 5, .max_clients = 8}, 1);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(l.admit(v4(1), 1000).allowed) << i;
  const RateDecision d = l.admit(v4(1), 1000);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1u);  // one token comes back after 500 ms: rounded up
}

TEST(RateLimiter, refills_at_the_rate) {
  RateLimiter l({.rate = 2, .burst = 1, .max_clients = 8}, 1);
  EXPECT_TRUE(l.admit(v4(1), 0).allowed);
  EXPECT_FALSE(l.admit(v4(1), 499).allowed);
  EXPECT_TRUE(l.admit(v4(1), 500).allowed);
  EXPECT_FALSE(l.admit(v4(1), 500).allowed);
  // Over 10 s at exactly the rate, every request passes.
  for (std::int64_t t = 1000; t <= 11000; t += 500) EXPECT_TRUE(l.admit(v4(1), t).allowed) << t;
}

TEST(RateLimiter, a_refused_request_takes_no_token) {
  RateLimiter l({.rate = 1, .burst = 1, .max_clients = 8}, 1);
  EXPECT_TRUE(l.admit(v4(1), 0).allowed);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(l.admit(v4(1), 10).allowed);
  EXPECT_TRUE(l.admit(v4(1), 1000).allowed);  // the refusals did not push it back
}

TEST(RateLimiter, retry_after_is_whole_seconds_rounded_up_and_honest) {
  RateLimiter l({.rate = 1, .burst = 3, .max_clients = 8}, 1);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(l.admit(v4(1), 0).allowed);
  RateDecision d = l.admit(v4(1), 1);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1u);  // 999 ms -> 1 s
  // Waiting exactly what it said is enough.
  EXPECT_TRUE(l.admit(v4(1), 1 + 1000 * d.retry_after_seconds).allowed);

  RateLimiter slow({.rate = 1, .burst = 1, .max_clients = 8}, 1);
  ASSERT_TRUE(slow.admit(v4(1), 0).allowed);
  d = slow.admit(v4(1), 0);
  EXPECT_EQ(d.retry_after_seconds, 1u);
}

TEST(RateLimiter, clients_are_independent) {
  RateLimiter l({.rate = 1, .burst = 1, .max_clients = 8}, 1);
  EXPECT_TRUE(l.admit(v4(1), 0).allowed);
  EXPECT_FALSE(l.admit(v4(1), 0).allowed);
  EXPECT_TRUE(l.admit(v4(2), 0).allowed);
}

TEST(RateLimiter, tracks_at_most_max_clients_forgetting_the_least_recently_seen) {
  RateLimiter l({.rate = 1, .burst = 1, .max_clients = 3}, 7);
  for (std::uint8_t c = 1; c <= 3; ++c) ASSERT_TRUE(l.admit(v4(c), 0).allowed);
  EXPECT_EQ(l.tracked(), 3u);
  EXPECT_FALSE(l.admit(v4(1), 1).allowed);  // 1 is now the most recently seen; 2 the least
  EXPECT_TRUE(l.admit(v4(4), 1).allowed);   // evicts 2
  EXPECT_EQ(l.tracked(), 3u);
  EXPECT_FALSE(l.admit(v4(1), 2).allowed);  // still tracked
  EXPECT_FALSE(l.admit(v4(3), 2).allowed);  // still tracked
  EXPECT_TRUE(l.admit(v4(2), 2).allowed);   // forgotten: a full bucket again (evicts 4)
  EXPECT_TRUE(l.admit(v4(4), 3).allowed);   // forgotten too
}

TEST(RateLimiter, stays_consistent_under_churn) {
  // Many more addresses than slots, with repeats: every lookup must still find a tracked
  // client, which a broken chain or recency list would lose.
  RateLimiter l({.rate = 1, .burst = 1, .max_clients = 64}, 3);
  for (int i = 0; i < 20000; ++i) {
    ClientAddress a;
    a.size = 16;
    a.bytes[0] = static_cast<std::uint8_t>(i % 97);
    a.bytes[1] = static_cast<std::uint8_t>((i * 7) % 13);
    l.admit(a, 0);
    EXPECT_FALSE(l.admit(a, 0).allowed) << i;  // just seen: must be tracked and empty
    ASSERT_LE(l.tracked(), 64u);
  }
}

TEST(ClientAddress, reads_ipv4_ipv6_and_mapped_addresses) {
  const auto a = client_address("192.0.2.7");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, v4(7));
  EXPECT_EQ(client_address("::ffff:192.0.2.7"), a);  // RFC 4291 §2.5.5.2
  const auto b = client_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
  const auto c = client_address("2001:db8:1:2::1");
  ASSERT_TRUE(b && c);
  EXPECT_EQ(b->size, 16u);
  EXPECT_EQ(*b, *c);  // the same /64
  EXPECT_NE(client_address("2001:db8:1:2::1", 128), client_address("2001:db8:1:2::2", 128));
  EXPECT_NE(client_address("2001:db8:1:3::1"), c);
  EXPECT_EQ(client_address("2001:db8:1:2::1", 60), client_address("2001:db8:1:f::1", 60));
  EXPECT_FALSE(client_address("-"));
  EXPECT_FALSE(client_address(""));
  EXPECT_FALSE(client_address("192.0.2.7:80"));
  EXPECT_FALSE(client_address(std::string(100, '1')));
}

}  // namespace
}  // namespace httpfsm::server
