#include "response.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

#include "file_io.hpp"
#include "httpfsm/response_writer.hpp"

namespace httpfsm::server {

void Response::reset() noexcept {
  status = 200;
  content_type = {};
  body = {};
  file.reset();
  file_offset = file_length = 0;
  etag = {};
  compressible = false;
  close = false;
  encoded_body = {};
  content_encoding = {};
  vary_accept_encoding = false;
  field_count_ = 0;
  trusted_fields_ = 0;
  trusted_type_ = {};
  trusted_etag_ = {};
  storage_used_ = 0;
  generated_ = false;
  upgrade_ = false;
}

void Response::set_body(std::string bytes) noexcept {
  owned_ = std::move(bytes);
  body = owned_;
  generated_ = false;
}

std::string& Response::body_buffer() noexcept {
  owned_.clear();
  body = {};
  generated_ = true;
  return owned_;
}

void Response::send_file(FileHandle fd, std::uint64_t offset, std::uint64_t length) noexcept {
  body = {};
  file = std::move(fd);
  file_offset = offset;
  file_length = length;
}

void Response::upgrade(std::string_view protocol) noexcept {
  status = 101;
  upgrade_ = true;
  add_field("Connection", "Upgrade");  // RFC 9110 §7.6.1: Upgrade is hop-by-hop
  add_field("Upgrade", protocol);
}

void Response::add_field(std::string_view name, std::string_view value) noexcept {
  if (field_count_ < fields_.size()) fields_[field_count_++] = HeaderField{name, value};
}

std::string_view Response::keep(std::string_view value) noexcept {
  if (value.size() > storage_.size() - storage_used_) return {};
  char* p = storage_.data() + storage_used_;
  std::memcpy(p, value.data(), value.size());
  storage_used_ += value.size();
  return {p, value.size()};
}

SetCookieError Response::set_cookie(const SetCookie& cookie) noexcept {
  if (field_count_ >= fields_.size()) return SetCookieError::buffer_too_small;
  const std::span<char> free(storage_.data() + storage_used_, storage_.size() - storage_used_);
  const SetCookieResult r = write_set_cookie(cookie, free);
  if (r.error != SetCookieError::none) return r.error;
  storage_used_ += r.size;
  add_field("Set-Cookie", {free.data(), r.size});
  return SetCookieError::none;
}

void Response::set_error(int error_status, bool close_after, std::string_view detail) noexcept {
  reset();
  status = error_status;
  close = close_after;
  content_type = "text/plain";
  // "404 Not Found\n", "400 Bad Request: malformed request-line\n". One short line a person
  // reading curl's output understands; the detail is the library's error message, fixed text,
  // never an echo of the request's bytes.
  char text[160];
  char* end = std::to_chars(text, text + 3, error_status).ptr;
  const auto append = [&](std::string_view s) {
    const std::size_t n =
        std::min(s.size(), static_cast<std::size_t>(text + sizeof text - 1 - end));
    std::memcpy(end, s.data(), n);
    end += n;
  };
  append(" ");
  append(reason_phrase(error_status));
  if (!detail.empty()) {
    append(": ");
    append(detail);
  }
  *end++ = '\n';
  body = keep({text, static_cast<std::size_t>(end - text)});
}

namespace {

bool status_has_no_content(int status) { return status < 200 || status == 204 || status == 304; }

std::size_t head_size_bound(const Response& r) {
  std::size_t n = 256 + r.content_type.size() + r.etag.size() + r.content_encoding.size();
  for (const HeaderField& f : r.fields()) n += f.name.size() + f.value.size() + 4;
  return n;
}

}  // namespace

WriteResult write_response(Response& r, const WireOptions& o, OutputQueue& out) {
  WriteResult result;
  const bool no_content = status_has_no_content(r.status);
  const bool gzip = !r.encoded_body.empty();
  const std::uint64_t length = gzip ? r.encoded_body.size() : r.body_length();
  const std::size_t start = out.buffer().size();

  const std::size_t bound = head_size_bound(r);
  ByteBuffer& buf = out.buffer();
  std::span<char> space = buf.space(bound).first(bound);
  ResponseWriter w(space);
  // Date (the clock's own IMF-fixdate), Vary and Connection are constants or bytes the server
  // formatted: written without the scan. What a handler set (type, coding, ETag, its fields)
  // is still checked, so a bad value answers 500 rather than split the response.
  w.status(r.status).trusted_field("Date", o.date);
  if (!r.content_type.empty()) {
    if (ResponseInternals::trusted_type(r)) {
      w.trusted_field("Content-Type", r.content_type);
    } else {
      w.field("Content-Type", r.content_type);
    }
  }
  if (gzip) w.field("Content-Encoding", r.content_encoding);
  if (r.vary_accept_encoding) w.trusted_field("Vary", "Accept-Encoding");
  if (!r.etag.empty()) {
    if (gzip) {
      // RFC 9110 §8.8.1: a strong validator changes with the content coding; weak is honest.
      char weak[96];
      const std::size_t n = std::min(r.etag.size(), sizeof weak - 2);
      weak[0] = 'W';
      weak[1] = '/';
      std::memcpy(weak + 2, r.etag.data(), n);
      w.field("ETag", std::string_view(weak, n + 2));
    } else if (ResponseInternals::trusted_etag(r)) {
      w.trusted_field("ETag", r.etag);
    } else {
      w.field("ETag", r.etag);
    }
  }
  const std::span<const HeaderField> fields = r.fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (ResponseInternals::trusted_field(r, i)) {
      w.trusted_field(fields[i].name, fields[i].value);
    } else {
      w.field(fields[i].name, fields[i].value);
    }
  }
  if (!no_content) w.content_length(length);
  if (o.close) {
    w.trusted_field("Connection", "close");
  } else if (o.keep_alive_http10) {
    w.trusted_field("Connection", "keep-alive");
  }
  std::size_t head = w.finish();
  if (head == 0) {
    // A handler produced a field the writer refused (a bug, not a client error): answer 500
    // rather than send a malformed head.
    r.set_error(500, true);
    ResponseWriter e(space);
    e.status(500).trusted_field("Date", o.date).trusted_field("Content-Type", "text/plain");
    e.content_length(r.body.size()).trusted_field("Connection", "close");
    head = e.finish();
    buf.commit(head);
    if (!o.head_only) buf.append(r.body);
    result.body_bytes = o.head_only ? 0 : r.body.size();
    result.complete = false;
    return result;
  }
  buf.commit(head);
  if (o.head_only || no_content) {
    r.file.reset();
    return result;
  }
  result.body_bytes = length;
  if (gzip) {
    buf.append(r.encoded_body);
  } else if (!r.file.valid()) {
    buf.append(r.body);
  } else if (r.file_length <= kInlineFileMax) {
    const auto n = static_cast<std::size_t>(r.file_length);
    char* dst = buf.append_uninitialized(n);
    if (!read_range(r.file.get(), r.file_offset, {dst, n})) {
      // The file shrank under us or cannot be read. Nothing of this response left yet: take
      // its head back and answer 500 instead, closing (the usual one-line body).
      buf.truncate(start);
      r.set_error(500, true, "the file could not be read");
      const WireOptions closing{o.date, o.head_only, true, false};
      WriteResult failed = write_response(r, closing, out);
      failed.complete = false;
      return failed;
    }
    r.file.reset();
  } else {
    out.append_file(std::move(r.file), r.file_offset, r.file_length);
  }
  return result;
}

}  // namespace httpfsm::server
