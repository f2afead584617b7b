// One function per endpoint. Each reads the Request and fills the Response; none touches a
// socket. Registered on the router by build_site().
#pragma once

#include "file_store.hpp"
#include "request.hpp"
#include "response.hpp"
#include "router.hpp"

namespace httpfsm::server {

struct Context;

// GET / -> 200, empty body.
void handle_root(const Request& request, Context& context, Response& response);
// GET /echo/{text} -> 200 text/plain, the percent-decoded text.
void handle_echo(const Request& request, Context& context, Response& response);
// GET /user-agent -> 200 text/plain, the User-Agent value.
void handle_user_agent(const Request& request, Context& context, Response& response);
// GET /files/{name} -> 200 application/octet-stream, the file's bytes; 404 when missing.
void handle_file_get(const Request& request, Context& context, Response& response);
// POST /files/{name} -> the body is streamed into an upload; 201 once committed.
bool begin_file_upload(const Request& request, Context& context, Upload& upload,
                       Response& response);
void finish_file_upload(Upload& upload, Context& context, Response& response);
// GET /static/{path...} -> the static site (static_files.hpp).
void handle_static(const Request& request, Context& context, Response& response);

void register_routes(Router& router);

}  // namespace httpfsm::server
