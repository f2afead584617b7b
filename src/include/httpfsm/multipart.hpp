// MultipartParser: a multipart/form-data body (RFC 7578; body syntax RFC 2046 §5.1.1), walked
// incrementally, handing out each part's header fields and content as slices of the input.
//
// Life cycle
//   auto b = multipart_boundary(content_type_value);   // the boundary, a view into the value
//   MultipartParser p(limits);                          // no allocation, ever
//   p.start(b.boundary);                                // per body; copies the boundary (<= 70)
//   loop: step = p.parse(unconsumed_bytes)
//         act on step.event (below), then drop step.consumed bytes from the front of the input;
//         need_more -> append more input and call again; failed -> p.error()
//   at the end of the HTTP body: p.finish()            // none, or missing_close_delimiter
//
// Events, in order: preamble* ( part_begin header* headers_end content* part_end )* done
// epilogue*. `data` (preamble, content, epilogue) and `name`/`value` (header) are views into
// the input of that call: nothing is copied. A header field line is handed out only once it is
// whole, so while one arrives the parser leaves it unconsumed and the caller passes its bytes
// again (bounded by MultipartLimits::max_part_header). Content is handed out as it arrives:
// content split across feeds comes out as several slices; bytes that might begin a delimiter
// ("\r\n--boundary") are left unconsumed only as long as they might, and the CRLF before a
// delimiter is never content (RFC 2046 §5.1.1: "The CRLF preceding the boundary delimiter
// line is conceptually attached to the boundary").
//
// Resume rule: parse() takes only bytes not consumed yet (like BodyDecoder::decode()), with the
// unconsumed ones first. Bytes it leaves unconsumed were scanned already and are not scanned
// again. Any split of a body gives the same events, with adjacent content slices merged.
// What stays unconsumed after need_more is at most 3 + boundary.size() bytes in a text
// section, or one header line (< max_part_header bytes). So input that does not arrive in one
// contiguous buffer (a chunked body, decoded slice by slice) needs only a small carry buffer:
// copy the unconsumed bytes there, append bytes of the next slice, parse the carry, and return
// to the slice itself once the carried bytes are consumed (the bytes then unconsumed are the
// slice's own).
//
// Errors are sticky until start(): every later parse() returns `failed` with the same error.
// error_offset() is the offending byte counted from the first byte of the body. The body never
// ends by itself (the epilogue runs to the end of the HTTP content), so the caller says when
// it ends with finish().
//
// Pure: no I/O, clock, thread, exception or allocation (the object holds everything).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/multipart_error.hpp"

namespace httpfsm {

// RFC 2046 §5.1.1: boundary := 0*69<bchars> bcharsnospace
inline constexpr std::size_t kMaxBoundary = 70;

struct MultipartBoundary {
  MultipartError error = MultipartError::none;
  std::string_view boundary;  // a view into the field value, without quotes
};

// The boundary parameter of a Content-Type field value that must be multipart/form-data
// (RFC 7578 §4; media type and parameter names case-insensitive, RFC 9110 §8.3.1). Accepts the
// boundary as a token or a quoted-string (quoted-pairs are refused: no bchar needs one).
// Errors: not_form_data, bad_content_type, missing_boundary (also when it appears twice:
// duplicate boundaries are ambiguous), bad_boundary, boundary_too_long.
MultipartBoundary multipart_boundary(std::string_view content_type) noexcept;

// The boundary alone: 1-70 bchars, the last not a space (RFC 2046 §5.1.1).
MultipartError check_boundary(std::string_view boundary) noexcept;

struct MultipartLimits {
  std::uint32_t max_parts = 1000;        // -> too_many_parts
  std::uint32_t max_part_header = 8192;  // bytes of one part's header section, blank line
                                         // included -> part_header_too_large
};

enum class MultipartEvent : std::uint8_t {
  need_more,    // everything usable was consumed; append input and call again
  preamble,     // data: bytes before the first delimiter (RFC 2046: to be ignored)
  part_begin,   // a delimiter line ended; header fields follow
  header,       // name, value: one header field of the part (value without OWS around it)
  headers_end,  // the blank line after the part's header section; content follows
  content,      // data: a slice of the part's content
  part_end,     // the part's content ended (a delimiter follows)
  done,         // the close delimiter was read; the body is well formed if it ends now
  epilogue,     // data: bytes after the close delimiter line (to be ignored)
  failed,       // error(), error_offset()
};

struct MultipartStep {
  MultipartEvent event = MultipartEvent::need_more;
  std::size_t consumed = 0;    // <= input.size(); the caller drops these bytes
  std::span<const char> data;  // preamble, content, epilogue
  std::string_view name;       // header
  std::string_view value;      // header
};

class MultipartParser {
 public:
  explicit MultipartParser(const MultipartLimits& limits = MultipartLimits{}) noexcept;

