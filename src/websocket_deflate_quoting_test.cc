// Quoted parameter values in a permessage-deflate offer (RFC 6455 §9.1: extension-param values
// may be a token or a quoted-string, "the value after quoted-string unescaping MUST conform to
// the 'token' ABNF"; RFC 7692 §7.1.2 window bits 8-15): quoted-pairs unescape, a ";" inside
// quotes separates nothing, and a quoted value that cannot be a window size is declined as an
// invalid value, an unquoted non-token as bad syntax (RFC 7692 §5.1: declined, not fatal).
#include <gtest/gtest.h>

#include <string>

#include "httpfsm/websocket_deflate.hpp"

namespace httpfsm {
namespace {

TEST(DeflateOfferQuoting, quoted_pairs_unescape_to_the_value) {
  DeflateParams p;
  ASSERT_EQ(parse_deflate_offer("permessage-deflate; client_max_window_bits=\"1\\0\"", p),
            DeflateOffer::ok);
  EXPECT_EQ(p.client_max_window_bits, 10);
  ASSERT_EQ(parse_deflate_offer("permessage-deflate; server_max_window_bits=\"\\8\"", p),
            DeflateOffer::ok);
  EXPECT_EQ(p.server_max_window_bits, 8);
}

TEST(DeflateOfferQuoting, quoted_values_that_cannot_be_window_bits_are_invalid) {
  DeflateParams p;
  for (const char* offer : {
           "permessage-deflate; server_max_window_bits=\"12345\"",  // longer than any value
           "permessage-deflate; server_max_window_bits=\"1\\\"",    // ends in a lone backslash
           "permessage-deflate; server_max_window_bits=\"1;0\"",    // ";" quoted: not a token
           "permessage-deflate; server_max_window_bits=\"\"",       // empty
       }) {
    EXPECT_EQ(parse_deflate_offer(offer, p), DeflateOffer::invalid_value) << offer;
  }
  // Unquoted, a value that is no token is bad syntax.
  EXPECT_EQ(parse_deflate_offer("permessage-deflate; server_max_window_bits=1 0", p),
            DeflateOffer::syntax);
  EXPECT_EQ(parse_deflate_offer("permessage-deflate; server_max_window_bits=\"10", p),
            DeflateOffer::invalid_value);  // unterminated quote
}

}  // namespace
}  // namespace httpfsm
