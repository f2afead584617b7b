// httpfsm through RequestReader, the event loop over the same HeadParser and BodyDecoder that
// httpfsm_adapter.cc drives by hand: the two on one corpus measure what the reader costs.
#include <httpfsm/message_reader.hpp>

#include "parser_adapter.hpp"

namespace httpfsm::bench {
namespace {

class HttpfsmReaderAdapter final : public ParserAdapter {
 public:
  RunResult run(std::span<const char> buffer, ChecksumSink& sink) noexcept override {
    return run_with(buffer, sink);
  }
  RunResult run(std::span<const char> buffer, RecordingSink& sink) override {
    return run_with(buffer, sink);
  }

 private:
  template <class Sink>
  RunResult run_with(std::span<const char> buffer, Sink& sink) {
    RunResult r;
    reader_.reset();
    std::size_t pos = 0;
    for (;;) {
      const std::span<const char> input = buffer.subspan(pos);
      const ReadStep s = reader_.next(input);
      switch (s.event) {
        case ReadEvent::head: {
          const RequestHead& head = reader_.head();
          sink.request_line(text(input, head.method), text(input, head.target), head.version_minor);
          for (const Field& f : head.fields) sink.field(text(input, f.name), text(input, f.value));
          break;
        }
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
          r.ok = pos + s.consumed == buffer.size() && reader_.finish({}).event == ReadEvent::closed;
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

  RequestReader reader_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_httpfsm_reader_adapter() {
  return std::make_unique<HttpfsmReaderAdapter>();
}

}  // namespace httpfsm::bench
