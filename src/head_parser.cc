// HeadParser outside the generated machine: construction, the resumable parse() loop, limits,
// the span actions and the naming of syntax errors. The machine itself is generated from
// grammar/request_machines.rl into the build tree; the framing rules live in framing.cc.
#include "httpfsm/head_parser.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "char_class.hpp"
#include "head_parser_actions.hpp"
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

constexpr unsigned form_bit(TargetForm f) { return 1u << static_cast<unsigned>(f); }

// A fresh head with no known field seen, built at compile time: reset() copies it whole
// (a few wide stores) rather than zeroing it and then filling `first`.
constexpr RequestHead fresh_head() noexcept {
  RequestHead h{};
  h.first.fill(RequestHead::kAbsent);
  return h;
}
constexpr RequestHead kFreshHead = fresh_head();
// end_head relies on these defaults for a request that needs no finish_framing.
static_assert(kFreshHead.framing == Framing::no_body && kFreshHead.keep_alive &&
              !kFreshHead.expect_continue);

}  // namespace

HeadParser::HeadParser(const Limits& limits)
    : limits_(sanitize(limits)), fields_(new Field[limits_.max_fields]) {
  reset();
}

HeadParser::~HeadParser() = default;

void HeadParser::reset() noexcept {
  head_ = kFreshHead;
  // The machine's state and limit are not set here: most messages never enter the machine,
  // and one that does is set up where it enters (parse(), begin_response_fields).
  // In the order of the members (head_parser.hpp): one run of memory, all zero.
  progress_ = Progress::need_more;
  error_ = Error::none;
  section_ = Section::start;
  name_done_ = false;
  target_forms_ = 0;
  response_ = false;
  field_count_ = 0;
  consumed_ = 0;
  error_offset_ = 0;
  line_start_ = name_start_ = name_end_ = value_start_ = 0;
  framing_ = FramingState{};
}

void HeadParser::begin_response_fields(std::uint32_t at) noexcept {
  response_ = true;
  cs_ = detail::head_field_section_state();
  section_ = Section::fields;
  consumed_ = at;
  start_line(at);
}

// The whole head through the fast paths, under the instruction set chosen at start
// (simd_dispatch.hpp), chosen once for the head: the AVX2 call (see fast_request_line) is taken
// at most once per message.
[[gnu::always_inline]] inline bool HeadParser::fast_head(const char* data,
                                                         const char* end) noexcept {
  const detail::Simd simd = detail::simd();
  if (simd == detail::Simd::automatic) {
#if HTTPFSM_AVX2
    if (end - data >= detail::kAvx2MinInput) {
      return detail::SimdFastPaths::head_avx2(*this, data, end);
    }
#endif
  } else if (simd != detail::Simd::baseline) {
    return detail::SimdFastPaths::head_forced(simd, *this, data, end);
  }
  return fast_head_with<detail::BaselineScans>(data, end);
}

Progress HeadParser::parse(std::span<const char> message) noexcept {
  if (progress_ != Progress::need_more) return progress_;
  // Nothing past the head limit is ever scanned, so a larger buffer is as good as a clamp.
  const std::size_t size = std::min<std::size_t>(message.size(), limits_.max_head);
  if (size <= consumed_) {
    // Entered at the head limit: a response's status-line ended on the limit's last byte, so
    // not even the empty line fits (the machine, which checks this, has nothing to read).
    if (consumed_ == limits_.max_head) fail(Error::head_too_large, consumed_);
    return progress_;
  }
  const char* data = message.data();
  // A message's first call: the whole head through the fast paths, without entering the
  // machine (its dispatch and the limits it sets per span cost more than a small head's
  // bytes). Response mode starts past its status-line, so consumed_ is never 0 there.
  if (consumed_ == 0) {
    if (fast_head(data, data + size)) return progress_;
    // Nothing recorded (consumed_ is still 0): the machine starts at the message's first
    // byte, with only the head limit. Otherwise fast_head set the state it stopped in.
    if (consumed_ == 0) {
      cs_ = detail::head_machine_start();
      clear_limit();
    }
  }
  return run_from(data, data + size);
}

Progress HeadParser::run_from(const char* data, const char* end) noexcept {
  run_machine(data, data + consumed_, end);
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
  start_line(offset(data, p) + 1);
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
  return find_field(fields, message, name);
}

const Field* find_field(std::span<const Field> fields, std::span<const char> message,
                        std::string_view name) noexcept {
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
