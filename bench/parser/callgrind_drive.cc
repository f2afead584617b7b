#include "callgrind_drive.hpp"

#include <cstdio>

#include "parser_adapter.hpp"
#include "verify.hpp"

// The one function callgrind collects in. extern "C" keeps its name unmangled for
// --toggle-collect; noinline keeps it a function.
extern "C" __attribute__((noinline)) std::size_t httpfsm_bench_drive(
    httpfsm::bench::ParserAdapter* adapter, const char* data, std::size_t size,
    std::size_t iterations, httpfsm::bench::ChecksumSink* sink) {
  std::size_t requests = 0;
  for (std::size_t i = 0; i < iterations; ++i)
    requests += adapter->run({data, size}, *sink).requests;
  return requests;
}

namespace httpfsm::bench {

int drive(const std::vector<Corpus>& corpora, std::string_view what, std::size_t iterations) {
  const std::size_t slash = what.find('/');
  const ParserInfo* parser = nullptr;
  const Corpus* corpus = nullptr;
  for (const ParserInfo& p : kParsers) {
    if (p.name == what.substr(0, slash)) parser = &p;
  }
  for (const Corpus& c : corpora) {
    if (slash != std::string_view::npos && c.name == what.substr(slash + 1)) corpus = &c;
  }
  if (parser == nullptr || corpus == nullptr) {
    std::fprintf(stderr, "httpfsm-bench-parser: --drive wants <parser>/<corpus>, got %.*s\n",
                 static_cast<int>(what.size()), what.data());
    return 2;
  }
  if (!verify_parser(*parser, *corpus)) return 1;
  const std::unique_ptr<ParserAdapter> adapter = make_adapter(*parser, *corpus);
  ChecksumSink sink;
  const std::span<const char> bytes = corpus->span();
  httpfsm_bench_drive(adapter.get(), bytes.data(), bytes.size(), 1, &sink);
  const std::size_t requests =
      httpfsm_bench_drive(adapter.get(), bytes.data(), bytes.size(), iterations, &sink);
  if (requests != iterations * corpus->requests) {
    std::fprintf(stderr, "httpfsm-bench-parser: %zu requests, expected %zu\n", requests,
                 iterations * corpus->requests);
    return 1;
  }
  std::printf("requests %zu checksum %llx\n", requests,
              static_cast<unsigned long long>(sink.value()));
  return 0;
}

}  // namespace httpfsm::bench
