// What every parser hands over per message, so each does the same work: the method, the
// target (or the status and reason of a response), the minor version, every field name and
// value, and the decoded body. Adapters call
//   request_line(method, target, minor)  once a request head is parsed
//   status_line(status, reason, minor)   once a response head is parsed
//   field(name, value)                    for every field line, in order
//   body(data)                            for each piece of decoded content
//   end_request()                         once the body is complete
// ChecksumSink is the timed sink: it reads every view (its size) and folds it into a value the
// compiler must keep. RecordingSink copies everything, for the untimed cross-checks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpfsm::bench {

class ChecksumSink {
 public:
  void request_line(std::string_view method, std::string_view target, int minor) noexcept {
    mix(method.size());
    mix(target.size());
    mix(static_cast<std::uint64_t>(minor));
  }
  void status_line(int status, std::string_view reason, int minor) noexcept {
    mix(static_cast<std::uint64_t>(status));
    mix(reason.size());
    mix(static_cast<std::uint64_t>(minor));
  }
  void field(std::string_view name, std::string_view value) noexcept {
    mix(name.size());
    mix(value.size());
  }
  // Parsers cut bodies into different pieces (per chunk, or whole), so only the total counts.
  void body(std::string_view data) noexcept { body_bytes_ += data.size(); }
  void end_request() noexcept {
    mix(body_bytes_);
    body_bytes_ = 0;
  }
  std::uint64_t value() const noexcept { return value_; }

 private:
  void mix(std::uint64_t x) noexcept { value_ = (value_ ^ x) * 0x100000001b3ull; }
  std::uint64_t value_ = 0xcbf29ce484222325ull;
  std::uint64_t body_bytes_ = 0;
};

struct RecordedRequest {  // or response
  std::string method;
  std::string target;
  int status = 0;      // responses
  std::string reason;  // responses
  int minor = -1;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  bool complete = false;  // end_request() was called
  bool operator==(const RecordedRequest&) const = default;
};

class RecordingSink {
 public:
  void request_line(std::string_view method, std::string_view target, int minor) {
    requests_.push_back({std::string(method), std::string(target), 0, {}, minor, {}, {}, false});
  }
  void status_line(int status, std::string_view reason, int minor) {
    requests_.push_back({{}, {}, status, std::string(reason), minor, {}, {}, false});
  }
  void field(std::string_view name, std::string_view value) {
    requests_.back().fields.emplace_back(name, value);
  }
  void body(std::string_view data) { requests_.back().body.append(data); }
  void end_request() { requests_.back().complete = true; }
  const std::vector<RecordedRequest>& requests() const noexcept { return requests_; }

 private:
  std::vector<RecordedRequest> requests_;
};

}  // namespace httpfsm::bench
