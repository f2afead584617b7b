// httpfsm-bench-multipart: MultipartParser throughput on two 10 MiB multipart/form-data
// bodies, the shapes issue 17 names: a few large parts (4 files of 2.5 MiB of random bytes,
// so CR appears once in 256 bytes and the delimiter search is exercised) and many small parts
// (1 KiB files with browser-like headers, about 9,000 parts). The body is fed 64 KiB at a time
// into a window that keeps what the parser left unconsumed, as a server reading a socket
// into a contiguous buffer would; each part's Content-Disposition is parsed, as a server must.
//
//   httpfsm-bench-multipart [--runs N]     best of N runs (default 20) per body, in MB/s
//   httpfsm-bench-multipart --once SHAPE   one parse of few_large or many_small (callgrind)
//   httpfsm-bench-multipart --write DIR    writes DIR/<shape>.body and DIR/boundary, for the
//                                          peers (bench/multipart/busboy_bench.js)
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include "httpfsm/content_disposition.hpp"
#include "httpfsm/multipart.hpp"

namespace {

constexpr std::string_view kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
constexpr std::size_t kBodySize = 10u << 20;
constexpr std::size_t kReadSize = 64u << 10;

struct Rng {
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

std::string part_head(std::size_t i) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"file" +
         std::to_string(i) + "\"; filename=\"upload-" + std::to_string(i) +
         ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
}

std::string make_body(std::size_t part_size) {
  Rng rng;
  std::string body;
  body.reserve(kBodySize + 4096);
  for (std::size_t i = 0; body.size() + part_size < kBodySize; ++i) {
    body += part_head(i);
    for (std::size_t k = 0; k < part_size; ++k) body += static_cast<char>(rng.next() >> 56);
    body += "\r\n";
  }
  body += "--" + std::string(kBoundary) + "--\r\n";
  return body;
}

struct Result {
  std::size_t parts = 0;
  std::size_t content = 0;
};

}  // namespace

// Not inlined and not mangled, so callgrind can count just this (--toggle-collect).
extern "C" [[gnu::noinline]] std::size_t httpfsm_bench_multipart_parse(const std::string* body,
                                                                       std::size_t* content);

namespace {

Result parse(const std::string& body) {
  Result r;
  r.parts = httpfsm_bench_multipart_parse(&body, &r.content);
  return r;
}

}  // namespace

std::size_t httpfsm_bench_multipart_parse(const std::string* body_pointer, std::size_t* content) {
  const std::string& body = *body_pointer;
  httpfsm::MultipartLimits limits;
  limits.max_parts = 1u << 20;  // the many-parts body has about 9,000
  httpfsm::MultipartParser parser(limits);
  std::array<char, 256> scratch;
  std::size_t parts = 0;
  *content = 0;
  parser.start(kBoundary);
  std::size_t begin = 0, end = 0;
  for (;;) {
    const httpfsm::MultipartStep s = parser.parse({body.data() + begin, end - begin});
    begin += s.consumed;
    switch (s.event) {
      case httpfsm::MultipartEvent::need_more:
        if (end == body.size()) {
          if (parser.finish() != httpfsm::MultipartError::none) std::abort();
          return parts;
        }
        end = std::min(body.size(), end + kReadSize);
        break;
      case httpfsm::MultipartEvent::header:
        if (s.name.size() == 19 && httpfsm::parse_form_data_disposition(s.value, scratch).error ==
                                       httpfsm::MultipartError::none)
          ++parts;
        break;
      case httpfsm::MultipartEvent::content:
        *content += s.data.size();
        break;
      case httpfsm::MultipartEvent::failed:
        std::fprintf(stderr, "parse failed: %s\n",
                     std::string(httpfsm::multipart_error_name(parser.error())).c_str());
        std::abort();
      default:
        break;
    }
  }
}

namespace {

double best_mb_per_s(const std::string& body, int runs, Result& result) {
  double best = 0;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    result = parse(body);
    const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
    best = std::max(best, static_cast<double>(body.size()) / dt.count() / 1e6);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const auto few_large_body = [] { return make_body(kBodySize / 4 - 1024); };
  const auto many_small_body = [] { return make_body(1024); };
  int runs = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--once" && i + 1 < argc) {
      const std::string body =
          std::string_view(argv[++i]) == "few_large" ? few_large_body() : many_small_body();
      const Result r = parse(body);
      std::printf("parts %zu content %zu\n", r.parts, r.content);
      return 0;
    } else if (arg == "--write" && i + 1 < argc) {
      const std::string dir = argv[++i];
      std::ofstream(dir + "/few_large.body", std::ios::binary) << few_large_body();
      std::ofstream(dir + "/many_small.body", std::ios::binary) << many_small_body();
      std::ofstream(dir + "/boundary", std::ios::binary) << kBoundary;
      return 0;
    } else {
      std::fprintf(stderr, "usage: %s [--runs N] [--once few_large|many_small] [--write DIR]\n",
                   argv[0]);
      return 2;
    }
  }
  const std::string few_large = few_large_body();
  const std::string many_small = many_small_body();
  for (const auto& [name, body] :
       {std::pair<const char*, const std::string&>{"few_large", few_large},
        {"many_small", many_small}}) {
    Result r;
    const double mbps = best_mb_per_s(body, runs, r);
    std::printf("httpfsm %-10s %8.1f MB/s  (%zu bytes, %zu parts, %zu content bytes)\n", name, mbps,
                body.size(), r.parts, r.content);
  }
  return 0;
}
