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
    // The shift promotes a 16-bit Word to int; narrowing back is exact (the byte fits).
    w = static_cast<Word>(w | (std::endian::native == std::endian::little
                                   ? byte << (8 * i)
                                   : byte << (8 * (sizeof(Word) - 1 - i))));
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
  if (end >= limits_.max_head) return clear_limit();
  limit_end_ = end;
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
  if (known >= 0) {
    const auto k = static_cast<KnownField>(known);
    auto& first = head_.first[static_cast<std::size_t>(known)];
    if (first == RequestHead::kAbsent) first = static_cast<std::uint16_t>(index);
    // User-Agent and Accept-Encoding are only indexed; the others carry framing rules.
    if (k != KnownField::user_agent && k != KnownField::accept_encoding) {
      note_known_field(data, index, k);
    }
  }
  name_done_ = false;
  line_start_ = cr + 2;
  set_limit(line_start_ + limits_.max_field_line, line_start_ + limits_.max_field_line,
            Error::field_too_long);
}

[[gnu::always_inline]] inline void HeadParser::end_field_line(const char* data,
                                                              const char* p) noexcept {
  store_field(data, name_start_, name_end_, value_start_, detail::offset(data, p) - 1);
}

// The field line starting at `p` (a tchar): field-name ":" OWS field-value OWS CRLF, all
// before `pe` (the line's limit). Returns its LF, having recorded it, or nullptr.
[[gnu::always_inline]] inline const char* HeadParser::fast_field_line(const char* data,
                                                                      const char* p,
                                                                      const char* pe) noexcept {
  const char* q = detail::find_token_end(p + 1, pe, data);
  if (q == pe || *q != ':') return nullptr;
  const char* colon = q++;
  if (q != pe && *q == ' ') ++q;  // the usual single SP
  if (q != pe && (*q == ' ' || *q == '\t')) [[unlikely]] {
    while (q != pe && (*q == ' ' || *q == '\t')) ++q;
  }
  // As in the machine, an empty value sits right after the colon.
  const char* value = q == pe || *q == '\r' ? colon + 1 : q;
  q = detail::find_field_value_end(q, pe, data);
  if (pe - q < 2 || q[0] != '\r' || q[1] != '\n') return nullptr;
  store_field(data, detail::offset(data, p), detail::offset(data, colon),
              detail::offset(data, value), detail::offset(data, q));
  return q + 1;
}

// Field lines from `line` (the first byte of a line) on, each complete, valid and inside its
// limit, until one is not or a field rule fails. Returns the LF of the last line recorded,
// or nullptr if there was none. `end` is the end of the input.
inline const char* HeadParser::fast_field_lines(const char* data, const char* line,
                                                const char* end) noexcept {
  const char* last = nullptr;
  while (line != end && detail::kTchar[static_cast<unsigned char>(*line)] &&
         field_count_ < limits_.max_fields) {
    const char* pe =
        data + std::min(static_cast<std::size_t>(end - data), static_cast<std::size_t>(limit_end_));
    const char* lf = fast_field_line(data, line, pe);
    if (lf == nullptr) break;
    last = lf;
    if (error_ != Error::none) break;
    line = lf + 1;
  }
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
  end_request_line(data, lf);
  return lf;
}

}  // namespace httpfsm
