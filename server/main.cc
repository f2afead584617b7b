// httpfsm-server: flags -> Config, the classic application (classic_app.hpp), then the Server
// until SIGINT or SIGTERM; SIGHUP reloads the TLS certificate and key; SIGUSR1 reopens the
// --access-log and --error-log files (log rotation).
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "classic_app.hpp"
#include "config.hpp"
#include "descriptor_budget.hpp"
#include "httpfsm/server.hpp"
#include "log_files.hpp"

namespace {

// Each connection is a descriptor: take the hard limit rather than the usual soft 1024.
void raise_descriptor_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using httpfsm::server::CommandLine;
  const std::vector<std::string> args(argv, argv + argc);
  const CommandLine cl = httpfsm::server::parse_command_line(args);
  switch (cl.action) {
    case CommandLine::Action::help:
      std::fputs(cl.message.c_str(), stdout);
      return 0;
    case CommandLine::Action::version:
      std::puts("httpfsm-server " HTTPFSM_VERSION);
      return 0;
    case CommandLine::Action::error:
      std::fprintf(stderr, "httpfsm-server: %s\n", cl.message.c_str());
      return 2;
    case CommandLine::Action::run:
      break;
  }
  raise_descriptor_limit();
  std::string log_error;
  if (!httpfsm::server::open_log_files(cl.config.access_log_file, cl.config.error_log_file,
                                       &log_error)) {
    std::fprintf(stderr, "httpfsm-server: %s\n", log_error.c_str());
    return 2;
  }

  // Block the stop signals before any thread starts, so every worker inherits the mask and
  // only sigwait() below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  sigaddset(&stop, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::string error;
  httpfsm::server::App app;
  std::unique_ptr<httpfsm::server::Server> server;
  if (httpfsm::server::make_classic_app(cl.config, &app, &error)) {
    server = httpfsm::server::Server::create(cl.config, app, &error);
  }
  if (!server) {
    std::fprintf(stderr, "httpfsm-server: %s\n", error.c_str());
    return 2;
  }
  if (!server->tls_warning().empty()) {
    std::fprintf(stderr, "httpfsm-server: warning: %s\n", server->tls_warning().c_str());
  }
  server->start();
  const std::string& bind = cl.config.bind;
  const bool v6 = bind.find(':') != std::string::npos;
  const std::string_view loop = httpfsm::server::poller_name(cl.config.event_loop);
  const bool main_tls = !cl.config.tls_cert.empty() && !cl.config.tls_port;
  const httpfsm::server::DescriptorBudget budget = httpfsm::server::descriptor_budget(cl.config);
  std::fprintf(stderr,
               "httpfsm-server: listening on http%s://%s%s%s:%u/ (%u worker%s, %.*s) with %llu "
               "descriptors for %llu connections and %llu files being sent\n",
               main_tls ? "s" : "", v6 ? "[" : "", bind.c_str(), v6 ? "]" : "",
               static_cast<unsigned>(server->port()), cl.config.workers,
               cl.config.workers == 1 ? "" : "s", static_cast<int>(loop.size()), loop.data(),
               static_cast<unsigned long long>(budget.limit),
               static_cast<unsigned long long>(budget.connections),
               static_cast<unsigned long long>(budget.files));
  if (cl.config.tls_port) {
    std::fprintf(stderr, "httpfsm-server: listening on https://%s%s%s:%u/\n", v6 ? "[" : "",
                 bind.c_str(), v6 ? "]" : "", static_cast<unsigned>(server->tls_port()));
  }
  if (!cl.config.tls_cert.empty()) {
    // kTLS is not used: file bodies are encrypted in userspace (sendfile cannot encrypt).
    std::fprintf(stderr,
                 "httpfsm-server: TLS 1.2/1.3, file bodies by pread + SSL_write in 64 KiB "
                 "blocks (userspace, no kTLS)\n");
  }

  int signal = 0;
  for (;;) {
    sigwait(&stop, &signal);
    if (signal == SIGUSR1) {
      // Log rotation: the old files were renamed; new lines go to files of the old names.
      std::string reopen_error;
      if (cl.config.access_log_file.empty() && cl.config.error_log_file.empty()) {
        std::fprintf(stderr, "httpfsm-server: SIGUSR1: no --access-log or --error-log to reopen\n");
      } else if (httpfsm::server::open_log_files(cl.config.access_log_file,
                                                 cl.config.error_log_file, &reopen_error)) {
        std::fprintf(stderr, "httpfsm-server: SIGUSR1: log files reopened\n");
      } else {
        std::fprintf(stderr, "httpfsm-server: SIGUSR1: %s\n", reopen_error.c_str());
      }
      continue;
    }
    if (signal != SIGHUP) break;
    std::string reload_error;
    if (server->reload_tls(&reload_error)) {
      std::fprintf(stderr, "httpfsm-server: SIGHUP: TLS certificate and key reloaded\n");
    } else {
      std::fprintf(stderr, "httpfsm-server: SIGHUP: %s\n", reload_error.c_str());
    }
  }
  std::fprintf(stderr, "httpfsm-server: %s: finishing in-flight requests\n",
               signal == SIGINT ? "SIGINT" : "SIGTERM");
  server->request_shutdown();
  server->wait();
  std::fflush(stdout);
  return 0;
}
