#include "httpfsm/server/files.hpp"

#include <cerrno>
#include <utility>

#include "context.hpp"
#include "file_store.hpp"
#include "preconditions.hpp"
#include "response.hpp"
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

// The route's last parameter: the file's path below the root.
std::string_view file_param(const Request& request) {
  return request.param_count == 0 ? std::string_view{} : request.param(request.param_count - 1u);
}

// RFC 9110 §13.1.1-§13.1.4 for an upload: its preconditions against the file the name holds
// now, read from the disk (the cache may lag behind another upload), with the validators a GET
// sends (file_validators' ETag and Last-Modified). No file there: no current representation.
Precondition upload_precondition(const FileStore& root, std::string_view name,
                                 const ConditionalFields& fields, const Request& request,
                                 std::int64_t now) {
  OpenedFile f;
  FileValidators formatted;
  Validators v;
  if (root.open_file(name, &f) == FileStatus::ok && !f.directory) {
    formatted = FileValidators::of(f.size, f.mtime_seconds, f.mtime_nanoseconds);
    v.etag = formatted.etag();
    v.last_modified = formatted.last_modified();
    v.modified = last_modified_time(f.mtime_seconds, now);
  } else {
    v.current = false;
  }
  return evaluate_preconditions(fields, v, request.method, now);
}

bool has_preconditions(const ConditionalFields& c) {
  return c.if_match || c.if_none_match || c.if_unmodified_since.has_value();
}

class FileUploadSink final : public BodySink {
 public:
  FileUploadSink(Context& context, Directory root) : context_(context), root_(std::move(root)) {}
  Upload& upload() { return upload_; }
  bool write(std::string_view data) override { return upload_.write(data); }
  void finish(const Request& request, Response& response) override {
    const ConditionalFields fields = conditional_fields(request, /*ranges_supported=*/false);
    // The preconditions held when the head arrived; the file may have changed while the body
    // did. Judged again just before publishing: the window left for If-Match and
    // If-Unmodified-Since is this one open(). `If-None-Match: *` leaves none: the file system
    // refuses a taken name in the call that publishes (Publish::create_only).
    if (has_preconditions(fields) &&
        upload_precondition(*root_, file_param(request), fields, request,
                            context_.clock.unix_seconds()) == Precondition::failed) {
      upload_.abort();
      return response.set_error(412);
    }
    const bool create_only = fields.if_none_match.is_star();
    const bool committed =
        upload_.commit(create_only ? Upload::Publish::create_only : Upload::Publish::replace);
    const int error = errno;
    context_.file_cache.invalidate();  // our next GET must see the new file (or the old one)
    if (!committed) return response.set_error(create_only && error == EEXIST ? 412 : 500);
    response.status = 201;
    // RFC 9110 §9.3.3: a 201 SHOULD name the created resource; it is the target itself.
    const std::string location = path_location(request.path);
    response.add_field("Location", response.keep(location));
  }

 private:
  Context& context_;
  Directory root_;
  Upload upload_;  // its destructor removes an upload that was not committed
};

}  // namespace

Directory open_directory(const std::string& root, std::string* error) {
  FileStore store = FileStore::open(root, error);
  if (!store.valid()) return nullptr;
  return std::make_shared<const FileStore>(std::move(store));
}

Handler file_download(Directory root) {
  return [root = std::move(root)](const Request& request, Response& response) {
    if (root == nullptr) return response.set_error(404);
    Context& context = *request.context;
    OpenedFile f;
    const FileStatus s = context.file_cache.open(*root, file_param(request), &f);
    if (s != FileStatus::ok || f.directory) {
      return response.set_error(s == FileStatus::ok ? 404 : status_for(s));
    }
    // The same validators and preconditions as the static site (RFC 9110 §8.8, §13.2.2); no
    // ranges here, so Range and If-Range are ignored (§13.1.5).
    const Validators v = file_validators(f, context.clock, response);
    switch (evaluate_preconditions(conditional_fields(request, /*ranges_supported=*/false), v,
                                   request.method, context.clock.unix_seconds())) {
      case Precondition::failed:
        return response.set_error(412);
      case Precondition::not_modified:
        response.status = 304;  // §15.4.5: ETag, Vary and Last-Modified, no content
        ResponseInternals::add_trusted_field(response, "Last-Modified", v.last_modified);
        response.compressible = true;  // for its Vary, as on the 200
        return;
      case Precondition::perform:
      case Precondition::ignore_range:
        break;
    }
    ResponseInternals::add_trusted_field(response, "Last-Modified", v.last_modified);
    response.content_type = "application/octet-stream";
    if (f.in_memory()) {
      response.body = f.content;  // the cache keeps it until the response is written
    } else {
      response.send_file(std::move(f.fd), 0, f.size);
    }
    response.compressible = true;
  };
}

StreamHandler file_upload(Directory root) {
  return [root = std::move(root)](const Request& request,
                                  Response& response) -> std::unique_ptr<BodySink> {
    if (root == nullptr) {
      response.set_error(404);
      return nullptr;
    }
    auto sink = std::make_unique<FileUploadSink>(*request.context, root);
    const FileStatus s = root->begin_upload(file_param(request), &sink->upload());
    if (s != FileStatus::ok) {
      // A refused name says why (a control character, longer than NAME_MAX).
      response.set_error(status_for(s), false,
                         s == FileStatus::bad_name
                             ? name_problem_reason(check_upload_name(file_param(request)))
                             : std::string_view{});
      return nullptr;
    }
    // §13.2.1: after the normal checks (the name); a failed precondition is answered before
    // the body is read, so a client that sent Expect: 100-continue need not send it.
    const ConditionalFields fields = conditional_fields(request, /*ranges_supported=*/false);
    if (has_preconditions(fields) &&
        upload_precondition(*root, file_param(request), fields, request,
                            request.context->clock.unix_seconds()) == Precondition::failed) {
      response.set_error(412);
      return nullptr;  // the sink's Upload removes its temporary file
    }
    return sink;
  };
}

Handler static_files(Directory root) {
  return [root = std::move(root)](const Request& request, Response& response) {
    if (root == nullptr) return response.set_error(404);
    serve_file(request, *request.context, *root, file_param(request), response);
  };
}

}  // namespace httpfsm::server
