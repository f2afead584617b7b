// Properties of HeadParser (RFC 9112 §2-§6) over requests generated from the grammar
// (src/testing/request_model.hpp): round trip, split invariance, prefixes, pipelining,
// forbidden bytes, limits and the framing conflicts that enable request smuggling.
//
// Replay a failure with the RC_PARAMS it prints, e.g.
//   RC_PARAMS="reproduce=..." build/dev/src/httpfsm_property_tests --gtest_filter=...
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "char_class.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"
#include "testing/request_stream.hpp"

namespace httpfsm {
namespace {

using testing::escape;
using testing::FlushBuffer;
using testing::HeadOutcome;
using testing::RequestModel;
using testing::Wire;
namespace model = testing::gen;

// Limits that no generated request comes near, for properties about something else.
Limits roomy() {
  Limits l;
  l.max_head = 1 << 20;
  l.max_field_line = 1 << 20;
  l.max_fields = 1000;
  l.max_chunk_ext = 1 << 16;
  l.max_trailer = 1 << 20;
  return l;
}

HeadOutcome outcome_of(std::string_view bytes, const Limits& limits = roomy()) {
  return testing::parse_whole(bytes, limits);
}

// Cut points for a message of `size` bytes, ascending and unique: shrinks towards no cut.
std::vector<std::size_t> cuts_for(std::size_t size) {
  const auto seeds =
      *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, size + 1));
  std::vector<std::size_t> cuts;
  for (std::size_t s : seeds) {
    if (s > 0 && s < size) cuts.push_back(s);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// The head parser's error for `bytes` (which must fail), with its offset and consumption.
struct Failure {
  Error error = Error::none;
  std::size_t offset = 0;
  friend bool operator==(const Failure&, const Failure&) = default;
};
void showValue(const Failure& f, std::ostream& os) {
  os << error_name(f.error) << " @" << f.offset;
}

Failure failure_of(const HeadOutcome& o) {
  RC_ASSERT(o.progress == Progress::failed);
  // Nothing at or after the offending byte counts as read.
  RC_ASSERT(o.consumed == o.error_offset);
  return {o.error, o.error_offset};
}

std::string with_byte(std::string bytes, std::size_t at, char c) {
  bytes[at] = c;
  return bytes;
}

bool is_tchar(char c) { return detail::kTchar[static_cast<unsigned char>(c)]; }

rc::Gen<char> byte_where(bool (*keep)(unsigned char)) {
  std::string bytes;
  for (unsigned c = 0; c < 256; ++c) {
    if (keep(static_cast<unsigned char>(c))) bytes += static_cast<char>(c);
  }
  return rc::gen::elementOf(bytes);
}

// Inserts `line` into the model's fields at a generated position.
RequestModel with_field(RequestModel m, const testing::FieldLine& line) {
  const auto at = *rc::gen::inRange<std::size_t>(0, m.fields.size() + 1);
  m.fields.insert(m.fields.begin() + static_cast<std::ptrdiff_t>(at), line);
  return m;
}

testing::FieldLine generated_line(std::string name, rc::Gen<std::string> value) {
  return {*model::random_case(std::move(name)), *model::ows(), *value, *model::ows()};
}

bool named(const testing::FieldLine& f, std::string_view name) { return iequals(f.name, name); }

// ---------------------------------------------------------------------------------------
// Round trip, splits, prefixes, pipelining

RC_GTEST_PROP(HeadParserProperty, round_trip_gives_back_the_model, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  // The distribution is printed with the result: the generator's coverage.
  RC_TAG(rc::toString(m.form), rc::toString(m.framing), m.minor <= 1 ? "1.0/1.1" : "1.x");
  // The body after the head, and a pipelined request after that, must stay unconsumed.
  const FlushBuffer buffer(w.bytes + "GET / HTTP/1.1\r\n");
  HeadParser parser(roomy());
  RC_ASSERT(parser.parse(buffer.span()) == Progress::complete);
  RC_ASSERT(parser.consumed() == w.head_size);
  RC_ASSERT(testing::view_of(buffer.span(), parser.head(), parser.consumed()) ==
            testing::expected_head(m));
  RC_ASSERT(parser.error() == Error::none);
}

RC_GTEST_PROP(HeadParserProperty, any_split_gives_the_same_outcome, ()) {
  // Valid requests, and the same with one byte changed, inserted or removed, so that
  // failures are split too.
  const RequestModel m = *model::request();
  std::string bytes = testing::serialize(m).bytes;
  const int edit = *rc::gen::inRange(0, 4);
  if (edit > 0 && !bytes.empty()) {
    const auto at = *rc::gen::inRange<std::size_t>(0, bytes.size());
    const char c = *rc::gen::arbitrary<char>();
    if (edit == 1) bytes[at] = c;
    if (edit == 2) bytes.insert(at, 1, c);
    if (edit == 3) bytes.erase(at, 1);
  }
  RC_LOG() << "bytes: " << escape(bytes) << "\n";
  const HeadOutcome whole = outcome_of(bytes);
  const auto cuts = cuts_for(bytes.size());
  RC_ASSERT(testing::parse_in_pieces(bytes, cuts, roomy()) == whole);
}

RC_GTEST_PROP(HeadParserProperty, byte_at_a_time_gives_the_same_outcome, ()) {
  const RequestModel m = *model::request();
  std::string bytes = testing::serialize(m).bytes;
  if (*rc::gen::arbitrary<bool>() && !bytes.empty()) {
    const auto at = *rc::gen::inRange<std::size_t>(0, bytes.size());
    bytes[at] = *rc::gen::arbitrary<char>();
  }
  RC_LOG() << "bytes: " << escape(bytes) << "\n";
  RC_ASSERT(testing::parse_bytewise(bytes, roomy()) == outcome_of(bytes));
}

RC_GTEST_PROP(HeadParserProperty, every_proper_prefix_needs_more, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  for (std::size_t n = 0; n < w.head_size; ++n) {
    const HeadOutcome o = outcome_of(w.head().substr(0, n));
    RC_ASSERT(o.progress == Progress::need_more);
    // Every byte given was scanned: the next call resumes after them.
    RC_ASSERT(o.consumed == n);
  }
}

RC_GTEST_PROP(HeadParserProperty, pipelined_requests_parse_in_order, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 6);
  const auto models = *rc::gen::container<std::vector<RequestModel>>(n, model::request());
  std::string stream;
  testing::StreamResult expected;
  for (const RequestModel& m : models) {
    stream += testing::serialize(m).bytes;
    expected.requests.emplace_back(testing::expected_head(m), testing::expected_body(m));
  }
  const auto cuts = cuts_for(stream.size());
  RC_ASSERT(testing::read_stream(stream, cuts, roomy()) == expected);
}

// ---------------------------------------------------------------------------------------
// One forbidden byte: the error the grammar and on_syntax_error name, at that byte, and
// nothing consumed from it on.

RC_GTEST_PROP(HeadParserProperty, forbidden_byte_in_method_fails_at_it, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  const auto i = *rc::gen::inRange<std::size_t>(0, w.method.length);
  // Any byte but a tchar; SP would end the method early and move the error elsewhere.
  const char c =
      *byte_where([](unsigned char b) { return !is_tchar(static_cast<char>(b)) && b != ' '; });
  const std::size_t at = w.method.offset + i;
  Failure want{Error::bad_method, at};
  if (c == '\n') {
    want.error = Error::bare_lf;
  } else if (c == '\r' && i == 0) {
    // A CR where a line may start begins CRLF; the method byte after it leaves it bare.
    want.error = Error::bare_cr;
  } else if (c == '\r' || c == '\t') {
    want.error = Error::bad_request_line;  // whitespace where the method or its SP was due
  }
  RC_ASSERT(failure_of(outcome_of(with_byte(w.bytes, at, c))) == want);
}

RC_GTEST_PROP(HeadParserProperty, forbidden_byte_in_target_fails_at_it, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  const auto i = *rc::gen::inRange<std::size_t>(0, w.target.length);
  // Bytes no request-target form allows anywhere (RFC 3986 §2, §3): CTLs, DEL, obs-text,
  // and the printable ones outside every URI production. SP ends the target instead.
  const char c = *byte_where([](unsigned char b) {
    return b < 0x20 || b >= 0x7f ||
           std::string_view("\"#<>\\^`{|}").find(static_cast<char>(b)) != std::string_view::npos;
  });
  const std::size_t at = w.target.offset + i;
  Failure want{Error::bad_target, at};
  if (c == '\n') {
    want.error = Error::bare_lf;
  } else if (c == '\r' && i > 0) {
    want.error = Error::bad_request_line;  // the line ends inside the request-line
  }
  RC_ASSERT(failure_of(outcome_of(with_byte(w.bytes, at, c))) == want);
}

RC_GTEST_PROP(HeadParserProperty, wrong_byte_in_version_fails_at_it, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  const auto i = *rc::gen::inRange<std::size_t>(0, w.version.length);
  const std::size_t at = w.version.offset + i;
  const char original = w.bytes[at];
  // The minor version may be any digit; everything else has exactly one right byte.
  const char c = *rc::gen::suchThat(rc::gen::arbitrary<char>(), [i, original](char b) {
    return b != original && !(i == 7 && detail::is_digit(static_cast<unsigned char>(b)));
  });
  Failure want{Error::bad_version, at};
  if (c == '\n') {
    want.error = Error::bare_lf;
  } else if (i == 5 && detail::is_digit(static_cast<unsigned char>(c))) {
    want.error = Error::unsupported_version;  // RFC 9110 §15.6.6: 505 for another major
  }
  RC_ASSERT(failure_of(outcome_of(with_byte(w.bytes, at, c))) == want);
}

RC_GTEST_PROP(HeadParserProperty, forbidden_byte_in_field_name_fails_at_it, ()) {
  const RequestModel m =
      *rc::gen::suchThat(model::request(), [](const RequestModel& r) { return !r.fields.empty(); });
  const Wire w = testing::serialize(m);
  const auto j = *rc::gen::inRange<std::size_t>(0, w.fields.size());
  const auto i = *rc::gen::inRange<std::size_t>(0, w.fields[j].name.length);
  // Any byte but a tchar; a colon would only end the name early.
  const char c =
      *byte_where([](unsigned char b) { return !is_tchar(static_cast<char>(b)) && b != ':'; });
  const std::size_t at = w.fields[j].name.offset + i;
  Failure want{Error::bad_field_name, at};
  const bool whitespace = c == ' ' || c == '\t';
  if (c == '\n') {
    want.error = Error::bare_lf;
  } else if (i == 0 && whitespace) {
    // RFC 9112 §2.2 and §5.2: a line starting with whitespace.
    want.error = j == 0 ? Error::space_after_start_line : Error::obs_fold;
  } else if (i == 0 && c == '\r') {
    want.error = Error::bare_cr;  // CR at a line start begins the empty line
  } else if (whitespace) {
    want.error = Error::space_before_colon;  // RFC 9112 §5.1
  }
  RC_ASSERT(failure_of(outcome_of(with_byte(w.bytes, at, c))) == want);
}

RC_GTEST_PROP(HeadParserProperty, forbidden_byte_in_field_value_fails_at_it, ()) {
  const RequestModel m =
      *rc::gen::suchThat(model::request(), [](const RequestModel& r) { return !r.fields.empty(); });
  const Wire w = testing::serialize(m);
  const auto j = *rc::gen::inRange<std::size_t>(0, w.fields.size());
  // Anywhere between the colon and the CRLF: the OWS and the value proper.
  const testing::FieldRegions& f = w.fields[j];
  const std::size_t begin = f.name.end() + 1;
  const std::size_t end = f.line.end() - 2;
  RC_PRE(begin < end);
  const auto at = *rc::gen::inRange<std::size_t>(begin, end);
  // RFC 9110 §5.5: CTLs but HTAB, and DEL.
  const char c = *byte_where([](unsigned char b) { return (b < 0x20 && b != '\t') || b == 0x7f; });
  Failure want{Error::bad_field_value, at};
  if (c == '\n') want.error = Error::bare_lf;
  if (c == '\r') want.error = Error::bare_cr;  // RFC 9112 §2.2: CR only in CRLF
  RC_ASSERT(failure_of(outcome_of(with_byte(w.bytes, at, c))) == want);
}

RC_GTEST_PROP(HeadParserProperty, line_endings_are_crlf_only, (const RequestModel& m)) {
  // RFC 9112 §2.2: a line ends with CRLF. Take any CRLF of the head (leading empty lines,
  // the request-line, field lines, the empty line): without its CR the LF is bare; with
  // anything else in place of its LF the CR is bare. Either way at that line end.
  const Wire w = testing::serialize(m);
  std::vector<std::size_t> crs;
  for (std::size_t i = 0; i + 1 < w.head_size; ++i) {
    if (w.bytes[i] == '\r') crs.push_back(i);
  }
  const std::size_t at = *rc::gen::elementOf(crs);
  std::string bytes = w.bytes;
  Failure want{Error::bare_lf, at};
  if (*rc::gen::arbitrary<bool>()) {
    bytes.erase(at, 1);
  } else {
    bytes[at + 1] =
        *rc::gen::suchThat(rc::gen::arbitrary<char>(), [](char c) { return c != '\n'; });
    want.error = Error::bare_cr;
  }
  RC_ASSERT(failure_of(outcome_of(bytes)) == want);
}

RC_GTEST_PROP(HeadParserProperty, host_rules_hold, ()) {
  // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
  // HTTP/1.1 request message that lacks a Host header field and to any request message
  // that contains more than one Host header field line or a Host header field with an
  // invalid field value."
  RequestModel m = *model::request();
  std::size_t host = 0;
  while (host < m.fields.size() && !named(m.fields[host], "host")) ++host;
  const int rule = *rc::gen::inRange(0, 3);
  Failure want;
  if (rule == 0) {
    // No Host: only HTTP/1.1 and later need one; the error names the empty line.
    if (host < m.fields.size())
      m.fields.erase(m.fields.begin() + static_cast<std::ptrdiff_t>(host));
    const Wire w = testing::serialize(m);
    const HeadOutcome o = outcome_of(w.bytes);
    if (m.minor == 0) {
      RC_ASSERT(o.progress == Progress::complete);
      return;
    }
    want = {Error::missing_host, w.head_size - 2};
    RC_ASSERT(failure_of(o) == want);
  } else if (rule == 1) {
    // A second Host line, anywhere: named at the later line's name.
    m = with_field(m, generated_line("Host", model::host_value()));
    const Wire w = testing::serialize(m);
    std::size_t seen = 0;
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      if (named(m.fields[i], "host") && ++seen == 2)
        want = {Error::multiple_host, w.fields[i].name.offset};
    }
    if (seen < 2) return;  // an HTTP/1.0 request had none: one Host is fine
    RC_ASSERT(failure_of(outcome_of(w.bytes)) == want);
  } else {
    // An invalid Host value (RFC 9110 §7.2 Host = uri-host [ ":" port ]): a byte that no
    // host or port allows, after a valid start; named at that byte.
    if (host == m.fields.size()) m = with_field(m, generated_line("Host", model::host_value()));
    host = 0;
    while (!named(m.fields[host], "host")) ++host;
    const std::string start = *model::reg_name() + *rc::gen::element<std::string>("", ":", ":80");
    // Whitespace inside the value (OWS before it is not part of it).
    const std::string bytes = start.empty() ? "/?#@\"<>\\^`{|}]" : "/?#@\"<>\\^`{|}] \t";
    const char bad = *rc::gen::elementOf(bytes);
    m.fields[host].value = start + bad + *rc::gen::nonEmpty(model::token(4));
    const Wire w = testing::serialize(m);
    want = {Error::bad_host, w.fields[host].value.offset + start.size()};
    RC_ASSERT(failure_of(outcome_of(w.bytes)) == want);
  }
}

