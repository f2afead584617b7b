#include "testing/request_stream.hpp"

#include <string>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "test_support.hpp"

namespace httpfsm::testing {

StreamResult read_stream(std::string_view bytes, const std::vector<std::size_t>& cuts,
                         const Limits& limits) {
  StreamResult r;
  HeadParser head_parser(limits);
  BodyDecoder body_decoder(limits);
  std::string pending;  // received and not consumed by a finished head or body step
  bool in_body = false;
  HeadView head;
  BodyView body;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  std::size_t fed = 0;
  for (const std::size_t end : ends) {
    if (end < fed) continue;
    pending.append(bytes.substr(fed, end - fed));
    fed = end;
    for (;;) {
      if (!in_body) {
        // The head parser takes the whole message so far, from its first byte.
        const FlushBuffer buffer(pending);
        const Progress p = head_parser.parse(buffer.span());
        if (p == Progress::failed) {
          r.error = head_parser.error();
          r.error_offset = head_parser.error_offset();
          r.unconsumed = pending.size();
          r.idle = false;
          return r;
        }
        if (p == Progress::need_more) break;
        head = view_of(buffer.span(), head_parser.head(), head_parser.consumed());
        body = BodyView{};
        body_decoder.start(head_parser.head());
        pending.erase(0, head_parser.consumed());
        head_parser.reset();
        in_body = true;
      }
      // The body decoder takes only what is not consumed yet.
      const FlushBuffer buffer(pending);
      const BodyStep step = body_decoder.decode(buffer.span());
      body.content.append(step.data.data(), step.data.size());
      body.size += step.consumed;
      if (step.progress == Progress::failed) {
        r.error = body_decoder.error();
        r.error_offset = body_decoder.error_offset();
        r.in_body = true;
        r.unconsumed = pending.size();
        r.idle = false;
        return r;
      }
      if (step.progress == Progress::complete) {
        for (const Field& f : body_decoder.trailers()) {
          body.trailers.emplace_back(text(buffer.span(), f.name), text(buffer.span(), f.value));
        }
      }
      pending.erase(0, step.consumed);
      if (step.progress == Progress::complete) {
        r.requests.emplace_back(head, body);
        in_body = false;
        continue;
      }
      if (step.consumed == 0) break;
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
