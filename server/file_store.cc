#include "file_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

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

// When this process started (near enough: static initialisation). A temporary named with our
// own PID but older than this was left by an earlier process that had the same PID.
const timespec g_process_start = [] {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return t;
}();

// kUploadPrefix + "<pid>-<counter>", the counter shared by every store of the process.
std::string temporary_name() {
  static std::atomic<std::uint64_t> counter{0};
  const std::uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
  char suffix[48];
  std::snprintf(suffix, sizeof suffix, "%d-%llu", static_cast<int>(::getpid()),
                static_cast<unsigned long long>(n));
  return std::string(kUploadPrefix) + suffix;
}

// Gives the unnamed (O_TMPFILE) file `fd` the name `name` in `dir_fd`. linkat(AT_EMPTY_PATH)
// needs CAP_DAC_READ_SEARCH; without it, linking the /proc/self/fd entry does the same.
int link_unnamed(int fd, int dir_fd, const char* name) {
  if (::linkat(fd, "", dir_fd, name, AT_EMPTY_PATH) == 0) return 0;
  if (errno == EEXIST) return -1;
  char proc[64];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  return ::linkat(AT_FDCWD, proc, dir_fd, name, AT_SYMLINK_FOLLOW);
}

// The PID of a name the server makes (kUploadPrefix + "<pid>-<digits>"), or -1.
pid_t temporary_pid(std::string_view name) {
  if (name.substr(0, kUploadPrefix.size()) != kUploadPrefix) return -1;
  name.remove_prefix(kUploadPrefix.size());
  const std::size_t dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 == name.size()) return -1;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (i != dash && (name[i] < '0' || name[i] > '9')) return -1;
  }
  int pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + dash, pid);
  if (ec != std::errc{} || end != name.data() + dash || pid <= 0) return -1;
  return static_cast<pid_t>(pid);
}

}  // namespace

NameProblem check_upload_name(std::string_view name) noexcept {
  if (name.empty()) return NameProblem::empty;
  if (name.size() > NAME_MAX) return NameProblem::too_long;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return NameProblem::control_character;
  }
  for (const char c : name) {
    if (c == '/' || c == '\\') return NameProblem::separator;
  }
  if (name == "." || name == "..") return NameProblem::dot_segment;
  if (name.substr(0, kUploadPrefix.size()) == kUploadPrefix) return NameProblem::reserved;
  return NameProblem::none;
}

std::string_view name_problem_reason(NameProblem problem) noexcept {
  switch (problem) {
    case NameProblem::none:
      return "";
    case NameProblem::empty:
      return "the file name is empty";
    case NameProblem::too_long:
      return "the file name is longer than 255 bytes (NAME_MAX)";
    case NameProblem::control_character:
      return "the file name holds a control character";
    case NameProblem::separator:
      return "the file name holds a path separator";
    case NameProblem::dot_segment:
      return "the file name is a dot segment";
    case NameProblem::reserved:
      return "the file name is reserved for the server's temporary files";
  }
  return "";
}

