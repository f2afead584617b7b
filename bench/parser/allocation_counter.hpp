// Counts heap allocations made through global operator new in this binary (replaced in
// allocation_counter.cc), so a benchmark can report allocations per request. The C peers
// (llhttp, http_parser, picohttpparser) have no allocator in their parsing APIs; their
// adapters here allocate nothing after construction either, which the count checks.
#pragma once

#include <cstdint>

namespace httpfsm::bench {

// Allocations made so far by operator new and operator new[] (all threads).
std::uint64_t allocation_count() noexcept;

}  // namespace httpfsm::bench
