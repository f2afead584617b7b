// multipart/form-data limits at N-1, N and N+1 (issue 19, RFC 7578 §4, RFC 2046 §5.1.1): a body
// of exactly N parts, or a part header section of exactly N bytes (its blank line included),
// is read whole at limit N and N+1 and refused at N-1 with the limit's own error (413 both,
// RFC 9110 §15.5.14); parts() counts the parts begun and limits() is what the parser got.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "httpfsm/multipart.hpp"

namespace httpfsm {
namespace {

struct Read {
  MultipartError error = MultipartError::none;
  std::uint32_t parts = 0;
  bool done = false;
};

// Parses `body` (boundary "b") to its end, then finish().
Read read_body(const std::string& body, const MultipartLimits& limits) {
  MultipartParser p(limits);
  EXPECT_EQ(p.limits().max_parts, limits.max_parts);
  EXPECT_EQ(p.limits().max_part_header, limits.max_part_header);
  EXPECT_EQ(p.start("b"), MultipartError::none);
  std::string_view rest = body;
  Read r;
  for (;;) {
    const MultipartStep s = p.parse(rest);
    rest.remove_prefix(s.consumed);
    if (s.event == MultipartEvent::done) r.done = true;
    if (s.event == MultipartEvent::failed) break;
    if (s.event == MultipartEvent::need_more && (s.consumed == 0 || rest.empty())) break;
  }
  r.error = p.finish();
  r.parts = p.parts();
  return r;
}

std::string parts_body(std::uint32_t n) {
  std::string body;
  for (std::uint32_t i = 0; i < n; ++i)
    body += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  return body + "--b--\r\n";
}

TEST(MultipartLimits, part_count_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t n : {1u, 2u, 10u}) {
    const std::string body = parts_body(n);
    for (std::uint32_t limit : {n - 1, n, n + 1}) {
      const Read r = read_body(body, MultipartLimits{limit, 8192});
      if (limit < n) {
        EXPECT_EQ(r.error, MultipartError::too_many_parts) << n << " parts, limit " << limit;
        EXPECT_FALSE(r.done);
        EXPECT_EQ(r.parts, limit) << "the parts within the limit were begun, no more";
      } else {
        EXPECT_EQ(r.error, MultipartError::none) << n << " parts, limit " << limit;
        EXPECT_TRUE(r.done);
        EXPECT_EQ(r.parts, n);
      }
    }
  }
  EXPECT_EQ(multipart_error_status(MultipartError::too_many_parts), 413);
}

TEST(MultipartLimits, part_header_section_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t pad : {1u, 20u, 100u}) {
    // One header line and the blank line: "X: <pad>\r\n\r\n".
    const std::string section = "X: " + std::string(pad, 'v') + "\r\n\r\n";
    const auto n = static_cast<std::uint32_t>(section.size());
    const std::string body = "--b\r\n" + section + "content\r\n--b--";
    for (std::uint32_t limit : {n - 1, n, n + 1}) {
      const Read r = read_body(body, MultipartLimits{1000, limit});
      EXPECT_EQ(r.error, limit < n ? MultipartError::part_header_too_large : MultipartError::none)
          << "section " << n << " limit " << limit;
      EXPECT_EQ(r.done, limit >= n);
      EXPECT_EQ(r.parts, 1u);
    }
  }
  EXPECT_EQ(multipart_error_status(MultipartError::part_header_too_large), 413);
}

}  // namespace
}  // namespace httpfsm
