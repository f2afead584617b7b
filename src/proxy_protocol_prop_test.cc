// Properties of the PROXY protocol parser (src/include/httpfsm/proxy_protocol.hpp):
//   round trip   any header a small test-only writer produces from a generated model (v1
//                TCP4/TCP6/UNKNOWN in any accepted text form, v2 LOCAL/PROXY over every
//                family with TLVs and an optional CRC32C) parses back to the model, with its
//                length exactly the bytes written, whatever follows it;
//   split        on any input (valid, mutated or random), feeding growing prefixes at random
//                cut points ends in the same progress, error and header as one call with all
//                the bytes;
//   bounds       a header never claims more bytes than it was given, nor more than the
//                format allows (107 for v1, 16 + 65535 for v2).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "httpfsm/proxy_protocol.hpp"

namespace httpfsm {
namespace {

struct Model {
  std::uint8_t version = 1;
  ProxyCommand command = ProxyCommand::proxy;
  ProxyFamily family = ProxyFamily::inet;
  ProxyTransport transport = ProxyTransport::stream;
  std::array<std::uint8_t, 16> source{};
  std::array<std::uint8_t, 16> destination{};
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::vector<std::pair<std::uint8_t, std::string>> tlvs;  // v2; never type 0x03
  bool checksum = false;                                   // v2: add a PP2_TYPE_CRC32C
  int text_form = 0;         // v1 IPv6: 0 full, 1 short groups, 2 "::" compression, 3 inet_ntop
  std::string unknown_tail;  // v1 UNKNOWN: ignored text
};

// --- the test-only writer --------------------------------------------------------------

std::string ipv4_text(const std::array<std::uint8_t, 16>& a) {
  return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." +
         std::to_string(a[3]);
}

std::string ipv6_text(const std::array<std::uint8_t, 16>& a, int form) {
  if (form == 3) {
    char buf[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, a.data(), buf, sizeof buf) != nullptr ? buf : "";
  }
  std::array<unsigned, 8> w{};
  for (std::size_t i = 0; i < 8; ++i) w[i] = static_cast<unsigned>(a[2 * i] << 8 | a[2 * i + 1]);
  const auto group = [&](std::size_t i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, form == 0 ? "%04X" : "%x", w[i]);
    return std::string(buf);
  };
  // form 2: the longest run of zero groups (at least one) becomes "::".
  std::size_t best = 8, best_length = 0;
  for (std::size_t i = 0; i < 8 && form == 2;) {
    std::size_t j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_length) {
      best = i;
      best_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string s;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      s += "::";
      i += best_length - 1;
      continue;
    }
    if (!s.empty() && s.back() != ':') s += ':';
    s += group(i);
  }
  return s;
}

std::uint32_t crc32c(const std::string& s) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : s) {
    crc ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc & 1u) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return crc ^ 0xFFFFFFFFu;
}

void put16(std::string& s, std::size_t v) {
  s += static_cast<char>((v >> 8) & 0xff);
  s += static_cast<char>(v & 0xff);
}

