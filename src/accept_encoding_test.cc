#include "httpfsm/accept_encoding.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "httpfsm/head_parser.hpp"

namespace httpfsm {
namespace {

constexpr Coding kGzip[] = {Coding::gzip};
constexpr Coding kBrGzip[] = {Coding::br, Coding::gzip};

std::string pick(std::vector<std::string_view> values, std::span<const Coding> available = kGzip) {
  const std::optional<Coding> c = negotiate_encoding(values, available);
  return c ? std::string(coding_name(*c)) : "none";
}

// RFC 9110 §12.5.3, case by case.
TEST(AcceptEncoding, negotiates_as_rfc9110_12_5_3) {
  EXPECT_EQ(pick({}), "identity");    // absent: no compression asked for
  EXPECT_EQ(pick({""}), "identity");  // empty: no coding wanted
  EXPECT_EQ(pick({"gzip"}), "gzip");
  EXPECT_EQ(pick({"GZip"}), "gzip");          // case-insensitive
  EXPECT_EQ(pick({"x-gzip"}), "gzip");        // §8.4.1.3
  EXPECT_EQ(pick({"gzip;q=0"}), "identity");  // refused
  EXPECT_EQ(pick({"gzip; q=0.000"}), "identity");
  EXPECT_EQ(pick({"gzip;q=0.5"}), "gzip");  // identity only as the fallback
  EXPECT_EQ(pick({"gzip;q=0.5, identity"}), "identity");
  EXPECT_EQ(pick({"gzip, identity;q=0.5"}), "gzip");
  EXPECT_EQ(pick({"gzip, identity"}), "gzip");  // a tie goes to compression
  EXPECT_EQ(pick({"*"}), "gzip");
  EXPECT_EQ(pick({"*;q=0"}), "none");  // nothing acceptable, not even identity
  EXPECT_EQ(pick({"*;q=0, identity"}), "identity");
  EXPECT_EQ(pick({"identity;q=0"}), "none");  // gzip not listed, identity refused
  EXPECT_EQ(pick({"identity;q=0, gzip"}), "gzip");
  EXPECT_EQ(pick({"identity;q=0, *;q=0"}), "none");
  EXPECT_EQ(pick({"*;q=0.3, identity;q=0.5"}), "identity");
  EXPECT_EQ(pick({"encoding-1, gzip, encoding-2"}), "gzip");  // unknown codings ignored
  EXPECT_EQ(pick({"br, compress"}), "identity");              // nothing we offer
  EXPECT_EQ(pick({"gzip;level=9"}), "identity");              // a malformed element is ignored
  EXPECT_EQ(pick({"gzip;q=2"}), "identity");                  // q over 1 is malformed
  EXPECT_EQ(pick({"gzip;q=0.1234"}), "identity");             // four decimals are malformed
  EXPECT_EQ(pick({"gzip;q=1.000"}), "gzip");
  EXPECT_EQ(pick({" , gzip ,, "}), "gzip");         // empty elements
  EXPECT_EQ(pick({"gzip;q=0, gzip"}), "identity");  // the first entry counts
  EXPECT_EQ(pick({"deflate", "gzip"}), "gzip");     // several field lines combine
}

TEST(AcceptEncoding, prefers_the_server_order_on_ties_and_the_client_q_otherwise) {
  EXPECT_EQ(pick({"gzip, br"}, kBrGzip), "br");
  EXPECT_EQ(pick({"gzip, br;q=0.9"}, kBrGzip), "gzip");
  EXPECT_EQ(pick({"*"}, kBrGzip), "br");
}

TEST(AcceptEncoding, reads_every_line_of_a_parsed_head) {
  const std::string m =
      "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\naccept-encoding: gzip;q=0.8\r\n\r\n";
  HeadParser p;
  ASSERT_EQ(p.parse(m), Progress::complete);
  EXPECT_EQ(negotiate_encoding(m, p.head(), kGzip), Coding::gzip);
  const std::string none = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  p.reset();
  ASSERT_EQ(p.parse(none), Progress::complete);
  EXPECT_EQ(negotiate_encoding(none, p.head(), kGzip), Coding::identity);
}

}  // namespace
}  // namespace httpfsm
