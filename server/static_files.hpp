// The static site under /static/: Content-Type by extension, index.html for directories,
// validators with conditional requests (RFC 9110 §8.8, §13.1), and single byte ranges
// (RFC 9110 §14). Multiple ranges are answered with the whole file (a server MAY ignore
// Range, §14.2), which keeps every response a single part.
#pragma once

#include <cstdint>
#include <string_view>

#include "file_store.hpp"
#include "httpfsm/server/request.hpp"
#include "response.hpp"

namespace httpfsm::server {

struct Context;

// "text/html", "image/png", ...; "application/octet-stream" for unknown extensions.
std::string_view mime_type(std::string_view path) noexcept;

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};
enum class RangeOutcome : std::uint8_t {
  ignore,         // no usable single range: send the whole representation (200)
  satisfiable,    // 206 with *out
  unsatisfiable,  // 416
};
// Evaluates a Range value against a representation of `size` bytes (RFC 9110 §14.1.2).
RangeOutcome evaluate_range(std::string_view range, std::uint64_t size, ByteRange* out) noexcept;

// Serves `relative` (decoded, a path under the store's root; "" or ending in "/" names a
// directory) for GET or HEAD. `request_path` is the path as sent, for the redirect that adds
// a directory's trailing slash.
void serve_file(const Request& request, Context& context, const FileStore& store,
                std::string_view relative, Response& response);

}  // namespace httpfsm::server
