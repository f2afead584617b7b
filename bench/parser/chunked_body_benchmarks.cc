#include "chunked_body_benchmarks.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <httpfsm/body_decoder.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "pico_api.hpp"
#include "testing/allocation_counter.hpp"

namespace httpfsm::bench {
namespace {

constexpr std::size_t kScratchSize = 64 * 1024;

// The chunked body of a one-message corpus: every byte after the head's empty line.
std::string_view body_of(const Corpus& corpus) {
  const std::string_view all = corpus.bytes;
  const std::size_t head_end = all.find("\r\n\r\n");
  return head_end == std::string_view::npos ? std::string_view{} : all.substr(head_end + 4);
}

// Decoded content bytes, or -1 if the body did not decode completely. Appends the content to
// `out` when given.
long long decode_httpfsm(BodyDecoder& decoder, std::string_view body, std::string* out) {
  decoder.start(Framing::chunked);
  std::size_t pos = 0;
  long long content = 0;
  for (;;) {
    const BodyStep step = decoder.decode({body.data() + pos, body.size() - pos});
    content += static_cast<long long>(step.data.size());
    if (out != nullptr) out->append(step.data.data(), step.data.size());
    pos += step.consumed;
    if (step.progress != Progress::need_more || step.consumed == 0) break;
  }
  return decoder.progress() == Progress::complete && pos == body.size() ? content : -1;
}

long long decode_pico(char* scratch, std::string_view body, std::string* out) {
  std::memcpy(scratch, body.data(), body.size());
  std::size_t length = body.size();
  phr_chunked_decoder decoder{};
  decoder.consume_trailer = 1;
  if (phr_decode_chunked(&decoder, scratch, &length) != 0) return -1;
  if (out != nullptr) out->append(scratch, length);
  return static_cast<long long>(length);
}

template <class Decode>
void run(benchmark::State& state, Decode decode, long long expected) {
  const std::uint64_t before = testing::allocation_count();
  long long content = decode();
  const std::uint64_t allocations = testing::allocation_count() - before;
  bool ok = true;
  for (auto _ : state) {
    content = decode();
    ok &= content == expected;
    benchmark::DoNotOptimize(content);
  }
  if (!ok) {
    state.SkipWithError("a run did not decode the whole body");
    return;
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(iterations);
  state.SetBytesProcessed(iterations * expected);
  state.counters["allocs_per_request"] = static_cast<double>(allocations);
}

}  // namespace

void register_chunked_body_benchmarks(const std::vector<Corpus>& corpora) {
  for (const Corpus& corpus : corpora) {
    if (corpus.name != "f_chunked" && corpus.name != "r_chunked") continue;
    const std::string_view body = body_of(corpus);
    if (body.size() > kScratchSize) continue;
    BodyDecoder decoder;
    std::unique_ptr<char[]> scratch(new char[kScratchSize]);
    std::string ours, theirs;
    const long long n = decode_httpfsm(decoder, body, &ours);
    if (n < 0 || decode_pico(scratch.get(), body, &theirs) != n || ours != theirs ||
        static_cast<std::size_t>(n) != corpus.body_bytes) {
      std::fprintf(stderr, "httpfsm-bench-parser: the chunked decoders disagree on %.*s\n",
                   static_cast<int>(corpus.name.size()), corpus.name.data());
      std::exit(1);
    }
    // Appends rather than `"x/" + name`, which trips g++ 12's -Wrestrict at -O3 (verify.cc).
    std::string ours_name = "httpfsm_body/", pico_name = "pico_body/";
    ours_name.append(corpus.name);
    pico_name.append(corpus.name);
    benchmark::RegisterBenchmark(ours_name.c_str(), [body, n](benchmark::State& state) {
      BodyDecoder d;
      run(
          state, [&] { return decode_httpfsm(d, body, nullptr); }, n);
    });
    benchmark::RegisterBenchmark(pico_name.c_str(), [body, n](benchmark::State& state) {
      std::unique_ptr<char[]> s(new char[kScratchSize]);
      run(
          state, [&] { return decode_pico(s.get(), body, nullptr); }, n);
    });
  }
}

}  // namespace httpfsm::bench
