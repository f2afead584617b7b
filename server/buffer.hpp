// Byte buffers for connections: a window [begin, end) over storage that grows only when a
// message needs it and is given back when the connection goes idle, so an idle keep-alive
// connection holds no buffer at all. Blocks up to 128 KiB come from a per-worker pool, so the
// steady state of a busy connection (take a block, read, answer, give it back) never calls
// malloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace httpfsm::server {

// Free lists of blocks by power-of-two size, 4 KiB to 128 KiB, each list holding at most
// kBytesPerClass. One per worker thread; not thread-safe. Larger blocks are not pooled.
class BufferPool {
 public:
  static constexpr std::size_t kBlockSize = 4096;  // the smallest, and the usual, size
  static constexpr std::size_t kClasses = 6;       // 4, 8, 16, 32, 64, 128 KiB
  static constexpr std::size_t kBytesPerClass = 2u << 20;

  BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  ~BufferPool();

  // A block of exactly `size` bytes (a power of two >= kBlockSize).
  char* acquire(std::size_t size);
  void release(char* block, std::size_t size) noexcept;
  // Blocks held, all sizes together.
  std::size_t pooled() const noexcept;

 private:
  static int size_class(std::size_t size) noexcept;
  std::vector<char*> free_[kClasses];
};

class ByteBuffer {
 public:
  explicit ByteBuffer(BufferPool* pool = nullptr) noexcept : pool_(pool) {}
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ~ByteBuffer() { release(); }

  const char* data() const noexcept { return storage_ + begin_; }
  char* data() noexcept { return storage_ + begin_; }
  std::size_t size() const noexcept { return end_ - begin_; }
  bool empty() const noexcept { return end_ == begin_; }
  std::span<const char> bytes() const noexcept { return {data(), size()}; }
  std::string_view view() const noexcept { return {data(), size()}; }
  std::size_t capacity() const noexcept { return capacity_; }

  // Free space after the contents, at least `min` bytes: moves the contents to the front
  // or grows the storage (doubling) when needed. Pointers into the buffer become invalid.
  std::span<char> space(std::size_t min = 1);
  // Marks `n` bytes written into space() as contents.
  void commit(std::size_t n) noexcept { end_ += n; }
  void append(std::string_view s);
  // Room for `n` bytes at the end, already committed; the caller fills them.
  char* append_uninitialized(std::size_t n);
  // Drops `n` bytes from the front.
  void consume(std::size_t n) noexcept;
  // Removes `n` bytes starting `at` bytes into the contents (a consumed body after a kept head).
  void erase(std::size_t at, std::size_t n) noexcept;
  // Drops everything past the first `n` bytes.
  void truncate(std::size_t n) noexcept { end_ = begin_ + n; }
  void clear() noexcept { begin_ = end_ = 0; }
  // Drops the contents and gives the storage back (to the pool).
  void release() noexcept;

 private:
  void reserve_total(std::size_t total);

  BufferPool* pool_;
  char* storage_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace httpfsm::server
