// Test driver for MultipartParser, shared by the unit tests, the properties and the fuzz
// target: feeds a body in pieces the way a real caller does (appends each piece to what the
// parser left unconsumed, in a fresh allocation of exactly those bytes, so an over-read
// faults under ASan and the buffer moves between calls), and writes the events as one log
// with adjacent text slices merged, so every split of a body gives the same log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/multipart.hpp"

namespace httpfsm::testing {

struct MultipartOutcome {
  // "P<preamble> B H<name>=<value> E C<content> / D X<epilogue>" (B part_begin, E headers_end,
  // / part_end, D done), bytes outside printable ASCII as \r, \n, \xNN; then the result
  // "ok" or "error <name> @<offset>".
  std::string log;
  MultipartError error = MultipartError::none;
  std::uint64_t error_offset = 0;
  // Largest number of bytes left unconsumed after a need_more (what a caller must hold).
  std::size_t max_held = 0;
  bool operator==(const MultipartOutcome& o) const {
    return log == o.log && error == o.error && error_offset == o.error_offset;
  }
};

inline void PrintTo(const MultipartOutcome& o, std::ostream* os) { *os << o.log; }

// Pieces end at each offset in `cuts` (ascending), then the rest; finish() at the end.
MultipartOutcome run_multipart(std::string_view body, std::string_view boundary,
                               const std::vector<std::size_t>& cuts,
                               const MultipartLimits& limits = MultipartLimits{});
// The same, but the pieces are separate buffers that are never joined, as the decoded slices
// of a chunked body are: unconsumed bytes go to a small carry buffer, which takes up to
// `step` bytes of the next piece at a time, and parsing returns to the piece itself once the
// carried bytes are consumed (the recipe in httpfsm/multipart.hpp). max_held is the largest
// carry.
MultipartOutcome run_multipart_slices(std::string_view body, std::string_view boundary,
                                      const std::vector<std::size_t>& cuts, std::size_t step,
                                      const MultipartLimits& limits = MultipartLimits{});
MultipartOutcome run_multipart_whole(std::string_view body, std::string_view boundary,
                                     const MultipartLimits& limits = MultipartLimits{});
MultipartOutcome run_multipart_bytewise(std::string_view body, std::string_view boundary,
                                        const MultipartLimits& limits = MultipartLimits{});

// The parts of a body as the parser gives them: headers and content, for round trips.
struct PartModel {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content;
  bool operator==(const PartModel&) const = default;
};
struct BodyModel {
  std::string preamble;  // must not contain the delimiter
  std::vector<PartModel> parts;
  std::string epilogue;
  bool operator==(const BodyModel&) const = default;
};

// Writes a body as RFC 2046 §5.1.1 composes one (no transport padding).
std::string write_multipart(const BodyModel& body, std::string_view boundary);
// Reads `body` whole into a model; false (and `error`) when the parser fails.
bool read_multipart(std::string_view body, std::string_view boundary, BodyModel& out,
                    MultipartError& error);

std::string escape_bytes(std::string_view bytes);

}  // namespace httpfsm::testing
