// Path helpers: RFC 3986 §6.2.2 normalisation and §5.2.4 dot-segment removal over a caller's
// buffer, then full decoding for file-system use. See path.hpp for the contract.
#include "httpfsm/path.hpp"

#include <cstdint>
#include <cstring>

#include "char_class.hpp"

namespace httpfsm {

namespace {

using detail::hex_value;
using detail::is_hexdig;

constexpr char kHexUpper[] = "0123456789ABCDEF";

// RFC 3986 §2.3 unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
bool is_unreserved(unsigned c) {
  return detail::is_alpha(c) || detail::is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string_view path_error_name(PathError e) noexcept {
  switch (e) {
    case PathError::none:
      return "none";
    case PathError::not_absolute:
      return "not_absolute";
    case PathError::bad_percent:
      return "bad_percent";
    case PathError::encoded_nul:
      return "encoded_nul";
    case PathError::encoded_slash:
      return "encoded_slash";
    case PathError::above_root:
      return "above_root";
    case PathError::too_long:
      return "too_long";
  }
  return "none";
}

TargetParts split_target(std::string_view target) noexcept {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}, false};
  return {target.substr(0, q), target.substr(q + 1), true};
}

PathResult normalize_path(std::string_view path, std::span<char> out,
                          const PathOptions& options) noexcept {
  if (path.empty() || path[0] != '/') return {PathError::not_absolute, 0};
  // Invariant: out[0, len) is "/seg/seg..." for the segments kept so far; no segment written
  // there is "." or "..". Each step writes at most as many bytes as it reads, so the output
  // never outgrows the input.
  std::size_t len = 0;
  bool trailing_slash = false;  // the last segment was a dot segment: "/a/." -> "/a/"
  const auto put = [&](char c) {
    if (len == out.size()) return false;
    out[len++] = c;
    return true;
  };
  std::size_t i = 1;
  for (;;) {
    std::size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    if (!put('/')) return {PathError::too_long, 0};
    const std::size_t seg = len;
    for (std::size_t k = i; k < end; ++k) {
      const auto c = static_cast<unsigned char>(path[k]);
      if (c != '%') {
        if (!put(static_cast<char>(c))) return {PathError::too_long, 0};
        continue;
      }
      if (k + 2 >= end || !is_hexdig(static_cast<unsigned char>(path[k + 1])) ||
          !is_hexdig(static_cast<unsigned char>(path[k + 2]))) {
        return {PathError::bad_percent, 0};
      }
      const unsigned v = hex_value(static_cast<unsigned char>(path[k + 1])) * 16 +
                         hex_value(static_cast<unsigned char>(path[k + 2]));
      k += 2;
      if (is_unreserved(v)) {  // §6.2.2.2: decode what never needed encoding
        if (!put(static_cast<char>(v))) return {PathError::too_long, 0};
      } else if (!put('%') || !put(kHexUpper[v >> 4]) || !put(kHexUpper[v & 15])) {
        return {PathError::too_long, 0};
      }
    }
    const std::string_view segment(out.data() + seg, len - seg);
    if (segment == ".") {
      len = seg - 1;
      trailing_slash = true;
    } else if (segment == "..") {
      len = seg - 1;  // drop "/.."
      if (len == 0) {
        if (options.reject_above_root) return {PathError::above_root, 0};
      } else {
        while (out[len - 1] != '/') --len;  // drop the previous segment...
        --len;                              // ...and its "/"
      }
      trailing_slash = true;
    } else {
      trailing_slash = false;
    }
    if (end == path.size()) break;
    i = end + 1;
  }
  // Room is certain: a dot segment removed at least two bytes, and "/" alone is one byte.
  if (trailing_slash || len == 0) out[len++] = '/';
  return {PathError::none, len};
}

PathResult decode_path(std::string_view path, std::span<char> out,
                       const PathOptions& options) noexcept {
  // The common path ("/static/app.js") has no "%" and no segment starting with ".": nothing
  // to decode or remove, so the output is the input. One pass decides; anything else takes
  // the general way below.
  if (!path.empty() && path[0] == '/') {
    bool plain = true;
    for (std::size_t k = 1; k < path.size() && plain; ++k) {
      plain = path[k] != '%' && (path[k] != '.' || path[k - 1] != '/');
    }
    if (plain) {
      if (path.size() > out.size()) return {PathError::too_long, 0};
      std::memcpy(out.data(), path.data(), path.size());
      return {PathError::none, path.size()};
    }
  }
  PathResult r = normalize_path(path, out, options);
  if (r.error != PathError::none) return r;
  // Decode in place: the write position never passes the read position. Every "%" left by
  // normalize_path is a valid triplet with upper-case hex.
  std::size_t w = 0;
  for (std::size_t k = 0; k < r.length; ++k) {
    if (out[k] != '%') {
      out[w++] = out[k];
      continue;
    }
    const auto v = static_cast<char>(hex_value(static_cast<unsigned char>(out[k + 1])) * 16 +
                                     hex_value(static_cast<unsigned char>(out[k + 2])));
    if (v == '/') {
      if (options.reject_encoded_slash) return {PathError::encoded_slash, 0};
      out[w++] = '%';
      out[w++] = '2';
      out[w++] = 'F';
    } else if (v == '\0' && options.reject_encoded_nul) {
      return {PathError::encoded_nul, 0};
    } else {
      out[w++] = v;
    }
    k += 2;
  }
  return {PathError::none, w};
}

std::size_t percent_decode(std::string_view in, std::span<char> out) noexcept {
  std::size_t w = 0;
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (w == out.size()) return SIZE_MAX;
    if (in[k] != '%') {
      out[w++] = in[k];
      continue;
    }
    if (k + 2 >= in.size() || !is_hexdig(static_cast<unsigned char>(in[k + 1])) ||
        !is_hexdig(static_cast<unsigned char>(in[k + 2]))) {
      return SIZE_MAX;
    }
    out[w++] = static_cast<char>(hex_value(static_cast<unsigned char>(in[k + 1])) * 16 +
                                 hex_value(static_cast<unsigned char>(in[k + 2])));
    k += 2;
  }
  return w;
}

}  // namespace httpfsm
