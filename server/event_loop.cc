#include "event_loop.hpp"

#include <algorithm>

namespace httpfsm::server {

Timer::~Timer() { disarm(); }

void Timer::disarm() noexcept {
  if (queue_ != nullptr) queue_->unlink(*this);
}

TimerQueue::~TimerQueue() {
  while (head_ != nullptr) unlink(*head_);
}

void TimerQueue::unlink(Timer& t) noexcept {
  (t.prev_ ? t.prev_->next_ : head_) = t.next_;
  (t.next_ ? t.next_->prev_ : tail_) = t.prev_;
  t.prev_ = t.next_ = nullptr;
  t.queue_ = nullptr;
}

void TimerQueue::arm(Timer& t, std::int64_t now_ms) noexcept {
  t.disarm();
  t.deadline_ms_ = now_ms + duration_ms_;
  t.queue_ = this;
  t.prev_ = tail_;
  (tail_ ? tail_->next_ : head_) = &t;
  tail_ = &t;
}

Timer* TimerQueue::pop_expired(std::int64_t now_ms) noexcept {
  if (head_ == nullptr || head_->deadline_ms_ > now_ms) return nullptr;
  Timer* t = head_;
  unlink(*t);
  return t;
}

EventLoop::EventLoop(std::unique_ptr<Poller> poller) : poller_(std::move(poller)) {
  clock_.update();
}

bool EventLoop::watch(int fd, Interest interest, Watcher* watcher) {
  if (!poller_->add(fd, interest)) return false;
  const auto i = static_cast<std::size_t>(fd);
  if (entries_.size() <= i) entries_.resize(std::max<std::size_t>(i + 1, entries_.size() * 2));
  entries_[i] = Entry{watcher, interest};
  ++count_;
  return true;
}

void EventLoop::set_interest(int fd, Interest interest) {
  Entry& e = entries_[static_cast<std::size_t>(fd)];
  if (e.interest == interest) return;
  e.interest = interest;
  poller_->modify(fd, interest);
}

void EventLoop::unwatch(int fd, bool closing) {
  entries_[static_cast<std::size_t>(fd)] = Entry{};
  --count_;
  poller_->remove(fd, closing);
}

TimerQueue& EventLoop::timer_queue(std::int64_t duration_ms) {
  for (auto& q : queues_) {
    if (q->duration_ms() == duration_ms) return *q;
  }
  queues_.push_back(std::make_unique<TimerQueue>(duration_ms));
  return *queues_.back();
}

int EventLoop::wait_timeout(int max_wait_ms) const noexcept {
  std::int64_t wait = max_wait_ms;
  for (const auto& q : queues_) {
    const std::int64_t d = q->next_deadline();
    if (d < 0) continue;
    // The coarse clock ticks every few ms: wake at the deadline or just after it.
    const std::int64_t until = std::max<std::int64_t>(d - clock_.now_ms(), 0) + 1;
    if (wait < 0 || until < wait) wait = until;
  }
  return static_cast<int>(std::min<std::int64_t>(wait, 1 << 30));
}

bool EventLoop::run_once(int max_wait_ms) {
  if (!poller_->wait(wait_timeout(max_wait_ms), ready_)) return false;
  clock_.update();
  for (const ReadyEvent& ev : ready_) {
    // A watcher may unwatch (and close) any fd while we dispatch; skip those now gone.
    const auto i = static_cast<std::size_t>(ev.fd);
    if (i < entries_.size() && entries_[i].watcher != nullptr) entries_[i].watcher->on_ready(ev);
  }
  const std::int64_t now = clock_.now_ms();
  for (auto& q : queues_) {
    while (Timer* t = q->pop_expired(now)) t->handler_->on_timer();
  }
  return true;
}

}  // namespace httpfsm::server
