#include "output_queue.hpp"

#include <algorithm>

namespace httpfsm::server {

void OutputQueue::append_file(FileHandle file, std::uint64_t offset, std::uint64_t length) {
  if (length == 0) return;
  files_.push_back(FileSegment{std::move(file), offset, length, appended()});
  if (file_counter_ != nullptr) ++*file_counter_;
}

std::span<const char> OutputQueue::next_bytes() const noexcept {
  std::size_t n = bytes_.size();
  if (first_file_ < files_.size()) {
    n = static_cast<std::size_t>(
        std::min<std::uint64_t>(n, files_[first_file_].position - consumed_));
  }
  return {bytes_.data(), n};
}

FileSegment* OutputQueue::next_file() noexcept {
  if (first_file_ == files_.size() || files_[first_file_].position != consumed_) return nullptr;
  return &files_[first_file_];
}

void OutputQueue::consume_bytes(std::size_t n) noexcept {
  bytes_.consume(n);
  consumed_ += n;
  sent_ += n;
}

void OutputQueue::consume_file(std::uint64_t n) noexcept {
  FileSegment& f = files_[first_file_];
  f.offset += n;
  f.length -= n;
  sent_ += n;
  if (f.length > 0) return;
  f.file.reset();
  if (file_counter_ != nullptr) --*file_counter_;
  if (++first_file_ == files_.size()) {
    files_.clear();  // keeps the capacity: no allocation for the next file
    first_file_ = 0;
  }
}

void OutputQueue::clear() noexcept {
  consumed_ += bytes_.size();
  bytes_.clear();
  if (file_counter_ != nullptr) *file_counter_ -= files_.size() - first_file_;
  files_.clear();
  first_file_ = 0;
}

void OutputQueue::release_if_empty() noexcept {
  if (bytes_.empty()) bytes_.release();
}

}  // namespace httpfsm::server
