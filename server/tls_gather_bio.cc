#include "tls_gather_bio.hpp"

#include <openssl/bio.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>

namespace httpfsm::server {
namespace {

struct Gather {
  int fd = -1;
  std::unique_ptr<char[]> data;  // kTlsGatherBytes while it holds bytes, else none
  std::size_t start = 0;         // [start, end) is still to send
  std::size_t end = 0;
};

Gather& gather_of(BIO* b) { return *static_cast<Gather*>(BIO_get_data(b)); }

// Sends the buffered bytes: 1 once none are left, 0 with a retry set when the socket is
// full, -1 when it failed.
int send_buffered(BIO* b, Gather& g) {
  while (g.start < g.end) {
    const ssize_t n =
        ::send(g.fd, g.data.get() + g.start, g.end - g.start, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      g.start += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      BIO_set_retry_write(b);
      return 0;
    } else {
      return -1;
    }
  }
  g.start = g.end = 0;
  return 1;
}

int gather_write(BIO* b, const char* in, std::size_t len, std::size_t* written) {
  BIO_clear_retry_flags(b);
  Gather& g = gather_of(b);
  std::size_t taken = 0;
  while (taken < len) {
    if (g.end == kTlsGatherBytes) {
      const int sent = send_buffered(b, g);
      if (sent < 0) return 0;
      if (sent == 0) {
        // The socket took part or nothing: what it did not take moves to the front.
        std::memmove(g.data.get(), g.data.get() + g.start, g.end - g.start);
        g.end -= g.start;
        g.start = 0;
        if (g.end == kTlsGatherBytes) break;  // not a byte went out
        BIO_clear_retry_flags(b);
      }
    }
    if (!g.data) {
      g.data.reset(new (std::nothrow) char[kTlsGatherBytes]);
      if (!g.data) return 0;
    }
    const std::size_t n = std::min(kTlsGatherBytes - g.end, len - taken);
    std::memcpy(g.data.get() + g.end, in + taken, n);
    g.end += n;
    taken += n;
  }
  if (taken == 0) return 0;  // the retry flag says the socket is full
  BIO_clear_retry_flags(b);
  *written = taken;
  return 1;
}

long gather_ctrl(BIO* b, int cmd, long /*num*/, void* /*ptr*/) {
  Gather& g = gather_of(b);
  switch (cmd) {
    case BIO_CTRL_FLUSH: {
      BIO_clear_retry_flags(b);
      const int sent = send_buffered(b, g);
      if (sent == 1) g.data.reset();  // all out: an idle connection holds no buffer
      return sent;
    }
    case BIO_CTRL_WPENDING:
      return static_cast<long>(g.end - g.start);
    default:
      return 0;  // not a descriptor BIO, no kTLS, nothing to read
  }
}

int gather_create(BIO* b) {
  auto* g = new (std::nothrow) Gather;
  if (g == nullptr) return 0;
  BIO_set_data(b, g);
  BIO_set_init(b, 1);
  return 1;
}

int gather_destroy(BIO* b) {
  delete static_cast<Gather*>(BIO_get_data(b));
  BIO_set_data(b, nullptr);
  return 1;
}

// The method table, made once per process (C++ makes the first call's initialisation
// thread-safe) and kept for its lifetime.
const BIO_METHOD* gather_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "httpfsm gather");
    if (m != nullptr) {
      BIO_meth_set_write_ex(m, gather_write);
      BIO_meth_set_ctrl(m, gather_ctrl);
      BIO_meth_set_create(m, gather_create);
      BIO_meth_set_destroy(m, gather_destroy);
    }
    return m;
  }();
  return method;
}

}  // namespace

BIO* new_gather_bio(int fd) {
  const BIO_METHOD* method = gather_method();
  if (method == nullptr) return nullptr;
  BIO* b = BIO_new(method);
  if (b != nullptr) gather_of(b).fd = fd;
  return b;
}

}  // namespace httpfsm::server
