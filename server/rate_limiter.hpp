// RateLimiter: a token bucket per client address (rate N requests per second, burst B), for
// answering 429 Too Many Requests with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3).
//
// Life cycle
//   RateLimiter limiter({.rate = 10, .burst = 20, .max_clients = 4096}, seed);  // allocates
//   per request: auto d = limiter.admit(address, clock.now_ms());                // never does
//                d.allowed, or answer 429 with "Retry-After: <d.retry_after_seconds>"
//
// The bucket is kept as GCRA's theoretical arrival time (one integer per client), which is
// exactly a token bucket of B tokens refilled at N per second: a new client has B requests at
// once, then N per second.
//
// Memory is bounded: at most `max_clients` addresses are tracked (48 bytes each plus two
// 4-byte bucket heads), in tables allocated by the constructor. When all are in use, the
// least recently seen address is forgotten, in O(1) (the tail of a recency list; its hash
// chain is expected O(1) long, the table being at most half full). A forgotten client starts
// again with a full bucket, so an attacker with more than max_clients addresses can make
// others' limits reset; the bound on memory is the point.
//
// Pure: the time is passed in (a monotonic millisecond count, as server/clock.hpp gives),
// no clock, I/O or allocation after construction. Not thread-safe: one limiter per thread
// (per worker), or a lock around it. The hash is keyed by `seed` (pass a random value), so
// addresses chosen to collide are not chosen in advance.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace httpfsm::server {

// A client's address: 4 bytes (IPv4) or 16 (IPv6), compared as bytes.
struct ClientAddress {
  std::array<std::uint8_t, 16> bytes{};
  std::uint8_t size = 0;
  friend bool operator==(const ClientAddress&, const ClientAddress&) = default;
};

// The address of a peer as the listener writes it ("192.0.2.1", "2001:db8::1"). IPv4-mapped
// IPv6 addresses ("::ffff:192.0.2.1") become the IPv4 address. An IPv6 address keeps only its
// first `ipv6_prefix_bits` bits (0-128): one host usually holds a whole /64, so limiting
// single addresses would let it pick a new one per request. nullopt when `text` is no address.
std::optional<ClientAddress> client_address(std::string_view text,
                                            unsigned ipv6_prefix_bits = 64) noexcept;

struct RateLimit {
  std::uint32_t rate = 10;           // requests per second per client, >= 1
  std::uint32_t burst = 20;          // requests at once, >= 1
  std::uint32_t max_clients = 4096;  // addresses tracked at most, >= 1
};

struct RateDecision {
  bool allowed = true;
  // When refused: the whole seconds (>= 1, rounded up) until a request would be allowed,
  // for "Retry-After: delay-seconds" (RFC 9110 §10.2.3).
  std::uint32_t retry_after_seconds = 0;
};

class RateLimiter {
 public:
  RateLimiter(const RateLimit& limit, std::uint64_t seed);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;
  ~RateLimiter();

  // Counts one request of `client` at `now_ms` (monotonic; never going back) and says
  // whether it is within the limit. A refused request takes no token.
  RateDecision admit(const ClientAddress& client, std::int64_t now_ms) noexcept;

  // Addresses tracked now (<= max_clients).
  std::size_t tracked() const noexcept { return count_; }
  const RateLimit& limit() const noexcept { return limit_; }

 private:
  static constexpr std::uint32_t kNil = 0xffffffffu;
  struct Entry {
    ClientAddress key;
    std::int64_t tat_ns = 0;                   // theoretical arrival time of the next request
    std::uint32_t chain = kNil;                // next entry in the same bucket
    std::uint32_t newer = kNil, older = kNil;  // recency list
  };

  std::uint32_t bucket_of(const ClientAddress& a) const noexcept;
  std::uint32_t find(const ClientAddress& a, std::uint32_t bucket) const noexcept;
  std::uint32_t take_entry() noexcept;  // a free entry, or the least recently seen one
  void unlink_chain(std::uint32_t e) noexcept;
  void unlink_recency(std::uint32_t e) noexcept;
  void push_newest(std::uint32_t e) noexcept;

  RateLimit limit_;
  std::uint64_t seed_;
  std::int64_t interval_ns_;   // 1 s / rate
  std::int64_t tolerance_ns_;  // interval * (burst - 1)
  std::unique_ptr<Entry[]> entries_;
  std::unique_ptr<std::uint32_t[]> buckets_;
  std::uint32_t bucket_mask_ = 0;
  std::uint32_t count_ = 0;
  std::uint32_t newest_ = kNil, oldest_ = kNil;
};

}  // namespace httpfsm::server
