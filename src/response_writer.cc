// Response heads into a caller's buffer (RFC 9112 §4; RFC 9110 §15 reason phrases).
#include "httpfsm/response_writer.hpp"

#include <cassert>
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
  // The standard phrases are constants known valid: only a caller's reason is checked.
  if (reason.empty()) {
    reason = reason_phrase(code);
  } else if (!valid_value(reason)) {
    ok_ = false;
    return *this;
  }
  status_ = code;
  // One bound check for the whole line: "HTTP/1.1 NNN <reason>\r\n".
  const std::size_t line = 9 + 3 + 1 + reason.size() + 2;
  if (!ok_ || line > out_.size() - size_) {
    ok_ = false;
    return *this;
  }
  char* p = out_.data() + size_;
  std::memcpy(p, "HTTP/1.1 ", 9);
  p[9] = static_cast<char>('0' + code / 100);
  p[10] = static_cast<char>('0' + code / 10 % 10);
  p[11] = static_cast<char>('0' + code % 10);
  p[12] = ' ';
  p += 13;
  if (!reason.empty()) std::memcpy(p, reason.data(), reason.size());
  p += reason.size();
  p[0] = '\r';
  p[1] = '\n';
  size_ += line;
  return *this;
}

// Every framing field (Content-Length, Transfer-Encoding) is judged here, whichever way it is
// written (field(), content_length(), chunked()): RFC 9110 §8.6, RFC 9112 §6.1, no framing
// fields in a 1xx or 204 response (it has no content, and a recipient would otherwise wait
// for one or misread what follows); RFC 9112 §6.2, no Content-Length in a message with
// Transfer-Encoding, whichever comes first; §6.1, chunked applied at most once, over every
// Transfer-Encoding line. `value` is a Transfer-Encoding value's codings.
bool ResponseWriter::framing_allowed(bool is_length, bool is_coding,
                                     std::string_view value) noexcept {
  if (!is_length && !is_coding) return true;
  const bool bodiless = (status_ >= 100 && status_ < 200) || status_ == 204;
  if (bodiless) return false;
  if ((is_length && transfer_encoding_) ||
      (is_coding && (content_length_ || !add_codings(value)))) {
    return false;
  }
  content_length_ = content_length_ || is_length;
  transfer_encoding_ = transfer_encoding_ || is_coding;
  return true;
}

void ResponseWriter::put_line(std::string_view name, std::string_view value) noexcept {
  // One bound check for the whole line: "<name>: <value>\r\n".
  const std::size_t line = name.size() + value.size() + 4;
  if (!ok_ || line > out_.size() - size_) {
    ok_ = false;
    return;
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
}

ResponseWriter& ResponseWriter::field(std::string_view name, std::string_view value) noexcept {
  if (!valid_name(name) || !valid_value(value)) {
    ok_ = false;
    return *this;
  }
  if (!framing_allowed(iequals(name, "content-length"), iequals(name, "transfer-encoding"),
                       value)) {
    ok_ = false;
    return *this;
  }
  put_line(name, value);
  return *this;
}

ResponseWriter& ResponseWriter::field(std::string_view name, std::uint64_t value) noexcept {
  char buf[20];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return field(name, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

ResponseWriter& ResponseWriter::trusted_field(std::string_view name,
                                              std::string_view value) noexcept {
  // A caller that passes bytes it did not produce itself is a bug; builds without NDEBUG say so.
  assert(valid_name(name) && valid_value(value));
  assert(!iequals(name, "content-length") && !iequals(name, "transfer-encoding"));
  put_line(name, value);
  return *this;
}

// The fields below write a constant name and a value this writer produced itself (digits,
// an IMF-fixdate, "chunked"): valid by construction, so only the framing rules are checked.
ResponseWriter& ResponseWriter::content_length(std::uint64_t n) noexcept {
  if (!framing_allowed(true, false, {})) {
    ok_ = false;
    return *this;
  }
  char buf[20];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  put_line("Content-Length", std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  return *this;
}

ResponseWriter& ResponseWriter::chunked() noexcept {
  if (!framing_allowed(false, true, "chunked")) {
    ok_ = false;
    return *this;
  }
  put_line("Transfer-Encoding", "chunked");
  return *this;
}

ResponseWriter& ResponseWriter::date(std::int64_t unix_seconds) noexcept {
  char buf[kHttpDateSize];
  format_http_date(unix_seconds, std::span<char, kHttpDateSize>(buf));
  put_line("Date", std::string_view(buf, kHttpDateSize));
  return *this;
}

std::size_t ResponseWriter::finish() noexcept {
  if (!ok_ || out_.size() - size_ < 2) {
    ok_ = false;
    return 0;
  }
  out_[size_] = '\r';
  out_[size_ + 1] = '\n';
  return size_ += 2;
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
