#include "file_cache.hpp"

#include <unistd.h>

#include <cerrno>
#include <functional>

#include "file_io.hpp"
#include "response.hpp"

namespace httpfsm::server {

namespace {

bool same_time(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

// Reads the whole file into `out`; false if it is shorter than `size` now.
bool read_whole(int fd, std::size_t size, std::vector<char>& out) {
  out.resize(size);
  return read_range(fd, 0, {out.data(), size});
}

}  // namespace

bool FileCache::same_file(const Entry& e, const struct stat& st) noexcept {
  return S_ISREG(st.st_mode) && st.st_dev == e.device && st.st_ino == e.inode &&
         st.st_size == e.size && same_time(st.st_mtim, e.mtime) && same_time(st.st_ctim, e.ctime);
}

void FileCache::serve(Entry& e, OpenedFile* out) noexcept {
  e.checked_turn = turn_;
  ++hits_;
  out->fd.reset();
  out->content = {e.bytes.data(), static_cast<std::size_t>(e.size)};
  out->size = static_cast<std::uint64_t>(e.size);
  out->mtime_seconds = e.mtime.tv_sec;
  out->mtime_nanoseconds = e.mtime.tv_nsec;
  out->directory = false;
  out->validators = &e.validators;
}

FileStatus FileCache::open(const FileStore& store, std::string_view relative, OpenedFile* out) {
  if (!FileStore::is_safe_relative_path(relative)) return FileStatus::forbidden;
  const std::size_t h =
      std::hash<std::string_view>{}(relative) ^ reinterpret_cast<std::uintptr_t>(&store);
  Entry& e = entries_[h % kSlots];
  const bool mine = e.store == &store && e.path == relative;
  if (mine) {
    if (turn_ != 0 && e.checked_turn == turn_) {
      serve(e, out);
      return FileStatus::ok;
    }
    struct stat st {};
    ++stats_;
    if (store.stat_file(relative, &st) && same_file(e, st)) {
      serve(e, out);
      return FileStatus::ok;
    }
  }
  // A miss, or the file changed: open it the safe way.
  OpenedFile f;
  const FileStatus status = store.open_file(relative, &f);
  if (status != FileStatus::ok || f.directory || f.size > kInlineFileMax) {
    if (mine) e.store = nullptr;
    *out = std::move(f);
    return status;
  }
  struct stat st {};
  if (::fstat(f.fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      !read_whole(f.fd.get(), static_cast<std::size_t>(st.st_size), e.bytes)) {
    e.store = nullptr;
    *out = std::move(f);  // served from the descriptor as before
    return status;
  }
  e.store = &store;
  e.path.assign(relative);
  e.device = st.st_dev;
  e.inode = st.st_ino;
  e.size = st.st_size;
  e.mtime = st.st_mtim;
  e.ctime = st.st_ctim;
  e.validators = FileValidators::of(static_cast<std::uint64_t>(st.st_size), st.st_mtim.tv_sec,
                                    st.st_mtim.tv_nsec);
  serve(e, out);
  --hits_;  // a fill, not a hit
  return FileStatus::ok;
}

void FileCache::invalidate() noexcept {
  for (Entry& e : entries_) e.store = nullptr;
}

}  // namespace httpfsm::server
