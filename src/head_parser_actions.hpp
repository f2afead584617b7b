// The HeadParser actions that run for every span of a head, defined inline so that the
// generated machine (grammar/request_machines.rl, which includes this header) can inline them
// into its transitions: a call per field line costs as much as the work it does. Internal;
// the rarer actions (request-line end, errors) stay in head_parser.cc.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "char_class.hpp"
#include "httpfsm/head_parser.hpp"
#include "machines.hpp"
#include "scan.hpp"
#include "simd_dispatch.hpp"

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

// A string literal as a template argument, so that the words a name is compared with are
// built at compile time for each name of the X-lists.
template <std::size_t N>
struct Literal {
  char s[N];
  consteval Literal(const char (&from)[N]) {  // NOLINT: implicit on purpose
    for (std::size_t i = 0; i < N; ++i) s[i] = from[i];
  }
  static constexpr std::size_t size = N - 1;  // without the NUL
};

// The word of `L` at byte `at`, case-folded like folded_equal when `fold`.
template <typename Word, Literal L, bool fold>
consteval Word literal_word(std::size_t at) {
  Word w = 0;
  for (std::size_t i = 0; i < sizeof(Word); ++i) {
    auto byte = static_cast<unsigned char>(L.s[at + i]);
    if (fold) byte = static_cast<unsigned char>(byte | 0x20);
    const std::size_t shift =
        std::endian::native == std::endian::little ? 8 * i : 8 * (sizeof(Word) - 1 - i);
    w = static_cast<Word>(w | static_cast<Word>(Word{byte} << shift));
  }
  return w;
}

// A name that ORing 0x20 compares correctly: letters, digits and "-" (see folded_equal).
template <Literal L>
consteval bool foldable() {
  for (std::size_t i = 0; i < L.size; ++i) {
    const char c = L.s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  }
  return true;
}

// Whether the L.size bytes at `p` equal `L` (ignoring ASCII case when `fold`), compared with
// the fewest word loads that cover the name: whole words, then one overlapping word for the
// tail. Every load stays inside the name.
template <Literal L, bool fold, typename Word, std::size_t... I>
[[gnu::always_inline]] inline bool words_equal(const char* p, std::index_sequence<I...>) {
  constexpr std::size_t n = L.size;
  constexpr std::size_t w = sizeof(Word);
  constexpr Word kFold = fold ? static_cast<Word>(0x2020202020202020ull) : Word{0};
  // Word I at I * w, except the last, which ends at the name's end.
  return ((((load<Word>(p + std::min(I * w, n - w)) | kFold) ==
            literal_word<Word, L, fold>(std::min(I * w, n - w)))) &&
          ...);
}
template <Literal L, bool fold>
[[gnu::always_inline]] inline bool literal_equal(const char* p) {
  constexpr std::size_t n = L.size;
  static_assert(n > 0);
  if constexpr (n >= 8) {
    return words_equal<L, fold, std::uint64_t>(p, std::make_index_sequence<(n + 7) / 8>{});
  } else if constexpr (n >= 4) {
    return words_equal<L, fold, std::uint32_t>(p, std::make_index_sequence<(n + 3) / 4>{});
  } else if constexpr (n >= 2) {
    return words_equal<L, fold, std::uint16_t>(p, std::make_index_sequence<(n + 1) / 2>{});
  } else {
    return words_equal<L, fold, std::uint8_t>(p, std::make_index_sequence<1>{});
  }
}

// The known field of length N that `n` names, or -1: only the list's names of that length
// are compared, so the switch below dispatches on the length once, as a hand-written
// classifier would.
template <std::size_t N>
[[gnu::always_inline]] inline int classify_field_name_of_length(const char* n) noexcept {
#define HTTPFSM_X(name, field_name, c_name, has_rules)                                 \
  if constexpr (sizeof(field_name) - 1 == N) {                                         \
    if (literal_equal<field_name, true>(n)) return static_cast<int>(KnownField::name); \
  }
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  return -1;
}

