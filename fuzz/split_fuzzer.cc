// split_fuzzer: any split of a stream gives the same result as the whole stream (README:
// "any split of the input gives the same result"). Leading bytes choose the limits and the
// split points; the rest is a stream of pipelined requests, fed whole, in the chosen pieces and
// one byte at a time. Heads (every span and decision), body bytes, trailers, errors and their
// offsets must be identical; any difference aborts.
//
// Input layout: [limits selector] [mode] [cut count] [2 bytes per cut] stream...
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "request_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const httpfsm::Limits limits = limits_from_byte(in.byte());
  const std::uint8_t mode = in.byte();
  const SplitPoints split_points = in.split_points(32);
  const std::string_view stream = in.rest();
  const std::vector<std::size_t> cuts = split_points.at(stream.size());

  const StreamRecord whole = run_stream(stream, limits);
  const StreamRecord split = run_stream(stream, limits, cuts);
  HTTPFSM_FUZZ_CHECK(split == whole, "stream: \"" + escape(stream) + "\"\nwhole:\n" +
                                         describe(whole) + "split:\n" + describe(split));
  // Byte by byte is the hardest split; quadratic in the copies, so only for short streams.
  if ((mode & 1) != 0 && stream.size() <= 1024) {
    std::vector<std::size_t> every(stream.size());
    for (std::size_t i = 0; i < every.size(); ++i) every[i] = i;
    const StreamRecord bytewise = run_stream(stream, limits, every);
    HTTPFSM_FUZZ_CHECK(bytewise == whole, "stream: \"" + escape(stream) + "\"\nwhole:\n" +
                                              describe(whole) + "bytewise:\n" + describe(bytewise));
  }
  return 0;
}
