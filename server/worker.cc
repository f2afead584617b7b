#include "worker.hpp"

#include <fcntl.h>
#include <linux/sockios.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "descriptor_budget.hpp"
#include "proxy_prelude.hpp"
#include "response.hpp"
#include "tls_transport.hpp"

namespace httpfsm::server {

namespace {

// Bytes we wrote that the peer has not acknowledged yet (SIOCOUTQ), or -1. The peer
// acknowledges what its own receive buffer took, so this shrinks as it reads.
int unsent_bytes(int fd) {
  int n = 0;
  return ::ioctl(fd, SIOCOUTQ, &n) == 0 ? n : -1;
}

}  // namespace

struct Worker::Slot final : Watcher, TimerHandler {
  Slot(Worker& w, FileHandle socket) : worker(w), fd(std::move(socket)), timer(this) {}
  void on_ready(const ReadyEvent& event) override { worker.on_slot_ready(*this, event); }
  void on_timer() override { worker.on_slot_timer(*this); }

  Worker& worker;
  FileHandle fd;
  std::unique_ptr<Connection> connection;  // null while lingering
  std::unique_ptr<TlsTransport> tls;       // null: cleartext
  std::unique_ptr<ProxyPrelude> proxy;     // TLS with --proxy-protocol: until the header is read
  Timer timer;
  Connection::TimerKind armed_kind = Connection::TimerKind::header;
  std::uint32_t armed_epoch = ~0u;
  int unsent_at_arm = -1;  // unsent_bytes() when the timer was armed with output pending
  bool counted = false;    // holds one of --max-connections
  bool watched = false;    // registered with the event loop (not before its first read)
};

class Worker::DrainTimer final : public TimerHandler {
 public:
  explicit DrainTimer(Worker& w) : worker_(w), timer_(this) {}
  void on_timer() override {
    // In-flight requests had their time: close whatever is left.
    worker_.drained_ = true;
    for (auto& s : worker_.slots_) {
      if (s) worker_.close_slot(*s);
    }
  }
  Timer& timer() { return timer_; }

 private:
  Worker& worker_;
  Timer timer_;
};

class Worker::AcceptPauseTimer final : public TimerHandler {
 public:
  explicit AcceptPauseTimer(Worker& w) : worker_(w), timer_(this) {}
  void on_timer() override { worker_.resume_accepting(); }
  Timer& timer() { return timer_; }

 private:
  Worker& worker_;
  Timer timer_;
};

Worker::Worker(const Site& site, Listener listener, std::unique_ptr<Poller> poller,
               std::atomic<std::uint32_t>& active, const TlsContextHolder* tls)
    : site_(site),
      loop_(std::move(poller)),
      context_(site, loop_.clock()),
      listener_(std::move(listener)),
      active_(active),
      tls_(tls),
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      spare_fd_(::open("/dev/null", O_RDONLY | O_CLOEXEC)),
      header_timers_(loop_.timer_queue(site.config.header_timeout_ms)),
      idle_timers_(loop_.timer_queue(site.config.idle_timeout_ms)),
      body_timers_(loop_.timer_queue(site.config.body_timeout_ms)),
      linger_timers_(
          loop_.timer_queue(std::min<std::int64_t>(kLingerMs, site.config.idle_timeout_ms) + 1)),
      drain_timers_(loop_.timer_queue(site.config.shutdown_timeout_ms + 2)),
      drain_(std::make_unique<DrainTimer>(*this)),
      accept_pause_timers_(loop_.timer_queue(kAcceptPauseMs)),
      accept_pause_(std::make_unique<AcceptPauseTimer>(*this)) {
  for (const std::string& block : site.config.trusted_proxies) trusted_.parse(block);
  context_.file_budget = static_cast<std::size_t>(
      std::max<std::uint64_t>(1, descriptor_budget(site.config).files / site.config.workers));
  ready_ = wake_fd_.valid() && loop_.watch(listener_.fd(), Interest::read, this) &&
           loop_.watch(wake_fd_.get(), Interest::read, this);
}

Worker::~Worker() {
  for (auto& s : slots_) {
    if (s) close_slot(*s);
  }
}

void Worker::request_shutdown() noexcept {
  shutdown_requested_.store(true);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_.get(), &one, sizeof one);
}

