#include "event_loop.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include <vector>

#include "httpfsm/server/file_handle.hpp"

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

struct Pipe {
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    r.reset(fds[0]);
    w.reset(fds[1]);
  }
  FileHandle r, w;
};

// Every test runs against every backend this build has (poll, and epoll on Linux).
class EventLoopTest : public ::testing::TestWithParam<PollerKind> {
 protected:
  std::unique_ptr<Poller> poller() {
    std::unique_ptr<Poller> p = make_poller(GetParam());
    EXPECT_NE(p, nullptr);
    return p;
  }
};

TEST_P(EventLoopTest, reports_readiness_by_interest_and_fires_timers) {
  Pipe p;
  EventLoop loop(poller());
  PipeWatcher reader, writer;
  ASSERT_TRUE(loop.watch(p.r.get(), Interest::read, &reader));
  ASSERT_TRUE(loop.watch(p.w.get(), Interest::none, &writer));
  std::vector<int> log;
  Recorder t(&log, 7);
  TimerQueue& q = loop.timer_queue(1);
  loop.arm(t.timer, q);
  ASSERT_TRUE(loop.run_once(1000));  // the 1 ms timer bounds the wait
  EXPECT_TRUE(reader.events.empty());
  EXPECT_TRUE(writer.events.empty());
  for (int i = 0; i < 50 && log.empty(); ++i) loop.run_once(10);
  EXPECT_EQ(log, std::vector<int>{7});
  ASSERT_EQ(::write(p.w.get(), "x", 1), 1);
  loop.set_interest(p.w.get(), Interest::write);
  ASSERT_TRUE(loop.run_once(1000));
  ASSERT_EQ(reader.events.size(), 1u);
  EXPECT_TRUE(reader.events[0].readable);
  ASSERT_EQ(writer.events.size(), 1u);
  EXPECT_TRUE(writer.events[0].writable);
  loop.unwatch(p.w.get());
  loop.unwatch(p.r.get());
  EXPECT_EQ(loop.watched(), 0u);
}

TEST_P(EventLoopTest, readiness_is_level_triggered_until_consumed) {
  Pipe p;
  EventLoop loop(poller());
  PipeWatcher reader;
  ASSERT_TRUE(loop.watch(p.r.get(), Interest::read, &reader));
  ASSERT_EQ(::write(p.w.get(), "ab", 2), 2);
  ASSERT_TRUE(loop.run_once(1000));
  ASSERT_TRUE(loop.run_once(1000));  // not consumed: reported again
  ASSERT_EQ(reader.events.size(), 2u);
  char c[2];
  ASSERT_EQ(::read(p.r.get(), c, 2), 2);
  ASSERT_TRUE(loop.run_once(20));
  EXPECT_EQ(reader.events.size(), 2u);
  loop.unwatch(p.r.get());
}

TEST_P(EventLoopTest, interest_none_silences_a_readable_descriptor_and_read_restores_it) {
  Pipe p;
  EventLoop loop(poller());
  PipeWatcher reader;
  ASSERT_TRUE(loop.watch(p.r.get(), Interest::read, &reader));
  ASSERT_EQ(::write(p.w.get(), "x", 1), 1);
  loop.set_interest(p.r.get(), Interest::none);
  ASSERT_TRUE(loop.run_once(20));
  EXPECT_TRUE(reader.events.empty());
  loop.set_interest(p.r.get(), Interest::read);
  ASSERT_TRUE(loop.run_once(1000));
  ASSERT_EQ(reader.events.size(), 1u);
  EXPECT_TRUE(reader.events[0].readable);
  loop.unwatch(p.r.get());
}

TEST_P(EventLoopTest, hang_up_is_reported_whatever_the_interest) {
  Pipe p;
  EventLoop loop(poller());
  PipeWatcher reader;
  ASSERT_TRUE(loop.watch(p.r.get(), Interest::none, &reader));
  p.w.reset();  // the writer is gone: POLLHUP / EPOLLHUP
  ASSERT_TRUE(loop.run_once(1000));
  ASSERT_EQ(reader.events.size(), 1u);
  EXPECT_TRUE(reader.events[0].error);
  loop.unwatch(p.r.get());
}

TEST_P(EventLoopTest, only_the_active_descriptor_among_many_idle_ones_is_reported) {
  EventLoop loop(poller());
  std::vector<Pipe> idle(200);
  std::vector<PipeWatcher> watchers(idle.size());
  for (std::size_t i = 0; i < idle.size(); ++i) {
    ASSERT_TRUE(loop.watch(idle[i].r.get(), Interest::read, &watchers[i]));
  }
  ASSERT_EQ(::write(idle[123].w.get(), "x", 1), 1);
  ASSERT_TRUE(loop.run_once(1000));
  for (std::size_t i = 0; i < idle.size(); ++i) {
    EXPECT_EQ(watchers[i].events.size(), i == 123 ? 1u : 0u) << i;
  }
  for (const Pipe& p : idle) loop.unwatch(p.r.get());
  EXPECT_EQ(loop.watched(), 0u);
}

TEST_P(EventLoopTest, a_descriptor_number_reused_after_close_can_be_watched_again) {
  EventLoop loop(poller());
  PipeWatcher first, second;
  Pipe a;
  const int number = a.r.get();
  ASSERT_TRUE(loop.watch(number, Interest::read, &first));
  loop.unwatch(number, /*closing=*/true);
  a.r.reset();
  // The lowest free number comes back: the same slot in the registry and in the backend.
  Pipe b;
  ASSERT_EQ(b.r.get(), number);
  ASSERT_TRUE(loop.watch(number, Interest::read, &second));
  ASSERT_EQ(::write(b.w.get(), "y", 1), 1);
  ASSERT_TRUE(loop.run_once(1000));
  EXPECT_TRUE(first.events.empty());
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_TRUE(second.events[0].readable);
  loop.unwatch(number);
}

TEST_P(EventLoopTest, a_removed_open_descriptor_is_no_longer_reported_by_the_backend) {
  Pipe p;
  std::unique_ptr<Poller> backend = poller();
  ASSERT_TRUE(backend->add(p.r.get(), Interest::read));
  ASSERT_TRUE(backend->add(p.w.get(), Interest::write));
  backend->remove(p.r.get(), /*closing=*/false);  // stays open
  ASSERT_EQ(::write(p.w.get(), "x", 1), 1);
  std::vector<ReadyEvent> ready;
  ASSERT_TRUE(backend->wait(1000, ready));
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].fd, p.w.get());
  EXPECT_TRUE(ready[0].writable);
  backend->remove(p.w.get(), /*closing=*/false);
  ASSERT_TRUE(backend->wait(20, ready));
  EXPECT_TRUE(ready.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, EventLoopTest, ::testing::ValuesIn(available_pollers()),
                         [](const ::testing::TestParamInfo<PollerKind>& backend) {
                           return std::string(poller_name(backend.param));
                         });

}  // namespace
}  // namespace httpfsm::server