RC_GTEST_PROP(HeadParserProperty, any_bytes_give_a_listed_outcome, ()) {
  // Arbitrary bytes, and requests with arbitrary bytes spliced in: never a crash (ASan),
  // never an unlisted error, never consumption past the input.
  const std::string noise = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  std::string bytes = noise;
  if (*rc::gen::arbitrary<bool>()) {
    bytes = testing::serialize(*model::request()).bytes;
    const auto at = *rc::gen::inRange<std::size_t>(0, bytes.size() + 1);
    bytes.insert(at, noise);
  }
  RC_LOG() << "bytes: " << escape(bytes) << "\n";
  const HeadOutcome o = outcome_of(bytes, Limits{});
  RC_ASSERT(o.consumed <= bytes.size());
  if (o.progress == Progress::failed) {
    RC_ASSERT(o.error != Error::none);
    RC_ASSERT(o.error != Error::truncated);  // only a connection's end is a truncation
    RC_ASSERT(static_cast<std::size_t>(o.error) < kErrorCount);
    RC_ASSERT(error_status(o.error) >= 400);
    RC_ASSERT(o.consumed == o.error_offset);
  } else {
    RC_ASSERT(o.error == Error::none);
  }
  if (o.progress == Progress::need_more) RC_ASSERT(o.consumed == bytes.size());
}

