// Fast skips over the long runs of a request head: the origin-form target, field names and
// field values. Each is called from a Ragel action on the transition into a state that loops
// on exactly the bytes the skip accepts, and returns the last byte it accepted; the machine
// then continues from the same state with the byte after it, so skipping changes speed, never
// the outcome. (Checked: feeding one byte at a time leaves the skips nothing to skip, and
// every test and fuzz target compares that run with the whole-buffer run.)
//
// SIMD: SSE2 (x86-64) and NEON (AArch64) are baselines, compiled in; AVX2 is chosen at run time
// (scan_avx2.hpp, simd_dispatch.hpp); any other target uses the scalar loops, the reference.
// Loads never cross `end`: the vector loops stop 16 bytes short and the scalar tail finishes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "char_class.hpp"

#if defined(__SSE2__) && !defined(HTTPFSM_SCALAR_ONLY)
#include <emmintrin.h>
#define HTTPFSM_SSE2 1
#elif defined(__aarch64__) && defined(__ARM_NEON) && !defined(HTTPFSM_SCALAR_ONLY)
#include <arm_neon.h>
#define HTTPFSM_NEON 1
#endif

namespace httpfsm::detail {

inline const char* scan_table(const char* p, const char* end, const ByteTable& t) noexcept {
  // Unrolled by four: the loop-carried dependency is only the pointer.
  while (end - p >= 4) {
    if (!t[static_cast<unsigned char>(p[0])]) return p;
    if (!t[static_cast<unsigned char>(p[1])]) return p + 1;
    if (!t[static_cast<unsigned char>(p[2])]) return p + 2;
    if (!t[static_cast<unsigned char>(p[3])]) return p + 3;
    p += 4;
  }
  while (p < end && t[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

#if HTTPFSM_SSE2
inline int first_set(unsigned mask) { return __builtin_ctz(mask); }

// x in [lo, hi] as unsigned bytes: min/max clamp is the identity exactly on the range.
inline __m128i in_range(__m128i x, unsigned char lo, unsigned char hi) {
  const __m128i clamped = _mm_max_epu8(_mm_min_epu8(x, _mm_set1_epi8(static_cast<char>(hi))),
                                       _mm_set1_epi8(static_cast<char>(lo)));
  return _mm_cmpeq_epi8(clamped, x);
}
// The same with an add and one signed comparison: adding 0x80 - lo moves lo to -128, so
// [lo, hi] becomes [-128, hi - lo - 128], and no byte outside it lands there (the add is a
// bijection on bytes). Requires lo <= hi.
inline __m128i in_range_signed(__m128i x, unsigned char lo, unsigned char hi) {
  const __m128i biased = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
  return _mm_cmplt_epi8(biased, _mm_set1_epi8(static_cast<char>(hi - lo - 127)));
}
inline __m128i equal(__m128i x, unsigned char c) {
  return _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(c)));
}
#endif

#if HTTPFSM_SSE2
// The last 16 bytes before `end` when fewer than 16 remain after `p` but at least 16 lie
// in [lo, end): one overlapping load instead of a scalar tail. Bits for bytes before `p`
// are shifted out. Safety: the load reads [end - 16, end), all inside [lo, end).
inline bool tail_load(const char* p, const char* end, const char* lo, __m128i* x, unsigned* shift) {
  if (end - lo < 16 || end == p) return false;
  *x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
  *shift = static_cast<unsigned>(16 - (end - p));
  return true;
}

inline __m128i field_value_stop(__m128i x) {
  // x <= 0x1f (max(x, 0x1f) == 0x1f) or DEL. HTAB is valid but stops the vector too; the
  // caller steps over it (rare, and two operations fewer per 16 bytes).
  const __m128i k1f = _mm_set1_epi8(0x1f);
  return _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, k1f), k1f), equal(x, 0x7f));
}
#endif

