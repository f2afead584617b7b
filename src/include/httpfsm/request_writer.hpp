// Writes a parsed request head back in canonical form, for proxies, tools and the round-trip
// fuzz oracle: "method SP target SP HTTP/1.<minor> CRLF", each field as "name: value CRLF"
// (the name as sent, one SP, the value without surrounding OWS), then CRLF. The output
// parses to a head with the same method, target, version, fields and framing.
#pragma once

#include <cstddef>
#include <span>

#include "httpfsm/request_head.hpp"

namespace httpfsm {

// Size write_request_head() needs for `head`.
std::size_t request_head_size(const RequestHead& head) noexcept;

// Writes `head` (parsed from `message`) to `out`. Returns the size written, or 0 if `out` is
// smaller than request_head_size(head).
std::size_t write_request_head(std::span<const char> message, const RequestHead& head,
                               std::span<char> out) noexcept;

}  // namespace httpfsm
