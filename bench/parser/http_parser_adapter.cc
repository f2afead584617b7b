// Node's http_parser (its parser before llhttp), as Debian builds it (libhttp-parser-dev).
// Callbacks record the target and field spans; the method comes as an enum, which its users
// turn into a name with http_method_str(); http_parser decodes the body and calls on_body.
#include <http_parser.h>

#include <string>

#include "parser_adapter.hpp"
#include "span_recorder.hpp"

namespace httpfsm::bench {
namespace {

// Per-run state behind http_parser::data. Lives in the adapter, so a run does not clear the
// field array; begin() resets what a request needs.
template <class Sink>
struct Context {
  Sink* sink = nullptr;
  SpanRecorder spans;
  std::size_t requests = 0;
  bool in_message = false;  // between on_message_begin and on_message_complete
};

template <class Sink>
Context<Sink>& context(http_parser* p) {
  return *static_cast<Context<Sink>*>(p->data);
}

// http_parser callbacks return 0 to go on, non-zero to stop with an error.
inline int status(bool ok) { return ok ? 0 : 1; }

template <class Sink>
http_parser_settings make_settings() {
  http_parser_settings s{};
  s.on_message_begin = [](http_parser* p) {
    Context<Sink>& c = context<Sink>(p);
    c.spans.begin();
    c.in_message = true;
    return 0;
  };
  s.on_url = [](http_parser* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.target(at, n));
  };
  s.on_header_field = [](http_parser* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.field_name(at, n));
  };
  s.on_header_value = [](http_parser* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.field_value(at, n));
  };
  s.on_headers_complete = [](http_parser* p) {
    Context<Sink>& c = context<Sink>(p);
    const char* method = http_method_str(static_cast<http_method>(p->method));
    c.spans.method(method, std::char_traits<char>::length(method));
    c.spans.deliver_head(*c.sink, p->http_minor);
    return 0;
  };
  s.on_body = [](http_parser* p, const char* at, std::size_t n) {
    context<Sink>(p).sink->body({at, n});
    return 0;
  };
  s.on_message_complete = [](http_parser* p) {
    Context<Sink>& c = context<Sink>(p);
    c.sink->end_request();
    ++c.requests;
    c.in_message = false;
    return 0;
  };
  return s;
}

class HttpParserAdapter final : public ParserAdapter {
 public:
  HttpParserAdapter()
      : checksum_settings_(make_settings<ChecksumSink>()),
        recording_settings_(make_settings<RecordingSink>()) {}

  RunResult run(std::span<const char> buffer, ChecksumSink& sink) noexcept override {
    return run_with(buffer, sink, checksum_, checksum_settings_);
  }
  RunResult run(std::span<const char> buffer, RecordingSink& sink) override {
    return run_with(buffer, sink, recording_, recording_settings_);
  }

 private:
  template <class Sink>
  RunResult run_with(std::span<const char> buffer, Sink& sink, Context<Sink>& c,
                     const http_parser_settings& settings) {
    c.sink = &sink;
    c.requests = 0;
    c.in_message = false;
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = &c;
    RunResult r;
    r.consumed = http_parser_execute(&parser_, &settings, buffer.data(), buffer.size());
    r.requests = c.requests;
    const auto e = static_cast<http_errno>(parser_.http_errno);
    if (e != HPE_OK || r.consumed != buffer.size()) {
      r.error = http_errno_name(e);
      return r;
    }
    if (c.in_message) {
      r.error = "partial";
      return r;
    }
    r.ok = true;
    return r;
  }

  http_parser parser_{};
  http_parser_settings checksum_settings_;
  http_parser_settings recording_settings_;
  Context<ChecksumSink> checksum_;
  Context<RecordingSink> recording_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_http_parser_adapter() {
  return std::make_unique<HttpParserAdapter>();
}

}  // namespace httpfsm::bench
