// Pure helpers for the path of an origin-form request-target (RFC 9112 §3.2.1): splitting
// off the query, percent-decoding (RFC 3986 §2.1) and dot-segment removal (RFC 3986 §5.2.4).
// They write into caller-provided buffers and never allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace httpfsm {

struct TargetParts {
  std::string_view path;   // up to the first "?"
  std::string_view query;  // after the "?", without it
  bool has_query = false;  // "/a?" has an empty query, "/a" none
};
// Splits an origin-form target at its first "?" (RFC 3986 §3.4).
TargetParts split_target(std::string_view target) noexcept;

enum class PathError : std::uint8_t {
  none,
  not_absolute,   // does not start with "/"
  bad_percent,    // "%" not followed by two hex digits
  encoded_nul,    // "%00": would truncate a C string (PathOptions::reject_encoded_nul)
  encoded_slash,  // "%2F": would move a segment boundary (PathOptions::reject_encoded_slash)
  above_root,     // ".." climbing above "/" (PathOptions::reject_above_root)
  too_long,       // the output buffer is too small; the functions work in it, so they may
                  // need up to path.size() bytes even for a shorter result ("/a/.." -> "/",
                  // decode_path: the normal form before decoding)
};
std::string_view path_error_name(PathError e) noexcept;

struct PathOptions {
  // true: a ".." above the root is an error (a traversal attempt). false: clamp at the root
  // as RFC 3986 §5.2.4 does ("/../a" -> "/a").
  bool reject_above_root = true;
  // decode_path only. true: "%2F" is an error. false: it stays "%2F" in the output, so it
  // can never become a segment boundary (or, with "..", a traversal) after decoding.
  bool reject_encoded_slash = true;
  // decode_path only. true: "%00" is an error. false: it decodes to a NUL byte.
  bool reject_encoded_nul = true;
};

struct PathResult {
  PathError error = PathError::none;
  std::size_t length = 0;  // bytes written to `out` when error == none
};

// The normal form of an absolute path (RFC 3986 §6.2.2): percent-encodings of unreserved
// characters decoded (§6.2.2.2, so "%2e%2E" is ".."), the hex digits of the others in upper
// case (§6.2.2.1), then "." and ".." segments removed (§5.2.4). The result is still
// percent-encoded, starts with "/", has no dot segment, never climbs above the root, and is
// its own normal form (normalising is idempotent). A trailing "/" is kept ("/a/" stays
// "/a/"; "/a/." becomes "/a/"). out.size() >= path.size() always suffices.
PathResult normalize_path(std::string_view path, std::span<char> out,
                          const PathOptions& options = {}) noexcept;

// normalize_path, then percent-decoding of what remains: the path as a file system sees it.
// Decoding cannot create a dot segment (encoded dots are decoded before dot removal) nor,
// by default, a segment boundary. out.size() >= path.size() always suffices.
PathResult decode_path(std::string_view path, std::span<char> out,
                       const PathOptions& options = {}) noexcept;

// Percent-decodes `in` into `out` (RFC 3986 §2.1; "+" stays "+"). Returns the decoded length,
// or SIZE_MAX when a "%" is not followed by two hex digits or `out` is too small.
// out.size() >= in.size() always suffices.
std::size_t percent_decode(std::string_view in, std::span<char> out) noexcept;

}  // namespace httpfsm
