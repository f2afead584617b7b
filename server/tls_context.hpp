// The server's TLS settings as one OpenSSL SSL_CTX, built once per (re)load of the
// certificate and key and shared read-only by every worker (OpenSSL makes SSL_new on a shared
// SSL_CTX thread-safe; each SSL holds its own reference, so a connection keeps the context it
// started with after a reload).
//
// Life cycle: load() reads the PEM files and builds the context, or fails with a one-line
// message that names the file and never quotes key material. TlsContextHolder lets SIGHUP
// swap in a newly loaded context for new connections while the old one lives on in the
// connections that use it.
// Policy (Mozilla "intermediate"): TLS 1.2 and 1.3 only; ECDHE/DHE with AES-GCM or
// ChaCha20-Poly1305 for 1.2; ALPN selects http/1.1 only and refuses a client offering only
// other protocols (RFC 7301 §3.2); session tickets on; renegotiation off; SNI accepted (one
// certificate for every name).
// Purity: load() reads files; nothing else does I/O.
#pragma once

#include <memory>
#include <mutex>
#include <string>

using SSL_CTX = struct ssl_ctx_st;
struct evp_cipher_st;

namespace httpfsm::server {

class TlsContext {
 public:
  // The context for `cert_file` (PEM, the leaf first, then any chain) and `key_file` (PEM).
  // nullptr and *error on an unreadable file, a bad PEM, or a key that does not match the
  // certificate. *warning (may stay empty) says the key file is readable by everyone.
  static std::shared_ptr<TlsContext> load(const std::string& cert_file, const std::string& key_file,
                                          std::string* error, std::string* warning);
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  SSL_CTX* get() const noexcept { return ctx_; }

  // Session ticket keys (RFC 5077 §4's recommended construction: AES-256-CBC, then
  // HMAC-SHA256), random per context, so a reload starts new tickets. Public for the
  // OpenSSL callback only.
  struct TicketKeys {
    unsigned char name[16];
    unsigned char aes[32];
    unsigned char hmac[32];
    evp_cipher_st* cipher = nullptr;  // fetched once, not per ticket
  };
  const TicketKeys& ticket_keys() const noexcept { return keys_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) noexcept : ctx_(ctx) {}
  SSL_CTX* ctx_;
  TicketKeys keys_{};
};

// The current context, replaced whole by reload (SIGHUP) and read by every accept.
class TlsContextHolder {
 public:
  explicit TlsContextHolder(std::shared_ptr<TlsContext> initial) : current_(std::move(initial)) {}
  std::shared_ptr<TlsContext> current() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return current_;
  }
  void replace(std::shared_ptr<TlsContext> next) {
    const std::lock_guard<std::mutex> lock(mutex_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<TlsContext> current_;
};

}  // namespace httpfsm::server
