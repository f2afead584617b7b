// HeadParser's whole-line fast paths with the AVX2 scans: the one place they are compiled
// for AVX2. `flatten` inlines the fast path and its scans into these functions, which
// carry the AVX2 target attribute (see simd_dispatch.hpp for why an attribute, not -mavx2).
#include "head_parser_actions.hpp"
#include "scan_avx2.hpp"

#if HTTPFSM_AVX2
namespace httpfsm::detail {

HTTPFSM_TARGET_AVX2 __attribute__((flatten)) const char* SimdFastPaths::request_line_avx2(
    HeadParser& parser, const char* data, const char* p, const char* end) noexcept {
  return parser.fast_request_line_with<Avx2Scans>(data, p, end);
}

HTTPFSM_TARGET_AVX2 __attribute__((flatten)) const char* SimdFastPaths::field_lines_avx2(
    HeadParser& parser, const char* data, const char* line, const char* end) noexcept {
  return parser.fast_field_lines_with<Avx2Scans>(data, line, end);
}

HTTPFSM_TARGET_AVX2 __attribute__((flatten)) bool SimdFastPaths::head_avx2(
    HeadParser& parser, const char* data, const char* end) noexcept {
  return parser.fast_head_with<Avx2Scans>(data, end);
}

}  // namespace httpfsm::detail
#endif
