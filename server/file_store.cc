#include "file_store.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace httpfsm::server {

namespace {

FileStatus status_from_errno(int e) {
  switch (e) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
      return FileStatus::not_found;
    case EXDEV:  // openat2 RESOLVE_BENEATH: the path left the root
    case ELOOP:  // too many links, or O_NOFOLLOW met one
    case EACCES:
    case EPERM:
      return FileStatus::forbidden;
    case EISDIR:
      return FileStatus::is_directory;
    default:
      return FileStatus::error;
  }
}

std::string_view strip_leading_slash(std::string_view p) {
  while (!p.empty() && p.front() == '/') p.remove_prefix(1);
  return p;
}

}  // namespace

FileStore FileStore::open(const std::string& root, std::string* error) {
  FileStore s;
  FileHandle fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    *error = root + ": " + std::strerror(errno);
    return s;
  }
  char real[PATH_MAX];
  if (::realpath(root.c_str(), real) == nullptr) {
    *error = root + ": " + std::strerror(errno);
    return s;
  }
  s.root_fd_ = std::move(fd);
  s.root_ = root;
  s.real_root_ = real;
  return s;
}

bool FileStore::is_safe_relative_path(std::string_view p) noexcept {
  p = strip_leading_slash(p);
  if (p.empty()) return true;  // the root itself
  if (p.size() >= PATH_MAX) return false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= p.size(); ++i) {
    if (i < p.size()) {
      const char c = p[i];
      if (c == '\0' || c == '\\') return false;
      if (c != '/') continue;
    }
    const std::string_view seg = p.substr(start, i - start);
    // A trailing "/" (a directory) leaves one empty last segment, which is fine.
    if (seg.empty() && i != p.size()) return false;
    if (seg == "." || seg == "..") return false;
    if (seg.substr(0, kUploadPrefix.size()) == kUploadPrefix) return false;
    start = i + 1;
  }
  return true;
}

int FileStore::open_beneath(std::string_view relative, int flags) const {
  std::string_view rel = strip_leading_slash(relative);
  char path[PATH_MAX];
  if (rel.size() + 1 >= sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (rel.empty()) rel = ".";
  std::memcpy(path, rel.data(), rel.size());
  path[rel.size()] = '\0';

  if (use_openat2_) {
    open_how how{};
    how.flags = static_cast<__u64>(static_cast<unsigned>(flags | O_CLOEXEC));
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (;;) {
      const long fd = ::syscall(SYS_openat2, root_fd_.get(), path, &how, sizeof how);
      if (fd >= 0) return static_cast<int>(fd);
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno != ENOSYS && errno != EPERM) return -1;
      break;  // no openat2 here (or a seccomp filter hides it): fall back
    }
  }
  // Fallback: resolve every symlink, then check the result is still under the root.
  std::string full = root_ + "/" + path;
  char real[PATH_MAX];
  if (::realpath(full.c_str(), real) == nullptr) return -1;
  const std::string_view r(real);
  const bool inside = r == real_root_ || (r.size() > real_root_.size() &&
                                          r.substr(0, real_root_.size()) == real_root_ &&
                                          (real_root_ == "/" || r[real_root_.size()] == '/'));
  if (!inside) {
    errno = EXDEV;
    return -1;
  }
  // O_NOFOLLOW: the resolved path has no symlink left unless one was swapped in since.
  return ::open(real, flags | O_CLOEXEC | O_NOFOLLOW);
}

