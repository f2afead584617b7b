#include "testing/request_model.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "test_support.hpp"

namespace httpfsm::testing {

namespace rg = rc::gen;

namespace {

// Character sets of the ABNF, each ordered so that shrinking (towards the first element)
// gives readable text.
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kAlpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kDigit = "0123456789";
constexpr std::string_view kHexDigit = "0123456789abcdefABCDEF";
// RFC 9110 §5.6.2 tchar
constexpr std::string_view kTchar =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
// RFC 3986 §2.3 unreserved, §2.2 sub-delims
constexpr std::string_view kUnreserved =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
constexpr std::string_view kSubDelims = "!$&'()*+,;=";
// RFC 5234 VCHAR
constexpr std::string_view kVchar =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

rc::Gen<char> char_of(std::string_view set) { return rg::elementOf(std::string(set)); }

rc::Gen<std::string> str(std::string_view s) { return rg::just(std::string(s)); }

rc::Gen<std::string> char_string(rc::Gen<char> c) {
  return rg::map(std::move(c), [](char ch) { return std::string(1, ch); });
}

// A vector of min..max elements; the upper bound grows with RapidCheck's size parameter, so
// early cases are small, and the count shrinks towards min.
template <typename T>
rc::Gen<std::vector<T>> sized_vector(rc::Gen<T> g, std::size_t min, std::size_t max) {
  return rg::withSize([g, min, max](int size) {
    const auto s = static_cast<std::size_t>(std::clamp(size, 0, 100));
    const std::size_t hi = min + (max - min) * s / 100;
    return rg::mapcat(rg::inRange<std::size_t>(min, hi + 1),
                      [g](std::size_t n) { return rg::container<std::vector<T>>(n, g); });
  });
}

rc::Gen<std::string> string_of(rc::Gen<char> c, std::size_t min, std::size_t max) {
  return rg::map(sized_vector(std::move(c), min, max),
                 [](const std::vector<char>& v) { return std::string(v.begin(), v.end()); });
}

rc::Gen<std::string> joined(rc::Gen<std::string> piece, std::size_t min, std::size_t max,
                            std::string separator = "") {
  return rg::map(sized_vector(std::move(piece), min, max),
                 [separator](const std::vector<std::string>& v) {
                   std::string s;
                   for (std::size_t i = 0; i < v.size(); ++i) {
                     if (i > 0) s += separator;
                     s += v[i];
                   }
                   return s;
                 });
}

// `g`, or nothing now and then.
rc::Gen<std::string> optional(rc::Gen<std::string> g, std::size_t weight_absent = 1,
                              std::size_t weight_present = 1) {
  return rg::weightedOneOf<std::string>({{weight_absent, str("")}, {weight_present, g}});
}

rc::Gen<std::string> concat(std::vector<rc::Gen<std::string>> parts) {
  // Folded pairwise, so each part shrinks on its own.
  rc::Gen<std::string> acc = str("");
  for (auto& p : parts) {
    acc = rg::apply([](const std::string& a, const std::string& b) { return a + b; }, acc, p);
  }
  return acc;
}

rc::Gen<std::string> obs_text_char() {
  return char_string(rg::map(rg::inRange(0x80, 0x100), [](int c) { return static_cast<char>(c); }));
}

// RFC 3986 §2.1 pct-encoded = "%" HEXDIG HEXDIG
rc::Gen<std::string> pct_encoded() {
  return rg::apply(
      [](char a, char b) {
        return std::string{'%', a, b};
      },
      char_of(kHexDigit), char_of(kHexDigit));
}

// RFC 3986 §3.3 pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
rc::Gen<std::string> pchar() {
  return rg::weightedOneOf<std::string>({{12, char_string(char_of(kUnreserved))},
                                         {2, char_string(char_of(std::string(kSubDelims) + ":@"))},
                                         {2, pct_encoded()}});
}

rc::Gen<std::string> segment_nz() { return joined(pchar(), 1, 8); }

// RFC 3986 §3.3 path-abempty = *( "/" segment )
rc::Gen<std::string> path_abempty() {
  return rg::map(sized_vector(gen::segment(), 0, 3), [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& seg : v) s += "/" + seg;
    return s;
  });
}

rc::Gen<std::string> port() { return string_of(char_of(kDigit), 0, 5); }

// RFC 3986 §3.2.2 IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
rc::Gen<std::string> ipvfuture() {
  return concat(
      {rg::element<std::string>("v", "V"), string_of(char_of(kHexDigit), 1, 2), str("."),
       string_of(char_of(std::string(kUnreserved) + std::string(kSubDelims) + ":"), 1, 6)});
}

// RFC 5234 ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ): RFC 3986 §3.1 scheme
rc::Gen<std::string> scheme() {
  return rg::weightedOneOf<std::string>(
      {{4, rg::element<std::string>("http", "https")},
       {1, gen::random_case("http")},
       {1, concat({char_string(char_of(kAlpha)),
                   string_of(char_of(std::string(kAlpha) + std::string(kDigit) + "+-."), 0, 5)})}});
}

rc::Gen<std::string> origin_form() {
  return concat({gen::absolute_path(), optional(concat({str("?"), gen::query()}), 2, 1)});
}

// RFC 9112 §3.2.2 absolute-form = absolute-URI, without userinfo (see the grammar's
// DEVIATION note): scheme ":" hier-part [ "?" query ]
rc::Gen<std::string> absolute_form() {
  const auto authority_part =
      concat({str("//"), gen::host(), optional(concat({str(":"), port()})), path_abempty()});
  // path-absolute = "/" [ segment-nz *( "/" segment ) ]; path-rootless = segment-nz ...
  const auto path_absolute =
      concat({str("/"), optional(concat({segment_nz(), path_abempty()}), 1, 2)});
  const auto path_rootless = concat({segment_nz(), path_abempty()});
  const auto hier_part = rg::weightedOneOf<std::string>(
      {{8, authority_part}, {1, path_absolute}, {1, path_rootless}, {1, str("")}});
  return concat({scheme(), str(":"), hier_part, optional(concat({str("?"), gen::query()}), 3, 1)});
}

// RFC 9110 §9.3.6: CONNECT's port is a TCP port, 1 to 65535, without leading zeros (an empty
// or invalid one is refused; head_parser_cases_test.cc has those).
rc::Gen<std::string> connect_port() {
  return rg::map(rg::inRange<int>(1, 65536), [](int p) { return std::to_string(p); });
}

// RFC 9112 §3.2.3 authority-form = uri-host ":" port
rc::Gen<std::string> authority_form() { return concat({gen::host(), str(":"), connect_port()}); }

rc::Gen<std::string> method_other_than_connect() {
  return rg::weightedOneOf<std::string>(
      {{6, rg::element<std::string>("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
                                    "PATCH")},
       {2, rg::suchThat(gen::token(12), [](const std::string& t) { return t != "CONNECT"; })}});
}

// RFC 9110 §5.6.4 quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
rc::Gen<std::string> quoted_string() {
  const std::string qdtext_ascii = [] {
    std::string s;
    for (char c : kVchar) {
      if (c != '"' && c != '\\') s += c;
    }
    return s + " \t";
  }();
  const auto qdtext = rg::weightedOneOf<std::string>(
      {{8, char_string(char_of(qdtext_ascii))}, {1, obs_text_char()}});
  const auto quoted_pair = concat(
      {str("\\"), rg::weightedOneOf<std::string>({{6, char_string(char_of(std::string(kVchar)))},
                                                  {1, rg::element<std::string>(" ", "\t")},
                                                  {1, obs_text_char()}})});
  return concat({str("\""),
                 joined(rg::weightedOneOf<std::string>({{6, qdtext}, {1, quoted_pair}}), 0, 8),
                 str("\"")});
}

// BWS, mostly empty.
rc::Gen<std::string> bws() {
  return rg::weightedOneOf<std::string>(
      {{6, str("")}, {1, rg::element<std::string>(" ", "\t", "  ", " \t")}});
}

// One chunk-ext element: BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ]
rc::Gen<std::string> chunk_ext_element() {
  const auto value = rg::weightedOneOf<std::string>({{2, gen::token(8)}, {1, quoted_string()}});
  return concat({bws(), str(";"), bws(), gen::token(8),
                 optional(concat({bws(), str("="), bws(), value}), 1, 2)});
}

std::string hex(std::uint64_t n, bool upper) {
  char buf[20];
  std::snprintf(buf, sizeof buf, upper ? "%llX" : "%llx", static_cast<unsigned long long>(n));
  return buf;
}

// How one chunk's size line is written: leading zeros, hex case, extensions.
struct ChunkStyle {
  std::size_t zeros = 0;
  bool upper = false;
  std::string ext;
};

rc::Gen<ChunkStyle> chunk_style() {
  return rg::apply(
      [](std::size_t zeros, bool upper, std::string ext) {
        return ChunkStyle{zeros, upper, std::move(ext)};
      },
      rg::weightedOneOf<std::size_t>(
          {{6, rg::just<std::size_t>(0)}, {1, rg::inRange<std::size_t>(1, 4)}}),
      rg::arbitrary<bool>(), rg::weightedOneOf<std::string>({{4, str("")}, {1, gen::chunk_ext()}}));
}

// Inserts each of `extra` into `lines` at a position chosen by its seed.
std::vector<FieldLine> insert_at(std::vector<FieldLine> lines, const std::vector<FieldLine>& extra,
                                 const std::vector<std::uint16_t>& seeds) {
  for (std::size_t i = 0; i < extra.size(); ++i) {
    const std::size_t seed = i < seeds.size() ? seeds[i] : 0;
    const std::size_t at = seed % (lines.size() + 1);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), extra[i]);
  }
  return lines;
}

