#include "gzip.hpp"

#include <zlib.h>

namespace httpfsm::server {

struct GzipEncoder::State {
  z_stream z{};
  bool ready = false;
};

GzipEncoder::GzipEncoder(int level) : state_(std::make_unique<State>()) {
  // windowBits 15 + 16: a gzip wrapper rather than zlib's (RFC 1952).
  state_->ready =
      deflateInit2(&state_->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

GzipEncoder::~GzipEncoder() {
  if (state_->ready) deflateEnd(&state_->z);
}

std::string_view GzipEncoder::compress(std::string_view input) {
  if (!state_->ready) return {};
  z_stream& z = state_->z;
  if (deflateReset(&z) != Z_OK) return {};
  const uLong bound = deflateBound(&z, static_cast<uLong>(input.size()));
  if (out_.size() < bound) out_.resize(bound);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(out_.data());
  z.avail_out = static_cast<uInt>(out_.size());
  // deflateBound guarantees one Z_FINISH call suffices.
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) return {};
  return {out_.data(), static_cast<std::size_t>(z.total_out)};
}

bool is_compressible_type(std::string_view t) noexcept {
  const std::size_t semicolon = t.find(';');
  if (semicolon != std::string_view::npos) t = t.substr(0, semicolon);
  if (t.substr(0, 5) == "text/") return true;
  return t == "application/json" || t == "application/javascript" || t == "application/xml" ||
         t == "image/svg+xml" || t == "application/wasm" || t == "application/manifest+json";
}

}  // namespace httpfsm::server
