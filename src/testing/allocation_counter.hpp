// Counts heap allocations made through global operator new in a binary that links
// allocation_counter.cc, which replaces the global allocation functions. Only binaries of
// their own link it (the allocation tests, the parser benchmark), so the library's other tests
// keep the toolchain's and ASan's own new and delete. Used to prove "no allocation per
// request" (tests) and to report allocations per request (bench); the C peers of the bench
// have no allocator in their parsing APIs, which the count checks too.
#pragma once

#include <cstdint>

namespace httpfsm::testing {

// Allocations made so far by operator new and operator new[] (all threads).
std::uint64_t allocation_count() noexcept;

// The allocations made since the window was opened.
class AllocationWindow {
 public:
  AllocationWindow() noexcept : start_(allocation_count()) {}
  std::uint64_t count() const noexcept { return allocation_count() - start_; }

 private:
  std::uint64_t start_;
};

}  // namespace httpfsm::testing
