// Root-confined file access for /files and /static (the only code that opens request paths).
//
// A relative path from a request is refused before any system call if it holds a NUL, a
// backslash, an empty, "." or ".." segment, or a segment naming an upload in progress. It is
// then opened relative to the root's descriptor with openat2(RESOLVE_BENEATH), so the kernel
// refuses any resolution, through ".." or a symlink, that leaves the root; symlinks that stay
// inside are followed. Where openat2 is missing (Linux < 5.6, some sandboxes) the fallback
// resolves the path with realpath() and checks it is still under the root's real path.
//
// Uploads are written to a temporary file in the target's directory, then fsync'd and
// renamed over the target (atomic on POSIX file systems): a reader sees the old file or the
// whole new one, never a part. An upload that is not committed removes its temporary file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "file_handle.hpp"

namespace httpfsm::server {

enum class FileStatus : std::uint8_t {
  ok,
  not_found,     // missing (or a path component is not a directory)
  forbidden,     // refused: unsafe path, outside the root, or no permission
  is_directory,  // for uploads: the target is a directory
  error,         // anything else (I/O error, out of descriptors): 500
};

struct OpenedFile {
  FileHandle fd;
  std::uint64_t size = 0;
  std::int64_t mtime_seconds = 0;
  std::int64_t mtime_nanoseconds = 0;
  bool directory = false;
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
  // fsync, rename over the target, fsync the directory. False on error (aborted).
  bool commit() noexcept;
  // Removes the temporary file. Safe to call at any time.
  void abort() noexcept;
  std::uint64_t bytes() const noexcept { return bytes_; }
  bool replaced() const noexcept { return replaced_; }

 private:
  friend class FileStore;
  int dir_fd_ = -1;  // the store's root, borrowed
  FileHandle fd_;
  std::string temp_name_;
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
  // Starts an upload to `name` (one path segment: no "/").
  FileStatus begin_upload(std::string_view name, Upload* out) const;

  // Refuses NUL, backslash, empty, "." and ".." segments and upload temporaries.
  static bool is_safe_relative_path(std::string_view relative) noexcept;
  // For tests: use the realpath() fallback even where openat2 exists.
  void force_fallback_for_testing() { use_openat2_ = false; }

 private:
  int open_beneath(std::string_view relative, int flags) const;

  FileHandle root_fd_;
  std::string root_;       // as given
  std::string real_root_;  // realpath(root), for the fallback check
  bool use_openat2_ = true;
};

// Temporary files of uploads start with this; requests may not name them.
inline constexpr std::string_view kUploadPrefix = ".httpfsm-upload-";

}  // namespace httpfsm::server