// ---------------------------------------------------------------------------------------
// Limits (src/include/httpfsm/limits.hpp): exactly at the limit is accepted, one byte more
// gives that limit's error at the first byte past it.

void check_limit(const std::string& bytes, std::uint32_t Limits::*limit, std::size_t at_limit,
                 Error error, std::size_t error_offset) {
  Limits l = roomy();
  l.*limit = static_cast<std::uint32_t>(at_limit);
  RC_ASSERT(outcome_of(bytes, l).progress == Progress::complete);
  l.*limit = static_cast<std::uint32_t>(at_limit - 1);
  RC_ASSERT(failure_of(outcome_of(bytes, l)) == (Failure{error, error_offset}));
}

RC_GTEST_PROP(HeadParserProperty, method_limit_is_exact, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  RC_PRE(w.method.length >= 2);  // the smallest limit is 1 (kMinimumLimits)
  // The error names the first byte past the limit.
  check_limit(w.bytes, &Limits::max_method, w.method.length, Error::method_too_long,
              w.method.end() - 1);
}

RC_GTEST_PROP(HeadParserProperty, target_limit_is_exact, ()) {
  const RequestModel m = *rc::gen::suchThat(
      model::request(), [](const RequestModel& r) { return r.target.size() >= 2; });
  const Wire w = testing::serialize(m);
  check_limit(w.bytes, &Limits::max_target, w.target.length, Error::target_too_long,
              w.target.end() - 1);
}

