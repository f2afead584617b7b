// httpfsm on responses (issue 14): ResponseHeadParser for the head, told that each response
// answers a GET, then BodyDecoder for a Content-Length or chunked body; reset between
// pipelined responses, as a client does after each.
#include <httpfsm/body_decoder.hpp>
#include <httpfsm/response_head_parser.hpp>

#include "httpfsm_body.hpp"
#include "parser_adapter.hpp"

namespace httpfsm::bench {
namespace {

class HttpfsmResponseAdapter final : public SinkDispatch<HttpfsmResponseAdapter> {
 private:
  friend class SinkDispatch<HttpfsmResponseAdapter>;

  template <class Sink>
  RunResult run_with(std::span<const char> buffer, Sink& sink) {
    RunResult r;
    std::size_t pos = 0;
    while (pos < buffer.size()) {
      const std::span<const char> message = buffer.subspan(pos);
      parser_.reset(Method::get);
      if (parser_.parse(message) != Progress::complete) {
        r.error = parser_.progress() == Progress::failed ? error_name(parser_.error()) : "partial";
        return r;
      }
      const ResponseHead& head = parser_.head();
      sink.status_line(head.status, text(message, head.reason), head.version_minor);
      for (const Field& f : head.fields) sink.field(text(message, f.name), text(message, f.value));
      pos += parser_.consumed();
      if (head.framing == Framing::until_close) {
        r.error = "close-delimited body";  // none in the corpora
        return r;
      }
      if (head.framing != Framing::no_body) {
        decoder_.start(head);
        if (!decode_body(decoder_, buffer, pos, sink, r)) return r;
      }
      sink.end_request();
      ++r.requests;
      r.consumed = pos;
    }
    r.ok = true;
    return r;
  }

  ResponseHeadParser parser_;
  BodyDecoder decoder_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_httpfsm_response_adapter() {
  return std::make_unique<HttpfsmResponseAdapter>();
}

}  // namespace httpfsm::bench