std::string write_header(const Model& m) {
  if (m.version == 1) {
    if (m.family == ProxyFamily::unspec) return "PROXY UNKNOWN" + m.unknown_tail + "\r\n";
    const bool v6 = m.family == ProxyFamily::inet6;
    const auto text = [&](const std::array<std::uint8_t, 16>& a) {
      return v6 ? ipv6_text(a, m.text_form) : ipv4_text(a);
    };
    return std::string("PROXY ") + (v6 ? "TCP6 " : "TCP4 ") + text(m.source) + " " +
           text(m.destination) + " " + std::to_string(m.source_port) + " " +
           std::to_string(m.destination_port) + "\r\n";
  }
  std::string block;
  if (m.family == ProxyFamily::inet || m.family == ProxyFamily::inet6) {
    const std::size_t size = m.family == ProxyFamily::inet ? 4 : 16;
    block.append(reinterpret_cast<const char*>(m.source.data()), size);
    block.append(reinterpret_cast<const char*>(m.destination.data()), size);
    put16(block, m.source_port);
    put16(block, m.destination_port);
  } else if (m.family == ProxyFamily::unix_socket) {
    block.append(216, 'u');
  }
  std::size_t crc_at = 0;
  if (m.checksum) {
    crc_at = 16 + block.size() + 3;
    block += std::string("\x03\x00\x04\x00\x00\x00\x00", 7);  // CRC32C, zeroed until computed
  }
  for (const auto& [type, value] : m.tlvs) {
    block += static_cast<char>(type);
    put16(block, value.size());
    block += value;
  }
  std::string s(reinterpret_cast<const char*>(kProxyV2Signature.data()), kProxyV2Signature.size());
  s += static_cast<char>(0x20 | (m.command == ProxyCommand::proxy ? 1 : 0));
  const int family = static_cast<int>(m.family);  // unspec 0, inet 1, inet6 2, unix 3
  const int transport = static_cast<int>(m.transport);
  s += static_cast<char>(family << 4 | transport);
  put16(s, block.size());
  s += block;
  if (m.checksum) {
    const std::uint32_t sum = crc32c(s);
    for (std::size_t i = 0; i < 4; ++i) s[crc_at + i] = static_cast<char>(sum >> (24 - 8 * i));
  }
  return s;
}

// --- generators ---------------------------------------------------------------------------

std::array<std::uint8_t, 16> gen_address(bool v6) {
  std::array<std::uint8_t, 16> a{};
  const std::size_t size = v6 ? 16 : 4;
  // Zero runs matter to the text forms: each byte is zero half of the time.
  for (std::size_t i = 0; i < size; ++i) {
    a[i] = *rc::gen::weightedOneOf<std::uint8_t>(
        {{1, rc::gen::just<std::uint8_t>(0)}, {1, rc::gen::arbitrary<std::uint8_t>()}});
  }
  return a;
}

Model gen_model() {
  Model m;
  m.version = *rc::gen::element<std::uint8_t>(1, 2);
  if (m.version == 1) {
    m.family = *rc::gen::element(ProxyFamily::inet, ProxyFamily::inet6, ProxyFamily::unspec);
    m.transport = m.family == ProxyFamily::unspec ? ProxyTransport::unspec : ProxyTransport::stream;
    if (m.family == ProxyFamily::unspec) {
      // UNKNOWN, then optionally " " and printable text (the line stays within 107 bytes).
      const auto tail = *rc::gen::container<std::string>(*rc::gen::inRange<std::size_t>(0, 80),
                                                         rc::gen::inRange<char>(' ', '~'));
      m.unknown_tail = tail.empty() ? "" : " " + tail;
    }
  } else {
    m.command = *rc::gen::element(ProxyCommand::proxy, ProxyCommand::local);
    if (m.command == ProxyCommand::proxy) {
      m.family = *rc::gen::element(ProxyFamily::unspec, ProxyFamily::inet, ProxyFamily::inet6,
                                   ProxyFamily::unix_socket);
      m.transport = m.family == ProxyFamily::unspec
                        ? ProxyTransport::unspec
                        : *rc::gen::element(ProxyTransport::stream, ProxyTransport::dgram);
    } else {
      m.family = ProxyFamily::unspec;
      m.transport = ProxyTransport::unspec;
    }
    const std::size_t count = *rc::gen::inRange<std::size_t>(0, 4);
    for (std::size_t i = 0; i < count; ++i) {
      std::uint8_t type = *rc::gen::arbitrary<std::uint8_t>();
      if (type == 0x03) type = 0x04;
      m.tlvs.emplace_back(type,
                          *rc::gen::container<std::string>(*rc::gen::inRange<std::size_t>(0, 40),
                                                           rc::gen::arbitrary<char>()));
    }
    m.checksum = *rc::gen::arbitrary<bool>();
  }
  if (m.family == ProxyFamily::inet || m.family == ProxyFamily::inet6) {
    m.source = gen_address(m.family == ProxyFamily::inet6);
    m.destination = gen_address(m.family == ProxyFamily::inet6);
    m.source_port = *rc::gen::arbitrary<std::uint16_t>();
    m.destination_port = *rc::gen::arbitrary<std::uint16_t>();
    m.text_form = *rc::gen::inRange(0, 4);
  }
  return m;
}

