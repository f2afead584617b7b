// The opening handshake (RFC 6455 §4.2.1, §4.2.2) and permessage-deflate negotiation
// (RFC 7692 §5, §7).
#include "httpfsm/websocket_handshake.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "httpfsm/head_parser.hpp"
#include "httpfsm/websocket_deflate.hpp"

namespace httpfsm {
namespace {

constexpr std::string_view kGood =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

struct Parsed {
  std::string bytes;
  HeadParser parser;
};

Handshake check(std::string request, UpgradeCheck* out = nullptr) {
  HeadParser p;
  EXPECT_EQ(p.parse({request.data(), request.size()}), Progress::complete) << request;
  const UpgradeCheck c = check_upgrade({request.data(), request.size()}, p.head());
  if (out != nullptr) *out = c;
  return c.result;
}

std::string replace(std::string_view s, std::string_view from, std::string_view to) {
  std::string r(s);
  const std::size_t i = r.find(from);
  EXPECT_NE(i, std::string::npos) << from;
  r.replace(i, from.size(), to);
  return r;
}

TEST(Handshake, accepts_the_rfc_example) {
  // RFC 6455 §1.3's client handshake.
  std::string request(kGood);
  HeadParser p;
  ASSERT_EQ(p.parse({request.data(), request.size()}), Progress::complete);
  const UpgradeCheck c = check_upgrade({request.data(), request.size()}, p.head());
  EXPECT_EQ(c.result, Handshake::ok);
  EXPECT_EQ(c.key, "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(c.protocols, "chat, superchat");
}

TEST(Handshake, each_rule_has_its_named_result) {
  EXPECT_EQ(check(replace(kGood, "GET", "POST")), Handshake::not_get);
  EXPECT_EQ(check(replace(kGood, "HTTP/1.1", "HTTP/1.0")), Handshake::not_http11);
  EXPECT_EQ(check(replace(kGood, "Origin", "Content-Length: 1\r\nOrigin")), Handshake::has_body);
  EXPECT_EQ(check(replace(kGood, "Origin", "Transfer-Encoding: chunked\r\nOrigin")),
            Handshake::has_body);
  // "Content-Length: 0" announces no content: still a valid handshake.
  EXPECT_EQ(check(replace(kGood, "Origin", "Content-Length: 0\r\nOrigin")), Handshake::ok);
  EXPECT_EQ(check(replace(kGood, "Upgrade: websocket", "Upgrade: h2c")),
            Handshake::missing_upgrade);
  EXPECT_EQ(check(replace(kGood, "Upgrade: websocket\r\n", "")), Handshake::missing_upgrade);
  EXPECT_EQ(check(replace(kGood, "Connection: Upgrade", "Connection: keep-alive")),
            Handshake::missing_connection_upgrade);
  EXPECT_EQ(check(replace(kGood, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "")),
            Handshake::missing_key);
  EXPECT_EQ(check(replace(kGood, "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ")),
            Handshake::bad_key);
  EXPECT_EQ(check(replace(kGood, "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZR==")),
            Handshake::bad_key);
  EXPECT_EQ(check(replace(kGood, "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25j!Q==")),
            Handshake::bad_key);
  EXPECT_EQ(
      check(replace(kGood, "Origin", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin")),
      Handshake::bad_key);
  EXPECT_EQ(check(replace(kGood, "Sec-WebSocket-Version: 13\r\n", "")), Handshake::missing_version);
  EXPECT_EQ(check(replace(kGood, "Version: 13", "Version: 8")), Handshake::unsupported_version);
  EXPECT_EQ(handshake_status(Handshake::unsupported_version), 426);
  EXPECT_EQ(handshake_status(Handshake::bad_key), 400);
  EXPECT_EQ(handshake_name(Handshake::missing_connection_upgrade), "missing_connection_upgrade");
}

TEST(Handshake, tokens_are_case_insensitive_lists_on_any_line) {
  // §4.2.1 items 3 and 4: "treated as an ASCII case-insensitive value"; lists (RFC 9110 §5.6.1).
  EXPECT_EQ(check(replace(kGood, "Upgrade: websocket", "Upgrade: WebSocket")), Handshake::ok);
  EXPECT_EQ(check(replace(kGood, "Connection: Upgrade", "Connection: keep-alive, upgrade")),
            Handshake::ok);
  EXPECT_EQ(
      check(replace(kGood, "Connection: Upgrade", "Connection: keep-alive\r\nConnection: Upgrade")),
      Handshake::ok);
  EXPECT_EQ(check(replace(kGood, "Connection: Upgrade", "Connection: upgraded")),
            Handshake::missing_connection_upgrade);
}

TEST(Handshake, accept_value_of_the_rfc_example) {
  // RFC 6455 §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" hashes (with the GUID) to
  // 0xb3 0x7a 0x4f 0x2c 0xc0 0x62 0x4f 0x16 0x90 0xf6 0x46 0x06 0xcf 0x38 0x59 0x45 0xb2 0xbe
  // 0xc4 0xea, whose base64 is "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
  const auto in = accept_hash_input("dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(std::string_view(in.data(), in.size()),
            "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  const std::array<std::uint8_t, 20> digest{0xb3, 0x7a, 0x4f, 0x2c, 0xc0, 0x62, 0x4f,
                                            0x16, 0x90, 0xf6, 0x46, 0x06, 0xcf, 0x38,
                                            0x59, 0x45, 0xb2, 0xbe, 0xc4, 0xea};
  const auto accept = encode_accept(digest);
  EXPECT_EQ(std::string_view(accept.data(), accept.size()), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

// RFC 7692.
DeflateOffer offer(std::string_view s, DeflateParams* out = nullptr) {
  DeflateParams p;
  const DeflateOffer r = parse_deflate_offer(s, p);
  if (out != nullptr) *out = p;
  return r;
}

// RFC 6455 §4.2.2 /subprotocol/ over the request's Sec-WebSocket-Protocol lines; "" is none.
std::string subprotocol(std::string_view protocol_lines,
                        std::initializer_list<std::string_view> supported) {
  std::string request(
      replace(kGood, "Sec-WebSocket-Protocol: chat, superchat\r\n", protocol_lines));
  HeadParser p;
  EXPECT_EQ(p.parse({request.data(), request.size()}), Progress::complete) << request;
  const std::string_view chosen = select_subprotocol({request.data(), request.size()}, p.head(),
                                                     {supported.begin(), supported.size()});
  if (!chosen.empty()) {  // a view into the request, never a copy of the server's name
    EXPECT_GE(chosen.data(), request.data());
    EXPECT_LE(chosen.data() + chosen.size(), request.data() + request.size());
  }
  return std::string(chosen);
}

TEST(Subprotocol, the_clients_first_choice_that_the_server_speaks) {
  // §4.1: the client lists subprotocols "ordered by preference"; the server picks one of them.
  const std::string_view offer = "Sec-WebSocket-Protocol: chat, superchat\r\n";
  EXPECT_EQ(subprotocol(offer, {"chat", "superchat"}), "chat");
  EXPECT_EQ(subprotocol(offer, {"superchat", "chat"}), "chat");
  EXPECT_EQ(subprotocol(offer, {"superchat"}), "superchat");
  EXPECT_EQ(subprotocol(offer, {"graphql-ws", "superchat"}), "superchat");
}

TEST(Subprotocol, none_agreed_means_no_field) {
  // §4.2.2: "if the server does not wish to agree to one of the suggested subprotocols, it MUST
  // NOT send back a Sec-WebSocket-Protocol header field": the empty answer.
  const std::string_view offer = "Sec-WebSocket-Protocol: chat, superchat\r\n";
  EXPECT_EQ(subprotocol(offer, {}), "");
  EXPECT_EQ(subprotocol(offer, {"mqtt"}), "");
  EXPECT_EQ(subprotocol("", {"chat"}), "");                             // nothing offered
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol:\r\n", {"chat"}), "");  // an empty list
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: , ,\r\n", {"chat"}), "");
}

TEST(Subprotocol, every_line_counts_in_order) {
  // §11.3.4: the field "MAY appear multiple times in an HTTP request (which is equivalent to
  // a single |Sec-WebSocket-Protocol| header field that contains all values)".
  const std::string_view lines =
      "Sec-WebSocket-Protocol: v1.stomp\r\n"
      "sec-websocket-protocol: chat,superchat\r\n";
  EXPECT_EQ(subprotocol(lines, {"superchat"}), "superchat");
  EXPECT_EQ(subprotocol(lines, {"chat", "v1.stomp"}), "v1.stomp");
}

TEST(Subprotocol, compared_byte_for_byte_and_tokens_only) {
  // Names are compared exactly: the client fails the connection on an answer it did not
  // offer (§4.1), so "Chat" is not "chat". Elements are tokens (§4.1); one that is not, or an
  // empty one, is never echoed.
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: Chat\r\n", {"chat"}), "");
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: \t chat \t\r\n", {"chat"}), "chat");
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: ,,chat,\r\n", {"chat"}), "chat");
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: \"chat\"\r\n", {"\"chat\""}), "");
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: chat room\r\n", {"chat room"}), "");
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: chat;v=2, chat\r\n", {"chat;v=2", "chat"}),
            "chat");
  EXPECT_EQ(subprotocol("Sec-WebSocket-Protocol: chat\r\n", {""}), "");
}

TEST(DeflateOffer, parses_every_parameter) {
  DeflateParams p;
  ASSERT_EQ(offer("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                  "server_max_window_bits=10; client_max_window_bits",
                  &p),
            DeflateOffer::ok);
  EXPECT_TRUE(p.server_no_context_takeover);
  EXPECT_TRUE(p.client_no_context_takeover);
  EXPECT_EQ(p.server_max_window_bits, 10);
  EXPECT_TRUE(p.has_client_max_window_bits);
  EXPECT_EQ(p.client_max_window_bits, 15);
  ASSERT_EQ(offer("permessage-deflate;client_max_window_bits=\"9\"", &p), DeflateOffer::ok);
  EXPECT_EQ(p.client_max_window_bits, 9);
  EXPECT_EQ(offer("permessage-deflate"), DeflateOffer::ok);
}

TEST(DeflateOffer, declines_what_section_7_forbids) {
  EXPECT_EQ(offer("x-webkit-deflate-frame"), DeflateOffer::not_deflate);
  EXPECT_EQ(offer("permessage-deflate; foo"), DeflateOffer::unknown_parameter);
  EXPECT_EQ(offer("permessage-deflate; server_no_context_takeover; server_no_context_takeover"),
            DeflateOffer::duplicate_parameter);
  EXPECT_EQ(offer("permessage-deflate; server_no_context_takeover=1"), DeflateOffer::invalid_value);
  EXPECT_EQ(offer("permessage-deflate; server_max_window_bits"), DeflateOffer::invalid_value);
  EXPECT_EQ(offer("permessage-deflate; server_max_window_bits=7"), DeflateOffer::invalid_value);
  EXPECT_EQ(offer("permessage-deflate; server_max_window_bits=16"), DeflateOffer::invalid_value);
  EXPECT_EQ(offer("permessage-deflate; server_max_window_bits=010"), DeflateOffer::invalid_value);
  EXPECT_EQ(offer("permessage-deflate; client_max_window_bits=\"100\""),
            DeflateOffer::invalid_value);
  EXPECT_EQ(offer("permessage-deflate;"), DeflateOffer::syntax);
  EXPECT_EQ(offer("permessage-deflate; a b"), DeflateOffer::syntax);
  EXPECT_EQ(offer(""), DeflateOffer::syntax);
}

TEST(DeflateNegotiation, answers_a_plain_offer) {
  const DeflateAgreement a = negotiate_deflate("permessage-deflate", DeflateConfig{});
  ASSERT_TRUE(a.accepted);
  EXPECT_EQ(a.response_value(), "permessage-deflate");
  EXPECT_EQ(a.params.server_max_window_bits, 15);
}

TEST(DeflateNegotiation, takes_the_first_acceptable_offer) {
  // RFC 7692 §5.1: an offer that cannot be accepted is declined and the next one considered.
  const DeflateAgreement a = negotiate_deflate(
      "permessage-deflate; bogus, permessage-deflate; server_max_window_bits=8, "
      "permessage-deflate; client_max_window_bits; server_no_context_takeover",
      DeflateConfig{});
  ASSERT_TRUE(a.accepted);
  EXPECT_EQ(a.response_value(), "permessage-deflate; server_no_context_takeover");
  EXPECT_TRUE(a.params.server_no_context_takeover);
}

TEST(DeflateNegotiation, window_bits_follow_offer_and_config) {
  DeflateConfig config;
  config.client_max_window_bits = 12;
  config.client_no_context_takeover = true;
  const DeflateAgreement a = negotiate_deflate(
      "permessage-deflate; server_max_window_bits=11; client_max_window_bits", config);
  ASSERT_TRUE(a.accepted);
  EXPECT_EQ(a.response_value(),
            "permessage-deflate; client_no_context_takeover; server_max_window_bits=11; "
            "client_max_window_bits=12");
  EXPECT_EQ(a.params.server_max_window_bits, 11);
  EXPECT_EQ(a.params.client_max_window_bits, 12);
  // §7.1.2.2: without the client's parameter the server may not name the client's window.
  const DeflateAgreement b = negotiate_deflate("permessage-deflate", config);
  EXPECT_EQ(b.response_value(), "permessage-deflate; client_no_context_takeover");
  EXPECT_EQ(b.params.client_max_window_bits, 15);
}

TEST(DeflateNegotiation, nothing_when_disabled_or_not_offered) {
  DeflateConfig off;
  off.enabled = false;
  EXPECT_FALSE(negotiate_deflate("permessage-deflate", off).accepted);
  EXPECT_FALSE(negotiate_deflate("x-other, foo", DeflateConfig{}).accepted);
  EXPECT_FALSE(negotiate_deflate("", DeflateConfig{}).accepted);
}

TEST(DeflateNegotiation, reads_every_extensions_line_of_a_request) {
  std::string request =
      replace(kGood, "Origin",
              "Sec-WebSocket-Extensions: foo\r\n"
              "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n"
              "Origin");
  HeadParser p;
  ASSERT_EQ(p.parse({request.data(), request.size()}), Progress::complete);
  const DeflateAgreement a =
      negotiate_deflate({request.data(), request.size()}, p.head(), DeflateConfig{});
  ASSERT_TRUE(a.accepted);
  EXPECT_EQ(a.params.client_max_window_bits, 10);
  EXPECT_EQ(a.response_value(), "permessage-deflate; client_max_window_bits=10");
}

}  // namespace
}  // namespace httpfsm
