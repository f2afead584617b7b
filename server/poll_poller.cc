// Poller over poll(2): one pollfd array, kept packed (removal moves the last entry into the
// hole), and an fd -> slot index so modify and remove are O(1). Each wait costs the kernel
// O(registered descriptors), idle ones included: that is what epoll_poller.cc avoids.
#include <poll.h>

#include <cerrno>

#include "poller.hpp"

namespace httpfsm::server {

namespace {

short poll_events(Interest i) {
  short e = 0;
  if (has(i, Interest::read)) e = static_cast<short>(e | POLLIN);
  if (has(i, Interest::write)) e = static_cast<short>(e | POLLOUT);
  return e;
}

class PollPoller final : public Poller {
 public:
  bool add(int fd, Interest interest) override {
    const auto i = static_cast<std::size_t>(fd);
    if (slot_.size() <= i) slot_.resize(i + 1, kNone);
    slot_[i] = fds_.size();
    fds_.push_back(pollfd{fd, poll_events(interest), 0});
    return true;
  }

  void modify(int fd, Interest interest) override {
    fds_[slot_[static_cast<std::size_t>(fd)]].events = poll_events(interest);
  }

  void remove(int fd, bool /*closing*/) override {
    const std::size_t s = slot_[static_cast<std::size_t>(fd)];
    slot_[static_cast<std::size_t>(fd)] = kNone;
    if (s + 1 != fds_.size()) {
      fds_[s] = fds_.back();
      slot_[static_cast<std::size_t>(fds_[s].fd)] = s;
    }
    fds_.pop_back();
  }

  bool wait(int timeout_ms, std::vector<ReadyEvent>& ready) override {
    ready.clear();
    const int n = ::poll(fds_.data(), fds_.size(), timeout_ms);
    if (n < 0) return errno == EINTR || errno == EAGAIN;
    for (std::size_t i = 0, left = static_cast<std::size_t>(n); i < fds_.size() && left > 0; ++i) {
      const short r = fds_[i].revents;
      if (r == 0) continue;
      --left;
      ready.push_back(ReadyEvent{fds_[i].fd, (r & POLLIN) != 0, (r & POLLOUT) != 0,
                                 (r & (POLLERR | POLLHUP | POLLNVAL)) != 0});
    }
    return true;
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<pollfd> fds_;
  std::vector<std::size_t> slot_;
};

}  // namespace

std::unique_ptr<Poller> make_poll_poller() { return std::make_unique<PollPoller>(); }

}  // namespace httpfsm::server