// Framing and persistence fields chosen by the generator, rendered into lines by make_request.
struct FieldChoices {
  std::string host;  // the Host value
  bool host_in_http10 = false;
  std::vector<FieldLine> name_styles;  // names (random case) and OWS for the special fields
  std::size_t cl_lines = 1;            // Content-Length lines (same value)
  std::size_t cl_elements = 1;         // list elements per line
  std::vector<std::size_t> cl_zeros;   // leading zeros per element
  std::string te_prefix;               // "" or ", ": empty list elements around chunked
  std::string te_suffix;
  std::string chunked = "chunked";
  std::vector<std::string> connection;  // options; no Connection line when empty
  std::string expect;                   // no Expect line when empty
  std::vector<std::uint16_t> positions;
};

rc::Gen<FieldLine> styled_name(const std::string& name) {
  return rg::apply(
      [](std::string n, std::string a, std::string b) {
        return FieldLine{n, a, "", b};
      },
      gen::random_case(name), gen::ows(), gen::ows());
}

rc::Gen<FieldChoices> field_choices() {
  const auto names = rg::apply(
      [](FieldLine h, FieldLine cl, FieldLine te, FieldLine c, FieldLine e) {
        return std::vector<FieldLine>{h, cl, te, c, e};
      },
      styled_name("Host"), styled_name("Content-Length"), styled_name("Transfer-Encoding"),
      styled_name("Connection"), styled_name("Expect"));
  const auto option =
      rg::mapcat(rg::element<std::string>("close", "keep-alive", "upgrade", "te", "foo"),
                 [](const std::string& o) { return gen::random_case(o); });
  return rg::apply(
      [](std::string host, bool host_in_http10, std::vector<FieldLine> name_styles,
         std::size_t cl_lines, std::size_t cl_elements, std::vector<std::size_t> cl_zeros,
         std::string te_prefix, std::string te_suffix, std::string chunked,
         std::vector<std::string> connection, std::string expect,
         std::vector<std::uint16_t> positions) {
        return FieldChoices{std::move(host),
                            host_in_http10,
                            std::move(name_styles),
                            cl_lines,
                            cl_elements,
                            std::move(cl_zeros),
                            std::move(te_prefix),
                            std::move(te_suffix),
                            std::move(chunked),
                            std::move(connection),
                            std::move(expect),
                            std::move(positions)};
      },
      gen::host_value(), rg::arbitrary<bool>(), names,
      rg::weightedOneOf<std::size_t>(
          {{4, rg::just<std::size_t>(1)}, {1, rg::just<std::size_t>(2)}}),
      rg::weightedOneOf<std::size_t>(
          {{4, rg::just<std::size_t>(1)}, {1, rg::just<std::size_t>(2)}}),
      rg::container<std::vector<std::size_t>>(
          4, rg::weightedOneOf<std::size_t>(
                 {{6, rg::just<std::size_t>(0)}, {1, rg::inRange<std::size_t>(1, 3)}})),
      rg::weightedOneOf<std::string>({{6, str("")}, {1, str(", ")}, {1, str(",")}}),
      rg::weightedOneOf<std::string>({{6, str("")}, {1, str(",")}, {1, str(" ,")}}),
      gen::random_case("chunked"),
      rg::weightedOneOf<std::vector<std::string>>(
          {{3, rg::just(std::vector<std::string>{})}, {1, sized_vector(option, 1, 3)}}),
      rg::weightedOneOf<std::string>(
          {{6, str("")}, {1, gen::random_case("100-continue")}, {1, str("200-ok")}}),
      rg::container<std::vector<std::uint16_t>>(6, rg::arbitrary<std::uint16_t>()));
}

