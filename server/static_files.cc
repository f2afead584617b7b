#include "static_files.hpp"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <iterator>

#include "context.hpp"
#include "gzip.hpp"
#include "httpfsm/http_date.hpp"
#include "httpfsm/path.hpp"
#include "preconditions.hpp"
#include "response.hpp"

namespace httpfsm::server {

namespace {

struct MimeEntry {
  std::string_view extension;
  std::string_view type;
};

constexpr MimeEntry kMimeTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"wav", "audio/wav"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},
    {"webmanifest", "application/manifest+json"},
};

// Up to the first 8 bytes of an extension, ASCII letters lower-cased, as one integer: most
// table entries are passed over with one comparison (extensions match case-insensitively).
constexpr std::uint64_t extension_key(std::string_view ext) noexcept {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < ext.size() && i < 8; ++i) {
    auto c = static_cast<unsigned char>(ext[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + ('a' - 'A'));
    key |= std::uint64_t{c} << (8 * i);
  }
  return key;
}

constexpr auto kMimeKeys = [] {
  std::array<std::uint64_t, std::size(kMimeTypes)> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = extension_key(kMimeTypes[i].extension);
  return keys;
}();

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (x != b[i]) return false;
  }
  return true;
}

// A decimal numeral of any length (RFC 9110 §14.1.2: recipients MUST anticipate large ones
// without overflow). A value past 2^64 - 1 saturates to it: larger than any representation,
// so a first-pos there is unsatisfiable and a last-pos or suffix-length means "to the end".
bool parse_u64(std::string_view s, std::uint64_t* out) {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    v = v > (UINT64_MAX - digit) / 10 ? UINT64_MAX : v * 10 + digit;
  }
  *out = v;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; "/" separates.
bool path_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~!$&'()*+,;=:@/").find(c) != std::string_view::npos;
}

}  // namespace

