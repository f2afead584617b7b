// The readiness backend of the event loop: a set of descriptors, each with an interest set,
// and a wait that reports which are ready. Two implementations: poll() (poll_poller.cc, the
// portable default) and epoll (epoll_poller.cc, Linux, built where <sys/epoll.h> exists). The
// loop, the listener and the connections see only this interface.
// Readiness is level-triggered: a descriptor stays ready until its condition is consumed.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "httpfsm/server/config.hpp"

namespace httpfsm::server {

enum class Interest : std::uint8_t { none = 0, read = 1, write = 2, read_write = 3 };
inline Interest operator|(Interest a, Interest b) {
  return static_cast<Interest>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
inline bool has(Interest set, Interest bit) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(bit)) != 0;
}

struct ReadyEvent {
  int fd = -1;
  bool readable = false;
  bool writable = false;
  // POLLERR/POLLHUP/POLLNVAL (EPOLLERR/EPOLLHUP). Reported whatever the interest set.
  // Handlers treat it as "try the I/O and see": the descriptor number may have been reused by
  // the time a stale event is dispatched.
  bool error = false;
};

class Poller {
 public:
  virtual ~Poller() = default;
  // Precondition for add: fd not present. modify and remove: fd present.
  // add returns false when the kernel refuses the descriptor (epoll: ENOMEM, ENOSPC for
  // fs.epoll.max_user_watches); the caller closes it then.
  virtual bool add(int fd, Interest interest) = 0;
  virtual void modify(int fd, Interest interest) = 0;
  // `closing`: the caller closes fd right after, which drops it from an epoll set by itself.
  virtual void remove(int fd, bool closing) = 0;
  // Waits at most timeout_ms (-1: no limit) and replaces `ready` with the ready descriptors.
  // EINTR counts as a wake-up with nothing ready. Returns false only on a fatal error.
  virtual bool wait(int timeout_ms, std::vector<ReadyEvent>& ready) = 0;
};

std::string_view poller_name(PollerKind kind) noexcept;
// The backends this build has: poll everywhere, epoll on Linux.
std::span<const PollerKind> available_pollers() noexcept;
bool poller_available(PollerKind kind) noexcept;

std::unique_ptr<Poller> make_poll_poller();
// Precondition: poller_available(PollerKind::epoll). Returns nullptr if epoll_create1 fails.
std::unique_ptr<Poller> make_epoll_poller();
// One of the two above by kind; nullptr when it is not available or cannot start.
std::unique_ptr<Poller> make_poller(PollerKind kind);

}  // namespace httpfsm::server
