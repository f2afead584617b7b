// Reads the leading bytes of a fuzz input as parameters (limits, split points, modes) and
// leaves the rest as the message bytes. Reading past the end yields zeros, so every input is
// usable and libFuzzer can grow the parameters and the payload independently.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace httpfsm::fuzz {

// Where to split the payload into pieces: read before the payload, whose size is known only
// after it, so kept raw until at(size) resolves them.
class SplitPoints {
 public:
  // Offsets in [0, size], sorted, each once.
  std::vector<std::size_t> at(std::size_t size) const {
    std::vector<std::size_t> cuts;
    cuts.reserve(raw_.size());
    for (std::uint16_t c : raw_) cuts.push_back(c % (size + 1));
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
  }

 private:
  friend class FuzzInput;
  std::vector<std::uint16_t> raw_;
};

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
  // One byte for the count (below `max_count`), then two bytes per point.
  SplitPoints split_points(std::size_t max_count) {
    SplitPoints points;
    const std::size_t count = byte() % max_count;
    for (std::size_t i = 0; i < count; ++i) points.raw_.push_back(u16());
    return points;
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
