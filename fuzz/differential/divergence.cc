// The classifier of ALLOWED.md. Each class is a predicate over the message's bytes, read here
// with a deliberately small reader (CRLF lines, SP-separated request-line words, "name:value"
// fields, chunk headers), plus the side that must be the one rejecting and, where that side
// names where it failed, the byte it failed on. A class matches only when all of these hold,
// so it cannot swallow a difference of another kind.
#include "differential/divergence.hpp"

#include <arpa/inet.h>
#include <llhttp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "http_syntax.hpp"

namespace httpfsm::fuzz {

std::string_view kind_name(DivergenceKind k) {
  switch (k) {
    case DivergenceKind::httpfsm_rejects:
      return "httpfsm_rejects";
    case DivergenceKind::llhttp_rejects:
      return "llhttp_rejects";
    case DivergenceKind::differ:
      return "differ";
  }
  return "?";
}

std::string_view aspect_name(Aspect a) {
  switch (a) {
    case Aspect::none:
      return "none";
    case Aspect::method:
      return "method";
    case Aspect::target:
      return "target";
    case Aspect::status:
      return "status";
    case Aspect::version:
      return "version";
    case Aspect::fields:
      return "fields";
    case Aspect::framing:
      return "framing";
    case Aspect::body:
      return "body";
    case Aspect::trailers:
      return "trailers";
    case Aspect::keep_alive:
      return "keep_alive";
  }
  return "?";
}

std::string_view class_name(AllowedClass c) {
  switch (c) {
#define HTTPFSM_X(name)    \
  case AllowedClass::name: \
    return #name;
    HTTPFSM_DIFFERENTIAL_CLASSES(HTTPFSM_X)
#undef HTTPFSM_X
  }
  return "?";
}

namespace {

// ---------------------------------------------------------------------------------------------
// The small reader.

struct RawField {
  std::string_view name;       // up to the first ":" (the whole line if none)
  std::string_view value;      // after it, OWS trimmed
  std::string_view raw_value;  // after it, as sent
  bool has_colon = false;
};

struct RawMessage {
  std::string_view bytes;  // from the message's first byte to the end of the stream
  std::string_view request_line;
  std::vector<std::string_view> words;  // request_line split at each SP
  std::vector<RawField> fields;
  bool head_complete = false;  // an empty line ended the head
  std::size_t body_start = 0;  // offset in `bytes` once head_complete

  std::string_view method() const { return words.empty() ? std::string_view{} : words[0]; }
  std::string_view target() const { return words.size() < 2 ? std::string_view{} : words[1]; }
  std::string_view version() const { return words.size() < 3 ? std::string_view{} : words[2]; }
  std::vector<std::string_view> values(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const RawField& f : fields) {
      if (f.has_colon && iequals(f.name, name)) out.push_back(f.value);
    }
    return out;
  }
};

RawMessage read_message(std::string_view bytes) {
  RawMessage m;
  m.bytes = bytes;
  std::size_t i = 0;
  while (bytes.substr(i, 2) == "\r\n") i += 2;  // RFC 9112 §2.2: empty lines before it
  std::size_t eol = bytes.find("\r\n", i);
  m.request_line =
      bytes.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i);
  for (std::string_view rest = m.request_line;;) {
    const std::size_t sp = rest.find(' ');
    m.words.push_back(rest.substr(0, sp));
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  if (eol == std::string_view::npos) return m;
  i = eol + 2;
  for (;;) {
    eol = bytes.find("\r\n", i);
    if (eol == std::string_view::npos) return m;
    if (eol == i) {
      m.head_complete = true;
      m.body_start = i + 2;
      return m;
    }
    const std::string_view line = bytes.substr(i, eol - i);
    const std::size_t colon = line.find(':');
    RawField f;
    f.name = line.substr(0, colon);
    f.has_colon = colon != std::string_view::npos;
    if (f.has_colon) {
      f.raw_value = line.substr(colon + 1);
      f.value = trim_ows(f.raw_value);
    }
    m.fields.push_back(f);
    i = eol + 2;
  }
}

// The version word "HTTP/x.y" as digits, or {-1, -1}.
std::array<int, 2> version_digits(std::string_view v) {
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.' ||
      !is_digit(static_cast<unsigned char>(v[5])) || !is_digit(static_cast<unsigned char>(v[7]))) {
    return {-1, -1};
  }
  return {v[5] - '0', v[7] - '0'};
}

bool is_unreserved(unsigned char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool is_sub_delim(unsigned char c) {
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

// RFC 3986 §3.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), followed by ":".
std::size_t scheme_length(std::string_view t) {
  if (t.empty() || !is_alpha(static_cast<unsigned char>(t[0]))) return 0;
  std::size_t n = 1;
  while (n < t.size()) {
    const auto c = static_cast<unsigned char>(t[n]);
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') break;
    ++n;
  }
  return n < t.size() && t[n] == ':' ? n : 0;
}

// RFC 3986 §3.2.2 IP-literal, checked with inet_pton for IPv6 (an implementation that shares
// nothing with the grammar's), and IPvFuture by its ABNF.
bool is_ip_literal(std::string_view h) {
  if (h.size() < 2 || h.front() != '[' || h.back() != ']') return false;
  const std::string inner(h.substr(1, h.size() - 2));
  if (!inner.empty() && (inner[0] == 'v' || inner[0] == 'V')) {
    const std::size_t dot = inner.find('.');
    if (dot == std::string::npos || dot < 2 || dot + 1 == inner.size()) return false;
    for (std::size_t i = 1; i < dot; ++i) {
      if (!is_hexdig(static_cast<unsigned char>(inner[i]))) return false;
    }
    for (std::size_t i = dot + 1; i < inner.size(); ++i) {
      const auto c = static_cast<unsigned char>(inner[i]);
      if (!is_unreserved(c) && !is_sub_delim(c) && c != ':') return false;
    }
    return true;
  }
  unsigned char out[16];
  return inet_pton(AF_INET6, inner.c_str(), out) == 1;
}

// RFC 3986 §3.2.2 reg-name = *( unreserved / pct-encoded / sub-delims ) (IPv4address is a
// subset of it).
bool is_reg_name(std::string_view h) {
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto c = static_cast<unsigned char>(h[i]);
    if (c == '%') {
      if (i + 2 >= h.size() || !is_hexdig(static_cast<unsigned char>(h[i + 1])) ||
          !is_hexdig(static_cast<unsigned char>(h[i + 2]))) {
        return false;
      }
      i += 2;
    } else if (!is_unreserved(c) && !is_sub_delim(c)) {
      return false;
    }
  }
  return true;
}

// RFC 9110 §7.2 Host = uri-host [ ":" port ]
bool is_valid_host(std::string_view v) {
  std::string_view host = v;
  std::string_view port;
  const std::size_t bracket = v.rfind(']');
  const std::size_t colon = v.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = v.substr(0, colon);
    port = v.substr(colon + 1);
  }
  for (char c : port) {
    if (!is_digit(static_cast<unsigned char>(c))) return false;
  }
  return host.empty() || is_reg_name(host) || is_ip_literal(host);
}

