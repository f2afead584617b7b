// The readiness backend of the event loop: a set of descriptors, each with an interest set,
// and a wait that reports which are ready. poll() implements it now (poll_poller.*); epoll
// can be added beside it without touching the loop, the listener or the connections.
// Readiness is level-triggered: a descriptor stays ready until its condition is consumed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

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
  // POLLERR/POLLHUP/POLLNVAL. Handlers treat it as "try the I/O and see": the descriptor
  // number may have been reused by the time a stale event is dispatched.
  bool error = false;
};

class Poller {
 public:
  virtual ~Poller() = default;
  // Precondition for add: fd not present. modify and remove: fd present.
  virtual void add(int fd, Interest interest) = 0;
  virtual void modify(int fd, Interest interest) = 0;
  virtual void remove(int fd) = 0;
  // Waits at most timeout_ms (-1: no limit) and replaces `ready` with the ready descriptors.
  // EINTR counts as a wake-up with nothing ready. Returns false only on a fatal error.
  virtual bool wait(int timeout_ms, std::vector<ReadyEvent>& ready) = 0;
};

std::unique_ptr<Poller> make_poll_poller();

}  // namespace httpfsm::server
