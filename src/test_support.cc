#include "test_support.hpp"

#include <cstring>
#include <memory>

namespace httpfsm::testing {

FlushBuffer::FlushBuffer(std::string_view bytes)
    : data_(new char[bytes.size() == 0 ? 1 : bytes.size()]), size_(bytes.size()) {
  if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
}

std::string describe_head(std::span<const char> m, const RequestHead& h) {
  std::string s;
  s += text(m, h.method);
  s += ' ';
  s += text(m, h.target);
  s += " 1.";
  s += static_cast<char>('0' + h.version_minor);
  s += ' ';
  s += target_form_name(h.target_form);
  for (const Field& f : h.fields) {
    s += "; ";
    s += text(m, f.name);
    s += '=';
    s += text(m, f.value);
  }
  s += "; ";
  s += framing_name(h.framing);
  if (h.framing == Framing::content_length) s += ' ' + std::to_string(h.content_length);
  s += h.keep_alive ? " keep-alive" : " close";
  if (h.expect_continue) s += " 100-continue";
  return s;
}

std::string describe(const HeadOutcome& o) {
  switch (o.progress) {
    case Progress::complete:
      return o.description;
    case Progress::failed:
      return "error " + std::string(error_name(o.error)) + " @" + std::to_string(o.error_offset);
    case Progress::need_more:
      return "need_more";
  }
  return "?";
}

namespace {

// Feeds `parser` the prefixes of `bytes` ending at each cut, then all of it; `describe_as`
// names a complete head. Shared by both directions' head parsers.
template <class Parser, class Describe>
HeadOutcome feed_in_pieces(Parser& parser, std::string_view bytes,
                           const std::vector<std::size_t>& cuts, Describe describe_as) {
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  HeadOutcome out;
  std::unique_ptr<FlushBuffer> buffer;
  for (std::size_t end : ends) {
    // A fresh, exactly sized copy of everything so far: the buffer moves on every call.
    buffer = std::make_unique<FlushBuffer>(bytes.substr(0, end));
    out.progress = parser.parse(buffer->span());
    if (out.progress != Progress::need_more) break;
  }
  out.consumed = parser.consumed();
  if (out.progress == Progress::failed) {
    out.error = parser.error();
    out.error_offset = parser.error_offset();
  } else if (out.progress == Progress::complete) {
    out.description = describe_as(buffer->span(), parser.head());
  }
  return out;
}

}  // namespace

HeadOutcome parse_in_pieces(HeadParser& parser, std::string_view bytes,
                            const std::vector<std::size_t>& cuts) {
  return feed_in_pieces(parser, bytes, cuts, [](std::span<const char> m, const RequestHead& h) {
    return describe_head(m, h);
  });
}

HeadOutcome parse_in_pieces(std::string_view bytes, const std::vector<std::size_t>& cuts,
                            const Limits& limits) {
  HeadParser parser(limits);
  return parse_in_pieces(parser, bytes, cuts);
}

std::string describe_response_head(std::span<const char> m, const ResponseHead& h) {
  std::string s = std::to_string(h.status);
  if (h.reason.length != 0) s += ' ' + std::string(text(m, h.reason));
  s += " 1.";
  s += static_cast<char>('0' + h.version_minor);
  for (const Field& f : h.fields) {
    s += "; ";
    s += text(m, f.name);
    s += '=';
    s += text(m, f.value);
  }
  s += "; ";
  s += framing_name(h.framing);
  if (h.framing == Framing::content_length) s += ' ' + std::to_string(h.content_length);
  s += h.keep_alive ? " keep-alive" : " close";
  if (h.interim) s += " interim";
  if (h.leaves_http) s += " leaves-http";
  return s;
}

HeadOutcome parse_response_in_pieces(ResponseHeadParser& parser, std::string_view bytes,
                                     const std::vector<std::size_t>& cuts) {
  return feed_in_pieces(parser, bytes, cuts, [](std::span<const char> m, const ResponseHead& h) {
    return describe_response_head(m, h);
  });
}

HeadOutcome parse_response_in_pieces(std::string_view bytes, const std::vector<std::size_t>& cuts,
                                     Method method, const Limits& limits) {
  ResponseHeadParser parser(limits);
  parser.reset(method);
  return parse_response_in_pieces(parser, bytes, cuts);
}

HeadOutcome parse_response_whole(std::string_view bytes, Method method, const Limits& limits) {
  return parse_response_in_pieces(bytes, {}, method, limits);
}

HeadOutcome parse_response_bytewise(std::string_view bytes, Method method, const Limits& limits) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
  return parse_response_in_pieces(bytes, cuts, method, limits);
}

HeadOutcome parse_whole(std::string_view bytes, const Limits& limits) {
  return parse_in_pieces(bytes, {}, limits);
}

HeadOutcome parse_bytewise(std::string_view bytes, const Limits& limits) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
  return parse_in_pieces(bytes, cuts, limits);
}

std::string describe(const BodyOutcome& o) {
  std::string s;
  switch (o.progress) {
    case Progress::complete:
      s = "complete";
      break;
    case Progress::failed:
      s = "error " + std::string(error_name(o.error)) + " @" + std::to_string(o.error_offset);
      break;
    case Progress::need_more:
      s = "need_more";
      break;
  }
  s += " content=" + escape(o.content) + " consumed=" + std::to_string(o.consumed);
  if (!o.trailers.empty()) s += " trailers=" + o.trailers;
  return s;
}

