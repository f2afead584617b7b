// MultipartParser and multipart_boundary (RFC 7578, RFC 2046 §5.1.1). Every body case runs
// whole, one byte at a time and split at every offset, and must give the same event log.
#include "httpfsm/multipart.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "httpfsm/content_disposition.hpp"
#include "httpfsm/head_parser.hpp"
#include "testing/multipart_driver.hpp"

namespace httpfsm {
namespace {

using testing::MultipartOutcome;
using testing::run_multipart;
using testing::run_multipart_bytewise;
using testing::run_multipart_whole;

struct Case {
  const char* name;
  std::string body;
  std::string expected;  // the log (testing/multipart_driver.hpp)
  std::string boundary = "b";
  MultipartLimits limits = {};
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// Whole, bytewise, and every two-piece split give the expected log.
void expect_every_split(const Case& c) {
  const MultipartOutcome whole = run_multipart_whole(c.body, c.boundary, c.limits);
  EXPECT_EQ(whole.log, c.expected);
  EXPECT_EQ(run_multipart_bytewise(c.body, c.boundary, c.limits), whole) << "bytewise";
  for (std::size_t i = 1; i < c.body.size(); ++i) {
    const MultipartOutcome split = run_multipart(c.body, c.boundary, {i}, c.limits);
    ASSERT_EQ(split, whole) << "split at " << i << ": " << split.log;
  }
  // Separate one-byte slices, never joined, through a carry buffer (a chunked body).
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < c.body.size(); ++i) every.push_back(i);
  EXPECT_EQ(testing::run_multipart_slices(c.body, c.boundary, every, 3, c.limits), whole)
      << "slices";
}

class MultipartCases : public ::testing::TestWithParam<Case> {};

TEST_P(MultipartCases, gives_the_same_events_whole_bytewise_and_at_every_split) {
  expect_every_split(GetParam());
}

const std::string kFormData = "Content-Disposition: form-data; name=\"a\"\r\n";

INSTANTIATE_TEST_SUITE_P(
    Rfc2046, MultipartCases,
    ::testing::Values(
        // RFC 7578 §4.1: the boundary delimits every part; §4.2 Content-Disposition.
        Case{"one_part", "--b\r\n" + kFormData + "\r\nhello\r\n--b--",
             "B HContent-Disposition=form-data; name=\"a\" E Chello / D ok"},
        // RFC 2046 §5.1.1 multipart-body := [preamble CRLF] dash-boundary ...
        Case{"preamble_and_epilogue", "pre\r\namble\r\n--b\r\n\r\nx\r\n--b--\r\nepi\r\nlogue",
             "Ppre\\r\\namble B E Cx / D Xepi\\r\\nlogue ok"},
        Case{"two_parts", "--b\r\nA: 1\r\n\r\none\r\n--b\r\nB: 2\r\n\r\ntwo\r\n--b--\r\n",
             "B HA=1 E Cone / B HB=2 E Ctwo / D ok"},
        // §5.1.1: "The CRLF preceding the boundary delimiter line is conceptually attached
        // to the boundary": content ending in CRLF keeps it, the delimiter's is not content.
        Case{"crlf_before_delimiter_is_not_content", "--b\r\n\r\nline\r\n\r\n--b--",
             "B E Cline\\r\\n / D ok"},
        Case{"content_of_cr_lf_and_dashes", "--b\r\n\r\n\r\r\n\n--\r\n-\r\n--\r\r\n--b--",
             "B E C\\r\\r\\n\\n--\\r\\n-\\r\\n--\\r / D ok"},
        // A boundary not preceded by CRLF is content (§5.1.1 delimiter := CRLF dash-boundary).
        Case{"boundary_without_crlf_is_content", "--b\r\n\r\na--b\n--b\r--b x\r\n--b--",
             "B E Ca--b\\n--b\\r--b x / D ok"},
        Case{"delimiter_prefix_is_content", "--bound\r\n\r\nx\r\n--boun\r\n--bou\r\n--bound--",
             "B E Cx\\r\\n--boun\\r\\n--bou / D ok", "bound"},
        Case{"empty_content", "--b\r\n\r\n\r\n--b--", "B E / D ok"},
        Case{"part_without_headers", "--b\r\n\r\nx\r\n--b--", "B E Cx / D ok"},
        // §5.1.1 transport-padding := *LWSP-char, after a delimiter and the close delimiter.
        Case{"transport_padding", "--b \t\r\n\r\nx\r\n--b  \r\n\r\ny\r\n--b-- \t\r\nz",
             "B E Cx / B E Cy / D Xz ok"},
        // §5.1.1 "Lines in a body-part must not start with the specified dash-boundary":
        // at the start of content the dash-boundary alone delimits.
        Case{"dash_boundary_at_content_start_delimits", "--b\r\n\r\n--b--", "B E / D ok"},
        Case{"delimiter_needs_padding_then_crlf", "--b\r\n\r\nx\r\n--bx\r\n--b--",
             "B E Cx / error bad_delimiter @13"},
        Case{"first_delimiter_needs_crlf", "--b\n\r\n--b--", "error bad_delimiter @3"},
        Case{"missing_close_delimiter", "--b\r\n\r\nabc",
             "B E Cabc error missing_close_delimiter @10"},
        Case{"missing_close_after_delimiter_prefix", "--b\r\n\r\nabc\r\n--",
             "B E Cabc error missing_close_delimiter @14"},
        Case{"no_delimiter_at_all", "just text", "Pjust text error missing_close_delimiter @9"},
        Case{"close_delimiter_then_junk", "--b\r\n\r\nx\r\n--b--junk",
             "B E Cx / D error bad_close_delimiter @15"},
        Case{"close_delimiter_then_cr_only", "--b--\r", "D error bad_close_delimiter @6"},
        // DEVIATION(RFC 2046 §5.1.1): the ABNF needs one body-part; browsers send only the
        // close delimiter for a form with no successful controls.
        Case{"deviation_accepts_close_delimiter_alone", "--b--\r\n", "D ok"},
        // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS.
        Case{"header_value_without_ows", "--b\r\nA:  v w \t\r\nB:\r\nC: \r\n\r\n\r\n--b--",
             "B HA=v w HB= HC= E / D ok"},
        // RFC 9110 §5.5 obs-text: browsers send file names as raw UTF-8.
        Case{"header_value_with_utf8",
             "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"r\xc3\xa9.txt\"\r\n\r\n"
             "\r\n--b--",
             "B HContent-Disposition=form-data; name=\"f\"; filename=\"r\\xc3\\xa9.txt\" E / D ok"},
        Case{"header_name_case_is_kept", "--b\r\ncOnTeNt-TyPe: x\r\n\r\n\r\n--b--",
             "B HcOnTeNt-TyPe=x E / D ok"},
        Case{"rejects_folded_part_header", "--b\r\nA: 1\r\n 2\r\n\r\n\r\n--b--",
             "B HA=1 error bad_part_header @11"},
        Case{"rejects_bare_lf_in_part_header", "--b\r\nA: 1\n\r\n\r\n--b--",
             "B error bad_part_header @9"},
        Case{"rejects_space_before_colon", "--b\r\nA : 1\r\n\r\n\r\n--b--",
             "B error bad_part_header @6"},
        Case{"requires_blank_line_after_part_headers", "--b\r\nA: 1\r\n--b--\r\n",
             "B HA=1 error bad_part_header @16"},
        Case{"body_ending_in_part_headers", "--b\r\nA: 1\r\n--b--",
             "B HA=1 error missing_close_delimiter @11"},
        Case{"limits_part_header_section", "--b\r\nContent-Type: text/plain\r\n\r\n\r\n--b--",
             "B error part_header_too_large @21", "b", MultipartLimits{1000, 16}},
        Case{"part_header_section_at_the_limit", "--b\r\nA: 1\r\n\r\n\r\n--b--", "B HA=1 E / D ok",
             "b", MultipartLimits{1000, 8}},
        Case{"limits_part_count", "--b\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--",
             "B E Cx / error too_many_parts @14", "b", MultipartLimits{1, 8192}},
        Case{"boundary_with_space_and_punctuation",
             "--a b'()+_,-./:=?\r\n\r\nx\r\n--a b'()+_,-./:=?--", "B E Cx / D ok",
             "a b'()+_,-./:=?"}));

TEST(MultipartStart, refuses_bad_boundaries) {
  MultipartParser p;
  EXPECT_EQ(p.parse({}).event, MultipartEvent::failed);  // not started
  EXPECT_EQ(p.error(), MultipartError::missing_boundary);
  EXPECT_EQ(p.start(""), MultipartError::bad_boundary);
  EXPECT_EQ(p.start("a "), MultipartError::bad_boundary);  // §5.1.1 bcharsnospace last
  EXPECT_EQ(p.start("a\"b"), MultipartError::bad_boundary);
  EXPECT_EQ(p.start(std::string(71, 'x')), MultipartError::boundary_too_long);
  EXPECT_EQ(p.parse({}).event, MultipartEvent::failed);
  EXPECT_EQ(p.start(std::string(70, 'x')), MultipartError::none);
  EXPECT_EQ(p.parse({}).event, MultipartEvent::need_more);
}

TEST(MultipartStart, errors_are_sticky_until_start) {
  MultipartParser p;
  ASSERT_EQ(p.start("b"), MultipartError::none);
  const std::string bad = "--bX";
  EXPECT_EQ(p.parse({bad.data(), bad.size()}).event, MultipartEvent::failed);
  const std::string good = "--b--";
  EXPECT_EQ(p.parse({good.data(), good.size()}).event, MultipartEvent::failed);
  EXPECT_EQ(p.finish(), MultipartError::bad_delimiter);
  ASSERT_EQ(p.start("b"), MultipartError::none);
  EXPECT_EQ(p.parse({good.data(), good.size()}).event, MultipartEvent::done);
  EXPECT_EQ(p.finish(), MultipartError::none);
}

TEST(MultipartHeldBytes, holds_back_only_what_may_begin_a_delimiter) {
  // A long content arriving in one piece ending in "\r\n--bo": exactly those 6 bytes stay.
  const std::string body = "--bound\r\n\r\n" + std::string(1000, 'x') + "\r\n--bo";
  const MultipartOutcome o = run_multipart(body, "bound", {body.size()});
  EXPECT_EQ(o.max_held, 6u);
  // The same body with "\r\n--bX" at the end: nothing held.
  const std::string other = "--bound\r\n\r\n" + std::string(1000, 'x') + "\r\n--bX";
  EXPECT_EQ(run_multipart(other, "bound", {other.size()}).max_held, 0u);
}

TEST(MultipartHeldBytes, header_lines_are_held_until_whole) {
  const std::string body = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--b--";
  // Cut inside the header line: the line's bytes so far are held.
  const MultipartOutcome o = run_multipart(body, "b", {20});
  EXPECT_EQ(o.max_held, 15u);
  EXPECT_EQ(o.error, MultipartError::none);
}

TEST(MultipartHeldBytes, non_contiguous_slices_need_only_a_small_carry) {
  // A 100 KiB part arriving as 1000 separate 100-byte slices (as chunk-data would): the
  // carry never holds more than a delimiter's start plus the bytes taken from a slice.
  std::string body = "--bound\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n";
  for (int i = 0; i < 1000; ++i) body += std::string(98, 'x') + "\r\n";
  body += "\r\n--bound--\r\n";
  std::vector<std::size_t> cuts;
  for (std::size_t i = 100; i < body.size(); i += 100) cuts.push_back(i);
  const MultipartOutcome o = testing::run_multipart_slices(body, "bound", cuts, 16);
  EXPECT_EQ(o, run_multipart_whole(body, "bound"));
  EXPECT_EQ(o.error, MultipartError::none);
  EXPECT_LE(o.max_held, 16u + 8u);
}

// ---- multipart_boundary (RFC 7578 §4, RFC 2046 §5.1.1, RFC 9110 §8.3.1) ----------------

TEST(MultipartBoundary, reads_token_and_quoted_boundaries) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").boundary, "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;BOUNDARY=\"a b:c\"").boundary, "a b:c");
  EXPECT_EQ(multipart_boundary("multipart/form-data ; charset=utf-8 ; boundary=x").boundary, "x");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(70, 'z')).error,
            MultipartError::none);
}

