// A strict reader of HTTP/1.1 response heads (RFC 9112 §4, §5, §6), for checking what the
// response writer (and later the server) sends. Deliberately minimal and unforgiving: any
// deviation from the grammar, and any framing a server MUST NOT send, is an error with a
// reason. Test-only.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpfsm::testing {

enum class ResponseFraming : std::uint8_t {
  no_body,          // 1xx, 204, 304 (RFC 9112 §6.3 item 1)
  content_length,   // §6.3 item 6
  chunked,          // §6.3 item 4
  close_delimited,  // §6.3 item 8: neither
};

struct ResponseHead {
  int minor = 1;  // HTTP/1.<minor>
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> fields;  // values without OWS around
  ResponseFraming framing = ResponseFraming::close_delimited;
  std::uint64_t content_length = 0;
  std::size_t size = 0;  // bytes of the head, empty line included
  friend bool operator==(const ResponseHead&, const ResponseHead&) = default;
};

struct ResponseRead {
  std::optional<ResponseHead> head;  // nullopt: incomplete or invalid
  std::string error;                 // why it is invalid; empty when incomplete or valid
};

// Reads the head at the start of `bytes`. `request_was_head`: a response to HEAD has no
// body whatever its fields say (RFC 9112 §6.3 item 1).
ResponseRead read_response_head(std::string_view bytes, bool request_was_head = false);

void showValue(const ResponseHead& h, std::ostream& os);
void showValue(ResponseFraming f, std::ostream& os);

}  // namespace httpfsm::testing