FileStore FileStore::open(const std::string& root, std::string* error) {
  FileStore s;
  FileHandle fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    *error = root + ": " + std::strerror(errno);
    return s;
  }
  s.root_fd_ = std::move(fd);
  s.root_ = root;
  // Test hook (see force_named_temporary_for_testing).
  if (const char* v = std::getenv("HTTPFSM_TEST_NAMED_TEMPORARY"); v != nullptr && *v == '1') {
    s.use_tmpfile_ = false;
  }
  if (s.use_tmpfile_) {
    // Uploads need both halves: an unnamed file (the file system's O_TMPFILE), and a way to
    // name it at commit (linkat through /proc/self/fd; AT_EMPTY_PATH needs a capability).
    // Without either, named temporaries from the start. The probe leaves no trace in the
    // directory: an unnamed file is freed when closed.
    const FileHandle probe(::openat(s.root_fd_.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
    s.use_tmpfile_ = probe.valid() && ::access("/proc/self/fd", X_OK) == 0;
  }
  s.remove_stale_temporaries();
  return s;
}

void FileStore::remove_stale_temporaries() const {
  // Only names the server makes, and only those of a process that is gone: another server
  // sharing the directory keeps its uploads in progress.
  FileHandle dir(::openat(root_fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return;
  DIR* d = ::fdopendir(dir.get());
  if (d == nullptr) return;
  dir.release();  // closedir closes it
  std::vector<std::string> stale;
  while (const dirent* e = ::readdir(d)) {
    const pid_t pid = temporary_pid(e->d_name);
    if (pid < 0) continue;
    if (pid == ::getpid()) {
      struct stat st {};
      if (::fstatat(root_fd_.get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      // A second's margin for file systems with coarse timestamps.
      if (st.st_mtim.tv_sec + 1 >= g_process_start.tv_sec) continue;  // ours, in progress
    } else if (::kill(pid, 0) == 0 || errno != ESRCH) {
      continue;  // alive (or not ours to signal: EPERM means it exists)
    }
    stale.emplace_back(e->d_name);
  }
  ::closedir(d);
  for (const std::string& name : stale) ::unlinkat(root_fd_.get(), name.c_str(), 0);
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
  return walk_beneath(rel, flags);
}

int FileStore::walk_beneath(std::string_view rel, int flags) const {
  // What openat2(RESOLVE_BENEATH) does, one component at a time: each step opens the next
  // component relative to the directory the previous step opened, with O_NOFOLLOW, so a
  // symlink is seen (and expanded here) rather than followed by the kernel, and a component
  // swapped for a symlink after its step cannot redirect the walk.
  std::vector<std::string> todo;  // components still to resolve, the next one last
  const auto push_path = [&todo](std::string_view p) {
    // A trailing "/" requires a directory, as in the kernel's own lookup: a "." after the
    // last name makes that name a middle component, opened with O_DIRECTORY.
    if (!p.empty() && p.back() == '/') todo.emplace_back(".");
    while (!p.empty()) {
      const std::size_t slash = p.rfind('/');
      const std::string_view seg = slash == std::string_view::npos ? p : p.substr(slash + 1);
      // "." stays: it makes the name before it a middle component (a directory), as
      // "file/." is ENOTDIR for the kernel too.
      if (!seg.empty()) todo.emplace_back(seg);
      if (slash == std::string_view::npos) break;
      p = p.substr(0, slash);
    }
  };
  const int final_flags = flags | O_CLOEXEC;
  push_path(rel);
  std::vector<FileHandle> dirs;  // the directories walked into, below the root
  int links = 0;
  while (!todo.empty()) {
    const std::string name = std::move(todo.back());
    todo.pop_back();
    if (name == ".") continue;  // the name before it was opened as a directory
    if (name == "..") {
      if (dirs.empty()) {
        errno = EXDEV;  // above the root, as RESOLVE_BENEATH answers
        return -1;
      }
      dirs.pop_back();
      continue;
    }
    const int at = dirs.empty() ? root_fd_.get() : dirs.back().get();
    const bool last = todo.empty();
    const int fd = ::openat(at, name.c_str(),
                            (last ? final_flags : O_PATH | O_DIRECTORY | O_CLOEXEC) | O_NOFOLLOW);
    if (fd >= 0) {
      if (last) return fd;
      dirs.emplace_back(fd);
      continue;
    }
    // O_NOFOLLOW met a symlink: ELOOP, or ENOTDIR where O_PATH | O_DIRECTORY opened the link.
    const int open_errno = errno;
    if (open_errno != ELOOP && open_errno != ENOTDIR) return -1;
    char target[PATH_MAX];
    const ssize_t n = ::readlinkat(at, name.c_str(), target, sizeof target);
    if (n < 0) {
      errno = open_errno;  // not a symlink after all: the open's answer stands
      return -1;
    }
    if (static_cast<std::size_t>(n) >= sizeof target || ++links > 40) {  // 40: MAXSYMLINKS
      errno = ELOOP;
      return -1;
    }
    if (target[0] == '/') {
      errno = EXDEV;  // RESOLVE_BENEATH refuses every absolute symlink, even one inside
      return -1;
    }
    push_path({target, static_cast<std::size_t>(n)});
  }
  // The path ended in "/", "..", a link to "." or was the root itself: the directory reached.
  return ::openat(dirs.empty() ? root_fd_.get() : dirs.back().get(), ".", final_flags);
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
  switch (check_upload_name(name)) {
    case NameProblem::none:
      break;
    case NameProblem::too_long:
    case NameProblem::control_character:
      return FileStatus::bad_name;
    case NameProblem::empty:
    case NameProblem::separator:
    case NameProblem::dot_segment:
    case NameProblem::reserved:
      return FileStatus::forbidden;
  }
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
  out->dir_fd_ = root_fd_.get();
  out->final_name_ = final_name;
  out->bytes_ = 0;
  if (use_tmpfile_) {
    // Unnamed until commit: a crash leaves nothing behind (the kernel frees it).
    const int fd = ::openat(root_fd_.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) {
      out->fd_.reset(fd);
      out->temp_name_.clear();
      return FileStatus::ok;
    }
    // EOPNOTSUPP: the file system has no O_TMPFILE; EISDIR: the kernel predates it.
    if (errno != EOPNOTSUPP && errno != EISDIR) return status_from_errno(errno);
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string temp = temporary_name();
    const int fd = ::openat(root_fd_.get(), temp.c_str(),
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return status_from_errno(errno);
    }
    out->fd_.reset(fd);
    out->temp_name_ = std::move(temp);
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

bool Upload::commit(Publish mode) noexcept {
  if (!active()) return false;
  const auto fail = [this] {
    const int saved = errno;
    abort();
    errno = saved;
    return false;
  };
  // Durable before visible: the data reaches the disk before the name points at it.
  if (::fsync(fd_.get()) != 0) return fail();
  if (mode == Publish::create_only) {
    // linkat never replaces: EEXIST when the name is taken, atomically. An O_TMPFILE upload
    // is linked straight under its name; a named temporary is linked, then its name removed.
    const int linked = temp_name_.empty()
                           ? link_unnamed(fd_.get(), dir_fd_, final_name_.c_str())
                           : ::linkat(dir_fd_, temp_name_.c_str(), dir_fd_, final_name_.c_str(), 0);
    if (linked != 0) return fail();
    if (!temp_name_.empty()) ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
  } else {
    if (temp_name_.empty()) {
      // An O_TMPFILE upload: link it under a temporary name, then rename that over the target
      // like a named upload (linkat cannot replace an existing file). A crash between the two
      // leaves a named temporary, which the next start removes.
      bool linked = false;
      for (int attempt = 0; attempt < 8 && !linked; ++attempt) {
        std::string temp = temporary_name();
        if (link_unnamed(fd_.get(), dir_fd_, temp.c_str()) == 0) {
          temp_name_ = std::move(temp);
          linked = true;
        } else if (errno != EEXIST) {
          break;
        }
      }
      if (!linked) return fail();
    }
    if (::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, final_name_.c_str()) != 0) return fail();
  }
  fd_.reset();
  temp_name_.clear();
  ::fsync(dir_fd_);  // the new name itself (best effort: some file systems refuse it)
  return true;
}

void Upload::abort() noexcept {
  if (!fd_.valid()) return;
  fd_.reset();
  if (!temp_name_.empty()) ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
  temp_name_.clear();
}

}  // namespace httpfsm::server
