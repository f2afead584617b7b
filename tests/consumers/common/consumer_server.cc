// An outside program serving a route of its own with the installed server library: prints
// its port, then answers until SIGTERM. The consumer checks query it.
#include <httpfsm/server.hpp>

#include <csignal>
#include <cstdio>

int main() {
  using namespace httpfsm::server;
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the workers start: they inherit it

  App app;
  app.get("/hello/{name}", [](const Request& request, Response& response) {
    response.content_type = "text/plain";
    response.set_body("hello " + std::string(request.param("name")) + "\n");
  });
  Config config;
  config.port = 0;  // any free port
  std::string error;
  const auto server = Server::create(config, app, &error);
  if (!server) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  server->start();
  std::printf("%u\n", static_cast<unsigned>(server->port()));
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop, &signal);
  return 0;  // the Server's destructor drains and joins the workers
}
