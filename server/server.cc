#include "httpfsm/server/server.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include "context.hpp"
#include "worker.hpp"

namespace httpfsm::server {

Server::Server() = default;

std::unique_ptr<Server> Server::create(const Config& config, const App& app, std::string* error) {
  std::unique_ptr<Server> s(new Server());
  s->site_ = build_site(config, app, error);
  if (!s->site_) return nullptr;
  // SIGPIPE would kill the process when a client vanishes mid-sendfile; errors are handled
  // where the write fails instead (send() also passes MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  const bool reuse_port = config.workers > 1;
  std::uint16_t port = config.port;
  for (unsigned i = 0; i < config.workers; ++i) {
    Listener l = Listener::open(config.bind, port, reuse_port, error);
    if (!l.valid()) return nullptr;
    port = l.port();  // port 0: the others join the port the first one got
    std::unique_ptr<Poller> poller = make_poller(config.event_loop);
    if (!poller) {
      *error = "--event-loop " + std::string(poller_name(config.event_loop)) + ": " +
               std::strerror(errno);
      return nullptr;
    }
    auto worker = std::make_unique<Worker>(*s->site_, std::move(l), std::move(poller), s->active_);
    if (!worker->ready()) {
      *error =
          "cannot register the listener with the event loop: " + std::string(std::strerror(errno));
      return nullptr;
    }
    s->workers_.push_back(std::move(worker));
  }
  s->port_ = port;
  return s;
}

Server::~Server() {
  request_shutdown();
  wait();
}

void Server::start() {
  for (auto& w : workers_) threads_.emplace_back([&w] { w->run(); });
}

void Server::request_shutdown() noexcept {
  for (auto& w : workers_) w->request_shutdown();
}

void Server::wait() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace httpfsm::server
