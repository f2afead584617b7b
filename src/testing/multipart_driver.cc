#include "testing/multipart_driver.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace httpfsm::testing {

std::string escape_bytes(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    }
  }
  return out;
}

namespace {

class Log {
 public:
  void text(char kind, std::span<const char> data) {
    if (kind != open_) {
      close();
      open_ = kind;
    }
    pending_.append(data.data(), data.size());
  }
  void event(std::string_view e) {
    close();
    if (!log_.empty()) log_ += ' ';
    log_ += e;
  }
  std::string finish(std::string_view result) {
    event(result);
    return log_;
  }

 private:
  void close() {
    if (open_ == 0) return;
    if (!log_.empty()) log_ += ' ';
    log_ += open_;
    log_ += escape_bytes(pending_);
    pending_.clear();
    open_ = 0;
  }
  std::string log_;
  std::string pending_;
  char open_ = 0;
};

// Logs one step; false once the parser failed.
bool log_step(Log& log, const MultipartStep& s) {
  switch (s.event) {
    case MultipartEvent::need_more:
      break;
    case MultipartEvent::preamble:
      log.text('P', s.data);
      break;
    case MultipartEvent::part_begin:
      log.event("B");
      break;
    case MultipartEvent::header:
      log.event("H" + escape_bytes(s.name) + "=" + escape_bytes(s.value));
      break;
    case MultipartEvent::headers_end:
      log.event("E");
      break;
    case MultipartEvent::content:
      log.text('C', s.data);
      break;
    case MultipartEvent::part_end:
      log.event("/");
      break;
    case MultipartEvent::done:
      log.event("D");
      break;
    case MultipartEvent::epilogue:
      log.text('X', s.data);
      break;
    case MultipartEvent::failed:
      return false;
  }
  if (s.event != MultipartEvent::need_more && s.consumed == 0)
    throw std::logic_error("an event without progress");
  return true;
}

// Parses `input` until need_more or failure; returns the bytes left unconsumed.
std::size_t parse_until_need_more(MultipartParser& parser, Log& log, std::span<const char> input,
                                  bool& failed) {
  for (;;) {
    const MultipartStep s = parser.parse(input);
    if (s.consumed > input.size()) throw std::logic_error("consumed more than the input");
    if (!log_step(log, s)) {
      failed = true;
      return input.size();
    }
    input = input.subspan(s.consumed);
    if (s.event == MultipartEvent::need_more) return input.size();
  }
}

MultipartOutcome finish_outcome(MultipartParser& parser, Log& log, bool failed,
                                MultipartOutcome o) {
  const MultipartError e = failed ? parser.error() : parser.finish();
  o.error = e;
  if (e == MultipartError::none) {
    o.log = log.finish("ok");
  } else {
    o.error_offset = parser.error_offset();
    o.log = log.finish("error " + std::string(multipart_error_name(e)) + " @" +
                       std::to_string(o.error_offset));
  }
  return o;
}

}  // namespace

MultipartOutcome run_multipart_slices(std::string_view body, std::string_view boundary,
                                      const std::vector<std::size_t>& cuts, std::size_t step,
                                      const MultipartLimits& limits) {
  MultipartParser parser(limits);
  MultipartOutcome o;
  Log log;
  if (parser.start(boundary) != MultipartError::none) {
    o.error = parser.error();
    o.log = log.finish("error " + std::string(multipart_error_name(o.error)) + " @0");
    return o;
  }
  std::string carry;
  bool failed = false;
  std::size_t from = 0;
  for (std::size_t k = 0; k <= cuts.size() && !failed; ++k) {
    const std::size_t to = std::max(from, k < cuts.size() ? cuts[k] : body.size());
    // The slice in a buffer of its own, flush against its end.
    std::unique_ptr<char[]> own(new char[to - from + 1]);
    std::memcpy(own.get() + 1, body.data() + from, to - from);
    const std::span<const char> slice(own.get() + 1, to - from);
    from = to;
    std::size_t pos = 0;
    while (!failed) {
      if (carry.empty()) {
        const std::size_t left = parse_until_need_more(parser, log, slice.subspan(pos), failed);
        carry.assign(slice.data() + slice.size() - left, left);
        break;
      }
      if (pos == slice.size()) break;
      const std::size_t take = std::min(step, slice.size() - pos);
      carry.append(slice.data() + pos, take);
      pos += take;
      o.max_held = std::max(o.max_held, carry.size());
      const std::size_t left =
          parse_until_need_more(parser, log, {carry.data(), carry.size()}, failed);
      if (left <= take) {
        pos -= left;  // what is left is the slice's own: go back to it
        carry.clear();
      } else {
        carry.erase(0, carry.size() - left);
      }
    }
  }
  return finish_outcome(parser, log, failed, o);
}

