#include "tls_context.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace httpfsm::server {

namespace {

// Mozilla's "intermediate" configuration (server side TLS guidelines, version 5.7): forward
// secret AEAD suites only, in its order (the server's order applies, see below).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";

// ALPN wire format (RFC 7301 §3.1): a length-prefixed list.
constexpr unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kAlpn, sizeof kAlpn, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    // RFC 7301 §3.2: no protocol in common is a fatal no_application_protocol alert; in
    // particular a client offering only h2 never gets h2.
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// Encrypts (enc = 1) or opens (enc = 0) a session ticket with the context's keys. OpenSSL's
// built-in ticket path costs more per handshake (it fetches its cipher and MAC and decodes
// the session twice: callgrind, 2.37M against 2.20M instructions per resumption in
// lighttpd, which also brings its own keys).
int ticket_key_callback(SSL* ssl, unsigned char key_name[16], unsigned char* iv,
                        EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int enc) {
  const auto* owner = static_cast<const TlsContext*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (owner == nullptr) return -1;
  const TlsContext::TicketKeys& keys = owner->ticket_keys();
  if (enc == 1) {
    std::memcpy(key_name, keys.name, sizeof keys.name);
    if (RAND_bytes(iv, 16) != 1 ||
        EVP_EncryptInit_ex2(cipher, keys.cipher, keys.aes, iv, nullptr) != 1) {
      return -1;
    }
  } else {
    // A ticket from another context (before a reload): a full handshake, no error (RFC
    // 5077 §3.3).
    if (std::memcmp(key_name, keys.name, sizeof keys.name) != 0) return 0;
    if (EVP_DecryptInit_ex2(cipher, keys.cipher, keys.aes, iv, nullptr) != 1) return -1;
  }
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(keys.hmac),
                                        sizeof keys.hmac),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(mac, params) != 1) return -1;
  // A ticket opened: 2 asks OpenSSL to issue a new one after this resumption too (it sends
  // none when told 1). Clients should not reuse a ticket (RFC 8446 §4.6.1, Appendix C.4), and
  // OpenSSL's do not, so without a new ticket every other connection of a resuming client was
  // a full handshake (seen with wrk: full, resumed, full, ...).
  return enc == 1 ? 1 : 2;
}

// The newest OpenSSL error's reason ("key values mismatch"), never the data it was about.
std::string openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown error";
}

bool readable_file(const std::string& path, const char* what, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || ::access(path.c_str(), R_OK) != 0) {
    *error = std::string(what) + " " + path + ": " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = std::string(what) + " " + path + ": not a regular file";
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<TlsContext> TlsContext::load(const std::string& cert_file,
                                             const std::string& key_file, std::string* error,
                                             std::string* warning) {
  if (!readable_file(cert_file, "--tls-cert", error)) return nullptr;
  if (!readable_file(key_file, "--tls-key", error)) return nullptr;
  struct stat st {};
  if (::stat(key_file.c_str(), &st) == 0 && (st.st_mode & S_IROTH) != 0) {
    *warning = "--tls-key " + key_file + " is readable by every user (chmod 600 it)";
  }
  ERR_clear_error();
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) {
    *error = "TLS: cannot create a context: " + openssl_reason();
    return nullptr;
  }
  std::shared_ptr<TlsContext> ctx(new TlsContext(raw));
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION);
  // No renegotiation (RFC 7540 §9.2.1 style hardening; nginx does the same); a peer that
  // closes without close_notify is an ordinary EOF (HTTP framing detects truncation, RFC
  // 9112 §8).
  // Server cipher order: Mozilla's intermediate profile leaves it to the client (every suite
  // listed is strong), but scanners (testssl.sh) rate a missing server order HIGH, and our
  // list puts the cheaper AES-128-GCM and ECDSA suites first.
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF |
                               SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Partial writes: SSL_write returns after each record, so the queue advances as it goes;
  // moving buffer: a retried write may come from the queue's buffer after it grew; release
  // buffers: an idle connection holds no record buffers.
  SSL_CTX_set_mode(raw, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  // Read ahead: one read() takes every record the socket holds instead of two per record
  // (its 5-byte header, then its body): strace, 9 -> 4 reads per short HTTPS connection.
  // What is read beyond the current record is SSL_has_pending(), which the worker checks.
  SSL_CTX_set_read_ahead(raw, 1);
  if (SSL_CTX_set_cipher_list(raw, kTls12Ciphers) != 1 ||
      SSL_CTX_set1_groups_list(raw, kGroups) != 1) {
    *error = "TLS: cipher policy refused: " + openssl_reason();
    return nullptr;
  }
  SSL_CTX_set_dh_auto(raw, 1);
  // TLS 1.3 (RFC 8446 §9.1) in Mozilla's order: AES-128-GCM first, the cheapest with AES-NI.
  if (SSL_CTX_set_ciphersuites(raw, kTls13Suites) != 1) {
    *error = "TLS: cipher policy refused: " + openssl_reason();
    return nullptr;
  }
  // Session resumption: tickets (RFC 8446 §4.6.1, RFC 5077) with keys OpenSSL generates per
  // context, plus the server-side cache for TLS 1.2 session IDs.
  static constexpr unsigned char kSessionContext[] = "httpfsm";
  SSL_CTX_set_session_id_context(raw, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_SERVER);
  // One TLS 1.3 ticket per handshake rather than OpenSSL's two (RFC 8446 §4.6.1 lets the
  // server choose): a client that resumes gets a fresh one each time, and each ticket costs
  // a session encoding, an encryption and a MAC (about 3% of a full handshake by callgrind).
  SSL_CTX_set_num_tickets(raw, 1);
  TicketKeys& keys = ctx->keys_;
  keys.cipher = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  if (keys.cipher == nullptr || RAND_bytes(keys.name, sizeof keys.name) != 1 ||
      RAND_priv_bytes(keys.aes, sizeof keys.aes) != 1 ||
      RAND_priv_bytes(keys.hmac, sizeof keys.hmac) != 1) {
    *error = "TLS: cannot make session ticket keys: " + openssl_reason();
    return nullptr;
  }
  SSL_CTX_set_app_data(raw, ctx.get());
  SSL_CTX_set_tlsext_ticket_key_evp_cb(raw, ticket_key_callback);
  SSL_CTX_set_alpn_select_cb(raw, select_alpn, nullptr);
  if (SSL_CTX_use_certificate_chain_file(raw, cert_file.c_str()) != 1) {
    *error = "--tls-cert " + cert_file + ": " + openssl_reason();
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(raw, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = "--tls-key " + key_file + ": " + openssl_reason();
    return nullptr;
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    *error = "--tls-key " + key_file + ": does not match the certificate in " + cert_file;
    ERR_clear_error();
    return nullptr;
  }
  return ctx;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(ctx_);
  EVP_CIPHER_free(keys_.cipher);
  OPENSSL_cleanse(keys_.aes, sizeof keys_.aes);
  OPENSSL_cleanse(keys_.hmac, sizeof keys_.hmac);
}

}  // namespace httpfsm::server
