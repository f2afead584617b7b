// The whole server: the site, one listener and one worker thread per --workers, and the
// shutdown that stops them. main() and the loopback tests both drive it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"
#include "context.hpp"
#include "worker.hpp"

namespace httpfsm::server {

class Server {
 public:
  // Opens the directories and binds the listeners. On failure returns nullptr and a one-line
  // error ("127.0.0.1:4221: Address already in use").
  static std::unique_ptr<Server> create(const Config& config, std::string* error);
  ~Server();

  std::uint16_t port() const noexcept { return port_; }
  // Starts one thread per worker.
  void start();
  // Thread-safe: stop accepting, let in-flight responses finish, close everything.
  void request_shutdown() noexcept;
  // Joins the workers (returns once a shutdown completed).
  void wait();

 private:
  Server() = default;
  std::unique_ptr<Site> site_;
  std::atomic<std::uint32_t> active_{0};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

}  // namespace httpfsm::server
