// Small files served from memory: one cache per worker of the bytes of files up to
// kInlineFileMax, with what identifies the version read and its validators. A hit replaces
// open + fstat + pread + close (four system calls per request) with nothing, or with one
// stat once per event-loop turn.
//
// Freshness: an entry is trusted only after a stat of its path finds the very file it was
// read from (same device, inode, size, modification and change times). The worker calls
// begin_turn() once per event-loop turn, and an entry checked during the current turn is
// trusted without another stat (h2o's file cache keeps its entries for one turn too): a
// file replaced during a turn is seen from the next one. Before the first begin_turn()
// (tests driving a Connection directly) every lookup stats. An upload committed by this
// worker drops every entry (invalidate()), so its own next request sees the new file.
//
// Safety: entries are filled only through FileStore::open_file, which refuses paths that
// leave the root. The revalidating stat follows the path without that check, but an entry is
// used only when the stat finds the inode that was opened safely, so nothing from outside
// the root can be served.
//
// Bounded: kSlots entries, direct-mapped by a hash of the path (a colliding file evicts the
// other), so at most kSlots x kInlineFileMax bytes per worker, allocated only on a miss.
#pragma once

#include <sys/stat.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "file_store.hpp"

namespace httpfsm::server {

class FileCache {
 public:
  static constexpr std::size_t kSlots = 64;

  FileCache() = default;
  FileCache(const FileCache&) = delete;
  FileCache& operator=(const FileCache&) = delete;

  // As FileStore::open_file, but a regular file of at most kInlineFileMax bytes comes back
  // in memory (out->content, out->validators; no descriptor), valid until the next call.
  // Anything else (directories, larger files, a read that came up short) comes back open.
  FileStatus open(const FileStore& store, std::string_view relative, OpenedFile* out);
  // A new event-loop turn: entries must be stat()ed again before use.
  void begin_turn() noexcept { ++turn_; }
  // Forgets every entry (this worker changed a file).
  void invalidate() noexcept;

  // For tests: lookups answered from memory, and stat() calls made to revalidate.
  std::uint64_t hits() const noexcept { return hits_; }
  std::uint64_t stats() const noexcept { return stats_; }

 private:
  struct Entry {
    const FileStore* store = nullptr;  // null: empty slot
    std::string path;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec mtime{};
    timespec ctime{};
    std::uint64_t checked_turn = 0;
    std::vector<char> bytes;
    FileValidators validators;
  };
  static bool same_file(const Entry& e, const struct stat& st) noexcept;
  void serve(Entry& e, OpenedFile* out) noexcept;

  std::array<Entry, kSlots> entries_;
  std::uint64_t turn_ = 0;  // 0: no turns, every lookup stats
  std::uint64_t hits_ = 0;
  std::uint64_t stats_ = 0;
};

}  // namespace httpfsm::server
