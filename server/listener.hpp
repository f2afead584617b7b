// A listening TCP socket: socket/bind/listen, non-blocking and close-on-exec, and accept4.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "httpfsm/server/file_handle.hpp"

namespace httpfsm::server {

struct AcceptedSocket {
  FileHandle fd;
  std::string peer;  // "127.0.0.1" or "::1", for the access log
};

// A peer's address as the access log shows it: "127.0.0.1", "::1"; "-" for other families.
std::string peer_name(const sockaddr_storage& address);

enum class AcceptStatus : std::uint8_t { accepted, would_block, out_of_descriptors, failed };

class Listener {
 public:
  // Binds `address` ("127.0.0.1", "::", "localhost") and `port` (0: any free port). With
  // reuse_port, several listeners may bind the same port and the kernel spreads connections
  // among them (SO_REUSEPORT). On failure returns an invalid listener and sets *error to a
  // one-line reason ("127.0.0.1:4221: Address already in use").
  static Listener open(const std::string& address, std::uint16_t port, bool reuse_port,
                       std::string* error);

  bool valid() const noexcept { return fd_.valid(); }
  int fd() const noexcept { return fd_.get(); }
  std::uint16_t port() const noexcept { return port_; }
  // Accepted sockets usually have their first bytes waiting already (TCP_DEFER_ACCEPT).
  bool data_first() const noexcept { return data_first_; }
  void close() noexcept { fd_.reset(); }

  // One accept4 (non-blocking, close-on-exec); EINTR and aborted handshakes are retried.
  // The accepted socket has Nagle's algorithm off (TCP_NODELAY).
  AcceptStatus accept(AcceptedSocket* out);

 private:
  FileHandle fd_;
  std::uint16_t port_ = 0;
  // TCP_NODELAY is set on the listener, and Linux copies it to every accepted socket; the
  // first accept checks that it did (one getsockopt). If not, every accept sets it.
  bool nodelay_checked_ = false;
  bool nodelay_inherited_ = false;
  bool data_first_ = false;
};

}  // namespace httpfsm::server
