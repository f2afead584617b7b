// The time as the server needs it, read once per event-loop iteration: a monotonic
// millisecond count for deadlines and the wall-clock second, with the HTTP Date value
// (RFC 9110 §6.6.1) and the Common Log Format date formatted only when the second changes.
// Connections read a Clock and never the system clock, so tests set the time they want.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "httpfsm/http_date.hpp"

namespace httpfsm::server {

class Clock {
 public:
  Clock() { set(0, 0); }

  // Reads CLOCK_MONOTONIC_COARSE and CLOCK_REALTIME_COARSE (vDSO: no system call).
  void update() noexcept;
  // For tests and for update(): sets both clocks and reformats the dates if the second changed.
  void set(std::int64_t monotonic_ms, std::int64_t unix_seconds) noexcept;

  std::int64_t now_ms() const noexcept { return monotonic_ms_; }
  std::int64_t unix_seconds() const noexcept { return unix_seconds_; }
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  std::string_view http_date() const noexcept { return {http_date_.data(), http_date_.size()}; }
  // "06/Nov/1994:08:49:37 +0000" (Common Log Format, UTC)
  std::string_view log_date() const noexcept { return {log_date_.data(), log_date_.size()}; }

 private:
  std::int64_t monotonic_ms_ = 0;
  std::int64_t unix_seconds_ = -1;
  std::array<char, kHttpDateSize> http_date_{};
  std::array<char, 26> log_date_{};
};

}  // namespace httpfsm::server
