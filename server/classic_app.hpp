// httpfsm-server's application, written on the public API alone (httpfsm/server.hpp) as any
// embedding program would: the classic endpoints and the middleware its flags ask for.
//   GET  /                  200, empty body
//   GET  /echo/{text}       200 text/plain, the percent-decoded text
//   GET  /user-agent        200 text/plain, the User-Agent value
//   GET  /files/{name}      the file under --directory (404 without one)
//   POST /files/{name}      the body streamed into that file; 201 (Bearer --auth-token)
//   GET  /static/{path...}  the static site under --static (404 without one)
// Middleware, in order: access log (--log common), CORS (--cors), bearer auth on POST
// (--auth-token), gzip.
#pragma once

#include <string>

#include "httpfsm/server.hpp"

namespace httpfsm::server {

// Opens the directories the config names. False with a one-line error ("--directory /x: No
// such file or directory") when one cannot be opened.
bool make_classic_app(const Config& config, App* app, std::string* error);

}  // namespace httpfsm::server
