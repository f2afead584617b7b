// The static site under /static/: Content-Type by extension, index.html for directories,
// validators with conditional requests (RFC 9110 §8.8, §13.1), and single byte ranges
// (RFC 9110 §14). Multiple ranges are answered with the whole file (a server MAY ignore
// Range, §14.2), which keeps every response a single part.
#pragma once

#include <cstdint>
#include <string>
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

// A Location (RFC 9110 §10.2.2) naming `path`, the request's decoded and normalised path
// (never the raw target, whose dot segments and leading "//" a client following it as-is
// would keep): percent-encoded where a path segment needs it (RFC 3986 §3.3), with one
// leading "/" (a leading "//" would be a network-path reference to another host, §4.2).
// An upload's 201 names its file with it (RFC 9110 §9.3.3).
std::string path_location(std::string_view path);

// The Location of the redirect that adds a directory's trailing slash (RFC 9110 §15.4.2):
// path_location(path) ending in "/".
std::string directory_location(std::string_view path);

// Serves `relative` (decoded, a path under the store's root; "" or ending in "/" names a
// directory) for GET or HEAD; `request.path` gives the directory redirect's Location.
void serve_file(const Request& request, Context& context, const FileStore& store,
                std::string_view relative, Response& response);

}  // namespace httpfsm::server
