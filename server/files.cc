#include "httpfsm/server/files.hpp"

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

class FileUploadSink final : public BodySink {
 public:
  explicit FileUploadSink(Context& context) : context_(context) {}
  Upload& upload() { return upload_; }
  bool write(std::string_view data) override { return upload_.write(data); }
  void finish(const Request&, Response& response) override {
    const bool committed = upload_.commit();
    context_.file_cache.invalidate();  // our next GET must see the new file (or the old one)
    if (!committed) return response.set_error(500);
    response.status = 201;
  }

 private:
  Context& context_;
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
    auto sink = std::make_unique<FileUploadSink>(*request.context);
    const FileStatus s = root->begin_upload(file_param(request), &sink->upload());
    if (s != FileStatus::ok) {
      // A refused name says why (a control character, longer than NAME_MAX).
      response.set_error(status_for(s), false,
                         s == FileStatus::bad_name
                             ? name_problem_reason(check_upload_name(file_param(request)))
                             : std::string_view{});
      return nullptr;
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
