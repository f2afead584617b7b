// Properties of MultipartParser (httpfsm/multipart.hpp): a body written from random parts
// with a random boundary reads back as those parts (content with CR, LF, "--" and pieces of
// the delimiter included); any split of any body, valid or damaged, gives the same events;
// the bytes held back stay bounded.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "httpfsm/multipart.hpp"
#include "testing/multipart_driver.hpp"

namespace httpfsm {
namespace {

using testing::BodyModel;
using testing::PartModel;

constexpr std::string_view kBchars =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";

// RFC 2046 §5.1.1 boundary := 0*69<bchars> bcharsnospace
std::string gen_boundary() {
  const auto size = *rc::gen::inRange<std::size_t>(1, 71);
  std::string b;
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t choices = i + 1 == size ? kBchars.size() - 1 : kBchars.size();
    b += kBchars[*rc::gen::inRange<std::size_t>(0, choices)];
  }
  return b;
}

// Text made of pieces that stress the delimiter search: CR, LF, CRLF, dashes, prefixes of
// the delimiter and of the dash-boundary, the boundary itself, and arbitrary bytes.
std::string gen_text(const std::string& boundary) {
  const std::string delimiter = "\r\n--" + boundary;
  const auto count = *rc::gen::inRange(0, 12);
  std::string t;
  for (int i = 0; i < count; ++i) {
    switch (*rc::gen::inRange(0, 8)) {
      case 0:
        t += "\r";
        break;
      case 1:
        t += "\n";
        break;
      case 2:
        t += "\r\n";
        break;
      case 3:
        t += "--";
        break;
      case 4:
        t += delimiter.substr(0, *rc::gen::inRange<std::size_t>(1, delimiter.size()));
        break;
      case 5:
        t += "--" + boundary;
        break;
      case 6:
        t += boundary;
        break;
      default:
        t += *rc::gen::container<std::string>(*rc::gen::inRange<std::size_t>(0, 20),
                                              rc::gen::arbitrary<char>());
        break;
    }
  }
  return t;
}

// Text a part or preamble may hold: no delimiter inside, and no dash-boundary at its start
// (RFC 2046 §5.1.1: "Lines in a body-part must not start with the specified dash-boundary").
bool allowed_text(const std::string& t, const std::string& boundary) {
  return t.find("\r\n--" + boundary) == std::string::npos && t.rfind("--" + boundary, 0) != 0;
}

std::string gen_token() {
  return *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::elementOf(std::string(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^_`|~"))));
}

// RFC 9110 §5.5 field-value without OWS at either end.
std::string gen_field_value() {
  std::string v = *rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7f));
  while (!v.empty() && v.back() == ' ') v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

BodyModel gen_body(const std::string& boundary) {
  BodyModel m;
  m.preamble = *rc::gen::suchThat(rc::gen::exec([&] { return gen_text(boundary); }),
                                  [&](const std::string& t) { return allowed_text(t, boundary); });
  const auto parts = *rc::gen::inRange(0, 6);
  for (int i = 0; i < parts; ++i) {
    PartModel p;
    const auto headers = *rc::gen::inRange(0, 4);
    for (int h = 0; h < headers; ++h) p.headers.emplace_back(gen_token(), gen_field_value());
    p.content = *rc::gen::suchThat(rc::gen::exec([&] { return gen_text(boundary); }),
                                   [&](const std::string& t) { return allowed_text(t, boundary); });
    m.parts.push_back(std::move(p));
  }
  m.epilogue = gen_text(boundary);
  return m;
}

RC_GTEST_PROP(MultipartProperties, a_written_body_reads_back_as_its_parts, ()) {
  const std::string boundary = gen_boundary();
  const BodyModel model = gen_body(boundary);
  const std::string body = testing::write_multipart(model, boundary);
  BodyModel read;
  MultipartError error{};
  RC_CLASSIFY(model.parts.size() >= 2, "several parts");
  RC_CLASSIFY(body.find("\r\n--" + boundary.substr(0, boundary.size() / 2)) != std::string::npos &&
                  boundary.size() > 1,
              "near-delimiter in text");
  RC_ASSERT(testing::read_multipart(body, boundary, read, error));
  RC_ASSERT(read == model);
}

std::vector<std::size_t> gen_cuts(std::size_t size) {
  auto cuts =
      *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, size + 1));
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

RC_GTEST_PROP(MultipartProperties, any_split_gives_the_same_events, ()) {
  const std::string boundary = gen_boundary();
  std::string body = testing::write_multipart(gen_body(boundary), boundary);
  // Now and then damage the body, so error paths are split too.
  if (!body.empty() && *rc::gen::inRange(0, 3) == 0) {
    const auto at = *rc::gen::inRange<std::size_t>(0, body.size());
    body[at] = *rc::gen::elementOf(std::string("\r\n- \tx:\x80"));
  }
  const MultipartLimits limits{*rc::gen::inRange<std::uint32_t>(1, 8),
                               *rc::gen::inRange<std::uint32_t>(1, 200)};
  const testing::MultipartOutcome whole = testing::run_multipart_whole(body, boundary, limits);
  const testing::MultipartOutcome split =
      testing::run_multipart(body, boundary, gen_cuts(body.size()), limits);
  RC_ASSERT(split.log == whole.log);
  RC_ASSERT(split == whole);
  const testing::MultipartOutcome slices = testing::run_multipart_slices(
      body, boundary, gen_cuts(body.size()), *rc::gen::inRange<std::size_t>(1, 100), limits);
  RC_ASSERT(slices == whole);
  // Held back: at most a delimiter less one byte, or a header section within its limit.
  RC_ASSERT(split.max_held < std::max<std::size_t>(4 + boundary.size(), limits.max_part_header));
}

RC_GTEST_PROP(MultipartProperties, bytewise_equals_whole, ()) {
  const std::string boundary = gen_boundary();
  const std::string body = testing::write_multipart(gen_body(boundary), boundary);
  RC_ASSERT(testing::run_multipart_bytewise(body, boundary) ==
            testing::run_multipart_whole(body, boundary));
}

RC_GTEST_PROP(MultipartProperties, a_body_cut_short_is_never_complete, ()) {
  const std::string boundary = gen_boundary();
  BodyModel model = gen_body(boundary);
  model.epilogue.clear();
  // The body then ends with its close delimiter: every proper prefix lacks at least its
  // last "-", so none is a complete body.
  const std::string body = testing::write_multipart(model, boundary);
  const auto cut = *rc::gen::inRange<std::size_t>(0, body.size());
  RC_ASSERT(testing::run_multipart_whole(body.substr(0, cut), boundary).error !=
            MultipartError::none);
  RC_ASSERT(testing::run_multipart_whole(body, boundary).error == MultipartError::none);
}

}  // namespace
}  // namespace httpfsm
