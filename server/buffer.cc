#include "buffer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace httpfsm::server {

BufferPool::~BufferPool() {
  for (char* b : free_) delete[] b;
}

char* BufferPool::acquire() {
  if (free_.empty()) return new char[kBlockSize];
  char* b = free_.back();
  free_.pop_back();
  return b;
}

void BufferPool::release(char* block) noexcept {
  // Invariant: free_ has capacity for max_pooled_ blocks (reserved up front), so this
  // push_back never allocates.
  if (free_.size() < max_pooled_) {
    free_.push_back(block);
  } else {
    delete[] block;
  }
}

std::span<char> ByteBuffer::space(std::size_t min) {
  if (capacity_ - end_ < min) {
    const std::size_t used = size();
    if (capacity_ - used >= min && storage_ != nullptr) {
      std::memmove(storage_, storage_ + begin_, used);  // compact: the front was consumed
      begin_ = 0;
      end_ = used;
    } else {
      reserve_total(used + min);
    }
  }
  return {storage_ + end_, capacity_ - end_};
}

void ByteBuffer::reserve_total(std::size_t total) {
  const std::size_t cap = std::max(BufferPool::kBlockSize, std::bit_ceil(total));
  char* fresh =
      (cap == BufferPool::kBlockSize && pool_ != nullptr) ? pool_->acquire() : new char[cap];
  const std::size_t used = size();
  if (used > 0) std::memcpy(fresh, storage_ + begin_, used);
  char* old = storage_;
  const std::size_t old_cap = capacity_;
  storage_ = fresh;
  capacity_ = cap;
  begin_ = 0;
  end_ = used;
  if (old != nullptr) {
    if (old_cap == BufferPool::kBlockSize && pool_ != nullptr) {
      pool_->release(old);
    } else {
      delete[] old;
    }
  }
}

void ByteBuffer::append(std::string_view s) {
  if (s.empty()) return;
  std::memcpy(append_uninitialized(s.size()), s.data(), s.size());
}

char* ByteBuffer::append_uninitialized(std::size_t n) {
  char* p = space(n).data();
  end_ += n;
  return p;
}

void ByteBuffer::consume(std::size_t n) noexcept {
  begin_ += std::min(n, size());
  if (begin_ == end_) begin_ = end_ = 0;
}

void ByteBuffer::erase(std::size_t at, std::size_t n) noexcept {
  if (at >= size() || n == 0) return;
  n = std::min(n, size() - at);
  char* p = storage_ + begin_ + at;
  std::memmove(p, p + n, size() - at - n);
  end_ -= n;
}

void ByteBuffer::release() noexcept {
  if (storage_ == nullptr) return;
  if (capacity_ == BufferPool::kBlockSize && pool_ != nullptr) {
    pool_->release(storage_);
  } else {
    delete[] storage_;
  }
  storage_ = nullptr;
  capacity_ = begin_ = end_ = 0;
}

}  // namespace httpfsm::server
