// Built-in handlers over a directory: a static site, file downloads and streamed uploads.
//
// Confinement: a Directory is opened once; every request path below it is checked and opened
// relative to it so that no path, "..", or symlink resolves outside it (openat2 with
// RESOLVE_BENEATH, or a realpath check where that is missing). The path is the route's last
// parameter, already percent-decoded ("/static/{path...}", "/files/{name}").
// Sharing: a Directory is read-only and shared by every worker. Small files are served from a
// per-worker cache, checked against the file system once per event-loop turn.
// Errors: a missing file is 404, a refused path 403, anything else 500. A Directory that is
// null (no directory configured) answers 404 to everything.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "httpfsm/server/app.hpp"

namespace httpfsm::server {

class FileStore;
using Directory = std::shared_ptr<const FileStore>;

// Opens `root`. On failure returns null and a one-line error ("/x: No such file or directory").
Directory open_directory(const std::string& root, std::string* error);

// GET/HEAD: the file at the last route parameter with its Content-Type by extension,
// index.html for a directory (a redirect adds its trailing slash), ETag and Last-Modified with
// conditional requests (RFC 9110 §13.1) and single byte ranges (§14); compressible.
Handler static_files(Directory root);
// GET/HEAD: the file named by the last route parameter as application/octet-stream;
// compressible.
Handler file_download(Directory root);
// The body is streamed into a temporary file beside the target, then fsync'd and renamed over
// it (a reader sees the old file or the whole new one); 201 once committed. The target is one
// path segment.
StreamHandler file_upload(Directory root);
// POST with multipart/form-data (RFC 7578): every part with a filename is streamed to its own
// temporary file in `root`; parts without one (form fields) are ignored. Only when the whole
// body parsed are all published (all or nothing: a malformed body, an unsafe or repeated
// filename, 413 over the server's --max-body or an aborted upload stores nothing); then 201
// with `{"stored": ["a.txt", ...]}` (application/json). A filename must be one safe segment
// (is_safe_upload_name), else 400 (RFC 7578 §4.2). Another media type: 415. An empty file
// input (filename="" and no content, as browsers send it) is skipped.
StreamHandler form_upload(Directory root);
// One path segment that may be stored: not empty, ".", or ".."; no "/", "\", NUL or other
// control character; not an upload temporary; at most NAME_MAX bytes. The rule of
// /files/{name} uploads too.
bool is_safe_upload_name(std::string_view name) noexcept;

}  // namespace httpfsm::server
