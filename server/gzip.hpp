// gzip content coding (RFC 9110 §8.4.1.3) with zlib, for whole bodies. One encoder per
// worker: the deflate state (about 256 KiB) is allocated once and reset between bodies, and
// the output buffer keeps its capacity, so compressing a response allocates nothing once warm.
//
// Policy: bodies are compressed whole, so the response carries the Content-Length of the
// compressed bytes (as clients of the classic contract expect) rather than chunked framing.
// Files larger than kMaxGzipSource are sent as they are: compressing them would hold the
// event loop and the memory for too long.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace httpfsm::server {

inline constexpr std::uint64_t kMaxGzipSource = 1 << 20;

class GzipEncoder {
 public:
  explicit GzipEncoder(int level = 6);
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;
  ~GzipEncoder();

  // The gzip member of `input`, valid until the next call. Empty on failure.
  std::string_view compress(std::string_view input);

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::vector<char> out_;
};

// Whether a Content-Type is worth compressing: text, JSON, JavaScript, XML, SVG, wasm.
bool is_compressible_type(std::string_view content_type) noexcept;

}  // namespace httpfsm::server