// Case labels 1..31, for switches over a name's length.
#define HTTPFSM_LENGTH_CASES(CASE) \
  CASE(1)                          \
  CASE(2)                          \
  CASE(3)                          \
  CASE(4)                          \
  CASE(5)                          \
  CASE(6)                          \
  CASE(7)                          \
  CASE(8)                          \
  CASE(9)                          \
  CASE(10)                         \
  CASE(11)                         \
  CASE(12)                         \
  CASE(13)                         \
  CASE(14)                         \
  CASE(15)                         \
  CASE(16)                         \
  CASE(17)                         \
  CASE(18)                         \
  CASE(19)                         \
  CASE(20)                         \
  CASE(21)                         \
  CASE(22)                         \
  CASE(23)                         \
  CASE(24)                         \
  CASE(25)                         \
  CASE(26)                         \
  CASE(27)                         \
  CASE(28)                         \
  CASE(29)                         \
  CASE(30)                         \
  CASE(31)

// The known field a name stands for, or -1. Expanded from HTTPFSM_KNOWN_FIELD_LIST: each name
// is compared with at most three word loads, all inside the name.
[[gnu::always_inline]] inline int classify_field_name(const char* n, std::size_t len) noexcept {
#define HTTPFSM_X(name, field_name, c_name, has_rules) \
  static_assert(sizeof(field_name) - 1 < 32 && foldable<field_name>(), field_name);
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  // Most names have none of the known lengths: one predictable test instead of a jump.
  constexpr std::uint32_t kLengths = 0
#define HTTPFSM_X(name, field_name, c_name, has_rules) | 1u << (sizeof(field_name) - 1)
      HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
      ;
  if (len >= 32 || ((kLengths >> len) & 1u) == 0) return -1;
  switch (len) {
#define HTTPFSM_CASE(N)                                                                    \
  case N:                                                                                  \
    if constexpr (((kLengths >> N) & 1u) != 0) return classify_field_name_of_length<N>(n); \
    break;
    HTTPFSM_LENGTH_CASES(HTTPFSM_CASE)
#undef HTTPFSM_CASE
    default:
      break;
  }
  return -1;
}

static_assert(kKnownFieldCount <= 32);
// Whether framing.cc applies rules to `k`. A chain of comparisons with the indexed-only
// fields rather than a shift of a bit mask: with callgrind on the bench corpora the
// shift cost about 2 instructions per request more on e_post.
constexpr bool has_rules(KnownField k) noexcept {
#define HTTPFSM_X(name, field_name, c_name, rules) \
  if (!(rules) && k == KnownField::name) return false;
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  return true;
}

// The method of length N that `m` is, or Method::other.
template <std::size_t N>
[[gnu::always_inline]] inline Method classify_method_of_length(const char* m) noexcept {
#define HTTPFSM_X(name, token, c_name, reference)            \
  if constexpr (sizeof(token) - 1 == N) {                    \
    if (literal_equal<token, false>(m)) return Method::name; \
  }
  HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  return Method::other;
}

// RFC 9110 §9.1: method names are case-sensitive. Expanded from HTTPFSM_METHOD_LIST.
[[gnu::always_inline]] inline Method classify_method(const char* m, std::size_t n) noexcept {
  constexpr std::uint32_t kLengths = 0
#define HTTPFSM_X(name, token, c_name, reference) | 1u << (sizeof(token) - 1)
      HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
      ;
#define HTTPFSM_X(name, token, c_name, reference) static_assert(sizeof(token) - 1 < 32, token);
  HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  switch (n) {
#define HTTPFSM_CASE(N)                                                                \
  case N:                                                                              \
    if constexpr (((kLengths >> N) & 1u) != 0) return classify_method_of_length<N>(m); \
    break;
    HTTPFSM_LENGTH_CASES(HTTPFSM_CASE)
#undef HTTPFSM_CASE
    default:
      break;
  }
  return Method::other;
}
#undef HTTPFSM_LENGTH_CASES

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
template <HeadParser::Side side>
[[gnu::always_inline]] inline void HeadParser::note_field(const char* data, std::uint32_t index,
                                                          int known) noexcept {
  auto& first = head_.first[static_cast<std::size_t>(known)];
  if (first == RequestHead::kAbsent) first = static_cast<std::uint16_t>(index);
  // Fields listed with has_rules = 0 are only indexed; the others carry framing rules.
  const auto k = static_cast<KnownField>(known);
  if (k == KnownField::host) return note_host<side>(data, index);
  if (detail::has_rules(k)) note_known_field(data, index, k);
}