FileStatus FileStore::open_file(std::string_view relative, OpenedFile* out) const {
  if (!is_safe_relative_path(relative)) return FileStatus::forbidden;
  FileHandle fd(open_beneath(relative, O_RDONLY | O_NONBLOCK));
  if (!fd) return status_from_errno(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return status_from_errno(errno);
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return FileStatus::forbidden;  // fifos, devices
  out->directory = S_ISDIR(st.st_mode);
  out->size = static_cast<std::uint64_t>(st.st_size);
  out->mtime_seconds = st.st_mtim.tv_sec;
  out->mtime_nanoseconds = st.st_mtim.tv_nsec;
  out->fd = std::move(fd);
  return FileStatus::ok;
}

bool FileStore::stat_file(std::string_view relative, struct stat* out) const {
  std::string_view rel = strip_leading_slash(relative);
  char path[PATH_MAX];
  if (rel.size() + 1 >= sizeof path) {
    errno = ENAMETOOLONG;
    return false;
  }
  if (rel.empty()) rel = ".";
  std::memcpy(path, rel.data(), rel.size());
  path[rel.size()] = '\0';
  return ::fstatat(root_fd_.get(), path, out, 0) == 0;
}

FileValidators FileValidators::of(std::uint64_t size, std::int64_t mtime_seconds,
                                  std::int64_t mtime_nanoseconds) noexcept {
  FileValidators v;
  // "\"<mtime seconds hex>.<nanoseconds hex>-<size hex>\"", formatted without printf.
  char* p = v.etag_.data();
  *p++ = '"';
  p = std::to_chars(p, p + 16, static_cast<std::uint64_t>(mtime_seconds), 16).ptr;
  *p++ = '.';
  p = std::to_chars(p, p + 16, static_cast<std::uint64_t>(mtime_nanoseconds), 16).ptr;
  *p++ = '-';
  p = std::to_chars(p, p + 16, size, 16).ptr;
  *p++ = '"';
  v.etag_size_ = static_cast<std::size_t>(p - v.etag_.data());
  format_http_date(mtime_seconds, std::span<char, kHttpDateSize>(v.last_modified_));
  return v;
}

FileStatus FileStore::begin_upload(std::string_view name, Upload* out) const {
  out->abort();
  out->replaced_ = false;
  if (name.empty() || name.find('/') != std::string_view::npos || !is_safe_relative_path(name)) {
    return FileStatus::forbidden;
  }
  if (name.size() > NAME_MAX - kUploadPrefix.size() - 12) return FileStatus::not_found;
  // The target must not be a directory or something else we would not serve back.
  struct stat st {};
  const std::string final_name(name);
  if (::fstatat(root_fd_.get(), final_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISDIR(st.st_mode)) return FileStatus::is_directory;
    if (!S_ISREG(st.st_mode)) return FileStatus::forbidden;  // a symlink or a special file
    out->replaced_ = true;
  } else if (errno != ENOENT) {
    return status_from_errno(errno);
  }
  static std::atomic<std::uint64_t> counter{0};
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
    char suffix[40];
    std::snprintf(suffix, sizeof suffix, "%d-%llu", static_cast<int>(::getpid()),
                  static_cast<unsigned long long>(n));
    std::string temp = std::string(kUploadPrefix) + suffix;
    const int fd = ::openat(root_fd_.get(), temp.c_str(),
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return status_from_errno(errno);
    }
    out->dir_fd_ = root_fd_.get();
    out->fd_.reset(fd);
    out->temp_name_ = std::move(temp);
    out->final_name_ = final_name;
    out->bytes_ = 0;
    return FileStatus::ok;
  }
  return FileStatus::error;
}

bool Upload::write(std::string_view data) noexcept {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      abort();
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    bytes_ += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool Upload::commit() noexcept {
  if (!active()) return false;
  // Durable before visible: the data reaches the disk before the name points at it.
  if (::fsync(fd_.get()) != 0 ||
      ::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, final_name_.c_str()) != 0) {
    abort();
    return false;
  }
  fd_.reset();
  temp_name_.clear();
  ::fsync(dir_fd_);  // the rename itself (best effort: some file systems refuse it)
  return true;
}

void Upload::abort() noexcept {
  if (!fd_.valid()) return;
  fd_.reset();
  ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
  temp_name_.clear();
}

}  // namespace httpfsm::server
