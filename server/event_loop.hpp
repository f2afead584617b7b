// The event loop: a registry of descriptors with their interest sets and watchers, plus
// deadlines. It knows no HTTP; it only says "this fd is ready" and "this timer expired".
//
// Deadlines come in queues of one fixed duration (header timeout, idle timeout, ...).
// Arming a timer appends it to its queue with deadline now + duration, so every queue stays
// sorted by deadline without any search: arm, disarm and "next deadline" are O(1) and
// never allocate, which matters because a connection re-arms its timer on every request.
// Invariant: a loop turn costs O(ready descriptors + expired timers + queues), never
// O(connections): the wait looks only at each queue's head, and expiry pops from the heads.
// (A timer wheel or a heap would be needed for arbitrary durations; the server has four.)
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "clock.hpp"
#include "poller.hpp"

namespace httpfsm::server {

class Watcher {
 public:
  virtual void on_ready(const ReadyEvent& event) = 0;

 protected:
  ~Watcher() = default;
};

class TimerHandler {
 public:
  virtual void on_timer() = 0;

 protected:
  ~TimerHandler() = default;
};

class TimerQueue;

// An intrusive timer: lives inside its owner, unlinks itself on destruction.
class Timer {
 public:
  explicit Timer(TimerHandler* handler) noexcept : handler_(handler) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer();
  bool armed() const noexcept { return queue_ != nullptr; }
  std::int64_t deadline_ms() const noexcept { return deadline_ms_; }
  void disarm() noexcept;

 private:
  friend class TimerQueue;
  friend class EventLoop;
  TimerHandler* handler_;
  TimerQueue* queue_ = nullptr;
  Timer* prev_ = nullptr;
  Timer* next_ = nullptr;
  std::int64_t deadline_ms_ = 0;
};

class TimerQueue {
 public:
  explicit TimerQueue(std::int64_t duration_ms) noexcept : duration_ms_(duration_ms) {}
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;
  ~TimerQueue();

  std::int64_t duration_ms() const noexcept { return duration_ms_; }
  // (Re)arms `t` to expire at now_ms + duration. Invariant: now_ms never decreases, so the
  // tail always holds the latest deadline.
  void arm(Timer& t, std::int64_t now_ms) noexcept;
  // The earliest deadline, or -1 when empty.
  std::int64_t next_deadline() const noexcept { return head_ ? head_->deadline_ms_ : -1; }
  // Unlinks and returns the first timer due at now_ms, or nullptr.
  Timer* pop_expired(std::int64_t now_ms) noexcept;

 private:
  friend class Timer;
  void unlink(Timer& t) noexcept;
  std::int64_t duration_ms_;
  Timer* head_ = nullptr;
  Timer* tail_ = nullptr;
};

class EventLoop {
 public:
  explicit EventLoop(std::unique_ptr<Poller> poller);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Registry. A watcher must unwatch its fd before closing it. watch() returns false when
  // the backend refuses the descriptor (the caller closes it). `closing`: the caller closes
  // fd right after unwatching it (saves epoll a system call).
  bool watch(int fd, Interest interest, Watcher* watcher);
  void set_interest(int fd, Interest interest);
  void unwatch(int fd, bool closing = false);
  std::size_t watched() const noexcept { return count_; }

  // A queue of timers of one duration; the loop owns it, the reference stays valid. Create
  // queues before running the loop, not from inside a handler.
  TimerQueue& timer_queue(std::int64_t duration_ms);
  void arm(Timer& t, TimerQueue& q) noexcept { q.arm(t, clock_.now_ms()); }

  // One iteration: waits for readiness or the next deadline (at most max_wait_ms; -1 no
  // limit), updates the clock, dispatches ready descriptors, then expired timers.
  // Returns false on a fatal poller error.
  bool run_once(int max_wait_ms = -1);

  Clock& clock() noexcept { return clock_; }

 private:
  struct Entry {
    Watcher* watcher = nullptr;
    Interest interest = Interest::none;
  };
  int wait_timeout(int max_wait_ms) const noexcept;

  std::unique_ptr<Poller> poller_;
  Clock clock_;
  std::vector<Entry> entries_;
  std::size_t count_ = 0;
  std::vector<std::unique_ptr<TimerQueue>> queues_;
  std::vector<ReadyEvent> ready_;
};

}  // namespace httpfsm::server