RC_GTEST_PROP(HeadParserProperty, field_line_limit_is_exact, ()) {
  const RequestModel m =
      *rc::gen::suchThat(model::request(), [](const RequestModel& r) { return !r.fields.empty(); });
  const Wire w = testing::serialize(m);
  // max_field_line counts the line with its CRLF; the first longest line trips it.
  std::size_t longest = 0;
  std::size_t first_longest = 0;
  for (const auto& f : w.fields) {
    if (f.line.length > longest) {
      longest = f.line.length;
      first_longest = f.line.offset;
    }
  }
  RC_PRE(longest > kMinimumLimits.max_field_line);
  check_limit(w.bytes, &Limits::max_field_line, longest, Error::field_too_long,
              first_longest + longest - 1);
}

RC_GTEST_PROP(HeadParserProperty, field_count_limit_is_exact, ()) {
  const RequestModel m = *rc::gen::suchThat(
      model::request(), [](const RequestModel& r) { return r.fields.size() >= 2; });
  const Wire w = testing::serialize(m);
  // The first field line past the limit fails at its first byte.
  check_limit(w.bytes, &Limits::max_fields, w.fields.size(), Error::too_many_fields,
              w.fields.back().name.offset);
}

RC_GTEST_PROP(HeadParserProperty, head_limit_is_exact, (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  RC_PRE(w.head_size > kMinimumLimits.max_head);
  // max_head counts from the first byte to the empty line's LF.
  check_limit(w.bytes, &Limits::max_head, w.head_size, Error::head_too_large, w.head_size - 1);
}

// A value for a limit near `actual` (the size the request needs), or a roomy one; values
// at the boundaries of other parts are mixed in, where limits interact.
std::uint32_t limit_near(std::size_t actual, std::uint32_t minimum,
                         const std::vector<std::size_t>& interesting = {}) {
  std::vector<std::size_t> choices = interesting;
  for (std::size_t d = 0; d < 3; ++d) {
    choices.push_back(actual + d);
    if (actual >= d) choices.push_back(actual - d);
  }
  const std::size_t v =
      *rc::gen::weightedOneOf<std::size_t>({{1, rc::gen::just<std::size_t>(1u << 20)},
                                            {4, rc::gen::elementOf(choices)},
                                            {1, rc::gen::inRange<std::size_t>(0, actual + 2)}});
  return static_cast<std::uint32_t>(std::max<std::size_t>(v, minimum));
}

RC_GTEST_PROP(HeadParserProperty, any_limits_give_the_first_limit_crossed,
              (const RequestModel& m)) {
  const Wire w = testing::serialize(m);
  std::size_t longest = 0;
  for (const auto& f : w.fields) longest = std::max(longest, f.line.length);
  Limits l = roomy();
  l.max_method = limit_near(w.method.length, kMinimumLimits.max_method);
  l.max_target = limit_near(w.target.length, kMinimumLimits.max_target);
  l.max_field_line = limit_near(longest, kMinimumLimits.max_field_line);
  l.max_fields = limit_near(w.fields.size(), kMinimumLimits.max_fields);
  // Head limits just after each part's own limit would stop it, where two limits meet.
  l.max_head = limit_near(w.head_size, kMinimumLimits.max_head,
                          {w.method.offset + l.max_method, w.method.offset + l.max_method + 1,
                           w.target.offset + l.max_target, w.target.offset + l.max_target + 1});
  l.max_body = *rc::gen::element<std::uint64_t>(m.content.size(), m.content.size() - 1, 1u << 30);
  RC_LOG() << "limits: method " << l.max_method << " target " << l.max_target << " line "
           << l.max_field_line << " fields " << l.max_fields << " head " << l.max_head << " body "
           << l.max_body << "\n";

  // The reference: every limit the request crosses, at the first byte past it; the parser
  // must name the one whose byte comes first. At the same byte the head limit wins (it is
  // what stops the scan).
  std::vector<Failure> crossed;
  if (w.method.length > l.max_method) {
    crossed.push_back({Error::method_too_long, w.method.offset + l.max_method});
  }
  if (w.target.length > l.max_target) {
    crossed.push_back({Error::target_too_long, w.target.offset + l.max_target});
  }
  for (std::size_t j = 0; j < w.fields.size(); ++j) {
    if (j == l.max_fields) crossed.push_back({Error::too_many_fields, w.fields[j].line.offset});
    if (w.fields[j].line.length > l.max_field_line) {
      crossed.push_back({Error::field_too_long, w.fields[j].line.offset + l.max_field_line});
    }
  }
  if (w.head_size > l.max_head) crossed.push_back({Error::head_too_large, l.max_head});
  const auto first = std::min_element(crossed.begin(), crossed.end(), [](auto& a, auto& b) {
    return a.offset < b.offset || (a.offset == b.offset && a.error == Error::head_too_large &&
                                   b.error != Error::head_too_large);
  });

  const HeadOutcome whole = outcome_of(w.bytes, l);
  RC_ASSERT(testing::parse_in_pieces(w.bytes, cuts_for(w.bytes.size()), l) == whole);
  if (first != crossed.end()) {
    RC_ASSERT(failure_of(whole) == *first);
  } else if (m.framing == Framing::content_length && m.content.size() > l.max_body) {
    // RFC 9110 §15.5.14: refused before any content is read, at the (last) length value.
    Failure want{Error::body_too_large, 0};
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      if (iequals(m.fields[i].name, "content-length")) want.offset = w.fields[i].value.offset;
    }
    RC_ASSERT(failure_of(whole) == want);
  } else {
    RC_ASSERT(whole.progress == Progress::complete);
    RC_ASSERT(whole.consumed == w.head_size);
  }
}