// Returns the first byte in [p, end) that is not a field-value byte (RFC 9110 §5.5: HTAB,
// SP, VCHAR, obs-text), or `end`. Bytes in [lo, p) may be read too (lo <= p), which lets
// the last bytes before `end` be tested with one overlapping load instead of a scalar tail.
inline const char* find_field_value_end(const char* p, const char* end,
                                        const char* lo = nullptr) noexcept {
#if HTTPFSM_SSE2
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(field_value_stop(x)));
    if (mask == 0) {
      p += 16;
      continue;
    }
    p += first_set(mask);
    if (*p != '\t') return p;
    ++p;
  }
  __m128i x;
  unsigned shift;
  if (lo != nullptr && tail_load(p, end, lo, &x, &shift)) {
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(field_value_stop(x))) >> shift;
    if (mask == 0) return end;
    p += first_set(mask);
    if (*p != '\t') return p;
    ++p;  // a tab in the tail: the table finishes
  }
#elif HTTPFSM_NEON
  while (end - p >= 16) {
    const uint8x16_t x = vld1q_u8(reinterpret_cast<const uint8_t*>(p));
    const uint8x16_t ctl =
        vandq_u8(vcltq_u8(x, vdupq_n_u8(0x20)), vmvnq_u8(vceqq_u8(x, vdupq_n_u8('\t'))));
    const uint8x16_t bad = vorrq_u8(ctl, vceqq_u8(x, vdupq_n_u8(0x7f)));
    if (vmaxvq_u8(bad) != 0) break;  // the scalar loop finds the exact byte
    p += 16;
  }
#endif
  (void)lo;
  return scan_table(p, end, kFieldValueByte);
}

#if HTTPFSM_SSE2
// Bytes that are letters, digits or "-": almost every byte of a field name.
inline unsigned token_fast_mask(__m128i x) {
  const __m128i alpha = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i ok = _mm_or_si128(_mm_or_si128(alpha, in_range(x, '0', '9')), equal(x, '-'));
  return static_cast<unsigned>(_mm_movemask_epi8(ok)) ^ 0xffffu;
}
#endif

// Returns the first byte in [p, end) that is not a tchar (RFC 9110 §5.6.2), or `end`.
// Bytes in [lo, p) may be read too (lo <= p), as in find_field_value_end.
inline const char* find_token_end(const char* p, const char* end,
                                  const char* lo = nullptr) noexcept {
#if HTTPFSM_SSE2
  // Test the common bytes 16 at a time, and let the table judge the byte that stops the
  // vector (one of the rarer tchars, or the end of the name).
  while (end - p >= 16) {
    const unsigned mask = token_fast_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    if (mask == 0) {
      p += 16;
      continue;
    }
    p += first_set(mask);
    if (!kTchar[static_cast<unsigned char>(*p)]) return p;
    ++p;
  }
  __m128i x;
  unsigned shift;
  if (lo != nullptr && tail_load(p, end, lo, &x, &shift)) {
    const unsigned mask = token_fast_mask(x) >> shift;
    if (mask == 0) return end;
    p += first_set(mask);
    if (!kTchar[static_cast<unsigned char>(*p)]) return p;
    ++p;  // a rarer tchar in the tail: the table finishes
  }
#endif
  (void)lo;
  return scan_table(p, end, kTchar);
}

// Returns the first byte in [p, end) that is not one of kOriginByte, or `end`.
inline const char* find_origin_run_end(const char* p, const char* end) noexcept {
#if HTTPFSM_SSE2
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Outside "!".."~", or one of the printable bytes that are neither pchar, "/" nor "?":
    // " # % < > [ \ ] ^ ` { | }. Grouped so that each group is one or two operations:
    // clearing bit 0 maps "#" onto "\"", clearing bit 1 maps ">" onto "<", and clearing
    // bit 5 maps "{" "|" "}" onto "[" "\" "]" (and "~" onto "^", hence "^" alone).
    // "!".."~" is one signed comparison after a bias that moves 0x21 to -128.
    const __m128i biased = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - 0x21)));
    __m128i bad = _mm_cmpgt_epi8(biased, _mm_set1_epi8(static_cast<char>(0x80 - 0x21 + 0x7e)));
    bad = _mm_or_si128(bad, equal(_mm_and_si128(x, _mm_set1_epi8(~0x01)), 0x22));  // " #
    bad = _mm_or_si128(bad, equal(x, 0x25));                                       // %
    bad = _mm_or_si128(bad, equal(_mm_and_si128(x, _mm_set1_epi8(~0x02)), 0x3c));  // < >
    bad = _mm_or_si128(bad, in_range(_mm_and_si128(x, _mm_set1_epi8(~0x20)), 0x5b, 0x5d));
    bad = _mm_or_si128(bad, equal(x, 0x5e));  // ^
    bad = _mm_or_si128(bad, equal(x, 0x60));  // `
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(bad));
    if (mask != 0) return p + first_set(mask);
    p += 16;
  }
