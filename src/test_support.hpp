// Helpers for the parser's tests: run a head through HeadParser whole, one byte at a time or
// in given pieces, each piece copied into a fresh allocation of exactly the bytes so far
// (so an over-read faults under ASan, and the buffer moves between calls as a real caller's
// may), and describe the outcome as one line that a table can state.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/message_reader.hpp"
#include "httpfsm/response_head_parser.hpp"

namespace httpfsm::testing {

// A heap copy with no slack after the last byte.
class FlushBuffer {
 public:
  explicit FlushBuffer(std::string_view bytes);
  std::span<const char> span() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

struct HeadOutcome {
  Progress progress = Progress::need_more;
  Error error = Error::none;
  std::uint32_t error_offset = 0;
  std::uint32_t consumed = 0;
  std::string description;  // describe_head() of the head when complete
  bool operator==(const HeadOutcome&) const = default;
};

// "GET /x 1.1 origin; Host=a; User-Agent=b; content_length 5 keep-alive 100-continue"
std::string describe_head(std::span<const char> message, const RequestHead& head);
// The description when complete, "error <name> @<offset>" when failed, "need_more" otherwise.
std::string describe(const HeadOutcome& o);

// Feeds `bytes` ending a piece at each offset in `cuts` (ascending), then the rest.
HeadOutcome parse_in_pieces(std::string_view bytes, const std::vector<std::size_t>& cuts,
                            const Limits& limits = Limits{});
HeadOutcome parse_whole(std::string_view bytes, const Limits& limits = Limits{});
// As parse_in_pieces, with a parser the caller made and maybe used before (after reset()).
HeadOutcome parse_in_pieces(HeadParser& parser, std::string_view bytes,
                            const std::vector<std::size_t>& cuts = {});
HeadOutcome parse_bytewise(std::string_view bytes, const Limits& limits = Limits{});

// "200 OK 1.1; Content-Length=5; content_length 5 keep-alive", then " interim" or
// " leaves-http" when set.
std::string describe_response_head(std::span<const char> message, const ResponseHead& head);

// As parse_in_pieces, for a response to a request with `method`; the outcome's description
// is describe_response_head().
HeadOutcome parse_response_in_pieces(std::string_view bytes, const std::vector<std::size_t>& cuts,
                                     Method method, const Limits& limits = Limits{});
HeadOutcome parse_response_whole(std::string_view bytes, Method method,
                                 const Limits& limits = Limits{});
// As parse_response_in_pieces, with a parser the caller made and reset() for its method.
HeadOutcome parse_response_in_pieces(ResponseHeadParser& parser, std::string_view bytes,
                                     const std::vector<std::size_t>& cuts = {});
HeadOutcome parse_response_bytewise(std::string_view bytes, Method method,
                                    const Limits& limits = Limits{});

struct BodyOutcome {
  Progress progress = Progress::need_more;
  Error error = Error::none;
  std::uint64_t error_offset = 0;
  // Body bytes consumed in all; once failed, the offset of the offending byte (everything
  // before it), whatever the pieces were.
  std::uint64_t consumed = 0;
  std::string content;   // every data slice, concatenated
  std::string trailers;  // "Name=value; ..." once complete
  bool operator==(const BodyOutcome&) const = default;
};
std::string describe(const BodyOutcome& o);

// Decodes `body` with `framing`, the input arriving in pieces cut at `cuts`; the caller's
// buffer keeps unconsumed bytes and appends each new piece (as a server's would).
BodyOutcome decode_in_pieces(Framing framing, std::uint64_t content_length, std::string_view body,
                             const std::vector<std::size_t>& cuts, const Limits& limits = Limits{});

// A reader's events over a stream that arrives in pieces cut at `cuts` (ascending), the way a
// connection would feed it: the caller's buffer keeps the unconsumed bytes, appends each piece
// (a fresh exact-size copy each call), and drops `consumed` after every event; at the end of
// the stream, finish(). One line per event: "head <describe_head>", "data <content>" (adjacent
// data events merged, since their slicing depends on the pieces), "end[ trailers]",
// "error <name> @<offset>", "switched <rest>", "closed". For a ResponseReader, `methods` are
// the requests sent, all before the first byte arrives.
std::vector<std::string> read_requests(std::string_view bytes, const std::vector<std::size_t>& cuts,
                                       const Limits& limits = Limits{});
std::vector<std::string> read_responses(std::string_view bytes, const std::vector<Method>& methods,
                                        const std::vector<std::size_t>& cuts,
                                        const Limits& limits = Limits{});

// gtest printers, so a mismatch shows the outcomes rather than their bytes.
void PrintTo(const HeadOutcome& o, std::ostream* os);
void PrintTo(const BodyOutcome& o, std::ostream* os);

// Printable form of bytes for failure messages: "\r\n" and non-printables escaped.
std::string escape(std::string_view bytes);

}  // namespace httpfsm::testing
