// The README's example: parse a request that arrives in two pieces, then decode its body.
#include <httpfsm/body_decoder.hpp>
#include <httpfsm/head_parser.hpp>

#include <cstdio>
#include <string>

int main() {
  std::string buffer = "POST /files/notes HTTP/1.1\r\nHost: example.com\r\nTrans";
  httpfsm::HeadParser parser;  // allocates once; reuse with reset()
  if (parser.parse(buffer) == httpfsm::Progress::need_more) {
    buffer += "fer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";  // more bytes arrive
  }
  if (parser.parse(buffer) != httpfsm::Progress::complete) {  // resumes, never re-scans
    std::printf("%d %s\n", httpfsm::error_status(parser.error()),
                httpfsm::error_name(parser.error()).data());
    return 1;
  }
  const httpfsm::RequestHead& head = parser.head();  // spans into `buffer`, no copies
  std::printf("%.*s %.*s\n", int(head.method.length), buffer.data() + head.method.offset,
              int(head.target.length), buffer.data() + head.target.offset);
  httpfsm::BodyDecoder body(head, httpfsm::Limits{});
  std::span<const char> rest = std::span<const char>(buffer).subspan(parser.consumed());
  for (httpfsm::BodyStep step; (step = body.decode(rest)).consumed > 0;) {
    if (!step.data.empty()) std::printf("body: %.*s\n", int(step.data.size()), step.data.data());
    rest = rest.subspan(step.consumed);
  }
  return body.progress() == httpfsm::Progress::complete ? 0 : 1;
}