RequestModel make_request(std::string leading_crlfs, const gen::RequestLine& line,
                          std::uint8_t minor, std::vector<FieldLine> plain, Framing framing,
                          std::string content, ChunkedBody chunked, const FieldChoices& c) {
  RequestModel m;
  m.leading_crlfs = std::move(leading_crlfs);
  m.method = line.method;
  m.target = line.target;
  m.form = line.form;
  m.minor = minor;
  // RFC 9112 §6.1: Transfer-Encoding needs HTTP/1.1.
  if (framing == Framing::chunked && minor == 0) framing = Framing::content_length;
  m.framing = framing;

  const auto styled = [&](std::size_t i, std::string value) {
    FieldLine f = c.name_styles[i];
    f.value = std::move(value);
    return f;
  };
  std::vector<FieldLine> special;
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1; optional in HTTP/1.0.
  if (minor >= 1 || c.host_in_http10) special.push_back(styled(0, c.host));
  if (framing == Framing::content_length) {
    m.content = std::move(content);
    const std::string n = std::to_string(m.content.size());
    std::size_t z = 0;
    for (std::size_t l = 0; l < c.cl_lines; ++l) {
      std::string value;
      for (std::size_t e = 0; e < c.cl_elements; ++e) {
        if (e > 0) value += ", ";
        value += std::string(c.cl_zeros[z++ % c.cl_zeros.size()], '0') + n;
      }
      special.push_back(styled(1, value));
    }
  } else if (framing == Framing::chunked) {
    m.chunked = std::move(chunked);
    for (const Chunk& ch : m.chunked.chunks) m.content += ch.data;
    special.push_back(styled(2, c.te_prefix + c.chunked + c.te_suffix));
  }
  if (!c.connection.empty()) {
    std::string value;
    for (std::size_t i = 0; i < c.connection.size(); ++i) {
      if (i > 0) value += ", ";
      value += c.connection[i];
    }
    special.push_back(styled(3, value));
  }
  if (!c.expect.empty()) special.push_back(styled(4, c.expect));
  m.fields = insert_at(std::move(plain), special, c.positions);
  return m;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 §5.6.1 list elements, OWS trimmed, lower case.
std::vector<std::string> list_elements(std::string_view v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = v.find(',', start);
    out.push_back(lower(trim_ows(v.substr(start, comma - start))));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

FieldRegions write_field(std::string& out, const FieldLine& f) {
  FieldRegions r;
  r.line.offset = out.size();
  r.name = {out.size(), f.name.size()};
  out += f.name;
  out += ':';
  out += f.ows_before;
  r.value = {out.size(), f.value.size()};
  out += f.value;
  out += f.ows_after;
  out += "\r\n";
  r.line.length = out.size() - r.line.offset;
  return r;
}

std::string_view method_name(Method m) { return m == Method::other ? "other" : method_token(m); }

void show_pairs(const std::vector<std::pair<std::string, std::string>>& v, std::ostream& os) {
  os << "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    os << (i ? ", " : "") << escape(v[i].first) << ": \"" << escape(v[i].second) << "\"";
  }
  os << "]";
}

}  // namespace