void Worker::run() {
  while (!(shutting_down_ && slot_count_ == 0)) {
    context_.file_cache.begin_turn();  // cached files are stat()ed again once per turn
    if (!loop_.run_once()) break;
    // The access log leaves once per iteration: one write for every request just served.
    if (!context_.log.pending().empty()) context_.log.flush(STDOUT_FILENO);
  }
  if (!context_.log.pending().empty()) context_.log.flush(STDOUT_FILENO);
}

void Worker::on_ready(const ReadyEvent& event) {
  if (event.fd == wake_fd_.get()) {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(wake_fd_.get(), &count, sizeof count);
    if (shutdown_requested_.load() && !shutting_down_) begin_shutdown();
    return;
  }
  if (listener_.valid() && event.fd == listener_.fd()) accept_connections();
}

void Worker::accept_connections() {
  // A bounded batch per wake-up keeps accepting fair to the connections already open.
  for (int i = 0; i < 64; ++i) {
    AcceptedSocket s;
    switch (listener_.accept(&s)) {
      case AcceptStatus::accepted:
        break;
      case AcceptStatus::would_block:
        return;
      case AcceptStatus::out_of_descriptors:
        return refuse_out_of_descriptors();
      case AcceptStatus::failed:
        return;
    }
    const int fd = s.fd.get();
    // Only a trusted proxy may tell us who the client is: anyone else is closed at once,
    // unanswered (it would be told nothing it may rely on).
    if (!trusted_.contains(s.peer)) continue;
    if (active_.fetch_add(1) >= site_.config.max_connections) {
      active_.fetch_sub(1);
      if (tls_ == nullptr) reject(std::move(s.fd));  // a cleartext 503 means nothing to TLS
      continue;
    }
    const auto index = static_cast<std::size_t>(fd);
    if (slots_.size() <= index) slots_.resize(std::max<std::size_t>(index + 1, slots_.size() * 2));
    auto slot = std::make_unique<Slot>(*this, std::move(s.fd));
    slot->counted = true;
    slot->connection = std::make_unique<Connection>(context_, s.peer);
    if (tls_ != nullptr) {
      // The context current now: a SIGHUP reload applies to connections accepted after it.
      const std::shared_ptr<TlsContext> ctx = tls_->current();
      slot->tls = std::make_unique<TlsTransport>(ctx->get());
      if (!slot->tls->valid() || !slot->tls->set_socket(fd)) {
        active_.fetch_sub(1);
        continue;
      }
      // The PROXY header precedes the ClientHello on the wire: read off the raw socket first.
      if (site_.config.proxy_protocol) slot->proxy = std::make_unique<ProxyPrelude>();
    }
    Slot& ref = *slot;
    slots_[index] = std::move(slot);
    ++slot_count_;
    if (!ref.tls && listener_.data_first()) {
      // The listener hands over connections whose first bytes arrived (TCP_DEFER_ACCEPT):
      // read them now, before the socket is registered. The request is answered here, and a
      // client that asked to close is closed without ever joining the event loop (no
      // epoll_ctl, no loop turn).
      read_from(ref);
      if (slots_[index].get() != &ref) continue;  // closed while reading
    }
    sync(ref);  // registers the socket with the interest it has now
  }
}

bool Worker::set_interest(Slot& slot, Interest interest) {
  if (slot.watched) {
    loop_.set_interest(slot.fd.get(), interest);
    return true;
  }
  slot.watched = loop_.watch(slot.fd.get(), interest, &slot);
  return slot.watched;
}

