// BodyDecoder: the message body after a head (RFC 9112 §6.3 Content-Length, §7.1 chunked).
//
// Life cycle
//   BodyDecoder d(limits);          // allocates the trailer field array once
//   d.start(head);                   // per request, after the head parser completed
//   loop: step = d.decode(unconsumed_bytes)
//         use step.data (a slice of the input: decoded content, possibly empty),
//         drop step.consumed bytes from the front of the input,
//         need_more -> read more and call again; complete -> trailers(); failed -> error()
//
// A close-delimited body (Framing::until_close, responses only, RFC 9112 §6.3 item 8) is every
// byte until the connection ends: decode() hands all its input out as content and stays
// need_more; finish() then completes it instead of reporting `truncated`.
//
// decode() takes only bytes not consumed yet, unlike HeadParser::parse(). It returns at most
// one slice of content per call, so a caller loops while it makes progress. Content is never
// copied: step.data points into the input.
//
// The trailer section (RFC 9112 §7.1.2) is the one thing the decoder must see whole: while it
// arrives, decode() leaves it unconsumed, so when complete the trailer field spans index the
// input of the completing call. Errors are sticky until start().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "httpfsm/error.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/limits.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/response_head.hpp"

namespace httpfsm {

struct BodyStep {
  Progress progress = Progress::need_more;
  std::size_t consumed = 0;    // <= input.size(); the caller drops these bytes
  std::span<const char> data;  // decoded content: a slice of the input, maybe empty
};

class BodyDecoder {
 public:
  explicit BodyDecoder(const Limits& limits = Limits{});
  BodyDecoder(const RequestHead& head, const Limits& limits);
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;
  BodyDecoder(BodyDecoder&&) noexcept = default;
  BodyDecoder& operator=(BodyDecoder&&) noexcept = default;
  ~BodyDecoder();

  // Starts the body of `head` (its framing and Content-Length). Never allocates.
  void start(const RequestHead& head) noexcept;
  // Starts the body of a response head. A head that leaves HTTP (101, a tunnel) has no body.
  void start(const ResponseHead& head) noexcept;
  // Starts a body with explicit framing (for tools that decode bodies without a head).
  void start(Framing framing, std::uint64_t content_length = 0) noexcept;

  BodyStep decode(std::span<const char> input) noexcept;

  Progress progress() const noexcept { return progress_; }
  Error error() const noexcept { return error_; }
  // Offset of the failing byte counted from the first byte of the body.
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // Decoded content bytes delivered so far.
  std::uint64_t content_bytes() const noexcept { return content_bytes_; }
  // Bytes of the body consumed so far (framing included).
  std::uint64_t body_bytes() const noexcept { return body_bytes_; }
  // Once complete: the trailer fields, spans into the input of the completing decode() call.
  std::span<const Field> trailers() const noexcept { return {trailers_.get(), trailer_count_}; }

  // Tells the decoder the connection ended. Returns truncated unless the body was complete;
  // completes a close-delimited body.
  Error finish() noexcept;

 private:
  enum class Section : std::uint8_t { size, ext, data_end, trailers };

  BodyStep decode_chunked(std::span<const char> input) noexcept;
  BodyStep decode_chunked_machine(const char* data, const char* p, const char* end) noexcept;
  BodyStep hand_out_data(const char* data, const char* p, const char* end) noexcept;
  BodyStep decode_until_close(std::span<const char> input) noexcept;
  // The chunked machine (generated from grammar/request_machines.rl): runs from p towards
  // end, stopping early at a limit, after a chunk header (to hand out data) or at the end.
  const char* run_chunked(const char* data, const char* p, const char* end) noexcept;

  // The common chunk boundary without the machine (body_decoder.cc): returns where chunk-data
  // starts and its size (or, for the last chunk, the end of the body), or nullptr to leave it
  // all to the machine.
  const char* fast_chunk_boundary(const char* p, const char* end,
                                  std::uint64_t& chunk_size) noexcept;
  // Actions called from the machine; those returning bool return false after fail().
  const char* add_size_digits(const char* data, const char* p, const char* pe) noexcept;
  bool count_ext_byte(const char* data, const char* p) noexcept;
  bool end_chunk_header(const char* data, const char* p) noexcept;  // true: last chunk
  void begin_chunk_header() noexcept;
  void start_trailer_name(const char* data, const char* p) noexcept;
  void end_trailer_name(const char* data, const char* p) noexcept;
  void end_trailer_line(const char* data, const char* p) noexcept;
  void end_trailers(const char* data, const char* p) noexcept;
  void on_chunk_syntax_error(const char* data, const char* p) noexcept;

  void fail(Error e, std::uint64_t body_offset) noexcept;
  std::uint64_t body_offset(const char* data, const char* p) const noexcept {
    return body_bytes_ + static_cast<std::uint64_t>(p - data);
  }
  std::uint32_t trailer_offset(const char* data, const char* p) const noexcept {
    return static_cast<std::uint32_t>(p - data) - base_;
  }
  void set_trailer_limit() noexcept;

  Limits limits_;
  std::unique_ptr<Field[]> trailers_;
  std::size_t trailer_count_ = 0;

  Framing framing_ = Framing::no_body;
  Progress progress_ = Progress::need_more;
  Error error_ = Error::none;
  std::uint64_t error_offset_ = 0;
  std::uint64_t remaining_ = 0;  // content bytes left (Content-Length or current chunk)
  std::uint64_t content_bytes_ = 0;
  std::uint64_t body_bytes_ = 0;  // bytes consumed by earlier calls

  // Chunked machine state, kept between calls.
  int cs_ = 0;
  Section section_ = Section::size;
  bool in_data_ = false;         // handing out chunk-data, outside the machine
  bool name_done_ = false;       // the current trailer line's colon was seen
  char last_byte_ = 0;           // the byte before the current input
  std::uint32_t ext_bytes_ = 0;  // chunk-ext bytes of the current chunk header
  std::uint64_t chunk_size_ = 0;
  // Trailer section: kept unconsumed until complete, so its marks are offsets from its
  // first byte, which sits at base_ in the current input (0 after the call it began in).
  std::uint32_t base_ = 0;
  std::uint32_t trailer_scanned_ = 0;
  std::uint32_t line_start_ = 0;
  std::uint32_t name_start_ = 0;
  std::uint32_t name_end_ = 0;
  std::uint32_t value_start_ = 0;
  // Invariant: the machine never runs past limit_end_ (an offset in the current input).
  std::size_t limit_end_ = 0;
  std::uint64_t limit_offset_ = 0;  // as a trailer offset
  Error limit_error_ = Error::none;
};

}  // namespace httpfsm
