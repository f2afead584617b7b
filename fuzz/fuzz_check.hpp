// The fuzz targets' one assertion: a property that does not hold is a finding, so it prints
// what failed and where, then aborts; libFuzzer (or the replay main) reports the abort with
// the input. Unlike assert(), it stays on in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace httpfsm::fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line,
                                      const std::string& context) {
  std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, condition);
  if (!context.empty()) std::fprintf(stderr, "%s\n", context.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace httpfsm::fuzz

// HTTPFSM_FUZZ_CHECK(condition) or HTTPFSM_FUZZ_CHECK(condition, context): `context` is a
// std::string (or anything convertible), evaluated only when the check fails.
#define HTTPFSM_FUZZ_CHECK(condition, ...)                                                     \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      ::httpfsm::fuzz::check_failed(#condition, __FILE__, __LINE__, std::string{__VA_ARGS__}); \
    }                                                                                          \
  } while (false)
