// multipart_fuzzer: MultipartParser (httpfsm/multipart.hpp) on any body and boundary.
//   - whole, split at the input's points (joined, or as separate buffers through a carry
//     buffer, as a chunked body's slices) and byte by byte give the same events, error and
//     error offset (testing/multipart_driver.hpp merges adjacent text slices);
//   - every call consumes within its input and every event but need_more makes progress
//     (the driver throws otherwise);
//   - bytes held back stay below a delimiter's size or the part header limit;
//   - a body that reads without error holds no delimiter inside any text, and written back
//     from its parts (write_multipart) reads to the same parts: a fixed point.
// Input layout: [boundary size: 1] [boundary] [max_parts: 1] [max_part_header: 2]
//               [split points] body
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "httpfsm/multipart.hpp"
#include "testing/multipart_driver.hpp"

namespace httpfsm::fuzz {
namespace {

bool text_has_delimiter(const testing::BodyModel& m, const std::string& delimiter) {
  if (m.preamble.find(delimiter) != std::string::npos) return true;
  for (const auto& p : m.parts)
    if (p.content.find(delimiter) != std::string::npos) return true;
  return false;
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  fuzz::FuzzInput in(data, size);
  const std::size_t boundary_size = in.byte() % 72;
  std::string boundary;
  for (std::size_t i = 0; i < boundary_size; ++i) boundary += static_cast<char>(in.byte());
  MultipartLimits limits;
  limits.max_parts = in.in_range(1, 64);
  limits.max_part_header = 1 + in.u16() % 2048;
  const fuzz::SplitPoints points = in.split_points(16);
  const std::string body(in.rest());

  const testing::MultipartOutcome whole = testing::run_multipart_whole(body, boundary, limits);
  const testing::MultipartOutcome split =
      testing::run_multipart(body, boundary, points.at(body.size()), limits);
  HTTPFSM_FUZZ_CHECK(split == whole, "whole: " + whole.log + "\nsplit: " + split.log);
  // The same pieces as separate buffers, through a carry buffer (a chunked body).
  const testing::MultipartOutcome slices = testing::run_multipart_slices(
      body, boundary, points.at(body.size()), 1 + limits.max_parts % 32, limits);
  HTTPFSM_FUZZ_CHECK(slices == whole, "whole: " + whole.log + "\nslices: " + slices.log);
  if (body.size() <= 4096) {
    const testing::MultipartOutcome bytewise =
        testing::run_multipart_bytewise(body, boundary, limits);
    HTTPFSM_FUZZ_CHECK(bytewise == whole, "whole: " + whole.log + "\nbytewise: " + bytewise.log);
  }
  HTTPFSM_FUZZ_CHECK(split.max_held <
                     std::max<std::size_t>(4 + boundary.size(), limits.max_part_header));
  if (whole.error != MultipartError::none) {
    HTTPFSM_FUZZ_CHECK(whole.error_offset <= body.size());
    return 0;
  }
  testing::BodyModel model;
  MultipartError error{};
  HTTPFSM_FUZZ_CHECK(testing::read_multipart(body, boundary, model, error), whole.log);
  HTTPFSM_FUZZ_CHECK(!fuzz::text_has_delimiter(model, "\r\n--" + boundary), whole.log);
  const std::string again = testing::write_multipart(model, boundary);
  testing::BodyModel model_again;
  HTTPFSM_FUZZ_CHECK(testing::read_multipart(again, boundary, model_again, error),
                     testing::escape_bytes(again));
  HTTPFSM_FUZZ_CHECK(model_again == model, testing::escape_bytes(again));
  return 0;
}
