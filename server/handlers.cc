#include "handlers.hpp"

#include "context.hpp"
#include "static_files.hpp"

namespace httpfsm::server {

namespace {

int status_for(FileStatus s) {
  switch (s) {
    case FileStatus::ok:
      return 200;
    case FileStatus::not_found:
      return 404;
    case FileStatus::forbidden:
      return 403;
    case FileStatus::is_directory:
      return 409;  // RFC 9110 §15.5.10: conflicts with the target
    case FileStatus::bad_name:
      return 400;
    case FileStatus::error:
      return 500;
  }
  return 500;
}

}  // namespace

void handle_root(const Request&, Context&, Response&) {}

void handle_echo(const Request& request, Context&, Response& response) {
  // Exactly "text/plain": clients of the classic contract compare the whole value.
  response.content_type = "text/plain";
  response.body = request.param(0);
  response.compressible = true;
}

void handle_user_agent(const Request& request, Context&, Response& response) {
  response.content_type = "text/plain";
  response.body = request.field(KnownField::user_agent);
  response.compressible = true;
}

void handle_file_get(const Request& request, Context& context, Response& response) {
  const FileStore& store = context.site.files;
  if (!store.valid()) return response.set_error(404);
  OpenedFile f;
  const FileStatus s = context.file_cache.open(store, request.param(0), &f);
  if (s != FileStatus::ok || f.directory) {
    return response.set_error(s == FileStatus::ok ? 404 : status_for(s));
  }
  response.content_type = "application/octet-stream";
  if (f.in_memory()) {
    response.body = f.content;  // the cache keeps it until the response is written
  } else {
    response.file = std::move(f.fd);
    response.file_length = f.size;
  }
  response.compressible = true;
}

bool begin_file_upload(const Request& request, Context& context, Upload& upload,
                       Response& response) {
  const FileStore& store = context.site.files;
  if (!store.valid()) {
    response.set_error(404);
    return false;
  }
  const FileStatus s = store.begin_upload(request.param(0), &upload);
  if (s != FileStatus::ok) {
    // A refused name says why (a control character, longer than NAME_MAX).
    response.set_error(status_for(s), false,
                       s == FileStatus::bad_name
                           ? name_problem_reason(check_upload_name(request.param(0)))
                           : std::string_view{});
    return false;
  }
  return true;
}

void finish_file_upload(Upload& upload, Context& context, Response& response) {
  const bool committed = upload.commit();
  context.file_cache.invalidate();  // our next GET must see the new file (or the old one)
  if (!committed) return response.set_error(500);
  response.status = 201;
}

void handle_static(const Request& request, Context& context, Response& response) {
  if (!context.site.static_files.valid()) return response.set_error(404);
  serve_file(request, context, context.site.static_files, request.param(0), response);
}

void register_routes(Router& router) {
  router.add(Method::get, "/", handle_root);
  router.add(Method::get, "/echo/{text}", handle_echo);
  router.add(Method::get, "/user-agent", handle_user_agent);
  router.add(Method::get, "/files/{name}", handle_file_get);
  router.add_upload(Method::post, "/files/{name}", begin_file_upload, finish_file_upload,
                    /*needs_auth=*/true);
  router.add(Method::get, "/static/{path...}", handle_static);
}

}  // namespace httpfsm::server
