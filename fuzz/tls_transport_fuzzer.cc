// tls_transport_fuzzer: the server's TLS transport (server/tls_transport.hpp) in front of an
// I/O-free Connection, over in-memory BIOs (no sockets). Two modes, by the first byte:
//   even: the rest of the input is raw bytes from the network (random records, a broken
//         ClientHello); the transport must refuse them without crashing, never finish a
//         handshake, and never hand bytes to the Connection;
//   odd:  a real OpenSSL client (TLS 1.2 or 1.3, by the second byte) speaks to it; up to 7
//         mutations (offset, xor) are applied to the client's byte stream, then the rest of
//         the input is the plaintext the client sends. Without mutations the handshake must
//         finish with ALPN http/1.1, and a request must come back answered (HTTP/1.1) and
//         the session end with the server's close_notify.
// Input layout: [mode] [version] [mutation count] [(u16 offset, xor byte) ...] payload...
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "testing/test_site.hpp"
#include "testing/tls_test_context.hpp"
#include "tls_context.hpp"
#include "tls_transport.hpp"

namespace httpfsm::fuzz {
namespace {

struct Globals {
  std::shared_ptr<server::TlsContext> server_ctx = server::testing::test_tls_context();
  SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
  server::testing::TestSite site;
};

Globals& globals() {
  static Globals g;
  return g;
}

// A memory BIO that reads as "try again" when empty, like a non-blocking socket.
BIO* nonblocking_mem() {
  BIO* b = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(b, -1);
  return b;
}

std::string take(BIO* b) {
  std::string out;
  char buf[16384];
  for (;;) {
    const int n = BIO_read(b, buf, sizeof buf);
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

void put(BIO* b, std::string_view bytes) {
  if (!bytes.empty()) BIO_write(b, bytes.data(), static_cast<int>(bytes.size()));
}

struct Mutation {
  std::size_t offset;
  unsigned char mask;
};

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  using namespace httpfsm::fuzz;
  Globals& g = globals();
  FuzzInput in(data, size);
  const std::uint8_t mode = in.byte();
  const std::uint8_t version = in.byte();
  std::unique_ptr<server::Connection> c = g.site.connect();
  server::TlsTransport tls(g.server_ctx->get());
  BIO* server_in = nonblocking_mem();
  BIO* server_out = nonblocking_mem();
  tls.set_bios(server_in, server_out);

  if ((mode & 1) == 0) {
    put(server_in, in.rest());
    tls.receive(*c);
    HTTPFSM_FUZZ_CHECK(tls.send(*c) || true);
    HTTPFSM_FUZZ_CHECK(!tls.handshake_done(), "raw bytes finished a handshake");
    HTTPFSM_FUZZ_CHECK(c->requests() == 0, "raw bytes reached the connection");
    take(server_out);
    ERR_clear_error();
    return 0;
  }

  std::vector<Mutation> mutations(in.byte() % 8);
  for (Mutation& m : mutations) {
    m.offset = in.u16();
    m.mask = in.byte();
    if (m.mask == 0) m.mask = 1;
  }
  std::string payload(in.rest());
  const bool clean = mutations.empty();
  const bool default_request = payload.empty();
  if (payload.empty()) payload = "GET /echo/fuzz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

  SSL* client = SSL_new(g.client_ctx);
  const int v = (version & 1) != 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_set_min_proto_version(client, v);
  SSL_set_max_proto_version(client, v);
  static constexpr unsigned char kAlpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_set_alpn_protos(client, kAlpn, sizeof kAlpn);
  SSL_set_tlsext_host_name(client, "localhost");
  BIO* client_in = nonblocking_mem();
  BIO* client_out = nonblocking_mem();
  SSL_set_bio(client, client_in, client_out);
  SSL_set_connect_state(client);

  std::size_t stream_pos = 0;  // offset in the client's byte stream, for the mutations
  std::size_t written = 0;
  std::string received;
  bool client_closed = false;
  for (int round = 0; round < 64; ++round) {
    if (!SSL_is_init_finished(client)) {
      SSL_do_handshake(client);
    } else if (written < payload.size()) {
      std::size_t n = 0;
      if (SSL_write_ex(client, payload.data() + written, payload.size() - written, &n) == 1) {
        written += n;
      }
    }
    char buf[16384];
    std::size_t n = 0;
    while (SSL_is_init_finished(client) && SSL_read_ex(client, buf, sizeof buf, &n) == 1) {
      received.append(buf, n);
    }
    if (SSL_get_error(client, 0) == SSL_ERROR_ZERO_RETURN) client_closed = true;
    ERR_clear_error();
    std::string to_server = take(client_out);
    for (const Mutation& m : mutations) {
      if (m.offset >= stream_pos && m.offset < stream_pos + to_server.size()) {
        to_server[m.offset - stream_pos] =
            static_cast<char>(to_server[m.offset - stream_pos] ^ m.mask);
      }
    }
    stream_pos += to_server.size();
    put(server_in, to_server);
    tls.receive(*c);
    if (!tls.send(*c)) c->on_abort();
    if (c->done() && c->state() != server::Connection::State::closed) tls.close_notify();
    const std::string to_client = take(server_out);
    put(client_in, to_client);
    if (to_server.empty() && to_client.empty() && round > 4) break;
  }
  if (clean) {
    HTTPFSM_FUZZ_CHECK(tls.handshake_done(), "a clean handshake did not finish");
    const auto alpn = tls.alpn();
    HTTPFSM_FUZZ_CHECK(
        std::string_view(reinterpret_cast<const char*>(alpn.data()), alpn.size()) == "http/1.1",
        "ALPN is not http/1.1");
    HTTPFSM_FUZZ_CHECK(received.empty() || received.rfind("HTTP/1.1 ", 0) == 0, received);
    if (default_request) {
      HTTPFSM_FUZZ_CHECK(received.rfind("HTTP/1.1 200 ", 0) == 0, received);
      HTTPFSM_FUZZ_CHECK(client_closed, "no close_notify after Connection: close");
    }
  }
  SSL_free(client);
  ERR_clear_error();
  return 0;
}
