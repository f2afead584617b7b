// httpfsm: HeadParser for the head, then BodyDecoder for a Content-Length or chunked body;
// reset between pipelined requests, as a server does after answering.
#include <httpfsm/body_decoder.hpp>
#include <httpfsm/head_parser.hpp>

#include "httpfsm_body.hpp"
#include "parser_adapter.hpp"

namespace httpfsm::bench {
namespace {

class HttpfsmAdapter final : public SinkDispatch<HttpfsmAdapter> {
 private:
  friend class SinkDispatch<HttpfsmAdapter>;

  template <class Sink>
  RunResult run_with(std::span<const char> buffer, Sink& sink) {
    RunResult r;
    std::size_t pos = 0;
    while (pos < buffer.size()) {
      const std::span<const char> message = buffer.subspan(pos);
      parser_.reset();
      if (parser_.parse(message) != Progress::complete) {
        r.error = parser_.progress() == Progress::failed ? error_name(parser_.error()) : "partial";
        return r;
      }
      const RequestHead& head = parser_.head();
      sink.request_line(text(message, head.method), text(message, head.target), head.version_minor);
      for (const Field& f : head.fields) sink.field(text(message, f.name), text(message, f.value));
      pos += parser_.consumed();
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

  HeadParser parser_;
  BodyDecoder decoder_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_httpfsm_adapter() { return std::make_unique<HttpfsmAdapter>(); }

}  // namespace httpfsm::bench
