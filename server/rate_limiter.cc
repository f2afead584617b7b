// RateLimiter (rate_limiter.hpp): GCRA per client address, in fixed tables.
#include "rate_limiter.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace httpfsm::server {

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

std::uint64_t mix(std::uint64_t x) {
  // A 64-bit finaliser (MurmurHash3's fmix64): every input bit affects every output bit.
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

std::optional<ClientAddress> client_address(std::string_view text,
                                            unsigned ipv6_prefix_bits) noexcept {
  char buf[64];
  if (text.empty() || text.size() >= sizeof buf) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  ClientAddress a;
  if (inet_pton(AF_INET, buf, a.bytes.data()) == 1) {
    a.size = 4;
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
  // RFC 4291 §2.5.5.2 IPv4-mapped: ::ffff:a.b.c.d is the IPv4 client a.b.c.d.
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), kMapped, sizeof kMapped) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::fill(a.bytes.begin() + 4, a.bytes.end(), std::uint8_t{0});
    a.size = 4;
    return a;
  }
  a.size = 16;
  const unsigned bits = std::min(ipv6_prefix_bits, 128u);
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned keep = bits > i * 8 ? std::min(bits - i * 8, 8u) : 0;
    a.bytes[i] = static_cast<std::uint8_t>(a.bytes[i] & (0xff00u >> keep));
  }
  return a;
}

RateLimiter::RateLimiter(const RateLimit& limit, std::uint64_t seed)
    : limit_{std::max(limit.rate, 1u), std::max(limit.burst, 1u), std::max(limit.max_clients, 1u)},
      seed_(seed),
      interval_ns_(kSecondNs / limit_.rate),
      tolerance_ns_(interval_ns_ * (static_cast<std::int64_t>(limit_.burst) - 1)),
      entries_(new Entry[limit_.max_clients]) {
  // At least twice as many buckets as entries, a power of two.
  std::uint32_t buckets = 1;
  while (buckets < 2 * static_cast<std::uint64_t>(limit_.max_clients)) buckets *= 2;
  buckets_.reset(new std::uint32_t[buckets]);
  std::fill(buckets_.get(), buckets_.get() + buckets, kNil);
  bucket_mask_ = buckets - 1;
}

RateLimiter::~RateLimiter() = default;

std::uint32_t RateLimiter::bucket_of(const ClientAddress& a) const noexcept {
  std::uint64_t lo = 0, hi = 0;
  std::memcpy(&lo, a.bytes.data(), 8);
  std::memcpy(&hi, a.bytes.data() + 8, 8);
  const std::uint64_t h = mix(mix(seed_ ^ lo ^ a.size) ^ hi);
  return static_cast<std::uint32_t>(h) & bucket_mask_;
}

std::uint32_t RateLimiter::find(const ClientAddress& a, std::uint32_t bucket) const noexcept {
  for (std::uint32_t e = buckets_[bucket]; e != kNil; e = entries_[e].chain)
    if (entries_[e].key == a) return e;
  return kNil;
}

void RateLimiter::unlink_recency(std::uint32_t e) noexcept {
  Entry& x = entries_[e];
  if (x.newer != kNil)
    entries_[x.newer].older = x.older;
  else
    newest_ = x.older;
  if (x.older != kNil)
    entries_[x.older].newer = x.newer;
  else
    oldest_ = x.newer;
  x.newer = x.older = kNil;
}

void RateLimiter::push_newest(std::uint32_t e) noexcept {
  Entry& x = entries_[e];
  x.newer = kNil;
  x.older = newest_;
  if (newest_ != kNil) entries_[newest_].newer = e;
  newest_ = e;
  if (oldest_ == kNil) oldest_ = e;
}

void RateLimiter::unlink_chain(std::uint32_t e) noexcept {
  std::uint32_t* link = &buckets_[bucket_of(entries_[e].key)];
  while (*link != e) link = &entries_[*link].chain;
  *link = entries_[e].chain;
  entries_[e].chain = kNil;
}

std::uint32_t RateLimiter::take_entry() noexcept {
  if (count_ < limit_.max_clients) return count_++;
  // Full: forget the least recently seen address.
  const std::uint32_t e = oldest_;
  unlink_recency(e);
  unlink_chain(e);
  return e;
}

RateDecision RateLimiter::admit(const ClientAddress& client, std::int64_t now_ms) noexcept {
  const std::int64_t now = now_ms * 1'000'000;
  const std::uint32_t bucket = bucket_of(client);
  std::uint32_t e = find(client, bucket);
  if (e == kNil) {
    e = take_entry();
    entries_[e].key = client;
    entries_[e].tat_ns = now;  // a full bucket
    entries_[e].chain = buckets_[bucket];
    buckets_[bucket] = e;
  } else {
    unlink_recency(e);
  }
  push_newest(e);

  // GCRA: allowed while the theoretical arrival time is at most `tolerance` ahead of now;
  // each allowed request moves it one interval on.
  Entry& x = entries_[e];
  const std::int64_t tat = std::max(x.tat_ns, now);
  const std::int64_t ahead = tat - now;
  if (ahead > tolerance_ns_) {
    // Allowed again once now >= tat - tolerance. RFC 9110 §10.2.3 delay-seconds is whole
    // seconds: round up, so a client waiting that long is never refused again.
    const std::int64_t wait = ahead - tolerance_ns_;
    const std::int64_t seconds = (wait + kSecondNs - 1) / kSecondNs;
    return {false, static_cast<std::uint32_t>(std::max<std::int64_t>(seconds, 1))};
  }
  x.tat_ns = tat + interval_ns_;
  return {true, 0};
}

}  // namespace httpfsm::server
