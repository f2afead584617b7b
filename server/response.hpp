// A response as handlers describe it, and its serialisation (RFC 9112 §4, §6; RFC 9110 §6.6.1
// Date, §8.6 Content-Length, §15 status codes). Handlers fill a Response in place: it is not
// movable because field values may point into its own storage.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "file_handle.hpp"
#include "output_queue.hpp"

namespace httpfsm::server {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

class Response {
 public:
  static constexpr std::size_t kMaxFields = 10;

  Response() = default;
  Response(const Response&) = delete;
  Response& operator=(const Response&) = delete;

  // Back to "200, no fields, no body"; closes a file body.
  void reset() noexcept;

  int status = 200;
  std::string_view content_type;  // empty: no Content-Type
  std::string_view body;          // a body in memory (must outlive the write)
  // Or a body read from a file: [file_offset, file_offset + file_length).
  FileHandle file;
  std::uint64_t file_offset = 0;
  std::uint64_t file_length = 0;
  // The strong validator (RFC 9110 §8.8.3), e.g. "\"5f3a-1c\""; sent weak ("W/...") when the
  // response is compressed, since the gzip bytes differ from the identity bytes.
  std::string_view etag;
  // A gzip representation may be sent (RFC 9110 §12.5.3); adds Vary: Accept-Encoding.
  bool compressible = false;
  // Close the connection after this response.
  bool close = false;

  // Adds a field. Values must be valid field values (no CR, LF, NUL) and outlive the write.
  void add_field(std::string_view name, std::string_view value) noexcept;
  // Copies `value` into the response's own storage (for formatted values such as
  // Content-Range); returns the copy, or an empty view when the storage is full.
  std::string_view keep(std::string_view value) noexcept;
  std::span<const HeaderField> fields() const noexcept { return {fields_.data(), field_count_}; }
  bool has_body() const noexcept { return file.valid() || !body.empty(); }
  std::uint64_t body_length() const noexcept { return file.valid() ? file_length : body.size(); }

  // The standard short text/plain error body: "404 Not Found\n", or with what was wrong when
  // the caller knows it: "400 Bad Request: both Transfer-Encoding and Content-Length\n".
  // `close` as given.
  void set_error(int error_status, bool close_after = false, std::string_view detail = {}) noexcept;

 private:
  std::array<HeaderField, kMaxFields> fields_{};
  std::size_t field_count_ = 0;
  std::array<char, 1024> storage_{};
  std::size_t storage_used_ = 0;
};

// How the connection sends a response: the decisions that are not the handler's.
struct WireOptions {
  std::string_view date;           // cached IMF-fixdate of this second
  bool head_only = false;          // HEAD (RFC 9110 §9.3.2): the fields of GET, no content
  bool close = false;              // "Connection: close" and close after it (RFC 9112 §9.6)
  bool keep_alive_http10 = false;  // "Connection: keep-alive" for a persistent HTTP/1.0 client
  bool vary_accept_encoding = false;
  std::string_view gzip_body;    // when not empty: sent instead of the body, gzip-coded
  std::string_view cors_origin;  // when not empty: Access-Control-Allow-Origin
};

// Files up to this size are read into the output buffer, so several small responses still
// leave in one send; larger ones go out with sendfile.
inline constexpr std::uint64_t kInlineFileMax = 16 * 1024;

struct WriteResult {
  std::uint64_t body_bytes = 0;  // content bytes queued (for the access log)
  bool complete = true;          // false: a file could not be read whole; close after it
};

// Appends the response to `out`. Every response gets Date, and Content-Length unless its
// status forbids one (1xx, 204, 304: RFC 9110 §8.6, §15.3.5, §15.4.5).
WriteResult write_response(Response& response, const WireOptions& options, OutputQueue& out);

// "HTTP/1.1 100 Continue\r\n\r\n" (RFC 9110 §10.1.1, §15.2.1)
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace httpfsm::server