void Worker::refuse_out_of_descriptors() {
  // EMFILE/ENFILE. The waiting connections keep the listener readable, so polling it again
  // would spin (regression: tens of thousands of failing accept4 + poll calls a second, and
  // the clients waiting got no answer). Each waiting client is accepted on the spare
  // descriptor, answered 503 and closed at once (no linger: the spare must come back), then
  // the listener rests until a connection closes or kAcceptPauseMs passes.
  if (!spare_fd_) spare_fd_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));  // one freed?
  for (int i = 0; i < 64 && spare_fd_; ++i) {
    spare_fd_.reset();
    AcceptedSocket victim;
    const AcceptStatus status = listener_.accept(&victim);
    if (status == AcceptStatus::accepted) {
      write_503(victim.fd.get());
      // Read what the client sent, so closing sends a FIN rather than a reset that could
      // destroy the 503 before the client reads it (RFC 9112 §9.6).
      char sink[4096];
      for (int reads = 0; reads < 16; ++reads) {
        if (::recv(victim.fd.get(), sink, sizeof sink, 0) <= 0) break;  // non-blocking
      }
      ::shutdown(victim.fd.get(), SHUT_WR);
      victim.fd.reset();
    }
    // Another worker thread may take the descriptor first; the next turn tries again.
    spare_fd_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (status != AcceptStatus::accepted) break;
  }
  pause_accepting();
}

void Worker::pause_accepting() {
  if (accepting_paused_ || !listener_.valid()) return;
  accepting_paused_ = true;
  loop_.set_interest(listener_.fd(), Interest::none);
  loop_.arm(accept_pause_->timer(), accept_pause_timers_);
}

void Worker::resume_accepting() {
  if (!accepting_paused_) return;
  accepting_paused_ = false;
  accept_pause_->timer().disarm();
  if (listener_.valid()) loop_.set_interest(listener_.fd(), Interest::read);
}