// ---------------------------------------------------------------------------------------

Wire serialize(const RequestModel& m) {
  Wire w;
  std::string& out = w.bytes;
  out += m.leading_crlfs;
  w.method = {out.size(), m.method.size()};
  out += m.method;
  out += ' ';
  w.target = {out.size(), m.target.size()};
  out += m.target;
  out += ' ';
  w.version = {out.size(), 8};
  out += "HTTP/1.";
  out += static_cast<char>('0' + m.minor);
  out += "\r\n";
  for (const FieldLine& f : m.fields) w.fields.push_back(write_field(out, f));
  out += "\r\n";
  w.head_size = out.size();

  if (m.framing == Framing::content_length) {
    out += m.content;
  } else if (m.framing == Framing::chunked) {
    const auto body_offset = [&] { return out.size() - w.head_size; };
    const auto header = [&](const std::string& size_text, const std::string& ext,
                            std::uint64_t size) {
      ChunkRegions r;
      r.size = size;
      r.header.offset = body_offset();
      out += size_text;
      r.ext = {body_offset(), ext.size()};
      out += ext;
      out += "\r\n";
      r.header.length = body_offset() - r.header.offset;
      return r;
    };
    for (const Chunk& ch : m.chunked.chunks) {
      ChunkRegions r = header(ch.size_text, ch.ext, ch.data.size());
      r.data = {body_offset(), ch.data.size()};
      out += ch.data;
      out += "\r\n";
      w.chunks.push_back(r);
    }
    ChunkRegions last = header(m.chunked.last_size_text, m.chunked.last_ext, 0);
    last.data = {body_offset(), 0};
    w.chunks.push_back(last);
    w.trailer_section.offset = body_offset();
    for (const FieldLine& f : m.chunked.trailers) {
      FieldRegions r = write_field(out, f);
      r.line.offset -= w.head_size;
      r.name.offset -= w.head_size;
      r.value.offset -= w.head_size;
      w.trailers.push_back(r);
    }
    out += "\r\n";
    w.trailer_section.length = body_offset() - w.trailer_section.offset;
  }
  return w;
}

