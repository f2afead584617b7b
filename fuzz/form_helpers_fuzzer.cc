// form_helpers_fuzzer: the form helpers around a request, each against a reference written
// here from its specification, and against the properties their headers promise.
//   decode_form, FormReader, find_form_value   WHATWG URL §5.1, as modelled below
//   CookieReader, find_cookie                  RFC 6265 §5.2 split, as modelled below
//   parse_content_disposition                  views inside the value or the scratch buffer;
//                                              filename* results are UTF-8; never more
//                                              scratch than the value's size
//   write_set_cookie                           no CTL, ";" or "," inside the pair; what it
//                                              writes reads back (CookieReader) as name=value
//   multipart_boundary                         a boundary it returns is accepted by start()
// Every output buffer is a heap allocation of exactly the size given, so a write past it
// faults.
// Input layout: [options: 1] [scratch size: 2] payload; the payload is the urlencoded input,
// the Cookie value, the Content-Disposition and Content-Type values, and, split at its first
// two NULs, a Set-Cookie name, value and path.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "httpfsm/content_disposition.hpp"
#include "httpfsm/cookie.hpp"
#include "httpfsm/multipart.hpp"
#include "httpfsm/set_cookie.hpp"
#include "httpfsm/urlencoded.hpp"

namespace httpfsm::fuzz {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

class OutBuffer {
 public:
  explicit OutBuffer(std::size_t size) : data_(new char[size == 0 ? 1 : size]), size_(size) {}
  std::span<char> span() { return {data_.get(), size_}; }
  bool contains(std::string_view v) const {
    return v.empty() || (v.data() >= data_.get() && v.data() + v.size() <= data_.get() + size_);
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

bool inside(std::string_view outer, std::string_view v) {
  return v.empty() ||
         (v.data() >= outer.data() && v.data() + v.size() <= outer.data() + outer.size());
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// WHATWG URL §5.1 application/x-www-form-urlencoded parsing, step by step (bytes kept).
std::string reference_decode(std::string_view s) {
  std::string plus;
  for (char c : s) plus += c == '+' ? ' ' : c;
  std::string out;
  for (std::size_t i = 0; i < plus.size(); ++i) {
    if (plus[i] == '%' && i + 2 < plus.size() && hex(plus[i + 1]) >= 0 && hex(plus[i + 2]) >= 0) {
      out += static_cast<char>(hex(plus[i + 1]) * 16 + hex(plus[i + 2]));
      i += 2;
    } else {
      out += plus[i];
    }
  }
  return out;
}
Pairs reference_form(std::string_view input) {
  Pairs out;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t amp = input.find('&', start);
    if (amp == std::string_view::npos) amp = input.size();
    const std::string_view piece = input.substr(start, amp - start);
    start = amp + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    const std::string_view name = eq == std::string_view::npos ? piece : piece.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : piece.substr(eq + 1);
    out.emplace_back(reference_decode(name), reference_decode(value));
  }
  return out;
}

void check_urlencoded(std::string_view input) {
  const Pairs expected = reference_form(input);
  OutBuffer buffer(input.size());
  std::vector<FormPair> pairs(expected.size() + 1);
  const FormDecodeResult r = decode_form(input, buffer.span(), pairs);
  HTTPFSM_FUZZ_CHECK(r.complete && r.count == expected.size());
  for (std::size_t i = 0; i < r.count; ++i) {
    HTTPFSM_FUZZ_CHECK(buffer.contains(pairs[i].name) && buffer.contains(pairs[i].value));
    HTTPFSM_FUZZ_CHECK(pairs[i].name == expected[i].first && pairs[i].value == expected[i].second);
  }
  if (!expected.empty()) {
    OutBuffer value(input.size());
    const auto found = find_form_value(input, expected.back().first, value.span());
    std::size_t first = 0;
    while (expected[first].first != expected.back().first) ++first;
    HTTPFSM_FUZZ_CHECK(found && *found == expected[first].second);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void check_cookie(std::string_view input) {
  Pairs expected;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t semi = input.find(';', start);
    if (semi == std::string_view::npos) semi = input.size();
    const std::string_view piece = trim(input.substr(start, semi - start));
    start = semi + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      expected.emplace_back("", std::string(piece));
    } else {
      expected.emplace_back(std::string(trim(piece.substr(0, eq))),
                            std::string(trim(piece.substr(eq + 1))));
    }
  }
  CookieReader reader(input);
  CookiePair p;
  std::size_t i = 0;
  while (reader.next(p)) {
    HTTPFSM_FUZZ_CHECK(i < expected.size());
    HTTPFSM_FUZZ_CHECK(inside(input, p.name) && inside(input, p.value));
    HTTPFSM_FUZZ_CHECK(p.name == expected[i].first && p.value == expected[i].second);
    ++i;
  }
  HTTPFSM_FUZZ_CHECK(i == expected.size());
  if (!expected.empty()) {
    const auto found = find_cookie(input, expected.back().first);
    std::size_t first = 0;
    while (expected[first].first != expected.back().first) ++first;
    HTTPFSM_FUZZ_CHECK(found && *found == expected[first].second);
  }
}

bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

void check_disposition(std::string_view value, std::size_t scratch_size) {
  OutBuffer scratch(scratch_size);
  const ContentDispositionResult r = parse_content_disposition(value, scratch.span());
  if (scratch_size >= value.size()) {
    HTTPFSM_FUZZ_CHECK(r.error != MultipartError::buffer_too_small);
  }
  if (r.error != MultipartError::none) return;
  const ContentDisposition& d = r.disposition;
  HTTPFSM_FUZZ_CHECK(inside(value, d.type) && !d.type.empty());
  HTTPFSM_FUZZ_CHECK(inside(value, d.name) || scratch.contains(d.name));
  HTTPFSM_FUZZ_CHECK(inside(value, d.filename) || scratch.contains(d.filename));
  if (d.filename_from_ext) HTTPFSM_FUZZ_CHECK(is_utf8(d.filename));
  const ContentDispositionResult f = parse_form_data_disposition(value, scratch.span());
  HTTPFSM_FUZZ_CHECK(f.error == MultipartError::none || f.error == MultipartError::missing_name ||
                     f.error == MultipartError::not_form_data_part);
}

void check_content_type(std::string_view value) {
  const MultipartBoundary b = multipart_boundary(value);
  if (b.error != MultipartError::none) return;
  HTTPFSM_FUZZ_CHECK(inside(value, b.boundary));
  MultipartParser parser;
  HTTPFSM_FUZZ_CHECK(parser.start(b.boundary) == MultipartError::none);
}

void check_set_cookie(std::string_view name, std::string_view value, std::string_view path,
                      std::uint8_t options, std::size_t out_size) {
  SetCookie c;
  c.name = name;
  c.value = value;
  c.path = path;
  c.secure = options & 1;
  c.http_only = options & 2;
  c.same_site = static_cast<SameSite>((options >> 2) & 3);
  if (options & 16) c.max_age = static_cast<std::int64_t>(options) - 100;
  if (options & 32) c.expires = static_cast<std::int64_t>(options) * 86400 * 365;
  OutBuffer out(out_size);
  const SetCookieResult r = write_set_cookie(c, out.span());
  if (r.error == SetCookieError::buffer_too_small) {
    HTTPFSM_FUZZ_CHECK(out_size < set_cookie_size_bound(c));
  }
  if (r.error != SetCookieError::none) return;
  const std::string_view written(out.span().data(), r.size);
  for (char ch : written) {
    const auto u = static_cast<unsigned char>(ch);
    HTTPFSM_FUZZ_CHECK(u >= 0x20 && u < 0x7f, "control or non-ASCII byte written");
  }
  // The cookie-pair reads back exactly, and it holds no "," (no folding ambiguity).
  CookieReader reader(written.substr(0, written.find(';')));
  CookiePair p;
  HTTPFSM_FUZZ_CHECK(reader.next(p) && p.name == name && p.value == value);
  HTTPFSM_FUZZ_CHECK(written.substr(0, written.find(';')).find(',') == std::string_view::npos);
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const std::uint8_t options = in.byte();
  const std::size_t scratch_size = in.u16() % 512;
  const std::string payload(in.rest());
  check_urlencoded(payload);
  check_cookie(payload);
  check_disposition(payload, scratch_size);
  check_content_type(payload);
  const std::size_t nul1 = payload.find('\0');
  const std::size_t nul2 = nul1 == std::string::npos ? nul1 : payload.find('\0', nul1 + 1);
  const std::string_view p(payload);
  const std::string_view name = p.substr(0, nul1);
  const std::string_view value =
      nul1 == std::string::npos ? std::string_view{} : p.substr(nul1 + 1, nul2 - nul1 - 1);
  const std::string_view path = nul2 == std::string::npos ? std::string_view{} : p.substr(nul2 + 1);
  check_set_cookie(name, value, path, options, scratch_size);
  return 0;
}
