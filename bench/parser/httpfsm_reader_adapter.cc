// httpfsm through RequestReader (ResponseReader), the event loop over the same head parsers and
// BodyDecoder that httpfsm_adapter.cc (httpfsm_response_adapter.cc) drives by hand: the two on
// one corpus measure what the reader costs.
#include <httpfsm/message_reader.hpp>

#include <type_traits>

#include "parser_adapter.hpp"

namespace httpfsm::bench {
namespace {

template <class Sink>
void deliver_head(Sink& sink, std::span<const char> input, const RequestHead& head) {
  sink.request_line(text(input, head.method), text(input, head.target), head.version_minor);
  for (const Field& f : head.fields) sink.field(text(input, f.name), text(input, f.value));
}

template <class Sink>
void deliver_head(Sink& sink, std::span<const char> input, const ResponseHead& head) {
  sink.status_line(head.status, text(input, head.reason), head.version_minor);
  for (const Field& f : head.fields) sink.field(text(input, f.name), text(input, f.value));
}

template <class Reader>
class HttpfsmReaderAdapter final : public SinkDispatch<HttpfsmReaderAdapter<Reader>> {
 private:
  friend class SinkDispatch<HttpfsmReaderAdapter<Reader>>;

  template <class Sink>
  RunResult run_with(std::span<const char> buffer, Sink& sink) {
    RunResult r;
    reader_.reset();
    std::size_t pos = 0;
    for (;;) {
      // A client that sends a GET for each response it reads.
      if constexpr (std::is_same_v<Reader, ResponseReader>) {
        if (reader_.pending_requests() == 0) reader_.request_sent(Method::get);
      }
      const std::span<const char> input = buffer.subspan(pos);
      const ReadStep s = reader_.next(input);
      switch (s.event) {
        case ReadEvent::head:
          deliver_head(sink, input, reader_.head());
          break;
        case ReadEvent::data:
          sink.body({s.data.data(), s.data.size()});
          break;
        case ReadEvent::end:
          sink.end_request();
          ++r.requests;
          r.consumed = pos + s.consumed;
          break;
        case ReadEvent::need_more:
        case ReadEvent::closed:
          r.ok = pos + s.consumed == buffer.size() && finished();
          if (!r.ok) r.error = "partial";
          return r;
        case ReadEvent::error:
        case ReadEvent::switched:
          r.error = error_name(reader_.error());
          return r;
      }
      pos += s.consumed;
    }
  }

  // The input ended between messages. A response reader still waits for the response to the
  // GET it has just sent, which never comes: that is no error here.
  bool finished() {
    if constexpr (std::is_same_v<Reader, ResponseReader>) {
      return reader_.pending_requests() == 1;
    } else {
      return reader_.finish({}).event == ReadEvent::closed;
    }
  }

  Reader reader_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_httpfsm_reader_adapter() {
  return std::make_unique<HttpfsmReaderAdapter<RequestReader>>();
}

std::unique_ptr<ParserAdapter> make_httpfsm_response_reader_adapter() {
  return std::make_unique<HttpfsmReaderAdapter<ResponseReader>>();
}

}  // namespace httpfsm::bench
