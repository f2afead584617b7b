// An outside program using the installed C++ headers and library: parses a request that
// arrives in two pieces, decodes its chunked body and prints what it found, so the consumer
// checks can compare the output.
#include <httpfsm/body_decoder.hpp>
#include <httpfsm/error.hpp>
#include <httpfsm/head_parser.hpp>
#include <httpfsm/version.hpp>

#include <cstdio>
#include <string>
#include <string_view>

int main() {
  std::string buffer = "POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-";
  httpfsm::HeadParser parser;
  if (parser.parse(buffer) != httpfsm::Progress::need_more) return 1;
  buffer += "Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  if (parser.parse(buffer) != httpfsm::Progress::complete) return 1;
  const httpfsm::RequestHead& head = parser.head();
  const std::string_view method = httpfsm::text(buffer, head.method);
  const std::string_view target = httpfsm::text(buffer, head.target);
  std::string content;
  httpfsm::BodyDecoder body(head, httpfsm::Limits{});
  std::span<const char> rest = std::span<const char>(buffer).subspan(parser.consumed());
  for (httpfsm::BodyStep step; (step = body.decode(rest)).consumed > 0;) {
    content.append(step.data.data(), step.data.size());
    rest = rest.subspan(step.consumed);
  }
  if (body.progress() != httpfsm::Progress::complete) return 1;

  httpfsm::HeadParser bad;
  bad.parse(std::string_view("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n"));
  std::printf("c++ %.*s %.*s body=%s error=%s/%d version=%.*s\n", int(method.size()), method.data(),
              int(target.size()), target.data(), content.c_str(),
              httpfsm::error_name(bad.error()).data(), httpfsm::error_status(bad.error()),
              int(httpfsm::kVersion.size()), httpfsm::kVersion.data());
  return 0;
}
