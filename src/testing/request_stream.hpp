// Reads a stream of pipelined requests the way a server does: bytes arrive in pieces and go
// through a RequestReader, and what an event did not consume stays for the next call. Every
// call gets a fresh, exactly sized copy of the bytes it may read, so an over-read faults under
// ASan. Test-only.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "httpfsm/limits.hpp"
#include "testing/request_model.hpp"

namespace httpfsm::testing {

struct StreamResult {
  std::vector<std::pair<HeadView, BodyView>> requests;  // the complete ones, in order
  Error error = Error::none;                            // the error that stopped the stream, if any
  bool in_body = false;          // the error came from a body (else from a head)
  std::size_t error_offset = 0;  // from the failing message's (or body's) first byte
  std::size_t unconsumed = 0;    // bytes received but not consumed at the end
  bool idle = true;              // ended between messages (no partial message pending)
  friend bool operator==(const StreamResult&, const StreamResult&) = default;
};

// Feeds `bytes` in pieces ending at each of `cuts` (ascending), then the rest.
StreamResult read_stream(std::string_view bytes, const std::vector<std::size_t>& cuts,
                         const Limits& limits = Limits{});

void showValue(const StreamResult& r, std::ostream& os);

}  // namespace httpfsm::testing
