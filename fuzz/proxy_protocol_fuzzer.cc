// proxy_protocol_fuzzer: the PROXY protocol parser (src/include/httpfsm/proxy_protocol.hpp)
// on any bytes, as the first bytes of a connection.
//   split        one call with every byte, one call per byte, and calls every few bytes end
//                alike: progress, error and header;
//   bounds       a complete header claims no more than it was given and no more than its
//                format allows; v1 ends at the first CRLF, v2 at 16 + its length field;
//                the TLV and AF_UNIX spans lie inside it;
//   addresses    a v1 address the parser accepted is one inet_pton() reads the same (the
//                C library as a reference for the text forms of RFC 4291 §2.2 and IPv4).
// The input is the header bytes themselves, so the seed corpus is plain headers.
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "httpfsm/proxy_protocol.hpp"

namespace {

using httpfsm::Progress;
using httpfsm::ProxyHeader;
using httpfsm::ProxyHeaderParser;

std::string describe(const ProxyHeaderParser& p) {
  const ProxyHeader& h = p.header();
  return "progress " + std::to_string(static_cast<int>(p.progress())) + ", error " +
         std::string(httpfsm::proxy_error_name(p.error())) + ", version " +
         std::to_string(h.version) + ", length " + std::to_string(h.length);
}

bool same(const ProxyHeaderParser& a, const ProxyHeaderParser& b) {
  if (a.progress() != b.progress() || a.error() != b.error()) return false;
  if (a.progress() != Progress::complete) return true;
  const ProxyHeader& x = a.header();
  const ProxyHeader& y = b.header();
  return x.version == y.version && x.command == y.command && x.family == y.family &&
         x.transport == y.transport && x.source_address == y.source_address &&
         x.destination_address == y.destination_address && x.source_port == y.source_port &&
         x.destination_port == y.destination_port && x.unix_addresses == y.unix_addresses &&
         x.tlvs == y.tlvs && x.length == y.length;
}

// The v1 line's source and destination address fields ("PROXY TCP4 <src> <dst> ...").
void check_v1_addresses(std::string_view line, const ProxyHeader& h) {
  const std::size_t a = line.find(' ', 6);      // after the protocol
  const std::size_t b = line.find(' ', a + 1);  // after the source
  const std::size_t c = line.find(' ', b + 1);  // after the destination
  HTTPFSM_FUZZ_CHECK(a != std::string_view::npos && b != std::string_view::npos &&
                     c != std::string_view::npos);
  const int family = h.family == httpfsm::ProxyFamily::inet6 ? AF_INET6 : AF_INET;
  const std::size_t size = family == AF_INET6 ? 16 : 4;
  const std::string source(line.substr(a + 1, b - a - 1));
  const std::string destination(line.substr(b + 1, c - b - 1));
  unsigned char reference[16] = {};
  HTTPFSM_FUZZ_CHECK(inet_pton(family, source.c_str(), reference) == 1, source);
  HTTPFSM_FUZZ_CHECK(std::memcmp(reference, h.source_address.data(), size) == 0, source);
  HTTPFSM_FUZZ_CHECK(inet_pton(family, destination.c_str(), reference) == 1, destination);
  HTTPFSM_FUZZ_CHECK(std::memcmp(reference, h.destination_address.data(), size) == 0, destination);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  ProxyHeaderParser whole;
  whole.parse({bytes.data(), bytes.size()});

  ProxyHeaderParser by_byte;
  for (std::size_t n = 0; n <= size && by_byte.progress() == Progress::need_more; ++n) {
    by_byte.parse({bytes.data(), n});
  }
  HTTPFSM_FUZZ_CHECK(same(whole, by_byte), describe(whole) + " / by byte: " + describe(by_byte));

  const std::size_t step = size == 0 ? 1 : 1 + data[size - 1] % 23;
  ProxyHeaderParser by_step;
  for (std::size_t n = 0; by_step.progress() == Progress::need_more; n += step) {
    by_step.parse({bytes.data(), n < size ? n : size});
    if (n >= size) break;
  }
  HTTPFSM_FUZZ_CHECK(same(whole, by_step), describe(whole) + " / by step: " + describe(by_step));

  if (whole.progress() != Progress::complete) return 0;
  const ProxyHeader& h = whole.header();
  HTTPFSM_FUZZ_CHECK(h.length <= size, describe(whole));
  if (h.version == 1) {
    HTTPFSM_FUZZ_CHECK(h.length <= httpfsm::kProxyV1MaxLength, describe(whole));
    HTTPFSM_FUZZ_CHECK(bytes.find("\r\n") == h.length - 2, describe(whole));
    HTTPFSM_FUZZ_CHECK(bytes.substr(0, 6) == "PROXY ");
    HTTPFSM_FUZZ_CHECK(h.command == httpfsm::ProxyCommand::proxy);
    if (h.uses_addresses()) check_v1_addresses(bytes.substr(0, h.length - 2), h);
  } else {
    HTTPFSM_FUZZ_CHECK(h.version == 2, describe(whole));
    HTTPFSM_FUZZ_CHECK(size >= 16);
    HTTPFSM_FUZZ_CHECK(h.length == 16u + (static_cast<std::uint32_t>(data[14]) << 8 | data[15]));
    HTTPFSM_FUZZ_CHECK(h.length <= httpfsm::kProxyV2MaxLength);
    HTTPFSM_FUZZ_CHECK(h.tlvs.offset + h.tlvs.length <= h.length);
    HTTPFSM_FUZZ_CHECK(h.unix_addresses.offset + h.unix_addresses.length <= h.length);
    HTTPFSM_FUZZ_CHECK(std::memcmp(data, httpfsm::kProxyV2Signature.data(), 12) == 0);
  }
  return 0;
}