// ---------------------------------------------------------------------------------------
// Framing conflicts (RFC 9112 §6.1, §6.3; RFC 9110 §8.6): the request smuggling vectors.

RC_GTEST_PROP(HeadParserProperty, content_length_with_transfer_encoding_is_rejected, ()) {
  // A Content-Length request gets a Transfer-Encoding line, or a chunked one gets a
  // Content-Length line, anywhere among its fields.
  const bool chunked = *rc::gen::arbitrary<bool>();
  RequestModel m = *model::request(chunked ? Framing::chunked : Framing::content_length);
  if (chunked) {
    m = with_field(
        m, generated_line("Content-Length", rc::gen::map(rc::gen::inRange(0, 100000),
                                                         [](int n) { return std::to_string(n); })));
  } else {
    m = with_field(m, generated_line("Transfer-Encoding",
                                     rc::gen::element<std::string>("chunked", "gzip, chunked",
                                                                   "chunked, gzip", "identity")));
  }
  const Wire w = testing::serialize(m);
  // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 is faulty framing in itself (found at the
  // first TE value); otherwise the conflict is named at the last Content-Length value.
  Failure want;
  for (std::size_t i = 0; i < m.fields.size(); ++i) {
    if (named(m.fields[i], "transfer-encoding") && m.minor == 0 && want.error == Error::none) {
      want = {Error::te_in_http10, w.fields[i].value.offset};
    }
  }
  if (want.error == Error::none) {
    want.error = Error::te_with_cl;
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      if (named(m.fields[i], "content-length")) want.offset = w.fields[i].value.offset;
    }
  }
  RC_ASSERT(failure_of(outcome_of(w.bytes)) == want);
}

