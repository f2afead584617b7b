// Reads the leading bytes of a fuzz input as parameters (limits, split points, modes) and
// leaves the rest as the message bytes. Reading past the end yields zeros, so every input is
// usable and libFuzzer can grow the parameters and the payload independently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace httpfsm::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  std::uint8_t byte() noexcept {
    if (pos_ == size_) return 0;
    return static_cast<std::uint8_t>(data_[pos_++]);
  }
  std::uint16_t u16() noexcept {
    const auto hi = static_cast<unsigned>(byte());
    return static_cast<std::uint16_t>((hi << 8) | byte());
  }
  // A value in [lo, hi] taken from one byte.
  std::uint32_t in_range(std::uint32_t lo, std::uint32_t hi) noexcept {
    return lo + byte() % (hi - lo + 1);
  }
  // Everything not read yet.
  std::string_view rest() noexcept {
    const std::string_view r(data_ + pos_, size_ - pos_);
    pos_ = size_;
    return r;
  }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace httpfsm::fuzz
