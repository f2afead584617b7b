// Writes a response head into a caller-provided buffer (RFC 9112 §4, §6; RFC 9110 §15):
// status line with the standard reason phrase, field lines, and the framing fields.
// Nothing is allocated; running out of room or an invalid field makes the writer fail,
// and a failed writer writes nothing more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/http_date.hpp"

namespace httpfsm {

// The reason phrase RFC 9110 §15 gives `status` ("Not Found"), or "" for an unknown code.
std::string_view reason_phrase(int status) noexcept;

class ResponseWriter {
 public:
  explicit ResponseWriter(std::span<char> out) noexcept : out_(out) {}

  // "HTTP/1.1 <status> <reason>\r\n". `status` must be 100-999; `reason` defaults to the
  // standard phrase and must not contain CR, LF or NUL.
  ResponseWriter& status(int status, std::string_view reason = {}) noexcept;
  // "<name>: <value>\r\n". Fails when the name is not a token or the value contains CR, LF,
  // NUL or another control byte but HTAB (RFC 9110 §5.5): no response splitting. Also fails
  // for Content-Length or Transfer-Encoding after a 1xx or 204 status, which RFC 9110 §8.6
  // and RFC 9112 §6.1 forbid ("A server MUST NOT send ..."), for Content-Length beside
  // Transfer-Encoding (RFC 9112 §6.2), and for chunked applied twice (RFC 9112 §6.1).
  ResponseWriter& field(std::string_view name, std::string_view value) noexcept;
  ResponseWriter& field(std::string_view name, std::uint64_t value) noexcept;
  // field() without the scan of the name and value, for a caller that writes a constant or
  // bytes it produced itself and already knows valid (a cached IMF-fixdate, "close"). Never
  // for bytes that came from elsewhere: only a build without NDEBUG checks it (assert). Not
  // for the framing fields either: content_length() and chunked() write those, judged.
  ResponseWriter& trusted_field(std::string_view name, std::string_view value) noexcept;
  // "Content-Length: <n>\r\n"
  ResponseWriter& content_length(std::uint64_t n) noexcept;
  // "Transfer-Encoding: chunked\r\n"; the body then goes out through write_chunk_header().
  ResponseWriter& chunked() noexcept;
  // "Date: <IMF-fixdate>\r\n"
  ResponseWriter& date(std::int64_t unix_seconds) noexcept;
  // The empty line. Returns the size of the head, or 0 if anything failed.
  std::size_t finish() noexcept;

  bool ok() const noexcept { return ok_; }
  std::size_t size() const noexcept { return size_; }

 private:
  // Judges a framing field (Content-Length, Transfer-Encoding) and notes it; false refuses it.
  bool framing_allowed(bool is_length, bool is_coding, std::string_view value) noexcept;
  // Notes the codings of a Transfer-Encoding value; false if chunked comes a second time.
  bool add_codings(std::string_view value) noexcept;
  void put_line(std::string_view name, std::string_view value) noexcept;
  std::span<char> out_;
  std::size_t size_ = 0;
  int status_ = 0;
  bool ok_ = true;
  bool content_length_ = false;     // a Content-Length line was written
  bool transfer_encoding_ = false;  // a Transfer-Encoding line was written
  bool chunked_ = false;            // ... naming chunked
};

// "<hex size>\r\n" for one chunk of a chunked body (RFC 9112 §7.1). Returns the bytes
// written (at most 18), or 0 if `out` is too small. End the body with kLastChunk.
std::size_t write_chunk_header(std::uint64_t size, std::span<char> out) noexcept;
inline constexpr std::string_view kChunkEnd = "\r\n";
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace httpfsm
