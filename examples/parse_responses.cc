// A client's side: one pipelined stream of responses to GET, HEAD and a chunked POST, read
// with ResponseReader as the bytes arrive in pieces of 7 bytes. Prints "status:" per head,
// the content as it arrives, and " end" per message.
#include <httpfsm/message_reader.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

int main() {
  std::string_view wire =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"           // to GET
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"             // to HEAD: no body
      "HTTP/1.1 100 Continue\r\n\r\n"                               // to POST: interim,
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"  // then the final one
      "4\r\ndone\r\n0\r\n\r\n";
  httpfsm::ResponseReader reader;  // allocates once
  for (httpfsm::Method m : {httpfsm::Method::get, httpfsm::Method::head, httpfsm::Method::post})
    reader.request_sent(m);  // in the order the requests were written
  std::string buffer;        // bytes received and not consumed yet
  while (reader.messages() < 3) {
    const httpfsm::ReadStep s = reader.next(buffer);
    if (s.event == httpfsm::ReadEvent::head) std::printf("%d:", reader.head().status);
    if (s.event == httpfsm::ReadEvent::data) std::printf("%.*s", int(s.data.size()), s.data.data());
    if (s.event == httpfsm::ReadEvent::end) std::printf(" end\n");
    if (s.event == httpfsm::ReadEvent::error ||
        (s.event == httpfsm::ReadEvent::need_more && wire.empty()))
      return 1;
    buffer.erase(0, s.consumed);
    if (s.event == httpfsm::ReadEvent::need_more)
      buffer += wire.substr(0, 7), wire.remove_prefix(std::min<std::size_t>(7, wire.size()));
  }
  return 0;
}
