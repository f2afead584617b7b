#include "buffer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace httpfsm::server {

BufferPool::BufferPool() {
  // Invariant: every list has room for its whole budget, so release() never allocates.
  for (std::size_t c = 0; c < kClasses; ++c) free_[c].reserve(kBytesPerClass / (kBlockSize << c));
}

BufferPool::~BufferPool() {
  for (auto& list : free_) {
    for (char* b : list) delete[] b;
  }
}

int BufferPool::size_class(std::size_t size) noexcept {
  for (std::size_t c = 0; c < kClasses; ++c) {
    if (size == kBlockSize << c) return static_cast<int>(c);
  }
  return -1;
}

char* BufferPool::acquire(std::size_t size) {
  const int c = size_class(size);
  if (c < 0 || free_[c].empty()) return new char[size];
  char* b = free_[c].back();
  free_[c].pop_back();
  return b;
}

void BufferPool::release(char* block, std::size_t size) noexcept {
  const int c = size_class(size);
  if (c >= 0 && free_[c].size() < free_[c].capacity()) {
    free_[c].push_back(block);
  } else {
    delete[] block;
  }
}

std::size_t BufferPool::pooled() const noexcept {
  std::size_t n = 0;
  for (const auto& list : free_) n += list.size();
  return n;
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
  char* fresh = pool_ != nullptr ? pool_->acquire(cap) : new char[cap];
  const std::size_t used = size();
  if (used > 0) std::memcpy(fresh, storage_ + begin_, used);
  char* old = storage_;
  const std::size_t old_cap = capacity_;
  storage_ = fresh;
  capacity_ = cap;
  begin_ = 0;
  end_ = used;
  if (old != nullptr) {
    if (pool_ != nullptr) {
      pool_->release(old, old_cap);
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
  if (pool_ != nullptr) {
    pool_->release(storage_, capacity_);
  } else {
    delete[] storage_;
  }
  storage_ = nullptr;
  capacity_ = begin_ = end_ = 0;
}

}  // namespace httpfsm::server
