// ResponseHeadParser outside the generated status-line machine: the resumable parse() loop, the
// hand-over of the field section to the request side's machine, and the naming of status-line
// errors. The machine is generated from grammar/response_machines.rl; the framing rules live
// in response_framing.cc.
#include "httpfsm/response_head_parser.hpp"

#include <algorithm>
#include <cstring>

#include "head_parser_actions.hpp"
#include "machines.hpp"
#include "scan.hpp"

namespace httpfsm {

ResponseHeadParser::ResponseHeadParser(const Limits& limits) : fields_(limits) { reset(); }

void ResponseHeadParser::reset(Method request_method) noexcept {
  fields_.reset();
  head_ = ResponseHead{};
  head_.first.fill(ResponseHead::kAbsent);
  request_method_ = request_method;
  cs_ = detail::status_line_machine_start();
  progress_ = Progress::need_more;
  consumed_ = 0;
  error_ = Error::none;
  error_offset_ = 0;
  status_offset_ = 0;
  section_ = Section::version;
  in_fields_ = false;
}

Progress ResponseHeadParser::parse(std::span<const char> message) noexcept {
  if (progress_ != Progress::need_more) return progress_;
  if (in_fields_) return end_fields(fields_.parse(message));
  // Nothing past the head limit is ever scanned (as HeadParser::parse).
  const std::uint32_t max_head = limits().max_head;
  const std::size_t size = std::min<std::size_t>(message.size(), max_head);
  if (size <= consumed_) return progress_;
  const char* data = message.data();
  const char* end = data + size;
  if (consumed_ == 0) {
    if (const char* lf = fast_status_line(data, end)) {
      // A whole status-line: straight on with the field-line fast path (what fields_.parse()
      // would reach only through its machine's entry and first action), and the machine from
      // wherever that stops.
      in_fields_ = true;
      if (!fields_.fast_response_fields(data, lf, end)) fields_.run_from(data, end);
      return end_fields(fields_.progress());
    }
  }
  run_machine(data, data + consumed_, end);
  if (error_ != Error::none) return progress_;
  if (!in_fields_) {
    // Stopped at the head limit inside the status-line.
    if (consumed_ == max_head) return fail(Error::head_too_large, max_head);
    return progress_;
  }
  return end_fields(fields_.parse(message));
}

// The field section's parser returned `p`: adopt its result.
Progress ResponseHeadParser::end_fields(Progress p) noexcept {
  consumed_ = fields_.consumed();
  if (p == Progress::failed) return fail(fields_.error(), fields_.error_offset());
  if (p == Progress::need_more) return progress_;
  head_.fields = fields_.head().fields;
  head_.first = fields_.head().first;
  finish_framing();
  if (error_ == Error::none) progress_ = Progress::complete;
  return progress_;
}

Progress ResponseHeadParser::fail(Error e, std::uint32_t at) noexcept {
  error_ = e;
  error_offset_ = at;
  consumed_ = at;  // nothing at or after the offending byte counts as read
  progress_ = Progress::failed;
  return progress_;
}

// The status-line in its usual shape, read whole: "HTTP/1." DIGIT SP 3DIGIT SP reason CRLF,
// with a status of 100-599 and a reason of reason-phrase bytes (RFC 9112 §4), inside the head
// limit. Anything else, or an incomplete line, is declined and read by the machine, which
// alone judges errors; a byte-at-a-time run never has the line whole, so the case table's
// whole and byte-wise runs compare the two paths.
const char* ResponseHeadParser::fast_status_line(const char* data, const char* end) noexcept {
  if (end - data < 17 || std::memcmp(data, "HTTP/1.", 7) != 0) return nullptr;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(data[7]) || data[8] != ' ' || !digit(data[9]) || !digit(data[10]) ||
      !digit(data[11]) || data[12] != ' ') {
    return nullptr;
  }
  const int status = (data[9] - '0') * 100 + (data[10] - '0') * 10 + (data[11] - '0');
  if (status < 100 || status > 599) return nullptr;
  const char* cr = detail::find_field_value_end(data + 13, end, data);
  if (end - cr < 2 || cr[0] != '\r' || cr[1] != '\n') return nullptr;
  head_.version_minor = static_cast<std::uint8_t>(data[7] - '0');
  head_.status = static_cast<std::uint16_t>(status);
  status_offset_ = 9;
  section_ = Section::reason;
  if (cr != data + 13) head_.reason = Span{13, static_cast<std::uint32_t>(cr - data - 13)};
  return cr + 1;  // consumed_ follows fields_ from here (end_fields)
}

bool ResponseHeadParser::end_status_code(const char*, const char*) noexcept {
  // RFC 9110 §15: "All valid status codes are within the range of 100 to 599, inclusive."
  if (head_.status < 100 || head_.status > 599) {
    fail(Error::bad_status_code, status_offset_);
    return false;
  }
  section_ = Section::reason;
  return true;
}

void ResponseHeadParser::end_status_line(const char* data, const char* p) noexcept {
  const std::uint32_t lf = detail::offset(data, p);
  if (head_.reason.offset != 0) head_.reason.length = lf - 1 - head_.reason.offset;
  in_fields_ = true;
  consumed_ = lf + 1;
  fields_.begin_response_fields(lf + 1);
}

// The machine failed on byte `p`. Name the error from the byte and where the machine was.
void ResponseHeadParser::on_syntax_error(const char* data, const char* p) noexcept {
  const std::uint32_t at = detail::offset(data, p);
  const auto c = static_cast<unsigned char>(*p);
  // A CR is valid only as the start of CRLF, so any failure right after one is a bare CR.
  if (at > 0 && data[at - 1] == '\r') {
    fail(Error::bare_cr, at - 1);
    return;
  }
  if (c == '\n') {
    fail(Error::bare_lf, at);
    return;
  }
  switch (section_) {
    case Section::version:
      fail(Error::bad_version, at);
      return;
    case Section::after_version:
      fail(Error::bad_status_line, at);  // the SP after the version is missing
      return;
    case Section::status: {
      // Fewer than three digits, or a non-digit among them, or a fourth digit: a bad code.
      // Three digits followed by anything but SP ("HTTP/1.1 200\r\n"): the SP is missing.
      const bool code = at - status_offset_ < 3 || (c >= '0' && c <= '9');
      fail(code ? Error::bad_status_code : Error::bad_status_line, at);
      return;
    }
    case Section::reason:
      fail(Error::bad_reason_phrase, at);
      return;
  }
}

}  // namespace httpfsm
