// One connection's TLS session (OpenSSL, server side) between its socket and its Connection:
// decrypted bytes go into the Connection's input buffer, its output queue goes out as TLS
// records. The Connection stays I/O-free and knows nothing of TLS; the worker calls
// receive()/send() where a cleartext connection calls recv()/send()/sendfile().
//
// Life cycle: made per accepted connection from the TlsContext current at accept time; the
// handshake runs inside the first receive() calls (SSL_read in accept state), so it counts
// against the Connection's header timer; close_notify() sends our close_notify once the
// Connection is done; then the socket lingers and discard() reads until the peer's
// close_notify or EOF.
// Resume rule: non-blocking. A call that needs the socket readable or writable returns and
// says which (wants_write()/wants_read()); the worker adds that to the poll/epoll interest and
// calls again when it is ready. A write OpenSSL could not finish is retried with the same
// bytes, which the output queue still holds (they are consumed only once written).
// Files: sendfile cannot encrypt, so file ranges are read with pread (read_range) in blocks of
// kFileBlock and written as records; the block lives until it is all written.
// Writes: over a socket, sealed records gather in a bounded buffer (tls_gather_bio.hpp) that
// send() flushes at its end; bytes the socket did not take yet make wants_write() true and
// holds_unsent() true, and the worker waits for them before close_notify and the close.
// Errors: a TLS alert, garbage or a failed handshake aborts this Connection only (on_abort);
// the peer's close_notify is an EOF (on_eof).
// Purity: the I/O is the BIO's: a socket (set_socket) or memory BIO pairs (fuzzers, tests).
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "connection.hpp"

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;
using BIO = struct bio_st;

namespace httpfsm::server {

class TlsTransport {
 public:
  // Bytes of a file read per record batch (four full TLS records).
  static constexpr std::size_t kFileBlock = 64 * 1024;

  // A server-side session of `ctx`; valid() is false when OpenSSL is out of memory.
  explicit TlsTransport(SSL_CTX* ctx);
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;
  ~TlsTransport();

  bool valid() const noexcept { return ssl_ != nullptr; }
  // The records travel over this socket (a socket BIO, no close on free).
  bool set_socket(int fd);
  // Or over these BIOs (ownership passes to the session).
  void set_bios(BIO* rbio, BIO* wbio);

  // Reads and decrypts what the socket holds into the Connection while it wants input;
  // reports a close_notify or EOF as on_eof(), an alert or garbage as on_abort().
  void receive(Connection& c);
  // Encrypts and writes the Connection's output (bytes, then file ranges in blocks). False:
  // the transport failed (the caller aborts the Connection).
  bool send(Connection& c);
  // Sends our close_notify (RFC 8446 §6.1) once, if the handshake finished.
  void close_notify();
  // While lingering: reads and drops records. False once the peer closed (close_notify,
  // EOF) or the session failed: the socket can close.
  bool discard();

  bool handshake_done() const noexcept;
  // Decrypted or undecrypted bytes OpenSSL holds that no socket readiness will announce.
  bool has_pending() const noexcept;
  // The socket must turn writable: the last receive() had handshake or ticket bytes
  // blocked, or sealed records wait in the write buffer.
  bool wants_write() const noexcept { return read_wants_write_ || unflushed_; }
  // Sealed records the socket has not taken yet (the last send() ended on a full socket).
  bool holds_unsent() const noexcept { return unflushed_; }
  // The last send() needs the socket readable.
  bool wants_read() const noexcept { return write_wants_read_; }
  // The negotiated ALPN protocol ("http/1.1") or empty.
  std::span<const unsigned char> alpn() const noexcept;

 private:
  enum class Status : unsigned char { ok, want_read, want_write, closed, failed };
  Status status_of(int ret) noexcept;
  Status write(std::span<const char> bytes, std::size_t* written) noexcept;
  // Seals the Connection's output into records (send()'s first half).
  bool seal(Connection& c);
  // Sends the records the write BIO gathered; false: the socket failed.
  bool flush();

  SSL* ssl_ = nullptr;
  std::unique_ptr<char[]> block_;  // a file block being written
  std::size_t block_start_ = 0;
  std::size_t block_end_ = 0;
  bool read_wants_write_ = false;
  bool write_wants_read_ = false;
  bool notify_sent_ = false;
  bool unflushed_ = false;
};

}  // namespace httpfsm::server
