// Content-Disposition (httpfsm/content_disposition.hpp): RFC 6266 §4.1, RFC 7578 §4.2,
// RFC 8187 §3.2.
#include "httpfsm/content_disposition.hpp"

#include <cstddef>
#include <cstdint>

#include "char_class.hpp"
#include "parameters.hpp"

namespace httpfsm {

namespace {

// Hands out pieces of the caller's scratch buffer, front to back.
class Scratch {
 public:
  explicit Scratch(std::span<char> s) : s_(s) {}
  char* reserve(std::size_t n) { return n <= s_.size() - used_ ? s_.data() + used_ : nullptr; }
  void commit(std::size_t n) { used_ += n; }

 private:
  std::span<char> s_;
  std::size_t used_ = 0;
};

// RFC 9110 §5.6.4: "the backslash octet ("\") can be used as a single-octet quoting mechanism
// within quoted-string": drop each quoting backslash.
MultipartError unquote(std::string_view raw, Scratch& scratch, std::string_view& out) {
  char* const dst = scratch.reserve(raw.size());
  if (dst == nullptr) return MultipartError::buffer_too_small;
  std::size_t n = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\') ++i;  // the reader checked a byte follows
    dst[n++] = raw[i];
  }
  scratch.commit(n);
  out = {dst, n};
  return MultipartError::none;
}

// RFC 8187 §3.2.1 attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." /
//                             "^" / "_" / "`" / "|" / "~"
bool is_attr_char(unsigned char c) {
  if (detail::is_alpha(c) || detail::is_digit(c)) return true;
  for (char a : std::string_view("!#$&+-.^_`|~"))
    if (c == static_cast<unsigned char>(a)) return true;
  return false;
}

// Well-formed UTF-8 (RFC 3629 §4): no overlong forms, no surrogates, at most U+10FFFF.
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xc0u) != 0x80u) return false;
      cp = (cp << 6) | (t & 0x3fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return false;
    i += len;
  }
  return true;
}

// RFC 8187 §3.2.1 ext-value = charset "'" [ language ] "'" value-chars
//                 value-chars = *( pct-encoded / attr-char )
MultipartError decode_ext_value(std::string_view raw, Scratch& scratch, std::string_view& out) {
  const std::size_t q1 = raw.find('\'');
  if (q1 == std::string_view::npos) return MultipartError::bad_ext_value;
  const std::size_t q2 = raw.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return MultipartError::bad_ext_value;
  const std::string_view charset = raw.substr(0, q1);
  // language = Language-Tag (RFC 5646): letters, digits and "-"; it does not change the bytes.
  for (char c : raw.substr(q1 + 1, q2 - q1 - 1)) {
    const auto u = static_cast<unsigned char>(c);
    if (!detail::is_alpha(u) && !detail::is_digit(u) && c != '-')
      return MultipartError::bad_ext_value;
  }
  // §3.2.1: recipients must support UTF-8 and ISO-8859-1. Only UTF-8 is decoded here; any
  // other charset is refused rather than passed on as bytes of an unknown encoding.
  if (detail::token_length(charset) != charset.size() || charset.empty())
    return MultipartError::bad_ext_value;
  if (!detail::iequals(charset, "UTF-8")) return MultipartError::unsupported_charset;
  const std::string_view chars = raw.substr(q2 + 1);
  char* const dst = scratch.reserve(chars.size());
  if (dst == nullptr) return MultipartError::buffer_too_small;
  std::size_t n = 0;
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const auto c = static_cast<unsigned char>(chars[i]);
    if (c == '%') {
      if (chars.size() - i < 3 || !detail::is_hexdig(static_cast<unsigned char>(chars[i + 1])) ||
          !detail::is_hexdig(static_cast<unsigned char>(chars[i + 2])))
        return MultipartError::bad_ext_value;
      dst[n++] =
          static_cast<char>(detail::hex_value(static_cast<unsigned char>(chars[i + 1])) * 16 +
                            detail::hex_value(static_cast<unsigned char>(chars[i + 2])));
      i += 2;
    } else if (is_attr_char(c)) {
      dst[n++] = chars[i];
    } else {
      return MultipartError::bad_ext_value;
    }
  }
  if (!is_utf8({dst, n})) return MultipartError::bad_ext_value;
  scratch.commit(n);
  out = {dst, n};
  return MultipartError::none;
}

MultipartError plain_value(const detail::Parameter& p, Scratch& scratch, std::string_view& out) {
  if (p.escaped) return unquote(p.value, scratch, out);
  out = p.value;
  return MultipartError::none;
}

}  // namespace

ContentDispositionResult parse_content_disposition(std::string_view value,
                                                   std::span<char> scratch_buffer) noexcept {
  ContentDispositionResult r;
  ContentDisposition& d = r.disposition;
  // RFC 6266 §4.1 disposition-type = "inline" | "attachment" | disp-ext-type; a token.
  const std::size_t type_size = detail::token_length(value);
  if (type_size == 0) return {MultipartError::bad_content_disposition, {}};
  d.type = value.substr(0, type_size);

  Scratch scratch(scratch_buffer);
  detail::ParameterReader reader(value.substr(type_size), /*bws=*/true);
  detail::Parameter p;
  bool has_plain_filename = false;
  std::string_view plain_filename;
  std::string_view ext_filename;
  while (reader.next(p)) {
    MultipartError e = MultipartError::none;
    if (detail::iequals(p.name, "name")) {
      if (d.has_name) return {MultipartError::duplicate_parameter, {}};
      d.has_name = true;
      e = plain_value(p, scratch, d.name);
    } else if (detail::iequals(p.name, "filename")) {
      if (has_plain_filename) return {MultipartError::duplicate_parameter, {}};
      has_plain_filename = true;
      e = plain_value(p, scratch, plain_filename);
    } else if (detail::iequals(p.name, "filename*")) {
      if (d.filename_from_ext) return {MultipartError::duplicate_parameter, {}};
      d.filename_from_ext = true;
      // RFC 6266 §4.1: filename-parm = ... / "filename*" "=" ext-value: never quoted.
      if (p.quoted) return {MultipartError::bad_ext_value, {}};
      e = decode_ext_value(p.value, scratch, ext_filename);
    }
    if (e != MultipartError::none) return {e, {}};
  }
  if (reader.failed()) return {MultipartError::bad_content_disposition, {}};
  d.has_filename = has_plain_filename || d.filename_from_ext;
  d.filename = d.filename_from_ext ? ext_filename : plain_filename;
  return r;
}

ContentDispositionResult parse_form_data_disposition(std::string_view value,
                                                     std::span<char> scratch) noexcept {
  ContentDispositionResult r = parse_content_disposition(value, scratch);
  if (r.error != MultipartError::none) return r;
  // RFC 7578 §4.2; the type is a token, compared case-insensitively (RFC 6266 §4.1).
  if (!detail::iequals(r.disposition.type, "form-data"))
    return {MultipartError::not_form_data_part, {}};
  if (!r.disposition.has_name) return {MultipartError::missing_name, {}};
  return r;
}

}  // namespace httpfsm
