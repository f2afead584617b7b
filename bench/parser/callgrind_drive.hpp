// Driver mode for instruction counts: parse one corpus with one parser N times, untimed, so
// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=httpfsm_bench_drive`
// counts exactly the parsing (ci/bench.sh divides by N x requests per corpus). Instruction
// counts do not depend on what else runs on the machine.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "corpus.hpp"

namespace httpfsm::bench {

// `what` is "<parser>/<corpus>". Verifies the pair first, runs it once to warm up (lazy
// binding, first-touch), then calls httpfsm_bench_drive. Prints "requests N" on success.
int drive(const std::vector<Corpus>& corpora, std::string_view what, std::size_t iterations);

}  // namespace httpfsm::bench