MultipartOutcome run_multipart(std::string_view body, std::string_view boundary,
                               const std::vector<std::size_t>& cuts,
                               const MultipartLimits& limits) {
  MultipartParser parser(limits);
  MultipartOutcome o;
  Log log;
  if (parser.start(boundary) != MultipartError::none) {
    o.error = parser.error();
    o.log = log.finish("error " + std::string(multipart_error_name(o.error)) + " @0");
    return o;
  }
  std::string held;  // bytes the parser left unconsumed
  std::size_t from = 0;
  bool failed = false;
  for (std::size_t k = 0; k <= cuts.size() && !failed; ++k) {
    const std::size_t to = k < cuts.size() ? cuts[k] : body.size();
    if (to < from) continue;
    held.append(body.substr(from, to - from));
    from = to;
    // A fresh allocation of exactly the bytes, flush against its end.
    std::unique_ptr<char[]> buffer(new char[held.size() + 1]);
    char* const start = buffer.get() + 1;
    std::memcpy(start, held.data(), held.size());
    const std::size_t left = parse_until_need_more(parser, log, {start, held.size()}, failed);
    held.assign(start + held.size() - left, left);
    if (!failed) o.max_held = std::max(o.max_held, held.size());
  }
  return finish_outcome(parser, log, failed, o);
}

MultipartOutcome run_multipart_whole(std::string_view body, std::string_view boundary,
                                     const MultipartLimits& limits) {
  return run_multipart(body, boundary, {}, limits);
}

MultipartOutcome run_multipart_bytewise(std::string_view body, std::string_view boundary,
                                        const MultipartLimits& limits) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
  return run_multipart(body, boundary, cuts, limits);
}

std::string write_multipart(const BodyModel& body, std::string_view boundary) {
  // RFC 2046 §5.1.1 multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF
  //   body-part *encapsulation close-delimiter transport-padding [CRLF epilogue]
  std::string out;
  if (!body.preamble.empty()) out += body.preamble + "\r\n";
  const std::string dash = "--" + std::string(boundary);
  for (std::size_t i = 0; i < body.parts.size(); ++i) {
    out += (i == 0 ? "" : "\r\n") + dash + "\r\n";
    for (const auto& [name, value] : body.parts[i].headers) out += name + ": " + value + "\r\n";
    out += "\r\n" + body.parts[i].content;
  }
  out += (body.parts.empty() ? "" : "\r\n") + dash + "--";
  if (!body.epilogue.empty()) out += "\r\n" + body.epilogue;
  return out;
}

bool read_multipart(std::string_view body, std::string_view boundary, BodyModel& out,
                    MultipartError& error) {
  out = {};
  MultipartParser parser;
  error = parser.start(boundary);
  if (error != MultipartError::none) return false;
  std::span<const char> input(body.data(), body.size());
  for (;;) {
    const MultipartStep s = parser.parse(input);
    switch (s.event) {
      case MultipartEvent::need_more:
        error = parser.finish();
        return error == MultipartError::none;
      case MultipartEvent::failed:
        error = parser.error();
        return false;
      case MultipartEvent::preamble:
        out.preamble.append(s.data.data(), s.data.size());
        break;
      case MultipartEvent::part_begin:
        out.parts.emplace_back();
        break;
      case MultipartEvent::header:
        out.parts.back().headers.emplace_back(s.name, s.value);
        break;
      case MultipartEvent::content:
        out.parts.back().content.append(s.data.data(), s.data.size());
        break;
      case MultipartEvent::epilogue:
        out.epilogue.append(s.data.data(), s.data.size());
        break;
      default:
        break;
    }
    input = input.subspan(s.consumed);
  }
}

}  // namespace httpfsm::testing
