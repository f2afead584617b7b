#include "listener.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/tcp.h>

#include <cerrno>
#include <cstring>

namespace httpfsm::server {

namespace {

// "203.0.113.7". glibc's inet_ntop formats IPv4 with sprintf, over a thousand instructions
// per accepted connection (callgrind); four small numbers need a few dozen.
std::string ipv4_name(const in_addr& address) {
  const auto* b = reinterpret_cast<const unsigned char*>(&address.s_addr);  // network order
  char buf[16];
  char* p = buf;
  for (int i = 0; i < 4; ++i) {
    unsigned v = b[i];
    if (i > 0) *p++ = '.';
    if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
    *p++ = static_cast<char>('0' + v % 10);
  }
  return std::string(buf, static_cast<std::size_t>(p - buf));  // at most 15: no allocation
}

}  // namespace

std::string peer_name(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = "-";
  if (ss.ss_family == AF_INET) {
    return ipv4_name(reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr);
  } else if (ss.ss_family == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

Listener Listener::open(const std::string& address, std::uint16_t port, bool reuse_port,
                        std::string* error) {
  Listener l;
  const std::string where =
      (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" +
      std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = getaddrinfo(address.c_str(), service.c_str(), &hints, &found); rc != 0) {
    *error = where + ": " + gai_strerror(rc);
    return l;
  }
  int last_errno = 0;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    FileHandle fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
      last_errno = errno;
      continue;
    }
    const int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuse_port) setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (ai->ai_family == AF_INET6)
      setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    // Inherited by accepted sockets on Linux: saves a system call per connection.
    setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef TCP_DEFER_ACCEPT
    // A connection is handed to accept only once its first bytes arrived (h2o does the same;
    // nginx's "listen ... deferred"): the worker wakes once per connection instead of twice
    // (handshake, then request), and its first read finds the request there, so a client
    // that asks to close is served and closed without joining the event loop. A client that
    // sends nothing is handed over after the deferral (one SYN-ACK retransmission, about a
    // second) and meets the header and idle timeouts as before.
    const int defer_seconds = 1;
    l.data_first_ = setsockopt(fd.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds,
                               sizeof defer_seconds) == 0;
#endif
    if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd.get(), SOMAXCONN) != 0) {
      last_errno = errno;
      continue;
    }
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len);
    l.port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    l.fd_ = std::move(fd);
    break;
  }
  freeaddrinfo(found);
  if (!l.valid())
    *error = where + ": " + std::strerror(last_errno != 0 ? last_errno : EADDRNOTAVAIL);
  return l;
}

AcceptStatus Listener::accept(AcceptedSocket* out) {
  for (;;) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const int fd =
        ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      // Responses leave in whole writes (with MSG_MORE before a sendfile), so Nagle's
      // algorithm would only add delay to pipelined answers.
      if (!nodelay_checked_) {
        int on = 0;
        socklen_t on_len = sizeof on;
        nodelay_inherited_ = getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &on_len) == 0 && on != 0;
        nodelay_checked_ = true;
      }
      if (!nodelay_inherited_) {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      }
      out->fd.reset(fd);
      out->peer = peer_name(ss);
      return AcceptStatus::accepted;
    }
    switch (errno) {
      case EINTR:
      case ECONNABORTED:  // the peer gave up between SYN and accept: try the next one
        continue;
      case EAGAIN:
        return AcceptStatus::would_block;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        return AcceptStatus::out_of_descriptors;
      default:
        return AcceptStatus::failed;
    }
  }
}

}  // namespace httpfsm::server
