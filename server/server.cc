#include "httpfsm/server/server.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include "context.hpp"
#include "tls_context.hpp"
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
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    *error = "--tls-cert and --tls-key go together";
    return nullptr;
  }
  if (config.tls_port && config.tls_cert.empty()) {
    *error = "--tls-port needs --tls-cert and --tls-key";
    return nullptr;
  }
  if (!config.tls_cert.empty()) {
    std::shared_ptr<TlsContext> ctx =
        TlsContext::load(config.tls_cert, config.tls_key, error, &s->tls_warning_);
    if (!ctx) return nullptr;
    s->tls_ = std::make_unique<TlsContextHolder>(std::move(ctx));
  }
  // The cleartext (or, with a certificate and no tls_port, HTTPS) listener's workers, then
  // with tls_port as many more for the HTTPS listener: a worker serves one listener.
  const bool main_tls = s->tls_ && !config.tls_port;
  if (!s->add_workers(config.port, main_tls, &s->port_, error)) return nullptr;
  if (main_tls) s->tls_port_ = s->port_;
  if (config.tls_port && !s->add_workers(*config.tls_port, true, &s->tls_port_, error)) {
    return nullptr;
  }
  return s;
}

bool Server::add_workers(std::uint16_t port, bool tls, std::uint16_t* bound, std::string* error) {
  const Config& config = site_->config;
  const bool reuse_port = config.workers > 1;
  for (unsigned i = 0; i < config.workers; ++i) {
    Listener l = Listener::open(config.bind, port, reuse_port, error);
    if (!l.valid()) return false;
    port = l.port();  // port 0: the others join the port the first one got
    std::unique_ptr<Poller> poller = make_poller(config.event_loop);
    if (!poller) {
      *error = "--event-loop " + std::string(poller_name(config.event_loop)) + ": " +
               std::strerror(errno);
      return false;
    }
    auto worker = std::make_unique<Worker>(*site_, std::move(l), std::move(poller), active_,
                                           tls ? tls_.get() : nullptr);
    if (!worker->ready()) {
      *error =
          "cannot register the listener with the event loop: " + std::string(std::strerror(errno));
      return false;
    }
    workers_.push_back(std::move(worker));
  }
  *bound = port;
  return true;
}

bool Server::reload_tls(std::string* error) {
  if (!tls_) {
    *error = "TLS is not configured";
    return false;
  }
  std::string warning;
  std::shared_ptr<TlsContext> ctx =
      TlsContext::load(site_->config.tls_cert, site_->config.tls_key, error, &warning);
  if (!ctx) return false;
  tls_->replace(std::move(ctx));
  return true;
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
