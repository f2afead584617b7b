// HeadParser: the request-line and field section of one HTTP/1.1 request (RFC 9112 §2-§6).
//
// Life cycle
//   HeadParser p(limits);            // allocates the field array once (Limits::max_fields)
//   loop: p.parse(bytes_so_far)      // need_more -> read more, call again with all bytes
//         complete -> p.head(), p.consumed() is the head size; the body follows it
//         failed   -> p.error(), p.error_offset(); answer error_status(p.error()) and close
//   p.reset()                         // next message on the connection; never allocates
//
// parse() takes every byte of the current message from its first byte. It resumes where the
// previous call stopped (the head is never re-scanned), so the caller may append to, grow or
// move its buffer between calls, but must not change or drop bytes already passed.
//
// Needing more input is progress, not an error. An error is sticky: every later parse()
// returns `failed` with the same error and offset until reset(). Parsing stops at the end of
// the head, so bytes of the body or of a pipelined request after it stay unconsumed.
//
// The parser is pure: no I/O, clock, thread, exception or allocation after construction.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "httpfsm/error.hpp"
#include "httpfsm/limits.hpp"
#include "httpfsm/request_head.hpp"

namespace httpfsm {
namespace detail {
struct SimdFastPaths;
}

enum class Progress : std::uint8_t { need_more, complete, failed };

class HeadParser {
 public:
  explicit HeadParser(const Limits& limits = Limits{});
  HeadParser(const HeadParser&) = delete;
  HeadParser& operator=(const HeadParser&) = delete;
  HeadParser(HeadParser&&) noexcept = default;
  HeadParser& operator=(HeadParser&&) noexcept = default;
  ~HeadParser();

  // Scans the bytes not seen yet. Precondition: `message` starts at this message's first byte
  // and begins with every byte passed before.
  Progress parse(std::span<const char> message) noexcept;

  Progress progress() const noexcept { return progress_; }
  // Bytes scanned so far; once complete, the size of the head (the body starts here).
  std::uint32_t consumed() const noexcept { return consumed_; }
  // Valid once complete. Its spans index the buffer passed to parse().
  const RequestHead& head() const noexcept { return head_; }
  // Valid once failed; Error::none before.
  Error error() const noexcept { return error_; }
  // Offset from the message start of the byte where parsing failed. For errors found after
  // the bytes were accepted (framing, Host), the first byte of the offending field value.
  std::uint32_t error_offset() const noexcept { return error_offset_; }

  // Ready for the next message with the same limits. Never allocates.
  void reset() noexcept;

  const Limits& limits() const noexcept { return limits_; }

 private:
  // ResponseHeadParser reads its field section with this parser's machine and fast paths.
  friend class ResponseHeadParser;
  // Response mode: the start-line (a status-line) ended with the LF before `at`; read the
  // field section from there. At its end the head is complete without the request framing
  // rules (Host, request Transfer-Encoding): the response parser applies RFC 9112 §6.3.
  void begin_response_fields(std::uint32_t at) noexcept;
  // The same, for a status-line read whole by ResponseHeadParser's fast path, its LF at `lf`:
  // straight into the field-line fast path, as fast_head goes on after a request-line. True
  // when that decided the head (complete or failed); false when the machine must go on
  // (run_from). `end`: the input, clamped to the head limit.
  bool fast_response_fields(const char* data, const char* lf, const char* end) noexcept;
  // The machine from consumed_ to `end` (the input, clamped to the head limit), then the
  // limit it stopped at, if any: parse() after the fast paths.
  Progress run_from(const char* data, const char* end) noexcept;

  // The Ragel machine (generated from grammar/request_machines.rl). Runs from `p` to `pe`.
  void run_machine(const char* data, const char* p, const char* pe) noexcept;

