#include "testing/request_stream.hpp"

#include <string>

#include "httpfsm/message_reader.hpp"
#include "test_support.hpp"

namespace httpfsm::testing {

StreamResult read_stream(std::string_view bytes, const std::vector<std::size_t>& cuts,
                         const Limits& limits) {
  StreamResult r;
  RequestReader reader(limits);
  std::uint64_t base = 0;  // bytes read by readers before this one (see `closed` below)
  std::string pending;     // received and not consumed
  bool in_body = false;
  std::uint64_t body_start = 0;  // from the stream's first byte
  HeadView head;
  BodyView body;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  std::size_t fed = 0;
  for (const std::size_t end : ends) {
    if (end < fed) continue;
    pending.append(bytes.substr(fed, end - fed));
    fed = end;
    for (bool more = true; more;) {
      const FlushBuffer buffer(pending);
      const ReadStep s = reader.next(buffer.span());
      if (in_body) body.size += s.consumed;
      switch (s.event) {
        case ReadEvent::head:
          body_start = base + reader.offset();
          head = view_of(buffer.span(), reader.head(), s.consumed);
          body = BodyView{};
          in_body = true;
          break;
        case ReadEvent::data:
          body.content.append(s.data.data(), s.data.size());
          break;
        case ReadEvent::end:
          for (const Field& f : reader.trailers()) {
            body.trailers.emplace_back(text(buffer.span(), f.name), text(buffer.span(), f.value));
          }
          r.requests.emplace_back(head, body);
          in_body = false;
          break;
        case ReadEvent::need_more:
          more = s.consumed != 0;
          break;
        case ReadEvent::error:
          // Offsets from the failing message's (or body's) first byte, as the bare parsers
          // report them; the reader counts from the connection's first byte.
          r.error = reader.error();
          r.in_body = in_body;
          r.error_offset = static_cast<std::size_t>(
              base + reader.error_offset() - (in_body ? body_start : base + reader.offset()));
          r.unconsumed = pending.size();
          r.idle = false;
          return r;
        case ReadEvent::closed:
          // A request that closes the connection ends the reader's stream (RFC 9112 §9.6); the
          // requests after it are read as if on a fresh connection, so every message of the
          // stream still goes through the parsers.
          if (pending.empty()) {
            more = false;
            break;
          }
          base += reader.offset();
          reader.reset();
          break;
        case ReadEvent::switched:  // requests never leave HTTP by themselves
          more = false;
          break;
      }
      pending.erase(0, s.consumed);
    }
  }
  r.unconsumed = pending.size();
  r.idle = !in_body && pending.empty();
  return r;
}

void showValue(const StreamResult& r, std::ostream& os) {
  os << "{" << r.requests.size() << " requests:";
  for (const auto& [head, body] : r.requests) {
    os << "\n    ";
    showValue(head, os);
    os << " ";
    showValue(body, os);
  }
  if (r.error != Error::none) {
    os << "\n  error " << error_name(r.error) << " @" << r.error_offset
       << (r.in_body ? " in a body" : " in a head");
  }
  os << "\n  unconsumed=" << r.unconsumed << (r.idle ? " idle" : " inside a message") << "}";
}

}  // namespace httpfsm::testing
