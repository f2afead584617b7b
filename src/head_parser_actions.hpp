// The HeadParser actions that run for every span of a head, defined inline so that the
// generated machine (grammar/request_machines.rl, which includes this header) can inline them
// into its transitions: a call per field line costs as much as the work it does. Internal;
// the rarer actions (request-line end, head end, errors) stay in head_parser.cc.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "char_class.hpp"
#include "httpfsm/head_parser.hpp"
#include "scan.hpp"

namespace httpfsm {

namespace detail {

inline std::uint32_t offset(const char* data, const char* p) noexcept {
  return static_cast<std::uint32_t>(p - data);
}

// The bytes of a literal as a word in memory order, to compare field names a word at a time.
// consteval: the constants must never be built at run time.
template <typename Word>
consteval Word word(std::string_view s) {
  Word w = 0;
  for (std::size_t i = 0; i < sizeof(Word); ++i) {
    const auto byte = static_cast<Word>(static_cast<unsigned char>(s[i]));
    // The shift promotes a 16-bit Word to int; the cast takes it back (-Wconversion).
    const std::size_t shift =
        std::endian::native == std::endian::little ? 8 * i : 8 * (sizeof(Word) - 1 - i);
    w = static_cast<Word>(w | static_cast<Word>(byte << shift));
  }
  return w;
}
template <typename Word>
inline Word load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}
// ORing 0x20 into every byte folds A-Z onto a-z. Field names are tokens, and the only tchar
// that folds onto a lower-case letter is its upper-case form; "-" and digits are unchanged.
template <typename Word>
[[gnu::always_inline]] inline bool folded_equal(const char* p, Word lower) {
  constexpr Word kFold = static_cast<Word>(0x2020202020202020ull);
  return (load<Word>(p) | kFold) == lower;
}

// The known field a name stands for, or -1. Names are compared with at most three word
// loads, all inside the name.
[[gnu::always_inline]] inline int classify_field_name(const char* n, std::size_t len) noexcept {
  using u16 = std::uint16_t;
  using u32 = std::uint32_t;
  using u64 = std::uint64_t;
  // Most names have none of the known lengths: one predictable test instead of a jump.
  constexpr std::uint32_t kLengths = 1u << 4 | 1u << 6 | 1u << 10 | 1u << 14 | 1u << 15 | 1u << 17;
  if (len >= 32 || ((kLengths >> len) & 1u) == 0) return -1;
  switch (len) {
    case 4:
      if (folded_equal<u32>(n, word<u32>("host"))) return static_cast<int>(KnownField::host);
      break;
    case 6:
      if (folded_equal<u32>(n, word<u32>("expe")) && folded_equal<u16>(n + 4, word<u16>("ct"))) {
        return static_cast<int>(KnownField::expect);
      }
      break;
    case 10:
      if (folded_equal<u64>(n, word<u64>("connecti")) &&
          folded_equal<u16>(n + 8, word<u16>("on"))) {
        return static_cast<int>(KnownField::connection);
      }
      if (folded_equal<u64>(n, word<u64>("user-age")) &&
          folded_equal<u16>(n + 8, word<u16>("nt"))) {
        return static_cast<int>(KnownField::user_agent);
      }
      break;
    case 14:
      if (folded_equal<u64>(n, word<u64>("content-")) &&
          folded_equal<u64>(n + 6, word<u64>("t-length"))) {
        return static_cast<int>(KnownField::content_length);
      }
      break;
    case 15:
      if (folded_equal<u64>(n, word<u64>("accept-e")) &&
          folded_equal<u64>(n + 7, word<u64>("encoding"))) {
        return static_cast<int>(KnownField::accept_encoding);
      }
      break;
    case 17:
      if (folded_equal<u64>(n, word<u64>("transfer")) &&
          folded_equal<u64>(n + 8, word<u64>("-encodin")) && (n[16] | 0x20) == 'g') {
        return static_cast<int>(KnownField::transfer_encoding);
      }
      break;
    default:
      break;
  }
  return -1;
}

// RFC 9110 §9.1: method names are case-sensitive.
[[gnu::always_inline]] inline Method classify_method(const char* m, std::size_t n) noexcept {
  using u32 = std::uint32_t;
  const auto is = [m](std::string_view name) {
    return std::memcmp(m, name.data(), name.size()) == 0;
  };
  switch (n) {
    case 3:
      if (m[0] == 'G' && m[1] == 'E' && m[2] == 'T') return Method::get;
      if (m[0] == 'P' && m[1] == 'U' && m[2] == 'T') return Method::put;
      break;
    case 4:
      if (load<u32>(m) == word<u32>("HEAD")) return Method::head;
      if (load<u32>(m) == word<u32>("POST")) return Method::post;
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

}  // namespace detail

[[gnu::always_inline]] inline void HeadParser::set_limit(std::uint32_t end, std::uint32_t at,
                                                         Error e) noexcept {
  // The head limit decides unless this limit's offending byte lies within the head. Method
  // and target limits stop one byte after that byte (end == at + 1), which may be exactly
  // max_head: the machine still stops there, and the error is this limit's.
  if (at >= limits_.max_head) return clear_limit();
  limit_end_ = std::min(end, limits_.max_head);
  limit_offset_ = at;
  limit_error_ = e;
}

[[gnu::always_inline]] inline void HeadParser::clear_limit() noexcept {
  limit_end_ = limits_.max_head;
  limit_offset_ = limits_.max_head;
  limit_error_ = Error::head_too_large;
}

[[gnu::always_inline]] inline void HeadParser::start_method(const char* data,
                                                            const char* p) noexcept {
  section_ = Section::method;
  const std::uint32_t at = detail::offset(data, p);
  head_.method.offset = at;
  // +1: the SP that ends a method of exactly max_method bytes must still be read.
  set_limit(at + limits_.max_method + 1, at + limits_.max_method, Error::method_too_long);
}

[[gnu::always_inline]] inline void HeadParser::end_method(const char* data,
                                                          const char* p) noexcept {
  head_.method.length = detail::offset(data, p) - head_.method.offset;
  head_.method_id = detail::classify_method(data + head_.method.offset, head_.method.length);
  section_ = Section::after_method;
  clear_limit();
}

[[gnu::always_inline]] inline void HeadParser::start_target(const char* data,
                                                            const char* p) noexcept {
  section_ = Section::target;
  const std::uint32_t at = detail::offset(data, p);
  head_.target.offset = at;
  set_limit(at + limits_.max_target + 1, at + limits_.max_target, Error::target_too_long);
}

[[gnu::always_inline]] inline void HeadParser::end_target(const char* data,
                                                          const char* p) noexcept {
  head_.target.length = detail::offset(data, p) - head_.target.offset;
  section_ = Section::version;
  clear_limit();
}

[[gnu::always_inline]] inline void HeadParser::start_field_name(const char* data,
                                                                const char* p) noexcept {
  if (field_count_ == limits_.max_fields)
    return fail(Error::too_many_fields, detail::offset(data, p));
  name_start_ = detail::offset(data, p);
  name_done_ = false;
}

[[gnu::always_inline]] inline void HeadParser::end_field_name(const char* data,
                                                              const char* p) noexcept {
  name_end_ = detail::offset(data, p);
  name_done_ = true;
  value_start_ = name_end_ + 1;  // an empty value sits right after the colon
}

// Records a field line whose name is [name_start, name_end) and whose value starts at
// value_start and ends, OWS included, at the CR at `cr`; applies the known fields' rules.
[[gnu::always_inline]] inline void HeadParser::store_field(const char* data,
                                                           std::uint32_t name_start,
                                                           std::uint32_t name_end,
                                                           std::uint32_t value_start,
                                                           std::uint32_t cr) noexcept {
  // Trim the OWS before the CR (RFC 9112 §5: field-value OWS CRLF); most values end at it.
  std::uint32_t value_end = cr;
  if (data[value_end - 1] == ' ' || data[value_end - 1] == '\t') [[unlikely]] {
    while (value_end > value_start && (data[value_end - 1] == ' ' || data[value_end - 1] == '\t')) {
      --value_end;
    }
  }
  const std::uint32_t index = field_count_++;
  fields_[index] =
      Field{{name_start, name_end - name_start}, {value_start, value_end - value_start}};
  const int known = detail::classify_field_name(data + name_start, name_end - name_start);
  if (known >= 0) note_field(data, index, known);
}

// Field `index` is the known field `known`: index it, and apply its rules.
[[gnu::always_inline]] inline void HeadParser::note_field(const char* data, std::uint32_t index,
                                                          int known) noexcept {
  auto& first = head_.first[static_cast<std::size_t>(known)];
  if (first == RequestHead::kAbsent) first = static_cast<std::uint16_t>(index);
  // User-Agent and Accept-Encoding are only indexed; the others carry framing rules.
  const auto k = static_cast<KnownField>(known);
  if (k != KnownField::user_agent && k != KnownField::accept_encoding) {
    note_known_field(data, index, k);
  }
}

// The next line starts at `line_start`: limit it (RFC 6585 §5, Limits::max_field_line).
[[gnu::always_inline]] inline void HeadParser::start_line(std::uint32_t line_start) noexcept {
  name_done_ = false;
  line_start_ = line_start;
  set_limit(line_start + limits_.max_field_line, line_start + limits_.max_field_line,
            Error::field_too_long);
}

[[gnu::always_inline]] inline void HeadParser::end_field_line(const char* data,
                                                              const char* p) noexcept {
  store_field(data, name_start_, name_end_, value_start_, detail::offset(data, p) - 1);
  start_line(detail::offset(data, p) + 1);
}

// Field lines from `line` (the first byte of a line) on, each complete, valid and inside its
// limits -- field-name ":" OWS field-value OWS CRLF within Limits::max_field_line and the
// head limit -- until one is not, the field count is reached or a field rule fails. Returns
// the LF of the last line recorded, or nullptr if there was none. `end` is the end of the
// input. The machine reads whatever this declines, so it only has to be right when it
// accepts.
inline const char* HeadParser::fast_field_lines(const char* data, const char* line,
                                                const char* end) noexcept {
  const char* const head_end = data + std::min(static_cast<std::size_t>(end - data),
                                               static_cast<std::size_t>(limits_.max_head));
  // Locals, not members, in the loop: the known-field rules are an out-of-line call, after
  // which the compiler would reload every member it cannot prove unchanged.
  const std::ptrdiff_t max_line = limits_.max_field_line;
  const std::uint32_t max_fields = limits_.max_fields;
  Field* const fields = fields_.get();
  std::uint32_t count = field_count_;
  const char* last = nullptr;
  while (count < max_fields && line < head_end &&
         detail::kTchar[static_cast<unsigned char>(*line)]) {
    const char* const pe = head_end - line > max_line ? line + max_line : head_end;
    const char* colon;
    const char* cr;
#if HTTPFSM_SSE2
    // A line whose name and colon fit a 32-byte window; the rest of a longer value is
    // scanned from the window's end.
    detail::ShortLine sl;
    if (pe - line > 32 && detail::short_field_line(line, &sl)) {
      colon = line + sl.colon;
      cr = sl.end < 32 ? line + sl.end : detail::find_field_value_end(line + 32, pe, data);
    } else
#endif
    {
      colon = detail::find_token_end(line + 1, pe, data);
      // After the colon at least CR LF must fit before pe; that bounds the reads below.
      if (pe - colon < 3 || *colon != ':') break;
      const char* q = colon + 1;
      while (q != pe && (*q == ' ' || *q == '\t')) ++q;
      cr = detail::find_field_value_end(q, pe, data);
    }
    // The value ends at CR LF; a tab, a control byte or a bare CR there: the long way.
    if (pe - cr < 2 || detail::load<std::uint16_t>(cr) != detail::word<std::uint16_t>("\r\n"))
      break;
    // OWS around the value (RFC 9112 §5); an empty value sits right after the colon.
    const char* v = colon + 1 + (colon[1] == ' ');  // the usual single SP
    if (*v == ' ' || *v == '\t') [[unlikely]] {
      while (*v == ' ' || *v == '\t') ++v;  // the CR stops it
    }
    const std::uint32_t name_at = detail::offset(data, line);
    const std::uint32_t colon_at = detail::offset(data, colon);
    std::uint32_t value_at = colon_at + 1;  // an empty value sits right after the colon
    std::uint32_t value_end = value_at;
    if (v != cr) {
      const char* e = cr;
      if (e[-1] == ' ' || e[-1] == '\t') [[unlikely]] {
        while (e[-1] == ' ' || e[-1] == '\t') --e;  // stops at the value's last vchar
      }
      value_at = detail::offset(data, v);
      value_end = detail::offset(data, e);
    }
    fields[count] = Field{{name_at, colon_at - name_at}, {value_at, value_end - value_at}};
    const int known = detail::classify_field_name(line, colon_at - name_at);
    if (known >= 0) [[unlikely]] {
      field_count_ = static_cast<std::uint16_t>(count + 1);
      note_field(data, count, known);
      if (error_ != Error::none) return cr + 1;
    }
    ++count;
    last = cr + 1;
    line = cr + 2;
  }
  field_count_ = static_cast<std::uint16_t>(count);
  if (last != nullptr) start_line(detail::offset(data, last) + 1);
  return last;
}

// The request-line starting at `p` (a tchar the machine has read) in its most common shape:
// method SP origin-form SP "HTTP/1." DIGIT CRLF, with method and target inside their limits
// and the line inside the head limit. `end` is the end of the input.
[[gnu::always_inline]] inline const char* HeadParser::fast_request_line(const char* data,
                                                                        const char* p,
                                                                        const char* end) noexcept {
  const char* pe = data + std::min(static_cast<std::size_t>(end - data),
                                   static_cast<std::size_t>(limits_.max_head));
  const char* sp = detail::find_token_end(p + 1, pe, data);
  if (pe - sp < 2 || *sp != ' ' || sp[1] != '/') return nullptr;
  const char* target = sp + 1;
  const char* sp2 = detail::skip_origin_form(target, pe) + 1;
  // " HTTP/1." as one word, then DIGIT CRLF.
  if (pe - sp2 < 11 ||
      detail::load<std::uint64_t>(sp2) != detail::word<std::uint64_t>(" HTTP/1.") ||
      !detail::is_digit(static_cast<unsigned char>(sp2[8])) || sp2[9] != '\r' || sp2[10] != '\n') {
    return nullptr;
  }
  if (static_cast<std::size_t>(sp - p) > limits_.max_method ||
      static_cast<std::size_t>(sp2 - target) > limits_.max_target) {
    return nullptr;  // the machine reports the limit at the right byte
  }
  end_method(data, sp);
  start_target(data, target);
  end_target(data, sp2);
  head_.version_minor = static_cast<std::uint8_t>(sp2[8] - '0');
  const char* lf = sp2 + 10;
  if (head_.method_id == Method::connect) {
    end_request_line(data, lf);  // fails: CONNECT needs authority-form (§3.2.3)
  } else {
    head_.target_form = TargetForm::origin;  // what end_request_line decides for "/..."
    section_ = Section::fields;
    start_line(detail::offset(data, lf) + 1);
  }
  return lf;
}

// After the fast path's last line (its LF at `lf`): the empty line that ends the head, if it
// is there, and then end_head. Returns the LF of the empty line, or nullptr.
[[gnu::always_inline]] inline const char* HeadParser::fast_end_of_head(const char* data,
                                                                       const char* lf,
                                                                       const char* end) noexcept {
  if (end - lf < 3 || detail::load<std::uint16_t>(lf + 1) != detail::word<std::uint16_t>("\r\n") ||
      detail::offset(data, lf + 3) > limits_.max_head) {
    return nullptr;
  }
  end_head(data, lf + 2);
  return lf + 2;
}

}  // namespace httpfsm
