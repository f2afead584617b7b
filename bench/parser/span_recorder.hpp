// For the callback parsers (llhttp, http_parser): the spans of one request as the callbacks
// report them, kept until the head is complete, as their users do. A callback may report a
// span in pieces; since the benchmark passes whole requests in one buffer, the pieces are
// adjacent and extend the span in place (a gap means a bug, reported as an error).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "parser_adapter.hpp"

namespace httpfsm::bench {

struct TextSpan {
  const char* data = nullptr;
  std::size_t size = 0;
  // Appends [at, at + n); false if it does not continue the span.
  bool extend(const char* at, std::size_t n) noexcept {
    if (data == nullptr) data = at;
    if (data + size != at) return false;
    size += n;
    return true;
  }
  std::string_view view() const noexcept { return {data, size}; }
};

class SpanRecorder {
 public:
  void begin() noexcept {
    method_ = {};
    target_ = {};
    reason_ = {};
    count_ = 0;
    in_value_ = false;
  }
  bool method(const char* at, std::size_t n) noexcept { return method_.extend(at, n); }
  bool target(const char* at, std::size_t n) noexcept { return target_.extend(at, n); }
  bool reason(const char* at, std::size_t n) noexcept { return reason_.extend(at, n); }
  bool field_name(const char* at, std::size_t n) noexcept {
    if (count_ == 0 || in_value_) {  // a name after a value starts the next field line
      if (count_ == kMaxFields) return false;
      fields_[count_++] = {};
      in_value_ = false;
    }
    return fields_[count_ - 1].name.extend(at, n);
  }
  bool field_value(const char* at, std::size_t n) noexcept {
    if (count_ == 0) return false;
    in_value_ = true;
    return fields_[count_ - 1].value.extend(at, n);
  }

  // Hands the request line and the fields to the sink.
  template <class Sink>
  void deliver_head(Sink& sink, int minor) const {
    sink.request_line(method_.view(), target_.view(), minor);
    deliver_fields(sink);
  }
  // Hands a response's status line and fields to the sink.
  template <class Sink>
  void deliver_status(Sink& sink, int status, int minor) const {
    sink.status_line(status, reason_.view(), minor);
    deliver_fields(sink);
  }

 private:
  template <class Sink>
  void deliver_fields(Sink& sink) const {
    for (std::size_t i = 0; i < count_; ++i)
      sink.field(fields_[i].name.view(), fields_[i].value.view());
  }
  struct FieldSpans {
    TextSpan name;
    TextSpan value;
  };
  TextSpan method_;
  TextSpan target_;
  TextSpan reason_;
  std::array<FieldSpans, kMaxFields> fields_{};
  std::size_t count_ = 0;
  bool in_value_ = false;
};

}  // namespace httpfsm::bench
