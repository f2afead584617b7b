#include "parser_benchmarks.hpp"

#include <benchmark/benchmark.h>

#include <string>

#include "parser_adapter.hpp"
#include "simd_dispatch.hpp"
#include "testing/allocation_counter.hpp"

namespace httpfsm::bench {

using testing::allocation_count;

namespace {

bool g_failed = false;

// Runs before the timed loop, with the adapter warmed up: enough runs that one allocation per
// request would show.
constexpr std::size_t kAllocationRuns = 16;

void run_benchmark(benchmark::State& state, const ParserInfo& parser, const Corpus& corpus) {
  const std::unique_ptr<ParserAdapter> adapter = make_adapter(parser, corpus);
  const std::span<const char> bytes = corpus.span();
  ChecksumSink sink;
  adapter->run(bytes, sink);
  const std::uint64_t before = allocation_count();
  for (std::size_t i = 0; i < kAllocationRuns; ++i) adapter->run(bytes, sink);
  const std::uint64_t allocations = allocation_count() - before;

  std::size_t requests = 0;
  bool ok = true;
  for (auto _ : state) {
    const RunResult r = adapter->run(bytes, sink);
    requests += r.requests;
    ok &= r.ok;
  }
  benchmark::DoNotOptimize(sink.value());

  const auto iterations = static_cast<std::size_t>(state.iterations());
  if (!ok || requests != iterations * corpus.requests) {
    g_failed = true;
    state.SkipWithError("a run did not parse the whole corpus");
    return;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(iterations * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(requests));
  state.counters["allocs_per_request"] =
      static_cast<double>(allocations) / static_cast<double>(kAllocationRuns * corpus.requests);
}

}  // namespace

void register_parser_benchmarks(const std::vector<Corpus>& corpora) {
  for (const ParserInfo& parser : kParsers) {
    for (const Corpus& corpus : corpora) {
      if (corpus.response && parser.make_response == nullptr) continue;
      const std::string name = std::string(parser.name) + "/" + std::string(corpus.name);
      benchmark::RegisterBenchmark(name.c_str(), [&parser, &corpus](benchmark::State& state) {
        run_benchmark(state, parser, corpus);
      });
    }
  }
}

void register_simd_benchmarks(const std::vector<Corpus>& corpora) {
  using detail::Simd;
  for (const Simd simd : {Simd::baseline, Simd::avx2, Simd::automatic, Simd::scalar}) {
    if (!detail::simd_available(simd)) continue;
    for (const Corpus& corpus : corpora) {
      const std::string name =
          "httpfsm@" + std::string(detail::simd_name(simd)) + "/" + std::string(corpus.name);
      benchmark::RegisterBenchmark(name.c_str(), [simd, &corpus](benchmark::State& state) {
        const Simd before = detail::simd();
        detail::force_simd(simd);
        run_benchmark(state, kParsers[0], corpus);
        detail::force_simd(before);
      });
    }
  }
}

bool any_benchmark_failed() { return g_failed; }

}  // namespace httpfsm::bench
