// llhttp (Node's parser since v12), from the C sources Debian ships in node-llhttp, compiled
// into this binary with -O3 -march=native (bench/CMakeLists.txt). Callbacks record the
// method, target (or a response's reason) and field spans; llhttp decodes the body and calls
// on_body. Responses are read in HTTP_RESPONSE mode, which frames them as answers to GET.
#include <llhttp.h>

#include "parser_adapter.hpp"
#include "span_recorder.hpp"

namespace httpfsm::bench {
namespace {

// Per-run state behind llhttp_t::data. Lives in the adapter, so a run does not clear the
// field array; begin() resets what a request needs.
template <class Sink>
struct Context {
  Sink* sink = nullptr;
  SpanRecorder spans;
  std::size_t requests = 0;
  bool in_message = false;  // between on_message_begin and on_message_complete
};

template <class Sink>
Context<Sink>& context(llhttp_t* p) {
  return *static_cast<Context<Sink>*>(p->data);
}

// llhttp callbacks return 0 to go on, -1 to stop with HPE_USER.
inline int status(bool ok) { return ok ? 0 : -1; }

template <class Sink>
llhttp_settings_t make_settings() {
  llhttp_settings_t s;
  llhttp_settings_init(&s);
  s.on_message_begin = [](llhttp_t* p) {
    Context<Sink>& c = context<Sink>(p);
    c.spans.begin();
    c.in_message = true;
    return 0;
  };
  s.on_method = [](llhttp_t* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.method(at, n));
  };
  s.on_url = [](llhttp_t* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.target(at, n));
  };
  s.on_status = [](llhttp_t* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.reason(at, n));
  };
  s.on_header_field = [](llhttp_t* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.field_name(at, n));
  };
  s.on_header_value = [](llhttp_t* p, const char* at, std::size_t n) {
    return status(context<Sink>(p).spans.field_value(at, n));
  };
  s.on_headers_complete = [](llhttp_t* p) {
    Context<Sink>& c = context<Sink>(p);
    if (llhttp_get_type(p) == HTTP_RESPONSE) {
      c.spans.deliver_status(*c.sink, llhttp_get_status_code(p), llhttp_get_http_minor(p));
    } else {
      c.spans.deliver_head(*c.sink, llhttp_get_http_minor(p));
    }
    return 0;
  };
  s.on_body = [](llhttp_t* p, const char* at, std::size_t n) {
    context<Sink>(p).sink->body({at, n});
    return 0;
  };
  s.on_message_complete = [](llhttp_t* p) {
    Context<Sink>& c = context<Sink>(p);
    c.sink->end_request();
    ++c.requests;
    c.in_message = false;
    return 0;
  };
  return s;
}

class LlhttpAdapter final : public ParserAdapter {
 public:
  explicit LlhttpAdapter(llhttp_type_t type)
      : type_(type),
        checksum_settings_(make_settings<ChecksumSink>()),
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
                     const llhttp_settings_t& settings) {
    c.sink = &sink;
    c.requests = 0;
    c.in_message = false;
    llhttp_init(&parser_, type_, &settings);
    parser_.data = &c;
    const llhttp_errno_t e = llhttp_execute(&parser_, buffer.data(), buffer.size());
    RunResult r;
    r.requests = c.requests;
    if (e != HPE_OK) {
      r.error = llhttp_errno_name(e);
      r.consumed = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - buffer.data());
      return r;
    }
    r.consumed = buffer.size();
    if (c.in_message) {
      r.error = "partial";
      return r;
    }
    r.ok = true;
    return r;
  }

  llhttp_type_t type_;
  llhttp_t parser_{};
  llhttp_settings_t checksum_settings_;
  llhttp_settings_t recording_settings_;
  Context<ChecksumSink> checksum_;
  Context<RecordingSink> recording_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_llhttp_adapter() {
  return std::make_unique<LlhttpAdapter>(HTTP_REQUEST);
}

std::unique_ptr<ParserAdapter> make_llhttp_response_adapter() {
  return std::make_unique<LlhttpAdapter>(HTTP_RESPONSE);
}

}  // namespace httpfsm::bench
