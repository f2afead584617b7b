// Message framing and the fields it depends on (RFC 9112 §3.2, §6; RFC 9110 §7.2, §8.6).
// Syntax is the grammar's job; this file gives meaning to the known fields as each line
// ends, then decides the framing when the head is complete, as nginx does after its parse
// and h11 in _body_framing. Plain C++ rather than Ragel: these are list and number rules
// with cross-field conditions, clearer as code.
#include <string_view>

#include "char_class.hpp"
#include "head_parser_actions.hpp"
#include "httpfsm/head_parser.hpp"
#include "machines.hpp"
#include "scan.hpp"

namespace httpfsm {

namespace {

using detail::kTchar;

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// Walks a comma-separated list (RFC 9110 §5.6.1), skipping OWS around elements. Empty
// elements are reported as empty views; callers decide whether they are allowed.
class ListReader {
 public:
  // `quoted_strings`: whether the list's grammar has quoted-strings (whose commas do not
  // split). Lists of bare tokens (Connection, RFC 9110 §7.6.1) have none: there a DQUOTE is
  // just an invalid byte, and must not hide the elements after it.
  explicit ListReader(std::string_view v, bool quoted_strings = true)
      : v_(v), quoted_strings_(quoted_strings) {}
  bool done() const { return pos_ > v_.size(); }
  // The next element, OWS trimmed, and its offset in the value.
  std::string_view next(std::size_t* at) {
    std::size_t end = pos_;
    bool quoted = false;
    while (end < v_.size() && (quoted || v_[end] != ',')) {
      if (v_[end] == '"' && quoted_strings_) quoted = !quoted;
      if (quoted && v_[end] == '\\' && end + 1 < v_.size()) ++end;
      ++end;
    }
    std::size_t b = pos_, e = end;
    while (b < e && is_ows(v_[b])) ++b;
    while (e > b && is_ows(v_[e - 1])) --e;
    pos_ = end + 1;
    *at = b;
    return v_.substr(b, e - b);
  }

 private:
  std::string_view v_;
  bool quoted_strings_;
  std::size_t pos_ = 0;
};

std::size_t token_length(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && kTchar[static_cast<unsigned char>(s[n])]) ++n;
  return n;
}

// RFC 9110 §5.6.4 quoted-string at the start of `s`; its length, or 0 if malformed.
std::size_t quoted_string_length(std::string_view s) {
  if (s.empty() || s[0] != '"') return 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '"') return i + 1;
    if (s[i] == '\\') ++i;  // quoted-pair; the grammar already checked the bytes
  }
  return 0;
}

// RFC 9112 §6.1 transfer-coding = token *( OWS ";" OWS transfer-parameter )
//               transfer-parameter = token BWS "=" BWS ( token / quoted-string )
// Returns false when malformed; *name is the coding, *has_params whether any follow.
bool parse_transfer_coding(std::string_view e, std::string_view* name, bool* has_params) {
  const std::size_t n = token_length(e);
  if (n == 0) return false;
  *name = e.substr(0, n);
  *has_params = false;
  std::size_t i = n;
  for (;;) {
    while (i < e.size() && is_ows(e[i])) ++i;
    if (i == e.size()) return true;
    if (e[i] != ';') return false;
    *has_params = true;
    ++i;
    while (i < e.size() && is_ows(e[i])) ++i;
    const std::size_t pn = token_length(e.substr(i));
    if (pn == 0) return false;
    i += pn;
    while (i < e.size() && is_ows(e[i])) ++i;
    if (i == e.size() || e[i] != '=') return false;
    ++i;
    while (i < e.size() && is_ows(e[i])) ++i;
    std::size_t vn = token_length(e.substr(i));
    if (vn == 0) vn = quoted_string_length(e.substr(i));
    if (vn == 0) return false;
    i += vn;
  }
}

}  // namespace

