// A strict reader of HTTP/1.1 responses for tests, fuzzers and property checks: it accepts
// exactly what RFC 9112 allows a server to send (status line, field lines, then the body as
// §6.3 frames it) and names the first thing that is wrong. Not installed; not for production.
//
//   std::vector<HttpResponse> all;
//   std::string error;
//   ASSERT_TRUE(read_responses(bytes, &all, &error)) << error;
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpfsm::testing {

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> fields;  // in order, as sent
  std::string body;                                         // chunked framing removed
  bool chunked = false;
  std::optional<std::uint64_t> content_length;

  // The first field named `name` (any case); "" when absent.
  std::string_view field(std::string_view name) const;
  bool has_field(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  // "Connection: close" (RFC 9112 §9.6).
  bool closes() const;
};

struct ReaderOptions {
  // The response answers a HEAD request: no content whatever the fields say (RFC 9112 §6.3).
  bool head_request = false;
  // Accept a response with neither Content-Length nor chunked, its body running to the end
  // of the bytes (RFC 9112 §6.3 item 8). Off: such a response is malformed.
  bool allow_close_delimited = false;
};

enum class ReadStatus : std::uint8_t { complete, need_more, malformed };

struct ReadResult {
  ReadStatus status = ReadStatus::need_more;
  std::size_t consumed = 0;  // bytes of the response when complete
  std::string error;         // when malformed: what and where
};

// Reads one response from the start of `bytes`.
ReadResult read_response(std::string_view bytes, HttpResponse* out,
                         const ReaderOptions& options = {});

// Reads every response in `bytes`, which must end exactly after the last one. `head_requests`
// says, per non-1xx response in order, whether it answers a HEAD (missing entries: no).
// A 101 ends the HTTP part (RFC 9110 §15.2.2): the bytes after it belong to the protocol it
// switched to and are left unread.
bool read_responses(std::string_view bytes, std::vector<HttpResponse>* out, std::string* error,
                    std::span<const bool> head_requests = {});

// What this server promises about every response beyond syntax: a standard reason phrase,
// Date (except 1xx), and Content-Length or chunked framing unless the status has no content
// (1xx, 204, 304; then no Content-Length), never both; no singleton field (Content-Type,
// ETag, Last-Modified, Location, Content-Range, Retry-After) twice. Returns "" or the broken
// promise.
std::string check_server_invariants(const HttpResponse& response);

}  // namespace httpfsm::testing
