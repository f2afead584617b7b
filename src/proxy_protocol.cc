// The PROXY protocol header (HAProxy's specification, versions 1 and 2). Hand-written rather
// than a Ragel machine: the v1 line is a fixed sequence of five fields decoded once its CRLF
// is in (§2.1 forbids decoding earlier), and v2 is a length-prefixed binary block.
#include "httpfsm/proxy_protocol.hpp"

#include <algorithm>

namespace httpfsm {

namespace {

constexpr std::string_view kV1Magic = "PROXY";

// PP2_TYPE_CRC32C (§2.2.3).
constexpr std::uint8_t kTypeCrc32c = 0x03;

// CRC-32C (Castagnoli), reflected, as RFC 4960 Appendix B computes it.
consteval std::array<std::uint32_t, 256> make_crc32c_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrc32c = make_crc32c_table();

std::uint8_t byte_at(std::span<const char> s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

// The decimal number of a v1 field: 1 to `max_digits` digits, no leading zero (§2.1: "Heading
// zeroes are not permitted"), at most `max`. -1 when it is not one.
long decimal(std::string_view s, std::size_t max_digits, long max) {
  if (s.empty() || s.size() > max_digits || (s.size() > 1 && s[0] == '0')) return -1;
  long v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v <= max ? v : -1;
}

// §2.1: "exactly 4 integers in the range [0..255] ... separated by exactly one dot".
bool parse_ipv4(std::string_view s, std::uint8_t* out) {
  for (int part = 0; part < 4; ++part) {
    const std::size_t dot = part < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos) return false;
    const long v = decimal(s.substr(0, dot), 3, 255);
    if (v < 0) return false;
    out[part] = static_cast<std::uint8_t>(v);
    s.remove_prefix(part < 3 ? dot + 1 : dot);
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// §2.1: groups of hexadecimal digits (upper or lower case) separated by colons, at most one
// "::" standing for the zero groups it replaces, 128 bits in all. Groups of one to four
// digits and a dotted IPv4 tail ("::ffff:192.0.2.1") are accepted: that is what senders
// print with inet_ntop().
bool parse_ipv6(std::string_view s, std::uint8_t* out) {
  std::array<std::uint16_t, 8> words{};
  int count = 0;
  int gap = -1;  // index in `words` where "::" stands
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    std::uint32_t word = 0;
    while (i < s.size() && i - start < 5 && hex_value(s[i]) >= 0) {
      word = word * 16 + static_cast<std::uint32_t>(hex_value(s[i]));
      ++i;
    }
    if (i < s.size() && s[i] == '.') {
      // The last 32 bits as an IPv4 address.
      std::uint8_t v4[4];
      if (count > 6 || !parse_ipv4(s.substr(start), v4)) return false;
      words[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
      words[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
      i = s.size();
      break;
    }
    if (i == start || i - start > 4 || count == 8) return false;
    words[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(word);
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return false;  // one "::" at most
      gap = count;
      ++i;
    } else if (i == s.size()) {
      return false;  // a trailing single colon
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return false;
  std::array<std::uint16_t, 8> full{};
  if (gap < 0) {
    full = words;
  } else {
    const int tail = count - gap;
    for (int k = 0; k < gap; ++k)
      full[static_cast<std::size_t>(k)] = words[static_cast<std::size_t>(k)];
    for (int k = 0; k < tail; ++k) {
      full[static_cast<std::size_t>(8 - tail + k)] = words[static_cast<std::size_t>(gap + k)];
    }
  }
  for (std::size_t k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
    out[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
  }
  return true;
}

// The v2 address block's size for the 14th byte (§2.2), -1 for an unassigned family or
// transport, -2 for a family with an UNSPEC transport (no address layout is defined).
int address_block_size(std::uint8_t family_byte) {
  const int family = family_byte >> 4;
  const int transport = family_byte & 0x0f;
  if (family > 3 || transport > 2) return -1;
  if (family == 0) return 0;
  if (transport == 0) return -2;
  constexpr int kSizes[] = {0, 12, 36, 216};
  return kSizes[family];
}

}  // namespace

// Tables expanded from the X-list, in the enum's order; a value past the last is named
// "unknown" and has no reference.
constexpr std::string_view kProxyErrorNames[] = {
#define HTTPFSM_X(name, reference) #name,
    HTTPFSM_PROXY_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
constexpr std::string_view kProxyErrorReferences[] = {
#define HTTPFSM_X(name, reference) reference,
    HTTPFSM_PROXY_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
static_assert(std::size(kProxyErrorNames) == kProxyErrorCount);

std::string_view proxy_error_name(ProxyError e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < kProxyErrorCount ? kProxyErrorNames[i] : "unknown";
}

std::string_view proxy_error_reference(ProxyError e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < kProxyErrorCount ? kProxyErrorReferences[i] : "";
}

Progress ProxyHeaderParser::fail(ProxyError e) noexcept {
  error_ = e;
  progress_ = Progress::failed;
  return progress_;
}

Progress ProxyHeaderParser::parse(std::span<const char> received) noexcept {
  if (progress_ != Progress::need_more) return progress_;
  if (version_ == 0) {
    // §2.2 (end): the v2 signature, or "PROXY" for v1; anything else is dropped. Both are
    // checked byte by byte as they arrive, so a plain HTTP request fails on its first byte.
    const std::size_t n = received.size();
    if (n == 0) return progress_;
    if (byte_at(received, 0) == kProxyV2Signature[0]) {
      const std::size_t check = std::min(n, kProxyV2Signature.size());
      for (std::size_t i = 0; i < check; ++i) {
        if (byte_at(received, i) != kProxyV2Signature[i]) {
          return fail(ProxyError::not_proxy_protocol);
        }
      }
      if (check < kProxyV2Signature.size()) return progress_;
      version_ = 2;
    } else {
      const std::size_t check = std::min(n, kV1Magic.size());
      if (std::string_view(received.data(), check) != kV1Magic.substr(0, check)) {
        return fail(ProxyError::not_proxy_protocol);
      }
      if (check < kV1Magic.size()) return progress_;
      version_ = 1;
      scanned_ = static_cast<std::uint32_t>(kV1Magic.size());
    }
  }
  return version_ == 1 ? parse_v1(received) : parse_v2(received);
}

Progress ProxyHeaderParser::parse_v1(std::span<const char> received) noexcept {
  // Find the CRLF within the first 107 bytes; a CR not followed by LF, or an LF alone, is
  // refused (§2.1: "must not tolerate a single CR or LF character to end the line").
  const std::size_t limit = std::min<std::size_t>(received.size(), kProxyV1MaxLength);
  std::size_t end = 0;
  for (std::size_t i = scanned_; i < limit; ++i) {
    const char c = received[i];
    if (received[i - 1] == '\r') {
      if (c != '\n') return fail(ProxyError::v1_bad_syntax);
      end = i + 1;
      break;
    }
    if (c == '\n') return fail(ProxyError::v1_bad_syntax);
  }
  if (end == 0) {
    scanned_ = static_cast<std::uint32_t>(limit);
    if (received.size() >= kProxyV1MaxLength) return fail(ProxyError::v1_line_too_long);
    return progress_;
  }

  // "PROXY" SP protocol [SP source SP destination SP source-port SP destination-port] CRLF
  std::string_view line(received.data() + kV1Magic.size(), end - 2 - kV1Magic.size());
  if (line.empty() || line[0] != ' ') return fail(ProxyError::v1_bad_syntax);
  line.remove_prefix(1);
  std::array<std::string_view, 5> fields{};
  std::size_t count = 0;
  const std::size_t protocol_end = std::min(line.find(' '), line.size());
  const std::string_view protocol = line.substr(0, protocol_end);
  ProxyHeader h;
  h.version = 1;
  h.command = ProxyCommand::proxy;
  h.length = static_cast<std::uint32_t>(end);
  if (protocol == "UNKNOWN") {
    // §2.1: "the receiver must ignore anything presented before the CRLF is found".
    header_ = h;
    progress_ = Progress::complete;
    return progress_;
  }
  if (protocol != "TCP4" && protocol != "TCP6") {
    return fail(protocol.empty() ? ProxyError::v1_bad_syntax : ProxyError::v1_bad_protocol);
  }
  // Exactly one space between fields: an empty field is a doubled, leading or trailing space.
  while (count < fields.size()) {
    const std::size_t space = line.find(' ');
    fields[count++] = line.substr(0, space);
    if (fields[count - 1].empty()) return fail(ProxyError::v1_bad_syntax);
    if (space == std::string_view::npos) {
      line = {};
      break;
    }
    line.remove_prefix(space + 1);
    if (line.empty()) return fail(ProxyError::v1_bad_syntax);
  }
  if (count != fields.size() || !line.empty()) return fail(ProxyError::v1_bad_syntax);
  const bool v6 = protocol == "TCP6";
  h.family = v6 ? ProxyFamily::inet6 : ProxyFamily::inet;
  h.transport = ProxyTransport::stream;
  const bool addresses_ok = v6 ? parse_ipv6(fields[1], h.source_address.data()) &&
                                     parse_ipv6(fields[2], h.destination_address.data())
                               : parse_ipv4(fields[1], h.source_address.data()) &&
                                     parse_ipv4(fields[2], h.destination_address.data());
  if (!addresses_ok) return fail(ProxyError::v1_bad_address);
  const long source_port = decimal(fields[3], 5, 65535);
  const long destination_port = decimal(fields[4], 5, 65535);
  if (source_port < 0 || destination_port < 0) return fail(ProxyError::v1_bad_port);
  h.source_port = static_cast<std::uint16_t>(source_port);
  h.destination_port = static_cast<std::uint16_t>(destination_port);
  header_ = h;
  progress_ = Progress::complete;
  return progress_;
}

Progress ProxyHeaderParser::parse_v2(std::span<const char> received) noexcept {
  // struct proxy_hdr_v2 { uint8_t sig[12]; uint8_t ver_cmd; uint8_t fam; uint16_t len; }
  const std::size_t n = received.size();
  if (n < 13) return progress_;
  const std::uint8_t ver_cmd = byte_at(received, 12);
  // "it must always be sent as \x2 and the receiver must only accept this value".
  if ((ver_cmd >> 4) != 2) return fail(ProxyError::v2_bad_version);
  // "Receivers must drop connections presenting unexpected values here."
  const int command = ver_cmd & 0x0f;
  if (command > 1) return fail(ProxyError::v2_bad_command);
  if (n < 14) return progress_;
  const int block = address_block_size(byte_at(received, 13));
  // LOCAL: "discard the protocol block including the family which is ignored".
  if (command == 1 && block == -1) return fail(ProxyError::v2_bad_family);
  if (n < 16) return progress_;
  const std::uint32_t length =
      static_cast<std::uint32_t>(byte_at(received, 14) << 8 | byte_at(received, 15));
  const std::uint32_t total = 16 + length;
  // "Receivers MUST always consider this field to skip the appropriate number of bytes".
  if (n < total) return progress_;

  ProxyHeader h;
  h.version = 2;
  h.command = command == 1 ? ProxyCommand::proxy : ProxyCommand::local;
  h.length = total;
  if (block < 0 || length < static_cast<std::uint32_t>(block)) {
    if (command == 1 && block >= 0) return fail(ProxyError::v2_short_addresses);
    // LOCAL with an unknown layout, or a family with an UNSPEC transport: the receiver
    // "should ignore address information"; with no layout, no TLV can be located either.
    header_ = h;
    progress_ = Progress::complete;
    return progress_;
  }
  const std::uint32_t tlv_start = 16 + static_cast<std::uint32_t>(block);
  h.tlvs = Span{tlv_start, total - tlv_start};

  // TLVs: { uint8_t type; uint8_t length_hi; uint8_t length_lo; uint8_t value[length]; },
  // each inside the header. Unknown types are skipped; a CRC32C is checked below.
  std::uint32_t crc_value_at = 0;
  for (std::uint32_t at = tlv_start; at < total;) {
    if (total - at < 3) return fail(ProxyError::v2_bad_tlv);
    const std::uint8_t type = byte_at(received, at);
    const std::uint32_t value_length =
        static_cast<std::uint32_t>(byte_at(received, at + 1) << 8 | byte_at(received, at + 2));
    if (value_length > total - at - 3) return fail(ProxyError::v2_bad_tlv);
    if (type == kTypeCrc32c) {
      // "a 32-bit number"; one checksum per header.
      if (value_length != 4 || crc_value_at != 0) return fail(ProxyError::v2_bad_tlv);
      crc_value_at = at + 3;
    }
    at += 3 + value_length;
  }
  if (crc_value_at != 0) {
    // §2.2.3: the CRC32c of the whole header with the checksum field's 32 bits set to zero.
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::uint32_t i = 0; i < total; ++i) {
      const std::uint8_t b =
          i >= crc_value_at && i < crc_value_at + 4 ? std::uint8_t{0} : byte_at(received, i);
      crc = kCrc32c[(crc ^ b) & 0xffu] ^ (crc >> 8);
    }
    crc ^= 0xFFFFFFFFu;
    std::uint32_t sent = 0;
    for (std::uint32_t i = 0; i < 4; ++i) sent = sent << 8 | byte_at(received, crc_value_at + i);
    if (crc != sent) return fail(ProxyError::v2_bad_checksum);
  }

  const int family = byte_at(received, 13) >> 4;
  if (command == 1 && family != 0) {
    const int transport = byte_at(received, 13) & 0x0f;
    h.transport = transport == 1 ? ProxyTransport::stream : ProxyTransport::dgram;
    if (family == 3) {
      h.family = ProxyFamily::unix_socket;
      h.unix_addresses = Span{16, 216};
    } else {
      // Addresses, then ports, in network byte order.
      const std::size_t size = family == 1 ? 4 : 16;
      h.family = family == 1 ? ProxyFamily::inet : ProxyFamily::inet6;
      for (std::size_t i = 0; i < size; ++i) {
        h.source_address[i] = byte_at(received, 16 + i);
        h.destination_address[i] = byte_at(received, 16 + size + i);
      }
      const std::size_t ports = 16 + 2 * size;
      h.source_port =
          static_cast<std::uint16_t>(byte_at(received, ports) << 8 | byte_at(received, ports + 1));
      h.destination_port = static_cast<std::uint16_t>(byte_at(received, ports + 2) << 8 |
                                                      byte_at(received, ports + 3));
    }
  }
  header_ = h;
  progress_ = Progress::complete;
  return progress_;
}

}  // namespace httpfsm
