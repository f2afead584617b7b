// Entry points of the generated machines (grammar/request_machines.rl) that are not members
// of HeadParser or BodyDecoder.
#pragma once

#include <cstddef>

namespace httpfsm::detail {

// Start states, for reset().
int head_machine_start() noexcept;
int chunked_machine_start() noexcept;
// States of the chunked machine where BodyDecoder's fast path may take over: the start of a
// chunk header (the start state), and the CRLF awaited after chunk-data.
extern const int kChunkHeaderState;
extern const int kChunkDataEndState;
// The request machine's field_section entry, where a response's field section starts.
int head_field_section_state() noexcept;
// The status-line machine (grammar/response_machines.rl).
int status_line_machine_start() noexcept;

// RFC 9110 §7.2: true when [p, end) is `uri-host [ ":" port ]`. On false, *bad is the offset
// of the first byte that cannot continue a valid value (or the length, if it is a prefix).
bool is_valid_host(const char* p, const char* end, std::size_t* bad) noexcept;

}  // namespace httpfsm::detail
