// The scan loop of httpfsm-inspect: HeadParser then BodyDecoder per message, with every
// byte of the stream already in memory, so "need more" at the end means the input ended
// inside a message (RFC 9112 §8: truncated).
#include "message_scan.hpp"

#include <httpfsm/body_decoder.hpp>
#include <httpfsm/head_parser.hpp>
#include <httpfsm/message_reader.hpp>

#include <span>

namespace inspect {

namespace {

bool only_empty_lines(std::string_view rest) {
  if (rest.size() % 2 != 0) return false;
  for (std::size_t i = 0; i < rest.size(); i += 2) {
    if (rest[i] != '\r' || rest[i + 1] != '\n') return false;
  }
  return true;
}

std::vector<FieldText> field_texts(std::string_view base, std::span<const httpfsm::Field> fs) {
  std::vector<FieldText> out;
  out.reserve(fs.size());
  for (const httpfsm::Field& f : fs) {
    out.push_back({httpfsm::text(base, f.name), httpfsm::text(base, f.value)});
  }
  return out;
}

void copy_head(std::string_view message, const httpfsm::HeadParser& parser, MessageReport& r) {
  const httpfsm::RequestHead& head = parser.head();
  r.head_complete = true;
  r.method = httpfsm::text(message, head.method);
  r.target = httpfsm::text(message, head.target);
  r.target_form = head.target_form;
  r.version_minor = head.version_minor;
  r.fields = field_texts(message, head.fields);
  r.framing = head.framing;
  r.content_length = head.content_length;
  r.keep_alive = head.keep_alive;
  r.expect_continue = head.expect_continue;
  r.head_bytes = parser.consumed();
}

}  // namespace

bool scan_messages(std::string_view input, const httpfsm::Limits& limits,
                   const std::function<void(const MessageReport&)>& on_message) {
  httpfsm::HeadParser parser(limits);
  httpfsm::BodyDecoder body(limits);
  std::uint64_t offset = 0;
  std::size_t index = 0;
  while (offset < input.size() && !only_empty_lines(input.substr(offset))) {
    const std::string_view message = input.substr(offset);
    MessageReport r;
    r.index = ++index;
    r.offset = offset;
    parser.reset();
    const httpfsm::Progress head = parser.parse(message);
    if (head == httpfsm::Progress::need_more) {
      r.error = httpfsm::Error::truncated;
      r.error_offset = input.size();
    } else if (head == httpfsm::Progress::failed) {
      r.error = parser.error();
      r.error_offset = offset + parser.error_offset();
    } else {
      copy_head(message, parser, r);
      body.start(parser.head());
      const std::uint64_t body_start = offset + parser.consumed();
      std::uint64_t at = body_start;
      std::string_view completing_input;
      for (;;) {
        const std::string_view rest = input.substr(at);
        const httpfsm::BodyStep step = body.decode(rest);
        at += step.consumed;
        if (step.progress == httpfsm::Progress::complete) completing_input = rest;
        if (step.progress != httpfsm::Progress::need_more || step.consumed == 0) break;
      }
      // Every byte is here already: a body still waiting for more was cut off.
      if (body.progress() == httpfsm::Progress::need_more) body.finish();
      r.body_bytes = body.body_bytes();
      r.content_bytes = body.content_bytes();
      if (body.progress() == httpfsm::Progress::complete) {
        r.trailers = field_texts(completing_input, body.trailers());
      } else {
        r.error = body.error();
        r.error_offset = body_start + body.error_offset();
      }
      offset = at;
    }
    on_message(r);
    if (r.error != httpfsm::Error::none) return false;
  }
  return true;
}

bool scan_responses(std::string_view input, const httpfsm::Limits& limits, httpfsm::Method method,
                    const std::function<void(const MessageReport&)>& on_message) {
  httpfsm::ResponseReader reader(limits);
  std::uint64_t at = 0;  // bytes consumed
  std::size_t index = 0;
  MessageReport r;
  bool in_message = false;
  const auto start = [&] {
    r = MessageReport{};
    r.response = true;
    r.index = ++index;
    r.offset = at;
    in_message = true;
  };
  for (bool closed = false; !closed;) {
    // Every response in the capture answers a request with `method`.
    if (reader.pending_requests() == 0) reader.request_sent(method);
    const std::string_view rest = input.substr(at);
    httpfsm::ReadStep s = reader.next(rest);
    // Every byte is here already: needing more means the input ended.
    if (s.event == httpfsm::ReadEvent::need_more) {
      r.body_bytes += s.consumed;
      at += s.consumed;
      s = reader.finish(input.substr(at));
      closed = s.event != httpfsm::ReadEvent::end;
    }
    switch (s.event) {
      case httpfsm::ReadEvent::head: {
        start();
        const httpfsm::ResponseHead& h = reader.head();
        r.head_complete = true;
        r.status = h.status;
        r.reason = httpfsm::text(rest, h.reason);
        r.version_minor = h.version_minor;
        r.fields = field_texts(rest, h.fields);
        r.framing = h.framing;
        r.content_length = h.content_length;
        r.keep_alive = h.keep_alive;
        r.interim = h.interim;
        r.leaves_http = h.leaves_http;
        r.head_bytes = static_cast<std::uint32_t>(s.consumed);
        if (h.interim) {  // no body and no end event: the report is complete
          at += s.consumed;
          on_message(r);
          in_message = false;
          continue;
        }
        break;
      }
      case httpfsm::ReadEvent::data:
        r.body_bytes += s.consumed;
        r.content_bytes += s.data.size();
        break;
      case httpfsm::ReadEvent::end:
        r.body_bytes += s.consumed;
        r.trailers = field_texts(rest, reader.trailers());
        at += s.consumed;
        on_message(r);
        in_message = false;
        continue;
      case httpfsm::ReadEvent::error:
        if (!in_message) start();
        r.error = reader.error();
        r.error_offset = reader.error_offset();
        on_message(r);
        return false;
      case httpfsm::ReadEvent::need_more:
      case httpfsm::ReadEvent::switched:
      case httpfsm::ReadEvent::closed:
        return true;
    }
    at += s.consumed;
  }
  return true;
}

}  // namespace inspect
