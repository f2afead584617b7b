// The demo application of the "build your own HTTP server" tutorial, on httpfsm's embeddable
// server: HTML pages, a page per user from a route parameter, a JSON endpoint, a static site
// with MIME types, middleware for logging, CORS, a Server field of its own and (with
// --auth-token) bearer auth, and a WebSocket route (/ws/shout). It uses the public headers only, as
// any program would.
//
//   tutorial_app [--bind ADDR] [--port N] [--static DIR] [--auth-token TOKEN]
//                [--event-loop poll|epoll] [--log common|off]
#include <httpfsm/server.hpp>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

namespace {

using namespace httpfsm::server;

// Text placed into HTML: a user name comes from the request and must not become markup.
std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string page(std::string_view title, std::string_view body) {
  return "<!DOCTYPE html>\n<html>\n<head><title>" + std::string(title) +
         "</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>\n<body>\n" +
         std::string(body) + "\n</body>\n</html>\n";
}

// A middleware of the application's own: names the server on every response.
class ServerField final : public Middleware {
 public:
  void after(const Request&, Response& response) override {
    response.add_field("Server", "MyHTTPServer/1.0 (httpfsm)");
  }
};

App make_app(const Directory& statics, const std::string& auth_token, bool log) {
  App app;
  if (log) app.use(access_log());  // LoggingMiddleware
  app.use(cors("*"));              // CORSMiddleware
  app.use(std::make_shared<ServerField>());
  if (!auth_token.empty()) {
    // AuthMiddleware: everything but the home page and the static files needs the token.
    app.use(bearer_auth(auth_token, [](const Request& request) {
      return request.path != "/" && !request.path.starts_with("/static/");
    }));
  }
  app.use(gzip());

  app.get("/", [](const Request&, Response& response) {
    response.content_type = "text/html; charset=utf-8";
    response.body =
        "<!DOCTYPE html>\n<html>\n<head><title>MyHTTPServer</title></head>\n<body>\n"
        "<h1>Welcome to MyHTTPServer!</h1>\n<p>An HTTP server on httpfsm with request parsing, "
        "routing with parameters, static files and middleware.</p>\n<ul>\n"
        "<li><a href=\"/about\">About page</a></li>\n"
        "<li><a href=\"/user/alice\">User profile</a></li>\n"
        "<li><a href=\"/api/data\">API endpoint</a></li>\n"
        "<li><a href=\"/static/demo.html\">Static demo</a></li>\n</ul>\n</body>\n</html>\n";
    response.compressible = true;
  });
  app.get("/about", [](const Request&, Response& response) {
    response.content_type = "text/html; charset=utf-8";
    response.set_body(page("About", "<h1>About</h1><p>The tutorial's demo app.</p>"));
    response.compressible = true;
  });
  app.get("/user/{username}", [](const Request& request, Response& response) {
    const std::string name = html_escape(request.param("username"));
    response.content_type = "text/html; charset=utf-8";
    response.set_body(page("User " + name, "<h1>User Profile: " + name + "</h1>"));
    response.compressible = true;
  });
  app.get("/api/data", [](const Request&, Response& response) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    response.content_type = "application/json";
    response.set_body(std::string("{\"message\": \"Hello from API!\", \"timestamp\": \"") + stamp +
                      "\"}");
    response.compressible = true;
  });
  // A session cookie: the visit count travels in a cookie (RFC 6265) written by
  // Response::set_cookie, which refuses values that would break the field. A real session
  // would keep a random id here and the state on the server.
  app.get("/visits", [](const Request& request, Response& response) {
    int visits = 0;
    if (const auto v = request.cookie("visits")) {
      const std::string digits(*v);
      if (!digits.empty() && digits.size() < 9 &&
          digits.find_first_not_of("0123456789") == std::string::npos) {
        visits = std::stoi(digits);
      }
    }
    ++visits;
    const std::string count = std::to_string(visits);
    httpfsm::SetCookie cookie;
    cookie.name = "visits";
    cookie.value = count;
    cookie.path = "/";
    cookie.http_only = true;
    cookie.same_site = httpfsm::SameSite::lax;
    response.set_cookie(cookie);
    // Query parameters, decoded ("?name=Ann+Lee"), escaped before they become markup.
    const std::string name = html_escape(request.query_param("name").value_or("visitor"));
    response.content_type = "text/html; charset=utf-8";
    response.set_body(page("Visits", "<h1>Hello, " + name + "</h1><p>Visit " + count + "</p>"));
  });
  app.get("/static/{path...}", static_files(statics));
  // A WebSocket route (RFC 6455): greets on open, answers each text message in capitals and
  // refuses binary ones with 1003 (RFC 6455 §7.4.1: a type it cannot accept). It speaks the
  // subprotocol "shout.v1" with a client that offers it (§4.2.2), and says so in the greeting.
  WebSocketHandlers shout;
  shout.on_open = [](WebSocket& ws, const Request&) {
    const std::string_view agreed = ws.subprotocol();
    ws.send_text(agreed.empty() ? "welcome" : "welcome to " + std::string(agreed));
  };
  shout.on_message = [](WebSocket& ws, std::string_view data, bool binary) {
    if (binary) return ws.close(1003, "text only");
    std::string upper(data);
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    ws.send_text(upper);
  };
  WebSocketOptions limits;
  limits.max_message = 4096;
  limits.subprotocols = {"shout.v1"};
  app.websocket("/ws/shout", std::move(shout), limits);
  return app;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  config.port = 8080;
  std::string static_dir = "static";
  std::string auth_token;
  if (argc % 2 == 0) {
    std::fprintf(stderr, "tutorial_app: every option takes a value\n");
    return 2;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--bind") {
      config.bind = value;
    } else if (flag == "--port") {
      config.port = static_cast<std::uint16_t>(std::stoul(value));
    } else if (flag == "--static") {
      static_dir = value;
    } else if (flag == "--auth-token") {
      auth_token = value;
    } else if (flag == "--event-loop") {
      config.event_loop = value == "epoll" ? PollerKind::epoll : PollerKind::poll;
    } else if (flag == "--log") {
      config.log = value == "off" ? LogFormat::off : LogFormat::common;
    } else {
      std::fprintf(stderr, "tutorial_app: unknown option %s\n", argv[i]);
      return 2;
    }
  }

  // Only the thread in sigwait() below takes the stop signals.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::string error;
  const Directory statics = open_directory(static_dir, &error);
  if (statics == nullptr)
    std::fprintf(stderr, "tutorial_app: no static files: %s\n", error.c_str());
  const App app = make_app(statics, auth_token, config.log == LogFormat::common);
  const auto server = Server::create(config, app, &error);
  if (!server) {
    std::fprintf(stderr, "tutorial_app: %s\n", error.c_str());
    return 2;
  }
  server->start();
  std::fprintf(stderr, "tutorial_app: listening on http://%s:%u/\n", config.bind.c_str(),
               static_cast<unsigned>(server->port()));
  int signal = 0;
  sigwait(&stop, &signal);
  server->request_shutdown();
  server->wait();
  std::fflush(stdout);
  return 0;
}