HeadView expected_head(const RequestModel& m) {
  HeadView v;
  v.method = m.method;
  // RFC 9110 §9.1: method names are case-sensitive.
  v.method_id = Method::other;
  for (std::size_t i = 1; i < kMethodCount; ++i) {  // httpfsm/method_list.h
    if (m.method == method_token(static_cast<Method>(i))) v.method_id = static_cast<Method>(i);
  }
  v.target = m.target;
  v.form = m.form;
  v.minor = m.minor;
  v.first.fill(RequestHead::kAbsent);
  bool close = false;
  bool keep_alive_option = false;
  bool continue_expected = false;
  for (std::size_t i = 0; i < m.fields.size(); ++i) {
    const FieldLine& f = m.fields[i];
    v.fields.emplace_back(f.name, f.value);
    const std::string name = lower(f.name);
    for (std::size_t k = 0; k < kKnownFieldCount; ++k) {  // httpfsm/known_field_list.h
      if (iequals(name, known_field_name(static_cast<KnownField>(k))) &&
          v.first[k] == RequestHead::kAbsent) {
        v.first[k] = static_cast<std::uint16_t>(i);
      }
    }
    // RFC 9112 §9.3, §9.6 connection options; RFC 9110 §10.1.1 Expect.
    for (const std::string& e : list_elements(f.value)) {
      if (name == "connection" && e == "close") close = true;
      if (name == "connection" && e == "keep-alive") keep_alive_option = true;
      if (name == "expect" && e == "100-continue") continue_expected = true;
    }
  }
  const bool http11 = m.minor >= 1;
  v.framing = m.framing;
  v.content_length = m.framing == Framing::content_length ? m.content.size() : 0;
  v.keep_alive = !close && (http11 || keep_alive_option);
  v.expect_continue = http11 && continue_expected;
  v.size = serialize(m).head_size;
  return v;
}

BodyView expected_body(const RequestModel& m) {
  BodyView v;
  v.content = m.content;
  for (const FieldLine& f : m.chunked.trailers) {
    if (m.framing == Framing::chunked) v.trailers.emplace_back(f.name, f.value);
  }
  v.size = serialize(m).body().size();
  return v;
}

HeadView view_of(std::span<const char> message, const RequestHead& head, std::size_t size) {
  HeadView v;
  v.method = text(message, head.method);
  v.method_id = head.method_id;
  v.target = text(message, head.target);
  v.form = head.target_form;
  v.minor = head.version_minor;
  for (const Field& f : head.fields) {
    v.fields.emplace_back(text(message, f.name), text(message, f.value));
  }
  v.first = head.first;
  v.framing = head.framing;
  v.content_length = head.content_length;
  v.keep_alive = head.keep_alive;
  v.expect_continue = head.expect_continue;
  v.size = size;
  return v;
}

