// Response heads into a caller's buffer (RFC 9112 §4; RFC 9110 §15 reason phrases).
#include "httpfsm/response_writer.hpp"

#include <charconv>
#include <cstring>

#include "char_class.hpp"
#include "httpfsm/request_head.hpp"
#include "scan.hpp"

namespace httpfsm {

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    // RFC 9110 §15.2-§15.6, plus RFC 6585 (428, 429, 431) and RFC 7725 (451).
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 305:
      return "Use Proxy";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

bool ResponseWriter::append(std::string_view s) noexcept {
  if (!ok_ || s.size() > out_.size() - size_) return ok_ = false;
  std::memcpy(out_.data() + size_, s.data(), s.size());
  size_ += s.size();
  return true;
}

namespace {
// RFC 9110 §5.5: a value is field-vchar, SP and HTAB; CR, LF and NUL never (response splitting).
// The parser's skips test 16 bytes a step: a server writes several fields per response.
bool valid_value(std::string_view v) {
  const char* end = v.data() + v.size();
  return detail::find_field_value_end(v.data(), end, v.data()) == end;
}
bool valid_name(std::string_view n) {
  const char* end = n.data() + n.size();
  return !n.empty() && detail::find_token_end(n.data(), end, n.data()) == end;
}
}  // namespace

bool ResponseWriter::add_codings(std::string_view value) noexcept {
  // RFC 9110 §5.6.1 list: elements separated by commas with OWS, empty ones ignored. A
  // transfer-coding name is case-insensitive (RFC 9112 §7).
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view coding = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t'))
      coding.remove_prefix(1);
    while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t'))
      coding.remove_suffix(1);
    if (!iequals(coding, "chunked")) continue;
    if (chunked_) return false;
    chunked_ = true;
  }
  return true;
}

ResponseWriter& ResponseWriter::status(int code, std::string_view reason) noexcept {
  // RFC 9110 §15: three digits. RFC 9112 §4: reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
  if (code < 100 || code > 999) {
    ok_ = false;
    return *this;
  }
  if (reason.empty()) reason = reason_phrase(code);
  if (!valid_value(reason)) {
    ok_ = false;
    return *this;
  }
  status_ = code;
  char digits[3] = {static_cast<char>('0' + code / 100), static_cast<char>('0' + code / 10 % 10),
                    static_cast<char>('0' + code % 10)};
  append("HTTP/1.1 ") && append({digits, 3}) && append(" ") && append(reason) && append("\r\n");
  return *this;
}

ResponseWriter& ResponseWriter::field(std::string_view name, std::string_view value) noexcept {
  if (!valid_name(name) || !valid_value(value)) {
    ok_ = false;
    return *this;
  }
  // RFC 9110 §8.6, RFC 9112 §6.1: no framing fields in a 1xx or 204 response (it has no
  // content, and a recipient would otherwise wait for one or misread what follows).
  const bool bodiless = (status_ >= 100 && status_ < 200) || status_ == 204;
  const bool is_length = iequals(name, "content-length");
  const bool is_coding = iequals(name, "transfer-encoding");
  if (bodiless && (is_length || is_coding)) {
    ok_ = false;
    return *this;
  }
  // RFC 9112 §6.2: no Content-Length in a message with Transfer-Encoding, whichever comes first.
  // §6.1: chunked is applied at most once, over every Transfer-Encoding line.
  if ((is_length && transfer_encoding_) ||
      (is_coding && (content_length_ || !add_codings(value)))) {
    ok_ = false;
    return *this;
  }
  content_length_ = content_length_ || is_length;
  transfer_encoding_ = transfer_encoding_ || is_coding;
  // One bound check for the whole line: "<name>: <value>\r\n".
  const std::size_t line = name.size() + value.size() + 4;
  if (!ok_ || line > out_.size() - size_) {
    ok_ = false;
    return *this;
  }
  char* p = out_.data() + size_;
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = ':';
  *p++ = ' ';
  if (!value.empty()) std::memcpy(p, value.data(), value.size());  // data() may be null
  p += value.size();
  *p++ = '\r';
  *p++ = '\n';
  size_ += line;
  return *this;
}

ResponseWriter& ResponseWriter::field(std::string_view name, std::uint64_t value) noexcept {
  char buf[20];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return field(name, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

ResponseWriter& ResponseWriter::content_length(std::uint64_t n) noexcept {
  return field("Content-Length", n);
}

ResponseWriter& ResponseWriter::chunked() noexcept { return field("Transfer-Encoding", "chunked"); }

ResponseWriter& ResponseWriter::date(std::int64_t unix_seconds) noexcept {
  char buf[kHttpDateSize];
  format_http_date(unix_seconds, std::span<char, kHttpDateSize>(buf));
  return field("Date", std::string_view(buf, kHttpDateSize));
}

std::size_t ResponseWriter::finish() noexcept {
  append("\r\n");
  return ok_ ? size_ : 0;
}

std::size_t write_chunk_header(std::uint64_t size, std::span<char> out) noexcept {
  char buf[18];
  const auto r = std::to_chars(buf, buf + 16, size, 16);
  auto n = static_cast<std::size_t>(r.ptr - buf);
  buf[n++] = '\r';
  buf[n++] = '\n';
  if (n > out.size()) return 0;
  std::memcpy(out.data(), buf, n);
  return n;
}

}  // namespace httpfsm
