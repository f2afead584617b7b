// httpfsm-bench-websocket: the WebSocket loops that touch every payload byte, each beside its
// scalar reference, on one core:
//   mask/simd, mask/scalar        RFC 6455 §5.3 unmasking: mask_bytes() (SSE2 on x86-64, NEON
//                                 on AArch64) against detail::mask_bytes_scalar(), the byte
//                                 loop every other target would otherwise need
//   utf8/ascii, utf8/mixed        Utf8Validator (vector ASCII skip + Ragel machine) on ASCII
//                                 and on text with a two-byte character every 8 bytes
//   utf8_reference/...            the same texts through a plain byte-at-a-time decoder
//   decode/64, decode/65536       FrameDecoder on 1 MiB of masked client frames carrying 64 B
//                                 or 64 KiB text messages: header, unmask, UTF-8
// Bytes per second are in the output (SetBytesProcessed).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "httpfsm/websocket_decoder.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_utf8.hpp"

namespace {

using namespace httpfsm;

constexpr MaskKey kKey{0x37, 0xfa, 0x21, 0x3d};

void mask_simd(benchmark::State& state) {
  std::string buf(static_cast<std::size_t>(state.range(0)), 'm');
  for (auto _ : state) {
    mask_bytes(buf.data(), buf.data(), buf.size(), kKey, 0);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(mask_simd)->Name("mask/simd")->Arg(64)->Arg(65536);

void mask_scalar(benchmark::State& state) {
  std::string buf(static_cast<std::size_t>(state.range(0)), 'm');
  for (auto _ : state) {
    detail::mask_bytes_scalar(buf.data(), buf.data(), buf.size(), kKey, 0);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(mask_scalar)->Name("mask/scalar")->Arg(64)->Arg(65536);

std::string text(bool mixed) {
  std::string s;
  while (s.size() < 65536) s += mixed ? "abcdef\xc3\xa9" : "abcdefgh";
  return s;
}

// A byte-at-a-time UTF-8 check (RFC 3629 §4 table), the usual scalar way.
bool reference_valid(const std::string& s) {
  std::size_t i = 0;
  const auto n = s.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      len = 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b == 0xe0) lo = 0xa0;
      if (b == 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b == 0xf0) lo = 0x90;
      if (b == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (i + len > n) return false;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += len;
  }
  return true;
}

void utf8(benchmark::State& state) {
  const std::string s = text(state.range(0) != 0);
  for (auto _ : state) benchmark::DoNotOptimize(is_valid_utf8({s.data(), s.size()}));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
}
BENCHMARK(utf8)->Name("utf8/ascii")->Arg(0);
BENCHMARK(utf8)->Name("utf8/mixed")->Arg(1);

void utf8_reference(benchmark::State& state) {
  const std::string s = text(state.range(0) != 0);
  for (auto _ : state) benchmark::DoNotOptimize(reference_valid(s));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
}
BENCHMARK(utf8_reference)->Name("utf8_reference/ascii")->Arg(0);
BENCHMARK(utf8_reference)->Name("utf8_reference/mixed")->Arg(1);

void decode(benchmark::State& state) {
  // Many messages back to back, unmasked into a separate buffer so the input stays masked
  // and every run decodes the same bytes (no per-run copy or timer pause to measure).
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string payload(size, 'd');
  FrameFields f;
  f.masked = true;
  f.key = kKey;
  std::string frame(frame_header_size(size, true) + size, '\0');
  frame.resize(write_frame(std::span<char>(frame.data(), frame.size()), f,
                           {payload.data(), payload.size()}));
  std::string input;
  while (input.size() < (1u << 20)) input += frame;
  std::string out(input.size(), '\0');
  FrameDecoder d;
  std::int64_t messages = 0;
  for (auto _ : state) {
    std::size_t at = 0;
    while (at < input.size()) {
      const FrameStep s =
          d.decode(std::span<const char>(input.data() + at, input.size() - at), out.data() + at);
      at += s.consumed;
      messages += s.message_end ? 1 : 0;
      benchmark::DoNotOptimize(s.data.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}
BENCHMARK(decode)->Name("decode")->Arg(64)->Arg(65536);

}  // namespace

BENCHMARK_MAIN();