void showValue(const RequestModel& m, std::ostream& os) {
  // The wire form, one line per row: it is what a reader of a counterexample wants.
  const Wire w = serialize(m);
  os << "RequestModel (" << target_form_name(m.form) << "-form, " << framing_name(m.framing) << ", "
     << w.bytes.size() << " bytes):\n";
  std::size_t start = 0;
  while (start < w.bytes.size()) {
    std::size_t end = w.bytes.find("\r\n", start);
    end = end == std::string::npos ? w.bytes.size() : end + 2;
    os << "  \"" << escape(std::string_view(w.bytes).substr(start, end - start)) << "\"\n";
    start = end;
  }
}

void showValue(const HeadView& v, std::ostream& os) {
  os << "{" << escape(v.method) << " (" << method_name(v.method_id) << ") " << escape(v.target)
     << " (" << target_form_name(v.form) << ") HTTP/1." << int{v.minor} << " fields=";
  show_pairs(v.fields, os);
  os << " first=[";
  for (std::size_t k = 0; k < v.first.size(); ++k) {
    os << (k ? "," : "");
    if (v.first[k] == RequestHead::kAbsent) {
      os << "-";
    } else {
      os << v.first[k];
    }
  }
  os << "] " << framing_name(v.framing);
  if (v.framing == Framing::content_length) os << " " << v.content_length;
  os << (v.keep_alive ? " keep-alive" : " close") << (v.expect_continue ? " 100-continue" : "")
     << " size=" << v.size << "}";
}

void showValue(const BodyView& v, std::ostream& os) {
  os << "{content=\"" << escape(v.content) << "\" trailers=";
  show_pairs(v.trailers, os);
  os << " size=" << v.size << "}";
}

// ---------------------------------------------------------------------------------------

namespace gen {

rc::Gen<std::string> token(std::size_t max_length) {
  return string_of(char_of(kTchar), 1, max_length);
}

rc::Gen<std::string> random_case(std::string text) {
  return rg::map(rg::arbitrary<std::uint64_t>(), [text](std::uint64_t mask) {
    std::string s = text;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const bool upper = (mask >> (i % 64)) & 1u;
      char& c = s[i];
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  });
}

rc::Gen<std::string> ows() {
  return rg::weightedOneOf<std::string>(
      {{6, str("")}, {3, str(" ")}, {1, string_of(rg::element(' ', '\t'), 1, 3)}});
}

rc::Gen<std::string> field_value(std::size_t max_length) {
  const auto byte = rg::weightedOneOf<std::string>({{16, char_string(char_of(kVchar))},
                                                    {2, obs_text_char()},
                                                    {3, rg::element<std::string>(" ", "\t")}});
  return rg::map(joined(byte, 0, max_length), [](const std::string& s) {
    // A field value starts and ends with a field-vchar (RFC 9110 §5.5).
    return std::string(trim_ows(s));
  });
}

rc::Gen<FieldLine> plain_field_line() {
  static const std::vector<std::string> kSpecial = {"host", "content-length", "transfer-encoding",
                                                    "connection", "expect"};
  const auto name = rg::weightedOneOf<std::string>(
      {{6, rg::suchThat(token(16),
                        [](const std::string& t) {
                          return std::find(kSpecial.begin(), kSpecial.end(), lower(t)) ==
                                 kSpecial.end();
                        })},
       {1, rg::mapcat(rg::element<std::string>("User-Agent", "Accept-Encoding", "Accept",
                                               "X-Forwarded-For", "Cookie"),
                      [](const std::string& n) { return random_case(n); })}});
  return rg::apply(
      [](std::string n, std::string a, std::string v, std::string b) {
        return FieldLine{std::move(n), std::move(a), std::move(v), std::move(b)};
      },
      name, ows(), field_value(), ows());
}

rc::Gen<std::string> reg_name() {
  return joined(rg::weightedOneOf<std::string>({{12, char_string(char_of(kUnreserved))},
                                                {1, char_string(char_of(kSubDelims))},
                                                {1, pct_encoded()}}),
                0, 12);
}

rc::Gen<std::string> ipv4_address() {
  return rg::map(rg::container<std::vector<int>>(4, rg::inRange(0, 256)),
                 [](const std::vector<int>& o) {
                   return std::to_string(o[0]) + "." + std::to_string(o[1]) + "." +
                          std::to_string(o[2]) + "." + std::to_string(o[3]);
                 });
}

rc::Gen<std::string> ipv6_address() {
  // RFC 3986 §3.2.2: eight h16 pieces, or "::" standing for one or more zero pieces with at
  // most seven around it; the last two pieces may be an IPv4address (ls32).
  return rg::apply(
      [](const std::vector<std::string>& h16, std::size_t left, std::size_t right, bool ipv4_tail,
         const std::string& ipv4) {
        const auto join = [](const std::vector<std::string>& v) {
          std::string s;
          for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ":" : "") + v[i];
          return s;
        };
        if (left == 8) {
          if (!ipv4_tail) return join(h16);
          return join({h16.begin(), h16.begin() + 6}) + ":" + ipv4;
        }
        right = std::min(right, 7 - left);
        std::vector<std::string> l(h16.begin(), h16.begin() + static_cast<std::ptrdiff_t>(left));
        std::vector<std::string> r(h16.begin() + static_cast<std::ptrdiff_t>(left),
                                   h16.begin() + static_cast<std::ptrdiff_t>(left + right));
        if (ipv4_tail && right >= 2) {
          r.resize(right - 2);
          r.push_back(ipv4);
        }
        return join(l) + "::" + join(r);
      },
      rg::container<std::vector<std::string>>(8, string_of(char_of(kHexDigit), 1, 4)),
      rg::inRange<std::size_t>(0, 9), rg::inRange<std::size_t>(0, 8), rg::arbitrary<bool>(),
      ipv4_address());
}

