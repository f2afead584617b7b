// One event loop and the sockets it serves: accepts connections, moves bytes between each
// socket and its Connection (read into the connection's buffer, send its output with one
// send for all queued bytes and sendfile for file ranges), arms the connection's timers and
// closes sockets. Connections never see a socket; the worker never sees HTTP. On an HTTPS
// listener each slot also holds a TlsTransport (tls_transport.hpp), which the worker calls
// instead of recv/send/sendfile; cleartext slots take the same path as before.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "connection.hpp"
#include "context.hpp"
#include "event_loop.hpp"
#include "listener.hpp"
#include "tls_context.hpp"
#include "trusted_proxies.hpp"

namespace httpfsm::server {

class Worker final : private Watcher {
 public:
  // `active` counts open connections across all workers (for --max-connections). `poller`:
  // the readiness backend (--event-loop). `tls`: every connection of this listener speaks
  // TLS with the holder's current context (nullptr: cleartext).
  Worker(const Site& site, Listener listener, std::unique_ptr<Poller> poller,
         std::atomic<std::uint32_t>& active, const TlsContextHolder* tls = nullptr);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();

  // False when the listener or the wake-up descriptor could not be registered.
  bool ready() const noexcept { return ready_; }
  // Serves until a shutdown has finished. Runs on the worker's own thread.
  void run();
  // Thread-safe: stop accepting, finish in-flight responses, close, return from run().
  void request_shutdown() noexcept;

  // How long a closing socket keeps reading (and dropping) what the client still sends, so
  // our last response is not destroyed by a reset (RFC 9112 §9.6).
  static constexpr std::int64_t kLingerMs = 2000;
  // Out of descriptors (EMFILE, ENFILE), the listener is not polled for this long, or until
  // a connection closes: polling a listener whose connections cannot be accepted would spin.
  static constexpr std::int64_t kAcceptPauseMs = 100;

 private:
  struct Slot;
  class DrainTimer;
  class AcceptPauseTimer;

  void on_ready(const ReadyEvent& event) override;  // the listener and the wake-up eventfd
  void accept_connections();
  void reject(FileHandle fd);
  void write_503(int fd);
  void refuse_out_of_descriptors();
  void pause_accepting();
  void resume_accepting();
  void on_slot_ready(Slot& slot, const ReadyEvent& event);
  void on_slot_timer(Slot& slot);
  void read_from(Slot& slot);
  void tls_read_from(Slot& slot);
  bool read_proxy_header(Slot& slot);  // true once read; false: wait, or the slot closed
  bool send_output(Slot& slot);        // false: the socket failed
  void sync(Slot& slot);
  // Registers the slot's socket with the loop on first use. False: the backend refused it.
  bool set_interest(Slot& slot, Interest interest);
  void start_lingering(Slot& slot);
  void close_slot(Slot& slot);
  void begin_shutdown();

  const Site& site_;
  EventLoop loop_;
  Context context_;
  Listener listener_;
  std::atomic<std::uint32_t>& active_;
  const TlsContextHolder* tls_;  // nullptr: cleartext listener
  TrustedProxies trusted_;       // --trusted-proxy: where PROXY-protocol connections may come from
  FileHandle wake_fd_;           // eventfd: request_shutdown() from another thread
  FileHandle spare_fd_;  // kept open to accept, answer 503 and close when out of descriptors
  std::vector<std::unique_ptr<Slot>> slots_;  // by fd
  std::size_t slot_count_ = 0;
  std::size_t lingering_ = 0;
  TimerQueue& header_timers_;
  TimerQueue& idle_timers_;
  TimerQueue& body_timers_;
  TimerQueue& linger_timers_;
  TimerQueue& drain_timers_;
  std::unique_ptr<DrainTimer> drain_;
  TimerQueue& accept_pause_timers_;
  std::unique_ptr<AcceptPauseTimer> accept_pause_;
  bool accepting_paused_ = false;  // the listener's interest is none (out of descriptors)
  std::atomic<bool> shutdown_requested_{false};
  bool shutting_down_ = false;
  bool drained_ = false;
  bool ready_ = false;
};

}  // namespace httpfsm::server
