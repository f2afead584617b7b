// ProxyHeaderParser: the PROXY protocol header a load balancer (HAProxy, nginx, cloud load
// balancers) puts before the first byte of a relayed TCP connection to pass on the client's
// address. Both formats of HAProxy's specification ("The PROXY protocol, Versions 1 & 2",
// 2020/03/05; sections cited as §N below) are read: the version 1 text line (§2.1) and the
// version 2 binary block (§2.2), told apart by their first bytes as §2.2 says at its end.
//
// Life cycle
//   ProxyHeaderParser p;
//   loop: p.parse(bytes_so_far)   // need_more -> read more, call again with all bytes
//         complete -> p.header(): command, family, addresses and ports; header().length
//                     bytes are the header: drop them, the application's bytes follow
//         failed   -> p.error(): close the connection (§2.1: "abort the connection")
//   p.reset()                     // another connection
//
// parse() takes every byte of the connection from its first. It resumes where the previous
// call stopped (the v1 line is scanned for its CRLF once, the v2 block is read by its
// announced length), so the caller may append to, grow or move its buffer between calls, but
// must not change or drop bytes already passed. The addresses are decoded only once the
// whole header is in (§2.1: "wait for the CRLF sequence before starting to decode"; §2.2:
// "must not start to parse an address before the whole address block is received"), and
// parsing stops at the header's end: the bytes after it are never looked at.
//
// Needing more input is progress, not an error. A byte that cannot start or continue a
// header fails at once, without waiting for more (§2.1: "abort the connection as soon as
// possible"). An error is sticky: every later parse() returns `failed` with the same error
// until reset(). Whether to accept a header is the caller's: LOCAL (§2.2), v1 UNKNOWN (§2.1)
// and v2 UNSPEC (§2.2) complete with uses_addresses() false, meaning "use the real
// connection's endpoints"; AF_UNIX and DGRAM are reported as such.
//
// v2 TLVs (§2.2.1-§2.2.7) are walked with their lengths checked against the header's end and
// otherwise skipped, except PP2_TYPE_CRC32C, whose checksum is verified when present
// (§2.2.3: a receiver that supports it MUST reject a mismatch). The TLV bytes are reported as
// a span for a caller that wants them.
//
// The parser is pure: no I/O, clock, thread, exception or allocation; its state is a few
// integers and the decoded header.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/head_parser.hpp"
#include "httpfsm/request_head.hpp"

// X(name, reference): every way a PROXY header can be wrong, with the rule it breaks.
#define HTTPFSM_PROXY_ERROR_LIST(X)                                                            \
  X(none, "")                                                                                  \
  X(not_proxy_protocol, "PROXY protocol §2.2: neither the v2 signature nor \"PROXY\"")         \
  X(v1_line_too_long, "PROXY protocol §2.1: no CRLF in the first 107 bytes")                   \
  X(v1_bad_syntax,                                                                             \
    "PROXY protocol §2.1: not exactly one space between fields, or a bare CR or LF")           \
  X(v1_bad_protocol, "PROXY protocol §2.1: the protocol is not TCP4, TCP6 or UNKNOWN")         \
  X(v1_bad_address, "PROXY protocol §2.1: not a canonical address of the announced family")    \
  X(v1_bad_port, "PROXY protocol §2.1: not a decimal port 0-65535 without leading zeros")      \
  X(v2_bad_version, "PROXY protocol §2.2: the version is not 2")                               \
  X(v2_bad_command, "PROXY protocol §2.2: the command is neither LOCAL nor PROXY")             \
  X(v2_bad_family, "PROXY protocol §2.2: an unassigned address family or transport")           \
  X(v2_short_addresses, "PROXY protocol §2.2: the length is less than the family's addresses") \
  X(v2_bad_tlv, "PROXY protocol §2.2: a TLV runs past the end of the header")                  \
  X(v2_bad_checksum, "PROXY protocol §2.2.3: the PP2_TYPE_CRC32C checksum does not match")