// RFC 3986 §3.3 pchar = unreserved / pct-encoded / sub-delims / ":" / "@", plus the other
// bytes `extra` allows ("/" in paths, "/" and "?" in queries). False at any other byte.
bool is_pchars(std::string_view s, std::string_view extra) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hexdig(static_cast<unsigned char>(s[i + 1])) ||
          !is_hexdig(static_cast<unsigned char>(s[i + 2]))) {
        return false;
      }
      i += 2;
    } else if (!is_unreserved(c) && !is_sub_delim(c) && c != ':' && c != '@' &&
               extra.find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// A path and optional "?" query: path = *( pchar / "/" ), query = *( pchar / "/" / "?" ).
bool is_path_and_query(std::string_view s) {
  const std::size_t q = s.find('?');
  if (q == std::string_view::npos) return is_pchars(s, "/");
  return is_pchars(s.substr(0, q), "/") && is_pchars(s.substr(q + 1), "/?");
}

bool is_authority_form(std::string_view t);

// RFC 9112 §3.2 request-target = origin-form / absolute-form / authority-form / asterisk-form
bool is_request_target(std::string_view t) {
  if (t.empty()) return false;
  if (t == "*") return true;                     // §3.2.4
  if (t[0] == '/') return is_path_and_query(t);  // §3.2.1
  if (is_authority_form(t)) return true;         // §3.2.3
  const std::size_t n = scheme_length(t);        // §3.2.2: absolute-URI
  if (n == 0) return false;
  std::string_view rest = t.substr(n + 1);
  if (rest.substr(0, 2) == "//") {
    const std::size_t end = rest.find_first_of("/?", 2);
    std::string_view authority = rest.substr(2, end == std::string_view::npos ? end : end - 2);
    const std::size_t at = authority.find('@');
    if (at != std::string_view::npos) {
      if (!is_pchars(authority.substr(0, at), "") ||
          authority.substr(0, at).find('@') != std::string_view::npos) {
        return false;
      }
      authority.remove_prefix(at + 1);
    }
    if (!is_valid_host(authority)) return false;
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  return is_path_and_query(rest);
}

// RFC 9112 §3.2.3 authority-form = uri-host ":" port
bool is_authority_form(std::string_view t) {
  const std::size_t colon = t.rfind(':');
  if (colon == std::string_view::npos) return false;
  const std::size_t bracket = t.rfind(']');
  if (bracket != std::string_view::npos && bracket > colon) return false;
  // RFC 9110 §9.3.6: CONNECT's port is a TCP port, 1 to 65535, without leading zeros.
  const std::string_view port = t.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port[0] == '0') return false;
  std::uint32_t value = 0;
  for (const char c : port) {
    if (!is_digit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return value <= 65535 && is_valid_host(t) && !t.substr(0, colon).empty();
}

// A chunk header of a chunked body: where its extension starts and ends (the CR).
struct ChunkHeader {
  std::uint64_t size = 0;
  std::size_t ext_start = 0;
  std::size_t ext_end = 0;
};

// Walks the chunk headers of the chunked body that starts at `at`, as far as they are
// well-formed: size, extension up to CRLF, data, CRLF.
std::vector<ChunkHeader> chunk_headers(std::string_view s, std::size_t at) {
  std::vector<ChunkHeader> out;
  for (;;) {
    std::uint64_t size = 0;
    const std::size_t digits = at;
    while (at < s.size() && is_hexdig(static_cast<unsigned char>(s[at])) && size < (1ull << 40)) {
      size = size * 16 + hex_value(static_cast<unsigned char>(s[at]));
      ++at;
    }
    if (at == digits) return out;
    const std::size_t cr = s.find("\r\n", at);
    if (cr == std::string_view::npos) {
      out.push_back({size, at, s.size()});
      return out;
    }
    out.push_back({size, at, cr});
    if (size == 0) return out;
    if (size > s.size() - (cr + 2)) return out;
    at = cr + 2 + static_cast<std::size_t>(size);
    if (s.size() - at < 2 || s.substr(at, 2) != "\r\n") return out;
    at += 2;
  }
}

// The field lines of the trailer section that follows the last chunk of the chunked body
// starting at `body`, as [begin, end) stream offsets (end at the line's CR, or at the stream's
// end), up to the empty line that closes the section. Empty if the body has no last chunk.
struct LineSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::vector<LineSpan> trailer_lines(std::string_view s, std::size_t body) {
  std::vector<LineSpan> out;
  const auto headers = chunk_headers(s, body);
  if (headers.empty() || headers.back().size != 0) return out;
  for (std::size_t line = headers.back().ext_end + 2; line < s.size();) {
    const std::size_t eol = s.find("\r\n", line);
    const std::size_t end = eol == std::string_view::npos ? s.size() : eol;
    if (end == line) break;  // the end of the trailer section
    out.push_back({line, end});
    line = end + 2;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The classes. Each takes the divergence and the message read by the reader.

struct Context {
  const Divergence& d;
  RawMessage m;
  // httpfsm's failure, with its offset in the stream.
  Error error = Error::none;
  std::size_t error_at = 0;
  // llhttp's failure.
  int ll_error = 0;
  std::size_t ll_error_at = 0;

  bool httpfsm_rejects() const { return d.kind == DivergenceKind::httpfsm_rejects; }
  bool llhttp_rejects() const { return d.kind == DivergenceKind::llhttp_rejects; }
  char at(std::size_t stream_offset) const {
    return stream_offset < d.stream.size() ? d.stream[stream_offset] : '\0';
  }
  // The request-target's extent in the stream.
  std::size_t target_begin() const {
    return static_cast<std::size_t>(m.target().data() - d.stream.data());
  }
  // In the request-target or on the SP that ends it (llhttp may report the position after
  // the byte it refused).
  bool in_target(std::size_t stream_offset) const {
    return !m.target().empty() && stream_offset >= target_begin() &&
           stream_offset <= target_begin() + m.target().size();
  }
  bool in_method(std::size_t stream_offset) const {
    const auto b = static_cast<std::size_t>(m.method().data() - d.stream.data());
    return stream_offset >= b && stream_offset <= b + m.method().size();
  }
};

bool unregistered_method(const Context& c) {
  if (!c.llhttp_rejects() || c.ll_error != HPE_INVALID_METHOD) return false;
  const std::string_view method = c.m.method();
  if (!is_token(method) || !c.in_method(c.ll_error_at)) return false;
#define HTTPFSM_LLHTTP_METHOD(num, name, string) \
  if (method == #string) return false;
  HTTP_METHOD_MAP(HTTPFSM_LLHTTP_METHOD)
#undef HTTPFSM_LLHTTP_METHOD
  return true;
}

// llhttp reads a request whose method is PRI as the start of the HTTP/2 connection preface
// ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RFC 9113 §3.4), whatever its target and version: after
// the request line it wants the preface's empty line and "SM" block, so it refuses a field line
// (HPE_INVALID_VERSION), pauses once it has the whole preface (HPE_PAUSED_H2_UPGRADE), and before
// that has no head to report while httpfsm has a complete one. To httpfsm PRI is a method token
// like any other. Found by differential_fuzzer: fuzz/regressions/differential_fuzzer/.
bool http2_preface_method(const Context& c) {
  if (c.m.method() != "PRI") return false;
  if (c.llhttp_rejects()) {
    return c.ll_error == HPE_INVALID_VERSION || c.ll_error == HPE_PAUSED_H2_UPGRADE;
  }
  // Both "accept": llhttp is still reading what it takes for the rest of the preface.
  return c.d.kind == DivergenceKind::differ && c.d.llhttp != nullptr &&
         !c.d.llhttp->headers_complete;
}

bool absolute_form_without_authority(const Context& c) {
  // llhttp may fail on the SP after such a target, or on the byte after that SP.
  if (!c.llhttp_rejects() || c.ll_error != HPE_INVALID_URL ||
      !(c.in_target(c.ll_error_at) || c.in_target(c.ll_error_at - 1))) {
    return false;
  }
  const std::string_view t = c.m.target();
  const std::size_t n = scheme_length(t);
  return n > 0 && t.substr(n + 1, 2) != "//";
}

bool userinfo_in_target(const Context& c) {
  if (!c.httpfsm_rejects() || c.error != Error::bad_target || !c.in_target(c.error_at)) {
    return false;
  }
  const std::string_view t = c.m.target();
  const std::size_t n = scheme_length(t);
  if (n == 0 || t.substr(n + 1, 2) != "//") return false;
  const std::string_view authority = t.substr(n + 3, t.find_first_of("/?#", n + 3) - (n + 3));
  return authority.find('@') != std::string_view::npos;
}

// RFC 3986 §3.1: a scheme may hold DIGIT, "+", "-" and "." after its first letter.
bool scheme_characters(const Context& c) {
  if (!c.llhttp_rejects() || c.ll_error != HPE_INVALID_URL || !c.in_target(c.ll_error_at)) {
    return false;
  }
  const std::string_view t = c.m.target();
  const std::size_t n = scheme_length(t);
  const std::size_t i = c.ll_error_at - c.target_begin();
  return n > 0 && i > 0 && i < n && !is_alpha(static_cast<unsigned char>(t[i]));
}

bool target_form_for_method(const Context& c) {
  if (!c.httpfsm_rejects() ||
      (c.error != Error::target_form_mismatch && c.error != Error::bad_target)) {
    return false;
  }
  // RFC 9112 §3.2.3: CONNECT takes authority-form, and only CONNECT does; §3.2.4: "*" is for
  // OPTIONS only.
  const std::string_view t = c.m.target();
  if (c.m.method() == "CONNECT") return !is_authority_form(t);
  if (c.error != Error::target_form_mismatch || t.empty()) return false;
  if (t == "*") return c.m.method() != "OPTIONS";
  return t[0] != '/' && scheme_length(t) == 0 && is_authority_form(t);
}

bool invalid_request_target(const Context& c) {
  return c.httpfsm_rejects() && c.error == Error::bad_target && !is_request_target(c.m.target());
}

bool bare_lf_line_terminator(const Context& c) {
  return c.httpfsm_rejects() && c.error == Error::bare_lf && c.at(c.error_at) == '\n' &&
         (c.error_at == c.d.start || c.at(c.error_at - 1) != '\r');
}

// RFC 9112 §2.2: a CR not followed by LF.
bool bare_cr(const Context& c) {
  return c.httpfsm_rejects() && c.error == Error::bare_cr && c.at(c.error_at) == '\r' &&
         c.error_at + 1 < c.d.stream.size() && c.at(c.error_at + 1) != '\n';
}

bool obs_fold(const Context& c) {
  if (!c.httpfsm_rejects()) return false;
  // httpfsm met the fold itself.
  if (c.error == Error::obs_fold && c.error_at >= 2 && is_ows(c.at(c.error_at)) &&
      c.at(c.error_at - 2) == '\r' && c.at(c.error_at - 1) == '\n') {
    return true;
  }
  // httpfsm judged a value at its line's end, before the fold that follows it, and refused it
  // (an empty Content-Length, say); llhttp judged the folded value ("Content-Length:\r\n 4"
  // is 4 to it). Found by differential_fuzzer: fuzz/regressions/differential_fuzzer/.
  // The error points at the empty value (its line's CR, or OWS before it).
  std::size_t i = c.error_at;
  while (is_ows(c.at(i))) ++i;
  return c.at(i) == '\r' && c.at(i + 1) == '\n' && is_ows(c.at(i + 2));
}

bool empty_field_name(const Context& c) {
  return c.httpfsm_rejects() && c.error == Error::bad_field_name && c.at(c.error_at) == ':' &&
         c.error_at >= 2 && c.at(c.error_at - 1) == '\n' && c.at(c.error_at - 2) == '\r';
}

bool missing_host(const Context& c) {
  const auto v = version_digits(c.m.version());
  return c.httpfsm_rejects() && c.error == Error::missing_host && c.m.head_complete && v[0] == 1 &&
         v[1] >= 1 && c.m.values("host").empty();
}

bool multiple_host(const Context& c) {
  return c.httpfsm_rejects() && c.error == Error::multiple_host && c.m.values("host").size() >= 2;
}

bool invalid_host(const Context& c) {
  if (!c.httpfsm_rejects() || c.error != Error::bad_host) return false;
  // The Host line whose value holds the offending byte (the first invalid one fails).
  for (const RawField& f : c.m.fields) {
    const auto begin = static_cast<std::size_t>(f.value.data() - c.d.stream.data());
    if (f.has_colon && iequals(f.name, "host") && c.error_at >= begin &&
        c.error_at <= begin + f.value.size()) {
      return !is_valid_host(f.value);
    }
  }
  return false;
}

// A Content-Length whose digits have HTAB beside them (`00\t`): llhttp refuses the HTAB,
// httpfsm trims OWS first. Found by differential_fuzzer: fuzz/regressions/differential_fuzzer/.
bool whitespace_in_content_length(const Context& c) {
  if (!c.llhttp_rejects() || c.ll_error != HPE_INVALID_CONTENT_LENGTH ||
      c.at(c.ll_error_at) != '\t') {
    return false;
  }
  for (const RawField& f : c.m.fields) {
    if (!f.has_colon || !iequals(f.name, "content-length") || f.value.empty()) continue;
    const auto begin = static_cast<std::size_t>(f.raw_value.data() - c.d.stream.data());
    if (c.ll_error_at < begin || c.ll_error_at >= begin + f.raw_value.size()) continue;
    for (char ch : f.value) {
      if (!is_digit(static_cast<unsigned char>(ch))) return false;
    }
    return true;
  }
  return false;
}

bool content_length_repeated_value(const Context& c) {
  if (!c.llhttp_rejects() ||
      (c.ll_error != HPE_UNEXPECTED_CONTENT_LENGTH && c.ll_error != HPE_INVALID_CONTENT_LENGTH)) {
    return false;
  }
  std::vector<std::string_view> all;
  for (std::string_view v : c.m.values("content-length")) {
    for (std::string_view e : split_list(v)) all.push_back(e);
  }
  if (all.size() < 2) return false;
  std::string_view first = all[0];
  while (first.size() > 1 && first[0] == '0') first.remove_prefix(1);
  for (std::string_view e : all) {
    if (e.empty()) return false;
    for (char ch : e) {
      if (!is_digit(static_cast<unsigned char>(ch))) return false;
    }
    while (e.size() > 1 && e[0] == '0') e.remove_prefix(1);
    if (e != first) return false;
  }
  return true;
}

std::vector<std::string_view> te_codings(const RawMessage& m) {
  std::vector<std::string_view> out;
  for (std::string_view v : m.values("transfer-encoding")) {
    for (std::string_view e : split_list(v)) {
      if (!e.empty()) out.push_back(e);
    }
  }
  return out;
}

bool transfer_encoding_not_chunked_final(const Context& c) {
  const auto codings = te_codings(c.m);
  return c.httpfsm_rejects() && c.error == Error::chunked_not_last && !codings.empty() &&
         !iequals(codings.back(), "chunked");
}

// Transfer-Encoding lines without a single coding: llhttp ignores the field, httpfsm counts
// it as present (with no chunked at the end, or beside Content-Length).
bool empty_transfer_encoding(const Context& c) {
  return c.httpfsm_rejects() &&
         (c.error == Error::chunked_not_last || c.error == Error::te_with_cl) &&
         !c.m.values("transfer-encoding").empty() && te_codings(c.m).empty();
}

// RFC 9112 §6.1 transfer-coding = token *( OWS ";" OWS transfer-parameter ),
// transfer-parameter = token BWS "=" BWS ( token / quoted-string )
bool is_transfer_coding(std::string_view e) {
  std::size_t i = 0;
  const auto token = [&] {
    const std::size_t b = i;
    while (i < e.size() && is_tchar(static_cast<unsigned char>(e[i]))) ++i;
    return i > b;
  };
  const auto ws = [&] {
    while (i < e.size() && is_ows(e[i])) ++i;
  };
  // RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, where a
  // quoted-pair ("\" then HTAB, SP, VCHAR or obs-text) may be an escaped DQUOTE: `"\"` is
  // not a whole quoted-string. (Searching for the next DQUOTE took it for one.)
  const auto quoted_string = [&] {
    for (++i; i < e.size(); ++i) {
      const auto b = static_cast<unsigned char>(e[i]);
      if (b == '"') {
        ++i;
        return true;
      }
      if (b == '\\') {
        if (++i == e.size()) return false;
        const auto q = static_cast<unsigned char>(e[i]);
        if (!(q == '\t' || q == ' ' || (q >= 0x21 && q != 0x7f))) return false;
      } else if (!(b == '\t' || b == ' ' || (b >= 0x21 && b != 0x7f))) {
        return false;
      }
    }
    return false;
  };
  if (!token()) return false;
  for (;;) {
    ws();
    if (i == e.size()) return true;
    if (e[i] != ';') return false;
    ++i;
    ws();
    if (!token()) return false;
    ws();
    if (i == e.size() || e[i] != '=') return false;
    ++i;
    ws();
    if (i < e.size() && e[i] == '"') {
      if (!quoted_string()) return false;
    } else if (!token()) {
      return false;
    }
  }
}

bool malformed_transfer_encoding(const Context& c) {
  if (!c.httpfsm_rejects() || c.error != Error::bad_transfer_encoding) return false;
  for (std::string_view v : c.m.values("transfer-encoding")) {
    for (std::string_view e : split_list(v)) {
      if (!e.empty() && !is_transfer_coding(e)) return true;
    }
  }
  return false;
}

bool empty_list_elements(const Context& c) {
  if (!c.llhttp_rejects() || c.ll_error != HPE_INVALID_TRANSFER_ENCODING) return false;
  bool empty = false;
  for (std::string_view v : c.m.values("transfer-encoding")) {
    for (std::string_view e : split_list(v)) empty = empty || e.empty();
  }
  const auto codings = te_codings(c.m);
  return empty && codings.size() == 1 && iequals(codings[0], "chunked");
}

bool transfer_coding_not_implemented(const Context& c) {
  if (!c.httpfsm_rejects() || c.error != Error::unknown_coding) return false;
  const auto codings = te_codings(c.m);
  if (codings.empty() || !iequals(codings.back(), "chunked")) return false;
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (iequals(codings[i], "chunked")) return false;
  }
  return codings.size() >= 2;
}

bool transfer_encoding_in_http10(const Context& c) {
  return c.httpfsm_rejects() && c.error == Error::te_in_http10 && c.m.version() == "HTTP/1.0" &&
         !c.m.values("transfer-encoding").empty();
}

bool unsupported_major_version(const Context& c) {
  // The major digit of "HTTP/x." is not 1.
  return c.httpfsm_rejects() && c.error == Error::unsupported_version && c.error_at >= 5 &&
         c.d.stream.substr(c.error_at - 5, 5) == "HTTP/" &&
         is_digit(static_cast<unsigned char>(c.at(c.error_at))) && c.at(c.error_at) != '1';
}

bool higher_minor_version(const Context& c) {
  const auto v = version_digits(c.m.version());
  return c.llhttp_rejects() && c.ll_error == HPE_INVALID_VERSION && v[0] == 1 && v[1] >= 2;
}

bool request_line_whitespace(const Context& c) {
  if (!c.httpfsm_rejects() ||
      (c.error != Error::bad_request_line && c.error != Error::bad_version &&
       c.error != Error::bad_target && c.error != Error::bad_method)) {
    return false;
  }
  // The offending byte is a SP that starts the line, follows another SP, or ends the line.
  const auto line = static_cast<std::size_t>(c.m.request_line.data() - c.d.stream.data());
  if (c.error_at < line || c.at(c.error_at) != ' ') return false;
  return c.error_at == line || c.at(c.error_at - 1) == ' ' || c.at(c.error_at + 1) == '\r';
}

bool http09_request_line(const Context& c) {
  if (!c.httpfsm_rejects() || c.error != Error::bad_request_line) return false;
  // The request-line ends (CR or LF) right after "method SP target".
  const auto line = static_cast<std::size_t>(c.m.request_line.data() - c.d.stream.data());
  const std::size_t end = c.d.stream.find_first_of("\r\n", line);
  if (end != c.error_at) return false;
  const std::string_view words = c.d.stream.substr(line, end - line);
  const std::size_t sp = words.find(' ');
  return sp != std::string_view::npos && is_token(words.substr(0, sp)) && sp + 1 < words.size() &&
         words.find(' ', sp + 1) == std::string_view::npos;
}

bool chunk_ext_syntax(const Context& c) {
  const MessageRecord* h = c.d.httpfsm;
  if (h == nullptr || h->head_progress != Progress::complete ||
      h->head.framing != Framing::chunked) {
    return false;
  }
  const std::size_t body = c.d.start + h->head_consumed;
  const std::size_t at = c.httpfsm_rejects() ? c.error_at : c.ll_error_at;
  for (const ChunkHeader& ch : chunk_headers(c.d.stream, body)) {
    if (at < ch.ext_start || at > ch.ext_end) continue;
    const std::string_view ext = c.d.stream.substr(ch.ext_start, ch.ext_end - ch.ext_start);
    const ChunkExtScan scan = scan_chunk_ext(ext);
    const std::size_t i = at - ch.ext_start;
    if (c.httpfsm_rejects()) {
      // httpfsm names the first byte no chunk-ext continues with (or the CR ending an
      // incomplete one).
      if (c.error != Error::bad_chunk_ext) return false;
      return i == ext.size() ? scan.first_bad == std::string_view::npos && !scan.complete
                             : scan.first_bad == i;
    }
    // llhttp rejects while every byte before its error position can still begin a valid
    // chunk-ext (its position may be one past the byte it refused), or at the CR ending a
    // complete one.
    if (scan.first_bad != std::string_view::npos && scan.first_bad < i) return false;
    const bool at_cr = i == ext.size() && ch.ext_end < c.d.stream.size();
    return !at_cr || scan.complete;
  }
  return false;
}

// RFC 9110 §9.3.6: "A CONNECT request message does not have content." llhttp hands the
// connection over after the head; httpfsm frames what follows by Content-Length or
// Transfer-Encoding like any other request.
bool connect_request_body(const Context& c) {
  const MessageRecord* h = c.d.httpfsm;
  return c.d.llhttp_run != nullptr && c.d.llhttp_run->paused_upgrade && h != nullptr &&
         c.m.method() == "CONNECT" && h->head_progress == Progress::complete &&
         h->head.framing != Framing::no_body;
}

// RFC 9110 §5.6.1, RFC 9112 §5: OWS around list elements and around the field value is not
// part of them. llhttp refuses a Transfer-Encoding of "chunked" followed by HTAB.
bool whitespace_in_transfer_encoding(const Context& c) {
  bool tab = false;
  for (const RawField& f : c.m.fields) {
    if (f.has_colon && iequals(f.name, "transfer-encoding")) {
      tab = tab || f.raw_value.find('\t') != std::string_view::npos;
    }
  }
  if (!tab) return false;
  const auto codings = te_codings(c.m);
  const auto chunked = std::count_if(codings.begin(), codings.end(),
                                     [](std::string_view e) { return iequals(e, "chunked"); });
  // Or llhttp, not seeing a "chunked" that HTAB follows, sees it fewer times than httpfsm:
  // with chunked more than once httpfsm refuses a body chunked twice (chunked_not_last, RFC
  // 9112 §6.1 "MUST NOT apply the chunked transfer coding more than once"), while llhttp
  // decodes the chunks once or, on an upgrade request, hands the connection over. Without the
  // HTAB llhttp refuses such a request too.
  if (c.httpfsm_rejects() && c.error == Error::chunked_not_last && !c.llhttp_rejects() &&
      chunked > 1) {
    return true;
  }
  // Or, on a request with Upgrade and "Connection: upgrade", llhttp does not see chunked, so
  // no body, and hands the connection over after the head, while httpfsm decodes chunks.
  const MessageRecord* h = c.d.httpfsm;
  const bool handed_over = c.d.llhttp_run != nullptr && c.d.llhttp_run->paused_upgrade &&
                           h != nullptr && h->head_progress == Progress::complete &&
                           h->head.framing == Framing::chunked;
  if (!handed_over && (!c.llhttp_rejects() || c.ll_error != HPE_INVALID_TRANSFER_ENCODING))
    return false;
  return codings.size() == 1 && chunked == 1;
}

// RFC 9110 §6.5.1: framing fields cannot be trailers. llhttp checks Content-Length and
// Transfer-Encoding values in the trailer section as it does in the header section; httpfsm
// hands trailers over apart from the header section, uninterpreted (RFC 9110 §6.5.2 forbids
// merging them), so they cannot change the framing.
bool framing_field_in_trailers(const Context& c) {
  const MessageRecord* h = c.d.httpfsm;
  if (!c.llhttp_rejects() || h == nullptr || h->head_progress != Progress::complete ||
      h->head.framing != Framing::chunked) {
    return false;
  }
  for (const LineSpan line : trailer_lines(c.d.stream, c.d.start + h->head_consumed)) {
    const std::string_view text = c.d.stream.substr(line.begin, line.end - line.begin);
    const std::string_view name = text.substr(0, text.find(':'));
    // llhttp names an empty value only once the line has ended, past its CRLF.
    if ((iequals(name, "content-length") || iequals(name, "transfer-encoding")) &&
        c.ll_error_at >= line.begin && c.ll_error_at <= line.end + 2) {
      return true;
    }
  }
  return false;
}

// RFC 9112 §9.3: "close" ends persistence before the HTTP/1.0 "keep-alive" rule applies.
// llhttp keeps an HTTP/1.0 connection alive when "keep-alive" is present, "close" or not.
bool close_beside_keep_alive(const Context& c) {
  const MessageRecord* h = c.d.httpfsm;
  if (c.d.kind != DivergenceKind::differ || c.d.aspect != Aspect::keep_alive || h == nullptr ||
      c.d.llhttp == nullptr || h->head.keep_alive || !c.d.llhttp->keep_alive ||
      version_digits(c.m.version())[1] != 0) {
    return false;
  }
  bool close = false, keep_alive = false;
  for (std::string_view v : c.m.values("connection")) {
    for (std::string_view e : split_list(v)) {
      close = close || iequals(e, "close");
      keep_alive = keep_alive || iequals(e, "keep-alive");
    }
  }
  return close && keep_alive;
}

// A chunked message whose trailer section holds a Connection line: llhttp lets it end the
// connection, httpfsm decides persistence from the header section alone. Found by
// differential_fuzzer: fuzz/regressions/differential_fuzzer/.
bool connection_in_trailers(const Context& c) {
  const MessageRecord* h = c.d.httpfsm;
  if (c.d.kind != DivergenceKind::differ || c.d.aspect != Aspect::keep_alive || h == nullptr ||
      c.d.llhttp == nullptr || !h->head.keep_alive || c.d.llhttp->keep_alive ||
      h->head.framing != Framing::chunked) {
    return false;
  }
  for (const auto& [name, value] : h->trailers) {
    if (iequals(name, "connection")) return true;
  }
  return false;
}

// A Connection value whose `close` option has HTAB after it (`close\t`): llhttp does not see
// the option, httpfsm trims the OWS first. Found by differential_fuzzer:
// fuzz/regressions/differential_fuzzer/.
bool whitespace_in_connection(const Context& c) {
  const MessageRecord* h = c.d.httpfsm;
  if (c.d.kind != DivergenceKind::differ || c.d.aspect != Aspect::keep_alive || h == nullptr ||
      c.d.llhttp == nullptr || h->head.keep_alive || !c.d.llhttp->keep_alive) {
    return false;
  }
  for (const RawField& f : c.m.fields) {
    if (!f.has_colon || !iequals(f.name, "connection")) continue;
    for (std::string_view e : split_list(f.value)) {
      if (iequals(e, "close") && f.raw_value.find('\t') != std::string_view::npos) return true;
    }
  }
  return false;
}

// Limits (limits.hpp defaults): the measured input exceeds the limit httpfsm names.
bool configured_limit(const Context& c) {
  if (!c.httpfsm_rejects()) return false;
  const Limits l{};
  switch (c.error) {
    case Error::method_too_long:
      return c.m.method().size() > l.max_method;
    case Error::target_too_long:
      return c.m.target().size() > l.max_target;
    case Error::too_many_fields: {
      // The offending byte starts the line after max_fields complete ones: in the header
      // section, or in the trailer section, which has the same limit.
      const MessageRecord* h = c.d.httpfsm;
      if (h == nullptr || h->head_progress != Progress::complete) {
        return c.m.fields.size() >= l.max_fields;
      }
      std::size_t complete = 0;  // lines whose CRLF comes before the offending byte
      for (const LineSpan line : trailer_lines(c.d.stream, c.d.start + h->head_consumed)) {
        if (line.end < c.error_at) ++complete;
      }
      return complete >= l.max_fields;
    }
    case Error::body_too_large: {
      for (std::string_view v : c.m.values("content-length")) {
        for (std::string_view e : split_list(v)) {
          std::uint64_t n = 0;
          for (char d : e) {
            if (!is_digit(static_cast<unsigned char>(d)) || n > l.max_body) break;
            n = n * 10 + static_cast<unsigned>(d - '0');
          }
          if (n > l.max_body) return true;
        }
      }
      // A chunk-size over what the limit leaves after the chunks before it (the decoder
      // refuses a chunk that would take the content past max_body, counting what came
      // before): the digits at the offending byte.
      std::size_t i = c.error_at;
      while (i > 0 && is_hexdig(static_cast<unsigned char>(c.at(i - 1)))) --i;
      std::uint64_t before = 0;
      if (const MessageRecord* h = c.d.httpfsm) {
        for (const ChunkHeader& ch : chunk_headers(c.d.stream, c.d.start + h->head_consumed)) {
          if (ch.ext_start > i) break;  // the offending chunk
          before += ch.size;
        }
      }
      const std::uint64_t room = l.max_body - std::min(l.max_body, before);
      std::uint64_t size = 0;
      for (; i <= c.error_at && size <= room; ++i) {
        size = size * 16 + hex_value(static_cast<unsigned char>(c.at(i)));
      }
      return size > room;
    }
    case Error::chunk_ext_too_long: {
      const MessageRecord* h = c.d.httpfsm;
      for (const ChunkHeader& ch :
           chunk_headers(c.d.stream, c.d.start + (h ? h->head_consumed : 0))) {
        if (ch.ext_end - ch.ext_start > l.max_chunk_ext) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

struct ClassRule {
  AllowedClass id;
  bool (*matches)(const Context&);
};

constexpr ClassRule kRules[] = {
    {AllowedClass::unregistered_method, unregistered_method},
    {AllowedClass::http2_preface_method, http2_preface_method},
    {AllowedClass::absolute_form_without_authority, absolute_form_without_authority},
    {AllowedClass::userinfo_in_target, userinfo_in_target},
    {AllowedClass::scheme_characters, scheme_characters},
    {AllowedClass::target_form_for_method, target_form_for_method},
    {AllowedClass::invalid_request_target, invalid_request_target},
    {AllowedClass::request_line_whitespace, request_line_whitespace},
    {AllowedClass::http09_request_line, http09_request_line},
    {AllowedClass::unsupported_major_version, unsupported_major_version},
    {AllowedClass::higher_minor_version, higher_minor_version},
    {AllowedClass::bare_lf_line_terminator, bare_lf_line_terminator},
    {AllowedClass::bare_cr, bare_cr},
    {AllowedClass::obs_fold, obs_fold},
    {AllowedClass::empty_field_name, empty_field_name},
    {AllowedClass::missing_host, missing_host},
    {AllowedClass::multiple_host, multiple_host},
    {AllowedClass::invalid_host, invalid_host},
    {AllowedClass::content_length_repeated_value, content_length_repeated_value},
    {AllowedClass::whitespace_in_content_length, whitespace_in_content_length},
    {AllowedClass::transfer_encoding_not_chunked_final, transfer_encoding_not_chunked_final},
    {AllowedClass::empty_transfer_encoding, empty_transfer_encoding},
    {AllowedClass::malformed_transfer_encoding, malformed_transfer_encoding},
    {AllowedClass::empty_list_elements, empty_list_elements},
    {AllowedClass::transfer_coding_not_implemented, transfer_coding_not_implemented},
    {AllowedClass::transfer_encoding_in_http10, transfer_encoding_in_http10},
    {AllowedClass::chunk_ext_syntax, chunk_ext_syntax},
    {AllowedClass::connect_request_body, connect_request_body},
    {AllowedClass::whitespace_in_transfer_encoding, whitespace_in_transfer_encoding},
    {AllowedClass::framing_field_in_trailers, framing_field_in_trailers},
    {AllowedClass::close_beside_keep_alive, close_beside_keep_alive},
    {AllowedClass::connection_in_trailers, connection_in_trailers},
    {AllowedClass::whitespace_in_connection, whitespace_in_connection},
    {AllowedClass::configured_limit, configured_limit},
};

}  // namespace

std::optional<AllowedClass> classify(const Divergence& d) {
  Context c{d, read_message(d.message())};
  if (const MessageRecord* h = d.httpfsm) {
    if (h->head_progress == Progress::failed) {
      c.error = h->head_error;
      c.error_at = d.start + h->head_error_offset;
    } else if (h->head_progress == Progress::complete && h->body_progress == Progress::failed) {
      c.error = h->body_error;
      c.error_at = d.start + h->head_consumed + static_cast<std::size_t>(h->body_error_offset);
    }
  }
  if (d.llhttp_run != nullptr) {
    c.ll_error = d.llhttp_run->error;
    c.ll_error_at = d.llhttp_run->error_offset;
  }
  for (const ClassRule& rule : kRules) {
    if (rule.matches(c)) return rule.id;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Responses

namespace {

// The status-line as the small reader sees it: "HTTP/x.y SP ddd SP reason".
struct StatusLine {
  std::string_view line;     // without its CRLF
  std::string_view version;  // up to the first SP
  std::string_view code;     // up to the next SP (or the end of the line)
  std::string_view reason;   // after that SP
  bool has_reason_sp = false;
};

StatusLine read_status_line(std::string_view bytes) {
  StatusLine s;
  const std::size_t eol = bytes.find_first_of("\r\n");
  s.line = bytes.substr(0, eol);
  const std::size_t sp = s.line.find(' ');
  s.version = s.line.substr(0, sp);
  if (sp == std::string_view::npos) return s;
  const std::string_view rest = s.line.substr(sp + 1);
  const std::size_t sp2 = rest.find(' ');
  s.code = rest.substr(0, sp2);
  if (sp2 != std::string_view::npos) {
    s.has_reason_sp = true;
    s.reason = rest.substr(sp2 + 1);
  }
  return s;
}

bool three_digits(std::string_view c) {
  return c.size() == 3 && is_digit(static_cast<unsigned char>(c[0])) &&
         is_digit(static_cast<unsigned char>(c[1])) && is_digit(static_cast<unsigned char>(c[2]));
}

struct ResponseContext {
  const ResponseDivergence& d;
  const Context& c;  // the shared reader over the same bytes (its request-line words unused)
  StatusLine s;
  std::size_t line_end() const { return c.d.start + s.line.size(); }
};

// RFC 9112 §4 status-code = 3DIGIT; RFC 9110 §15: values outside 100..599 are invalid.
bool status_code_syntax(const ResponseContext& r) {
  if (!r.c.httpfsm_rejects() || r.c.error != Error::bad_status_code) return false;
  if (!three_digits(r.s.code)) return true;
  const int v = (r.s.code[0] - '0') * 100 + (r.s.code[1] - '0') * 10 + (r.s.code[2] - '0');
  return v < 100 || v > 599;
}

// RFC 9112 §4 status-line = HTTP-version SP status-code SP [ reason-phrase ]: the second SP is
// required, a single SP separates the parts.
bool status_line_syntax(const ResponseContext& r) {
  if (!r.c.httpfsm_rejects() ||
      (r.c.error != Error::bad_status_line && r.c.error != Error::bad_version) ||
      r.c.error_at > r.line_end()) {
    return false;
  }
  return !r.s.has_reason_sp || r.s.version.size() != 8 || !three_digits(r.s.code);
}

// RFC 9112 §4 reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
bool reason_phrase_characters(const ResponseContext& r) {
  if (!r.c.httpfsm_rejects() || r.c.error != Error::bad_reason_phrase) return false;
  const auto b = static_cast<unsigned char>(r.c.at(r.c.error_at));
  return r.c.error_at <= r.line_end() && b != '\t' && (b < 0x20 || b == 0x7f);
}

// "HTTP/x.y": httpfsm refuses another major version (505 to a server, 502 here); llhttp
// refuses a minor above 1, which RFC 9110 §2.5 says to read as the highest minor known.
bool status_line_version(const ResponseContext& r) {
  const auto v = version_digits(r.s.version);
  if (r.c.httpfsm_rejects()) {
    return r.c.error == Error::unsupported_version && r.s.version.substr(0, 5) == "HTTP/" &&
           r.s.version.size() > 5 && r.s.version[5] != '1';
  }
  return r.c.llhttp_rejects() && r.c.ll_error == HPE_INVALID_VERSION && v[0] == 1 && v[1] >= 2;
}

// RFC 9112 §6.1: "A server or client that receives an HTTP/1.0 message containing a
// Transfer-Encoding header field MUST treat the message as if the framing is faulty".
bool transfer_encoding_in_http10_response(const ResponseContext& r) {
  return r.c.httpfsm_rejects() && r.c.error == Error::te_in_http10 && r.s.version == "HTTP/1.0" &&
         !r.c.m.values("transfer-encoding").empty();
}

bool is_bodiless_status(int status) {
  return (status >= 100 && status < 200 && status != 101) || status == 204 || status == 304;
}

bool has_framing_field(const std::vector<std::pair<std::string, std::string>>& fields) {
  for (const auto& [name, value] : fields) {
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) return true;
  }
  return false;
}

// RFC 9112 §6.3 item 1: a 1xx, 204 or 304 response ends at its empty line "regardless of the
// header fields present". One of them with Content-Length or Transfer-Encoding, here or
// earlier in the stream: httpfsm reads no body and ignores the fields, llhttp may read a body
// or refuse the fields, and the streams part.
bool bodiless_status_framing(const ResponseContext& r) {
  if (three_digits(r.s.code)) {
    const int v = (r.s.code[0] - '0') * 100 + (r.s.code[1] - '0') * 10 + (r.s.code[2] - '0');
    if (is_bodiless_status(v) &&
        (!r.c.m.values("content-length").empty() || !r.c.m.values("transfer-encoding").empty())) {
      return true;
    }
  }
  const LlhttpRun* ll = r.d.llhttp_run;
  for (std::size_t i = 0; ll != nullptr && i < r.d.index && i < ll->messages.size(); ++i) {
    const LlhttpMessage& m = ll->messages[i];
    if (is_bodiless_status(m.status) && has_framing_field(m.fields)) return true;
  }
  return false;
}

// RFC 9110 §15.2.2: after a 101 the connection speaks the protocols named in Upgrade. httpfsm
// stops reading HTTP at any 101; llhttp pauses only when the response also has Upgrade and
// "Connection: upgrade", and otherwise reads on as HTTP (a body, more responses).
bool switching_protocols_without_upgrade(const ResponseContext& r) {
  const LlhttpRun* ll = r.d.llhttp_run;
  // The heads themselves must still agree; and llhttp must not have paused for the upgrade.
  if (ll == nullptr || ll->paused_upgrade || r.d.aspect == Aspect::status ||
      r.d.aspect == Aspect::version || r.d.aspect == Aspect::fields) {
    return false;
  }
  if (r.d.httpfsm != nullptr && r.d.httpfsm->status == 101) return true;
  for (std::size_t i = 0; i <= r.d.index && i < ll->messages.size(); ++i) {
    if (ll->messages[i].status == 101) return true;
  }
  return false;
}

// RFC 9110 §6.5.1, §6.5.2: a trailer cannot change framing or persistence. llhttp lets a
// Transfer-Encoding, Content-Length or Connection line in a chunked response's trailer
// section change llhttp_should_keep_alive(); httpfsm keeps the head's answer.
bool trailer_field_persistence(const ResponseContext& r) {
  if (r.d.kind != DivergenceKind::differ || r.d.aspect != Aspect::keep_alive ||
      r.d.llhttp == nullptr) {
    return false;
  }
  for (const auto& [name, value] : r.d.llhttp->trailers) {
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
        iequals(name, "connection")) {
      return true;
    }
  }
  return false;
}

// RFC 9110 §5.6.1: a recipient MUST accept and ignore empty list elements, so
// "Transfer-Encoding: chunked," is chunked (RFC 9112 §6.3 item 4) to httpfsm. llhttp reads the
// value as a coding other than chunked and so, in a response, the body as running until the
// close; the two read different bodies from the same bytes.
bool empty_element_in_response_transfer_encoding(const ResponseContext& r) {
  if (r.d.aspect == Aspect::status || r.d.aspect == Aspect::version ||
      r.d.aspect == Aspect::fields) {
    return false;
  }
  bool empty = false;
  for (std::string_view v : r.c.m.values("transfer-encoding")) {
    for (std::string_view e : split_list(v)) empty = empty || e.empty();
  }
  const auto codings = te_codings(r.c.m);
  return empty && !codings.empty() && iequals(codings.back(), "chunked");
}

// RFC 9112 §6.1: "A sender MUST NOT apply the chunked transfer coding more than once to a
// message body". httpfsm refuses such a response (chunked_not_last, as a request); llhttp reads
// the body until the close, or decodes the chunks once when chunked is also the final coding.
// Plain "chunked" only, as httpfsm counts it ("chunked;x=y" is another coding).
bool chunked_applied_twice_in_response(const ResponseContext& r) {
  if (!r.c.httpfsm_rejects() || r.c.error != Error::chunked_not_last) return false;
  int chunked = 0;
  for (std::string_view e : te_codings(r.c.m)) chunked += iequals(e, "chunked") ? 1 : 0;
  return chunked > 1;
}

// RFC 9110 §6.5.1 and §6.5.2 again, at the close: a chunked response cut by the close inside
// its trailer section, after a Transfer-Encoding trailer line. llhttp lets that line make the
// message one that ends at the close, and so reports the close as HPE_INVALID_EOF_STATE;
// httpfsm reports the response truncated (its trailer section never ended). Neither delivers
// the response.
bool trailer_transfer_encoding_at_close(const ResponseContext& r) {
  const ResponseRecord* h = r.d.httpfsm;
  if (r.d.kind != DivergenceKind::llhttp_rejects || r.c.ll_error != HPE_INVALID_EOF_STATE ||
      h == nullptr || !h->head_complete || h->framing != Framing::chunked ||
      h->error != Error::truncated || r.d.llhttp == nullptr) {
    return false;
  }
  for (const auto& [name, value] : r.d.llhttp->trailers) {
    if (iequals(name, "transfer-encoding")) return true;
  }
  return false;
}

// RFC 9112 §5 and RFC 9110 §5.6.1, in a response: OWS around the Transfer-Encoding value is
// not part of it, so "chunked\t" is chunked (§6.3 item 4) to httpfsm, which decodes chunks.
// llhttp, which refuses such a request, reads such a response's body as running until the
// close; the two read different bodies from the same bytes, or httpfsm refuses a body that is
// not chunked.
bool whitespace_in_response_transfer_encoding(const ResponseContext& r) {
  if (r.d.aspect == Aspect::status || r.d.aspect == Aspect::version ||
      r.d.aspect == Aspect::fields) {
    return false;
  }
  const ResponseRecord* h = r.d.httpfsm;
  if (h == nullptr || !h->head_complete || h->framing != Framing::chunked ||
      r.d.llhttp == nullptr || r.d.llhttp->chunked) {
    return false;
  }
  bool tab = false;
  for (const RawField& f : r.c.m.fields) {
    if (f.has_colon && iequals(f.name, "transfer-encoding")) {
      tab = tab || f.raw_value.find('\t') != std::string_view::npos;
    }
  }
  const auto codings = te_codings(r.c.m);
  return tab && !codings.empty() && iequals(codings.back(), "chunked");
}

struct ResponseRule {
  AllowedClass id;
  bool (*matches)(const ResponseContext&);
};

constexpr ResponseRule kResponseRules[] = {
    {AllowedClass::status_code_syntax, status_code_syntax},
    {AllowedClass::status_line_syntax, status_line_syntax},
    {AllowedClass::reason_phrase_characters, reason_phrase_characters},
    {AllowedClass::status_line_version, status_line_version},
    {AllowedClass::transfer_encoding_in_http10_response, transfer_encoding_in_http10_response},
    {AllowedClass::bodiless_status_framing, bodiless_status_framing},
    {AllowedClass::switching_protocols_without_upgrade, switching_protocols_without_upgrade},
    {AllowedClass::trailer_field_persistence, trailer_field_persistence},
    {AllowedClass::empty_element_in_response_transfer_encoding,
     empty_element_in_response_transfer_encoding},
    {AllowedClass::chunked_applied_twice_in_response, chunked_applied_twice_in_response},
    {AllowedClass::trailer_transfer_encoding_at_close, trailer_transfer_encoding_at_close},
    {AllowedClass::whitespace_in_response_transfer_encoding,
     whitespace_in_response_transfer_encoding},
};

// The request classes whose rule is about field lines, framing fields or chunks, the same in
// both directions; their predicates read nothing of the start line.
constexpr AllowedClass kSharedClasses[] = {
    AllowedClass::bare_lf_line_terminator,
    AllowedClass::bare_cr,
    AllowedClass::obs_fold,
    AllowedClass::empty_field_name,
    AllowedClass::content_length_repeated_value,
    AllowedClass::whitespace_in_content_length,
    AllowedClass::empty_transfer_encoding,
    AllowedClass::malformed_transfer_encoding,
    AllowedClass::empty_list_elements,
    AllowedClass::transfer_coding_not_implemented,
    AllowedClass::unsupported_major_version,
    AllowedClass::chunk_ext_syntax,
    AllowedClass::whitespace_in_transfer_encoding,
    AllowedClass::framing_field_in_trailers,
    AllowedClass::close_beside_keep_alive,
    AllowedClass::connection_in_trailers,
    AllowedClass::whitespace_in_connection,
    AllowedClass::configured_limit,
};

}  // namespace

std::optional<AllowedClass> classify_response(const ResponseDivergence& d) {
  // The response as the request classes see a message: a MessageRecord with its head's
  // framing, persistence and the offsets of its failure.
  MessageRecord m;
  std::size_t start = d.llhttp != nullptr ? d.llhttp->start : d.stream.size();
  if (const ResponseRecord* h = d.httpfsm) {
    start = h->start;
    const bool head_failed = !h->head_complete && h->error != Error::none;
    m.head_progress = h->head_complete ? Progress::complete
                      : head_failed    ? Progress::failed
                                       : Progress::need_more;
    if (head_failed) {
      m.head_error = h->error;
      m.head_error_offset = static_cast<std::uint32_t>(h->error_at - h->start);
    }
    m.head_consumed = static_cast<std::uint32_t>(h->head_bytes);
    m.head.version_minor = static_cast<std::uint8_t>(h->version_minor);
    m.head.framing = h->framing;
    m.head.content_length = h->content_length;
    m.head.keep_alive = h->keep_alive;
    if (h->head_complete) {
      m.body_progress = h->complete               ? Progress::complete
                        : h->error != Error::none ? Progress::failed
                                                  : Progress::need_more;
      if (h->error != Error::none) {
        m.body_error = h->error;
        m.body_error_offset = h->error_at - h->start - h->head_bytes;
      }
    }
  }
  Divergence shared;
  shared.kind = d.kind;
  shared.aspect = d.aspect;
  shared.stream = d.stream;
  shared.index = d.index;
  shared.start = start;
  shared.httpfsm = d.httpfsm != nullptr ? &m : nullptr;
  shared.llhttp = d.llhttp;
  shared.llhttp_run = d.llhttp_run;
  Context c{shared, read_message(shared.message())};
  if (d.httpfsm != nullptr && d.httpfsm->error != Error::none) {
    c.error = d.httpfsm->error;
    c.error_at = static_cast<std::size_t>(d.httpfsm->error_at);
  }
  if (d.llhttp_run != nullptr) {
    c.ll_error = d.llhttp_run->error;
    c.ll_error_at = d.llhttp_run->error_offset;
  }
  const ResponseContext r{d, c, read_status_line(shared.message())};
  for (const ResponseRule& rule : kResponseRules) {
    if (rule.matches(r)) return rule.id;
  }
  for (const ClassRule& rule : kRules) {
    for (const AllowedClass shared_class : kSharedClasses) {
      if (rule.id == shared_class && rule.matches(c)) return rule.id;
    }
  }
  return std::nullopt;
}

std::span<const std::string_view> all_class_names() {
  static constexpr std::string_view kNames[] = {
#define HTTPFSM_X(name) #name,
      HTTPFSM_DIFFERENTIAL_CLASSES(HTTPFSM_X)
#undef HTTPFSM_X
  };
  return kNames;
}

}  // namespace httpfsm::fuzz
