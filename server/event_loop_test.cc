#include "event_loop.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <vector>

#include "file_handle.hpp"

namespace httpfsm::server {
namespace {

struct Recorder final : TimerHandler {
  explicit Recorder(std::vector<int>* out, int i) : log(out), id(i), timer(this) {}
  void on_timer() override { log->push_back(id); }
  std::vector<int>* log;
  int id;
  Timer timer;
};

TEST(TimerQueue, expires_in_arming_order_and_rearming_moves_to_the_back) {
  std::vector<int> log;
  TimerQueue q(100);
  Recorder a(&log, 1), b(&log, 2), c(&log, 3);
  q.arm(a.timer, 0);
  q.arm(b.timer, 10);
  q.arm(c.timer, 20);
  q.arm(a.timer, 30);  // re-armed: now the latest
  EXPECT_EQ(q.next_deadline(), 110);
  EXPECT_EQ(q.pop_expired(109), nullptr);
  while (Timer* t = q.pop_expired(125)) static_cast<void>(t), log.push_back(0);
  EXPECT_EQ(log, (std::vector<int>{0, 0}));  // b and c
  EXPECT_EQ(q.next_deadline(), 130);
  a.timer.disarm();
  EXPECT_EQ(q.next_deadline(), -1);
}

TEST(TimerQueue, a_destroyed_timer_unlinks_itself) {
  std::vector<int> log;
  TimerQueue q(5);
  {
    Recorder a(&log, 1);
    q.arm(a.timer, 0);
  }
  EXPECT_EQ(q.next_deadline(), -1);
}

struct PipeWatcher final : Watcher {
  void on_ready(const ReadyEvent& e) override { events.push_back(e); }
  std::vector<ReadyEvent> events;
};

TEST(EventLoop, reports_readiness_by_interest_and_fires_timers) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  FileHandle r(fds[0]), w(fds[1]);
  EventLoop loop(make_poll_poller());
  PipeWatcher reader, writer;
  loop.watch(r.get(), Interest::read, &reader);
  loop.watch(w.get(), Interest::none, &writer);
  std::vector<int> log;
  Recorder t(&log, 7);
  TimerQueue& q = loop.timer_queue(1);
  loop.arm(t.timer, q);
  ASSERT_TRUE(loop.run_once(1000));  // the 1 ms timer bounds the wait
  EXPECT_TRUE(reader.events.empty());
  EXPECT_TRUE(writer.events.empty());
  for (int i = 0; i < 50 && log.empty(); ++i) loop.run_once(10);
  EXPECT_EQ(log, std::vector<int>{7});
  ASSERT_EQ(::write(w.get(), "x", 1), 1);
  loop.set_interest(w.get(), Interest::write);
  ASSERT_TRUE(loop.run_once(1000));
  ASSERT_EQ(reader.events.size(), 1u);
  EXPECT_TRUE(reader.events[0].readable);
  ASSERT_EQ(writer.events.size(), 1u);
  EXPECT_TRUE(writer.events[0].writable);
  loop.unwatch(w.get());
  loop.unwatch(r.get());
  EXPECT_EQ(loop.watched(), 0u);
}

}  // namespace
}  // namespace httpfsm::server