#endif
  return scan_table(p, end, kOriginByte);
}

// Returns the first byte in [p, end) that is not unreserved (RFC 3986 §2.3), or `end`: the
// common shape of a Host value before its port.
inline const char* find_unreserved_end(const char* p, const char* end) noexcept {
#if HTTPFSM_SSE2
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i alpha = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i digit_dash_dot = in_range(x, '-', '9');  // "-" "." "/" 0-9
    const __m128i ok =
        _mm_or_si128(_mm_or_si128(alpha, _mm_andnot_si128(equal(x, '/'), digit_dash_dot)),
                     _mm_or_si128(equal(x, '_'), equal(x, '~')));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(ok)) ^ 0xffffu;
    if (mask != 0) return p + first_set(mask);
    p += 16;
  }
#endif
  return scan_table(p, end, kUnreserved);
}

// Whether [p, end) is unreserved bytes then optionally ":" and DIGITs: the common shape of a
// Host value (a name or IPv4 address and a port), a subset of RFC 9110 §7.2 uri-host
// [ ":" port ]. False means "not this shape", never "invalid": the caller then runs the full
// uri-host machine. Bytes in [lo, p) may be read too (lo <= p), which lets a value of at
// most 16 bytes be judged with one load ending at `end`.
[[gnu::always_inline]] inline bool is_simple_host(const char* p, const char* end,
                                                  const char* lo) noexcept {
#if HTTPFSM_SSE2
  const auto n = static_cast<unsigned>(end - p);
  if (n <= 16 && end - lo >= 16) {
    if (n == 0) return true;
    // Safety: the load reads [end - 16, end), inside [lo, end); bit i is byte end - 16 + i,
    // and the bits of the bytes before p are shifted out.
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
    // Unreserved: letters, "-" "." and digits (one range without "/"), "_" and "~". Ranges
    // as one signed comparison each (in_range_signed), fewer operations than in_range's.
    const __m128i alpha = in_range_signed(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i dash_dot_digit = _mm_andnot_si128(equal(x, '/'), in_range_signed(x, '-', '9'));
    const __m128i ok = _mm_or_si128(_mm_or_si128(alpha, dash_dot_digit),
                                    _mm_or_si128(equal(x, '_'), equal(x, '~')));
    const unsigned shift = 16 - n;
    const unsigned bad = (static_cast<unsigned>(_mm_movemask_epi8(ok)) ^ 0xffffu) >> shift;
    if (bad == 0) return true;
    // The first byte that is not unreserved must be the colon, and every byte after it a
    // digit (digits are unreserved, so none of them is before it in `bad`).
    const auto c = static_cast<unsigned>(first_set(bad));
    const unsigned colon = static_cast<unsigned>(_mm_movemask_epi8(equal(x, ':'))) >> shift;
    const unsigned non_digit =
        (static_cast<unsigned>(_mm_movemask_epi8(in_range_signed(x, '0', '9'))) ^ 0xffffu) >> shift;
    return ((colon >> c) & 1u) != 0 && (non_digit >> c >> 1) == 0;
  }
#endif
  (void)lo;
  const char* q = find_unreserved_end(p, end);
  if (q != end && *q == ':') {
    ++q;
    while (q != end && is_digit(static_cast<unsigned char>(*q))) ++q;
  }
  return q == end;
}

#if HTTPFSM_SSE2
// One 32-byte window at the start of a field line, judged in one pass of independent vector
// operations: where the first CR, and the first colon before it, are, and whether the name
// (the bytes before the colon) is letters, digits and "-" only and the value (between the
// colon and the CR) holds only field-value bytes. Short lines, the common case, are then
// read without a chain of dependent scans, each waiting for the previous one's result; that
// chain, not the instruction count, bounded the loop. (Measured: a 64-byte window, alone or
// as a second try, was slower than this on the bench corpora.)
struct ShortLine {
  unsigned colon;  // offset of the colon
  unsigned end;    // offset of the first byte that is no field-value byte, or 32
};
// Precondition: 32 bytes are readable at `line - skip` (skip < 32): the window is
// [line - skip, line - skip + 32), of which only the 32 - skip bytes from `line` on are
// judged, so that a line near the end of the input is still read in one pass (an
// overlapping load ending at the input's end rather than a scalar scan). Returns false when
// the window does not hold a start of a line it can judge (the caller then reads it the
// long way). On true, the name (before the colon) is letters, digits and "-", and every byte
// from the colon to `end` is a field-value byte other than HTAB. When the line is valid,
// `end` is its CR; the caller checks for CR LF there (a tab, a control byte or a bare CR
// there sends it the long way), or, when `end` is 32, scans the rest of the value from
// line + 32, an address known before this function's result, so the two overlap. With a
// skip, `end` is at most 32 - skip: no stop in the window puts it at the window's end, one
// past the last byte judged, where no CR LF can be seen.
inline bool short_field_line(const char* line, ShortLine* out, unsigned skip = 0) noexcept {
  const char* const w = line - skip;
  const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w));
  const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 16));
  // Bit i is byte line + i; the bits of the bytes before `line` are shifted out.
  const auto bits = [skip](__m128i a, __m128i b) {
    return (static_cast<std::uint32_t>(_mm_movemask_epi8(a)) |
            static_cast<std::uint32_t>(_mm_movemask_epi8(b)) << 16) >>
           skip;
  };
  // The first byte that stops a field value (CR, LF, other controls, DEL, and HTAB, which is
  // valid but rare and left to the long way).
  const std::uint32_t stop = bits(field_value_stop(x0), field_value_stop(x1));
  const auto end = stop == 0 ? 32u - skip : static_cast<unsigned>(__builtin_ctz(stop));
  const std::uint32_t before_end = stop == 0 ? ~std::uint32_t{0} : (std::uint32_t{1} << end) - 1;
  const std::uint32_t colon = bits(equal(x0, ':'), equal(x1, ':')) & before_end;
  if (colon == 0) return false;
  const auto c = static_cast<unsigned>(__builtin_ctz(colon));
  const std::uint32_t name = (std::uint32_t{1} << c) - 1;
  // The name check only where the name is: most names end in the window's first half,
  // whose mask alone then decides (the second half's bits would all be masked off).
  std::uint32_t not_token = token_fast_mask(x0);
  if (skip + c > 16) not_token |= token_fast_mask(x1) << 16;
  not_token >>= skip;
  if ((not_token & name) != 0) return false;
  out->colon = c;
  out->end = end;
  return true;
}
#endif

