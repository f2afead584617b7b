// Properties of the path helpers (src/include/httpfsm/path.hpp): percent-decoding inverts
// any percent-encoding, normalisation agrees with a direct reading of RFC 3986 §6.2.2 and
// §5.2.4, is idempotent and never climbs above the root, and short buffers fail cleanly.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "httpfsm/head_parser.hpp"
#include "httpfsm/path.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"

namespace httpfsm {
namespace {

using testing::escape;
namespace model = testing::gen;

constexpr std::string_view kHex = "0123456789ABCDEF";

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
// RFC 3986 §3.3 pchar, less pct-encoded.
bool is_pchar(unsigned char c) {
  return is_unreserved(c) ||
         std::string_view("!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string triplet(unsigned char c, bool lower) {
  std::string t{'%', kHex[c >> 4], kHex[c & 15]};
  if (lower) {
    for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return t;
}

// Percent-encodes `bytes` (RFC 3986 §2.1): bytes `must` rejects are encoded, the others
// now and then, with hex digits in either case.
std::string encode(std::string_view bytes, bool (*literal_ok)(unsigned char)) {
  const auto choices = *rc::gen::container<std::vector<int>>(bytes.size(), rc::gen::inRange(0, 4));
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (literal_ok(c) && choices[i] < 2) {
      out += static_cast<char>(c);
    } else {
      out += triplet(c, choices[i] == 3);
    }
  }
  return out;
}

// An exactly sized heap buffer: a write past its end faults under ASan.
struct Out {
  explicit Out(std::size_t n) : data(new char[n == 0 ? 1 : n]), size(n) {}
  std::span<char> span() { return {data.get(), size}; }
  std::string text(std::size_t n) const { return {data.get(), n}; }
  std::unique_ptr<char[]> data;
  std::size_t size;
};

struct Normalized {
  PathError error = PathError::none;
  std::string path;
  friend bool operator==(const Normalized&, const Normalized&) = default;
};
void showValue(const Normalized& n, std::ostream& os) {
  os << path_error_name(n.error) << " \"" << escape(n.path) << "\"";
}

using PathFunction = PathResult (*)(std::string_view, std::span<char>, const PathOptions&);

Normalized run(PathFunction f, std::string_view path, const PathOptions& o = {},
               std::size_t room = SIZE_MAX) {
  Out out(room == SIZE_MAX ? path.size() : room);  // path.size() is documented to suffice
  const PathResult r = f(path, out.span(), o);
  if (r.error != PathError::none) return {r.error, ""};
  RC_ASSERT(r.length <= out.size);
  return {PathError::none, out.text(r.length)};
}

// RFC 3986 §6.2.2 and §5.2.4 read directly: split into segments, normalise each segment's
// percent-encodings (decode unreserved, upper-case the rest), then walk the segments with
// a stack, "." staying and ".." popping; a path ending in a dot segment ends with "/".
Normalized reference_normalize(std::string_view path, bool reject_above_root) {
  if (path.empty() || path[0] != '/') return {PathError::not_absolute, ""};
  std::vector<std::string> kept;
  bool trailing_slash = false;
  std::size_t start = 1;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    const std::string_view raw = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string seg;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '%') {
        seg += raw[i];
        continue;
      }
      if (i + 2 >= raw.size()) return {PathError::bad_percent, ""};
      const std::string hex(raw.substr(i + 1, 2));
      if (!std::isxdigit(static_cast<unsigned char>(hex[0])) ||
          !std::isxdigit(static_cast<unsigned char>(hex[1]))) {
        return {PathError::bad_percent, ""};
      }
      const auto v = static_cast<unsigned char>(std::stoi(hex, nullptr, 16));
      seg += is_unreserved(v) ? std::string(1, static_cast<char>(v)) : triplet(v, false);
      i += 2;
    }
    if (seg == ".") {
      trailing_slash = true;
    } else if (seg == "..") {
      if (kept.empty()) {
        if (reject_above_root) return {PathError::above_root, ""};
      } else {
        kept.pop_back();
      }
      trailing_slash = true;
    } else {
      kept.push_back(seg);
      trailing_slash = false;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const std::string& s : kept) out += "/" + s;
  if (trailing_slash || out.empty()) out += "/";
  return {PathError::none, out};
}

std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> segs;
  std::size_t start = 1;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    segs.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) return segs;
    start = slash + 1;
  }
}

// Paths to normalise: origin-form paths from the grammar (dot segments and encoded dots
// included), now and then with arbitrary bytes or a stray "%" spliced in.
rc::Gen<std::string> any_path() {
  return rc::gen::weightedOneOf<std::string>(
      {{6, model::absolute_path()},
       {1, rc::gen::map(
               rc::gen::pair(model::absolute_path(),
                             rc::gen::container<std::string>(rc::gen::arbitrary<char>())),
               [](const std::pair<std::string, std::string>& p) { return p.first + p.second; })},
       {1, rc::gen::map(model::absolute_path(), [](std::string p) { return p + "%"; })},
       {1, rc::gen::container<std::string>(rc::gen::arbitrary<char>())}});
}