// Field `index` is a Host line (RFC 9110 §7.2), here rather than in framing.cc with the other
// field rules because every request has one: a call would cost more than the check.
template <HeadParser::Side side>
[[gnu::always_inline]] inline void HeadParser::note_host(const char* data,
                                                         std::uint32_t index) noexcept {
  // Host is a request field; in a response it is only indexed.
  if (is_response<side>()) return;
  const Field& f = fields_[index];
  // RFC 9112 §3.2: 400 for "more than one Host header field line or a Host header field
  // with an invalid field value".
  if (++framing_.host_count > 1) return fail(Error::multiple_host, f.name.offset);
  // The common shape, a name or IPv4 address and a port, is checked inline (a value of at
  // most 16 bytes with one vector load: the bytes before it, from `data` on, may be read);
  // anything else goes through the full uri-host machine, which alone says what is invalid.
  const char* const v = data + f.value.offset;
  if (detail::is_simple_host(v, v + f.value.length, data)) return;
  std::size_t bad = 0;
  if (!detail::is_valid_host(v, v + f.value.length, &bad)) {
    return fail(Error::bad_host, f.value.offset + static_cast<std::uint32_t>(bad));
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
// input, clamped to the head limit (the invariant in head_parser.hpp). The machine reads whatever
// this declines, so it only has to be right when it accepts. `Scans`: the vector instruction set's
// scans (simd_dispatch.hpp).
template <class Scans, HeadParser::Side side>
[[gnu::always_inline]] inline const char* HeadParser::fast_field_lines_with(
    const char* data, const char* line, const char* end) noexcept {
  const char* const head_end = end;
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
    // A line whose name and colon fit a 32-byte window; the rest of a longer value is
    // scanned from the window's end. Near the end of the input (the last lines of most
    // heads) the window ends at `pe` instead and reaches back before the line: safe, since
    // those bytes lie in [data, pe), are readable, and their bits are shifted out. There
    // `end` is at most pe - line, and a line without CR LF before pe is declined below.
    typename Scans::ShortLine sl;
    const std::ptrdiff_t room = pe - line;
    if (Scans::kShortLine &&
        (room >= 32 ? Scans::short_field_line(line, &sl)
                    : pe - data >= 32 &&
                          Scans::short_field_line(line, &sl, static_cast<unsigned>(32 - room)))) {
      colon = line + sl.colon;
      cr = sl.end < 32 ? line + sl.end : Scans::find_field_value_end(line + 32, pe, data);
    } else {
      colon = Scans::find_token_end(line + 1, pe, data);
      // After the colon at least CR LF must fit before pe; that bounds the reads below.
      if (pe - colon < 3 || *colon != ':') break;
      const char* q = colon + 1;
      while (q != pe && (*q == ' ' || *q == '\t')) ++q;
      cr = Scans::find_field_value_end(q, pe, data);
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
      note_field<side>(data, count, known);
      if (error_ != Error::none) return cr + 1;
    }
    ++count;
    last = cr + 1;
    line = cr + 2;
  }
  field_count_ = static_cast<std::uint16_t>(count);
  // The next line's limit is the caller's to set (start_line), and only when the machine
  // goes on: most heads end right after the fast path's last line.
  return last;
}

// The request-line starting at `p` (a tchar) in its most common shape: method SP
// origin-form SP "HTTP/1." DIGIT CRLF, with method and target inside their limits and the
// line inside the head limit. `end` is the end of the input, clamped to the head limit (the
// invariant in head_parser.hpp). On success the line is recorded as the machine would record it
// (method, target, version; the caller sets the next line's limit with start_line if the machine
// goes on); on nullptr nothing was recorded.
template <class Scans>
[[gnu::always_inline]] inline const char* HeadParser::fast_request_line_with(
    const char* data, const char* p, const char* end) noexcept {
  const char* const pe = end;
  // The shortest line of this shape, "GET / HTTP/1.1" CRLF, is 16 bytes; this bounds the
  // method's word load below.
  if (pe - p < 16) return nullptr;
  const char* sp;
  Method method;
  if (detail::load<std::uint32_t>(p) == detail::word<std::uint32_t>("GET ")) {
    // The most common method as one word: "GET" is a token, and the SP ends it.
    sp = p + 3;
    method = Method::get;
  } else {
    sp = Scans::find_token_end(p + 1, pe, data);
    method = detail::classify_method(p, static_cast<std::size_t>(sp - p));
  }
  if (pe - sp < 2 || *sp != ' ' || sp[1] != '/') return nullptr;
  const char* target = sp + 1;
  // The root target "/" alone (health checks, a site's first request) needs no scan: the
  // vector scan's setup costs more than such a target (sp[2] is read only inside pe).
  const char* sp2 = pe - sp >= 3 && sp[2] == ' ' ? sp + 2 : Scans::skip_origin_form(target, pe) + 1;
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
  // What start_method, end_method, start_target and end_target record; their limits are
  // past (both spans are within theirs), so none is set.
  head_.method = Span{detail::offset(data, p), static_cast<std::uint32_t>(sp - p)};
  head_.method_id = method;
  head_.target = Span{detail::offset(data, target), static_cast<std::uint32_t>(sp2 - target)};
  head_.version_minor = static_cast<std::uint8_t>(sp2[8] - '0');
  const char* lf = sp2 + 10;
  if (method == Method::connect) {
    end_request_line(data, lf);  // fails: CONNECT needs authority-form (§3.2.3)
  } else {
    head_.target_form = TargetForm::origin;  // what end_request_line decides for "/..."
    section_ = Section::fields;  // the field section's first line: the caller's start_line
  }
  return lf;
}

// The same fast paths as the request_head machine's start_method action (see
// grammar/request_machines.rl), tried on the first byte of the message: each commits only a
// complete, valid line inside its limits, recorded as the machine would; whatever they
// decline, the machine reads from where they stopped, so the grammar still judges every
// byte they do not accept. A request-line after empty lines (RFC 9112 §2.2) is left to the
// machine, whose action tries the same paths there.
template <class Scans>
[[gnu::always_inline]] inline bool HeadParser::fast_head_with(const char* data,
                                                              const char* end) noexcept {
  if (!detail::kTchar[static_cast<unsigned char>(*data)]) return false;
  const char* lf = fast_request_line_with<Scans>(data, data, end);
  if (lf == nullptr) return false;  // nothing recorded: the machine starts over
  const char* p = lf;
  // The request-line's fast path may have failed it (CONNECT without authority-form).
  if (error_ == Error::none) {
    if (const char* more = fast_field_lines_with<Scans, Side::request>(data, lf + 1, end)) p = more;
  }
  return fast_head_end<Side::request>(data, p, end);
}

// The LF of the empty line that ends the head is at `p`. Inline, as the fast paths end here
// for most heads: a call would cost more than the work.
template <HeadParser::Side side>
[[gnu::always_inline]] inline void HeadParser::end_head(const char* data, const char* p) noexcept {
  head_.fields = std::span<const Field>(fields_.get(), field_count_);
  if (is_response<side>()) {
    progress_ = Progress::complete;  // ResponseHeadParser::finish_framing takes over
    return;
  }
  // The common request, HTTP/1.1 with its Host and no other field with framing or
  // persistence rules, needs nothing from finish_framing: the fresh head's defaults already
  // say what it would (RFC 9112 §6.3 item 7: no body; §9.3: persistent; no 100-continue).
  // A call would cost more than this check.
  if (!framing_.rules_seen && framing_.host_count != 0 && head_.version_minor >= 1) {
    progress_ = Progress::complete;
    return;
  }
  finish_framing(data, detail::offset(data, p) - 1);
  if (error_ == Error::none) progress_ = Progress::complete;
}

// The fast paths under the instruction set chosen at start (simd_dispatch.hpp). The default
// on a CPU with AVX2 takes the AVX2 call only for inputs long enough to repay it; a forced
// choice other than the baseline is one call away.
[[gnu::always_inline]] inline const char* HeadParser::fast_request_line(const char* data,
                                                                        const char* p,
                                                                        const char* end) noexcept {
  const detail::Simd simd = detail::simd();
  if (simd == detail::Simd::automatic) {
#if HTTPFSM_AVX2
    if (end - p >= detail::kAvx2MinInput) {
      return detail::SimdFastPaths::request_line_avx2(*this, data, p, end);
    }
#endif
  } else if (simd != detail::Simd::baseline) {
    return detail::SimdFastPaths::request_line_forced(simd, *this, data, p, end);
  }
  return fast_request_line_with<detail::BaselineScans>(data, p, end);
}

[[gnu::always_inline]] inline const char* HeadParser::fast_field_lines(const char* data,
                                                                       const char* line,
                                                                       const char* end) noexcept {
  const detail::Simd simd = detail::simd();
  if (simd == detail::Simd::automatic) {
#if HTTPFSM_AVX2
    if (end - line >= detail::kAvx2MinInput) {
      return detail::SimdFastPaths::field_lines_avx2(*this, data, line, end);
    }
#endif
  } else if (simd != detail::Simd::baseline) {
    return detail::SimdFastPaths::field_lines_forced(simd, *this, data, line, end);
  }
  return fast_field_lines_with<detail::BaselineScans>(data, line, end);
}

// After the fast path's last line (its LF at `lf`): the empty line that ends the head, if it
// is there, and then end_head. Returns the LF of the empty line, or nullptr. The empty line
// is inside the head limit because `end` is (the invariant in head_parser.hpp).
template <HeadParser::Side side>
[[gnu::always_inline]] inline const char* HeadParser::fast_end_of_head(const char* data,
                                                                       const char* lf,
                                                                       const char* end) noexcept {
  if (end - lf < 3 || detail::load<std::uint16_t>(lf + 1) != detail::word<std::uint16_t>("\r\n")) {
    return nullptr;
  }
  end_head<side>(data, lf + 2);
  return lf + 2;
}

[[gnu::always_inline]] inline bool HeadParser::fast_field_section(const char* data, const char* lf,
                                                                  const char* end) noexcept {
  const char* p = lf;
  if (error_ == Error::none) {
    if (const char* more = fast_field_lines(data, lf + 1, end)) p = more;
  }
  return fast_head_end<Side::response>(data, p, end);
}

// The fast paths' common end: the empty line if it follows `p` (the last LF read), then what
// parse() does after the machine, or the state the machine goes on from.
template <HeadParser::Side side>
[[gnu::always_inline]] inline bool HeadParser::fast_head_end(const char* data, const char* p,
                                                             const char* end) noexcept {
  if (error_ == Error::none) {
    if (const char* done = fast_end_of_head<side>(data, p, end)) p = done;
  }
  if (error_ != Error::none) {
    consumed_ = error_offset_;  // as parse() does after the machine
    return true;
  }
  consumed_ = detail::offset(data, p) + 1;
  if (progress_ == Progress::complete) return true;
  // The line after `p` is the start of a field line (or of the empty line): the state the
  // machine's action enters with fgoto field_section, with that line's limit set.
  cs_ = detail::head_field_section_state();
  start_line(consumed_);
  return false;
}

// Inline into ResponseHeadParser::parse: the call's register saves and restores cost about 20
// instructions per response (callgrind, r_small and r_304).
[[gnu::always_inline]] inline bool HeadParser::fast_response_fields(const char* data,
                                                                    const char* lf,
                                                                    const char* end) noexcept {
  response_ = true;
  section_ = Section::fields;
  return fast_field_section(data, lf, end);
}

}  // namespace httpfsm
