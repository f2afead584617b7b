// What a connection has to send, in order: bytes (response heads and small bodies, all in
// one buffer so pipelined responses leave in one send) and file ranges (large bodies, sent
// with sendfile). A file range sits at a position of the byte stream: it goes out after every
// byte appended before it and before every byte appended after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "buffer.hpp"
#include "httpfsm/server/file_handle.hpp"

namespace httpfsm::server {

struct FileSegment {
  FileHandle file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;    // bytes still to send
  std::uint64_t position = 0;  // stream position: bytes appended before it
};

class OutputQueue {
 public:
  explicit OutputQueue(BufferPool* pool = nullptr) : bytes_(pool) {}
  OutputQueue(const OutputQueue&) = delete;
  OutputQueue& operator=(const OutputQueue&) = delete;
  ~OutputQueue() { clear(); }
  // Keeps *counter equal to the open files this queue holds, added to whatever else counts
  // there (the worker's descriptor budget, Context::queued_files). Before any file is appended.
  void count_files_in(std::size_t* counter) noexcept { file_counter_ = counter; }

  // Appending. Bytes go to the end of the stream; so does a file range.
  ByteBuffer& buffer() noexcept { return bytes_; }
  void append(std::string_view s) { bytes_.append(s); }
  void append_file(FileHandle file, std::uint64_t offset, std::uint64_t length);
  // Stream position of the end of everything appended so far.
  std::uint64_t appended() const noexcept { return consumed_ + bytes_.size(); }

  // Sending. Either bytes are due (next_bytes() not empty) or a file range is, or nothing.
  std::span<const char> next_bytes() const noexcept;
  FileSegment* next_file() noexcept;
  // True when a file range follows the bytes of next_bytes() (send them with MSG_MORE).
  bool file_follows() const noexcept { return first_file_ < files_.size(); }
  void consume_bytes(std::size_t n) noexcept;
  // Advances the file range returned by next_file() by `n` sent bytes.
  void consume_file(std::uint64_t n) noexcept;

  // Bytes sent so far (consume_bytes and consume_file together), for the least send rate.
  std::uint64_t sent() const noexcept { return sent_; }
  bool empty() const noexcept { return bytes_.empty() && first_file_ == files_.size(); }
  std::size_t pending_bytes() const noexcept { return bytes_.size(); }
  std::size_t pending_files() const noexcept { return files_.size() - first_file_; }
  // Drops everything (a connection that is closing abortively); closes the files.
  void clear() noexcept;
  // Gives back the buffer storage once everything was sent.
  void release_if_empty() noexcept;

 private:
  ByteBuffer bytes_;
  std::uint64_t consumed_ = 0;  // stream position of bytes_.data()
  std::vector<FileSegment> files_;
  std::size_t first_file_ = 0;
  std::size_t* file_counter_ = nullptr;
  std::uint64_t sent_ = 0;
};

}  // namespace httpfsm::server
