// HeadParser outside the generated machine: construction, the resumable parse() loop, limits,
// the span actions and the naming of syntax errors. The machine itself is generated from
// grammar/request_machines.rl into the build tree; the framing rules live in framing.cc.
#include "httpfsm/head_parser.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "char_class.hpp"
#include "machines.hpp"

namespace httpfsm {

namespace {

std::uint32_t offset(const char* data, const char* p) noexcept {
  return static_cast<std::uint32_t>(p - data);
}

// Limits below the minimum cannot hold any valid head; the field index is 16 bits with
// RequestHead::kAbsent reserved, and offsets are 32 bits.
Limits sanitize(Limits l) noexcept {
  l.max_method = std::max(l.max_method, kMinimumLimits.max_method);
  l.max_target = std::max(l.max_target, kMinimumLimits.max_target);
  l.max_field_line = std::max(l.max_field_line, kMinimumLimits.max_field_line);
  l.max_fields = std::clamp<std::uint32_t>(l.max_fields, kMinimumLimits.max_fields, 0xfffe);
  l.max_head = std::clamp<std::uint32_t>(l.max_head, kMinimumLimits.max_head, 0x7fffffff);
  l.max_trailer = std::clamp<std::uint32_t>(l.max_trailer, kMinimumLimits.max_trailer, 0x7fffffff);
  return l;
}

// RFC 9110 §9.1: method names are case-sensitive.
Method classify_method(const char* m, std::size_t n) noexcept {
  const auto is = [m, n](std::string_view name) {
    return n == name.size() && std::memcmp(m, name.data(), n) == 0;
  };
  switch (n) {
    case 3:
      if (is("GET")) return Method::get;
      if (is("PUT")) return Method::put;
      break;
    case 4:
      if (is("HEAD")) return Method::head;
      if (is("POST")) return Method::post;
      break;
    case 5:
      if (is("PATCH")) return Method::patch;
      if (is("TRACE")) return Method::trace;
      break;
    case 6:
      if (is("DELETE")) return Method::delete_;
      break;
    case 7:
      if (is("CONNECT")) return Method::connect;
      if (is("OPTIONS")) return Method::options;
      break;
    default:
      break;
  }
  return Method::other;
}

constexpr unsigned form_bit(TargetForm f) { return 1u << static_cast<unsigned>(f); }

}  // namespace

HeadParser::HeadParser(const Limits& limits)
    : limits_(sanitize(limits)), fields_(new Field[limits_.max_fields]) {
  reset();
}

HeadParser::~HeadParser() = default;

void HeadParser::reset() noexcept {
  head_ = RequestHead{};
  head_.first.fill(RequestHead::kAbsent);
  cs_ = detail::head_machine_start();
  progress_ = Progress::need_more;
  consumed_ = 0;
  clear_limit();
  error_ = Error::none;
  error_offset_ = 0;
  line_start_ = name_start_ = name_end_ = value_start_ = 0;
  field_count_ = 0;
  section_ = Section::start;
  name_done_ = false;
  target_forms_ = 0;
  framing_ = FramingState{};
}

Progress HeadParser::parse(std::span<const char> message) noexcept {
  if (progress_ != Progress::need_more) return progress_;
  // Nothing past the head limit is ever scanned, so a larger buffer is as good as a clamp.
  const std::size_t size = std::min<std::size_t>(message.size(), limits_.max_head);
  if (size <= consumed_) return progress_;
  const char* data = message.data();
  run_machine(data, data + consumed_, data + size);
  if (progress_ == Progress::complete) return progress_;
  // The machine stopped at a limit rather than at the end of the input: the byte there (or
  // for method and target, the byte before) is one past the limit. Stopping exactly at the
  // end of the input counts too, since no continuation could fit.
  if (error_ == Error::none && consumed_ == limit_end_) fail(limit_error_, limit_offset_);
  // Nothing at or after the offending byte counts as read. For method and target limits the
  // machine has read one byte past the offending one (to see whether it is the SP).
  if (error_ != Error::none) consumed_ = error_offset_;
  return progress_;
}

void HeadParser::fail(Error e, std::uint32_t at) noexcept {
  error_ = e;
  error_offset_ = at;
  progress_ = Progress::failed;
}

void HeadParser::set_limit(std::uint32_t end, std::uint32_t at, Error e) noexcept {
  // The head limit decides unless this limit's offending byte lies within the head. Method
  // and target limits stop one byte after that byte (end == at + 1), which may be exactly
  // max_head: the machine still stops there, and the error is this limit's.
  if (at >= limits_.max_head) return clear_limit();
  limit_end_ = std::min(end, limits_.max_head);
  limit_offset_ = at;
  limit_error_ = e;
}

void HeadParser::clear_limit() noexcept {
  limit_end_ = limits_.max_head;
  limit_offset_ = limits_.max_head;
  limit_error_ = Error::head_too_large;
}

void HeadParser::start_method(const char* data, const char* p) noexcept {
  section_ = Section::method;
  const std::uint32_t at = offset(data, p);
  head_.method.offset = at;
  // +1: the SP that ends a method of exactly max_method bytes must still be read.
  set_limit(at + limits_.max_method + 1, at + limits_.max_method, Error::method_too_long);
}

void HeadParser::end_method(const char* data, const char* p) noexcept {
  head_.method.length = offset(data, p) - head_.method.offset;
  head_.method_id = classify_method(data + head_.method.offset, head_.method.length);
  section_ = Section::after_method;
  clear_limit();
}

void HeadParser::start_target(const char* data, const char* p) noexcept {
  section_ = Section::target;
  const std::uint32_t at = offset(data, p);
  head_.target.offset = at;
  set_limit(at + limits_.max_target + 1, at + limits_.max_target, Error::target_too_long);
}

void HeadParser::end_target(const char* data, const char* p) noexcept {
  head_.target.length = offset(data, p) - head_.target.offset;
  section_ = Section::version;
  clear_limit();
}

void HeadParser::end_request_line(const char* data, const char* p) noexcept {
  // RFC 9112 §3.2: which target form is allowed depends on the method.
  const char first = data[head_.target.offset];
  const bool connect = head_.method_id == Method::connect;
  if (first == '/') {
    head_.target_form = TargetForm::origin;
  } else if (first == '*' && head_.target.length == 1) {
    head_.target_form = TargetForm::asterisk;  // §3.2.4: only for a server-wide OPTIONS
  } else if (connect && (target_forms_ & form_bit(TargetForm::authority))) {
    head_.target_form = TargetForm::authority;  // §3.2.3
  } else if (!connect && (target_forms_ & form_bit(TargetForm::absolute))) {
    head_.target_form = TargetForm::absolute;  // §3.2.2
  } else {
    return fail(Error::target_form_mismatch, head_.target.offset);
  }
  if (connect != (head_.target_form == TargetForm::authority) ||
      (head_.target_form == TargetForm::asterisk && head_.method_id != Method::options)) {
    return fail(Error::target_form_mismatch, head_.target.offset);
  }
  section_ = Section::fields;
  line_start_ = offset(data, p) + 1;
  set_limit(line_start_ + limits_.max_field_line, line_start_ + limits_.max_field_line,
            Error::field_too_long);
}

void HeadParser::start_field_name(const char* data, const char* p) noexcept {
  if (field_count_ == limits_.max_fields) return fail(Error::too_many_fields, offset(data, p));
  name_start_ = offset(data, p);
  name_done_ = false;
}

void HeadParser::end_field_name(const char* data, const char* p) noexcept {
  name_end_ = offset(data, p);
  name_done_ = true;
  value_start_ = name_end_ + 1;  // an empty value sits right after the colon
}

void HeadParser::end_field_line(const char* data, const char* p) noexcept {
  // `p` is the LF; trim the OWS before the CR (RFC 9112 §5: field-value OWS CRLF).
  std::uint32_t value_end = offset(data, p) - 1;
  while (value_end > value_start_ && (data[value_end - 1] == ' ' || data[value_end - 1] == '\t')) {
    --value_end;
  }
  const std::uint32_t index = field_count_++;
  fields_[index] =
      Field{{name_start_, name_end_ - name_start_}, {value_start_, value_end - value_start_}};
  note_known_field(data, index);
  name_done_ = false;
  line_start_ = offset(data, p) + 1;
  set_limit(line_start_ + limits_.max_field_line, line_start_ + limits_.max_field_line,
            Error::field_too_long);
}

void HeadParser::end_head(const char* data, const char* p) noexcept {
  head_.fields = std::span<const Field>(fields_.get(), field_count_);
  finish_framing(data, offset(data, p) - 1);
  if (error_ == Error::none) progress_ = Progress::complete;
}

// The machine failed on byte `p`. Name the error from the byte and where the machine was.
void HeadParser::on_syntax_error(const char* data, const char* p) noexcept {
  const std::uint32_t at = offset(data, p);
  const auto c = static_cast<unsigned char>(*p);
  // A CR is valid only as the start of CRLF, so any failure right after one is a bare CR.
  if (at > 0 && data[at - 1] == '\r') return fail(Error::bare_cr, at - 1);
  if (c == '\n') return fail(Error::bare_lf, at);
  // Whitespace or CR where a method or its SP was due: the line's shape is wrong. Any other
  // byte that is not a tchar makes the method itself invalid.
  const bool separator = c == ' ' || c == '\t' || c == '\r';
  switch (section_) {
    case Section::start:
    case Section::method:
      return fail(separator ? Error::bad_request_line : Error::bad_method, at);
    case Section::after_method:
      return fail(c == ' ' ? Error::bad_request_line : Error::bad_target, at);
    case Section::target:
      return fail(c == '\r' ? Error::bad_request_line : Error::bad_target, at);
    case Section::version:
      return fail(Error::bad_version, at);
    case Section::fields:
      return fail(name_done_ ? Error::bad_field_value : Error::bad_field_name, at);
  }
}

const Field* RequestHead::find(std::span<const char> message,
                               std::string_view name) const noexcept {
  for (const Field& f : fields) {
    if (iequals(text(message, f.name), name)) return &f;
  }
  return nullptr;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (detail::ascii_lower(static_cast<unsigned char>(a[i])) !=
        detail::ascii_lower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace httpfsm