  // Starts a body. Returns check_boundary(boundary); any error also fails the parser.
  MultipartError start(std::string_view boundary) noexcept;

  // Reads input up to the next event. Precondition: start() was called, and `input` begins
  // with the bytes the previous call left unconsumed.
  MultipartStep parse(std::span<const char> input) noexcept;

  // The HTTP content ended. none once the close delimiter was read, else
  // missing_close_delimiter (which also fails the parser), or the earlier error.
  MultipartError finish() noexcept;

  MultipartError error() const noexcept { return error_; }
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // Parts begun so far.
  std::uint32_t parts() const noexcept { return parts_; }
  const MultipartLimits& limits() const noexcept { return limits_; }

 private:
  // Where the body is. Text sections are scanned in C++ for the delimiter (the boundary is
  // only known at run time); the others run the Ragel machine of
  // grammar/multipart_machines.rl from the state kept in cs_.
  enum class Section : std::uint8_t {
    preamble,
    delimiter_tail,  // after "--boundary": transport padding and CRLF, or "--"
    headers,         // the part's header section
    content,
    close_tail,  // after the close delimiter: transport padding, then CRLF
    epilogue,
    failed,
  };

  MultipartStep scan_text(const char* data, std::size_t n, MultipartEvent text) noexcept;
  MultipartStep run_tail(const char* data, std::size_t n) noexcept;
  MultipartStep run_headers(const char* data, std::size_t n) noexcept;
  // The machine (generated): runs from p to pe, returns where it stopped.
  const char* run_machine(const char* line, const char* p, const char* pe) noexcept;
  MultipartStep fail(MultipartError e, std::uint64_t offset) noexcept;

  // Machine actions (grammar/multipart_machines.rl).
  void on_field_name_end(const char* line, const char* p) noexcept;
  void on_value_start(const char* line, const char* p) noexcept;
  void on_field_line_end(const char* line, const char* p) noexcept;

  MultipartLimits limits_;
  // "\r\n--" + boundary: the delimiter (RFC 2046 §5.1.1 delimiter := CRLF dash-boundary).
  char delimiter_[4 + kMaxBoundary] = {};
  std::size_t delimiter_size_ = 0;

  // Before start(): failed, as if given no boundary.
  Section section_ = Section::failed;
  MultipartError error_ = MultipartError::missing_boundary;
  std::uint64_t error_offset_ = 0;
  std::uint64_t offset_ = 0;  // body offset of the first byte of the current input
  std::uint32_t parts_ = 0;

  // Text sections. Invariant: the first matched_ bytes of the input equal the delimiter's
  // first bytes (of its dash-boundary when at_line_start_); they were scanned already.
  std::size_t matched_ = 0;
  // At the start of the preamble and of a part's content, where a dash-boundary is a
  // delimiter without its CRLF (RFC 2046 §5.1.1: the body starts with it when there is no
  // preamble; "Lines in a body-part must not start with the specified dash-boundary").
  bool at_line_start_ = false;

  // Machine sections.
  int cs_ = 0;
  MultipartEvent machine_event_ = MultipartEvent::need_more;  // set by an action
  bool machine_error_ = false;                                // set by $err
  // The current header line, which starts at the front of the input: bytes of it scanned
  // already, and its marks as offsets from its first byte.
  std::size_t scanned_ = 0;
  std::size_t header_bytes_ = 0;  // earlier header lines of this part
  std::size_t name_end_ = 0;
  std::size_t value_start_ = 0;
  std::size_t value_end_ = 0;
  std::size_t line_end_ = 0;
};

}  // namespace httpfsm