void Worker::write_503(int fd) {
  // RFC 9110 §15.6.4: 503, answered and closed, never left hanging. The socket's send
  // buffer is empty, so this small write does not block. A TLS client could not read it.
  if (tls_ != nullptr) return;
  Response& r = context_.response;
  r.set_error(503, true, "too many open connections");
  r.add_field("Retry-After", "1");
  OutputQueue out;
  WireOptions o;
  o.date = loop_.clock().http_date();
  o.close = true;
  write_response(r, o, out);
  const std::span<const char> bytes = out.next_bytes();
  [[maybe_unused]] const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

void Worker::reject(FileHandle fd) {
  write_503(fd.get());
  // Linger so the client reads the 503 rather than a reset, unless too many already do.
  if (lingering_ >= site_.config.max_connections / 4 + 16 || shutting_down_) return;
  const int raw = fd.get();
  const auto index = static_cast<std::size_t>(raw);
  if (slots_.size() <= index) slots_.resize(std::max<std::size_t>(index + 1, slots_.size() * 2));
  auto slot = std::make_unique<Slot>(*this, std::move(fd));
  if (!loop_.watch(raw, Interest::read, slot.get())) return;
  slot->watched = true;
  slots_[index] = std::move(slot);
  ++slot_count_;
  start_lingering(*slots_[index]);
}

void Worker::on_slot_ready(Slot& slot, const ReadyEvent& event) {
  // Error flags are not trusted on their own (the descriptor may be new since the event was
  // collected): the read or the send below finds out.
  const auto index = static_cast<std::size_t>(slot.fd.get());
  if (slot.proxy && slot.connection && !read_proxy_header(slot)) return;
  if (event.readable || event.error || (slot.tls && event.writable && slot.tls->wants_write())) {
    read_from(slot);
    if (slots_[index].get() != &slot) return;  // closed while reading
  }
  if (slot.connection && (event.writable || event.error)) {
    if (!send_output(slot)) {
      slot.connection->on_abort();
    }
  }
  if (slot.connection && event.error && !slot.connection->wants_input() &&
      slot.connection->output().empty() && !slot.connection->done()) {
    // poll() reports POLLHUP/POLLERR whatever the interest set: a connection with nothing to
    // read or send would be woken again and again. Its peer is gone: let it go.
    slot.connection->on_abort();
  }
  if (slot.connection) sync(slot);
}

void Worker::read_from(Slot& slot) {
  const int fd = slot.fd.get();
  if (!slot.connection) {
    // Lingering: read and drop until the client closes.
    if (slot.tls) {
      if (!slot.tls->discard()) close_slot(slot);  // its close_notify, EOF or an error
      return;
    }
    char sink[4096];
    for (;;) {
      const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return;
      close_slot(slot);  // EOF or an error
      return;
    }
  }
  Connection& c = *slot.connection;
  if (!c.wants_input()) return;
  if (slot.tls) return tls_read_from(slot);
  for (;;) {
    const std::span<char> space = c.input_space();
    const ssize_t n = ::recv(fd, space.data(), space.size(), 0);
    if (n > 0) {
      c.on_received(static_cast<std::size_t>(n));
    } else if (n == 0) {
      c.on_eof();
    } else if (errno == EINTR) {
      continue;
    } else if (errno != EAGAIN) {
      c.on_abort();  // ECONNRESET and friends
    }
    break;
  }
  if (!send_output(slot)) c.on_abort();
}

bool Worker::read_proxy_header(Slot& slot) {
  switch (slot.proxy->read(slot.fd.get())) {
    case ProxyPrelude::Status::need_more:
      return false;  // still reading, under the header timer armed at accept
    case ProxyPrelude::Status::failed:
      close_slot(slot);  // not our proxy, or a broken one: closed without a word
      return false;
    case ProxyPrelude::Status::complete:
      break;
  }
  slot.connection->on_proxy_header(slot.proxy->header());
  slot.proxy.reset();
  return true;  // the ClientHello may already be queued behind the header: read on
}

void Worker::tls_read_from(Slot& slot) {
  Connection& c = *slot.connection;
  TlsTransport& tls = *slot.tls;
  // OpenSSL may hold decrypted bytes that no readiness event will announce: while the
  // connection wants input again after sending (the output bound released it), read on.
  for (int round = 0; round < 8; ++round) {
    tls.receive(c);
    if (!send_output(slot)) c.on_abort();
    if (!c.wants_input() || !tls.has_pending()) break;
  }
}

bool Worker::send_output(Slot& slot) {
  if (slot.tls) {
    const bool ok = slot.tls->send(*slot.connection);
    // A send that let held-back requests run may leave their bytes inside OpenSSL.
    if (ok && slot.connection->wants_input() && slot.tls->has_pending()) {
      slot.tls->receive(*slot.connection);
      return slot.tls->send(*slot.connection);
    }
    return ok;
  }
  Connection& c = *slot.connection;
  OutputQueue& out = c.output();
  const int fd = slot.fd.get();
  for (;;) {
    bool sent = false;
    bool blocked = false;
    while (!out.empty() && !blocked) {
      const std::span<const char> bytes = out.next_bytes();
      if (!bytes.empty()) {
        // MSG_MORE before a file range: the head and the file's first bytes share a packet.
        const int flags = MSG_NOSIGNAL | MSG_DONTWAIT | (out.file_follows() ? MSG_MORE : 0);
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), flags);
        if (n > 0) {
          out.consume_bytes(static_cast<std::size_t>(n));
          sent = true;
          blocked = static_cast<std::size_t>(n) < bytes.size();
        } else if (n < 0 && errno == EINTR) {
          continue;
        } else if (n < 0 && errno == EAGAIN) {
          blocked = true;
        } else {
          return false;
        }
      } else if (FileSegment* f = out.next_file()) {
        off_t offset = static_cast<off_t>(f->offset);
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(f->length, 1u << 30));
        const ssize_t n = ::sendfile(fd, f->file.get(), &offset, want);
        if (n > 0) {
          out.consume_file(static_cast<std::uint64_t>(n));
          sent = true;
          blocked = static_cast<std::size_t>(n) < want;
        } else if (n < 0 && errno == EINTR) {
          continue;
        } else if (n < 0 && errno == EAGAIN) {
          blocked = true;
        } else {
          return false;  // n == 0: the file shrank and the promised length cannot be met
        }
      } else {
        break;
      }
    }
    if (!sent) return true;
    // Sending may let requests held back by the output bound run; they add output.
    c.on_output_progress();
    if (blocked || out.empty()) return true;
  }
}

