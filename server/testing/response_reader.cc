#include "testing/response_reader.hpp"

#include "httpfsm/request_head.hpp"
#include "httpfsm/response_writer.hpp"

namespace httpfsm::testing {

namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// field-vchar / SP / HTAB, obs-text included (RFC 9110 §5.5).
bool is_value_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == ' ' || u == '\t' || (u >= 0x21 && u != 0x7f);
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// The elements of a comma list (RFC 9110 §5.6.1), OWS trimmed, empty ones included.
std::vector<std::string_view> list_elements(std::string_view v) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t comma = v.find(',', start);
    std::string_view e = v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
    while (!e.empty() && is_ows(e.front())) e.remove_prefix(1);
    while (!e.empty() && is_ows(e.back())) e.remove_suffix(1);
    out.push_back(e);
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

class Cursor {
 public:
  explicit Cursor(std::string_view b) : b_(b) {}
  // The next line without its CRLF; need_more without a complete line, malformed on a bare
  // CR or LF.
  ReadStatus line(std::string_view* out, std::string* error) {
    const std::size_t lf = b_.find('\n', pos_);
    const std::size_t cr = b_.find('\r', pos_);
    if (cr != std::string_view::npos && (lf == std::string_view::npos || cr < lf)) {
      if (cr + 1 >= b_.size()) return ReadStatus::need_more;
      if (b_[cr + 1] != '\n') return fail(error, "bare CR", cr);
      *out = b_.substr(pos_, cr - pos_);
      pos_ = cr + 2;
      return ReadStatus::complete;
    }
    if (lf != std::string_view::npos) return fail(error, "bare LF", lf);
    return ReadStatus::need_more;
  }
  bool take(std::size_t n, std::string_view* out) {
    if (b_.size() - pos_ < n) return false;
    *out = b_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return b_.size() - pos_; }

  static ReadStatus fail(std::string* error, std::string what, std::size_t at) {
    *error = what + " at byte " + std::to_string(at);
    return ReadStatus::malformed;
  }

 private:
  std::string_view b_;
  std::size_t pos_ = 0;
};

ReadResult malformed(std::string error) {
  ReadResult r;
  r.status = ReadStatus::malformed;
  r.error = std::move(error);
  return r;
}

bool parse_decimal(std::string_view s, std::uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string_view HttpResponse::field(std::string_view name) const {
  for (const auto& [n, v] : fields) {
    if (iequals(n, name)) return v;
  }
  return {};
}

bool HttpResponse::has_field(std::string_view name) const { return count(name) > 0; }

std::size_t HttpResponse::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& f : fields) n += iequals(f.first, name) ? 1u : 0u;
  return n;
}

bool HttpResponse::closes() const {
  for (const auto& [n, v] : fields) {
    if (!iequals(n, "Connection")) continue;
    for (const std::string_view e : list_elements(v)) {
      if (iequals(e, "close")) return true;
    }
  }
  return false;
}

