// Root-confined file access for /files and /static (the only code that opens request paths).
//
// A relative path from a request is refused before any system call if it holds a NUL, a
// backslash, an empty, "." or ".." segment, or a segment naming an upload in progress. It is
// then opened relative to the root's descriptor with openat2(RESOLVE_BENEATH), so the kernel
// refuses any resolution, through ".." or a symlink, that leaves the root; relative symlinks
// that stay inside are followed, absolute ones are refused. Where openat2 is missing (Linux
// < 5.6, some sandboxes) the fallback walks the path one component at a time with openat and
// O_NOFOLLOW from the root's descriptor, expanding relative symlinks itself and refusing
// absolute ones and ".." above the root: the same answers as openat2, and a component swapped
// for a symlink mid-request is never followed (each step holds the directory it opened).
//
// Uploads are written to an unnamed file in the store's directory (O_TMPFILE), then fsync'd,
// given a temporary name (linkat) and renamed over the target (atomic on POSIX file
// systems): a reader sees the old file or the whole new one, never a part, and a crash
// (SIGKILL, power cut) mid-upload leaves nothing. Where the file system has no O_TMPFILE the
// upload is a named temporary file from the start; stale temporaries (of a process that is
// gone) are removed when the store opens the directory. An upload that is not committed
// removes its temporary file.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "httpfsm/http_date.hpp"
#include "httpfsm/server/file_handle.hpp"

namespace httpfsm::server {

enum class FileStatus : std::uint8_t {
  ok,
  not_found,     // missing (or a path component is not a directory)
  forbidden,     // refused: unsafe path, outside the root, or no permission
  is_directory,  // for uploads: the target is a directory
  bad_name,      // for uploads: check_upload_name() refused the name (400, with its reason)
  error,         // anything else (I/O error, out of descriptors): 500
};

// A file's validators as responses send them (RFC 9110 §8.8): a strong ETag made of the
// modification time and the size (as nginx does) and the Last-Modified date.
struct FileValidators {
  static FileValidators of(std::uint64_t size, std::int64_t mtime_seconds,
                           std::int64_t mtime_nanoseconds) noexcept;
  std::string_view etag() const noexcept { return {etag_.data(), etag_size_}; }
  std::string_view last_modified() const noexcept {
    return {last_modified_.data(), last_modified_.size()};
  }

 private:
  std::array<char, 64> etag_{};
  std::size_t etag_size_ = 0;
  std::array<char, kHttpDateSize> last_modified_{};
};

struct OpenedFile {
  // Either an open descriptor, or (from FileCache) the file's bytes in memory: `content`,
  // valid until the next call into that cache.
  FileHandle fd;
  std::string_view content;
  std::uint64_t size = 0;
  std::int64_t mtime_seconds = 0;
  std::int64_t mtime_nanoseconds = 0;
  bool directory = false;
  const FileValidators* validators = nullptr;  // computed already (FileCache), or null

  bool in_memory() const noexcept { return !fd.valid() && !directory; }
};

class Upload {
 public:
  Upload() = default;
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;
  ~Upload() { abort(); }

  bool active() const noexcept { return fd_.valid(); }
  // Appends `data`. False on a write error (the upload is then aborted).
  bool write(std::string_view data) noexcept;
  // How commit() publishes: over whatever the name holds, or only where the name is free
  // (an upload with `If-None-Match: *`, RFC 9110 §13.1.2), decided by the file system in the
  // one call that makes the name, so a file that appeared meanwhile is never replaced.
  enum class Publish : std::uint8_t { replace, create_only };
  // fsync, publish under the target's name, fsync the directory. False on error (aborted),
  // with errno EEXIST when `create_only` found the name taken.
  bool commit(Publish mode = Publish::replace) noexcept;
  // Removes the temporary file. Safe to call at any time.
  void abort() noexcept;
  std::uint64_t bytes() const noexcept { return bytes_; }
  bool replaced() const noexcept { return replaced_; }

 private:
  friend class FileStore;
  int dir_fd_ = -1;  // the store's root, borrowed
  FileHandle fd_;
  std::string temp_name_;  // empty while an O_TMPFILE upload has no name
  std::string final_name_;
  std::uint64_t bytes_ = 0;
  bool replaced_ = false;  // the target existed before
};

class FileStore {
 public:
  // Opens `root` (a directory). On failure returns an invalid store and a one-line error.
  static FileStore open(const std::string& root, std::string* error);

  FileStore() = default;
  bool valid() const noexcept { return root_fd_.valid(); }
  const std::string& root() const noexcept { return root_; }

  // Opens `relative` ("a/b.txt"; a leading "/" is ignored) read-only and fstat()s it once.
  FileStatus open_file(std::string_view relative, OpenedFile* out) const;
  // stat() of `relative` (symlinks followed, no RESOLVE_BENEATH: callers compare the result
  // with a file opened through open_file, see FileCache). False with errno on failure.
  bool stat_file(std::string_view relative, struct stat* out) const;
  // Starts an upload to `name` (one path segment: no "/"); bad_name when
  // check_upload_name() refuses it for a control character or its length.
  FileStatus begin_upload(std::string_view name, Upload* out) const;

  // Refuses NUL, backslash, empty, "." and ".." segments and upload temporaries.
  static bool is_safe_relative_path(std::string_view relative) noexcept;
  // For tests: use the component walk even where openat2 exists.
  void force_fallback_for_testing() { use_openat2_ = false; }
  // True when uploads are unnamed (O_TMPFILE) until commit; false: named temporaries.
  bool unnamed_uploads() const noexcept { return use_tmpfile_; }
  // For tests: named temporary uploads even where O_TMPFILE works. The environment variable
  // HTTPFSM_TEST_NAMED_TEMPORARY=1 does the same for every store a process opens, so the
  // black-box tests can exercise the fallback of the real binary.
  void force_named_temporary_for_testing() { use_tmpfile_ = false; }

 private:
  int open_beneath(std::string_view relative, int flags) const;
  int walk_beneath(std::string_view relative, int flags) const;
  FileStatus begin_named_upload(Upload* out) const;
  void remove_stale_temporaries() const;

  FileHandle root_fd_;
  std::string root_;  // as given
  bool use_openat2_ = true;
  bool use_tmpfile_ = true;  // try O_TMPFILE first (each upload falls back on its own)
};

// Temporary files of uploads are named kUploadPrefix + "<pid>-<counter>"; requests may not
// name anything starting with the prefix.
inline constexpr std::string_view kUploadPrefix = ".httpfsm-upload-";

// The one rule for the name of a stored file: the /files/{name} segment of an upload and
// (for the forms issue) a multipart filename. Control characters (C0, DEL) would end up in
// directory listings, logs and terminals (a CR LF splits a log line); a name longer than
// NAME_MAX cannot exist.
enum class NameProblem : std::uint8_t {
  none,
  empty,
  too_long,           // over NAME_MAX (255) bytes
  control_character,  // 0x00-0x1F or 0x7F
  separator,          // "/" or "\\"
  dot_segment,        // "." or ".."
  reserved,           // starts with kUploadPrefix
};
NameProblem check_upload_name(std::string_view name) noexcept;
// One line for a 400's body ("the file name holds a control character"); "" for none.
std::string_view name_problem_reason(NameProblem problem) noexcept;

}  // namespace httpfsm::server
