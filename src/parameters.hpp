// A reader of the parameter lists that follow a media type or a disposition type:
//   RFC 9110 §5.6.6 parameters = *( OWS ";" OWS [ parameter ] )
//                   parameter  = parameter-name "=" parameter-value
//                   parameter-value = ( token / quoted-string )
// used by multipart_boundary (Content-Type) and the Content-Disposition helper. Values come
// out raw: a quoted-string without its quotes, quoted-pairs still escaped (unquote() removes
// them). Private to the library.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "char_class.hpp"

namespace httpfsm::detail {

struct Parameter {
  std::string_view name;
  std::string_view value;  // without quotes; quoted-pairs kept
  bool quoted = false;
  bool escaped = false;  // the quoted value holds a quoted-pair
};

inline bool is_ows(char c) { return c == ' ' || c == '\t'; }

// The length of the token at the start of `s` (RFC 9110 §5.6.2), 0 if none.
inline std::size_t token_length(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && kTchar[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(static_cast<unsigned char>(a[i])) !=
        ascii_lower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

class ParameterReader {
 public:
  // `rest`: the text after the type. `bws`: allow whitespace around "=" (RFC 6266 is written
  // in RFC 2616's notation, whose implied *LWS allows it; RFC 9110 §5.6.6 does not).
  ParameterReader(std::string_view rest, bool bws) : s_(rest), bws_(bws) {}

  // Reads the next parameter. false at the end or on a syntax error (then failed()).
  bool next(Parameter& out) {
    for (;;) {
      skip_ows();
      if (i_ == s_.size()) return false;
      if (s_[i_] != ';') return fail();
      ++i_;
      skip_ows();
      if (i_ == s_.size()) return false;
      if (s_[i_] == ';') continue;  // "[ parameter ]": empty parameters are allowed
      const std::size_t n = token_length(s_.substr(i_));
      if (n == 0) return fail();
      out.name = s_.substr(i_, n);
      i_ += n;
      if (bws_) skip_ows();
      if (i_ == s_.size() || s_[i_] != '=') return fail();
      ++i_;
      if (bws_) skip_ows();
      return read_value(out);
    }
  }
  bool failed() const { return failed_; }

 private:
  bool read_value(Parameter& out) {
    out.quoted = out.escaped = false;
    if (i_ < s_.size() && s_[i_] == '"') {
      // RFC 9110 §5.6.4 quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
      const std::size_t start = ++i_;
      while (i_ < s_.size() && s_[i_] != '"') {
        const auto c = static_cast<unsigned char>(s_[i_]);
        if (c == '\\') {
          if (i_ + 1 == s_.size() || !is_quoted_pair_byte(static_cast<unsigned char>(s_[i_ + 1])))
            return fail();
          out.escaped = true;
          i_ += 2;
          continue;
        }
        if (!is_qdtext(c)) return fail();
        ++i_;
      }
      if (i_ == s_.size()) return fail();
      out.value = s_.substr(start, i_ - start);
      out.quoted = true;
      ++i_;
      return true;
    }
    const std::size_t n = token_length(s_.substr(i_));
    if (n == 0) return fail();
    out.value = s_.substr(i_, n);
    i_ += n;
    return true;
  }
  // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
  static bool is_qdtext(unsigned char c) {
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
           (c >= 0x5d && c != 0x7f);
  }
  // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
  static bool is_quoted_pair_byte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }
  void skip_ows() {
    while (i_ < s_.size() && is_ows(s_[i_])) ++i_;
  }
  bool fail() {
    failed_ = true;
    return false;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  bool bws_;
  bool failed_ = false;
};

}  // namespace httpfsm::detail
