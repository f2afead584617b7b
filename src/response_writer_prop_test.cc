// Properties of the response writer (src/include/httpfsm/response_writer.hpp): whatever it
// produces is a valid response (read back by the strict reader in src/testing/) with the
// status, fields and framing it was given; invalid input or too small a buffer fails with
// nothing written past the buffer; chunked bodies it frames decode to the content. The
// reader is src/testing/response_head_reader (heads only; the server has its own, for whole
// responses, which the library's tests do not depend on).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/response_writer.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"
#include "testing/response_head_reader.hpp"

namespace httpfsm {
namespace {

using testing::escape;
using testing::ResponseFraming;
namespace model = testing::gen;

struct FieldInput {
  std::string name;
  std::string value;
  bool valid = true;
};

// Field lines to write: mostly valid (a token, a field value), now and then one the writer
// must refuse (RFC 9110 §5.1, §5.5: no empty name, no CTL but HTAB in a value).
rc::Gen<FieldInput> field_input() {
  const auto valid_name = rc::gen::suchThat(model::token(16), [](const std::string& n) {
    return !iequals(n, "content-length") && !iequals(n, "transfer-encoding");
  });
  const auto bad_value = rc::gen::apply(
      [](std::string a, char c, std::string b) { return a + c + b; }, model::field_value(8),
      rc::gen::element<char>('\r', '\n', '\0', '\x01', '\x7f', '\x1b'), model::field_value(8));
  return rc::gen::weightedOneOf<FieldInput>(
      {{12, rc::gen::apply(
                [](std::string n, std::string v) {
                  return FieldInput{n, v, true};
                },
                valid_name, model::field_value())},
       {1, rc::gen::apply(
               [](std::string n, std::string v) {
                 return FieldInput{n, v, false};
               },
               rc::gen::element<std::string>("", "X Y", "X:Y", "X\r\nY", "\xc3\xa9"),
               model::field_value())},
       {1, rc::gen::apply(
               [](std::string n, std::string v) {
                 return FieldInput{n, v, false};
               },
               valid_name, bad_value)}});
}

RC_GTEST_PROP(ResponseWriterProperty, output_reads_back_with_the_same_status_fields_and_framing,
              ()) {
  const int status = *rc::gen::weightedOneOf<int>(
      {{4, rc::gen::element(200, 201, 204, 206, 301, 304, 400, 404, 413, 431, 500, 505)},
       {2, rc::gen::inRange(100, 1000)},
       {1, rc::gen::element(0, 99, 1000, -1)}});
  const auto reason_kind = *rc::gen::inRange(0, 8);  // 0-4 default, 5-6 custom, 7 invalid
  std::string reason;
  if (reason_kind >= 5) reason = *rc::gen::nonEmpty(model::field_value(20));
  if (reason_kind == 7)
    reason += *rc::gen::element<std::string>("\r\n", "\n", std::string(1, '\0'));
  const auto fields = *rc::gen::container<std::vector<FieldInput>>(field_input());
  const auto framing = *rc::gen::element(ResponseFraming::close_delimited,
                                         ResponseFraming::content_length, ResponseFraming::chunked);
  const auto length = *rc::gen::inRange<std::uint64_t>(0, 1u << 20);
  const bool dated = *rc::gen::arbitrary<bool>();
  const std::int64_t when = *rc::gen::inRange<std::int64_t>(0, 253402300800);

  // What the head must be: its bytes, computed from RFC 9112 §4 and §5 directly.
  const bool status_ok = status >= 100 && status <= 999;
  const std::string phrase = reason.empty() ? std::string(reason_phrase(status)) : reason;
  bool valid = status_ok && reason_kind != 7;
  std::size_t size = 9 + 3 + 1 + phrase.size() + 2;
  std::vector<std::pair<std::string, std::string>> expected_fields;
  const auto add = [&](const std::string& n, const std::string& v) {
    size += n.size() + 2 + v.size() + 2;
    expected_fields.emplace_back(n, v);
  };
  if (dated) add("Date", std::string(kHttpDateSize, 'x'));  // checked by parsing it back
  for (const FieldInput& f : fields) {
    valid = valid && f.valid;
    add(f.name, f.value);
  }
  // RFC 9110 §8.6, RFC 9112 §6.1: no framing field in a 1xx or 204 response.
  if ((status / 100 == 1 || status == 204) && framing != ResponseFraming::close_delimited) {
    valid = false;
  }
  if (framing == ResponseFraming::content_length) add("Content-Length", std::to_string(length));
  if (framing == ResponseFraming::chunked) add("Transfer-Encoding", "chunked");
  size += 2;

  const std::size_t room =
      *rc::gen::weightedOneOf<std::size_t>({{3, rc::gen::just<std::size_t>(size + 64)},
                                            {1, rc::gen::just(size)},
                                            {1, rc::gen::inRange<std::size_t>(0, size + 1)}});
  // The buffer sits in a larger one filled with a marker: nothing may be written past it.
  std::vector<char> arena(room + 32, '#');
  ResponseWriter w(std::span<char>(arena.data(), room));
  w.status(status, reason);
  if (dated) w.date(when);
  for (const FieldInput& f : fields) w.field(f.name, f.value);
  if (framing == ResponseFraming::content_length) w.content_length(length);
  if (framing == ResponseFraming::chunked) w.chunked();
  const std::size_t n = w.finish();
  RC_ASSERT(std::all_of(arena.begin() + static_cast<std::ptrdiff_t>(room), arena.end(),
                        [](char c) { return c == '#'; }));
  RC_ASSERT(w.size() <= room);
  if (!valid || size > room) {
    RC_ASSERT(n == 0u);
    RC_ASSERT(!w.ok());
    return;
  }
  RC_ASSERT(n == size);
  const std::string out(arena.data(), n);
  RC_LOG() << "response: " << escape(out) << "\n";
  const testing::ResponseRead r = testing::read_response_head(out);
  RC_ASSERT(r.error == "");
  RC_ASSERT(r.head.has_value());
  const testing::ResponseHead& h = *r.head;
  RC_ASSERT(h.size == n);
  RC_ASSERT(h.status == status);
  RC_ASSERT(h.reason == phrase);
  RC_ASSERT(h.fields.size() == expected_fields.size());
  for (std::size_t i = 0; i < h.fields.size(); ++i) {
    RC_ASSERT(h.fields[i].first == expected_fields[i].first);
    if (dated && i == 0) {
      RC_ASSERT(parse_http_date(h.fields[i].second) == std::optional<std::int64_t>(when));
    } else {
      // The reader drops OWS around a value (RFC 9112 §5); so does any recipient.
      std::string_view v = expected_fields[i].second;
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      RC_ASSERT(h.fields[i].second == v);
    }
  }
  // RFC 9112 §6.3: the framing it was given, where the status allows a body at all.
  const bool bodiless = status < 200 || status == 204 || status == 304;
  RC_ASSERT(h.framing == (bodiless ? ResponseFraming::no_body : framing));
  if (h.framing == ResponseFraming::content_length) RC_ASSERT(h.content_length == length);
}

RC_GTEST_PROP(ResponseWriterProperty, chunked_framing_decodes_to_the_content, ()) {
  // A body framed with write_chunk_header, kChunkEnd and kLastChunk, in chunks of random
  // sizes, decodes to the content (RFC 9112 §7.1).
  const std::string content = *model::content(200);
  const auto cut_seeds = *rc::gen::container<std::vector<std::size_t>>(
      rc::gen::inRange<std::size_t>(0, content.size() + 1));
  std::vector<std::size_t> cuts{0, content.size()};
  cuts.insert(cuts.end(), cut_seeds.begin(), cut_seeds.end());
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::string body;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    char header[18];
    const std::size_t n = write_chunk_header(cuts[i + 1] - cuts[i], header);
    RC_ASSERT(n > 2u);
    body.append(header, n);
    body += content.substr(cuts[i], cuts[i + 1] - cuts[i]);
    body += kChunkEnd;
  }
  body += kLastChunk;
  const testing::BodyOutcome o = testing::decode_in_pieces(Framing::chunked, 0, body, {});
  RC_ASSERT(o.progress == Progress::complete);
  RC_ASSERT(o.content == content);
  RC_ASSERT(o.consumed == body.size());
}

RC_GTEST_PROP(ResponseWriterProperty, chunk_header_is_the_size_in_hex, (std::uint64_t size)) {
  char out[18];
  const std::size_t n = write_chunk_header(size, out);
  char expected[32];
  const int e =
      std::snprintf(expected, sizeof expected, "%llx\r\n", static_cast<unsigned long long>(size));
  RC_ASSERT(std::string(out, n) == std::string(expected, static_cast<std::size_t>(e)));
  // Too small a buffer writes nothing.
  std::vector<char> small(n - 1, '#');
  RC_ASSERT(write_chunk_header(size, small) == 0u);
  RC_ASSERT(std::all_of(small.begin(), small.end(), [](char c) { return c == '#'; }));
}

}  // namespace
}  // namespace httpfsm
