#include "clock.hpp"

#include <time.h>

#include <cstdio>

namespace httpfsm::server {

void Clock::update() noexcept {
  timespec mono{};
  timespec wall{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &mono);
  clock_gettime(CLOCK_REALTIME_COARSE, &wall);
  const std::int64_t ms = static_cast<std::int64_t>(mono.tv_sec) * 1000 + mono.tv_nsec / 1'000'000;
  set(ms, static_cast<std::int64_t>(wall.tv_sec));
}

void Clock::set(std::int64_t monotonic_ms, std::int64_t unix_seconds) noexcept {
  monotonic_ms_ = monotonic_ms;
  if (unix_seconds == unix_seconds_) return;
  unix_seconds_ = unix_seconds;
  format_http_date(unix_seconds, std::span<char, kHttpDateSize>(http_date_));
  // The CLF date reuses the fields of the HTTP date: "Sun, 06 Nov 1994 08:49:37 GMT".
  const std::string_view d(http_date_.data(), http_date_.size());
  char out[27];
  std::snprintf(out, sizeof out, "%.2s/%.3s/%.4s:%.8s +0000", d.data() + 5, d.data() + 8,
                d.data() + 12, d.data() + 17);
  for (std::size_t i = 0; i < log_date_.size(); ++i) log_date_[i] = out[i];
}

}  // namespace httpfsm::server
