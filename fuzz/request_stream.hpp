// Drives a RequestReader over a stream of pipelined requests the way a server does, and records
// everything it reports, so that targets can compare runs (whole against split, tight limits
// against default ones, httpfsm against llhttp).
//
// The stream arrives in pieces ending at `cuts`. Every next() call gets a fresh heap copy of
// exactly the unconsumed bytes, so an over-read faults under ASan and the buffer moves between
// calls as a real caller's may.
//
// Every event is checked against the API's contract on the way (consumed bytes within the
// input, data slices of it, listed errors with offsets inside it, sticky results). Each head
// the reader completes or rejects is parsed again by a fresh HeadParser, whose parse() is
// checked against head_parser.hpp (spans inside the head, heads that satisfy the grammar and
// the framing rules, error positions) and must agree with the reader. A violation aborts
// through HTTPFSM_FUZZ_CHECK. BodyDecoder's own contract is checked by decode_body().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/limits.hpp"

namespace httpfsm::fuzz {

struct FieldRecord {
  Span name_span;
  Span value_span;
  std::string name;
  std::string value;
  bool operator==(const FieldRecord&) const = default;
};

// A complete RequestHead with its spans resolved, so it outlives the parse buffer.
struct HeadRecord {
  Span method_span;
  Span target_span;
  std::string method;
  std::string target;
  Method method_id = Method::other;
  TargetForm target_form = TargetForm::origin;
  std::uint8_t version_minor = 0;
  std::vector<FieldRecord> fields;
  std::array<std::uint16_t, kKnownFieldCount> first{};
  Framing framing = Framing::no_body;
  std::uint64_t content_length = 0;
  bool keep_alive = false;
  bool expect_continue = false;
  bool operator==(const HeadRecord&) const = default;
};

HeadRecord record_head(std::span<const char> message, const RequestHead& head);

// What happened to one message. Head fields are meaningful once the head started; body
// fields once the head completed.
struct MessageRecord {
  Progress head_progress = Progress::need_more;
  Error head_error = Error::none;
  std::uint32_t head_error_offset = 0;
  // Once complete, the size of the head; while need_more at the end of the stream, the bytes
  // scanned.
  std::uint32_t head_consumed = 0;
  HeadRecord head;

  Progress body_progress = Progress::need_more;
  // Error::truncated when the stream ended inside the body.
  Error body_error = Error::none;
  std::uint64_t body_error_offset = 0;
  // Body bytes consumed (framing included) when not failed; 0 when failed, since how much was
  // consumed before the offending byte depends on the pieces.
  std::uint64_t body_consumed = 0;
  std::string content;
  std::vector<std::pair<std::string, std::string>> trailers;
  bool operator==(const MessageRecord&) const = default;
};

struct StreamRecord {
  std::vector<MessageRecord> messages;
  bool operator==(const StreamRecord&) const = default;
};

// Runs `stream` through one RequestReader with `limits`, the input arriving in pieces that end
// at each offset of `cuts` (ascending, each <= stream.size()) and then at the end. Stops after
// the first failed message. A request that closes the connection does not stop it: the bytes
// after it are read as a fresh connection's, so every message reaches the parsers.
StreamRecord run_stream(std::string_view stream, const Limits& limits,
                        std::span<const std::size_t> cuts = {});

// A body decoded alone (BodyDecoder::start(framing, content_length)), arriving in pieces that
// end at `cuts`; the caller's buffer keeps the unconsumed bytes and appends each piece, as a
// server's does. Every decode() call is checked against the contract.
struct BodyRecord {
  Progress progress = Progress::need_more;
  // Error::truncated when the input ended before the body did.
  Error error = Error::none;
  std::uint64_t error_offset = 0;
  std::uint64_t consumed = 0;  // as MessageRecord::body_consumed
  std::string content;
  std::vector<std::pair<std::string, std::string>> trailers;
  bool operator==(const BodyRecord&) const = default;
};
BodyRecord decode_body(Framing framing, std::uint64_t content_length, std::string_view body,
                       const Limits& limits, std::span<const std::size_t> cuts = {});
std::string describe(const BodyRecord& b);

// Limits small enough for short fuzz inputs to reach every limit error.
Limits tight_limits();

// Limits chosen by `selector` bits from tight, default and odd values.
Limits limits_from_byte(std::uint8_t selector);

bool is_limit_error(Error e);

std::string describe(const HeadRecord& h);
std::string describe(const StreamRecord& s);
// Printable form of bytes: CR, LF, HTAB, backslash and non-printables escaped.
std::string escape(std::string_view bytes);

}  // namespace httpfsm::fuzz
