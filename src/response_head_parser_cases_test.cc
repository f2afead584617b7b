// The response head parser's case table: valid and invalid responses, each named after the
// behaviour it pins and the RFC section that requires it, with the method of the request the
// response answers, and the expected head (with its RFC 9112 §6.3 framing) or the expected
// error and the offset of the offending byte.
//
// Every case runs five ways, which must all agree, as in head_parser_cases_test.cc: whole; one
// byte at a time (which never gives the field-line fast paths a whole line); split in two at
// every position; with trailing bytes that must stay unconsumed; and after reset(). Every
// input sits flush against the end of its allocation, so an over-read faults under ASan.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace httpfsm {
namespace {

using testing::escape;
using testing::HeadOutcome;

struct Case {
  std::string name;  // the behaviour, as the test's name
  std::string rfc;   // the section that requires it
  Method method = Method::get;
  std::string bytes;
  std::string expect;  // describe() of the outcome
  Limits limits{};
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.name << " (" << c.rfc << ", " << method_token(c.method)
            << "): " << escape(c.bytes);
}

// A response: the status-line, then field lines, then the empty line.
std::string resp(std::string_view line, std::string_view fields = "") {
  return std::string(line) + "\r\n" + std::string(fields) + "\r\n";
}

Case ok(std::string name, std::string rfc, Method m, std::string bytes, std::string expect,
        Limits limits = {}) {
  return {std::move(name), std::move(rfc), m, std::move(bytes), std::move(expect), limits};
}

// An error at the first occurrence of `anchor` in the bytes, plus `delta`.
Case bad(std::string name, std::string rfc, Method m, std::string bytes, Error e,
         std::string_view anchor, int delta = 0, Limits limits = {}) {
  const std::size_t pos = bytes.find(anchor);
  EXPECT_NE(pos, std::string::npos) << name << ": anchor not found";
  const auto at = static_cast<long>(pos) + delta;
  std::string expect = "error " + std::string(error_name(e)) + " @" + std::to_string(at);
  return {std::move(name), std::move(rfc), m, std::move(bytes), std::move(expect), limits};
}

Case bad_at(std::string name, std::string rfc, Method m, std::string bytes, Error e, std::size_t at,
            Limits limits = {}) {
  std::string expect = "error " + std::string(error_name(e)) + " @" + std::to_string(at);
  return {std::move(name), std::move(rfc), m, std::move(bytes), std::move(expect), limits};
}

Case more(std::string name, std::string rfc, std::string bytes) {
  return {std::move(name), std::move(rfc), Method::get, std::move(bytes), "need_more", {}};
}

Limits with(std::uint32_t Limits::*field, std::uint32_t value) {
  Limits l;
  l.*field = value;
  return l;
}

constexpr Method GET = Method::get;
constexpr Method HEAD = Method::head;
constexpr Method POST = Method::post;
constexpr Method CONNECT = Method::connect;

std::vector<Case> status_line_cases() {
  std::vector<Case> c;
  // RFC 9112 §4 status-line = HTTP-version SP status-code SP [ reason-phrase ]
  c.push_back(ok("accepts_200_ok", "9112 §4", GET, resp("HTTP/1.1 200 OK", "Content-Length: 0\r\n"),
                 "200 OK 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_empty_reason_after_sp", "9112 §4", GET,
                 resp("HTTP/1.1 200 ", "Content-Length: 0\r\n"),
                 "200 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_reason_with_spaces_and_tabs", "9112 §4", GET,
                 resp("HTTP/1.1 404 Not \tFound here", "Content-Length: 0\r\n"),
                 "404 Not \tFound here 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_obs_text_in_reason", "9112 §4", GET,
                 resp("HTTP/1.1 200 \xc3\x9c\xff", "Content-Length: 0\r\n"),
                 "200 \xc3\x9c\xff 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_reason_that_is_only_spaces", "9112 §4", GET,
                 resp("HTTP/1.1 200   ", "Content-Length: 0\r\n"),
                 "200    1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_reason_of_other_code", "9112 §4 (client SHOULD ignore reason)", GET,
                 resp("HTTP/1.1 200 Not Found", "Content-Length: 0\r\n"),
                 "200 Not Found 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_http10", "9112 §2.3", GET,
                 resp("HTTP/1.0 200 OK", "Content-Length: 2\r\n"),
                 "200 OK 1.0; Content-Length=2; content_length 2 close"));
  c.push_back(ok("accepts_http19_as_11", "9110 §2.5", GET,
                 resp("HTTP/1.9 200 OK", "Content-Length: 2\r\n"),
                 "200 OK 1.9; Content-Length=2; content_length 2 keep-alive"));
  c.push_back(ok("accepts_status_100", "9110 §15", GET, resp("HTTP/1.1 100 Continue"),
                 "100 Continue 1.1; no_body keep-alive interim"));
  c.push_back(ok("accepts_status_599", "9110 §15", GET,
                 resp("HTTP/1.1 599 X", "Content-Length: 0\r\n"),
                 "599 X 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_unregistered_status_299", "9110 §15 (unknown code: class x00)", GET,
                 resp("HTTP/1.1 299 X", "Content-Length: 1\r\n"),
                 "299 X 1.1; Content-Length=1; content_length 1 keep-alive"));
  c.push_back(bad("rejects_status_099", "9110 §15", GET, resp("HTTP/1.1 099 X"),
                  Error::bad_status_code, "099"));
  c.push_back(bad("rejects_status_000", "9110 §15", GET, resp("HTTP/1.1 000 X"),
                  Error::bad_status_code, "000"));
  c.push_back(bad("rejects_status_600", "9110 §15", GET, resp("HTTP/1.1 600 X"),
                  Error::bad_status_code, "600"));
  c.push_back(bad("rejects_status_999", "9110 §15", GET, resp("HTTP/1.1 999 X"),
                  Error::bad_status_code, "999"));
  c.push_back(bad("rejects_two_digit_status", "9112 §4 status-code = 3DIGIT", GET,
                  resp("HTTP/1.1 20 OK"), Error::bad_status_code, "20", 2));
  c.push_back(bad("rejects_four_digit_status", "9112 §4 status-code = 3DIGIT", GET,
                  resp("HTTP/1.1 2000 OK"), Error::bad_status_code, "2000", 3));
  c.push_back(bad("rejects_hex_status", "9112 §4 status-code = 3DIGIT", GET,
                  resp("HTTP/1.1 2a0 OK"), Error::bad_status_code, "a0"));
  c.push_back(bad("rejects_signed_status", "9112 §4 status-code = 3DIGIT", GET,
                  resp("HTTP/1.1 +200 OK"), Error::bad_status_code, "+200"));
  c.push_back(bad("rejects_missing_status", "9112 §4", GET, resp("HTTP/1.1  OK"),
                  Error::bad_status_code, " OK"));
  c.push_back(bad("rejects_missing_sp_after_status", "9112 §4 (SP before optional reason)", GET,
                  resp("HTTP/1.1 200"), Error::bad_status_line, "\r\n"));
  c.push_back(bad("rejects_reason_without_sp", "9112 §4", GET, resp("HTTP/1.1 200OK"),
                  Error::bad_status_line, "OK"));
  c.push_back(bad("rejects_tab_after_status", "9112 §4 (SP, not whitespace)", GET,
                  resp("HTTP/1.1 200\tOK"), Error::bad_status_line, "\tOK"));
  c.push_back(bad("rejects_tab_after_version", "9112 §4", GET, resp("HTTP/1.1\t200 OK"),
                  Error::bad_status_line, "\t"));
  c.push_back(bad("rejects_two_spaces_after_version", "9112 §4", GET, resp("HTTP/1.1  200 OK"),
                  Error::bad_status_code, " 200"));
  c.push_back(bad("rejects_missing_sp_after_version", "9112 §4", GET, resp("HTTP/1.1200 OK"),
                  Error::bad_status_line, "200"));
  c.push_back(bad("rejects_nul_in_reason", "9112 §4 reason-phrase", GET,
                  resp(std::string("HTTP/1.1 200 O\0K", 16)), Error::bad_reason_phrase, "O", 1));
  c.push_back(bad("rejects_del_in_reason", "9112 §4 reason-phrase", GET,
                  resp("HTTP/1.1 200 O\x7fK"), Error::bad_reason_phrase, "\x7f"));
  c.push_back(bad("rejects_bare_cr_in_reason", "9112 §2.2", GET, resp("HTTP/1.1 200 O\rK"),
                  Error::bare_cr, "\rK"));
  c.push_back(bad("rejects_bare_lf_after_status_line", "9112 §2.2", GET,
                  "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", Error::bare_lf, "\n"));
  c.push_back(bad("rejects_lowercase_http_name", "9112 §2.3 (case-sensitive)", GET,
                  resp("http/1.1 200 OK"), Error::bad_version, "http", 0));
  c.push_back(bad("rejects_http2_version", "9110 §15.6.6", GET, resp("HTTP/2.0 200 OK"),
                  Error::unsupported_version, "2.0"));
  c.push_back(bad("rejects_http0_version", "9110 §15.6.6", GET, resp("HTTP/0.9 200 OK"),
                  Error::unsupported_version, "0.9"));
  c.push_back(bad("rejects_version_without_minor", "9112 §2.3", GET, resp("HTTP/1 200 OK"),
                  Error::bad_version, " 200"));
  c.push_back(bad("rejects_two_digit_minor", "9112 §2.3", GET, resp("HTTP/1.10 200 OK"),
                  Error::bad_status_line, "0 200"));
  c.push_back(bad("rejects_leading_empty_line", "9112 §2.1 (no allowance for responses)", GET,
                  "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Error::bad_version, "\r\n"));
  c.push_back(bad("rejects_leading_space", "9112 §2.1", GET, resp(" HTTP/1.1 200 OK"),
                  Error::bad_version, " "));
  c.push_back(bad("rejects_request_line_as_status_line", "9112 §4", GET,
                  resp("GET / HTTP/1.1", "Host: a\r\n"), Error::bad_version, "GET"));
  c.push_back(bad("rejects_icy_status_line", "9112 §2.3 (HTTP-name)", GET, resp("ICY 200 OK"),
                  Error::bad_version, "ICY"));
  c.push_back(more("needs_more_inside_version", "9112 §4", "HTTP/1."));
  c.push_back(more("needs_more_inside_status", "9112 §4", "HTTP/1.1 20"));
  c.push_back(more("needs_more_inside_reason", "9112 §4", "HTTP/1.1 200 O"));
  c.push_back(more("needs_more_after_status_line_cr", "9112 §4", "HTTP/1.1 200 OK\r"));
  c.push_back(more("needs_more_after_status_line", "9112 §4", "HTTP/1.1 200 OK\r\n"));
  c.push_back(more("needs_more_inside_field_section", "9112 §5", "HTTP/1.1 200 OK\r\nA: b\r\n"));
  c.push_back(more("needs_more_on_empty_input", "9112 §4", ""));
  return c;
}

std::vector<Case> field_cases() {
  std::vector<Case> c;
  // RFC 9112 §5: the field section is read by the request side's machine.
  c.push_back(ok("keeps_fields_in_order_with_values_trimmed", "9112 §5", GET,
                 resp("HTTP/1.1 200 OK", "Server: x\r\nA:  b \r\nEmpty:\r\nContent-Length: 0\r\n"),
                 "200 OK 1.1; Server=x; A=b; Empty=; Content-Length=0; content_length 0 "
                 "keep-alive"));
  c.push_back(ok("host_in_response_is_only_a_field", "9110 §7.2 (request field)", GET,
                 resp("HTTP/1.1 200 OK", "Host: a\r\nHost: b\r\nContent-Length: 0\r\n"),
                 "200 OK 1.1; Host=a; Host=b; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("host_with_any_value_in_response", "9110 §7.2", GET,
                 resp("HTTP/1.1 200 OK", "Host: not a host!\r\nContent-Length: 0\r\n"),
                 "200 OK 1.1; Host=not a host!; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("accepts_obs_text_in_value", "9110 §5.5", GET,
                 resp("HTTP/1.1 200 OK", "X: \xe2\x82\xac\r\nContent-Length: 0\r\n"),
                 "200 OK 1.1; X=\xe2\x82\xac; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(bad("rejects_obs_fold", "9112 §5.2", GET,
                  resp("HTTP/1.1 200 OK", "X: a\r\n b\r\nContent-Length: 0\r\n"), Error::obs_fold,
                  " b"));
  c.push_back(bad("rejects_space_before_first_field", "9112 §2.2", GET,
                  resp("HTTP/1.1 200 OK", " X: a\r\n"), Error::space_after_start_line, " X"));
  c.push_back(bad("rejects_space_before_colon", "9112 §5.1", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length : 5\r\n"), Error::space_before_colon,
                  " :"));
  c.push_back(bad("rejects_bad_field_name", "9110 §5.1", GET,
                  resp("HTTP/1.1 200 OK", "X(y): a\r\n"), Error::bad_field_name, "("));
  c.push_back(bad("rejects_nul_in_value", "9110 §5.5", GET,
                  resp("HTTP/1.1 200 OK", std::string("X: a\0b\r\n", 8)), Error::bad_field_value,
                  "a", 1));
  c.push_back(bad("rejects_bare_lf_in_field_section", "9112 §2.2", GET,
                  "HTTP/1.1 200 OK\r\nX: a\nContent-Length: 0\r\n\r\n", Error::bare_lf, "\nC"));
  c.push_back(bad("rejects_bare_cr_in_field_section", "9112 §2.2", GET,
                  resp("HTTP/1.1 200 OK", "X: a\rb\r\n"), Error::bare_cr, "\rb"));
  c.push_back(bad("rejects_too_many_fields", "6585 §5 (Limits::max_fields)", GET,
                  resp("HTTP/1.1 200 OK", "A: 1\r\nB: 2\r\nC: 3\r\n"), Error::too_many_fields,
                  "C:", 0, with(&Limits::max_fields, 2)));
  c.push_back(bad("rejects_field_line_over_limit", "6585 §5 (Limits::max_field_line)", GET,
                  resp("HTTP/1.1 200 OK", "A: 0123456789\r\n"), Error::field_too_long, "A:", 10,
                  with(&Limits::max_field_line, 10)));
  c.push_back(bad_at("rejects_head_over_limit_in_status_line", "6585 §5 (Limits::max_head)", GET,
                     resp("HTTP/1.1 200 A long reason phrase"), Error::head_too_large, 20,
                     with(&Limits::max_head, 20)));
  c.push_back(bad_at("rejects_head_over_limit_in_fields", "6585 §5 (Limits::max_head)", GET,
                     resp("HTTP/1.1 200 OK", "A: 1\r\nB: 2\r\n"), Error::head_too_large, 24,
                     with(&Limits::max_head, 24)));
  // The status-line's LF is the limit's last byte, so no field line, not even the empty line,
  // fits. Found by the fuzzer: split anywhere in the status-line, the field section was entered
  // at the limit and waited for more instead of failing.
  c.push_back(bad_at("rejects_head_whose_status_line_fills_the_limit", "6585 §5 (Limits::max_head)",
                     GET, resp("HTTP/1.1 200 OK", "A: 1\r\n"), Error::head_too_large, 17,
                     with(&Limits::max_head, 17)));
  c.push_back(ok("accepts_head_exactly_at_limit", "6585 §5 (Limits::max_head)", GET,
                 resp("HTTP/1.1 200 OK", "Content-Length: 0\r\n"),
                 "200 OK 1.1; Content-Length=0; content_length 0 keep-alive",
                 with(&Limits::max_head, 38)));
  return c;
}

std::vector<Case> framing_cases() {
  std::vector<Case> c;
  const std::string cl = "Content-Length: 5\r\n";
  const std::string te = "Transfer-Encoding: chunked\r\n";
  // RFC 9112 §6.3 item 1: HEAD, 1xx, 204 and 304 end at the empty line, whatever the fields.
  for (const int status : {200, 201, 301, 404, 500}) {
    const std::string s = std::to_string(status);
    c.push_back(ok("head_" + s + "_with_content_length_has_no_body", "9112 §6.3 item 1", HEAD,
                   resp("HTTP/1.1 " + s + " X", cl),
                   s + " X 1.1; Content-Length=5; no_body keep-alive"));
    c.push_back(ok("head_" + s + "_with_chunked_has_no_body", "9112 §6.3 item 1", HEAD,
                   resp("HTTP/1.1 " + s + " X", te),
                   s + " X 1.1; Transfer-Encoding=chunked; no_body keep-alive"));
    c.push_back(ok("head_" + s + "_without_framing_has_no_body", "9112 §6.3 item 1", HEAD,
                   resp("HTTP/1.1 " + s + " X"), s + " X 1.1; no_body keep-alive"));
  }
  for (const int status : {204, 304}) {
    const std::string s = std::to_string(status);
    for (const Method m : {GET, POST, HEAD}) {
      const std::string mt(method_token(m));
      c.push_back(ok(s + "_to_" + mt + "_with_content_length_has_no_body", "9112 §6.3 item 1", m,
                     resp("HTTP/1.1 " + s + " X", cl),
                     s + " X 1.1; Content-Length=5; no_body keep-alive"));
      c.push_back(ok(s + "_to_" + mt + "_without_framing_has_no_body", "9112 §6.3 item 1", m,
                     resp("HTTP/1.1 " + s + " X"), s + " X 1.1; no_body keep-alive"));
    }
    c.push_back(ok(s + "_with_chunked_has_no_body", "9112 §6.3 item 1", GET,
                   resp("HTTP/1.1 " + s + " X", te),
                   s + " X 1.1; Transfer-Encoding=chunked; no_body keep-alive"));
    c.push_back(ok(s + "_with_te_and_cl_has_no_body", "9112 §6.3 item 1 before item 3", GET,
                   resp("HTTP/1.1 " + s + " X", te + cl),
                   s + " X 1.1; Transfer-Encoding=chunked; Content-Length=5; no_body keep-alive"));
  }
  for (const int status : {100, 102, 103, 150, 199}) {
    const std::string s = std::to_string(status);
    c.push_back(ok("informational_" + s + "_is_interim", "9110 §15.2", GET,
                   resp("HTTP/1.1 " + s + " X"), s + " X 1.1; no_body keep-alive interim"));
    c.push_back(ok("informational_" + s + "_with_content_length_has_no_body", "9112 §6.3 item 1",
                   POST, resp("HTTP/1.1 " + s + " X", cl),
                   s + " X 1.1; Content-Length=5; no_body keep-alive interim"));
  }
  c.push_back(ok("early_hints_keeps_link_fields", "8297 §2, 9110 §15.2", GET,
                 resp("HTTP/1.1 103 Early Hints", "Link: </s.css>; rel=preload\r\n"),
                 "103 Early Hints 1.1; Link=</s.css>; rel=preload; no_body keep-alive interim"));
  c.push_back(
      ok("switching_protocols_leaves_http", "9110 §15.2.2", GET,
         resp("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket\r\nConnection: Upgrade\r\n"),
         "101 Switching Protocols 1.1; Upgrade=websocket; Connection=Upgrade; no_body "
         "keep-alive leaves-http"));
  c.push_back(ok("switching_protocols_ignores_content_length", "9112 §6.3 item 1", GET,
                 resp("HTTP/1.1 101 X", cl),
                 "101 X 1.1; Content-Length=5; no_body keep-alive leaves-http"));
  // §6.3 item 2: a 2xx to CONNECT is a tunnel; other statuses to CONNECT are ordinary.
  for (const int status : {200, 204, 299}) {
    const std::string s = std::to_string(status);
    c.push_back(ok("connect_" + s + "_is_a_tunnel", "9112 §6.3 item 2", CONNECT,
                   resp("HTTP/1.1 " + s + " X"), s + " X 1.1; no_body keep-alive leaves-http"));
  }
  c.push_back(ok("connect_200_ignores_content_length", "9112 §6.3 item 2", CONNECT,
                 resp("HTTP/1.1 200 X", cl),
                 "200 X 1.1; Content-Length=5; no_body keep-alive leaves-http"));
  c.push_back(ok("connect_200_ignores_te_and_cl", "9112 §6.3 item 2", CONNECT,
                 resp("HTTP/1.1 200 X", te + cl),
                 "200 X 1.1; Transfer-Encoding=chunked; Content-Length=5; no_body keep-alive "
                 "leaves-http"));
  c.push_back(ok("connect_407_has_a_body", "9112 §6.3 item 2 (2xx only)", CONNECT,
                 resp("HTTP/1.1 407 X", cl),
                 "407 X 1.1; Content-Length=5; content_length 5 keep-alive"));
  c.push_back(ok("connect_502_without_framing_reads_until_close", "9112 §6.3 items 2, 8", CONNECT,
                 resp("HTTP/1.1 502 X"), "502 X 1.1; until_close close"));
  // §6.3 item 4: Transfer-Encoding.
  c.push_back(ok("chunked_response", "9112 §6.3 item 4", GET, resp("HTTP/1.1 200 OK", te),
                 "200 OK 1.1; Transfer-Encoding=chunked; chunked keep-alive"));
  c.push_back(ok("chunked_in_any_case", "9112 §7 (case-insensitive coding)", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: ChUnKeD\r\n"),
                 "200 OK 1.1; Transfer-Encoding=ChUnKeD; chunked keep-alive"));
  c.push_back(ok("gzip_then_chunked_is_chunked", "9112 §6.3 item 4", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: gzip, chunked\r\n"),
                 "200 OK 1.1; Transfer-Encoding=gzip, chunked; chunked keep-alive"));
  c.push_back(
      ok("chunked_over_two_lines_is_chunked", "9110 §5.3", GET,
         resp("HTTP/1.1 200 OK", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
         "200 OK 1.1; Transfer-Encoding=gzip; Transfer-Encoding=chunked; chunked "
         "keep-alive"));
  c.push_back(ok("chunked_not_last_reads_until_close", "9112 §6.3 item 4", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked, gzip\r\n"),
                 "200 OK 1.1; Transfer-Encoding=chunked, gzip; until_close close"));
  c.push_back(ok("unknown_coding_alone_reads_until_close", "9112 §6.3 item 4", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: gzip\r\n"),
                 "200 OK 1.1; Transfer-Encoding=gzip; until_close close"));
  c.push_back(ok("chunked_with_parameter_reads_until_close", "9112 §6.1, §6.3 item 4", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked;q=1\r\n"),
                 "200 OK 1.1; Transfer-Encoding=chunked;q=1; until_close close"));
  c.push_back(ok("empty_te_elements_are_ignored", "9110 §5.6.1", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: , chunked,\r\n"),
                 "200 OK 1.1; Transfer-Encoding=, chunked,; chunked keep-alive"));
  c.push_back(bad("rejects_chunked_twice", "9112 §6.1 (MUST NOT apply chunked twice)", GET,
                  resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked, chunked\r\n"),
                  Error::chunked_not_last, "chunked, "));
  c.push_back(bad("rejects_te_with_cl", "9112 §6.3 item 3 (response splitting)", GET,
                  resp("HTTP/1.1 200 OK", te + cl), Error::te_with_cl, "5\r\n"));
  c.push_back(bad("rejects_cl_with_te", "9112 §6.3 item 3 (response splitting)", GET,
                  resp("HTTP/1.1 200 OK", cl + te), Error::te_with_cl, "5\r\n"));
  c.push_back(bad("rejects_te_in_http10_response", "9112 §6.1 (faulty framing)", GET,
                  resp("HTTP/1.0 200 OK", te), Error::te_in_http10, "chunked"));
  c.push_back(bad("rejects_malformed_te", "9112 §6.1", GET,
                  resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked;\r\n"),
                  Error::bad_transfer_encoding, "chunked;"));
  c.push_back(bad("rejects_te_with_quoted_comma_trick", "9112 §6.1", GET,
                  resp("HTTP/1.1 200 OK", "Transfer-Encoding: \"chunked\"\r\n"),
                  Error::bad_transfer_encoding, "\"chunked"));
  // §6.3 items 5 and 6: Content-Length.
  c.push_back(ok("content_length_response", "9112 §6.3 item 6", GET, resp("HTTP/1.1 200 OK", cl),
                 "200 OK 1.1; Content-Length=5; content_length 5 keep-alive"));
  c.push_back(ok("zero_content_length", "9112 §6.3 item 6", GET,
                 resp("HTTP/1.1 200 OK", "Content-Length: 0\r\n"),
                 "200 OK 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("identical_content_lengths_collapse", "9110 §8.6", GET,
                 resp("HTTP/1.1 200 OK", "Content-Length: 5\r\nContent-Length: 5\r\n"),
                 "200 OK 1.1; Content-Length=5; Content-Length=5; content_length 5 keep-alive"));
  c.push_back(ok("identical_content_length_list_collapses", "9110 §8.6", GET,
                 resp("HTTP/1.1 200 OK", "Content-Length: 5, 5\r\n"),
                 "200 OK 1.1; Content-Length=5, 5; content_length 5 keep-alive"));
  c.push_back(ok("content_length_at_max_body", "9110 §15.5.14 (Limits::max_body)", GET,
                 resp("HTTP/1.1 200 OK", "Content-Length: 8388608\r\n"),
                 "200 OK 1.1; Content-Length=8388608; content_length 8388608 keep-alive"));
  c.push_back(bad("rejects_content_length_over_max_body", "9110 §15.5.14", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 8388609\r\n"), Error::body_too_large,
                  "8388609"));
  c.push_back(bad("rejects_differing_content_lengths", "9112 §6.3 item 5", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 5\r\nContent-Length: 6\r\n"),
                  Error::conflicting_content_length, "6"));
  c.push_back(bad("rejects_differing_content_length_list", "9112 §6.3 item 5", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 5, 6\r\n"),
                  Error::conflicting_content_length, "6"));
  c.push_back(bad("rejects_negative_content_length", "9110 §8.6 (1*DIGIT)", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: -1\r\n"), Error::bad_content_length,
                  "-1"));
  c.push_back(bad("rejects_hex_content_length", "9110 §8.6 (1*DIGIT)", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 0x5\r\n"), Error::bad_content_length,
                  "x5"));
  c.push_back(bad("rejects_empty_content_length", "9110 §8.6 (1*DIGIT)", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length:\r\n"), Error::bad_content_length,
                  "\r\n\r\n"));
  c.push_back(bad("rejects_content_length_with_inner_space", "9110 §8.6 (1*DIGIT)", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 1 2\r\n"), Error::bad_content_length,
                  ": 1 2", 3));
  c.push_back(bad("rejects_overflowing_content_length", "9112 §6.3 item 5", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 99999999999999999999\r\n"),
                  Error::bad_content_length, "99999999999999999999", 19));
  c.push_back(bad("rejects_invalid_content_length_even_for_head", "9112 §6.3 item 5", HEAD,
                  resp("HTTP/1.1 200 OK", "Content-Length: x\r\n"), Error::bad_content_length,
                  "x"));
  // §6.3 item 8: neither field: the body runs until the server closes.
  c.push_back(ok("no_framing_reads_until_close", "9112 §6.3 item 8", GET, resp("HTTP/1.1 200 OK"),
                 "200 OK 1.1; until_close close"));
  c.push_back(ok("no_framing_http10_reads_until_close", "9112 §6.3 item 8", GET,
                 resp("HTTP/1.0 200 OK"), "200 OK 1.0; until_close close"));
  c.push_back(ok("no_framing_with_keep_alive_still_closes", "9112 §6.3 item 8, §9.3", GET,
                 resp("HTTP/1.1 200 OK", "Connection: keep-alive\r\n"),
                 "200 OK 1.1; Connection=keep-alive; until_close close"));
  c.push_back(ok("no_framing_404_reads_until_close", "9112 §6.3 item 8", POST,
                 resp("HTTP/1.1 404 Not Found"), "404 Not Found 1.1; until_close close"));
  return c;
}

std::vector<Case> persistence_cases() {
  std::vector<Case> c;
  const std::string cl = "Content-Length: 0\r\n";
  // RFC 9112 §9.3: persistence.
  c.push_back(ok("http11_is_persistent", "9112 §9.3", GET, resp("HTTP/1.1 200 OK", cl),
                 "200 OK 1.1; Content-Length=0; content_length 0 keep-alive"));
  c.push_back(ok("close_option_ends_persistence", "9112 §9.6", GET,
                 resp("HTTP/1.1 200 OK", "Connection: close\r\n" + cl),
                 "200 OK 1.1; Connection=close; Content-Length=0; content_length 0 close"));
  c.push_back(
      ok("close_option_in_list", "9112 §9.6", GET,
         resp("HTTP/1.1 200 OK", "Connection: Upgrade, CLOSE\r\n" + cl),
         "200 OK 1.1; Connection=Upgrade, CLOSE; Content-Length=0; content_length 0 close"));
  c.push_back(ok("http10_keep_alive_persists", "9112 §9.3", GET,
                 resp("HTTP/1.0 200 OK", "Connection: keep-alive\r\n" + cl),
                 "200 OK 1.0; Connection=keep-alive; Content-Length=0; content_length 0 "
                 "keep-alive"));
  c.push_back(ok("http10_without_keep_alive_closes", "9112 §9.3", GET, resp("HTTP/1.0 200 OK", cl),
                 "200 OK 1.0; Content-Length=0; content_length 0 close"));
  c.push_back(ok("chunked_with_close", "9112 §9.6", GET,
                 resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\nConnection: close\r\n"),
                 "200 OK 1.1; Transfer-Encoding=chunked; Connection=close; chunked close"));
  c.push_back(ok("expect_in_response_is_only_a_field", "9110 §10.1.1 (request field)", GET,
                 resp("HTTP/1.1 200 OK", "Expect: 100-continue\r\n" + cl),
                 "200 OK 1.1; Expect=100-continue; Content-Length=0; content_length 0 keep-alive"));
  return c;
}

std::vector<Case> smuggling_cases() {
  std::vector<Case> c;
  // Response splitting and desynchronisation shapes (RFC 9112 §11.1, §11.2).
  c.push_back(bad("rejects_cl_then_obfuscated_te", "9112 §6.1", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n"),
                  Error::te_with_cl, "5\r\n"));
  c.push_back(bad("rejects_te_with_space_before_colon", "9112 §5.1", GET,
                  resp("HTTP/1.1 200 OK", "Transfer-Encoding : chunked\r\n"),
                  Error::space_before_colon, " :"));
  c.push_back(bad("rejects_te_continued_by_obs_fold", "9112 §5.2", GET,
                  resp("HTTP/1.1 200 OK", "Transfer-Encoding: gzip,\r\n chunked\r\n"),
                  Error::obs_fold, " chunked"));
  c.push_back(bad("rejects_cr_inside_cl_value", "9112 §2.2", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: 5\r7\r\n"), Error::bare_cr, "\r7"));
  c.push_back(bad("rejects_lf_split_status_line", "9112 §2.2", GET,
                  "HTTP/1.1 200 OK\nHTTP/1.1 404 X\r\n\r\n", Error::bare_lf, "\n"));
  c.push_back(bad("rejects_second_status_line_in_fields", "9110 §5.1", GET,
                  resp("HTTP/1.1 200 OK", "HTTP/1.1 200 OK\r\n"), Error::bad_field_name,
                  "/1.1 200 OK\r\n\r\n"));
  c.push_back(bad("rejects_nul_in_cl_value", "9110 §5.5", GET,
                  resp("HTTP/1.1 200 OK", std::string("Content-Length: 5\0\r\n", 20)),
                  Error::bad_field_value, "5", 1));
  c.push_back(bad("rejects_plus_content_length", "9110 §8.6", GET,
                  resp("HTTP/1.1 200 OK", "Content-Length: +5\r\n"), Error::bad_content_length,
                  "+5"));
  c.push_back(bad("rejects_te_identity_with_cl", "9112 §6.3 item 3", GET,
                  resp("HTTP/1.1 200 OK", "Transfer-Encoding: identity\r\nContent-Length: 5\r\n"),
                  Error::te_with_cl, "5\r\n"));
  return c;
}

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto* group :
       {status_line_cases, field_cases, framing_cases, persistence_cases, smuggling_cases}) {
    for (Case& c : group()) all.push_back(std::move(c));
  }
  return all;
}

class ResponseHeadParserCase : public ::testing::TestWithParam<Case> {};

// One test per case, each way of feeding it checked in turn.
TEST_P(ResponseHeadParserCase, gives_the_same_outcome_however_it_is_fed) {
  const Case& c = GetParam();
  const HeadOutcome whole = testing::parse_response_whole(c.bytes, c.method, c.limits);
  {
    SCOPED_TRACE("whole");
    EXPECT_EQ(describe(whole), c.expect);
  }
  {
    SCOPED_TRACE("one byte at a time");
    EXPECT_EQ(testing::parse_response_bytewise(c.bytes, c.method, c.limits), whole);
  }
  {
    SCOPED_TRACE("split in two at every position");
    for (std::size_t cut = 1; cut < c.bytes.size(); ++cut) {
      ASSERT_EQ(testing::parse_response_in_pieces(c.bytes, {cut}, c.method, c.limits), whole)
          << "cut at " << cut;
    }
  }
  {
    SCOPED_TRACE("trailing bytes");
    if (whole.progress == Progress::need_more) {
      // An incomplete head followed by NUL, which is valid nowhere in a head, fails right
      // there (or, after a CR, at the CR it leaves bare), and not a byte earlier.
      const HeadOutcome with_nul =
          testing::parse_response_whole(c.bytes + std::string(1, '\0'), c.method, c.limits);
      ASSERT_EQ(with_nul.progress, Progress::failed);
      const bool after_cr = !c.bytes.empty() && c.bytes.back() == '\r';
      EXPECT_EQ(with_nul.error_offset, c.bytes.size() - (after_cr ? 1 : 0));
    } else {
      // A pipelined response, a NUL or a body byte after the head must not change anything.
      for (const std::string& tail :
           {std::string("HTTP/1.1 200 OK\r\n\r\n"), std::string(1, '\0'), std::string("X")}) {
        EXPECT_EQ(testing::parse_response_whole(c.bytes + tail, c.method, c.limits), whole)
            << "tail " << escape(tail);
      }
      if (whole.progress == Progress::complete) {
        EXPECT_EQ(whole.consumed, c.bytes.size());
      }
    }
  }
  {
    SCOPED_TRACE("after reset");
    ResponseHeadParser parser(c.limits);
    // Small enough for every case's limits; a different method, to check reset() replaces it.
    const testing::FlushBuffer junk("HTTP/1.0 204 \r\n\r\n");
    parser.reset(Method::put);
    ASSERT_EQ(parser.parse(junk.span()), Progress::complete);
    parser.reset(c.method);
    EXPECT_EQ(testing::parse_response_in_pieces(parser, c.bytes), whole);
  }
}

INSTANTIATE_TEST_SUITE_P(cases, ResponseHeadParserCase, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

TEST(ResponseHeadParserCases, table_has_at_least_120_cases_with_unique_names) {
  const std::vector<Case> cases = all_cases();
  EXPECT_GE(cases.size(), 120u);
  std::set<std::string> names;
  for (const Case& c : cases) EXPECT_TRUE(names.insert(c.name).second) << c.name;
}

}  // namespace
}  // namespace httpfsm