RC_GTEST_PROP(HeadParserProperty, differing_content_lengths_are_rejected, ()) {
  RequestModel m = *model::request(Framing::content_length);
  const std::uint64_t other =
      *rc::gen::suchThat(rc::gen::inRange<std::uint64_t>(0, 1000000),
                         [size = m.content.size()](std::uint64_t n) { return n != size; });
  const std::string zeros(*rc::gen::inRange<std::size_t>(0, 3), '0');
  if (*rc::gen::arbitrary<bool>()) {
    // Another line.
    m = with_field(m,
                   generated_line("Content-Length", rc::gen::just(zeros + std::to_string(other))));
  } else {
    // Another element of an existing line's list.
    std::vector<std::size_t> lines;
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      if (named(m.fields[i], "content-length")) lines.push_back(i);
    }
    const std::size_t i = *rc::gen::elementOf(lines);
    const std::string element = zeros + std::to_string(other);
    std::string& v = m.fields[i].value;
    v = *rc::gen::arbitrary<bool>() ? element + ", " + v : v + "," + element;
  }
  const Wire w = testing::serialize(m);
  // RFC 9110 §8.6: the first element, in field order, whose number differs from the first.
  Failure want{Error::conflicting_content_length, 0};
  std::optional<std::uint64_t> first;
  for (std::size_t i = 0; i < m.fields.size() && want.offset == 0; ++i) {
    if (!named(m.fields[i], "content-length")) continue;
    const std::string& v = m.fields[i].value;
    std::size_t pos = 0;
    while (pos <= v.size()) {
      std::size_t comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      std::size_t b = pos;
      while (b < comma && (v[b] == ' ' || v[b] == '\t')) ++b;
      const std::uint64_t n = std::stoull(v.substr(b, comma - b));
      if (!first) first = n;
      if (n != *first) {
        want.offset = w.fields[i].value.offset + b;
        break;
      }
      pos = comma + 1;
    }
  }
  RC_ASSERT(want.offset != 0);
  RC_ASSERT(failure_of(outcome_of(w.bytes)) == want);
}

}  // namespace
}  // namespace httpfsm
