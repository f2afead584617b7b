// What a handler sees of a request: views into the connection's input buffer (the head) and
// into the worker's path buffer (the decoded path and the route parameters). Valid while the
// handler runs; nothing is copied or allocated to build it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/request_head.hpp"

namespace httpfsm::server {

struct Request {
  static constexpr std::size_t kMaxParams = 4;

  std::span<const char> message;  // the head's bytes
  const RequestHead* head = nullptr;
  Method method = Method::other;
  std::string_view method_name;
  std::string_view target;  // as sent
  std::string_view path;    // percent-decoded, dot segments removed (RFC 3986 §5.2.4)
  std::string_view query;   // as sent, without "?"
  std::array<std::string_view, kMaxParams> params{};  // route parameters, in pattern order
  std::uint8_t param_count = 0;

  std::string_view param(std::size_t i) const noexcept { return i < param_count ? params[i] : ""; }
  // The first line of a known field; empty when absent.
  std::string_view field(KnownField k) const noexcept { return head->value(message, k); }
  bool has(KnownField k) const noexcept { return head->field(k) != nullptr; }
  // The first line named `name` (any case); nullptr when absent.
  const Field* find(std::string_view name) const noexcept { return head->find(message, name); }
  std::string_view find_value(std::string_view name) const noexcept {
    const Field* f = find(name);
    return f != nullptr ? text(message, f->value) : std::string_view{};
  }
};

}  // namespace httpfsm::server
