// Google Benchmark registration: one benchmark per parser and corpus, named
// "<parser>/<corpus>", each reporting bytes_per_second, items_per_second (one item = one
// request) and the counter allocs_per_request.
#pragma once

#include <vector>

#include "corpus.hpp"

namespace httpfsm::bench {

// `corpora` must outlive the benchmarks run.
void register_parser_benchmarks(const std::vector<Corpus>& corpora);

// With --simd: httpfsm once per vector instruction set this CPU can run (src/simd_dispatch.hpp),
// named "httpfsm@<set>/<corpus>", to compare them in one run.
void register_simd_benchmarks(const std::vector<Corpus>& corpora);

// True if any benchmark saw a run that did not parse its corpus whole.
bool any_benchmark_failed();

}  // namespace httpfsm::bench
