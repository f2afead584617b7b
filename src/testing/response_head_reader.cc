#include "testing/response_head_reader.hpp"

#include "char_class.hpp"
#include "httpfsm/request_head.hpp"
#include "test_support.hpp"

namespace httpfsm::testing {

namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// RFC 9110 §5.5 field-vchar, SP and HTAB; RFC 9112 §4 reason-phrase uses the same bytes.
bool is_text(char c) { return detail::kFieldValueByte[static_cast<unsigned char>(c)]; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

ResponseRead invalid(std::string why) { return {std::nullopt, std::move(why)}; }

// RFC 9110 §5.6.1 list elements, OWS trimmed.
std::vector<std::string_view> elements(std::string_view v) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = v.find(',', start);
    out.push_back(trim(v.substr(start, comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

ResponseRead read_response_head(std::string_view bytes, bool request_was_head) {
  const std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    // Incomplete, unless what is there is already wrong; a full check needs the whole head.
    return {};
  }
  ResponseHead h;
  h.size = end + 4;
  const std::string_view head = bytes.substr(0, end + 2);  // every line with its CRLF
  std::size_t pos = head.find("\r\n");
  const std::string_view line = head.substr(0, pos);
  // RFC 9112 §4 status-line = HTTP-version SP status-code SP [ reason-phrase ]
  if (line.size() < 13 || line.substr(0, 7) != "HTTP/1." || !is_digit(line[7]) || line[8] != ' ' ||
      !is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11]) || line[12] != ' ') {
    return invalid("malformed status-line: " + escape(line));
  }
  h.minor = line[7] - '0';
  h.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (h.status < 100) return invalid("status code below 100");
  h.reason = std::string(line.substr(13));
  for (char c : h.reason) {
    if (!is_text(c)) return invalid("forbidden byte in reason-phrase");
  }
  // RFC 9112 §5 field-line = field-name ":" OWS field-value OWS, no obs-fold, CRLF only.
  bool content_length_seen = false;
  bool transfer_encoding_seen = false;
  bool chunked_last = false;
  for (pos += 2; pos < head.size();) {
    const std::size_t eol = head.find("\r\n", pos);
    const std::string_view field = head.substr(pos, eol - pos);
    pos = eol + 2;
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return invalid("field line without a name");
    const std::string_view name = field.substr(0, colon);
    for (char c : name) {
      if (!detail::kTchar[static_cast<unsigned char>(c)]) return invalid("field name not a token");
    }
    const std::string_view value = trim(field.substr(colon + 1));
    for (char c : value) {
      if (!is_text(c)) return invalid("forbidden byte in the value of " + std::string(name));
    }
    h.fields.emplace_back(name, value);
    if (iequals(name, "content-length")) {
      // RFC 9110 §8.6 Content-Length = 1*DIGIT; a list of identical values is one value.
      for (std::string_view e : elements(value)) {
        if (e.empty() || e.size() > 19) return invalid("malformed Content-Length");
        std::uint64_t n = 0;
        for (char c : e) {
          if (!is_digit(c)) return invalid("malformed Content-Length");
          n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (content_length_seen && n != h.content_length) {
          return invalid("differing Content-Length values");
        }
        content_length_seen = true;
        h.content_length = n;
      }
    } else if (iequals(name, "transfer-encoding")) {
      transfer_encoding_seen = true;
      for (std::string_view e : elements(value)) {
        if (!e.empty()) chunked_last = iequals(e, "chunked");
      }
    }
  }
  const bool informational_or_no_content = h.status < 200 || h.status == 204;
  // RFC 9112 §6.1, RFC 9110 §8.6: no Transfer-Encoding or Content-Length in 1xx or 204.
  if (informational_or_no_content && (transfer_encoding_seen || content_length_seen)) {
    return invalid("framing field in a " + std::to_string(h.status) + " response");
  }
  // RFC 9112 §6.2: "A sender MUST NOT send a Content-Length header field in any message that
  // contains a Transfer-Encoding header field."
  if (transfer_encoding_seen && content_length_seen) {
    return invalid("both Transfer-Encoding and Content-Length");
  }
  if (request_was_head || informational_or_no_content || h.status == 304) {
    h.framing = ResponseFraming::no_body;
  } else if (transfer_encoding_seen) {
    h.framing = chunked_last ? ResponseFraming::chunked : ResponseFraming::close_delimited;
  } else if (content_length_seen) {
    h.framing = ResponseFraming::content_length;
  } else {
    h.framing = ResponseFraming::close_delimited;
  }
  if (h.framing != ResponseFraming::content_length) h.content_length = 0;
  return {h, ""};
}

void showValue(ResponseFraming f, std::ostream& os) {
  static const char* kFraming[] = {"no_body", "content_length", "chunked", "close_delimited"};
  os << kFraming[static_cast<int>(f)];
}

void showValue(const ResponseHead& h, std::ostream& os) {
  os << "{HTTP/1." << h.minor << " " << h.status << " \"" << escape(h.reason) << "\" [";
  for (const auto& [n, v] : h.fields) os << escape(n) << ": \"" << escape(v) << "\" ";
  os << "] ";
  showValue(h.framing, os);
  if (h.framing == ResponseFraming::content_length) os << " " << h.content_length;
  os << " size=" << h.size << "}";
}

}  // namespace httpfsm::testing
