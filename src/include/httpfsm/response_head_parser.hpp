// ResponseHeadParser: the status-line and field section of one HTTP/1.1 response
// (RFC 9112 §4, §5), and its framing (RFC 9112 §6.3), which depends on the request it answers.
//
// Life cycle
//   ResponseHeadParser p(limits);     // allocates the field array once (Limits::max_fields)
//   p.reset(Method::get);              // the method of the request this response answers
//   loop: p.parse(bytes_so_far)       // need_more -> read more, call again with all bytes
//         complete -> p.head(), p.consumed() is the head size; the body follows it
//         failed   -> p.error(), p.error_offset(); the connection cannot be read further
//   p.reset(next_method)              // next response; after an interim 1xx, the same method
//
// parse() takes every byte of the current response from its first byte and resumes where the
// previous call stopped (the head is never re-scanned): the caller may grow or move its buffer
// between calls but must not change or drop bytes already passed. Spans index that buffer.
//
// Needing more input is progress, not an error. An error is sticky until reset(); errors come
// from the same list as the request side (httpfsm/error_list.h), with the status-line's own.
// Parsing stops at the end of the head, so body bytes and pipelined responses stay
// unconsumed. Limits are the request side's: max_head bounds the head, max_field_line,
// max_fields each field line and their count, max_body a Content-Length.
//
// The field section is read by the request side's machine and fast paths (one field-line
// grammar for both directions). The parser is pure: no I/O, clock, thread, exception or
// allocation after construction.
#pragma once

#include <cstdint>
#include <span>

#include "httpfsm/error.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/limits.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/response_head.hpp"

namespace httpfsm {

class ResponseHeadParser {
 public:
  explicit ResponseHeadParser(const Limits& limits = Limits{});

  // Scans the bytes not seen yet. Precondition: `message` starts at this response's first
  // byte and begins with every byte passed before.
  Progress parse(std::span<const char> message) noexcept;

  Progress progress() const noexcept { return progress_; }
  // Bytes scanned so far; once complete, the size of the head (the body starts here).
  std::uint32_t consumed() const noexcept { return consumed_; }
  // Valid once complete. Its spans index the buffer passed to parse().
  const ResponseHead& head() const noexcept { return head_; }
  // Valid once failed; Error::none before.
  Error error() const noexcept { return error_; }
  // Offset from the message start of the byte where parsing failed; for framing errors found
  // at the end of the head, the first byte of the offending field value.
  std::uint32_t error_offset() const noexcept { return error_offset_; }

  // Ready for the next response, which answers a request with `request_method` (RFC 9112 §6.3:
  // a response to HEAD has no body; a 2xx to CONNECT opens a tunnel). Never allocates.
  void reset(Method request_method = Method::get) noexcept;
  Method request_method() const noexcept { return request_method_; }

  const Limits& limits() const noexcept { return fields_.limits(); }

 private:
  // The status-line machine (generated from grammar/response_machines.rl).
  void run_machine(const char* data, const char* p, const char* pe) noexcept;
  // The whole status-line at `data` in its usual shape, recorded; its LF, or nullptr (the
  // machine reads it).
  const char* fast_status_line(const char* data, const char* end) noexcept;
  bool end_status_code(const char* data, const char* p) noexcept;
  void end_status_line(const char* data, const char* p) noexcept;
  void on_syntax_error(const char* data, const char* p) noexcept;
  // fields_ returned `p`: its consumed(), its error, or the complete head with its framing.
  Progress end_fields(Progress p) noexcept;
  // src/response_framing.cc: RFC 9112 §6.3 once the head is complete.
  void finish_framing() noexcept;
  Progress fail(Error e, std::uint32_t offset) noexcept;

  // Where the status-line machine is, for naming syntax errors.
  enum class Section : std::uint8_t { version, after_version, status, reason };

  HeadParser fields_;  // the field section, in response mode
  ResponseHead head_;
  Method request_method_ = Method::get;
  int cs_ = 0;
  Progress progress_ = Progress::need_more;
  std::uint32_t consumed_ = 0;
  Error error_ = Error::none;
  std::uint32_t error_offset_ = 0;
  std::uint32_t status_offset_ = 0;
  Section section_ = Section::version;
  bool in_fields_ = false;  // the status-line is done; fields_ reads the rest
};

}  // namespace httpfsm
