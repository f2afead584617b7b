// The serialisation of a Response (httpfsm/server/response.hpp): RFC 9112 §4, §6; RFC 9110
// §6.6.1 Date, §8.6 Content-Length, §15 status codes.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "httpfsm/server/response.hpp"
#include "output_queue.hpp"

namespace httpfsm::server {

// How the connection sends a response: the decisions that are not the handler's.
struct WireOptions {
  std::string_view date;           // cached IMF-fixdate of this second
  bool head_only = false;          // HEAD (RFC 9110 §9.3.2): the fields of GET, no content
  bool close = false;              // "Connection: close" and close after it (RFC 9112 §9.6)
  bool keep_alive_http10 = false;  // "Connection: keep-alive" for a persistent HTTP/1.0 client
};

// The server's own way into a Response: values it produced from constants (a MIME table,
// "bytes") or formatted itself (an IMF-fixdate, an entity-tag from size and mtime), which
// write_response() then copies without the field-value scan. Never for bytes a handler or a
// request supplied: those go through Response's public members and are checked.
struct ResponseInternals {
  static void add_trusted_field(Response& r, std::string_view name,
                                std::string_view value) noexcept {
    if (r.field_count_ < r.fields_.size()) r.trusted_fields_ |= 1u << r.field_count_;
    r.add_field(name, value);
  }
  static void set_trusted_content_type(Response& r, std::string_view type) noexcept {
    r.content_type = r.trusted_type_ = type;
  }
  static void set_trusted_etag(Response& r, std::string_view etag) noexcept {
    r.etag = r.trusted_etag_ = etag;
  }
  static bool trusted_field(const Response& r, std::size_t i) noexcept {
    return (r.trusted_fields_ >> i & 1u) != 0;
  }
  static bool trusted_type(const Response& r) noexcept {
    return r.content_type.data() == r.trusted_type_.data() &&
           r.content_type.size() == r.trusted_type_.size();
  }
  static bool trusted_etag(const Response& r) noexcept {
    return r.etag.data() == r.trusted_etag_.data() && r.etag.size() == r.trusted_etag_.size();
  }
};

// Files up to this size are read into the output buffer, so several small responses still
// leave in one send; larger ones go out with sendfile.
inline constexpr std::uint64_t kInlineFileMax = 16 * 1024;

struct WriteResult {
  std::uint64_t body_bytes = 0;  // content bytes queued (for the access log)
  bool complete = true;          // false: a file could not be read whole; a 500 went instead
};

// Appends the response to `out`. Every response gets Date, and Content-Length unless its
// status forbids one (1xx, 204, 304: RFC 9110 §8.6, §15.3.5, §15.4.5).
WriteResult write_response(Response& response, const WireOptions& options, OutputQueue& out);

// "HTTP/1.1 100 Continue\r\n\r\n" (RFC 9110 §10.1.1, §15.2.1)
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace httpfsm::server
