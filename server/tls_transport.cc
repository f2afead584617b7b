#include "tls_transport.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <climits>

#include "file_io.hpp"
#include "tls_gather_bio.hpp"

namespace httpfsm::server {

TlsTransport::TlsTransport(SSL_CTX* ctx) : ssl_(SSL_new(ctx)) {
  if (ssl_ != nullptr) SSL_set_accept_state(ssl_);
}

TlsTransport::~TlsTransport() { SSL_free(ssl_); }

bool TlsTransport::set_socket(int fd) {
  // Reads straight from the socket; writes through the gathering BIO (tls_gather_bio.hpp:
  // one send per up to four records instead of one per record).
  BIO* rbio = BIO_new_socket(fd, BIO_NOCLOSE);
  BIO* wbio = new_gather_bio(fd);
  if (rbio == nullptr || wbio == nullptr) {
    BIO_free(rbio);
    BIO_free(wbio);
    return false;
  }
  SSL_set_bio(ssl_, rbio, wbio);
  return true;
}

void TlsTransport::set_bios(BIO* rbio, BIO* wbio) { SSL_set_bio(ssl_, rbio, wbio); }

bool TlsTransport::handshake_done() const noexcept { return SSL_is_init_finished(ssl_) == 1; }

bool TlsTransport::has_pending() const noexcept { return SSL_has_pending(ssl_) == 1; }

std::span<const unsigned char> TlsTransport::alpn() const noexcept {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl_, &data, &len);
  return {data, len};
}

TlsTransport::Status TlsTransport::status_of(int ret) noexcept {
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ:
      return Status::want_read;
    case SSL_ERROR_WANT_WRITE:
      return Status::want_write;
    case SSL_ERROR_ZERO_RETURN:
      return Status::closed;  // close_notify, or EOF (SSL_OP_IGNORE_UNEXPECTED_EOF)
    default:
      // An alert, garbage, a socket error: this connection only. The per-thread error
      // queue is cleared so the next connection's SSL_get_error is not misled.
      ERR_clear_error();
      return Status::failed;
  }
}

void TlsTransport::receive(Connection& c) {
  read_wants_write_ = false;
  while (c.wants_input()) {
    const std::span<char> space = c.input_space();
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_, space.data(), space.size(), &n);
    if (ret == 1) {
      c.on_received(n);
      continue;
    }
    switch (status_of(ret)) {
      case Status::ok:
      case Status::want_read:
        return;
      case Status::want_write:
        read_wants_write_ = true;
        return;
      case Status::closed:
        c.on_eof();
        return;
      case Status::failed:
        c.on_abort();
        return;
    }
  }
}

TlsTransport::Status TlsTransport::write(std::span<const char> bytes,
                                         std::size_t* written) noexcept {
  const int ret = SSL_write_ex(ssl_, bytes.data(), bytes.size(), written);
  return ret == 1 ? Status::ok : status_of(ret);
}

bool TlsTransport::send(Connection& c) { return seal(c) && flush(); }

bool TlsTransport::flush() {
  BIO* wbio = SSL_get_wbio(ssl_);
  const int ret = BIO_flush(wbio);
  if (ret > 0) {
    unflushed_ = false;
    return true;
  }
  unflushed_ = true;
  return BIO_should_retry(wbio);  // the socket is full: the bytes wait for it to drain
}

bool TlsTransport::seal(Connection& c) {
  OutputQueue& out = c.output();
  write_wants_read_ = false;
  // Before the handshake there is no channel to answer on (a 408 for a stalled handshake
  // has nowhere to go); the worker closes such a connection when its timer fires.
  if (!handshake_done()) return true;
  for (;;) {
    bool sent = false;
    bool blocked = false;
    while (!out.empty() && !blocked) {
      std::span<const char> bytes = out.next_bytes();
      FileSegment* file = nullptr;
      if (bytes.empty()) {
        file = out.next_file();
        if (file == nullptr) break;
        if (block_start_ == block_end_) {
          if (!block_) block_ = std::make_unique<char[]>(kFileBlock);
          const auto len =
              static_cast<std::size_t>(std::min<std::uint64_t>(file->length, kFileBlock));
          if (!read_range(file->file.get(), file->offset, {block_.get(), len})) return false;
          block_start_ = 0;
          block_end_ = len;
        }
        bytes = {block_.get() + block_start_, block_end_ - block_start_};
      }
      std::size_t n = 0;
      switch (write(bytes, &n)) {
        case Status::ok:
          if (file != nullptr) {
            out.consume_file(n);
            block_start_ += n;
          } else {
            out.consume_bytes(n);
          }
          sent = true;
          break;
        case Status::want_write:
          blocked = true;
          break;
        case Status::want_read:
          write_wants_read_ = true;
          blocked = true;
          break;
        case Status::closed:
        case Status::failed:
          return false;
      }
    }
    if (out.empty()) block_.reset();  // an idle connection holds no file block
    if (!sent) return true;
    // Sending may let requests held back by the output bound run; they add output.
    c.on_output_progress();
    if (blocked || out.empty()) return true;
  }
}

void TlsTransport::close_notify() {
  if (notify_sent_ || !handshake_done()) return;
  notify_sent_ = true;
  // One call queues and flushes our close_notify; the peer's is read by discard().
  if (SSL_shutdown(ssl_) < 0) ERR_clear_error();
}

bool TlsTransport::discard() {
  char sink[4096];
  for (int i = 0; i < 64; ++i) {
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_, sink, sizeof sink, &n);
    if (ret == 1) continue;
    return status_of(ret) == Status::want_read;
  }
  return true;
}

}  // namespace httpfsm::server