std::string path_location(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out = "/";
  for (const char c : path) {
    if (path_char(c)) {
      out += c;
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string directory_location(std::string_view path) {
  std::string out = path_location(path);
  if (out.back() != '/') out += '/';
  return out;
}

std::string_view mime_type(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  const std::string_view ext = name.substr(dot + 1);
  const std::uint64_t key = extension_key(ext);
  for (std::size_t i = 0; i < kMimeKeys.size(); ++i) {
    const MimeEntry& e = kMimeTypes[i];
    if (kMimeKeys[i] == key && e.extension.size() == ext.size() &&
        (ext.size() <= 8 || iequals_ascii(ext, e.extension))) {
      return e.type;
    }
  }
  return "application/octet-stream";
}

RangeOutcome evaluate_range(std::string_view range, std::uint64_t size, ByteRange* out) noexcept {
  // ranges-specifier = range-unit "=" range-set; the unit is case-insensitive (§14.1).
  const std::size_t eq = range.find('=');
  if (eq == std::string_view::npos || !iequals_ascii(trim(range.substr(0, eq)), "bytes")) {
    return RangeOutcome::ignore;
  }
  const std::string_view set = trim(range.substr(eq + 1));
  if (set.find(',') != std::string_view::npos) return RangeOutcome::ignore;  // several ranges
  const std::size_t dash = set.find('-');
  if (dash == std::string_view::npos) return RangeOutcome::ignore;
  const std::string_view a = set.substr(0, dash);
  const std::string_view b = set.substr(dash + 1);
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (a.empty()) {
    // suffix-range = "-" suffix-length: the last N bytes.
    if (!parse_u64(b, &last)) return RangeOutcome::ignore;
    if (last == 0 || size == 0) return RangeOutcome::unsatisfiable;
    out->first = size - std::min(last, size);
    out->last = size - 1;
    return RangeOutcome::satisfiable;
  }
  if (!parse_u64(a, &first)) return RangeOutcome::ignore;
  if (b.empty()) {
    last = UINT64_MAX;
  } else if (!parse_u64(b, &last) || last < first) {
    return RangeOutcome::ignore;  // §14.1.1: invalid, so the whole field is ignored
  }
  if (first >= size) return RangeOutcome::unsatisfiable;
  out->first = first;
  out->last = std::min(last, size - 1);
  return RangeOutcome::satisfiable;
}

void serve_file(const Request& request, Context& context, const FileStore& store,
                std::string_view relative, Response& response) {
  OpenedFile f;
  FileStatus status = context.file_cache.open(store, relative, &f);
  if (status == FileStatus::ok && f.directory) {
    // A directory's URL ends in "/" so that relative links inside its index resolve there.
    if (request.path.empty() || request.path.back() != '/') {
      // Regression: this Location once repeated the raw target, so
      // "//evil.example/../../static/sub" redirected to "//evil.example/../../static/sub/".
      const std::string target = directory_location(request.path);
      response.set_error(301);  // first: set_error clears the response's storage
      const std::string_view location = response.keep(target);
      if (location.empty()) return response.set_error(404);
      response.add_field("Location", location);
      return;
    }
    char index[PATH_MAX];
    const int n = std::snprintf(index, sizeof index, "%.*sindex.html",
                                static_cast<int>(relative.size()), relative.data());
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof index) return response.set_error(404);
    f = OpenedFile{};
    status = context.file_cache.open(store, {index, static_cast<std::size_t>(n)}, &f);
    if (status == FileStatus::ok && f.directory) status = FileStatus::not_found;
    relative = {index, static_cast<std::size_t>(n)};
    // `relative` is used below only for the MIME type, before `index` goes out of scope.
    ResponseInternals::set_trusted_content_type(response, mime_type(relative));
  } else {
    ResponseInternals::set_trusted_content_type(response, mime_type(relative));
  }
  if (status != FileStatus::ok) {
    return response.set_error(status == FileStatus::error       ? 500
                              : status == FileStatus::forbidden ? 403
                                                                : 404);
  }

  // Validators, then the preconditions in RFC 9110 §13.2.2's order (preconditions.hpp).
  const Validators validators = file_validators(f, context.clock, response);
  response.compressible = is_compressible_type(response.content_type);
  const Precondition precondition =
      evaluate_preconditions(conditional_fields(request, /*ranges_supported=*/true), validators,
                             request.method, context.clock.unix_seconds());
  if (precondition == Precondition::failed) return response.set_error(412);  // §15.5.13
  if (precondition == Precondition::not_modified) {
    // §15.4.5: no content; Date, ETag, Vary and Last-Modified as a 200 would have, and no
    // other representation metadata.
    response.status = 304;
    response.content_type = {};
    ResponseInternals::add_trusted_field(response, "Last-Modified", validators.last_modified);
    return;
  }
  ResponseInternals::add_trusted_field(response, "Accept-Ranges", "bytes");  // §14.3

  // The content: from memory (the file cache) or from the descriptor. A range narrows it.
  if (f.in_memory()) {
    response.body = f.content;
  } else {
    response.file = std::move(f.fd);
    response.file_offset = 0;
    response.file_length = f.size;
  }
  // §14.2: Range is defined for GET only; a false If-Range (§13.1.5) means the whole file.
  const Field* range = request.method == Method::get && precondition == Precondition::perform
                           ? request.find("Range")
                           : nullptr;
  ByteRange r;
  const RangeOutcome outcome =
      range == nullptr ? RangeOutcome::ignore
                       : evaluate_range(text(request.message, range->value), f.size, &r);
  // §15.3.7: a 206 to an If-Range request SHOULD NOT carry representation fields beyond those
  // required (Date, ETag, Vary, Content-Range): the client completes a response it holds, so
  // it gets no Content-Type or Last-Modified. Every other response carries them.
  const bool if_range_206 =
      outcome == RangeOutcome::satisfiable && request.find("If-Range") != nullptr;
  if (!if_range_206)
    ResponseInternals::add_trusted_field(response, "Last-Modified", validators.last_modified);
  switch (outcome) {
    case RangeOutcome::ignore:
      return;
    case RangeOutcome::unsatisfiable: {
      char cr[48];
      const int n = std::snprintf(cr, sizeof cr, "bytes */%" PRIu64, f.size);
      response.set_error(416);  // §15.5.17: with the current length
      response.add_field("Content-Range", response.keep({cr, static_cast<std::size_t>(n)}));
      return;
    }
    case RangeOutcome::satisfiable: {
      char cr[80];
      const int n = std::snprintf(cr, sizeof cr, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, r.first,
                                  r.last, f.size);
      response.status = 206;
      // The range is of the identity representation; Vary stays as on the 200 (§15.3.7).
      if (response.compressible) response.add_field("Vary", "Accept-Encoding");
      response.compressible = false;
      if (if_range_206) response.content_type = {};
      if (response.file.valid()) {
        response.file_offset = r.first;
        response.file_length = r.last - r.first + 1;
      } else {
        response.body = response.body.substr(r.first, r.last - r.first + 1);
      }
      response.add_field("Content-Range", response.keep({cr, static_cast<std::size_t>(n)}));
      return;
    }
  }
}

}  // namespace httpfsm::server
