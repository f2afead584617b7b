// Properties of the response side (ResponseHeadParser, ResponseReader) and of the readers:
// a response head parses the same however it is split; what ResponseWriter writes parses back
// to what it was given; a reader's events do not depend on how the stream is split; and a
// pipelined stream read by one reader gives the events of its messages read one by one.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "httpfsm/message_reader.hpp"
#include "httpfsm/response_writer.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"

namespace httpfsm {
namespace {

using testing::escape;
namespace model = testing::gen;

struct Response {
  Method method = Method::get;  // of the request it answers
  std::string bytes;
};

std::string hex(std::size_t n) {
  char b[24];
  std::snprintf(b, sizeof b, "%zx", n);
  return b;
}

// A valid, persistent response to `method`: framed by Content-Length, chunked (with
// trailers now and then) or, where RFC 9112 §6.3 item 1 says so, nothing; never close-
// delimited, so that another response may follow it.
rc::Gen<Response> response() {
  return rc::gen::exec([] {
    Response r;
    r.method = *rc::gen::element(Method::get, Method::head, Method::post, Method::put,
                                 Method::delete_, Method::options);
    const int status = *rc::gen::weightedOneOf<int>({{6, rc::gen::element(200, 201, 404, 500)},
                                                     {2, rc::gen::inRange(200, 600)},
                                                     {1, rc::gen::element(204, 304)}});
    const std::string reason = *model::field_value(16);
    r.bytes = "HTTP/1." + std::string(*rc::gen::element("1", "1", "2")) + " " +
              std::to_string(status) + " " + reason + "\r\n";
    const std::size_t n = *rc::gen::inRange<std::size_t>(0, 4);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string name = *rc::gen::suchThat(model::token(10), [](const std::string& t) {
        return !iequals(t, "content-length") && !iequals(t, "transfer-encoding") &&
               !iequals(t, "connection");
      });
      r.bytes += name + ":" + *model::ows() + *model::field_value(20) + *model::ows() + "\r\n";
    }
    const bool bodiless = r.method == Method::head || status == 204 || status == 304;
    const std::string content = *model::content(40);
    if (*rc::gen::arbitrary<bool>()) {
      r.bytes += "Content-Length: " + std::to_string(content.size()) + "\r\n\r\n";
      if (!bodiless) r.bytes += content;
    } else {
      r.bytes += "Transfer-Encoding: chunked\r\n\r\n";
      if (!bodiless) {
        std::size_t at = 0;
        while (at < content.size()) {
          const std::size_t len = *rc::gen::inRange<std::size_t>(1, content.size() - at + 1);
          r.bytes += hex(len) + "\r\n" + content.substr(at, len) + "\r\n";
          at += len;
        }
        r.bytes += "0\r\n";
        if (*rc::gen::arbitrary<bool>()) r.bytes += "Server-Timing: " + *model::token(6) + "\r\n";
        r.bytes += "\r\n";
      }
    }
    return r;
  });
}

std::vector<std::size_t> cuts_for(std::size_t size) {
  if (size < 2) return {};
  auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(1, size));
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// RFC 9112 §4-§6: a head's outcome does not depend on how its bytes arrive.
RC_GTEST_PROP(ResponseProperties, head_outcome_is_independent_of_the_split, ()) {
  const Response r = *response();
  // Any bytes sometimes, to reach the errors too.
  const std::string bytes = *rc::gen::arbitrary<bool>()
                                ? r.bytes
                                : r.bytes.substr(0, r.bytes.size() / 2) + *model::content(8);
  const auto whole = testing::parse_response_whole(bytes, r.method);
  RC_ASSERT(testing::parse_response_in_pieces(bytes, cuts_for(bytes.size()), r.method) == whole);
}

// What the library's ResponseWriter writes, the parser reads back exactly (RFC 9112 §4, §6).
RC_GTEST_PROP(ResponseProperties, writer_output_parses_back_to_its_input, ()) {
  const int status = *rc::gen::inRange(100, 600);
  const bool chunked = *rc::gen::arbitrary<bool>();
  const std::uint64_t length = *rc::gen::inRange<std::uint64_t>(0, 1u << 20);
  std::vector<std::pair<std::string, std::string>> fields;
  const std::size_t n = *rc::gen::inRange<std::size_t>(0, 5);
  for (std::size_t i = 0; i < n; ++i) {
    fields.emplace_back(*rc::gen::suchThat(model::token(12),
                                           [](const std::string& t) {
                                             return !iequals(t, "content-length") &&
                                                    !iequals(t, "transfer-encoding") &&
                                                    !iequals(t, "connection");
                                           }),
                        *model::field_value(24));
  }
  std::array<char, 2048> out{};
  ResponseWriter w(out);
  w.status(status);
  for (const auto& [name, value] : fields) w.field(name, value);
  const bool framed = status >= 200 && status != 204 && status != 304;
  if (framed) chunked ? w.chunked() : w.content_length(length);
  const std::size_t size = w.finish();
  RC_ASSERT(size > 0);
  const std::string head(out.data(), size);
  ResponseHeadParser p;
  RC_ASSERT(p.parse(head) == Progress::complete);
  const ResponseHead& h = p.head();
  RC_ASSERT(p.consumed() == size);
  RC_ASSERT(h.status == status);
  RC_ASSERT(text(head, h.reason) == reason_phrase(status));
  RC_ASSERT(h.fields.size() == fields.size() + (framed ? 1u : 0u));
  for (std::size_t i = 0; i < fields.size(); ++i) {
    RC_ASSERT(text(head, h.fields[i].name) == fields[i].first);
    RC_ASSERT(text(head, h.fields[i].value) == fields[i].second);
  }
  if (!framed) {
    RC_ASSERT(h.framing == Framing::no_body);
  } else if (chunked) {
    RC_ASSERT(h.framing == Framing::chunked);
  } else {
    RC_ASSERT(h.framing == Framing::content_length);
    RC_ASSERT(h.content_length == length);
  }
}

// A reader's events do not depend on how the stream is split (adjacent data merged).
RC_GTEST_PROP(ReaderProperties, response_events_are_independent_of_the_split, ()) {
  // At most ResponseReader::kMaxPending requests may be outstanding.
  const std::size_t count = *rc::gen::inRange<std::size_t>(0, 12);
  const auto rs = *rc::gen::container<std::vector<Response>>(count, response());
  std::string stream;
  std::vector<Method> methods;
  for (const Response& r : rs) {
    stream += r.bytes;
    methods.push_back(r.method);
  }
  if (*rc::gen::arbitrary<bool>()) stream += *model::content(12);  // garbage at the end
  RC_ASSERT(testing::read_responses(stream, methods, cuts_for(stream.size())) ==
            testing::read_responses(stream, methods, {}));
}

RC_GTEST_PROP(ReaderProperties, request_events_are_independent_of_the_split, ()) {
  const auto reqs = *rc::gen::container<std::vector<testing::RequestModel>>(model::request());
  std::string stream;
  for (const auto& r : reqs) stream += testing::serialize(r).bytes;
  RC_ASSERT(testing::read_requests(stream, cuts_for(stream.size())) ==
            testing::read_requests(stream, {}));
}

// RFC 9112 §9.3.2: a pipelined stream gives the events of its messages read one by one.
RC_GTEST_PROP(ReaderProperties, pipelined_responses_equal_message_by_message, ()) {
  // At most ResponseReader::kMaxPending requests may be outstanding.
  const std::size_t count = *rc::gen::inRange<std::size_t>(0, 12);
  const auto rs = *rc::gen::container<std::vector<Response>>(count, response());
  std::string stream;
  std::vector<Method> methods;
  std::vector<std::string> one_by_one;
  for (const Response& r : rs) {
    stream += r.bytes;
    methods.push_back(r.method);
    std::vector<std::string> alone = testing::read_responses(r.bytes, {r.method}, {});
    RC_ASSERT(!alone.empty() && alone.back() == "closed");
    alone.pop_back();
    one_by_one.insert(one_by_one.end(), alone.begin(), alone.end());
  }
  one_by_one.push_back("closed");
  RC_ASSERT(testing::read_responses(stream, methods, {}) == one_by_one);
}

}  // namespace
}  // namespace httpfsm
