// head_parser_fuzzer: the input is a stream of pipelined requests. run_stream() parses every
// head and decodes every body, checking each call against the API contract (consumed bytes
// within the input, every failure a listed error with its offset inside the input, spans
// inside the head, heads that satisfy the grammar and the framing rules, sticky results).
//
// The stream runs twice, with the default limits and with tight ones. Limits only ever
// restrict: the tight run must give the same messages as the default run, up to a message
// where it fails with a limit error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "request_stream.hpp"

namespace httpfsm::fuzz {
namespace {

void check_limits_only_restrict(const StreamRecord& normal, const StreamRecord& tight) {
  const auto ctx = [&] {
    return "default limits:\n" + describe(normal) + "tight limits:\n" + describe(tight);
  };
  HTTPFSM_FUZZ_CHECK(tight.messages.size() <= normal.messages.size(), ctx());
  for (std::size_t i = 0; i < tight.messages.size(); ++i) {
    const MessageRecord& t = tight.messages[i];
    if (is_limit_error(t.head_error) || is_limit_error(t.body_error)) {
      HTTPFSM_FUZZ_CHECK(i + 1 == tight.messages.size(), ctx());
      return;
    }
    HTTPFSM_FUZZ_CHECK(t == normal.messages[i], ctx());
  }
  HTTPFSM_FUZZ_CHECK(tight.messages.size() == normal.messages.size(), ctx());
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm::fuzz;
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const StreamRecord normal = run_stream(stream, httpfsm::Limits{});
  const StreamRecord tight = run_stream(stream, tight_limits());
  check_limits_only_restrict(normal, tight);
  return 0;
}
