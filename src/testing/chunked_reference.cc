#include "testing/chunked_reference.hpp"

#include <cstdint>

namespace httpfsm::testing {

namespace {

struct NeedMore {};
struct Invalid {
  std::size_t at;
};

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned hex_value(char c) {
  return c <= '9' ? static_cast<unsigned>(c - '0') : static_cast<unsigned>((c | 0x20) - 'a' + 10);
}
// RFC 9110 §5.6.2 tchar
bool is_tchar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool is_vchar_or_obs(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 0x21 && u <= 0x7e) || u >= 0x80;
}
bool is_ws(char c) { return c == ' ' || c == '\t'; }

class Recognizer {
 public:
  explicit Recognizer(std::string_view in, ChunkedVerdict& v) : in_(in), v_(v) {}

  // RFC 9112 §7.1 chunked-body = *chunk last-chunk trailer-section CRLF
  void body() {
    for (;;) {
      // chunk-size = 1*HEXDIG; last-chunk = 1*("0") [ chunk-ext ] CRLF
      expect(is_hex(peek()));
      std::uint64_t size = 0;
      while (is_hex(peek())) {
        if (size > (UINT64_MAX >> 4)) throw Invalid{p_};  // no such size
        size = size * 16 + hex_value(in_[p_++]);
      }
      ext();
      crlf();
      if (size == 0) break;
      // chunk-data = 1*OCTET, exactly chunk-size of them
      const std::size_t available = in_.size() - p_;
      if (available < size) {
        v_.content.append(in_.substr(p_));
        throw NeedMore{};
      }
      v_.content.append(in_.substr(p_, static_cast<std::size_t>(size)));
      p_ += static_cast<std::size_t>(size);
      in_data_end_ = true;
      crlf();
      in_data_end_ = false;
    }
    // trailer-section = *( field-line CRLF ), then CRLF
    for (;;) {
      if (peek() == '\r') {
        crlf();
        v_.kind = ChunkedVerdict::Kind::complete;
        v_.offset = p_;
        return;
      }
      // field-line = field-name ":" OWS field-value OWS; a line starting with whitespace
      // (obs-fold, RFC 9112 §5.2) is not a field-name.
      expect(is_tchar(peek()));
      while (is_tchar(peek())) ++p_;
      expect(peek() == ':');
      ++p_;
      while (is_ws(peek()) || is_vchar_or_obs(peek())) ++p_;
      crlf();
    }
  }

  std::size_t position() const { return p_; }
  bool in_data_end() const { return in_data_end_; }

 private:
  char peek() {
    if (p_ >= in_.size()) throw NeedMore{};
    return in_[p_];
  }
  void expect(bool ok) {
    if (!ok) throw Invalid{p_};
  }
  void crlf() {
    expect(peek() == '\r');
    ++p_;
    expect(peek() == '\n');
    ++p_;
  }
  void bws() {
    while (is_ws(peek())) ++p_;
  }
  void token() {
    expect(is_tchar(peek()));
    while (is_tchar(peek())) ++p_;
  }
  // RFC 9110 §5.6.4 quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
  void quoted_string() {
    ++p_;
    for (;;) {
      const char c = peek();
      if (c == '"') {
        ++p_;
        return;
      }
      if (c == '\\') {
        ++p_;
        expect(is_ws(peek()) || is_vchar_or_obs(peek()));
        ++p_;
        continue;
      }
      expect(is_ws(c) || (is_vchar_or_obs(c) && c != '"' && c != '\\'));
      ++p_;
    }
  }
  // RFC 9112 §7.1.1 chunk-ext = *( BWS ";" BWS chunk-ext-name
  //                                [ BWS "=" BWS chunk-ext-val ] )
  // Whitespace is only ever allowed before ";" or "=" or after them: a run of it must lead
  // to one of those.
  void ext() {
    for (;;) {
      const std::size_t start = p_;
      bws();
      if (peek() != ';') {
        expect(p_ == start);  // BWS not followed by ";"
        return;
      }
      ++p_;
      bws();
      token();
      const std::size_t after_name = p_;
      bws();
      if (peek() == '=') {
        ++p_;
        bws();
        if (peek() == '"') {
          quoted_string();
        } else {
          token();
        }
      } else if (p_ != after_name) {
        expect(peek() == ';');
      }
    }
  }

  std::string_view in_;
  ChunkedVerdict& v_;
  std::size_t p_ = 0;
  bool in_data_end_ = false;
};

}  // namespace

ChunkedVerdict recognize_chunked(std::string_view bytes) {
  ChunkedVerdict v;
  Recognizer r(bytes, v);
  try {
    r.body();
  } catch (const NeedMore&) {
    v.kind = ChunkedVerdict::Kind::need_more;
    v.offset = bytes.size();
  } catch (const Invalid& e) {
    v.kind = ChunkedVerdict::Kind::invalid;
    v.offset = e.at;
    v.after_cr = e.at > 0 && bytes[e.at - 1] == '\r';
    v.in_data_end = r.in_data_end();
  }
  return v;
}

}  // namespace httpfsm::testing