TEST(MultipartBoundary, names_each_error) {
  EXPECT_EQ(multipart_boundary("text/plain; boundary=x").error, MultipartError::not_form_data);
  EXPECT_EQ(multipart_boundary("multipart/mixed; boundary=x").error, MultipartError::not_form_data);
  EXPECT_EQ(multipart_boundary("multipart/form-data").error, MultipartError::missing_boundary);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=a; boundary=a").error,
            MultipartError::missing_boundary);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=").error,
            MultipartError::bad_content_type);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"abc").error,
            MultipartError::bad_content_type);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary = x").error,
            MultipartError::bad_content_type);  // RFC 9110 §5.6.6: no whitespace around "="
  EXPECT_EQ(multipart_boundary("multipart").error, MultipartError::bad_content_type);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"\"").error,
            MultipartError::bad_boundary);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"ab \"").error,
            MultipartError::bad_boundary);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"a\\\"b\"").error,
            MultipartError::bad_boundary);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=a{b").error,
            MultipartError::bad_content_type);  // "{" ends the token; what follows is no ";"
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'z')).error,
            MultipartError::boundary_too_long);
}

TEST(MultipartErrors, every_error_has_a_name_status_and_message) {
  for (std::size_t i = 1; i < kMultipartErrorCount; ++i) {
    const auto e = static_cast<MultipartError>(i);
    EXPECT_FALSE(multipart_error_name(e).empty());
    EXPECT_FALSE(multipart_error_message(e).empty());
    EXPECT_GE(multipart_error_status(e), 400);
  }
  EXPECT_EQ(multipart_error_name(MultipartError::bad_delimiter), "bad_delimiter");
  EXPECT_EQ(multipart_error_status(MultipartError::too_many_parts), 413);
}