rc::Gen<std::string> host() {
  return rg::weightedOneOf<std::string>({{6, reg_name()},
                                         {2, ipv4_address()},
                                         {2, concat({str("["), ipv6_address(), str("]")})},
                                         {1, concat({str("["), ipvfuture(), str("]")})}});
}

rc::Gen<std::string> host_value() { return concat({host(), optional(concat({str(":"), port()}))}); }

rc::Gen<std::string> segment() {
  return rg::weightedOneOf<std::string>(
      {{10, joined(pchar(), 0, 8)},
       {1, rg::element<std::string>(".", "..", "%2e", "%2E%2e", ".%2E")}});
}

rc::Gen<std::string> absolute_path() {
  return rg::map(sized_vector(segment(), 1, 5), [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& seg : v) s += "/" + seg;
    return s;
  });
}

rc::Gen<std::string> query() {
  return joined(
      rg::weightedOneOf<std::string>({{8, pchar()}, {1, rg::element<std::string>("/", "?")}}), 0,
      12);
}

rc::Gen<RequestLine> request_line(TargetForm form) {
  const auto line = [form](std::string method, std::string target) {
    return RequestLine{std::move(method), std::move(target), form};
  };
  switch (form) {
    case TargetForm::origin:
      return rg::apply(line, method_other_than_connect(), origin_form());
    case TargetForm::absolute:
      return rg::apply(line, method_other_than_connect(), absolute_form());
    case TargetForm::authority:
      return rg::apply(line, str("CONNECT"), authority_form());
    case TargetForm::asterisk:
      break;
  }
  return rg::apply(line, str("OPTIONS"), str("*"));
}

rc::Gen<RequestLine> request_line() {
  return rg::weightedOneOf<RequestLine>({{6, request_line(TargetForm::origin)},
                                         {3, request_line(TargetForm::absolute)},
                                         {1, request_line(TargetForm::authority)},
                                         {1, request_line(TargetForm::asterisk)}});
}

rc::Gen<std::string> chunk_ext() { return joined(chunk_ext_element(), 1, 3); }

rc::Gen<std::string> content(std::size_t max_length) {
  const auto any_byte =
      char_string(rg::map(rg::inRange(0, 256), [](int c) { return static_cast<char>(c); }));
  return joined(
      rg::weightedOneOf<std::string>(
          {{8, char_string(char_of(kLower))},
           {4, any_byte},
           {1, rg::element<std::string>("\r\n", "\r\n\r\n", "0\r\n\r\n", "GET / HTTP/1.1\r\n")}}),
      0, max_length);
}

