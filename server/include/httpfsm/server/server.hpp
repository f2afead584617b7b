// httpfsm::server::Server: an App served over HTTP/1.1 by one event loop per worker thread.
//
// Life cycle: create() checks the configuration and binds the listeners (no thread yet);
// start() starts one thread per Config::workers; request_shutdown() (from any thread, a
// signal-waiting thread included) stops accepting and lets in-flight requests finish, for at
// most 3 seconds; wait() joins the threads. The destructor does both.
// Errors: create() returns nullptr with a one-line message ("127.0.0.1:4221: Address already
// in use"). While serving, a client's error is answered and closes its connection only; a
// handler's exception becomes a 500.
// Signals: SIGPIPE is ignored once a server is created (a peer that vanishes mid-send would
// otherwise kill the process); the program keeps its other signal handling.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "httpfsm/server/app.hpp"
#include "httpfsm/server/config.hpp"

namespace httpfsm::server {

struct Site;
class Worker;
class TlsContextHolder;

class Server {
 public:
  static std::unique_ptr<Server> create(const Config& config, const App& app, std::string* error);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // The bound port (the one the system chose for Config::port 0).
  std::uint16_t port() const noexcept { return port_; }
  // The HTTPS listener's port: port() when the listener itself speaks TLS, the bound
  // Config::tls_port when set; 0 without TLS.
  std::uint16_t tls_port() const noexcept { return tls_port_; }
  // A warning about the TLS settings create() accepted (a world-readable key), or empty.
  const std::string& tls_warning() const noexcept { return tls_warning_; }
  // Thread-safe: loads Config::tls_cert and tls_key again; connections accepted afterwards
  // use them, open ones keep theirs. False and *error (the old files stay in use) when the
  // new ones are bad, or without TLS.
  bool reload_tls(std::string* error);
  // Starts one thread per worker.
  void start();
  // Thread-safe: stop accepting, let in-flight responses finish, close everything.
  void request_shutdown() noexcept;
  // Joins the workers (returns once a shutdown completed).
  void wait();

 private:
  Server();
  bool add_workers(std::uint16_t port, bool tls, std::uint16_t* bound, std::string* error);
  std::unique_ptr<Site> site_;
  std::unique_ptr<TlsContextHolder> tls_;
  std::string tls_warning_;
  std::uint16_t tls_port_ = 0;
  std::atomic<std::uint32_t> active_{0};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

}  // namespace httpfsm::server
