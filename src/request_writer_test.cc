#include "httpfsm/request_writer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "httpfsm/head_parser.hpp"
#include "test_support.hpp"

namespace httpfsm {
namespace {

std::string canonical(std::string_view in) {
  HeadParser p;
  EXPECT_EQ(p.parse(in), Progress::complete) << testing::escape(in);
  std::string out(request_head_size(p.head()), '\0');
  const std::size_t n = write_request_head(in, p.head(), out);
  EXPECT_EQ(n, out.size());
  return out;
}

TEST(RequestWriter, writes_the_canonical_form) {
  EXPECT_EQ(canonical("\r\nGET /a?b HTTP/1.1\r\nhost:   x  \r\nX-Empty:\r\n\r\n"),
            "GET /a?b HTTP/1.1\r\nhost: x\r\nX-Empty: \r\n\r\n");
  EXPECT_EQ(canonical("OPTIONS * HTTP/1.0\r\n\r\n"), "OPTIONS * HTTP/1.0\r\n\r\n");
}

TEST(RequestWriter, output_parses_to_the_same_head) {
  for (const char* in :
       {"POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip ,chunked\r\n\r\n",
        "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
        "GET http://h/x HTTP/1.9\r\nHost: h\r\nA:\t\tb c\t\r\nCookie: caf\xc3\xa9\r\n\r\n"}) {
    HeadParser first;
    if (first.parse(std::string_view(in)) != Progress::complete) continue;  // 501 for gzip
    const std::string once = canonical(in);
    const testing::HeadOutcome a = testing::parse_whole(in);
    const testing::HeadOutcome b = testing::parse_whole(once);
    EXPECT_EQ(a.description, b.description) << in;
    EXPECT_EQ(canonical(once), once);  // canonical form is a fixed point
  }
}

TEST(RequestWriter, refuses_a_short_buffer) {
  const std::string in = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  HeadParser p;
  ASSERT_EQ(p.parse(in), Progress::complete);
  std::string out(request_head_size(p.head()) - 1, '\0');
  EXPECT_EQ(write_request_head(in, p.head(), out), 0u);
}

}  // namespace
}  // namespace httpfsm
