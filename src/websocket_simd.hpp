// The two byte loops of WebSocket that see every payload byte: skipping ASCII before UTF-8
// validation (RFC 6455 §8.1) and the XOR of masking (§5.3).
//
// SIMD: SSE2 on x86-64 and NEON on AArch64 are part of those architectures' baselines and
// compiled in (as in scan.hpp); any other target, or a build with
// HTTPFSM_SCALAR_ONLY, uses 8-byte words. Loads and stores never cross `end`: the vector
// loops stop 16 bytes short and a word or byte loop finishes. On x86-64 CPUs with AVX2 (chosen
// at run time, simd_dispatch.hpp), runs of at least kWsAvx2MinBytes take the 32-byte loops of
// websocket_avx2.cc: one load and compare per call decides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "simd_dispatch.hpp"

#if defined(__SSE2__) && !defined(HTTPFSM_SCALAR_ONLY)
#include <emmintrin.h>
#define HTTPFSM_WS_SSE2 1
#elif defined(__aarch64__) && defined(__ARM_NEON) && !defined(HTTPFSM_SCALAR_ONLY)
#include <arm_neon.h>
#define HTTPFSM_WS_NEON 1
#endif

namespace httpfsm::detail {

#if HTTPFSM_AVX2 && !defined(HTTPFSM_SCALAR_ONLY)
#define HTTPFSM_WS_AVX2 1
HTTPFSM_TARGET_AVX2 const unsigned char* skip_ascii_avx2(const unsigned char* p,
                                                         const unsigned char* end) noexcept;
HTTPFSM_TARGET_AVX2 void xor_pattern_avx2(const unsigned char* src, unsigned char* dst,
                                          std::size_t n, const unsigned char pattern[4]) noexcept;
// Shorter runs stay on the inline loops: at 64 bytes the call measured slower than SSE2
// (httpfsm-bench-websocket mask/simd/64), at 64 KiB it was about 1.5x faster.
inline constexpr std::ptrdiff_t kWsAvx2MinBytes = 256;
inline bool ws_avx2(std::ptrdiff_t n) noexcept {
  const Simd s = simd();
  return s == Simd::avx2 || (s == Simd::automatic && n >= kWsAvx2MinBytes);
}
#endif

// The first byte at or after p with the high bit set, or end.
inline const unsigned char* skip_ascii_baseline(const unsigned char* p,
                                                const unsigned char* end) noexcept {
#if HTTPFSM_WS_SSE2
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(x));
    if (high != 0) return p + __builtin_ctz(high);
    p += 16;
  }
#elif HTTPFSM_WS_NEON
  while (end - p >= 16) {
    const uint8x16_t x = vld1q_u8(p);
    if (vmaxvq_u8(x) >= 0x80) break;  // the byte loop below finds which
    p += 16;
  }
#endif
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if ((w & 0x8080808080808080ull) != 0) break;
    p += 8;
  }
  while (p < end && *p < 0x80) ++p;
  return p;
}

// dst[i] = src[i] ^ pattern[i % 4] where pattern is the key already rotated to the phase.
inline void xor_pattern_baseline(const unsigned char* src, unsigned char* dst, std::size_t n,
                                 const unsigned char pattern[4]) noexcept {
  std::size_t i = 0;
  std::uint32_t word;
  std::memcpy(&word, pattern, 4);
#if HTTPFSM_WS_SSE2
  const __m128i key = _mm_set1_epi32(static_cast<int>(word));
  for (; n - i >= 16; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm_xor_si128(x, key));
  }
#elif HTTPFSM_WS_NEON
  const uint8x16_t key = vreinterpretq_u8_u32(vdupq_n_u32(word));
  for (; n - i >= 16; i += 16) vst1q_u8(dst + i, veorq_u8(vld1q_u8(src + i), key));
#endif
  // i is a multiple of 4 here, so the pattern still starts at pattern[0].
  const std::uint64_t key64 = (static_cast<std::uint64_t>(word) << 32) | word;
  for (; n - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, src + i, 8);
    w ^= key64;
    std::memcpy(dst + i, &w, 8);
  }
  for (; i < n; ++i) dst[i] = static_cast<unsigned char>(src[i] ^ pattern[i % 4]);
}

inline const unsigned char* skip_ascii(const unsigned char* p, const unsigned char* end) noexcept {
#if HTTPFSM_WS_AVX2
  if (end - p >= 32 && ws_avx2(end - p)) return skip_ascii_avx2(p, end);
#endif
  return skip_ascii_baseline(p, end);
}

inline void xor_pattern(const unsigned char* src, unsigned char* dst, std::size_t n,
                        const unsigned char pattern[4]) noexcept {
#if HTTPFSM_WS_AVX2
  if (n >= 32 && ws_avx2(static_cast<std::ptrdiff_t>(n)))
    return xor_pattern_avx2(src, dst, n, pattern);
#endif
  xor_pattern_baseline(src, dst, n, pattern);
}

}  // namespace httpfsm::detail
