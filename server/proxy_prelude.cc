#include "proxy_prelude.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace httpfsm::server {

namespace {

// Bytes peeked per step: a v1 line (§2.1: at most 107) or a v2 header with its usual TLVs.
constexpr std::size_t kPeekSize = 512;

}  // namespace

ProxyPrelude::Status ProxyPrelude::read(int fd) {
  for (;;) {
    const std::size_t have = received_.size();
    if (have >= kProxyV2MaxLength) return Status::failed;  // cannot happen: the parser stops
    const std::size_t want = std::min(kPeekSize, kProxyV2MaxLength - have);
    received_.resize(have + want);
    const ssize_t n = ::recv(fd, received_.data() + have, want, MSG_PEEK);
    if (n <= 0) {
      received_.resize(have);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return Status::need_more;
      return Status::failed;  // EOF before the header ended, or a socket error
    }
    received_.resize(have + static_cast<std::size_t>(n));
    const Progress progress = parser_.parse(received_);
    if (progress == Progress::failed) return Status::failed;
    // Complete: only the header's remaining bytes are taken; incomplete: every byte peeked
    // belongs to the header. Both are already queued, so this recv takes exactly `take`.
    const std::size_t end =
        progress == Progress::complete ? parser_.header().length : received_.size();
    const std::size_t take = end - have;
    received_.resize(end);
    std::size_t taken = 0;
    while (taken < take) {
      const ssize_t m = ::recv(fd, received_.data() + have + taken, take - taken, 0);
      if (m > 0) {
        taken += static_cast<std::size_t>(m);
      } else if (!(m < 0 && errno == EINTR)) {
        return Status::failed;
      }
    }
    if (progress == Progress::complete) return Status::complete;
    if (static_cast<std::size_t>(n) < want) return Status::need_more;  // the socket is drained
  }
}

}  // namespace httpfsm::server
