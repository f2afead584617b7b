// helpers_fuzzer: the pure helpers around a parsed request, each against a small reference
// model written here from its RFC, and against the properties their headers promise.
//   split_target       path and query put back together give the target (RFC 3986 §3.4)
//   normalize_path     RFC 3986 §6.2.2 + §5.2.4: starts with "/", no "." or ".." segment,
//                      never above the root, idempotent, equal to the reference
//   decode_path        the normalised path decoded: no dot segment, no new "/", as modelled
//   percent_decode     RFC 3986 §2.1, as modelled
//   negotiate_encoding RFC 9110 §12.5.3: one of the offered codings, identity or nullopt, as
//                      the reference model decides; the head-based overload agrees
//   format_http_date / parse_http_date   RFC 9110 §5.6.7: formatting parses back; a date
//                      that parses is, written as IMF-fixdate, the same instant
//   ResponseWriter, write_chunk_header   no response splitting: invalid names, values and
//                      reasons fail the writer; what it writes reads back line by line
//   select_subprotocol RFC 6455 §4.2.2: empty, or a token the client offered (a view into its
//                      Sec-WebSocket-Protocol lines) that the server supports, the first in
//                      the client's order, as the reference model decides
// Every output buffer is a heap allocation of exactly the size given, so a write past it
// faults; buffers smaller than the contract's must be refused, never overrun.
//
// Input layout: [options] [available codings] [time: 8] [status: 2] [buffer size: 2] payload.
// The payload is the path (and the percent-decoding input); split at LF, the Accept-Encoding
// values and the Sec-WebSocket-Protocol lines (the server supports those of kSubprotocols
// that the codings byte picks); as a whole, an HTTP-date; its first line split at ":", a response
// field.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "http_syntax.hpp"
#include "httpfsm/accept_encoding.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/http_date.hpp"
#include "httpfsm/path.hpp"
#include "httpfsm/response_writer.hpp"
#include "httpfsm/websocket_handshake.hpp"
#include "request_stream.hpp"

