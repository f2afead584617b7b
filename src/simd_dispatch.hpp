// Which vector instruction set the head parser's whole-line fast paths use, chosen once at
// process start.
//
// Why this dispatch: the baseline of each architecture (SSE2 on x86-64, NEON on AArch64) is
// compiled in, as before; AVX2 is not part of the x86-64 baseline, so a portable binary must
// ask the CPU at run time. Asking per scan call (an ifunc or a function pointer per skip)
// would put an indirect call on every field line and stop the scans from being inlined into
// the loop that overlaps them. Instead the two loops that read whole lines,
// HeadParser::fast_request_line and fast_field_lines, are templates over a set of scans
// (below), and each set is instantiated once: the baseline inline, as before, and AVX2 in one
// function compiled for AVX2 (head_parser_avx2.cc, a target attribute plus flatten, so the
// 32-byte scans are inlined into it). The choice is read once per fast-path entry, at most
// a few times per parse() call, as a load and two compares; the bytes never see it. The call
// into the AVX2 function costs about 20 instructions (saved registers, the 32-byte stack
// alignment, vzeroupper), so the default takes it only for inputs where the wider scans repay
// it (`automatic`, kAvx2MinInput). A message's first parse() reads its whole head with
// HeadParser::fast_head, which chooses once for the request-line and the field lines
// together (head_avx2): one call, not one per loop.
//
// A target attribute, not -mavx2 on a translation unit: inline functions of headers
// (std::min, our own helpers) compiled with -mavx2 would be link-once copies that the linker
// may pick for the baseline callers too, which then fault on a CPU without AVX2. With the
// attribute only the functions that name it are AVX2 code, and they are called only after the
// CPU said it has AVX2.
//
// HTTPFSM_SIMD=scalar|sse2|neon|avx2|auto in the environment forces a choice at start (tests run
// every implementation on the same inputs this way); a choice the CPU or the build lacks is
// ignored and the default kept, so the tests check simd_name() against what they asked for.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scan.hpp"

#if defined(__x86_64__) && HTTPFSM_SSE2 && (defined(__GNUC__) || defined(__clang__))
#define HTTPFSM_AVX2 1
// On the declaration and the definition alike (a target attribute on the definition only would
// declare a second version of the function: GCC's function multiversioning).
#define HTTPFSM_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define HTTPFSM_AVX2 0
#endif

namespace httpfsm {
class HeadParser;
}

namespace httpfsm::detail {

enum class Simd : std::uint8_t {
  baseline,   // SSE2 on x86-64, NEON on AArch64, the scalar loops elsewhere; zero: the default
              // before the process-start choice has run, always safe
  scalar,     // the reference byte loops, forced
  avx2,       // x86-64 with AVX2, detected at run time
  automatic,  // the default where AVX2 is available: AVX2 for an input of at least
              // kAvx2MinInput bytes, the baseline for a shorter one
};

// Below this many bytes of input the baseline's inline fast path costs fewer instructions
// than the call into the AVX2 one (callgrind, docs/PERFORMANCE.md: b_minimal, 37 bytes, 901
// against 861; e_post, 376 bytes, 2030 against 2358).
inline constexpr std::ptrdiff_t kAvx2MinInput = 128;

extern std::atomic<Simd> g_simd;

// Relaxed: a plain byte load. It only changes at start or in a single-threaded test.
inline Simd simd() noexcept { return g_simd.load(std::memory_order_relaxed); }

// The implementation's name as HTTPFSM_SIMD spells it: "sse2", "neon", "scalar", "avx2" or
// "auto".
std::string_view simd_name(Simd s) noexcept;
// Whether this build and this CPU can run `s`.
bool simd_available(Simd s) noexcept;
// Test hook: use `s` from now on; false (and no change) if it is not available. Not for use
// while another thread parses.
bool force_simd(Simd s) noexcept;
// The choice at start: HTTPFSM_SIMD if set and available, else `automatic` where AVX2 is
// available, else the baseline.
Simd default_simd() noexcept;

// The scans as compiled into this build (scan.hpp): SSE2, NEON or scalar.
struct BaselineScans {
#if HTTPFSM_SSE2
  static constexpr bool kShortLine = true;
  using ShortLine = detail::ShortLine;
  [[gnu::always_inline]] static bool short_field_line(const char* line, ShortLine* out,
                                                      unsigned skip = 0) noexcept {
    return detail::short_field_line(line, out, skip);
  }
#else
  static constexpr bool kShortLine = false;
  struct ShortLine {
    unsigned colon, end;
  };
  static bool short_field_line(const char*, ShortLine*, unsigned = 0) noexcept { return false; }
#endif
  [[gnu::always_inline]] static const char* find_field_value_end(const char* p, const char* end,
                                                                 const char* lo) noexcept {
    return detail::find_field_value_end(p, end, lo);
  }
  [[gnu::always_inline]] static const char* find_token_end(const char* p, const char* end,
                                                           const char* lo) noexcept {
    return detail::find_token_end(p, end, lo);
  }
  [[gnu::always_inline]] static const char* skip_origin_form(const char* p,
                                                             const char* pe) noexcept {
    return detail::skip_origin_form(p, pe);
  }
};

// The reference: one byte at a time through the tables, on every architecture.
struct ScalarScans {
  static constexpr bool kShortLine = false;
  struct ShortLine {
    unsigned colon, end;
  };
  static bool short_field_line(const char*, ShortLine*, unsigned = 0) noexcept { return false; }
  static const char* find_field_value_end(const char* p, const char* end, const char*) noexcept {
    return scan_table(p, end, kFieldValueByte);
  }
  static const char* find_token_end(const char* p, const char* end, const char*) noexcept {
    return scan_table(p, end, kTchar);
  }
  static const char* find_origin_run_end(const char* p, const char* end) noexcept {
    return scan_table(p, end, kOriginByte);
  }
  static const char* skip_origin_form(const char* p, const char* pe) noexcept {
    return detail::skip_origin_form<find_origin_run_end>(p, pe);
  }
};

// The fast paths of HeadParser under each non-baseline choice, out of line (a friend of
// HeadParser): the AVX2 ones in head_parser_avx2.cc, the scalar ones in simd_dispatch.cc.
struct SimdFastPaths {
#if HTTPFSM_AVX2
  HTTPFSM_TARGET_AVX2 static const char* request_line_avx2(HeadParser& parser, const char* data,
                                                           const char* p, const char* end) noexcept;
  HTTPFSM_TARGET_AVX2 static const char* field_lines_avx2(HeadParser& parser, const char* data,
                                                          const char* line,
                                                          const char* end) noexcept;
  HTTPFSM_TARGET_AVX2 static bool head_avx2(HeadParser& parser, const char* data,
                                            const char* end) noexcept;
#endif
  // A forced choice: scalar, or AVX2 whatever the input's length.
  static const char* request_line_forced(Simd simd, HeadParser& parser, const char* data,
                                         const char* p, const char* end) noexcept;
  static const char* field_lines_forced(Simd simd, HeadParser& parser, const char* data,
                                        const char* line, const char* end) noexcept;
  static bool head_forced(Simd simd, HeadParser& parser, const char* data,
                          const char* end) noexcept;
};

}  // namespace httpfsm::detail
