// Everything that can be wrong with a request, with the status a server should answer and the
// rule that makes it wrong. The enum, the names, the statuses, the references and the
// messages are all generated from the one X-list in httpfsm/error_list.h (shared with the C
// API), so they cannot drift.
//
// Status 0 means "close without answering": the peer is gone or never sent a message.
#pragma once

#include <cstdint>
#include <string_view>

#include "httpfsm/error_list.h"

namespace httpfsm {

enum class Error : std::uint8_t {
#define HTTPFSM_X(name, status, reference, message) name,
  HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// How many values Error has (including `none`).
inline constexpr std::size_t kErrorCount = 0
#define HTTPFSM_X(name, status, reference, message) +1
    HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    ;

// "bad_field_name": stable, for logs, metrics and tests.
std::string_view error_name(Error e) noexcept;
// 400, 413, 414, 431, 501 or 505; 0 means close without answering.
int error_status(Error e) noexcept;
// "RFC 9112 §5.1"
std::string_view error_reference(Error e) noexcept;
// "field name is not a token": short, safe to send as a response body.
std::string_view error_message(Error e) noexcept;

}  // namespace httpfsm
