#include "classic_app.hpp"

namespace httpfsm::server {

bool make_classic_app(const Config& config, App* app, std::string* error) {
  Directory files;
  if (!config.directory.empty()) {
    files = open_directory(config.directory, error);
    if (files == nullptr) {
      *error = "--directory " + *error;
      return false;
    }
  }
  Directory statics;
  if (!config.static_dir.empty()) {
    statics = open_directory(config.static_dir, error);
    if (statics == nullptr) {
      *error = "--static " + *error;
      return false;
    }
  }

  if (config.log == LogFormat::common) app->use(access_log());
  if (config.rate_limit > 0) {
    // Before CORS and auth: a refused or unauthorised request counts too.
    app->use(rate_limit({.rate = config.rate_limit, .burst = config.rate_burst}));
  }
  if (!config.cors_origin.empty()) app->use(cors(config.cors_origin));
  if (!config.auth_token.empty()) {
    // Uploads only: reading stays open to everyone.
    app->use(bearer_auth(config.auth_token,
                         [](const Request& request) { return request.method == Method::post; }));
  }
  app->use(gzip());

  app->get("/", [](const Request&, Response&) {});
  app->get("/echo/{text}", [](const Request& request, Response& response) {
    // Exactly "text/plain": clients of the classic contract compare the whole value.
    response.content_type = "text/plain";
    response.body = request.param("text");
    response.compressible = true;
  });
  app->get("/user-agent", [](const Request& request, Response& response) {
    response.content_type = "text/plain";
    response.body = request.field(KnownField::user_agent);
    response.compressible = true;
  });
  app->get("/files/{name}", file_download(files));
  app->stream(Method::post, "/files/{name}", file_upload(files));
  app->stream(Method::post, "/files", form_upload(files));  // HTML forms (RFC 7578)
  app->stream(Method::post, "/files/", form_upload(files));
  app->get("/static/{path...}", static_files(statics));
  // RFC 6455: every text or binary message comes back as one message of the same type.
  WebSocketHandlers echo;
  echo.on_message = [](WebSocket& ws, std::string_view data, bool binary) {
    if (binary) {
      ws.send_binary(data);
    } else {
      ws.send_text(data);
    }
  };
  WebSocketOptions ws;
  ws.max_message = config.ws_max_message;
  app->websocket("/ws/echo", std::move(echo), ws);
  return true;
}

}  // namespace httpfsm::server
