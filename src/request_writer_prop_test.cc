// Properties of the request writer (src/include/httpfsm/request_writer.hpp): the canonical
// form of any parsed request parses to the same head, is its own canonical form, and is
// exactly what request_head_size() announces.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "httpfsm/head_parser.hpp"
#include "httpfsm/request_writer.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"

namespace httpfsm {
namespace {

using testing::FlushBuffer;

// The canonical form, from the model: "method SP target SP HTTP/1.x CRLF", each field as
// "name: value CRLF", then CRLF (request_writer.hpp).
std::string canonical(const testing::RequestModel& m) {
  std::string s = m.method + " " + m.target + " HTTP/1." + std::to_string(m.minor) + "\r\n";
  for (const auto& f : m.fields) s += f.name + ": " + f.value + "\r\n";
  return s + "\r\n";
}

RC_GTEST_PROP(RequestWriterProperty, canonical_form_parses_to_the_same_head,
              (const testing::RequestModel& m)) {
  const FlushBuffer wire(testing::serialize(m).bytes);
  HeadParser parser;
  RC_ASSERT(parser.parse(wire.span()) == Progress::complete);
  const std::size_t size = request_head_size(parser.head());
  // Exactly sized, so a write past the announced size faults under ASan.
  std::unique_ptr<char[]> out(new char[size]);
  RC_ASSERT(write_request_head(wire.span(), parser.head(), {out.get(), size}) == size);
  const std::string written(out.get(), size);
  RC_ASSERT(written == canonical(m));
  if (size > 0) {
    RC_ASSERT(write_request_head(wire.span(), parser.head(), {out.get(), size - 1}) == 0u);
  }

  testing::HeadView before = testing::view_of(wire.span(), parser.head(), 0);
  HeadParser again;
  const FlushBuffer copy(written);
  RC_ASSERT(again.parse(copy.span()) == Progress::complete);
  RC_ASSERT(again.consumed() == size);
  RC_ASSERT(testing::view_of(copy.span(), again.head(), 0) == before);
}

}  // namespace
}  // namespace httpfsm