// docs/API.md's multipart error table is this list (between its "generated" markers).
TEST(MultipartErrors, docs_api_lists_every_error) {
  std::string table = "| error | status | rule | meaning |\n|---|---|---|---|\n";
  for (std::size_t i = 1; i < kMultipartErrorCount; ++i) {
    const auto e = static_cast<MultipartError>(i);
    table += "| `" + std::string(multipart_error_name(e)) + "` | " +
             std::to_string(multipart_error_status(e)) + " | " +
             std::string(multipart_error_reference(e)) + " | " +
             std::string(multipart_error_message(e)) + " |\n";
  }
  std::ifstream in(std::string(HTTPFSM_TESTDATA_DIR) + "/../../docs/API.md", std::ios::binary);
  std::ostringstream doc;
  doc << in.rdbuf();
  const std::string begin = "<!-- BEGIN generated: multipart-errors -->\n";
  const std::size_t b = doc.str().find(begin);
  const std::size_t e = doc.str().find("<!-- END generated: multipart-errors -->");
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_EQ(doc.str().substr(b + begin.size(), e - b - begin.size()), table)
      << "Replace the multipart-errors block of docs/API.md with:\n"
      << table;
}

// ---- bytes real clients send --------------------------------------------------------------

std::string read_testdata(const std::string& name) {
  std::ifstream in(std::string(HTTPFSM_TESTDATA_DIR) + "/multipart/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Parses the captured request's head, takes the boundary from its Content-Type, and checks
// the parts: the form field and both files byte for byte, whole, bytewise and at every split.
void check_captured_upload(const std::string& file) {
  const std::string request = read_testdata(file);
  ASSERT_FALSE(request.empty()) << file;
  HeadParser head_parser;
  ASSERT_EQ(head_parser.parse({request.data(), request.size()}), Progress::complete);
  const RequestHead& head = head_parser.head();
  std::string content_type;
  for (const Field& f : head.fields) {
    if (text({request.data(), request.size()}, f.name) == "Content-Type")
      content_type = std::string(text({request.data(), request.size()}, f.value));
  }
  const MultipartBoundary b = multipart_boundary(content_type);
  ASSERT_EQ(b.error, MultipartError::none) << content_type;
  const std::string body = request.substr(head_parser.consumed());
  ASSERT_EQ(body.size(), head.content_length);

  testing::BodyModel model;
  MultipartError error{};
  ASSERT_TRUE(testing::read_multipart(body, b.boundary, model, error))
      << multipart_error_name(error);
  ASSERT_EQ(model.parts.size(), 3u);
  const std::string expected_content[] = {"Holiday photos", read_testdata("notes.txt"),
                                          read_testdata("blob.bin")};
  const char* names[] = {"title", "notes", "blob"};
  const char* filenames[] = {nullptr, "notes.txt", "blob.bin"};
  for (std::size_t i = 0; i < 3; ++i) {
    const testing::PartModel& part = model.parts[i];
    EXPECT_EQ(part.content, expected_content[i]) << names[i];
    ASSERT_FALSE(part.headers.empty());
    EXPECT_EQ(part.headers[0].first, "Content-Disposition");
    char scratch[256];
    const ContentDispositionResult cd =
        parse_form_data_disposition(part.headers[0].second, scratch);
    ASSERT_EQ(cd.error, MultipartError::none) << part.headers[0].second;
    EXPECT_EQ(cd.disposition.name, names[i]);
    EXPECT_EQ(cd.disposition.has_filename, filenames[i] != nullptr);
    if (filenames[i] != nullptr) {
      EXPECT_EQ(cd.disposition.filename, filenames[i]);
    }
  }
  const MultipartOutcome whole = run_multipart_whole(body, b.boundary);
  EXPECT_EQ(whole.error, MultipartError::none);
  EXPECT_EQ(run_multipart_bytewise(body, b.boundary), whole);
  for (std::size_t i = 1; i < body.size(); ++i)
    ASSERT_EQ(run_multipart(body, b.boundary, {i}), whole) << "split at " << i;
}

TEST(Clients, reads_what_curl_dash_F_sends) { check_captured_upload("curl_F.http"); }
TEST(Clients, reads_what_python_requests_files_sends) {
  check_captured_upload("python_requests_files.http");
}

}  // namespace
}  // namespace httpfsm