// The skips proper. Each is called by an action on the transition that consumed `p`, and
// returns the last byte it accepted (p itself when it accepts nothing more); the machine
// continues with the byte after it. `pe` is the machine's current end, limits included.

// Field name: the token loop state (RFC 9110 §5.1).
inline const char* skip_token(const char* p, const char* pe) noexcept {
  return find_token_end(p + 1, pe) - 1;
}

// Field value: the value loop state, which accepts HTAB, SP, VCHAR and obs-text alike
// (RFC 9110 §5.5; OWS and the value share one state, see request_machines.rl).
inline const char* skip_field_value(const char* p, const char* pe) noexcept {
  return find_field_value_end(p + 1, pe) - 1;
}

// origin-form after its first "/": the loop state of absolute-path and query, which Ragel
// merges into one because the query's bytes are a superset of the path's (RFC 3986 §3.3,
// §3.4). A pct-encoded triplet is accepted only when all three bytes are here and valid.
// `find_run` is the run scan: this file's, or another instruction set's (simd_dispatch.hpp).
template <const char* (*find_run)(const char*, const char*) noexcept = find_origin_run_end>
inline const char* skip_origin_form(const char* p, const char* pe) noexcept {
  const char* q = p + 1;
  for (;;) {
    q = find_run(q, pe);
    if (pe - q >= 3 && *q == '%' && is_hexdig(static_cast<unsigned char>(q[1])) &&
        is_hexdig(static_cast<unsigned char>(q[2]))) {
      q += 3;
      continue;
    }
    return q - 1;
  }
}

}  // namespace httpfsm::detail