namespace httpfsm::fuzz {
namespace {

class OutBuffer {
 public:
  explicit OutBuffer(std::size_t size) : data_(new char[size == 0 ? 1 : size]), size_(size) {}
  std::span<char> span() { return {data_.get(), size_}; }
  std::string_view view(std::size_t n) const { return {data_.get(), n}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

// ---- paths -------------------------------------------------------------------------------

bool is_unreserved(unsigned char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const std::size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

struct ReferencePath {
  PathError error = PathError::none;
  std::string path;
};

// RFC 3986 §6.2.2.1 and §6.2.2.2 on one segment: decode the percent-encodings of unreserved
// characters, upper-case the hex digits of the others. nullopt on a malformed "%".
std::optional<std::string> normalize_segment(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !is_hexdig(static_cast<unsigned char>(s[i + 1])) ||
        !is_hexdig(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    const auto v = static_cast<unsigned char>(hex_value(static_cast<unsigned char>(s[i + 1])) * 16 +
                                              hex_value(static_cast<unsigned char>(s[i + 2])));
    if (is_unreserved(v)) {
      out += static_cast<char>(v);
    } else {
      out += '%';
      out += kHex[v >> 4];
      out += kHex[v & 15];
    }
    i += 2;
  }
  return out;
}

// RFC 3986 §5.2.4 remove_dot_segments over the normalised segments of an absolute path.
ReferencePath reference_normalize(std::string_view path, const PathOptions& options) {
  if (path.empty() || path[0] != '/') return {PathError::not_absolute, {}};
  std::vector<std::string> kept;
  bool dot_last = false;  // the last segment was "." or "..": the output ends with "/"
  for (std::string_view raw : split(path.substr(1), '/')) {
    const auto seg = normalize_segment(raw);
    if (!seg) return {PathError::bad_percent, {}};
    dot_last = *seg == "." || *seg == "..";
    if (*seg == "..") {
      if (kept.empty()) {
        if (options.reject_above_root) return {PathError::above_root, {}};
      } else {
        kept.pop_back();
      }
    } else if (*seg != ".") {
      kept.push_back(*seg);
    }
  }
  std::string out = "/";
  for (std::size_t i = 0; i < kept.size(); ++i) out += (i == 0 ? "" : "/") + kept[i];
  if (dot_last && !kept.empty()) out += '/';
  return {PathError::none, out};
}

ReferencePath reference_decode(std::string_view path, const PathOptions& options) {
  ReferencePath r = reference_normalize(path, options);
  if (r.error != PathError::none) return r;
  std::string out;
  for (std::size_t i = 0; i < r.path.size(); ++i) {
    if (r.path[i] != '%') {
      out += r.path[i];
      continue;
    }
    const auto v = static_cast<char>(hex_value(static_cast<unsigned char>(r.path[i + 1])) * 16 +
                                     hex_value(static_cast<unsigned char>(r.path[i + 2])));
    if (v == '/') {
      if (options.reject_encoded_slash) return {PathError::encoded_slash, {}};
      out += "%2F";
    } else if (v == '\0' && options.reject_encoded_nul) {
      return {PathError::encoded_nul, {}};
    } else {
      out += v;
    }
    i += 2;
  }
  return {PathError::none, out};
}

bool has_dot_segment(std::string_view path) {
  for (std::string_view seg : split(path, '/')) {
    if (seg == "." || seg == "..") return true;
  }
  return false;
}

using PathFunction = PathResult (*)(std::string_view, std::span<char>, const PathOptions&);

// Runs `f` with an output of exactly `size` bytes.
std::pair<PathResult, std::string> run_path(PathFunction f, std::string_view path, std::size_t size,
                                            const PathOptions& options) {
  OutBuffer out(size);
  const PathResult r = f(path, out.span(), options);
  HTTPFSM_FUZZ_CHECK(r.error != PathError::none || r.length <= size);
  return {r, std::string(r.error == PathError::none ? out.view(r.length) : std::string_view{})};
}

void check_paths(std::string_view path, const PathOptions& options) {
  const auto ctx = [&] { return std::string("path: \"" + escape(path) + "\""); };
  HTTPFSM_FUZZ_CHECK(!path_error_name(PathError::above_root).empty());

  // normalize_path: out.size() >= path.size() always suffices.
  const auto [n, normal] = run_path(normalize_path, path, path.size(), options);
  const ReferencePath expected = reference_normalize(path, options);
  HTTPFSM_FUZZ_CHECK(n.error == expected.error && normal == expected.path,
                     ctx() + "\nnormalize_path: " + std::string(path_error_name(n.error)) + " \"" +
                         escape(normal) +
                         "\"\nreference: " + std::string(path_error_name(expected.error)) + " \"" +
                         escape(expected.path) + "\"");
  if (n.error == PathError::none) {
    HTTPFSM_FUZZ_CHECK(!normal.empty() && normal[0] == '/' && !has_dot_segment(normal), ctx());
    // Idempotent, with clamping or not (a normal path never climbs).
    const auto [again, again_path] = run_path(normalize_path, normal, normal.size(), options);
    HTTPFSM_FUZZ_CHECK(again.error == PathError::none && again_path == normal, ctx());
    // A buffer that cannot hold the result is refused; one that can may still be refused
    // (dot segments are written before they are removed), but never gets another answer.
    if (!normal.empty()) {
      const auto [tight, tight_path] = run_path(normalize_path, path, normal.size() - 1, options);
      HTTPFSM_FUZZ_CHECK(tight.error == PathError::too_long, ctx());
    }
    const auto [exact, exact_path] = run_path(normalize_path, path, normal.size(), options);
    HTTPFSM_FUZZ_CHECK(exact.error == PathError::too_long ||
                           (exact.error == PathError::none && exact_path == normal),
                       ctx());
  }

  // decode_path
  const auto [d, decoded] = run_path(decode_path, path, path.size(), options);
  const ReferencePath expected_decoded = reference_decode(path, options);
  HTTPFSM_FUZZ_CHECK(d.error == expected_decoded.error && decoded == expected_decoded.path,
                     ctx() + "\ndecode_path: " + std::string(path_error_name(d.error)) + " \"" +
                         escape(decoded) +
                         "\"\nreference: " + std::string(path_error_name(expected_decoded.error)) +
                         " \"" + escape(expected_decoded.path) + "\"");
  if (d.error == PathError::none) {
    // Decoding made no dot segment and no segment boundary.
    HTTPFSM_FUZZ_CHECK(!decoded.empty() && decoded[0] == '/' && !has_dot_segment(decoded), ctx());
    HTTPFSM_FUZZ_CHECK(std::count(decoded.begin(), decoded.end(), '/') ==
                           std::count(normal.begin(), normal.end(), '/'),
                       ctx());
  }
}

// ---- percent_decode ----------------------------------------------------------------------

std::optional<std::string> reference_percent_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || !is_hexdig(static_cast<unsigned char>(in[i + 1])) ||
        !is_hexdig(static_cast<unsigned char>(in[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(hex_value(static_cast<unsigned char>(in[i + 1])) * 16 +
                             hex_value(static_cast<unsigned char>(in[i + 2])));
    i += 2;
  }
  return out;
}

void check_percent_decode(std::string_view in) {
  const auto ctx = [&] { return std::string("input: \"" + escape(in) + "\""); };
  const auto expected = reference_percent_decode(in);
  OutBuffer out(in.size());
  const std::size_t n = percent_decode(in, out.span());
  if (!expected) {
    HTTPFSM_FUZZ_CHECK(n == SIZE_MAX, ctx());
    return;
  }
  HTTPFSM_FUZZ_CHECK(n == expected->size() && out.view(n) == *expected, ctx());
  OutBuffer exact(n);
  HTTPFSM_FUZZ_CHECK(percent_decode(in, exact.span()) == n && exact.view(n) == *expected, ctx());
  if (n > 0) {
    OutBuffer small(n - 1);
    HTTPFSM_FUZZ_CHECK(percent_decode(in, small.span()) == SIZE_MAX, ctx());
  }
}

// ---- Accept-Encoding ---------------------------------------------------------------------

// RFC 9110 §12.4.2 qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
// thousandths.
std::optional<int> reference_qvalue(std::string_view v) {
  if (v.empty() || v.size() > 5) return std::nullopt;
  if (v[0] != '0' && v[0] != '1') return std::nullopt;
  if (v.size() >= 2 && v[1] != '.') return std::nullopt;
  int q = v[0] == '1' ? 1000 : 0;
  for (std::size_t i = 2, scale = 100; i < v.size(); ++i, scale /= 10) {
    if (!is_digit(static_cast<unsigned char>(v[i]))) return std::nullopt;
    if (v[0] == '1' && v[i] != '0') return std::nullopt;
    q += (v[i] - '0') * static_cast<int>(scale);
  }
  return q;
}

// RFC 9110 §12.5.3 Accept-Encoding = #( codings [ weight ] ),
// codings = content-coding / "identity" / "*", weight = OWS ";" OWS "q=" qvalue.
// The model of accept_encoding.hpp's rules, written from them: the first entry of a coding
// counts, "x-gzip" is gzip, malformed elements and unknown codings are ignored.
std::optional<Coding> reference_negotiate(const std::vector<std::string_view>& values,
                                          std::span<const Coding> available) {
  if (values.empty()) return Coding::identity;
  // Index 0..4 as Coding, 5 for "*".
  std::array<std::optional<int>, 6> q{};
  for (std::string_view value : values) {
    for (std::string_view element : split(value, ',')) {
      element = trim_ows(element);
      const std::size_t semi = element.find(';');
      const std::string_view name = trim_ows(element.substr(0, semi));
      int weight = 1000;
      if (semi != std::string_view::npos) {
        const std::string_view param = trim_ows(element.substr(semi + 1));
        if (param.size() < 2 || ascii_lower(param[0]) != 'q' || param[1] != '=') continue;
        const auto w = reference_qvalue(param.substr(2));
        if (!w) continue;
        weight = *w;
      }
      int index = -1;
      if (iequals(name, "identity")) index = 0;
      if (iequals(name, "gzip") || iequals(name, "x-gzip")) index = 1;
      if (iequals(name, "deflate")) index = 2;
      if (iequals(name, "br")) index = 3;
      if (iequals(name, "zstd")) index = 4;
      if (name == "*") index = 5;
      if (index >= 0 && !q[static_cast<std::size_t>(index)])
        q[static_cast<std::size_t>(index)] = weight;
    }
  }
  const auto q_of = [&q](std::size_t i) { return q[i] ? q[i] : q[5]; };
  std::optional<Coding> best;
  int best_q = 0;
  for (Coding c : available) {
    const int w = q_of(static_cast<std::size_t>(c)).value_or(0);
    if (w > best_q) best_q = w, best = c;
  }
  // identity: acceptable unless excluded; without "identity" or "*" only the fallback.
  const std::optional<int> identity = q_of(0);
  if (!identity) return best ? best : Coding::identity;
  if (best && best_q >= *identity) return best;
  if (*identity > 0) return Coding::identity;
  return std::nullopt;
}

std::string coding_text(std::optional<Coding> c) {
  return c ? std::string(coding_name(*c)) : std::string("nullopt");
}

// A request head with one `name` field line per value, parsed. build() is false when a value
// cannot be a field value or the head does not parse (e.g. over the field limit). The
// negotiation and subprotocol checks both read their values back from such a head.
struct HeadWithLines {
  std::string bytes;
  HeadParser parser;

  bool build(std::string_view request_line, std::string_view name,
             const std::vector<std::string_view>& values) {
    bytes = std::string(request_line) + "\r\nHost: a\r\n";
    for (std::string_view v : values) {
      if (!is_field_value(trim_ows(v))) return false;
      bytes += std::string(name) + ": " + std::string(v) + "\r\n";
    }
    bytes += "\r\n";
    return parser.parse(span()) == Progress::complete;
  }
  std::span<const char> span() const { return {bytes.data(), bytes.size()}; }
};

void check_negotiation(const std::vector<std::string_view>& values,
                       std::span<const Coding> available) {
  const auto ctx = [&] {
    std::string s = "Accept-Encoding:";
    for (std::string_view v : values) s += " \"" + escape(v) + "\"";
    s += " offered:";
    for (Coding c : available) s += " " + std::string(coding_name(c));
    return s;
  };

  const std::optional<Coding> got = negotiate_encoding(values, available);
  if (got && *got != Coding::identity) {
    HTTPFSM_FUZZ_CHECK(std::find(available.begin(), available.end(), *got) != available.end(),
                       ctx());
  }
  const std::optional<Coding> expected = reference_negotiate(values, available);
  HTTPFSM_FUZZ_CHECK(got == expected, ctx() + "\nnegotiate_encoding: " + coding_text(got) +
                                          "\nreference: " + coding_text(expected));

  // The head-based overload reads the same values from Accept-Encoding field lines, when
  // they can be field values at all.
  HeadWithLines h;
  if (!h.build("GET / HTTP/1.1", "Accept-Encoding", values)) return;
  const std::optional<Coding> from_head = negotiate_encoding(h.span(), h.parser.head(), available);
  HTTPFSM_FUZZ_CHECK(from_head == got, ctx() + "\nfrom the head: " + coding_text(from_head));
}

// ---- WebSocket subprotocols -----------------------------------------------------------------

constexpr std::array<std::string_view, 8> kSubprotocols = {
    "chat", "superchat", "v12.stomp", "graphql-ws", "a", "Chat", "", "\"chat\""};

// RFC 6455 §4.1, §4.2.2, §11.3.4: the lines in order, each a comma list (RFC 9110 §5.6.1);
// the first element that is a token and that the server supports.
std::string_view reference_subprotocol(const std::vector<std::string_view>& lines,
                                       std::span<const std::string_view> supported) {
  for (std::string_view line : lines) {
    for (std::string_view element : split_list(line)) {
      if (!is_token(element)) continue;
      if (std::find(supported.begin(), supported.end(), element) != supported.end()) return element;
    }
  }
  return {};
}

void check_subprotocol(const std::vector<std::string_view>& values, std::uint8_t pick) {
  std::vector<std::string_view> supported;
  for (std::size_t i = 0; i < kSubprotocols.size(); ++i) {
    if ((pick >> i) & 1) supported.push_back(kSubprotocols[i]);
  }
  HeadWithLines h;
  if (!h.build("GET /ws HTTP/1.1", "Sec-WebSocket-Protocol", values)) return;
  const std::string& head = h.bytes;
  const std::span<const char> bytes = h.span();
  const HeadParser& parser = h.parser;
  std::vector<std::string_view> lines;
  for (const Field& f : parser.head().fields) {
    if (text(bytes, f.name) == "Sec-WebSocket-Protocol") lines.push_back(text(bytes, f.value));
  }
  const std::string_view got = select_subprotocol(bytes, parser.head(), supported);
  const std::string_view expected = reference_subprotocol(lines, supported);
  const auto ctx = [&] {
    return "request: \"" + escape(head) + "\" chose \"" + escape(got) + "\"";
  };
  HTTPFSM_FUZZ_CHECK(got == expected, ctx() + " reference \"" + escape(expected) + "\"");
  if (got.empty()) return;
  HTTPFSM_FUZZ_CHECK(is_token(got), ctx());
  HTTPFSM_FUZZ_CHECK(std::find(supported.begin(), supported.end(), got) != supported.end(), ctx());
  HTTPFSM_FUZZ_CHECK(
      got.data() >= head.data() && got.data() + got.size() <= head.data() + head.size(),
      ctx() + ": not a view into the request");
}

// ---- HTTP-date ---------------------------------------------------------------------------

constexpr std::int64_t kLastSecond = 253402300799;  // 9999-12-31T23:59:59Z

std::string format_date(std::int64_t t) {
  std::array<char, kHttpDateSize> buf{};
  format_http_date(t, std::span<char, kHttpDateSize>(buf));
  return std::string(buf.data(), buf.size());
}

constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void check_dates(std::int64_t t, std::string_view text, std::int64_t now) {
  // Formatting (clamped to years 1970-9999) parses back to the same second.
  const std::int64_t clamped = std::clamp<std::int64_t>(t, 0, kLastSecond);
  const std::string formatted = format_date(t);
  HTTPFSM_FUZZ_CHECK(formatted.size() == 29 && formatted.substr(25) == " GMT", formatted);
  HTTPFSM_FUZZ_CHECK(parse_http_date(formatted) == clamped,
                     formatted + " from " + std::to_string(t));

  // Whatever parses, in any of the three forms, is the instant its IMF-fixdate names: rewrite
  // the fields as IMF-fixdate and parse that (its own form is checked by the round trip).
  const std::optional<std::int64_t> parsed = parse_http_date(text, now);
  if (!parsed) return;
  const auto ctx = [&] { return "date: \"" + escape(text) + "\""; };
  HTTPFSM_FUZZ_CHECK(*parsed >= -62135596800 && *parsed <= kLastSecond + 1, ctx());
  std::string day, month, year, time;
  if (text.size() == 29) {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    day = text.substr(5, 2), month = text.substr(8, 3), year = text.substr(12, 4);
    time = text.substr(17, 8);
  } else if (text.size() == 24 && text[3] == ' ') {  // asctime: "Sun Nov  6 08:49:37 1994"
    day = text[8] == ' ' ? "0" + std::string(text.substr(9, 1)) : std::string(text.substr(8, 2));
    month = text.substr(4, 3), year = text.substr(20, 4), time = text.substr(11, 8);
  } else {  // rfc850: "Sunday, 06-Nov-94 08:49:37 GMT"
    const std::size_t comma = text.find(',');
    HTTPFSM_FUZZ_CHECK(comma != std::string_view::npos && text.size() == comma + 24, ctx());
    day = text.substr(comma + 2, 2), month = text.substr(comma + 5, 3);
    time = text.substr(comma + 12, 8);
    // §5.6.7: a two-digit year more than 50 years in the future is in the past century.
    const auto leap = [](std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
    std::int64_t days = std::max<std::int64_t>(now, 0) / 86400;
    std::int64_t current = 1970 + 400 * (days / 146097);  // 146097 days in 400 years
    for (days %= 146097; days >= (leap(current) ? 366 : 365); ++current) {
      days -= leap(current) ? 366 : 365;
    }
    std::int64_t y = current - current % 100 + std::stoi(std::string(text.substr(comma + 9, 2)));
    if (y > current + 50) y -= 100;
    year = std::to_string(y);
    while (year.size() < 4) year = "0" + year;
  }
  HTTPFSM_FUZZ_CHECK(std::find(kMonthNames.begin(), kMonthNames.end(), month) != kMonthNames.end(),
                     ctx());
  const std::string imf = "Thu, " + day + " " + month + " " + year + " " + time + " GMT";
  HTTPFSM_FUZZ_CHECK(parse_http_date(imf) == parsed, ctx() + " as IMF-fixdate: " + imf);
}

// ---- ResponseWriter -------------------------------------------------------------------------

void check_response_writer(int status, std::string_view line, std::size_t size, std::int64_t t) {
  const std::size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  const auto ctx = [&] {
    return "status " + std::to_string(status) + " field \"" + escape(name) + "\": \"" +
           escape(value) + "\" into " + std::to_string(size) + " bytes";
  };
  OutBuffer out(size);
  ResponseWriter w(out.span());
  w.status(status).field(name, value).content_length(static_cast<std::uint64_t>(size)).date(t);
  const std::size_t n = w.finish();
  // RFC 9110 §15: three digits; §5.1 a name is a token; §5.5 no CTL in a value but HTAB.
  const bool valid = status >= 100 && status <= 999 && is_token(name) &&
                     std::all_of(value.begin(), value.end(), [](char c) {
                       const auto u = static_cast<unsigned char>(c);
                       return u == '\t' || (u >= 0x20 && u != 0x7f);
                     });
  // RFC 9110 §8.6, RFC 9112 §6.1: no Content-Length in a 1xx or 204 response, so the
  // content_length() above makes the writer refuse the whole response.
  const bool bodiless = (status >= 100 && status < 200) || status == 204;
  // RFC 9112 §6.2: no Content-Length beside Transfer-Encoding, so after a Transfer-Encoding
  // field the content_length() above makes the writer refuse the response as well.
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  const bool coding = lower == "transfer-encoding";
  if (!valid || bodiless || coding) {
    HTTPFSM_FUZZ_CHECK(n == 0 && !w.ok(), ctx());
    return;
  }
  const std::string reason(reason_phrase(status));
  const std::string expected = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" +
                               std::string(name) + ": " + std::string(value) + "\r\n" +
                               "Content-Length: " + std::to_string(size) +
                               "\r\nDate: " + format_date(t) + "\r\n\r\n";
  if (expected.size() > size) {
    HTTPFSM_FUZZ_CHECK(n == 0 && !w.ok(), ctx());  // refused, and nothing written past the end
    return;
  }
  HTTPFSM_FUZZ_CHECK(n == expected.size() && out.view(n) == expected && w.size() == n, ctx());

  // A reason with a control byte is refused too.
  OutBuffer bad(size);
  ResponseWriter r(bad.span());
  HTTPFSM_FUZZ_CHECK(r.status(status, "OK\r\nX: y").finish() == 0, ctx());

  // Chunk headers: lower-case hex and CRLF, read back to the same size; refused when short.
  const auto chunk = static_cast<std::uint64_t>(t);
  std::array<char, 18> buf{};
  const std::size_t k = write_chunk_header(chunk, buf);
  HTTPFSM_FUZZ_CHECK(k >= 3 && buf[k - 2] == '\r' && buf[k - 1] == '\n', ctx());
  std::uint64_t back = 0;
  for (std::size_t i = 0; i + 2 < k; ++i) {
    HTTPFSM_FUZZ_CHECK(
        is_hexdig(static_cast<unsigned char>(buf[i])) && !(buf[i] >= 'A' && buf[i] <= 'F'), ctx());
    back = back * 16 + hex_value(static_cast<unsigned char>(buf[i]));
  }
  HTTPFSM_FUZZ_CHECK(back == chunk, ctx());
  OutBuffer short_out(k - 1);
  HTTPFSM_FUZZ_CHECK(write_chunk_header(chunk, short_out.span()) == 0, ctx());
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const std::uint8_t options_byte = in.byte();
  PathOptions options;
  options.reject_above_root = (options_byte & 1) != 0;
  options.reject_encoded_slash = (options_byte & 2) != 0;
  options.reject_encoded_nul = (options_byte & 4) != 0;
  // The offered codings: an ordered subset of the four, from one byte.
  const std::uint8_t offer = in.byte();
  std::array<Coding, 4> all = {Coding::gzip, Coding::deflate, Coding::br, Coding::zstd};
  std::rotate(all.begin(), all.begin() + (offer >> 4) % 4, all.end());
  std::vector<Coding> available;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if ((offer >> i) & 1) available.push_back(all[i]);
  }
  std::uint64_t time_bits = 0;
  for (int i = 0; i < 8; ++i) time_bits = (time_bits << 8) | in.byte();
  const auto t = static_cast<std::int64_t>(time_bits);
  const int status = in.u16() % 1100;
  const std::size_t out_size = in.u16() % 512;
  const std::string_view payload = in.rest();

  const TargetParts parts = split_target(payload);
  HTTPFSM_FUZZ_CHECK(
      std::string(parts.path) + (parts.has_query ? "?" : "") + std::string(parts.query) == payload);
  HTTPFSM_FUZZ_CHECK(parts.path.find('?') == std::string_view::npos);
  check_paths(parts.path, options);
  check_paths(payload, options);
  check_percent_decode(payload);

  std::vector<std::string_view> values;
  if (!payload.empty()) {
    for (std::string_view v : split(payload, '\n')) values.push_back(v);
  }
  check_negotiation(values, available);
  check_subprotocol(values, offer);
  check_dates(t, payload, t);
  check_response_writer(status, payload.substr(0, payload.find('\n')), out_size, t);
  return 0;
}
