// The scans of scan.hpp, 32 bytes at a time with AVX2, for the x86-64 CPUs that have it
// (chosen at run time, see simd_dispatch.hpp). Each function has the same contract as its
// SSE2 namesake in scan.hpp, which finishes the last bytes (fewer than 32) when the one
// overlapping 32-byte load below cannot: the tests run both on the same inputs.
//
// Every function here carries the AVX2 target attribute and is called only from code that
// also does (head_parser_avx2.cc) or after the CPU said it has AVX2 (the tests). Loads never
// cross `end`: the vector loops stop 32 bytes short.
#pragma once

#include "simd_dispatch.hpp"

#if HTTPFSM_AVX2
#include <immintrin.h>

#include <array>
#include <cstdint>

namespace httpfsm::detail {

// 32 copies of each byte value, defined in simd_dispatch.cc. Out of the compiler's sight on
// purpose: GCC 12 builds a known 32-byte splat from an immediate (mov, vmovd, vpbroadcastb:
// three instructions each, a dozen constants per scan, on every call), where a load from here
// is one instruction or a memory operand. Measured with callgrind on the request-line path.
struct alignas(32) Splat {
  unsigned char bytes[32];
};
extern const std::array<Splat, 256> kAvx2Splat;

struct Avx2Scans {
  HTTPFSM_TARGET_AVX2 static __m256i splat(unsigned char c) noexcept {
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(kAvx2Splat[c].bytes));
  }
  HTTPFSM_TARGET_AVX2 static __m256i load(const char* p) noexcept {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  HTTPFSM_TARGET_AVX2 static std::uint32_t bits(__m256i m) noexcept {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(m));
  }
  // x in [lo, hi] as unsigned bytes, as in scan.hpp.
  HTTPFSM_TARGET_AVX2 static __m256i in_range(__m256i x, unsigned char lo,
                                              unsigned char hi) noexcept {
    const __m256i clamped = _mm256_max_epu8(_mm256_min_epu8(x, splat(hi)), splat(lo));
    return _mm256_cmpeq_epi8(clamped, x);
  }
  HTTPFSM_TARGET_AVX2 static __m256i equal(__m256i x, unsigned char c) noexcept {
    return _mm256_cmpeq_epi8(x, splat(c));
  }
  // Controls (HTAB included, the caller steps over it) and DEL, as field_value_stop.
  HTTPFSM_TARGET_AVX2 static std::uint32_t field_value_stop(__m256i x) noexcept {
    const __m256i k1f = splat(0x1f);
    return bits(_mm256_or_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(x, k1f), k1f), equal(x, 0x7f)));
  }
  // Bytes that are not letters, digits or "-", as token_fast_mask.
  HTTPFSM_TARGET_AVX2 static std::uint32_t token_slow(__m256i x) noexcept {
    const __m256i alpha = in_range(_mm256_or_si256(x, splat(0x20)), 'a', 'z');
    return ~bits(_mm256_or_si256(_mm256_or_si256(alpha, in_range(x, '0', '9')), equal(x, '-')));
  }
  // The last 32 bytes before `end`, as tail_load in scan.hpp.
  HTTPFSM_TARGET_AVX2 static bool tail_load(const char* p, const char* end, const char* lo,
                                            __m256i* x, unsigned* shift) noexcept {
    if (lo == nullptr || end - lo < 32 || end == p) return false;
    *x = load(end - 32);
    *shift = static_cast<unsigned>(32 - (end - p));
    return true;
  }

  HTTPFSM_TARGET_AVX2 static const char* find_field_value_end(const char* p, const char* end,
                                                              const char* lo) noexcept {
    while (end - p >= 32) {
      const std::uint32_t mask = field_value_stop(load(p));
      if (mask == 0) {
        p += 32;
        continue;
      }
      p += __builtin_ctz(mask);
      if (*p != '\t') return p;
      ++p;
    }
    __m256i x;
    unsigned shift;
    if (tail_load(p, end, lo, &x, &shift)) {
      const std::uint32_t mask = field_value_stop(x) >> shift;
      if (mask == 0) return end;
      p += __builtin_ctz(mask);
      if (*p != '\t') return p;
      ++p;  // a tab in the tail: scan.hpp finishes
    }
    return detail::find_field_value_end(p, end, lo);
  }

  HTTPFSM_TARGET_AVX2 static const char* find_token_end(const char* p, const char* end,
                                                        const char* lo) noexcept {
    while (end - p >= 32) {
      const std::uint32_t mask = token_slow(load(p));
      if (mask == 0) {
        p += 32;
        continue;
      }
      p += __builtin_ctz(mask);
      if (!kTchar[static_cast<unsigned char>(*p)]) return p;
      ++p;
    }
    __m256i x;
    unsigned shift;
    if (tail_load(p, end, lo, &x, &shift)) {
      const std::uint32_t mask = token_slow(x) >> shift;
      if (mask == 0) return end;
      p += __builtin_ctz(mask);
      if (!kTchar[static_cast<unsigned char>(*p)]) return p;
      ++p;  // a rarer tchar in the tail: scan.hpp finishes
    }
    return detail::find_token_end(p, end, lo);
  }

  HTTPFSM_TARGET_AVX2 static const char* find_origin_run_end(const char* p,
                                                             const char* end) noexcept {
    while (end - p >= 32) {
      const __m256i x = load(p);
      // As in scan.hpp: outside "!".."~", or one of " # % < > [ \ ] ^ ` { | }
      __m256i bad = _mm256_xor_si256(in_range(x, 0x21, 0x7e), splat(0xff));
      bad = _mm256_or_si256(bad, in_range(x, 0x22, 0x23));
      bad = _mm256_or_si256(bad, equal(x, 0x25));
      bad = _mm256_or_si256(bad, equal(x, 0x3c));
      bad = _mm256_or_si256(bad, equal(x, 0x3e));
      bad = _mm256_or_si256(bad, in_range(x, 0x5b, 0x5e));
      bad = _mm256_or_si256(bad, equal(x, 0x60));
      bad = _mm256_or_si256(bad, in_range(x, 0x7b, 0x7d));
      const std::uint32_t mask = bits(bad);
      if (mask != 0) return p + __builtin_ctz(mask);
      p += 32;
    }
    return detail::find_origin_run_end(p, end);
  }

  HTTPFSM_TARGET_AVX2 static const char* skip_origin_form(const char* p, const char* pe) noexcept {
    return detail::skip_origin_form<find_origin_run_end>(p, pe);
  }

  // short_field_line of scan.hpp with its 32-byte window in one register: same precondition
  // (32 readable bytes at `line - skip`, skip < 32) and the same answer; the bits of the
  // bytes before `line` are shifted out.
  static constexpr bool kShortLine = true;
  using ShortLine = detail::ShortLine;
  HTTPFSM_TARGET_AVX2 static bool short_field_line(const char* line, ShortLine* out,
                                                   unsigned skip = 0) noexcept {
    const __m256i x = load(line - skip);
    const std::uint32_t stop = field_value_stop(x) >> skip;
    const auto end = stop == 0 ? 32u - skip : static_cast<unsigned>(__builtin_ctz(stop));
    const std::uint32_t before_end = stop == 0 ? ~std::uint32_t{0} : (std::uint32_t{1} << end) - 1;
    const std::uint32_t colon = (bits(equal(x, ':')) >> skip) & before_end;
    if (colon == 0) return false;
    const auto c = static_cast<unsigned>(__builtin_ctz(colon));
    const std::uint32_t name = (std::uint32_t{1} << c) - 1;
    if (((token_slow(x) >> skip) & name) != 0) return false;
    out->colon = c;
    out->end = end;
    return true;
  }
};

}  // namespace httpfsm::detail
#endif