// Called by store_field (head_parser_actions.hpp), which has indexed the field already, for
// the known fields that carry framing or persistence rules.
void HeadParser::note_known_field(const char* data, std::uint32_t index, KnownField k) noexcept {
  const Field& f = fields_[index];
  const std::string_view value(data + f.value.offset, f.value.length);
  const std::uint32_t at = f.value.offset;
  // finish_framing must run (see end_head), unless this is "Connection: keep-alive" (below).
  if (k != KnownField::connection) framing_.rules_seen = true;

  switch (k) {
    case KnownField::host:
      return note_host(data, index);  // inline in head_parser_actions.hpp: every request has one
    case KnownField::content_length: {
      // RFC 9110 §8.6 Content-Length = 1*DIGIT. A list of identical values, in one line or
      // several, collapses to one value; differing values are an error (RFC 9112 §6.3 item
      // 5). Empty elements, signs, spaces inside, hex and overflow are all malformed.
      //
      // Fast path for the common shape, one element of 1 to 19 digits (no overflow in 64
      // bits): the list reading below would find the same single element, since a value
      // (already trimmed of OWS) of only digits has no comma, OWS or empty element.
      if (value.size() - 1 < 19) {
        std::uint64_t n = 0;
        std::size_t i = 0;
        for (; i < value.size(); ++i) {
          const auto d = static_cast<unsigned>(static_cast<unsigned char>(value[i]) - '0');
          if (d > 9) break;
          n = n * 10 + d;
        }
        if (i == value.size()) {
          if (framing_.has_content_length && n != framing_.content_length) {
            return fail(Error::conflicting_content_length, at);
          }
          framing_.has_content_length = true;
          framing_.content_length = n;
          framing_.content_length_offset = at;
          return;
        }
      }
      ListReader list(value);
      while (!list.done()) {
        std::size_t el = 0;
        const std::string_view e = list.next(&el);
        if (e.empty()) return fail(Error::bad_content_length, at + static_cast<std::uint32_t>(el));
        std::uint64_t n = 0;
        for (std::size_t i = 0; i < e.size(); ++i) {
          const auto d = static_cast<unsigned>(static_cast<unsigned char>(e[i]) - '0');
          if (d > 9 || n > (UINT64_MAX - d) / 10) {
            return fail(Error::bad_content_length, at + static_cast<std::uint32_t>(el + i));
          }
          n = n * 10 + d;
        }
        if (framing_.has_content_length && n != framing_.content_length) {
          return fail(Error::conflicting_content_length, at + static_cast<std::uint32_t>(el));
        }
        framing_.has_content_length = true;
        framing_.content_length = n;
        framing_.content_length_offset = at;
      }
      return;
    }
    case KnownField::transfer_encoding: {
      // RFC 9112 §6.1 Transfer-Encoding = #transfer-coding. Lines combine in order
      // (RFC 9110 §5.3); empty list elements are ignored (RFC 9110 §5.6.1).
      if (!framing_.has_transfer_encoding) framing_.transfer_encoding_offset = at;
      framing_.has_transfer_encoding = true;
      ListReader list(value);
      while (!list.done()) {
        std::size_t el = 0;
        const std::string_view e = list.next(&el);
        if (e.empty()) continue;
        std::string_view name;
        bool has_params = false;
        if (!parse_transfer_coding(e, &name, &has_params)) {
          return fail(Error::bad_transfer_encoding, at + static_cast<std::uint32_t>(el));
        }
        // Only plain "chunked" is chunked; "chunked;x=y" has no defined meaning.
        const bool chunked = !has_params && iequals(name, "chunked");
        framing_.te_final_chunked = chunked;
        if (chunked) {
          ++framing_.te_chunked_count;
        } else {
          framing_.te_other_coding = true;
        }
      }
      return;
    }
    case KnownField::connection: {
      // RFC 9112 §9.3 and §9.6: the "close" and "keep-alive" connection options. Most
      // requests send exactly one of them; compare those a word at a time.
      using detail::folded_equal;
      using detail::word;
      if (value.size() == 10 &&
          folded_equal<std::uint64_t>(value.data(), word<std::uint64_t>("keep-ali")) &&
          folded_equal<std::uint16_t>(value.data() + 8, word<std::uint16_t>("ve"))) {
        framing_.connection_keep_alive = true;
        // rules_seen stays: on HTTP/1.1 (RFC 9112 §9.3) persistence is the default, and an
        // HTTP/1.0 request goes through finish_framing anyway.
        return;
      }
      framing_.rules_seen = true;
      if (value.size() == 5 &&
          folded_equal<std::uint32_t>(value.data(), word<std::uint32_t>("clos")) &&
          (value[4] | 0x20) == 'e') {
        framing_.connection_close = true;
        return;
      }
      ListReader list(value, /*quoted_strings=*/false);
      while (!list.done()) {
        std::size_t el = 0;
        const std::string_view e = list.next(&el);
        if (iequals(e, "close")) framing_.connection_close = true;
        if (iequals(e, "keep-alive")) framing_.connection_keep_alive = true;
      }
      return;
    }
    case KnownField::expect: {
      // RFC 9110 §10.1.1: "100-continue" is the only expectation defined.
      ListReader list(value);
      while (!list.done()) {
        std::size_t el = 0;
        if (iequals(list.next(&el), "100-continue")) framing_.expect_continue = true;
      }
      return;
    }
    default:
      return;  // indexed only (has_rules = 0 in httpfsm/known_field_list.h)
  }
}

void HeadParser::finish_framing(const char*, std::uint32_t final_line) noexcept {
  const bool http11 = head_.version_minor >= 1;
  // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
  // HTTP/1.1 request message that lacks a Host header field".
  if (http11 && framing_.host_count == 0) return fail(Error::missing_host, final_line);

  if (framing_.has_transfer_encoding) {
    const std::uint32_t at = framing_.transfer_encoding_offset;
    // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
    if (!http11) return fail(Error::te_in_http10, at);
    // RFC 9112 §6.1: "A server MAY reject a request that contains both Content-Length and
    // Transfer-Encoding or process such a request in accordance with the Transfer-Encoding
    // alone." Both is the classic smuggling vector, so reject.
    if (framing_.has_content_length) return fail(Error::te_with_cl, framing_.content_length_offset);
    // RFC 9112 §6.3 item 4: chunked must be the final coding (and, §6.1, applied once).
    if (!framing_.te_final_chunked || framing_.te_chunked_count > 1) {
      return fail(Error::chunked_not_last, at);
    }
    // RFC 9112 §6.1: a coding we cannot undo -> 501. The decoder only undoes chunked.
    if (framing_.te_other_coding) return fail(Error::unknown_coding, at);
    head_.framing = Framing::chunked;
  } else if (framing_.has_content_length) {
    // RFC 9110 §15.5.14: refuse before reading a byte of the content.
    if (framing_.content_length > limits_.max_body) {
      return fail(Error::body_too_large, framing_.content_length_offset);
    }
    head_.framing = Framing::content_length;
    head_.content_length = framing_.content_length;
  } else {
    // RFC 9112 §6.3 item 7: a request without either has no body.
    head_.framing = Framing::no_body;
  }

  // RFC 9112 §9.3: persistence.
  head_.keep_alive = !framing_.connection_close && (http11 || framing_.connection_keep_alive);
  // RFC 9110 §10.1.1: "A server that receives a 100-continue expectation in an HTTP/1.0
  // request MUST ignore that expectation."
  head_.expect_continue = http11 && framing_.expect_continue;
}

}  // namespace httpfsm
