// What connections and handlers share. Site: the configuration, routes and file roots,
// built once and read-only while serving (shared by every worker). Context: one per worker
// thread, the mutable scratch its connections take turns using (each request is handled to
// completion before the next, so one of each suffices): buffers, the small-file cache, the
// gzip encoder, the access log and the response being built.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "buffer.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "file_cache.hpp"
#include "file_store.hpp"
#include "gzip.hpp"
#include "httpfsm/limits.hpp"
#include "middleware.hpp"
#include "response.hpp"
#include "router.hpp"

namespace httpfsm::server {

struct Site {
  Config config;
  Limits limits;
  Router router;
  FileStore files;         // valid() with --directory
  FileStore static_files;  // valid() with --static
};

// Opens the directories and registers every endpoint. On failure returns nullptr and a
// one-line error ("--directory /x: No such file or directory").
std::unique_ptr<Site> build_site(const Config& config, std::string* error);

struct Context {
  Context(const Site& s, Clock& c)
      : site(s),
        clock(c),
        path_buffer(s.limits.max_target + 1),
        log(s.config.log == LogFormat::common) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Site& site;
  Clock& clock;
  BufferPool pool;
  FileCache file_cache;
  GzipEncoder gzip;
  std::vector<char> path_buffer;  // the decoded path of the request being handled
  std::vector<char> file_buffer;  // a file read whole to be compressed
  AccessLog log;
  Response response;
};

}  // namespace httpfsm::server