rc::Gen<ChunkedBody> chunked_body() {
  return rg::apply(
      [](const std::string& data, std::vector<std::uint16_t> cut_seeds,
         const std::vector<ChunkStyle>& styles, std::size_t last_zeros, std::string last_ext,
         std::vector<FieldLine> trailers) {
        // Cut `data` into non-empty chunks at the seeded positions.
        std::vector<std::size_t> cuts{0, data.size()};
        for (std::uint16_t s : cut_seeds) cuts.push_back(s % (data.size() + 1));
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        ChunkedBody b;
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
          const ChunkStyle style = styles.empty() ? ChunkStyle{} : styles[i % styles.size()];
          Chunk ch;
          ch.data = data.substr(cuts[i], cuts[i + 1] - cuts[i]);
          ch.size_text = std::string(style.zeros, '0') + hex(ch.data.size(), style.upper);
          ch.ext = style.ext;
          b.chunks.push_back(std::move(ch));
        }
        b.last_size_text = std::string(last_zeros, '0');
        b.last_ext = std::move(last_ext);
        b.trailers = std::move(trailers);
        return b;
      },
      content(), sized_vector(rg::arbitrary<std::uint16_t>(), 0, 6),
      sized_vector(chunk_style(), 0, 3),
      rg::weightedOneOf<std::size_t>(
          {{6, rg::just<std::size_t>(1)}, {1, rg::inRange<std::size_t>(2, 4)}}),
      rg::weightedOneOf<std::string>({{4, str("")}, {1, chunk_ext()}}),
      rg::weightedOneOf<std::vector<FieldLine>>(
          {{3, rg::just(std::vector<FieldLine>{})}, {1, sized_vector(plain_field_line(), 1, 3)}}));
}

namespace {
rc::Gen<RequestModel> request_with(rc::Gen<Framing> framing, rc::Gen<std::uint8_t> minor) {
  return rg::apply(
      [](std::string crlfs, const RequestLine& line, std::uint8_t m, std::vector<FieldLine> plain,
         Framing f, std::string body, ChunkedBody chunked, const FieldChoices& choices) {
        return make_request(std::move(crlfs), line, m, std::move(plain), f, std::move(body),
                            std::move(chunked), choices);
      },
      rg::weightedOneOf<std::string>({{8, str("")}, {1, str("\r\n")}, {1, str("\r\n\r\n")}}),
      request_line(), std::move(minor), sized_vector(plain_field_line(), 0, 6), std::move(framing),
      content(), chunked_body(), field_choices());
}

rc::Gen<std::uint8_t> any_minor() {
  return rg::weightedOneOf<std::uint8_t>({{3, rg::just<std::uint8_t>(0)},
                                          {6, rg::just<std::uint8_t>(1)},
                                          {1, rg::inRange<std::uint8_t>(2, 10)}});
}
}  // namespace

rc::Gen<RequestModel> request() {
  return request_with(
      rg::weightedElement<Framing>(
          {{4, Framing::no_body}, {3, Framing::content_length}, {3, Framing::chunked}}),
      any_minor());
}

rc::Gen<RequestModel> request(Framing framing) {
  auto minor = framing == Framing::chunked
                   ? rg::weightedOneOf<std::uint8_t>(
                         {{9, rg::just<std::uint8_t>(1)}, {1, rg::inRange<std::uint8_t>(2, 10)}})
                   : any_minor();
  return request_with(rg::just(framing), std::move(minor));
}

}  // namespace gen

}  // namespace httpfsm::testing

namespace httpfsm {

void showValue(Method m, std::ostream& os) { os << testing::method_name(m); }
void showValue(TargetForm f, std::ostream& os) { os << target_form_name(f); }
void showValue(Framing f, std::ostream& os) { os << framing_name(f); }
void showValue(Progress p, std::ostream& os) {
  os << (p == Progress::complete ? "complete" : p == Progress::failed ? "failed" : "need_more");
}
void showValue(Error e, std::ostream& os) { os << error_name(e); }

}  // namespace httpfsm
