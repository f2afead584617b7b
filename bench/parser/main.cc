// httpfsm-bench-parser: httpfsm against llhttp, http_parser and picohttpparser on the corpora
// of bench/corpus (issue 7). Modes:
//   httpfsm-bench-parser [benchmark flags]         verify (untimed), then Google Benchmark
//   httpfsm-bench-parser --verify                   only the cross-check, one line per pair
//   httpfsm-bench-parser --drive=P/C [--iterations=N]   untimed loop for callgrind
//   httpfsm-bench-parser --simd [benchmark flags]   also httpfsm under each vector instruction set
// --corpus-dir=DIR reads the corpora from DIR instead of the source tree's bench/corpus.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "callgrind_drive.hpp"
#include "chunked_body_benchmarks.hpp"
#include "corpus.hpp"
#include "parser_benchmarks.hpp"
#include "verify.hpp"

int main(int argc, char** argv) {
  using namespace httpfsm::bench;
  bool verify_only = false;
  bool simd = false;
  std::string drive_what;
  std::size_t iterations = 1000;
  std::filesystem::path corpus_dir = default_corpus_dir();
  // Our flags are taken out; the rest go to Google Benchmark.
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--verify") {
      verify_only = true;
    } else if (arg == "--simd") {
      simd = true;
    } else if (arg.starts_with("--drive=")) {
      drive_what = arg.substr(8);
    } else if (arg.starts_with("--iterations=")) {
      iterations = std::strtoull(argv[i] + 13, nullptr, 10);
    } else if (arg.starts_with("--corpus-dir=")) {
      corpus_dir = arg.substr(13);
    } else {
      if (arg == "--help") {
        std::printf(
            "httpfsm-bench-parser [--corpus-dir=DIR] --verify | --drive=PARSER/CORPUS "
            "[--iterations=N] | [--simd] [benchmark flags below]\n");
      }
      rest.push_back(argv[i]);
    }
  }
  const std::vector<Corpus> corpora = load_corpora(corpus_dir);
  if (verify_only) {
    const bool ok = verify_all(corpora, stdout);
    std::printf("%s\n",
                ok ? "every parser parsed every corpus whole and agrees with httpfsm" : "FAILED");
    return ok ? 0 : 1;
  }
  if (!drive_what.empty()) return drive(corpora, drive_what, iterations);

  // Once, untimed, before anything is measured.
  if (!verify_all(corpora, nullptr)) {
    std::fprintf(stderr, "httpfsm-bench-parser: the parsers disagree; nothing measured\n");
    return 1;
  }
  register_parser_benchmarks(corpora);
  register_chunked_body_benchmarks(corpora);
  if (simd) register_simd_benchmarks(corpora);
  int bench_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&bench_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(bench_argc, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return any_benchmark_failed() ? 1 : 0;
}
