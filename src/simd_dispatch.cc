// The process-start choice of vector instruction set (the design: simd_dispatch.hpp) and the
// forced scalar fast paths.
#include "simd_dispatch.hpp"

#include <cstdlib>

#include "head_parser_actions.hpp"

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
  }
  return "?";
}

bool simd_available(Simd s) noexcept {
  switch (s) {
    case Simd::baseline:
    case Simd::scalar:
      return true;
    case Simd::avx2:
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
    for (const Simd s : {Simd::baseline, Simd::scalar, Simd::avx2}) {
      if (simd_name(s) == env && simd_available(s)) return s;
    }
  }
  return simd_available(Simd::avx2) ? Simd::avx2 : Simd::baseline;
}

namespace {
// Once, at start.
[[maybe_unused]] const bool chosen = force_simd(default_simd());
}  // namespace

const char* SimdFastPaths::request_line_scalar(HeadParser& parser, const char* data, const char* p,
                                               const char* end) noexcept {
  return parser.fast_request_line_with<ScalarScans>(data, p, end);
}

const char* SimdFastPaths::field_lines_scalar(HeadParser& parser, const char* data,
                                              const char* line, const char* end) noexcept {
  return parser.fast_field_lines_with<ScalarScans>(data, line, end);
}

}  // namespace httpfsm::detail
