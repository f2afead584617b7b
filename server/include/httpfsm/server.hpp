// The embeddable HTTP/1.1 server (library httpfsm_server, CMake target httpfsm::server):
// routes and middleware (App), the request and response a handler sees, the settings
// (Config), built-in file handlers and the Server that runs them.
#pragma once

#include "httpfsm/server/app.hpp"
#include "httpfsm/server/config.hpp"
#include "httpfsm/server/files.hpp"
#include "httpfsm/server/middleware.hpp"
#include "httpfsm/server/request.hpp"
#include "httpfsm/server/response.hpp"
#include "httpfsm/server/server.hpp"
#include "httpfsm/server/websocket.hpp"
