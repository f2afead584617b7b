// What connections and handlers share. Site: the configuration, the route table and the
// middleware chain of the App, built once and read-only while serving (shared by every worker).
// Context: one per worker thread, the mutable scratch its connections take turns using (each
// request is handled to completion before the next, so one of each suffices): buffers, the
// small-file cache, the gzip encoder, the access log and the response being built.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "buffer.hpp"
#include "clock.hpp"
#include "file_cache.hpp"
#include "gzip.hpp"
#include "httpfsm/limits.hpp"
#include "httpfsm/server/app.hpp"
#include "httpfsm/server/config.hpp"
#include "httpfsm/server/response.hpp"
#include "middleware.hpp"
#include "router.hpp"

namespace httpfsm::server {

struct Site {
  Config config;
  Limits limits;
  Router router;
  std::vector<MiddlewarePtr> middleware;  // App::use order
};

// The route table and chain of `app` under `config`. On failure (a route pattern the router
// refuses) returns nullptr and a one-line error.
std::unique_ptr<Site> build_site(const Config& config, const App& app, std::string* error);

struct Context {
  Context(const Site& s, Clock& c)
      : site(s),
        clock(c),
        path_buffer(s.limits.max_target + 1),
        query_buffer(s.limits.max_target + 1),
        log(true) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Site& site;
  Clock& clock;
  BufferPool pool;
  FileCache file_cache;
  GzipEncoder gzip;
  std::vector<char> path_buffer;  // the decoded path of the request being handled
  // Decoded query parameters (Request::query_param): a value whose raw bytes sit at offset i
  // of the query is decoded at offset i here (decoding never lengthens), so none overlap.
  std::vector<char> query_buffer;
  std::vector<char> file_buffer;  // a file read whole to be compressed
  AccessLog log;                  // filled by the access_log() middleware; the worker writes it out
  Response response;
  // Files held open by this worker's output queues, and how many it may hold
  // (descriptor_budget.hpp): a file response over the budget is answered 503.
  std::size_t queued_files = 0;
  std::size_t file_budget = static_cast<std::size_t>(-1);
};

}  // namespace httpfsm::server
