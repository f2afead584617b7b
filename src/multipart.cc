// MultipartParser (httpfsm/multipart.hpp): the C++ side of the multipart/form-data machine.
//
// Theory of operation. A body is text sections (preamble, content, epilogue) separated by
// delimiter lines. The delimiter is "\r\n--" + boundary, known only at run time, so the text
// sections are scanned here: memchr to the next CR, then a byte compare against the
// delimiter. The delimiter's only CR is its first byte (bchars hold no CR), so after a
// mismatch the next possible start is the next CR at or after the mismatching byte: no byte
// is compared twice. What follows a delimiter (transport padding, CRLF or "--") and a part's
// header section are read by the Ragel machine of grammar/multipart_machines.rl.
//
// parse() runs sections until it has an event to hand out, then returns it with the bytes
// consumed so far. Three things stay unconsumed: bytes that may begin a delimiter (matched_
// counts them), a header line not yet whole (scanned_ counts its bytes), and nothing else.
#include "httpfsm/multipart.hpp"

#include <algorithm>
#include <cstring>

#include "multipart_machines.hpp"
#include "parameters.hpp"

namespace httpfsm {

namespace {

struct ErrorInfo {
  std::string_view name;
  int status;
  std::string_view reference;
  std::string_view message;
};

constexpr ErrorInfo kErrors[] = {
#define HTTPFSM_X(name, status, reference, message) {#name, status, reference, message},
    HTTPFSM_MULTIPART_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

const ErrorInfo& info(MultipartError e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return kErrors[i < kMultipartErrorCount ? i : 0];
}

constexpr std::size_t kNoValue = static_cast<std::size_t>(-1);

}  // namespace

std::string_view multipart_error_name(MultipartError e) noexcept { return info(e).name; }
int multipart_error_status(MultipartError e) noexcept { return info(e).status; }
std::string_view multipart_error_reference(MultipartError e) noexcept { return info(e).reference; }
std::string_view multipart_error_message(MultipartError e) noexcept { return info(e).message; }

MultipartError check_boundary(std::string_view boundary) noexcept {
  if (boundary.empty()) return MultipartError::bad_boundary;
  if (boundary.size() > kMaxBoundary) return MultipartError::boundary_too_long;
  if (!detail::is_boundary_chars(boundary.data(), boundary.data() + boundary.size()))
    return MultipartError::bad_boundary;
  return MultipartError::none;
}

MultipartBoundary multipart_boundary(std::string_view content_type) noexcept {
  // RFC 9110 §8.3.1 media-type = type "/" subtype parameters; type and subtype are tokens,
  // compared case-insensitively. RFC 7578 §4: "multipart/form-data" with a boundary.
  const std::size_t type_size = detail::token_length(content_type);
  if (type_size == 0 || type_size == content_type.size() || content_type[type_size] != '/')
    return {MultipartError::bad_content_type, {}};
  const std::string_view rest = content_type.substr(type_size + 1);
  const std::size_t subtype_size = detail::token_length(rest);
  if (subtype_size == 0) return {MultipartError::bad_content_type, {}};
  if (!detail::iequals(content_type.substr(0, type_size), "multipart") ||
      !detail::iequals(rest.substr(0, subtype_size), "form-data"))
    return {MultipartError::not_form_data, {}};

  detail::ParameterReader reader(rest.substr(subtype_size), /*bws=*/false);
  detail::Parameter p;
  MultipartBoundary result{MultipartError::missing_boundary, {}};
  bool seen = false;
  while (reader.next(p)) {
    if (!detail::iequals(p.name, "boundary")) continue;
    // Two boundary parameters: a recipient picking either could be made to split the body
    // differently from another one, so neither is used.
    if (seen) return {MultipartError::missing_boundary, {}};
    seen = true;
    result = {check_boundary(p.value), p.value};
  }
  if (reader.failed()) return {MultipartError::bad_content_type, {}};
  if (result.error != MultipartError::none) result.boundary = {};
  return result;
}

MultipartParser::MultipartParser(const MultipartLimits& limits) noexcept : limits_(limits) {}

MultipartError MultipartParser::start(std::string_view boundary) noexcept {
  *this = MultipartParser(limits_);
  const MultipartError e = check_boundary(boundary);
  if (e != MultipartError::none) {
    error_ = e;
    return e;
  }
  std::memcpy(delimiter_, "\r\n--", 4);
  std::memcpy(delimiter_ + 4, boundary.data(), boundary.size());
  delimiter_size_ = 4 + boundary.size();
  error_ = MultipartError::none;
  section_ = Section::preamble;
  at_line_start_ = true;
  return e;
}

MultipartStep MultipartParser::fail(MultipartError e, std::uint64_t offset) noexcept {
  if (error_ == MultipartError::none) {
    error_ = e;
    error_offset_ = offset;
  }
  section_ = Section::failed;
  return {MultipartEvent::failed, 0, {}, {}, {}};
}

MultipartStep MultipartParser::parse(std::span<const char> input) noexcept {
  std::size_t total = 0;
  for (;;) {
    const char* data = input.data() + total;
    const std::size_t n = input.size() - total;
    MultipartStep s;
    switch (section_) {
      case Section::preamble:
        s = scan_text(data, n, MultipartEvent::preamble);
        break;
      case Section::content:
        s = scan_text(data, n, MultipartEvent::content);
        break;
      case Section::delimiter_tail:
      case Section::close_tail:
        s = run_tail(data, n);
        break;
      case Section::headers:
        s = run_headers(data, n);
        break;
      case Section::epilogue:
        if (n > 0) s = {MultipartEvent::epilogue, n, {data, n}, {}, {}};
        break;
      case Section::failed:
        return {MultipartEvent::failed, 0, {}, {}, {}};
    }
    if (s.event == MultipartEvent::failed) return s;
    offset_ += s.consumed;
    total += s.consumed;
    // need_more with bytes consumed is progress inside this call (padding, a preamble's
    // delimiter): go on while input remains.
    if (s.event == MultipartEvent::need_more && s.consumed > 0 && total < input.size()) continue;
    s.consumed = total;
    return s;
  }
}

MultipartStep MultipartParser::scan_text(const char* data, std::size_t n,
                                         MultipartEvent text) noexcept {
  const std::string_view delimiter(delimiter_, delimiter_size_);
  // A delimiter found at the front of the input, of `size` bytes: the text ends before it.
  const auto found = [this, text](std::size_t size) -> MultipartStep {
    matched_ = 0;
    at_line_start_ = false;
    section_ = Section::delimiter_tail;
    cs_ = detail::multipart_tail_start();
    if (text == MultipartEvent::preamble) return {MultipartEvent::need_more, size, {}, {}, {}};
    return {MultipartEvent::part_end, size, {}, {}, {}};
  };
  std::size_t pos = 0;  // bytes known to be text
  if (at_line_start_) {
    // The dash-boundary alone delimits here (no CRLF before it).
    const std::string_view dash_boundary = delimiter.substr(2);
    std::size_t m = matched_;
    while (m < dash_boundary.size() && m < n && data[m] == dash_boundary[m]) ++m;
    if (m == dash_boundary.size()) return found(m);
    if (m == n) {
      matched_ = m;
      return {};
    }
    // Mismatch at m: the matched bytes hold no CR, so the next delimiter starts at m or later.
    at_line_start_ = false;
    matched_ = 0;
    pos = m;
  } else if (matched_ > 0) {
    std::size_t m = matched_;
    while (m < delimiter.size() && m < n && data[m] == delimiter[m]) ++m;
    if (m == delimiter.size()) return found(m);
    if (m == n) {
      matched_ = m;
      return {};
    }
    matched_ = 0;
    pos = m;
  }
  for (;;) {
    const void* cr = pos < n ? std::memchr(data + pos, '\r', n - pos) : nullptr;
    if (cr == nullptr) {
      if (n == 0) return {};
      return {text, n, {data, n}, {}, {}};
    }
    const std::size_t i = static_cast<std::size_t>(static_cast<const char*>(cr) - data);
    std::size_t m = 1;
    while (m < delimiter.size() && i + m < n && data[i + m] == delimiter[m]) ++m;
    if (m == delimiter.size() || i + m == n) {
      // A delimiter, or its beginning at the end of the input: the text ends at i and the
      // matched bytes stay unconsumed, already compared.
      matched_ = m;
      if (i > 0) return {text, i, {data, i}, {}, {}};
      if (m == delimiter.size()) return found(m);
      return {};
    }
    pos = i + m;
  }
}

MultipartStep MultipartParser::run_tail(const char* data, std::size_t n) noexcept {
  machine_event_ = MultipartEvent::need_more;
  machine_error_ = false;
  const char* p = run_machine(data, data, data + n);
  const auto used = static_cast<std::size_t>(p - data);
  if (machine_error_) {
    return fail(section_ == Section::delimiter_tail ? MultipartError::bad_delimiter
                                                    : MultipartError::bad_close_delimiter,
                offset_ + used);
  }
  switch (machine_event_) {
    case MultipartEvent::part_begin:
      // The error points at the LF that would begin one part too many.
      if (parts_ >= limits_.max_parts)
        return fail(MultipartError::too_many_parts, offset_ + used - 1);
      ++parts_;
      section_ = Section::headers;
      scanned_ = header_bytes_ = 0;
      value_start_ = kNoValue;
      return {MultipartEvent::part_begin, used, {}, {}, {}};
    case MultipartEvent::done:
      section_ = Section::close_tail;
      return {MultipartEvent::done, used, {}, {}, {}};
    case MultipartEvent::epilogue:
      section_ = Section::epilogue;
      return {MultipartEvent::need_more, used, {}, {}, {}};
    default:
      return {MultipartEvent::need_more, used, {}, {}, {}};
  }
}

MultipartStep MultipartParser::run_headers(const char* data, std::size_t n) noexcept {
  // Invariant: header_bytes_ < max_part_header, so the budget is at least one byte.
  const std::size_t budget =
      limits_.max_part_header > header_bytes_ ? limits_.max_part_header - header_bytes_ : 0;
  const std::size_t stop = std::min(n, budget);
  machine_event_ = MultipartEvent::need_more;
  machine_error_ = false;
  const char* p = run_machine(data, data + std::min(scanned_, stop), data + stop);
  const auto used = static_cast<std::size_t>(p - data);
  if (machine_error_) return fail(MultipartError::bad_part_header, offset_ + used);
  if (machine_event_ == MultipartEvent::header) {
    MultipartStep s{MultipartEvent::header, used, {}, {data, name_end_}, {}};
    s.value = std::string_view(data + value_start_, value_end_ - value_start_);
    header_bytes_ += used;
    scanned_ = 0;
    value_start_ = kNoValue;
    return s;
  }
  if (machine_event_ == MultipartEvent::headers_end) {
    header_bytes_ += used;
    section_ = Section::content;
    at_line_start_ = true;
    matched_ = 0;
    return {MultipartEvent::headers_end, used, {}, {}, {}};
  }
  // Every byte up to the limit read and the section still open: over the limit.
  if (used >= budget) return fail(MultipartError::part_header_too_large, offset_ + used);
  scanned_ = used;
  return {};
}

void MultipartParser::on_field_name_end(const char* line, const char* p) noexcept {
  name_end_ = static_cast<std::size_t>(p - line);
}

void MultipartParser::on_value_start(const char* line, const char* p) noexcept {
  value_start_ = static_cast<std::size_t>(p - line);
}

void MultipartParser::on_field_line_end(const char* line, const char* p) noexcept {
  // p is the LF; the value ends before the CR, without the OWS before it (RFC 9112 §5:
  // field-line = field-name ":" OWS field-value OWS).
  const auto cr = static_cast<std::size_t>(p - line) - 1;
  if (value_start_ == kNoValue) value_start_ = cr;
  std::size_t end = cr;
  while (end > value_start_ && detail::is_ows(line[end - 1])) --end;
  value_end_ = end;
  machine_event_ = MultipartEvent::header;
}

MultipartError MultipartParser::finish() noexcept {
  if (section_ == Section::failed) return error_;
  if (section_ == Section::epilogue ||
      (section_ == Section::close_tail && cs_ == detail::multipart_close_start()))
    return MultipartError::none;
  if (section_ == Section::close_tail) {
    fail(MultipartError::bad_close_delimiter, offset_);
    return error_;
  }
  fail(MultipartError::missing_close_delimiter, offset_ + matched_);
  return error_;
}

}  // namespace httpfsm
