// POST /files with multipart/form-data (RFC 7578): every part with a filename is streamed to
// a temporary file of its own and all are published together once the whole body parsed.
#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "context.hpp"
#include "file_store.hpp"
#include "httpfsm/content_disposition.hpp"
#include "httpfsm/multipart.hpp"
#include "httpfsm/server/files.hpp"

namespace httpfsm::server {

bool is_safe_upload_name(std::string_view name) noexcept {
  // RFC 7578 §4.2: a filename is advisory; a receiver must not use it as a path. The same
  // rule as /files/{name} (file_store.hpp), so a name is stored by either route or by neither.
  return check_upload_name(name) == NameProblem::none;
}

namespace {

// Files in one body at most: each holds a descriptor until the body ends.
constexpr std::size_t kMaxFiles = 256;
// A chunked body arrives in slices; at most this much of a slice is copied into the carry
// buffer at a time (multipart.hpp's carry-buffer recipe), which bounds its size.
constexpr std::size_t kCarryStep = 16 * 1024;

void append_json_string(std::string& out, std::string_view s) {
  // RFC 8259 §7: quotation mark, reverse solidus and control characters are escaped; the
  // rest (UTF-8 included) is copied.
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

class FormUploadSink final : public BodySink {
 public:
  FormUploadSink(Context& context, Directory root) : context_(context), root_(std::move(root)) {}

  MultipartError start(std::string_view boundary) { return parser_.start(boundary); }

  bool write(std::string_view slice) override {
    if (status_ != 0) return true;  // refused already: the rest is read and dropped
    std::size_t pos = 0;
    while (status_ == 0) {
      if (carry_.empty()) {
        const MultipartStep step = parser_.parse({slice.data() + pos, slice.size() - pos});
        if (!handle(step)) return false;
        pos += step.consumed;
        if (step.event == MultipartEvent::need_more) {
          carry_.assign(slice.substr(pos));
          return true;
        }
        continue;
      }
      // Bytes left over from the previous slice come first; some of this slice is appended
      // to them until they are consumed, then parsing goes on in the slice itself.
      std::size_t old = carry_.size();
      std::size_t take = std::min(kCarryStep, slice.size() - pos);
      carry_.append(slice.substr(pos, take));
      std::size_t cpos = 0;
      while (status_ == 0) {
        const MultipartStep step = parser_.parse({carry_.data() + cpos, carry_.size() - cpos});
        if (!handle(step)) return false;
        cpos += step.consumed;
        if (cpos >= old) {
          pos += cpos - old;
          carry_.clear();
          break;
        }
        if (step.event == MultipartEvent::need_more) {
          carry_.erase(0, cpos);
          pos += take;
          if (pos == slice.size()) return true;
          cpos = 0;
          old = carry_.size();
          take = std::min(kCarryStep, slice.size() - pos);
          carry_.append(slice.substr(pos, take));
        }
      }
    }
    return true;
  }

  void finish(const Request&, Response& response) override {
    if (status_ == 0) {
      const MultipartError e = parser_.finish();
      if (e != MultipartError::none) refuse(multipart_error_status(e), multipart_error_message(e));
    }
    if (status_ != 0) {
      uploads_.clear();  // each removes its temporary file
      return response.set_error(status_, false, detail_);
    }
    // All or nothing: every part arrived whole, so publish them all now (fsync, rename).
    bool committed = true;
    for (const std::unique_ptr<Upload>& u : uploads_) committed = u->commit() && committed;
    context_.file_cache.invalidate();
    if (!committed) return response.set_error(500, false, "the upload could not be stored");
    std::string& body = response.body_buffer();
    body = "{\"stored\": [";
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (i > 0) body += ", ";
      append_json_string(body, names_[i]);
    }
    body += "]}\n";
    response.status = 201;
    response.content_type = "application/json";
  }

 private:
  void refuse(int status, std::string_view detail) {
    status_ = status;
    detail_ = detail;
    uploads_.clear();
    current_ = nullptr;
  }

  // False only when a file could not be written (the server answers 500 and closes).
  bool handle(const MultipartStep& step) {
    switch (step.event) {
      case MultipartEvent::part_begin:
        filename_.clear();
        has_filename_ = false;
        empty_input_ = false;
        current_ = nullptr;
        break;
      case MultipartEvent::header:
        if (iequals(step.name, "content-disposition")) {
          scratch_.resize(step.value.size());
          const ContentDispositionResult r =
              parse_form_data_disposition(step.value, {scratch_.data(), scratch_.size()});
          if (r.error != MultipartError::none) {
            refuse(multipart_error_status(r.error), multipart_error_message(r.error));
            break;
          }
          has_filename_ = r.disposition.has_filename;
          filename_.assign(r.disposition.filename);
        }
        break;
      case MultipartEvent::headers_end:
        if (!has_filename_) break;  // a form field: ignored
        if (filename_.empty()) {
          // HTML's file input left empty sends filename="" and no content: nothing to store.
          empty_input_ = true;
          break;
        }
        begin_file();
        break;
      case MultipartEvent::content:
        if (empty_input_ && !step.data.empty()) {
          refuse(400, "empty filename in Content-Disposition (RFC 7578 §4.2)");
          break;
        }
        if (current_ != nullptr && !current_->write({step.data.data(), step.data.size()})) {
          refuse(500, "the upload could not be stored");
          return false;
        }
        break;
      case MultipartEvent::part_end:
        current_ = nullptr;
        break;
      case MultipartEvent::failed:
        refuse(multipart_error_status(parser_.error()), multipart_error_message(parser_.error()));
        break;
      case MultipartEvent::need_more:
      case MultipartEvent::preamble:
      case MultipartEvent::done:
      case MultipartEvent::epilogue:
        break;
    }
    return true;
  }

  void begin_file() {
    if (const NameProblem problem = check_upload_name(filename_); problem != NameProblem::none) {
      return refuse(400, name_problem_reason(problem));
    }
    for (const std::string& n : names_) {
      if (n == filename_) return refuse(400, "the same filename twice in one body");
    }
    if (uploads_.size() >= kMaxFiles) return refuse(413, "more than 256 files in one body");
    auto upload = std::make_unique<Upload>();
    switch (root_->begin_upload(filename_, upload.get())) {
      case FileStatus::ok:
        break;
      case FileStatus::is_directory:
        return refuse(409, "a directory has that name");
      case FileStatus::forbidden:
      case FileStatus::not_found:
        return refuse(403, {});
      case FileStatus::bad_name:  // refused above; kept for the switch's completeness
        return refuse(400, name_problem_reason(check_upload_name(filename_)));
      case FileStatus::error:
        return refuse(500, "the upload could not be stored");
    }
    current_ = upload.get();
    uploads_.push_back(std::move(upload));
    names_.push_back(filename_);
  }

  Context& context_;
  Directory root_;
  MultipartParser parser_;
  std::string carry_;
  std::vector<char> scratch_;  // Content-Disposition's decoded filename*
  std::string filename_;
  bool has_filename_ = false;
  bool empty_input_ = false;
  Upload* current_ = nullptr;
  std::vector<std::unique_ptr<Upload>> uploads_;  // each removes its file unless committed
  std::vector<std::string> names_;
  int status_ = 0;  // a refusal, answered at finish()
  std::string_view detail_;
};

}  // namespace

StreamHandler form_upload(Directory root) {
  return [root = std::move(root)](const Request& request,
                                  Response& response) -> std::unique_ptr<BodySink> {
    if (root == nullptr) {
      response.set_error(404);
      return nullptr;
    }
    const std::string_view type = request.header("content-type");
    if (type.empty()) {
      // RFC 9110 §15.5.16: the content is not in a format this resource takes.
      response.set_error(415, false, "a form upload needs Content-Type: multipart/form-data");
      return nullptr;
    }
    const MultipartBoundary b = multipart_boundary(type);
    if (b.error != MultipartError::none) {
      response.set_error(multipart_error_status(b.error), false, multipart_error_message(b.error));
      return nullptr;
    }
    auto sink = std::make_unique<FormUploadSink>(*request.context, root);
    const MultipartError e = sink->start(b.boundary);
    if (e != MultipartError::none) {
      response.set_error(multipart_error_status(e), false, multipart_error_message(e));
      return nullptr;
    }
    return sink;
  };
}

}  // namespace httpfsm::server
