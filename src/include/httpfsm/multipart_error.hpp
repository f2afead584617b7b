// What can be wrong with a multipart/form-data body and the fields describing it. The enum,
// names, statuses, references and messages expand the one X-list in
// httpfsm/multipart_error_list.h, so they cannot drift.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpfsm/multipart_error_list.h"

namespace httpfsm {

enum class MultipartError : std::uint8_t {
#define HTTPFSM_X(name, status, reference, message) name,
  HTTPFSM_MULTIPART_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// How many values MultipartError has (including `none`).
inline constexpr std::size_t kMultipartErrorCount = 0
#define HTTPFSM_X(name, status, reference, message) +1
    HTTPFSM_MULTIPART_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    ;

// "bad_delimiter": stable, for logs, metrics and tests.
std::string_view multipart_error_name(MultipartError e) noexcept;
// The status a server should answer: 400, 413 or 415.
int multipart_error_status(MultipartError e) noexcept;
// "RFC 2046 §5.1.1"
std::string_view multipart_error_reference(MultipartError e) noexcept;
// "delimiter not followed by padding and CRLF": short, safe to send as a response body.
std::string_view multipart_error_message(MultipartError e) noexcept;

}  // namespace httpfsm