// ---------------------------------------------------------------------------------------

RC_GTEST_PROP(PathProperty, percent_decoding_inverts_any_encoding, (const std::string& bytes)) {
  const std::string encoded = encode(bytes, [](unsigned char c) { return c != '%'; });
  // The decoded length is documented to suffice; so is the encoded length.
  Out exact(bytes.size());
  RC_ASSERT(percent_decode(encoded, exact.span()) == bytes.size());
  RC_ASSERT(exact.text(bytes.size()) == bytes);
  Out roomy(encoded.size());
  RC_ASSERT(percent_decode(encoded, roomy.span()) == bytes.size());
  if (!bytes.empty()) {
    Out short_by_one(bytes.size() - 1);
    RC_ASSERT(percent_decode(encoded, short_by_one.span()) == SIZE_MAX);
  }
}

RC_GTEST_PROP(PathProperty, decoding_the_encoding_of_any_path_gives_back_the_path, ()) {
  // A path of segments of any bytes but "/" and NUL (which decode_path refuses encoded),
  // none of them a dot segment (which normalisation removes).
  const auto segment = rc::gen::suchThat(
      rc::gen::resize(30,
                      rc::gen::container<std::string>(rc::gen::suchThat(
                          rc::gen::arbitrary<char>(), [](char c) { return c != '/' && c != 0; }))),
      [](const std::string& s) { return s != "." && s != ".."; });
  const auto segments = *rc::gen::resize(
      20, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(segment)));
  std::string path;
  std::string encoded;
  for (const std::string& s : segments) {
    path += "/" + s;
    encoded += "/" + encode(s, is_pchar);
  }
  RC_LOG() << "encoded: " << encoded << "\n";
  // The encoding is a valid origin-form target: the parser takes it as sent.
  Limits roomy;
  roomy.max_target = 1 << 20;
  roomy.max_head = 1 << 20;
  const testing::HeadOutcome o =
      testing::parse_whole("GET " + encoded + " HTTP/1.1\r\nHost: a\r\n\r\n", roomy);
  RC_ASSERT(o.progress == Progress::complete);
  // decode_path gives the path back; so does percent-decoding its normal form.
  RC_ASSERT(run(decode_path, encoded) == (Normalized{PathError::none, path}));
  const Normalized normal = run(normalize_path, encoded);
  RC_ASSERT(normal.error == PathError::none);
  Out decoded(normal.path.size());
  const std::size_t n = percent_decode(normal.path, decoded.span());
  RC_ASSERT(n != SIZE_MAX);
  RC_ASSERT(decoded.text(n) == path);
}

RC_GTEST_PROP(PathProperty, normalization_agrees_with_rfc3986_reference, ()) {
  const std::string path = *any_path();
  PathOptions clamp;
  clamp.reject_above_root = false;
  RC_ASSERT(run(normalize_path, path) == reference_normalize(path, true));
  RC_ASSERT(run(normalize_path, path, clamp) == reference_normalize(path, false));
}

RC_GTEST_PROP(PathProperty, normalization_is_idempotent_and_never_above_the_root, ()) {
  const std::string path = *any_path();
  PathOptions clamp;
  clamp.reject_above_root = false;
  for (const PathOptions& o : {PathOptions{}, clamp}) {
    for (PathFunction f : {&normalize_path, &decode_path}) {
      const Normalized r = run(f, path, o);
      if (r.error != PathError::none) continue;
      // Absolute, and no segment that could climb: the result is inside the root.
      RC_ASSERT(r.path.starts_with("/"));
      for (const std::string& seg : segments_of(r.path)) {
        RC_ASSERT(seg != ".");
        RC_ASSERT(seg != "..");
      }
      if (f == &normalize_path) {
        RC_ASSERT(run(normalize_path, r.path, o) == r);
      }
    }
  }
}

RC_GTEST_PROP(PathProperty, any_buffer_size_gives_the_result_or_too_long, ()) {
  const std::string path = *any_path();
  for (PathFunction f : {&normalize_path, &decode_path}) {
    const Normalized full = run(f, path);  // with path.size() bytes, documented to suffice
    RC_ASSERT(full.error != PathError::too_long);
    const auto room = *rc::gen::inRange<std::size_t>(0, path.size() + 2);
    const Normalized r = run(f, path, {}, room);  // exactly sized: no write past it (ASan)
    // Never a partial or different result: the same outcome, or too_long when the buffer is
    // shorter than the path (the functions work in it), and never when it is not.
    if (room >= path.size()) {
      RC_ASSERT(r == full);
    } else if (full.error != PathError::none) {
      RC_ASSERT(r.error == full.error || r.error == PathError::too_long);
    } else {
      RC_ASSERT(r == full || r.error == PathError::too_long);
      if (room < full.path.size()) RC_ASSERT(r.error == PathError::too_long);
    }
  }
}

}  // namespace
}  // namespace httpfsm