BodyOutcome decode_in_pieces(Framing framing, std::uint64_t content_length, std::string_view body,
                             const std::vector<std::size_t>& cuts, const Limits& limits) {
  BodyDecoder decoder(limits);
  decoder.start(framing, content_length);
  std::vector<std::size_t> ends = cuts;
  ends.push_back(body.size());
  BodyOutcome out;
  std::string pending;  // received, not yet consumed
  std::size_t fed = 0;
  std::unique_ptr<FlushBuffer> buffer;
  for (std::size_t end : ends) {
    pending.append(body.substr(fed, end - fed));
    fed = end;
    for (;;) {
      buffer = std::make_unique<FlushBuffer>(pending);
      const BodyStep step = decoder.decode(buffer->span());
      out.content.append(step.data.data(), step.data.size());
      out.consumed += step.consumed;
      out.progress = step.progress;
      if (step.progress == Progress::complete) {
        for (const Field& f : decoder.trailers()) {
          if (!out.trailers.empty()) out.trailers += "; ";
          out.trailers += text(buffer->span(), f.name);
          out.trailers += '=';
          out.trailers += text(buffer->span(), f.value);
        }
      }
      pending.erase(0, step.consumed);
      if (step.progress != Progress::need_more || step.consumed == 0) break;
    }
    if (out.progress != Progress::need_more) break;
  }
  if (out.progress == Progress::failed) {
    out.error = decoder.error();
    out.error_offset = decoder.error_offset();
    out.consumed = out.error_offset;
  }
  return out;
}

void PrintTo(const HeadOutcome& o, std::ostream* os) {
  *os << describe(o) << " consumed=" << o.consumed;
}
void PrintTo(const BodyOutcome& o, std::ostream* os) { *os << describe(o); }

std::string escape(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r') {
      s += "\\r";
    } else if (c == '\n') {
      s += "\\n";
    } else if (c == '\t') {
      s += "\\t";
    } else if (c == '\\') {
      s += "\\\\";
    } else if (c < 0x20 || c >= 0x7f) {
      s += "\\x";
      s += kHex[c >> 4];
      s += kHex[c & 15];
    } else {
      s += static_cast<char>(c);
    }
  }
  return s;
}

namespace {

std::string trailer_text(std::span<const char> input, std::span<const Field> trailers) {
  std::string t;
  for (const Field& f : trailers) {
    t += t.empty() ? " " : "; ";
    t += text(input, f.name);
    t += '=';
    t += text(input, f.value);
  }
  return t;
}

template <class Reader, class Describe>
std::vector<std::string> read_all(Reader& reader, std::string_view bytes,
                                  const std::vector<std::size_t>& cuts, Describe describe_as) {
  std::vector<std::string> events;
  const auto add = [&events](std::string e) {
    if (e.starts_with("data ") && !events.empty() && events.back().starts_with("data ")) {
      events.back() += e.substr(5);
    } else {
      events.push_back(std::move(e));
    }
  };
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  std::string pending;
  std::size_t fed = 0;
  // Runs events until the reader needs more or stops; false once it stopped for good.
  const auto drain = [&](bool at_close) {
    for (int guard = 0; guard < 1000000; ++guard) {
      const FlushBuffer b(pending);
      const ReadStep s = at_close ? reader.finish(b.span()) : reader.next(b.span());
      switch (s.event) {
        case ReadEvent::need_more:
          pending.erase(0, s.consumed);
          return true;
        case ReadEvent::head:
          add("head " + describe_as(b.span(), reader.head()));
          break;
        case ReadEvent::data:
          add("data " + std::string(s.data.data(), s.data.size()));
          break;
        case ReadEvent::end:
          add("end" + trailer_text(b.span(), reader.trailers()));
          break;
        case ReadEvent::error:
          add("error " + std::string(error_name(reader.error())) + " @" +
              std::to_string(reader.error_offset()));
          return false;
        case ReadEvent::switched:
          // The rest of the stream, received or not, is the new protocol's.
          add("switched " + escape(pending + std::string(bytes.substr(fed))));
          return false;
        case ReadEvent::closed:
          add("closed");
          return false;
      }
      pending.erase(0, s.consumed);
      if (at_close) at_close = s.event != ReadEvent::end;  // after the end: closed
    }
    add("no progress");
    return false;
  };
  for (const std::size_t end : ends) {
    pending.append(bytes.substr(fed, end - fed));
    fed = end;
    if (!drain(false)) return events;
  }
  drain(true);
  return events;
}

}  // namespace

std::vector<std::string> read_requests(std::string_view bytes, const std::vector<std::size_t>& cuts,
                                       const Limits& limits) {
  RequestReader reader(limits);
  return read_all(reader, bytes, cuts, [](std::span<const char> m, const RequestHead& h) {
    return describe_head(m, h);
  });
}

std::vector<std::string> read_responses(std::string_view bytes, const std::vector<Method>& methods,
                                        const std::vector<std::size_t>& cuts,
                                        const Limits& limits) {
  ResponseReader reader(limits);
  for (const Method m : methods) reader.request_sent(m);
  return read_all(reader, bytes, cuts, [](std::span<const char> m, const ResponseHead& h) {
    return describe_response_head(m, h);
  });
}

}  // namespace httpfsm::testing
