// The process-start choice of vector instruction set (the design: simd_dispatch.hpp) and the
// fast paths of a forced choice.
#include "simd_dispatch.hpp"

#include <cstdlib>

#include "head_parser_actions.hpp"
#include "scan_avx2.hpp"

namespace httpfsm::detail {

// Constant-initialized to the baseline, so a parser that runs before the choice below (from
// another file's static initializer) is still correct.
constinit std::atomic<Simd> g_simd{Simd::baseline};

std::string_view simd_name(Simd s) noexcept {
  switch (s) {
    case Simd::baseline:
#if HTTPFSM_SSE2
      return "sse2";
#elif HTTPFSM_NEON
      return "neon";
#else
      return "scalar";
#endif
    case Simd::scalar:
      return "scalar";
    case Simd::avx2:
      return "avx2";
    case Simd::automatic:
      return "auto";
  }
  return "?";
}

bool simd_available(Simd s) noexcept {
  switch (s) {
    case Simd::baseline:
    case Simd::scalar:
      return true;
    case Simd::avx2:
    case Simd::automatic:
#if HTTPFSM_AVX2
      // Checks the OS saves the AVX state too (libgcc and compiler-rt read XCR0). The init
      // call is needed when this runs before the runtime's own constructors.
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2");
#else
      return false;
#endif
  }
  return false;
}

bool force_simd(Simd s) noexcept {
  if (!simd_available(s)) return false;
  g_simd.store(s, std::memory_order_relaxed);
  return true;
}

Simd default_simd() noexcept {
  if (const char* env = std::getenv("HTTPFSM_SIMD")) {
    for (const Simd s : {Simd::baseline, Simd::scalar, Simd::avx2, Simd::automatic}) {
      if (simd_name(s) == env && simd_available(s)) return s;
    }
  }
  return simd_available(Simd::automatic) ? Simd::automatic : Simd::baseline;
}

namespace {
// Once, at start.
[[maybe_unused]] const bool chosen = force_simd(default_simd());
}  // namespace

#if HTTPFSM_AVX2
constexpr std::array<Splat, 256> make_splats() {
  std::array<Splat, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    for (unsigned char& b : t[c].bytes) b = static_cast<unsigned char>(c);
  }
  return t;
}
constinit const std::array<Splat, 256> kAvx2Splat = make_splats();
#endif

const char* SimdFastPaths::request_line_forced(Simd simd, HeadParser& parser, const char* data,
                                               const char* p, const char* end) noexcept {
#if HTTPFSM_AVX2
  if (simd == Simd::avx2 || simd == Simd::automatic) {
    return request_line_avx2(parser, data, p, end);
  }
#endif
  if (simd == Simd::scalar) return parser.fast_request_line_with<ScalarScans>(data, p, end);
  return parser.fast_request_line_with<BaselineScans>(data, p, end);
}

const char* SimdFastPaths::field_lines_forced(Simd simd, HeadParser& parser, const char* data,
                                              const char* line, const char* end) noexcept {
#if HTTPFSM_AVX2
  if (simd == Simd::avx2 || simd == Simd::automatic) {
    return field_lines_avx2(parser, data, line, end);
  }
#endif
  if (simd == Simd::scalar) return parser.fast_field_lines_with<ScalarScans>(data, line, end);
  return parser.fast_field_lines_with<BaselineScans>(data, line, end);
}

bool SimdFastPaths::head_forced(Simd simd, HeadParser& parser, const char* data,
                                const char* end) noexcept {
#if HTTPFSM_AVX2
  if (simd == Simd::avx2 || simd == Simd::automatic) return head_avx2(parser, data, end);
#endif
  if (simd == Simd::scalar) return parser.fast_head_with<ScalarScans>(data, end);
  return parser.fast_head_with<BaselineScans>(data, end);
}

}  // namespace httpfsm::detail