// A valid header, mutated: bytes flipped, inserted or removed, or cut short.
std::string gen_mutated() {
  std::string s = write_header(gen_model());
  const int edits = *rc::gen::inRange(0, 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, s.size());
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        s[at] = *rc::gen::arbitrary<char>();
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(at),
                 *rc::gen::element(' ', '\r', '\n', ':', '.', '0'));
        break;
      case 2:
        s.erase(at, 1);
        break;
      default:
        s.resize(at);
        break;
    }
  }
  return s;
}

// --- properties ---------------------------------------------------------------------------

RC_GTEST_PROP(ProxyProtocolProperty, a_written_header_parses_back_to_its_model, ()) {
  const Model m = gen_model();
  const std::string header = write_header(m);
  const std::string after = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  const std::string bytes = header + after;
  ProxyHeaderParser p;
  RC_ASSERT(p.parse({bytes.data(), bytes.size()}) == Progress::complete);
  const ProxyHeader& h = p.header();
  RC_ASSERT(h.length == header.size());
  RC_ASSERT(h.version == m.version);
  RC_ASSERT(h.command == m.command);
  RC_ASSERT(h.family == m.family);
  RC_ASSERT(h.transport == m.transport);
  if (m.family == ProxyFamily::inet || m.family == ProxyFamily::inet6) {
    RC_ASSERT(h.source_address == m.source);
    RC_ASSERT(h.destination_address == m.destination);
    RC_ASSERT(h.source_port == m.source_port);
    RC_ASSERT(h.destination_port == m.destination_port);
    RC_ASSERT(h.uses_addresses());
  } else {
    RC_ASSERT(!h.uses_addresses());
  }
  if (m.version == 2 && m.command == ProxyCommand::proxy && m.family != ProxyFamily::unspec) {
    std::size_t tlv_bytes = m.checksum ? 7 : 0;
    for (const auto& t : m.tlvs) tlv_bytes += 3 + t.second.size();
    RC_ASSERT(h.tlvs.length == tlv_bytes);
    RC_ASSERT(h.tlvs.offset + h.tlvs.length == header.size());
  }
}

RC_GTEST_PROP(ProxyProtocolProperty, growing_prefixes_end_as_one_call_does, ()) {
  const std::string bytes = *rc::gen::oneOf(
      rc::gen::exec([] { return write_header(gen_model()); }), rc::gen::exec(gen_mutated),
      rc::gen::container<std::string>(rc::gen::arbitrary<char>()));
  ProxyHeaderParser whole;
  const Progress expected = whole.parse({bytes.data(), bytes.size()});
  ProxyHeaderParser pieces;
  std::size_t at = 0;
  Progress got = Progress::need_more;
  while (at < bytes.size()) {
    at = std::min(bytes.size(), at + *rc::gen::inRange<std::size_t>(1, 21));
    got = pieces.parse({bytes.data(), at});
    if (got != Progress::need_more) break;
  }
  got = pieces.parse({bytes.data(), bytes.size()});
  RC_ASSERT(got == expected);
  RC_ASSERT(pieces.error() == whole.error());
  if (got == Progress::complete) {
    const ProxyHeader& a = pieces.header();
    const ProxyHeader& b = whole.header();
    RC_ASSERT(a.length == b.length);
    RC_ASSERT(a.version == b.version);
    RC_ASSERT(a.command == b.command);
    RC_ASSERT(a.family == b.family);
    RC_ASSERT(a.source_address == b.source_address);
    RC_ASSERT(a.destination_address == b.destination_address);
    RC_ASSERT(a.source_port == b.source_port);
    RC_ASSERT(a.destination_port == b.destination_port);
    RC_ASSERT(a.tlvs == b.tlvs);
    // Bounds: within what was given, and within the format.
    RC_ASSERT(a.length <= bytes.size());
    RC_ASSERT(a.length <= (a.version == 1 ? kProxyV1MaxLength : kProxyV2MaxLength));
  }
}

}  // namespace
}  // namespace httpfsm
