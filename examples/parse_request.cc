// The README's example: a request arrives in two pieces; RequestReader turns the bytes into
// events (head, body data, end) without copying them.
#include <httpfsm/message_reader.hpp>

#include <cstdio>
#include <string>

int main() {
  std::string buffer = "POST /files/notes HTTP/1.1\r\nHost: example.com\r\nTrans";
  std::string more = "fer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  httpfsm::RequestReader reader;  // allocates once; one per connection
  for (;;) {
    const httpfsm::ReadStep step = reader.next(buffer);  // resumes, never re-scans
    switch (step.event) {
      case httpfsm::ReadEvent::head: {
        const httpfsm::RequestHead& head = reader.head();  // spans into `buffer`, no copies
        std::printf("%.*s %.*s\n", int(head.method.length), buffer.data() + head.method.offset,
                    int(head.target.length), buffer.data() + head.target.offset);
        break;
      }
      case httpfsm::ReadEvent::data:  // a slice of `buffer`
        std::printf("body: %.*s\n", int(step.data.size()), step.data.data());
        break;
      case httpfsm::ReadEvent::end:
        return 0;
      case httpfsm::ReadEvent::need_more:
        if (more.empty()) return 1;
        buffer += more;  // more bytes arrive
        more.clear();
        break;
      default:  // error (or the connection left HTTP)
        std::printf("%d %s\n", httpfsm::error_status(reader.error()),
                    httpfsm::error_name(reader.error()).data());
        return 1;
    }
    buffer.erase(0, step.consumed);  // the event is done with these bytes
  }
}
