// The two WebSocket byte loops of websocket_simd.hpp, 32 bytes at a time, for x86-64 CPUs with
// AVX2 (chosen at run time: simd_dispatch.hpp). Same contracts; the baseline loops finish the
// last bytes.
#include "websocket_simd.hpp"

#if HTTPFSM_WS_AVX2
#include <immintrin.h>

namespace httpfsm::detail {

HTTPFSM_TARGET_AVX2 const unsigned char* skip_ascii_avx2(const unsigned char* p,
                                                         const unsigned char* end) noexcept {
  while (end - p >= 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const auto high = static_cast<std::uint32_t>(_mm256_movemask_epi8(x));
    if (high != 0) return p + __builtin_ctz(high);
    p += 32;
  }
  return skip_ascii_baseline(p, end);
}

HTTPFSM_TARGET_AVX2 void xor_pattern_avx2(const unsigned char* src, unsigned char* dst,
                                          std::size_t n, const unsigned char pattern[4]) noexcept {
  std::uint32_t word;
  std::memcpy(&word, pattern, 4);
  const __m256i key = _mm256_set1_epi32(static_cast<int>(word));
  std::size_t i = 0;
  for (; n - i >= 32; i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), _mm256_xor_si256(x, key));
  }
  // i is a multiple of 4, so the pattern still starts at pattern[0].
  xor_pattern_baseline(src + i, dst + i, n - i, pattern);
}

}  // namespace httpfsm::detail
#endif