ReadResult read_response(std::string_view bytes, HttpResponse* out, const ReaderOptions& options) {
  *out = HttpResponse{};
  Cursor c(bytes);
  std::string error;
  std::string_view line;

  // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
  ReadStatus s = c.line(&line, &error);
  if (s != ReadStatus::complete)
    return s == ReadStatus::need_more ? ReadResult{} : malformed(error);
  if (line.size() < 13 || line.substr(0, 9) != "HTTP/1.1 " || line[12] != ' ') {
    return malformed("bad status line: " + std::string(line.substr(0, 40)));
  }
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return malformed("bad status code");
  }
  out->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (out->status < 100) return malformed("status below 100");
  out->reason = line.substr(13);
  for (char ch : out->reason) {
    if (!is_value_char(ch)) return malformed("control byte in reason phrase");
  }

  // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS
  for (;;) {
    s = c.line(&line, &error);
    if (s != ReadStatus::complete)
      return s == ReadStatus::need_more ? ReadResult{} : malformed(error);
    if (line.empty()) break;
    if (is_ows(line.front())) return malformed("obs-fold or leading whitespace in field line");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return malformed("field line without name");
    const std::string_view name = line.substr(0, colon);
    for (char ch : name) {
      if (!is_tchar(ch)) return malformed("bad field name: " + std::string(name));
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && is_ows(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_ows(value.back())) value.remove_suffix(1);
    for (char ch : value) {
      if (!is_value_char(ch)) return malformed("control byte in field " + std::string(name));
    }
    out->fields.emplace_back(name, value);
  }

  // RFC 9112 §6.3: how long is the body?
  const bool no_content =
      options.head_request || out->status < 200 || out->status == 204 || out->status == 304;
  const std::size_t te_count = out->count("Transfer-Encoding");
  const std::size_t cl_count = out->count("Content-Length");
  if (te_count > 0 && cl_count > 0) return malformed("both Transfer-Encoding and Content-Length");
  if (cl_count > 1) return malformed("more than one Content-Length");
  if (te_count > 1 || (te_count == 1 && !iequals(out->field("Transfer-Encoding"), "chunked"))) {
    return malformed("Transfer-Encoding other than chunked");
  }
  if (cl_count == 1) {
    std::uint64_t n = 0;
    if (!parse_decimal(out->field("Content-Length"), &n)) return malformed("bad Content-Length");
    out->content_length = n;
  }
  out->chunked = te_count == 1;
  if ((out->status < 200 || out->status == 204) && (te_count > 0 || cl_count > 0)) {
    return malformed("framing field on a 1xx or 204 response");
  }

  ReadResult r;
  if (no_content) {
    r.status = ReadStatus::complete;
    r.consumed = c.pos();
    return r;
  }
  if (out->content_length) {
    std::string_view body;
    if (!c.take(static_cast<std::size_t>(*out->content_length), &body)) return r;  // need_more
    out->body = body;
  } else if (out->chunked) {
    // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    for (;;) {
      s = c.line(&line, &error);
      if (s != ReadStatus::complete)
        return s == ReadStatus::need_more ? ReadResult{} : malformed(error);
      const std::size_t end = line.find(';');
      const std::string_view hex = line.substr(0, end);
      if (hex.empty() || hex.size() > 15) return malformed("bad chunk size");
      std::uint64_t size = 0;
      for (char ch : hex) {
        int d = -1;
        if (ch >= '0' && ch <= '9') d = ch - '0';
        if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
        if (d < 0) return malformed("bad chunk size");
        size = size * 16 + static_cast<std::uint64_t>(d);
      }
      if (size == 0) break;
      std::string_view data;
      std::string_view crlf;
      if (!c.take(static_cast<std::size_t>(size), &data) || !c.take(2, &crlf)) return ReadResult{};
      if (crlf != "\r\n") return malformed("chunk data not followed by CRLF");
      out->body += data;
    }
    for (;;) {  // trailer-section, then the final CRLF
      s = c.line(&line, &error);
      if (s != ReadStatus::complete)
        return s == ReadStatus::need_more ? ReadResult{} : malformed(error);
      if (line.empty()) break;
    }
  } else if (options.allow_close_delimited) {
    std::string_view rest;
    c.take(c.left(), &rest);
    out->body = rest;
  } else {
    return malformed("neither Content-Length nor chunked framing");
  }
  r.status = ReadStatus::complete;
  r.consumed = c.pos();
  return r;
}

bool read_responses(std::string_view bytes, std::vector<HttpResponse>* out, std::string* error,
                    std::span<const bool> head_requests) {
  out->clear();
  std::size_t final_index = 0;
  while (!bytes.empty()) {
    ReaderOptions o;
    o.head_request = final_index < head_requests.size() && head_requests[final_index];
    HttpResponse resp;
    const ReadResult r = read_response(bytes, &resp, o);
    if (r.status == ReadStatus::malformed) {
      *error = "response " + std::to_string(out->size() + 1) + ": " + r.error;
      return false;
    }
    if (r.status == ReadStatus::need_more) {
      *error = "response " + std::to_string(out->size() + 1) + " is incomplete (" +
               std::to_string(bytes.size()) + " bytes left)";
      return false;
    }
    if (resp.status >= 200) ++final_index;
    const bool switched = resp.status == 101;
    out->push_back(std::move(resp));
    bytes.remove_prefix(r.consumed);
    if (switched) break;  // RFC 9110 §15.2.2: what follows is the other protocol's
  }
  return true;
}

std::string check_server_invariants(const HttpResponse& r) {
  const std::string_view standard = reason_phrase(r.status);
  if (!standard.empty() && r.reason != standard) {
    return "reason phrase \"" + r.reason + "\" for " + std::to_string(r.status);
  }
  if (r.status >= 200 && r.count("Date") != 1) return "no single Date field";
  const bool no_content = r.status < 200 || r.status == 204 || r.status == 304;
  if (!no_content && !r.content_length && !r.chunked) return "no Content-Length or chunked";
  // RFC 9110 §8.6: a 304 may carry Content-Length only with the 200's length; this server
  // sends none (nor on 1xx and 204).
  if (no_content && r.count("Content-Length") != 0) return "Content-Length without content";
  // RFC 9110 §5.6.1.1: no empty list elements in the lists this server writes.
  for (const auto& [name, value] : r.fields) {
    for (const char* list : {"Allow", "Vary", "Content-Encoding", "Connection", "Accept-Ranges"}) {
      if (!iequals(name, list)) continue;
      for (const std::string_view e : list_elements(value)) {
        if (e.empty()) return "an empty element in " + name + ": " + value;
      }
    }
  }
  // RFC 9110 §5.3: no field that is not a list is sent on two lines.
  for (const char* singleton :
       {"Content-Type", "ETag", "Last-Modified", "Location", "Content-Range", "Retry-After"}) {
    if (r.count(singleton) > 1) return std::string("more than one ") + singleton + " field";
  }
  return "";
}

}  // namespace httpfsm::testing