  // Actions called from the machine (see grammar/request_machines.rl). An action that finds
  // an error calls fail(); the machine then stops (fbreak).
  void start_method(const char* data, const char* p) noexcept;
  void end_method(const char* data, const char* p) noexcept;
  void start_target(const char* data, const char* p) noexcept;
  void end_target(const char* data, const char* p) noexcept;
  void end_request_line(const char* data, const char* p) noexcept;
  void start_field_name(const char* data, const char* p) noexcept;
  void end_field_name(const char* data, const char* p) noexcept;
  void end_field_line(const char* data, const char* p) noexcept;
  // Whole-line fast paths (see request_machines.rl): the LF ending the line that starts at
  // `p`, with the line recorded, or nullptr when the machine must read it byte by byte.
  // Invariant: `end`, here and in every fast path below, is the end of the input clamped to
  // the head limit (data + min(size, max_head): parse(), run_from and ResponseHeadParser
  // clamp it once), so no fast path checks the head limit again.
  const char* fast_request_line(const char* data, const char* p, const char* end) noexcept;
  // The whole head through the fast paths, before the machine is entered: true when that
  // decided the message (complete or failed), false when the machine must go on from cs_ and
  // consumed_ (where the fast paths stopped, if they recorded anything).
  bool fast_head(const char* data, const char* end) noexcept;
  // The fast paths after a start-line whose LF is at `lf` (the response side's, see
  // fast_response_fields): field lines, then the empty line, through fast_head_end.
  bool fast_field_section(const char* data, const char* lf, const char* end) noexcept;
  // Which side's head is read (Host rules, end_head): known at compile time on the fast
  // paths, which read either a request or a response; the machine reads both and asks
  // response_ (Side::either).
  enum class Side : std::uint8_t { request, response, either };
  template <Side side>
  bool is_response() const noexcept {
    return side == Side::either ? response_ : side == Side::response;
  }
  template <Side side>
  bool fast_head_end(const char* data, const char* p, const char* end) noexcept;
  const char* fast_field_lines(const char* data, const char* line, const char* end) noexcept;
  template <Side side = Side::either>
  const char* fast_end_of_head(const char* data, const char* lf, const char* end) noexcept;
  // The two above with the scans of one vector instruction set; fast_request_line and
  // fast_field_lines pick the set chosen at start (src/simd_dispatch.hpp).
  template <class Scans>
  const char* fast_request_line_with(const char* data, const char* p, const char* end) noexcept;
  template <class Scans, Side side = Side::either>
  const char* fast_field_lines_with(const char* data, const char* line, const char* end) noexcept;
  // fast_head with the scans of one vector instruction set, picked once per head.
  template <class Scans>
  bool fast_head_with(const char* data, const char* end) noexcept;
  friend struct detail::SimdFastPaths;
  void store_field(const char* data, std::uint32_t name_start, std::uint32_t name_end,
                   std::uint32_t value_start, std::uint32_t cr) noexcept;
  void start_line(std::uint32_t line_start) noexcept;
  template <Side side = Side::either>
  void note_field(const char* data, std::uint32_t index, int known) noexcept;
  template <Side side = Side::either>
  void end_head(const char* data, const char* p) noexcept;
  void on_syntax_error(const char* data, const char* p) noexcept;

  // src/framing.cc: per-field semantics (RFC 9112 §3.2, §6) and the checks at the end.
  void note_known_field(const char* data, std::uint32_t index, KnownField k) noexcept;
  template <Side side = Side::either>
  void note_host(const char* data, std::uint32_t index) noexcept;
  void finish_framing(const char* data, std::uint32_t final_line) noexcept;

  void fail(Error e, std::uint32_t offset) noexcept;
  // The machine must stop at `end` (an offset from the message start); stopping there means
  // error `e` at `at`. The head limit always applies too.
  void set_limit(std::uint32_t end, std::uint32_t at, Error e) noexcept;
  void clear_limit() noexcept;

  // Where the machine is, for naming syntax errors precisely.
  enum class Section : std::uint8_t { start, method, after_method, target, version, fields };

  Limits limits_;
  std::unique_ptr<Field[]> fields_;
  RequestHead head_;

  // From here to framing_'s end, what reset() clears: one run of memory, so that it is a few
  // wide stores. Bytes first, so that nothing is padding.
  Progress progress_ = Progress::need_more;
  Error error_ = Error::none;
  Section section_ = Section::start;
  bool name_done_ = false;         // the current field line's colon was seen
  std::uint8_t target_forms_ = 0;  // bit per TargetForm alternative that matched
  bool response_ = false;          // reading a response's field section
  std::uint16_t field_count_ = 0;
  std::uint32_t consumed_ = 0;
  std::uint32_t error_offset_ = 0;
  // Marks (offsets from the message start) of the field line being read.
  std::uint32_t line_start_ = 0;
  std::uint32_t name_start_ = 0;
  std::uint32_t name_end_ = 0;
  std::uint32_t value_start_ = 0;

  // Framing facts gathered field by field (src/framing.cc).
  struct FramingState {
    std::uint16_t host_count = 0;
    // A field other than Host whose rules can change what finish_framing decides was seen
    // (see end_head).
    bool rules_seen = false;
    bool has_content_length = false;
    bool has_transfer_encoding = false;
    bool te_final_chunked = false;  // the last coding seen so far is chunked
    std::uint16_t te_chunked_count = 0;
    bool te_other_coding = false;  // a coding other than chunked (not implemented)
    bool connection_close = false;
    bool connection_keep_alive = false;
    bool expect_continue = false;
    std::uint32_t content_length_offset = 0;
    std::uint32_t transfer_encoding_offset = 0;
    std::uint64_t content_length = 0;
  } framing_;

  // Machine state, kept between calls; set where the machine is entered (parse(),
  // begin_response_fields, the fast paths' exit), not by reset().
  int cs_ = 0;
  // Invariant: the machine never runs past limit_end_; stopping there means limit_error_ at
  // limit_offset_.
  std::uint32_t limit_end_ = 0;
  std::uint32_t limit_offset_ = 0;
  Error limit_error_ = Error::none;
};

}  // namespace httpfsm