void Worker::sync(Slot& slot) {
  Connection& c = *slot.connection;
  // TLS: records the socket has not taken yet go out before close_notify and the close
  // (closing now would cut the response short); the timer still bounds the wait.
  const bool tls_unsent =
      slot.tls && c.state() != Connection::State::closed && slot.tls->holds_unsent();
  if (c.done() && !tls_unsent) {
    // TLS: our close_notify precedes the FIN (RFC 8446 §6.1), unless the connection is
    // dropped for an error.
    if (slot.tls && c.state() != Connection::State::closed) slot.tls->close_notify();
    if (c.state() == Connection::State::closed || c.peer_closed() || !c.needs_linger()) {
      close_slot(slot);
    } else {
      start_lingering(slot);
    }
    return;
  }
  Interest interest = Interest::none;
  if (c.wants_input()) interest = Interest::read;
  if (!c.output().empty()) interest = interest | Interest::write;
  if (slot.tls) {
    // What OpenSSL itself waits for: handshake or ticket bytes to send, a record to read.
    if (slot.tls->wants_write()) interest = interest | Interest::write;
    if (slot.tls->wants_read()) interest = interest | Interest::read;
  }
  if (!set_interest(slot, interest)) {
    close_slot(slot);  // the backend refused the socket (out of memory): drop the connection
    return;
  }
  if (c.timer() != slot.armed_kind || c.timer_epoch() != slot.armed_epoch || !slot.timer.armed()) {
    slot.armed_kind = c.timer();
    slot.armed_epoch = c.timer_epoch();
    slot.unsent_at_arm = c.output().empty() ? -1 : unsent_bytes(slot.fd.get());
    TimerQueue* queue = &idle_timers_;
    if (c.timer() == Connection::TimerKind::header) queue = &header_timers_;
    if (c.timer() == Connection::TimerKind::body) queue = &body_timers_;
    loop_.arm(slot.timer, *queue);
  }
}

void Worker::on_slot_timer(Slot& slot) {
  if (!slot.connection) return close_slot(slot);  // lingered long enough
  // A TLS handshake that did not finish within --header-timeout has no channel for a 408:
  // it is cut like a slowloris.
  if (slot.tls && !slot.tls->handshake_done()) return close_slot(slot);
  Connection& c = *slot.connection;
  if (slot.unsent_at_arm > 0) {
    // Socket buffers of several megabytes hide a slow reader's progress from send(): the
    // peer may read steadily for longer than the timeout without the socket turning
    // writable. A send queue that shrank since the timer was armed is progress, not a stall.
    const int unsent = unsent_bytes(slot.fd.get());
    const std::uint32_t epoch = c.timer_epoch();
    if (unsent >= 0 && unsent < slot.unsent_at_arm) c.on_output_progress();
    if (c.timer_epoch() != epoch) {
      if (!send_output(slot)) c.on_abort();
      sync(slot);
      return;
    }
  }
  c.on_timeout();
  if (!send_output(slot)) c.on_abort();
  sync(slot);
}

void Worker::start_lingering(Slot& slot) {
  // Our side is finished: send FIN, then drop whatever still arrives until the client
  // closes or the linger time passes.
  ::shutdown(slot.fd.get(), SHUT_WR);
  if (slot.counted) {
    active_.fetch_sub(1);
    slot.counted = false;
  }
  slot.connection.reset();
  slot.proxy.reset();  // a PROXY header still unread is dropped with the rest
  ++lingering_;
  if (!set_interest(slot, Interest::read)) return close_slot(slot);
  loop_.arm(slot.timer, linger_timers_);
}

void Worker::close_slot(Slot& slot) {
  const int fd = slot.fd.get();
  if (slot.connection) slot.connection->on_abort();
  if (slot.counted) active_.fetch_sub(1);
  if (!slot.connection) --lingering_;
  if (slot.watched) loop_.unwatch(fd, /*closing=*/true);
  // Destroying the slot disarms its timer and closes the socket.
  slots_[static_cast<std::size_t>(fd)].reset();
  --slot_count_;
  resume_accepting();  // a descriptor is free again
}

void Worker::begin_shutdown() {
  shutting_down_ = true;
  if (listener_.valid()) {
    loop_.unwatch(listener_.fd(), /*closing=*/true);
    listener_.close();
  }
  loop_.arm(drain_->timer(), drain_timers_);
  for (auto& s : slots_) {
    if (!s || !s->connection) continue;
    s->connection->on_shutdown();
    if (!send_output(*s)) s->connection->on_abort();
    sync(*s);
  }
}

}  // namespace httpfsm::server
