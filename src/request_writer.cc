// Canonical request heads (see request_writer.hpp).
#include "httpfsm/request_writer.hpp"

#include <cstring>

namespace httpfsm {

std::size_t request_head_size(const RequestHead& head) noexcept {
  // method SP target SP "HTTP/1.x" CRLF, then name ": " value CRLF per field, then CRLF.
  std::size_t n = head.method.length + 1 + head.target.length + 1 + 8 + 2;
  for (const Field& f : head.fields) n += f.name.length + 2 + f.value.length + 2;
  return n + 2;
}

std::size_t write_request_head(std::span<const char> message, const RequestHead& head,
                               std::span<char> out) noexcept {
  if (out.size() < request_head_size(head)) return 0;
  char* p = out.data();
  const auto put = [&p](std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  put(text(message, head.method));
  put(" ");
  put(text(message, head.target));
  put(" HTTP/1.");
  *p++ = static_cast<char>('0' + head.version_minor);
  put("\r\n");
  for (const Field& f : head.fields) {
    put(text(message, f.name));
    put(": ");
    put(text(message, f.value));
    put("\r\n");
  }
  put("\r\n");
  return static_cast<std::size_t>(p - out.data());
}

}  // namespace httpfsm
