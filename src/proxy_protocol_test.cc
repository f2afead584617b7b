// ProxyHeaderParser against HAProxy's specification ("The PROXY protocol, Versions 1 & 2",
// 2020/03/05): one test per rule, the section above it.
#include "httpfsm/proxy_protocol.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

namespace httpfsm {
namespace {

using namespace std::string_literals;

ProxyHeaderParser parse_all(std::string_view bytes) {
  ProxyHeaderParser p;
  p.parse({bytes.data(), bytes.size()});
  return p;
}

ProxyError error_of(std::string_view bytes) { return parse_all(bytes).error(); }

std::array<std::uint8_t, 16> v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return {a, b, c, d};
}

std::array<std::uint8_t, 16> v6(std::initializer_list<std::uint16_t> words) {
  std::array<std::uint8_t, 16> out{};
  std::size_t i = 0;
  for (const std::uint16_t w : words) {
    out[i++] = static_cast<std::uint8_t>(w >> 8);
    out[i++] = static_cast<std::uint8_t>(w & 0xff);
  }
  return out;
}

// The v2 fixed part: signature, version/command, family/transport, length.
std::string v2(std::uint8_t ver_cmd, std::uint8_t family, std::string_view rest) {
  std::string s(reinterpret_cast<const char*>(kProxyV2Signature.data()), kProxyV2Signature.size());
  s += static_cast<char>(ver_cmd);
  s += static_cast<char>(family);
  s += static_cast<char>(rest.size() >> 8);
  s += static_cast<char>(rest.size() & 0xff);
  s += rest;
  return s;
}

// TCP over IPv4: 192.0.2.1:56324 -> 198.51.100.7:443 (§2.2 ipv4_addr).
const std::string kV4Block = "\xC0\x00\x02\x01\xC6\x33\x64\x07\xDC\x04\x01\xBB"s;

std::string tlv(std::uint8_t type, std::string_view value) {
  std::string s;
  s += static_cast<char>(type);
  s += static_cast<char>(value.size() >> 8);
  s += static_cast<char>(value.size() & 0xff);
  s += value;
  return s;
}

// §2.1: the example line, then the HTTP request it precedes.
TEST(ProxyProtocolV1, the_specification_example) {
  const std::string line = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
  const std::string bytes = line + "GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n";
  const ProxyHeaderParser p = parse_all(bytes);
  ASSERT_EQ(p.progress(), Progress::complete) << proxy_error_name(p.error());
  const ProxyHeader& h = p.header();
  EXPECT_EQ(h.version, 1);
  EXPECT_EQ(h.command, ProxyCommand::proxy);
  EXPECT_EQ(h.family, ProxyFamily::inet);
  EXPECT_EQ(h.transport, ProxyTransport::stream);
  EXPECT_EQ(h.source_address, v4(192, 168, 0, 1));
  EXPECT_EQ(h.destination_address, v4(192, 168, 0, 11));
  EXPECT_EQ(h.source_port, 56324);
  EXPECT_EQ(h.destination_port, 443);
  EXPECT_EQ(h.length, line.size());  // the HTTP request starts right after
  EXPECT_TRUE(h.uses_addresses());
}

// §2.1: the maximum lengths the receiver must support: 56 (TCP4), 104 (TCP6), 15 and 107
// (UNKNOWN) bytes.
TEST(ProxyProtocolV1, the_longest_lines_of_each_kind_are_accepted) {
  const std::string tcp4 = "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n";
  const std::string full6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  const std::string tcp6 = "PROXY TCP6 " + full6 + " " + full6 + " 65535 65535\r\n";
  const std::string unknown = "PROXY UNKNOWN " + full6 + " " + full6 + " 65535 65535\r\n";
  ASSERT_EQ(tcp4.size(), 56u);
  ASSERT_EQ(tcp6.size(), 104u);
  ASSERT_EQ(unknown.size(), 107u);
  for (const std::string& line : {tcp4, tcp6, unknown, "PROXY UNKNOWN\r\n"s}) {
    const ProxyHeaderParser p = parse_all(line);
    ASSERT_EQ(p.progress(), Progress::complete) << line;
    EXPECT_EQ(p.header().length, line.size());
  }
  EXPECT_EQ(parse_all(tcp6).header().source_address,
            v6({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}));
  EXPECT_EQ(parse_all(tcp4).header().destination_port, 65535);
}

// §2.1: "If the CRLF sequence is not found in the first 107 characters, the receiver should
// declare the line invalid."
TEST(ProxyProtocolV1, no_crlf_in_107_bytes_is_too_long) {
  const std::string long_line = "PROXY UNKNOWN " + std::string(200, 'x');
  EXPECT_EQ(parse_all(long_line.substr(0, 106)).progress(), Progress::need_more);
  EXPECT_EQ(error_of(long_line.substr(0, 107)), ProxyError::v1_line_too_long);
  // 106 bytes and a CR: the LF would be the 108th byte.
  EXPECT_EQ(error_of(long_line.substr(0, 106) + "\r"), ProxyError::v1_line_too_long);
  EXPECT_EQ(error_of(long_line.substr(0, 105) + "\r\n"), ProxyError::none);
}

// §2.1: "The receiver must not tolerate a single CR or LF character to end the line".
TEST(ProxyProtocolV1, a_bare_cr_or_lf_is_refused) {
  EXPECT_EQ(error_of("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"), ProxyError::v1_bad_syntax);
  EXPECT_EQ(error_of("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX"), ProxyError::v1_bad_syntax);
  EXPECT_EQ(error_of("PROXY UNKNOWN\n"), ProxyError::v1_bad_syntax);
  EXPECT_EQ(error_of("PROXY UNKNOWN \r\r\n"), ProxyError::v1_bad_syntax);
}

// §2.1: "exactly one space" between the fields.
TEST(ProxyProtocolV1, fields_are_separated_by_exactly_one_space) {
  for (const char* line : {
           "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
           "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",
           "PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n",
           "PROXY\r\n",
           "PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n",
       }) {
    EXPECT_EQ(error_of(line), ProxyError::v1_bad_syntax) << line;
  }
}

// §2.1: only "TCP4", "TCP6" and "UNKNOWN", in upper case.
TEST(ProxyProtocolV1, only_tcp4_tcp6_and_unknown) {
  EXPECT_EQ(error_of("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n"), ProxyError::v1_bad_protocol);
  EXPECT_EQ(error_of("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n"), ProxyError::v1_bad_protocol);
  EXPECT_EQ(error_of("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"), ProxyError::v1_bad_protocol);
  EXPECT_EQ(error_of("PROXY UNKNOWNX\r\n"), ProxyError::v1_bad_protocol);
}

// §2.1: for "UNKNOWN", "the receiver must ignore anything presented before the CRLF", and
// "SHOULD accept the connection and use the real connection's parameters".
TEST(ProxyProtocolV1, unknown_ignores_the_rest_of_the_line) {
  const std::string line = "PROXY UNKNOWN whatever \x01 was sent\r\n";
  const ProxyHeaderParser p = parse_all(line + "GET");
  ASSERT_EQ(p.progress(), Progress::complete);
  EXPECT_EQ(p.header().family, ProxyFamily::unspec);
  EXPECT_EQ(p.header().length, line.size());
  EXPECT_FALSE(p.header().uses_addresses());
}

// §2.1: IPv4 "exactly 4 integers in the range [0..255] ... Heading zeroes are not permitted".
TEST(ProxyProtocolV1, ipv4_addresses_are_canonical) {
  EXPECT_EQ(error_of("PROXY TCP4 0.0.0.0 10.0.0.255 0 1\r\n"), ProxyError::none);
  for (const char* address : {"01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4.",
                              "a.b.c.d", "::1", "1.2.3.0004", "-1.2.3.4", "1.2.3.+4"}) {
    EXPECT_EQ(error_of("PROXY TCP4 "s + address + " 1.1.1.1 1 2\r\n"), ProxyError::v1_bad_address)
        << address;
  }
}

// §2.1: IPv6 "series of sets of 4 hexadecimal digits (upper or lower case) delimited by
// colons ... with the acceptance of one double colon sequence", 128 bits exactly. Senders
// print with inet_ntop(), so shorter groups and an IPv4 tail come too.
TEST(ProxyProtocolV1, ipv6_addresses_in_their_text_forms) {
  const auto source = [](const std::string& address) {
    const ProxyHeaderParser p = parse_all("PROXY TCP6 " + address + " ::1 1 2\r\n");
    EXPECT_EQ(p.progress(), Progress::complete) << address;
    return p.header().source_address;
  };
  EXPECT_EQ(source("2001:0DB8:0000:0000:0000:0000:0000:0001"),
            v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(source("2001:db8::1"), v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(source("::"), v6({}));
  EXPECT_EQ(source("1::"), v6({1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(source("1:2:3:4:5:6::8"), v6({1, 2, 3, 4, 5, 6, 0, 8}));
  EXPECT_EQ(source("::ffff:192.0.2.1"), v6({0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201}));
  for (const char* address : {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:::2",
                              "1::2:", "12345::", "g::1", "1:2:3:4:5:6:7:8::", "1.2.3.4", "::1.2.3",
                              "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4"}) {
    EXPECT_EQ(error_of("PROXY TCP6 "s + address + " ::1 1 2\r\n"), ProxyError::v1_bad_address)
        << address;
  }
  // The family dictates the format: an IPv6 address on a TCP4 line is refused, and back.
  EXPECT_EQ(error_of("PROXY TCP6 1.2.3.4 ::1 1 2\r\n"), ProxyError::v1_bad_address);
}

// §2.1: ports "a decimal integer in the range [0..65535] ... Heading zeroes are not
// permitted".
TEST(ProxyProtocolV1, ports_are_decimal_without_leading_zeros) {
  EXPECT_EQ(error_of("PROXY TCP4 1.1.1.1 2.2.2.2 0 65535\r\n"), ProxyError::none);
  for (const char* port : {"65536", "0443", "00", "-1", "+1", "1a", "999999"}) {
    EXPECT_EQ(error_of("PROXY TCP4 1.1.1.1 2.2.2.2 "s + port + " 80\r\n"), ProxyError::v1_bad_port)
        << port;
  }
}

// §2.2 (end): neither signature: "the protocol is not covered by this specification and the
// connection must be dropped", as soon as the first differing byte arrives.
TEST(ProxyProtocol, anything_else_fails_on_its_first_differing_byte) {
  EXPECT_EQ(error_of("G"), ProxyError::not_proxy_protocol);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\n"), ProxyError::not_proxy_protocol);
  EXPECT_EQ(error_of("PROX "), ProxyError::not_proxy_protocol);
  EXPECT_EQ(error_of("proxy TCP4"), ProxyError::not_proxy_protocol);
  EXPECT_EQ(error_of("\r\n\r\n\x01"), ProxyError::not_proxy_protocol);
  EXPECT_EQ(error_of("\r\nGET"), ProxyError::not_proxy_protocol);
  EXPECT_EQ(parse_all("").progress(), Progress::need_more);
  EXPECT_EQ(parse_all("PROX").progress(), Progress::need_more);
  EXPECT_EQ(parse_all("\r\n\r\n\0\r\nQUI"s).progress(), Progress::need_more);
}

// §2.2: TCP over IPv4, "Address length is 2*4 + 2*2 = 12 bytes".
TEST(ProxyProtocolV2, proxy_tcp_over_ipv4) {
  const std::string header = v2(0x21, 0x11, kV4Block);
  const ProxyHeaderParser p = parse_all(header + "GET / HTTP/1.1\r\n");
  ASSERT_EQ(p.progress(), Progress::complete) << proxy_error_name(p.error());
  const ProxyHeader& h = p.header();
  EXPECT_EQ(h.version, 2);
  EXPECT_EQ(h.command, ProxyCommand::proxy);
  EXPECT_EQ(h.family, ProxyFamily::inet);
  EXPECT_EQ(h.transport, ProxyTransport::stream);
  EXPECT_EQ(h.source_address, v4(192, 0, 2, 1));
  EXPECT_EQ(h.destination_address, v4(198, 51, 100, 7));
  EXPECT_EQ(h.source_port, 56324);
  EXPECT_EQ(h.destination_port, 443);
  EXPECT_EQ(h.length, 28u);  // "always exactly 16 + this value"
  EXPECT_EQ(h.tlvs, (Span{28, 0}));
  EXPECT_TRUE(h.uses_addresses());
}

// §2.2: TCP and UDP over IPv6, "2*16 + 2*2 = 36 bytes".
TEST(ProxyProtocolV2, proxy_tcp_and_udp_over_ipv6) {
  std::string block(36, '\0');
  block[0] = '\x20';
  block[1] = '\x01';
  block[15] = '\x01';  // 2001::1
  block[31] = '\x02';  // ::2
  block[32] = '\x12';
  block[33] = '\x34';
  block[34] = '\x00';
  block[35] = '\x50';
  for (const std::uint8_t family : {std::uint8_t{0x21}, std::uint8_t{0x22}}) {
    const ProxyHeaderParser p = parse_all(v2(0x21, family, block));
    ASSERT_EQ(p.progress(), Progress::complete);
    EXPECT_EQ(p.header().family, ProxyFamily::inet6);
    EXPECT_EQ(p.header().transport,
              family == 0x21 ? ProxyTransport::stream : ProxyTransport::dgram);
    EXPECT_EQ(p.header().source_address, v6({0x2001, 0, 0, 0, 0, 0, 0, 1}));
    EXPECT_EQ(p.header().destination_address, v6({0, 0, 0, 0, 0, 0, 0, 2}));
    EXPECT_EQ(p.header().source_port, 0x1234);
    EXPECT_EQ(p.header().destination_port, 80);
  }
}

// §2.2: LOCAL "the receiver must accept this connection as valid and must use the real
// connection endpoints and discard the protocol block including the family which is
// ignored"; "Receivers MUST always consider this field to skip the appropriate number of
// bytes and must not assume zero is presented for LOCAL connections."
TEST(ProxyProtocolV2, local_is_accepted_and_its_block_skipped) {
  for (const std::string& header :
       {v2(0x20, 0x00, ""), v2(0x20, 0x11, kV4Block), v2(0x20, 0xFF, "junk of any length"),
        v2(0x20, 0x11, "short")}) {
    const ProxyHeaderParser p = parse_all(header + "GET");
    ASSERT_EQ(p.progress(), Progress::complete) << proxy_error_name(p.error());
    EXPECT_EQ(p.header().command, ProxyCommand::local);
    EXPECT_EQ(p.header().family, ProxyFamily::unspec);
    EXPECT_EQ(p.header().length, header.size());
    EXPECT_FALSE(p.header().uses_addresses());
  }
}

// §2.2: UNSPEC "the receiver is free to accept the connection anyway and use the real
// endpoint addresses or to reject it. The receiver should ignore address information."
TEST(ProxyProtocolV2, unspec_family_or_transport_completes_without_addresses) {
  for (const std::string& header :
       {v2(0x21, 0x00, ""), v2(0x21, 0x00, tlv(0x04, "pad")), v2(0x21, 0x10, kV4Block)}) {
    const ProxyHeaderParser p = parse_all(header);
    ASSERT_EQ(p.progress(), Progress::complete) << proxy_error_name(p.error());
    EXPECT_EQ(p.header().family, ProxyFamily::unspec);
    EXPECT_EQ(p.header().transport, ProxyTransport::unspec);
    EXPECT_FALSE(p.header().uses_addresses());
  }
}

// §2.2: AF_UNIX "The addresses are exactly 108 bytes each".
TEST(ProxyProtocolV2, unix_addresses_are_reported_as_a_span) {
  const ProxyHeaderParser p = parse_all(v2(0x21, 0x31, std::string(216, 'u')));
  ASSERT_EQ(p.progress(), Progress::complete);
  EXPECT_EQ(p.header().family, ProxyFamily::unix_socket);
  EXPECT_EQ(p.header().unix_addresses, (Span{16, 216}));
  EXPECT_FALSE(p.header().uses_addresses());
  EXPECT_EQ(error_of(v2(0x21, 0x31, std::string(215, 'u'))), ProxyError::v2_short_addresses);
}

// §2.2: "it must always be sent as \x2 and the receiver must only accept this value";
// commands: "other values ... Receivers must drop connections presenting unexpected values";
// families and transports: "other values are unspecified ... and must be rejected".
TEST(ProxyProtocolV2, version_command_and_family_are_checked_as_they_arrive) {
  const std::string sig(reinterpret_cast<const char*>(kProxyV2Signature.data()), 12);
  EXPECT_EQ(error_of(sig + "\x11"), ProxyError::v2_bad_version);
  EXPECT_EQ(error_of(sig + "\x31"), ProxyError::v2_bad_version);
  EXPECT_EQ(error_of(sig + "\x22"), ProxyError::v2_bad_command);
  EXPECT_EQ(error_of(sig + "\x2F"), ProxyError::v2_bad_command);
  EXPECT_EQ(error_of(sig + "\x21\x41"), ProxyError::v2_bad_family);
  EXPECT_EQ(error_of(sig + "\x21\x13"), ProxyError::v2_bad_family);
  EXPECT_EQ(parse_all(sig + "\x21\x11\x00").progress(), Progress::need_more);
}

// §2.2: the length must cover the family's addresses ("Address length is ... 12 bytes").
TEST(ProxyProtocolV2, a_length_short_of_the_addresses_is_refused) {
  EXPECT_EQ(error_of(v2(0x21, 0x11, kV4Block.substr(0, 11))), ProxyError::v2_short_addresses);
  EXPECT_EQ(error_of(v2(0x21, 0x21, std::string(35, '\0'))), ProxyError::v2_short_addresses);
}

// §2.2: the header is read by its length, up to 16 + 65535 bytes; nothing is decided about
// the addresses before all of it is in.
TEST(ProxyProtocolV2, waits_for_the_whole_announced_length) {
  const std::string header = v2(0x21, 0x11, kV4Block + tlv(0x04, std::string(65000, 'n')));
  ASSERT_EQ(header.size(), 16u + 12u + 3u + 65000u);
  EXPECT_EQ(parse_all(header.substr(0, header.size() - 1)).progress(), Progress::need_more);
  EXPECT_EQ(parse_all(header).header().length, header.size());
  const std::string largest = v2(0x21, 0x11, kV4Block + tlv(0x04, std::string(65535 - 15, 'n')));
  EXPECT_EQ(parse_all(largest).header().length, kProxyV2MaxLength);
}

// §2.2: TLVs "A receiver may choose to skip over and ignore the TLVs it is not interested
// in": every one is skipped by its length, which must stay inside the header.
TEST(ProxyProtocolV2, tlvs_are_skipped_by_their_checked_lengths) {
  const std::string tlvs = tlv(0x01, "h2") + tlv(0x02, "example.com") + tlv(0x04, "") +
                           tlv(0x05, std::string(128, 'i')) + tlv(0x20, "\x01\0\0\0\0"s) +
                           tlv(0xEE, "custom");
  const ProxyHeaderParser p = parse_all(v2(0x21, 0x11, kV4Block + tlvs) + "GET");
  ASSERT_EQ(p.progress(), Progress::complete) << proxy_error_name(p.error());
  EXPECT_EQ(p.header().tlvs, (Span{28, static_cast<std::uint32_t>(tlvs.size())}));
  EXPECT_EQ(p.header().source_port, 56324);
  // A TLV that runs past the end, or a fragment shorter than a TLV's own 3 bytes.
  EXPECT_EQ(error_of(v2(0x21, 0x11, kV4Block + tlv(0x01, "h2").substr(0, 4))),
            ProxyError::v2_bad_tlv);
  EXPECT_EQ(error_of(v2(0x21, 0x11, kV4Block + "\x04\x00"s)), ProxyError::v2_bad_tlv);
  EXPECT_EQ(error_of(v2(0x21, 0x11, kV4Block + "\x04\xFF\xFF"s)), ProxyError::v2_bad_tlv);
  EXPECT_EQ(error_of(v2(0x21, 0x00, "\x04\x00\x05"s)), ProxyError::v2_bad_tlv);
}

// §2.2.3: PP2_TYPE_CRC32C, "the CRC32c checksum of the PROXY protocol header" computed
// with the field zeroed (RFC 4960 Appendix B); a mismatch "MUST" be treated as invalid.
TEST(ProxyProtocolV2, a_crc32c_tlv_is_verified) {
  // RFC 3720 §B.4's check value: CRC32C("123456789") = 0xE3069283. With the header built
  // around it, the expected checksum is computed by the same textbook bit loop here.
  const auto crc32c = [](const std::string& s) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char ch : s) {
      crc ^= static_cast<std::uint8_t>(ch);
      for (int k = 0; k < 8; ++k) crc = (crc & 1u) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
  };
  ASSERT_EQ(crc32c("123456789"), 0xE3069283u);
  std::string header = v2(0x21, 0x11, kV4Block + tlv(0x03, "\0\0\0\0"s) + tlv(0x02, "a.example"));
  const std::uint32_t sum = crc32c(header);
  for (std::size_t i = 0; i < 4; ++i) header[31 + i] = static_cast<char>(sum >> (24 - 8 * i));
  EXPECT_EQ(parse_all(header).progress(), Progress::complete);
  std::string wrong = header;
  wrong[31] = static_cast<char>(wrong[31] ^ 1);
  EXPECT_EQ(error_of(wrong), ProxyError::v2_bad_checksum);
  std::string altered = header;
  altered[20] = static_cast<char>(altered[20] ^ 0x40);  // an address bit, not the checksum
  EXPECT_EQ(error_of(altered), ProxyError::v2_bad_checksum);
  // "a 32-bit number": another size, or a second checksum, is malformed.
  EXPECT_EQ(error_of(v2(0x21, 0x11, kV4Block + tlv(0x03, "abc"))), ProxyError::v2_bad_tlv);
  EXPECT_EQ(error_of(v2(0x21, 0x11, kV4Block + tlv(0x03, "abcd") + tlv(0x03, "abcd"))),
            ProxyError::v2_bad_tlv);
}

// The life cycle: every prefix of a header needs more, errors are sticky, reset() starts over.
TEST(ProxyProtocol, prefixes_need_more_errors_stick_and_reset_starts_over) {
  const std::string v1 = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
  const std::string v2_header = v2(0x21, 0x11, kV4Block + tlv(0x01, "http/1.1"));
  for (const std::string& header : {v1, v2_header}) {
    ProxyHeaderParser p;
    for (std::size_t n = 0; n < header.size(); ++n) {
      ASSERT_EQ(p.parse({header.data(), n}), Progress::need_more) << n;
    }
    ASSERT_EQ(p.parse({header.data(), header.size()}), Progress::complete);
    EXPECT_EQ(p.header().length, header.size());
  }
  ProxyHeaderParser p;
  const std::string bad = "PROXY TCP4 1.1.1.1 2.2.2.2 1 2\n";
  EXPECT_EQ(p.parse({bad.data(), bad.size()}), Progress::failed);
  EXPECT_EQ(p.parse({v1.data(), v1.size()}), Progress::failed);  // sticky
  EXPECT_EQ(p.error(), ProxyError::v1_bad_syntax);
  p.reset();
  EXPECT_EQ(p.error(), ProxyError::none);
  EXPECT_EQ(p.parse({v1.data(), v1.size()}), Progress::complete);
}

// The error list: names unique and stable, a reference for each, lookups safe one past the
// last value.
TEST(ProxyProtocol, every_error_has_a_unique_name_and_a_reference) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kProxyErrorCount; ++i) {
    const auto e = static_cast<ProxyError>(i);
    EXPECT_TRUE(names.insert(proxy_error_name(e)).second) << i;
    if (e != ProxyError::none) {
      EXPECT_EQ(proxy_error_reference(e).substr(0, 15), "PROXY protocol ") << i;
    }
  }
  EXPECT_EQ(proxy_error_name(ProxyError::v2_bad_checksum), "v2_bad_checksum");
  EXPECT_EQ(proxy_error_name(static_cast<ProxyError>(kProxyErrorCount)), "unknown");
  EXPECT_EQ(proxy_error_reference(static_cast<ProxyError>(kProxyErrorCount)), "");
}

}  // namespace
}  // namespace httpfsm