namespace httpfsm {

enum class ProxyError : std::uint8_t {
#define HTTPFSM_X(name, reference) name,
  HTTPFSM_PROXY_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// How many values ProxyError has (including `none`).
inline constexpr std::size_t kProxyErrorCount = 0
#define HTTPFSM_X(name, reference) +1
    HTTPFSM_PROXY_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    ;

// "v1_bad_port": stable, for logs and tests. "unknown" for a value outside the enum.
std::string_view proxy_error_name(ProxyError e) noexcept;
// "PROXY protocol §2.1: ...": the rule, for a log line.
std::string_view proxy_error_reference(ProxyError e) noexcept;

// §2.2: LOCAL (a connection the proxy made itself, a health check) or PROXY (relayed). A v1
// header is always PROXY.
enum class ProxyCommand : std::uint8_t { local, proxy };
// §2.2 address families; v1 TCP4 is inet, TCP6 inet6, UNKNOWN unspec.
enum class ProxyFamily : std::uint8_t { unspec, inet, inet6, unix_socket };
// §2.2 transport protocols; v1 TCP4 and TCP6 are stream.
enum class ProxyTransport : std::uint8_t { unspec, stream, dgram };

struct ProxyHeader {
  std::uint8_t version = 0;  // 1 or 2
  ProxyCommand command = ProxyCommand::proxy;
  ProxyFamily family = ProxyFamily::unspec;
  ProxyTransport transport = ProxyTransport::unspec;
  // Network byte order; IPv4 uses the first 4 bytes. Zero unless family is inet or inet6.
  std::array<std::uint8_t, 16> source_address{};
  std::array<std::uint8_t, 16> destination_address{};
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  // v2 AF_UNIX: the two 108-byte addresses, as sent (offset into the parsed buffer).
  Span unix_addresses;
  // v2: the TLV bytes after the addresses (offset into the parsed buffer); empty for v1.
  Span tlvs;
  // Bytes of the header, from the connection's first byte: the application's data follows.
  std::uint32_t length = 0;

  // True when the receiver must take the client's address from this header: a PROXY
  // command for TCP or UDP over IPv4 or IPv6. Otherwise it uses the real connection's
  // endpoints (§2.1 UNKNOWN, §2.2 LOCAL and UNSPEC).
  bool uses_addresses() const noexcept {
    return command == ProxyCommand::proxy &&
           (family == ProxyFamily::inet || family == ProxyFamily::inet6);
  }
};

// The v2 signature (§2.2): 12 bytes, a NUL among them.
inline constexpr std::array<std::uint8_t, 12> kProxyV2Signature = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
// §2.1: the longest v1 line, CRLF included ("PROXY UNKNOWN" with two full IPv6 addresses).
inline constexpr std::uint32_t kProxyV1MaxLength = 107;
// §2.2: 16 fixed bytes and a 16-bit length.
inline constexpr std::uint32_t kProxyV2MaxLength = 16 + 65535;

class ProxyHeaderParser {
 public:
  // Scans the bytes not seen yet. Precondition: `received` starts at the connection's first
  // byte and begins with every byte passed before.
  Progress parse(std::span<const char> received) noexcept;

  Progress progress() const noexcept { return progress_; }
  // Valid once complete.
  const ProxyHeader& header() const noexcept { return header_; }
  // Valid once failed; ProxyError::none before.
  ProxyError error() const noexcept { return error_; }

  void reset() noexcept { *this = ProxyHeaderParser{}; }

 private:
  Progress fail(ProxyError e) noexcept;
  Progress parse_v1(std::span<const char> received) noexcept;
  Progress parse_v2(std::span<const char> received) noexcept;

  Progress progress_ = Progress::need_more;
  ProxyError error_ = ProxyError::none;
  std::uint8_t version_ = 0;   // 0 until the first bytes tell
  std::uint32_t scanned_ = 0;  // v1: bytes checked for the CRLF
  ProxyHeader header_;
};

}  // namespace httpfsm
