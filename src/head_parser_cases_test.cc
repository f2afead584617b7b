// The head parser's case table: valid and invalid requests, each named after the behaviour
// it pins and the RFC section that requires it, with the expected head or the expected error
// and the offset of the offending byte.
//
// Every case runs five ways, which must all agree (RFC 9112 puts no constraint on how bytes
// arrive, so neither may the parser): whole; one byte at a time; split in two at every
// position; with trailing bytes that must stay unconsumed; and reset and parsed again.
// A byte-at-a-time run never gives the fast paths a whole line to read, so it also compares
// them with the byte-wise machine.
// Every input sits flush against the end of its allocation, so an over-read faults under
// ASan.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace httpfsm {
namespace {

using testing::describe;
using testing::escape;
using testing::HeadOutcome;

struct Case {
  std::string name;  // the behaviour, as the test's name
  std::string rfc;   // the section that requires it
  std::string bytes;
  std::string expect;  // describe() of the outcome
  Limits limits{};
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.name << " (" << c.rfc << "): " << escape(c.bytes);
}

// A request: the request-line, then field lines, then the empty line.
std::string req(std::string_view line, std::string_view fields = "Host: a\r\n") {
  return std::string(line) + "\r\n" + std::string(fields) + "\r\n";
}

Case ok(std::string name, std::string rfc, std::string bytes, std::string expect,
        Limits limits = {}) {
  return {std::move(name), std::move(rfc), std::move(bytes), std::move(expect), limits};
}

// An error at the first occurrence of `anchor` in the bytes, plus `delta`.
Case bad(std::string name, std::string rfc, std::string bytes, Error e, std::string_view anchor,
         int delta = 0, Limits limits = {}) {
  const std::size_t pos = bytes.find(anchor);
  EXPECT_NE(pos, std::string::npos) << name << ": anchor not found";
  const auto at = static_cast<long>(pos) + delta;
  std::string expect = "error " + std::string(error_name(e)) + " @" + std::to_string(at);
  return {std::move(name), std::move(rfc), std::move(bytes), std::move(expect), limits};
}

// An error at an explicit offset.
Case bad_at(std::string name, std::string rfc, std::string bytes, Error e, std::size_t at,
            Limits limits = {}) {
  std::string expect = "error " + std::string(error_name(e)) + " @" + std::to_string(at);
  return {std::move(name), std::move(rfc), std::move(bytes), std::move(expect), limits};
}

Case more(std::string name, std::string rfc, std::string bytes) {
  return {std::move(name), std::move(rfc), std::move(bytes), "need_more", {}};
}

Limits with(std::uint32_t Limits::*field, std::uint32_t value) {
  Limits l;
  l.*field = value;
  return l;
}

std::vector<Case> request_line_cases() {
  std::vector<Case> c;
  // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
  c.push_back(ok("accepts_minimal_get", "9112 §3", req("GET / HTTP/1.1"),
                 "GET / 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_http10_without_host", "9112 §3.2", req("GET / HTTP/1.0", ""),
                 "GET / 1.0 origin; no_body close"));
  c.push_back(ok("accepts_http10_with_host", "9112 §3.2", req("GET / HTTP/1.0"),
                 "GET / 1.0 origin; Host=a; no_body close"));
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "PATCH"}) {
    c.push_back(ok(std::string("accepts_method_") + m, "9110 §9.3",
                   req(std::string(m) + " /x HTTP/1.1"),
                   std::string(m) + " /x 1.1 origin; Host=a; no_body keep-alive"));
  }
  c.push_back(ok("accepts_method_CONNECT_with_authority_form", "9112 §3.2.3",
                 req("CONNECT example.com:443 HTTP/1.1"),
                 "CONNECT example.com:443 1.1 authority; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_method_OPTIONS_with_asterisk_form", "9112 §3.2.4",
                 req("OPTIONS * HTTP/1.1"), "OPTIONS * 1.1 asterisk; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_extension_method", "9110 §9.1", req("PROPFIND /d HTTP/1.1"),
                 "PROPFIND /d 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_method_of_every_tchar", "9110 §5.6.2",
                 req("!#$%&'*+-.^_`|~09azAZ / HTTP/1.1"),
                 "!#$%&'*+-.^_`|~09azAZ / 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_lowercase_method_as_extension", "9110 §9.1 (case-sensitive)",
                 req("get / HTTP/1.1"), "get / 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(bad("rejects_separator_in_method", "9110 §9.1", req("GE(T / HTTP/1.1"),
                  Error::bad_method, "("));
  c.push_back(bad("rejects_nul_in_method", "9110 §9.1", req(std::string("GE\0T / HTTP/1.1", 15)),
                  Error::bad_method, std::string_view("\0", 1)));
  c.push_back(bad("rejects_obs_text_in_method", "9110 §9.1", req("G\xc3\x89T / HTTP/1.1"),
                  Error::bad_method, "\xc3"));
  c.push_back(
      bad_at("rejects_empty_method", "9112 §3", req(" / HTTP/1.1"), Error::bad_request_line, 0));
  c.push_back(bad("rejects_tab_after_method", "9112 §3", req("GET\t/ HTTP/1.1"),
                  Error::bad_request_line, "\t"));
  c.push_back(bad_at("rejects_two_spaces_after_method", "9112 §3", req("GET  / HTTP/1.1"),
                     Error::bad_request_line, 4));
  c.push_back(bad_at("rejects_two_spaces_before_version", "9112 §3", req("GET /  HTTP/1.1"),
                     Error::bad_version, 6));
  c.push_back(bad("rejects_http09_request_line", "9112 §3", "GET /\r\n\r\n",
                  Error::bad_request_line, "\r"));
  c.push_back(bad("rejects_missing_version", "9112 §2.3", req("GET / "), Error::bad_version, "\r"));
  c.push_back(bad("rejects_method_only", "9112 §3", req("GET"), Error::bad_request_line, "\r"));
  c.push_back(bad("rejects_space_after_version", "9112 §3", req("GET / HTTP/1.1 "),
                  Error::bad_version, " \r"));
  c.push_back(bad("rejects_space_in_target_at_the_next_word", "9112 §3", req("GET /a b HTTP/1.1"),
                  Error::bad_version, "b "));
  // RFC 9112 §2.2: "SHOULD ignore at least one empty line (CRLF) received prior to the
  // request-line".
  c.push_back(ok("accepts_empty_line_before_request_line", "9112 §2.2",
                 "\r\n" + req("GET / HTTP/1.1"), "GET / 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(ok("deviation_accepts_empty_lines_before_request_line", "9112 §2.2",
                 "\r\n\r\n\r\n" + req("GET / HTTP/1.1"),
                 "GET / 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(bad_at("rejects_bare_lf_before_request_line", "9112 §2.2",
                     "\n" + req("GET / HTTP/1.1"), Error::bare_lf, 0));
  c.push_back(bad_at("rejects_bare_cr_before_request_line", "9112 §2.2", "\rGET / HTTP/1.1\r\n\r\n",
                     Error::bare_cr, 0));
  c.push_back(bad("rejects_bare_lf_ending_request_line", "9112 §2.2",
                  "GET / HTTP/1.1\nHost: a\r\n\r\n", Error::bare_lf, "\n"));
  c.push_back(bad("rejects_bare_cr_ending_request_line", "9112 §2.2",
                  "GET / HTTP/1.1\rHost: a\r\n\r\n", Error::bare_cr, "\r"));
  // RFC 9112 §2.3 HTTP-version = HTTP-name "/" DIGIT "." DIGIT
  c.push_back(ok("accepts_minor_version_9_as_1_1", "9110 §2.5", req("GET / HTTP/1.9"),
                 "GET / 1.9 origin; Host=a; no_body keep-alive"));
  c.push_back(bad("rejects_minor_version_9_without_host_as_1_1", "9110 §2.5",
                  req("GET / HTTP/1.9", ""), Error::missing_host, "\r\n\r\n", 2));
  c.push_back(bad("rejects_http_2_0_with_505", "9110 §15.6.6", req("GET / HTTP/2.0"),
                  Error::unsupported_version, "2.0"));
  c.push_back(bad("rejects_http_0_9_with_505", "9110 §15.6.6", req("GET / HTTP/0.9"),
                  Error::unsupported_version, "0.9"));
  c.push_back(bad("rejects_http_3_0_with_505", "9110 §15.6.6", req("GET / HTTP/3.0"),
                  Error::unsupported_version, "3.0"));
  c.push_back(bad("rejects_http2_preface_with_505", "9113 §3.4", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                  Error::unsupported_version, "2.0"));
  c.push_back(bad("rejects_lowercase_http_name", "9112 §2.3 (%s\"HTTP\")", req("GET / http/1.1"),
                  Error::bad_version, "http"));
  c.push_back(bad("rejects_two_digit_major_version", "9112 §2.3", req("GET / HTTP/11.1"),
                  Error::bad_version, "1.1", 0));
  c.push_back(bad("rejects_two_digit_minor_version", "9112 §2.3", req("GET / HTTP/1.10"),
                  Error::bad_version, "0\r"));
  c.push_back(bad("rejects_missing_minor_version", "9112 §2.3", req("GET / HTTP/1."),
                  Error::bad_version, "\r"));
  c.push_back(bad("rejects_missing_slash_in_version", "9112 §2.3", req("GET / HTTP1.1"),
                  Error::bad_version, "1.1"));
  c.push_back(bad("rejects_letters_in_version", "9112 §2.3", req("GET / HTTP/a.b"),
                  Error::bad_version, "a.b"));
  c.push_back(bad("rejects_comma_in_version", "9112 §2.3", req("GET / HTTP/1,1"),
                  Error::bad_version, ",1"));
  return c;
}

std::vector<Case> target_cases() {
  std::vector<Case> c;
  const auto get = [](std::string_view target) {
    return req("GET " + std::string(target) + " HTTP/1.1");
  };
  const auto got = [](std::string_view target, std::string_view form = "origin") {
    return "GET " + std::string(target) + " 1.1 " + std::string(form) +
           "; Host=a; no_body keep-alive";
  };
  // RFC 9112 §3.2.1 origin-form = absolute-path [ "?" query ]
  c.push_back(ok("accepts_path_segments", "9112 §3.2.1", get("/a/b/c"), got("/a/b/c")));
  c.push_back(ok("accepts_empty_segments", "3986 §3.3", get("//a//"), got("//a//")));
  c.push_back(ok("accepts_query", "9112 §3.2.1", get("/a?b=c&d=e"), got("/a?b=c&d=e")));
  c.push_back(
      ok("accepts_slash_and_question_in_query", "3986 §3.4", get("/a?b/c?d"), got("/a?b/c?d")));
  c.push_back(ok("accepts_empty_query", "3986 §3.4", get("/a?"), got("/a?")));
  c.push_back(
      ok("accepts_pct_encoded", "3986 §2.1", get("/a%20b%2F%c3%A9"), got("/a%20b%2F%c3%A9")));
  c.push_back(ok("accepts_every_pchar", "3986 §3.3", get("/-._~!$&'()*+,;=:@AZaz09"),
                 got("/-._~!$&'()*+,;=:@AZaz09")));
  c.push_back(ok("accepts_long_target_through_the_vector_skip", "3986 §3.3",
                 get("/" + std::string(300, 'a') + "%41?" + std::string(300, 'b')),
                 got("/" + std::string(300, 'a') + "%41?" + std::string(300, 'b'))));
  c.push_back(
      ok("accepts_dot_segments_unnormalised", "3986 §3.3", get("/a/../b/./c"), got("/a/../b/./c")));
  c.push_back(bad("rejects_bad_pct_encoding", "3986 §2.1", get("/a%zz"), Error::bad_target, "zz"));
  c.push_back(
      bad("rejects_half_pct_encoding", "3986 §2.1", get("/a%4"), Error::bad_target, " HTTP"));
  c.push_back(bad("rejects_pct_at_end_of_long_target", "3986 §2.1",
                  get("/" + std::string(40, 'a') + "%"), Error::bad_target, " HTTP"));
  c.push_back(
      bad("rejects_fragment", "9112 §3.2 (no fragment)", get("/a#b"), Error::bad_target, "#"));
  c.push_back(bad("rejects_nul_in_target", "3986 §3.3", get(std::string("/a\0b", 4)),
                  Error::bad_target, std::string_view("\0", 1)));
  c.push_back(bad("rejects_del_in_target", "3986 §3.3", get("/a\x7f"), Error::bad_target, "\x7f"));
  c.push_back(bad("rejects_obs_text_in_target", "3986 §3.3", get("/caf\xc3\xa9"), Error::bad_target,
                  "\xc3"));
  c.push_back(bad("rejects_tab_in_target", "3986 §3.3", get("/a\tb"), Error::bad_target, "\t"));
  c.push_back(
      bad("rejects_cr_in_target", "9112 §2.2", get("/a\rb"), Error::bad_request_line, "\r"));
  c.push_back(bad("rejects_lf_in_target", "9112 §2.2", get("/a\nb"), Error::bare_lf, "\n"));
  for (char ch : std::string_view("\"<>[\\]^`{|}")) {
    static const char* kNames[] = {"quote",     "less",     "greater", "lbracket",
                                   "backslash", "rbracket", "caret",   "backtick",
                                   "lbrace",    "pipe",     "rbrace"};
    const std::size_t i = std::string_view("\"<>[\\]^`{|}").find(ch);
    c.push_back(bad(std::string("rejects_") + kNames[i] + "_in_path", "3986 §3.3",
                    get(std::string("/ab") + ch + "cd"), Error::bad_target, std::string(1, ch)));
    c.push_back(bad(std::string("rejects_") + kNames[i] + "_in_query", "3986 §3.4",
                    get(std::string("/a?") + std::string(20, 'q') + ch), Error::bad_target,
                    std::string(1, ch)));
  }
  // RFC 9112 §3.2.2 absolute-form = absolute-URI
  c.push_back(ok("accepts_absolute_form", "9112 §3.2.2", get("http://example.com/a?b"),
                 got("http://example.com/a?b", "absolute")));
  c.push_back(ok("accepts_absolute_form_with_port", "9112 §3.2.2", get("http://example.com:8080/"),
                 got("http://example.com:8080/", "absolute")));
  c.push_back(ok("accepts_absolute_form_with_ipv4", "3986 §3.2.2", get("http://127.0.0.1/"),
                 got("http://127.0.0.1/", "absolute")));
  c.push_back(ok("accepts_absolute_form_with_ipv6", "3986 §3.2.2", get("http://[::1]:80/"),
                 got("http://[::1]:80/", "absolute")));
  c.push_back(ok("accepts_absolute_form_with_full_ipv6", "3986 §3.2.2",
                 get("http://[2001:db8:0:0:1:0:0:1]/"),
                 got("http://[2001:db8:0:0:1:0:0:1]/", "absolute")));
  c.push_back(ok("accepts_absolute_form_with_ipv4_in_ipv6", "3986 §3.2.2",
                 get("http://[::ffff:10.0.0.1]/"), got("http://[::ffff:10.0.0.1]/", "absolute")));
  c.push_back(ok("accepts_absolute_form_with_ipvfuture", "3986 §3.2.2", get("http://[v1.x:y]/"),
                 got("http://[v1.x:y]/", "absolute")));
  c.push_back(ok("accepts_absolute_form_without_path", "9112 §3.2.2", get("http://example.com"),
                 got("http://example.com", "absolute")));
  c.push_back(ok("accepts_absolute_form_of_other_scheme", "3986 §4.3", get("urn:isbn:0451450523"),
                 got("urn:isbn:0451450523", "absolute")));
  c.push_back(bad("deviation_rejects_userinfo_in_absolute_form", "9110 §4.2.4",
                  get("http://user@example.com/"), Error::bad_target, "@"));
  c.push_back(bad("rejects_bad_ipv6_literal", "3986 §3.2.2", get("http://[::g]/"),
                  Error::bad_target, "g]"));
  c.push_back(bad("rejects_too_many_ipv6_groups", "3986 §3.2.2", get("http://[1:2:3:4:5:6:7:8:9]/"),
                  Error::bad_target, ":9", 0));
  c.push_back(bad("rejects_fragment_in_absolute_form", "9112 §3.2.2", get("http://example.com/#x"),
                  Error::bad_target, "#"));
  // RFC 9112 §3.2.3 authority-form, only for CONNECT
  c.push_back(ok("accepts_connect_to_ipv6", "9112 §3.2.3", req("CONNECT [::1]:443 HTTP/1.1"),
                 "CONNECT [::1]:443 1.1 authority; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_connect_to_ipv4", "9112 §3.2.3", req("CONNECT 10.0.0.1:443 HTTP/1.1"),
                 "CONNECT 10.0.0.1:443 1.1 authority; Host=a; no_body keep-alive"));
  c.push_back(bad("rejects_connect_with_origin_form", "9112 §3.2.3", req("CONNECT / HTTP/1.1"),
                  Error::target_form_mismatch, "/"));
  c.push_back(bad("rejects_connect_with_absolute_form", "9112 §3.2.3",
                  req("CONNECT http://a/ HTTP/1.1"), Error::target_form_mismatch, "http"));
  c.push_back(bad("rejects_connect_without_port", "9112 §3.2.3",
                  req("CONNECT example.com HTTP/1.1"), Error::bad_target, " HTTP"));
  // RFC 9110 §9.3.6: "A server MUST reject a CONNECT request that targets an empty or
  // invalid port number": a TCP port, 1 to 65535, without leading zeros (which some readers
  // take for octal). "host:" is still an absolute-URI (scheme "host"), just not for CONNECT.
  c.push_back(ok("accepts_connect_to_port_1", "9110 §9.3.6", req("CONNECT a.example:1 HTTP/1.1"),
                 "CONNECT a.example:1 1.1 authority; Host=a; no_body keep-alive"));
  c.push_back(ok("accepts_connect_to_port_65535", "9110 §9.3.6",
                 req("CONNECT a.example:65535 HTTP/1.1"),
                 "CONNECT a.example:65535 1.1 authority; Host=a; no_body keep-alive"));
  c.push_back(bad("rejects_connect_with_empty_port", "9110 §9.3.6",
                  req("CONNECT example.com: HTTP/1.1"), Error::target_form_mismatch, "example"));
  c.push_back(bad("rejects_connect_to_port_65536", "9110 §9.3.6",
                  req("CONNECT 10.0.0.1:65536 HTTP/1.1"), Error::bad_target, "65536", 4));
  c.push_back(bad("rejects_connect_to_port_0", "9110 §9.3.6", req("CONNECT 10.0.0.1:0 HTTP/1.1"),
                  Error::bad_target, ":0", 1));
  c.push_back(bad("rejects_connect_port_with_a_leading_zero", "9110 §9.3.6",
                  req("CONNECT 10.0.0.1:0443 HTTP/1.1"), Error::bad_target, ":0", 1));
  c.push_back(bad("rejects_authority_form_for_get", "9112 §3.2.3", get("10.0.0.1:80"),
                  Error::target_form_mismatch, "10."));
  // RFC 9112 §3.2.4 asterisk-form, only for OPTIONS
  c.push_back(bad("rejects_asterisk_form_for_get", "9112 §3.2.4", get("*"),
                  Error::target_form_mismatch, "*"));
  c.push_back(bad("rejects_asterisk_followed_by_path", "9112 §3.2.4", req("OPTIONS */x HTTP/1.1"),
                  Error::bad_target, "/x"));
  return c;
}

std::vector<Case> field_cases() {
  std::vector<Case> c;
  const auto with = [](std::string_view fields) { return req("GET / HTTP/1.1", fields); };
  const auto got = [](std::string_view fields) {
    return "GET / 1.1 origin; " + std::string(fields) + "; no_body keep-alive";
  };
  // RFC 9112 §5 field-line = field-name ":" OWS field-value OWS
  c.push_back(ok("accepts_value_without_ows", "9112 §5", with("Host:a\r\n"), got("Host=a")));
  c.push_back(ok("accepts_and_trims_spaces", "9112 §5", with("Host:   a   \r\n"), got("Host=a")));
  c.push_back(ok("accepts_and_trims_tabs", "9112 §5", with("Host:\t\ta\t\t\r\n"), got("Host=a")));
  c.push_back(ok("accepts_empty_value", "9110 §5.5", with("Host: a\r\nX-Empty:\r\n"),
                 got("Host=a; X-Empty=")));
  c.push_back(ok("accepts_empty_value_of_whitespace", "9110 §5.5", with("Host: a\r\nX:  \t \r\n"),
                 got("Host=a; X=")));
  c.push_back(ok("accepts_internal_whitespace", "9110 §5.5", with("Host: a\r\nX: a  b\tc\r\n"),
                 got("Host=a; X=a  b\tc")));
  c.push_back(ok("accepts_obs_text_in_value", "9110 §5.5", with("Host: a\r\nX: caf\xc3\xa9\r\n"),
                 got("Host=a; X=caf\xc3\xa9")));
  c.push_back(ok("accepts_every_vchar_in_value", "9110 §5.5",
                 with("Host: a\r\nX: !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\r\n"),
                 got("Host=a; X=!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~")));
  c.push_back(ok("accepts_every_tchar_in_name", "9110 §5.1",
                 with("Host: a\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n"),
                 got("Host=a; !#$%&'*+-.^_`|~09azAZ=v")));
  c.push_back(ok("accepts_long_value_through_the_vector_skip", "9110 §5.5",
                 with("Host: a\r\nCookie: " + std::string(1000, 'c') + "\r\n"),
                 got("Host=a; Cookie=" + std::string(1000, 'c'))));
  c.push_back(
      ok("accepts_one_byte_value", "9110 §5.5", with("Host: a\r\nX: y\r\n"), got("Host=a; X=y")));
  c.push_back(ok("accepts_quoted_colon_in_value", "9110 §5.5", with("Host: a\r\nX: \"a:b\"\r\n"),
                 got("Host=a; X=\"a:b\"")));
  c.push_back(ok("accepts_colon_in_value", "9110 §5.5", with("Host: a\r\nX: a: b\r\n"),
                 got("Host=a; X=a: b")));
  c.push_back(bad("rejects_space_before_colon", "9112 §5.1", with("Host : a\r\n"),
                  Error::space_before_colon, " :"));
  c.push_back(bad("rejects_tab_before_colon", "9112 §5.1", with("Host\t: a\r\n"),
                  Error::space_before_colon, "\t"));
  c.push_back(bad("rejects_space_before_colon_of_transfer_encoding", "9112 §5.1",
                  with("Host: a\r\nTransfer-Encoding : chunked\r\n"), Error::space_before_colon,
                  " :"));
  c.push_back(bad("rejects_missing_colon_at_space", "9112 §5.1", with("Host a\r\n"),
                  Error::space_before_colon, " a"));
  c.push_back(bad("rejects_missing_colon_at_crlf", "9110 §5.1", with("Host: a\r\nX\r\n"),
                  Error::bad_field_name, "\r\n\r\n"));
  c.push_back(
      bad("rejects_empty_field_name", "9110 §5.1", with(": a\r\n"), Error::bad_field_name, ": a"));
  c.push_back(bad("rejects_separator_in_field_name", "9110 §5.1", with("X(y): a\r\n"),
                  Error::bad_field_name, "("));
  c.push_back(bad("rejects_nul_in_field_name", "9110 §5.1", with(std::string("X\0y: a\r\n", 8)),
                  Error::bad_field_name, std::string_view("\0", 1)));
  c.push_back(bad("rejects_obs_text_in_field_name", "9110 §5.1", with("X\xe9: a\r\n"),
                  Error::bad_field_name, "\xe9"));
  c.push_back(bad("rejects_del_in_field_name", "9110 §5.1", with("X\x7f: a\r\n"),
                  Error::bad_field_name, "\x7f"));
  c.push_back(bad("rejects_slash_in_field_name", "9110 §5.1", with("X/y: a\r\n"),
                  Error::bad_field_name, "/y"));
  c.push_back(bad("rejects_nul_in_value", "9110 §5.5", with(std::string("Host: a\0b\r\n", 11)),
                  Error::bad_field_value, std::string_view("\0", 1)));
  c.push_back(bad("rejects_del_in_value", "9110 §5.5", with("Host: a\x7f\r\n"),
                  Error::bad_field_value, "\x7f"));
  c.push_back(bad("rejects_vertical_tab_in_value", "9110 §5.5", with("Host: a\vb\r\n"),
                  Error::bad_field_value, "\v"));
  c.push_back(bad("rejects_form_feed_in_value", "9110 §5.5", with("Host: a\fb\r\n"),
                  Error::bad_field_value, "\f"));
  c.push_back(bad("rejects_escape_in_value", "9110 §5.5", with("Host: a\x1b[0m\r\n"),
                  Error::bad_field_value, "\x1b"));
  c.push_back(bad("rejects_control_as_first_value_byte", "9110 §5.5", with("Host:\x01\r\n"),
                  Error::bad_field_value, "\x01"));
  c.push_back(bad("rejects_control_in_leading_whitespace", "9110 §5.5", with("Host: \x02 a\r\n"),
                  Error::bad_field_value, "\x02"));
  c.push_back(bad("rejects_control_after_long_value", "9110 §5.5",
                  with("Host: a\r\nX: " + std::string(100, 'v') + "\x01\r\n"),
                  Error::bad_field_value, "\x01"));
  // RFC 9112 §2.2: CR only as part of CRLF; bare LF not accepted (the strict choice).
  c.push_back(
      bad("rejects_bare_cr_in_value", "9112 §2.2", with("Host: a\rb\r\n"), Error::bare_cr, "\rb"));
  c.push_back(
      bad("rejects_bare_lf_in_value", "9112 §2.2", with("Host: a\nb\r\n"), Error::bare_lf, "\nb"));
  c.push_back(bad("rejects_bare_lf_ending_field_line", "9112 §2.2", with("Host: a\n"),
                  Error::bare_lf, "a\n", 1));
  c.push_back(bad("rejects_bare_lf_ending_head", "9112 §2.2", "GET / HTTP/1.1\r\nHost: a\r\n\n",
                  Error::bare_lf, "\n\n", 1));
  c.push_back(bad("rejects_bare_cr_ending_head", "9112 §2.2", "GET / HTTP/1.1\r\nHost: a\r\n\rX",
                  Error::bare_cr, "\rX"));
  c.push_back(bad("rejects_cr_cr_lf", "9112 §2.2", with("Host: a\r\r\n"), Error::bare_cr, "\r\r"));
  c.push_back(bad("rejects_bare_cr_in_field_name", "9112 §2.2", with("Ho\rst: a\r\n"),
                  Error::bad_field_name, "\rst"));
  // RFC 9112 §5.2 obs-fold, §2.2 whitespace after the start-line
  c.push_back(bad("rejects_obs_fold_with_space", "9112 §5.2", with("Host: a\r\nX: b\r\n c\r\n"),
                  Error::obs_fold, " c"));
  c.push_back(bad("rejects_obs_fold_with_tab", "9112 §5.2", with("Host: a\r\nX: b\r\n\tc\r\n"),
                  Error::obs_fold, "\tc"));
  c.push_back(bad("rejects_obs_fold_of_empty_value", "9112 §5.2", with("Host: a\r\nX:\r\n c\r\n"),
                  Error::obs_fold, " c"));
  c.push_back(bad("rejects_obs_fold_hiding_transfer_encoding", "9112 §5.2",
                  with("Host: a\r\nX: y\r\n Transfer-Encoding: chunked\r\n"), Error::obs_fold,
                  " Transfer"));
  c.push_back(bad("rejects_whitespace_line_after_request_line", "9112 §2.2", with(" Host: a\r\n"),
                  Error::space_after_start_line, " Host"));
  c.push_back(bad("rejects_tab_line_after_request_line", "9112 §2.2", with("\tHost: a\r\n"),
                  Error::space_after_start_line, "\tHost"));
  // need more
  c.push_back(more("needs_more_for_empty_input", "9112 §2.1", ""));
  c.push_back(more("needs_more_for_empty_lines_only", "9112 §2.2", "\r\n\r\n"));
  c.push_back(more("needs_more_inside_method", "9112 §3", "GE"));
  c.push_back(more("needs_more_inside_target", "9112 §3", "GET /abc"));
  c.push_back(more("needs_more_inside_pct_encoding", "9112 §3", "GET /a%4"));
  c.push_back(more("needs_more_inside_version", "9112 §2.3", "GET / HTTP/1."));
  c.push_back(more("needs_more_after_cr", "9112 §2.2", "GET / HTTP/1.1\r"));
  c.push_back(more("needs_more_before_empty_line", "9112 §2.1", "GET / HTTP/1.1\r\nHost: a\r\n"));
  c.push_back(more("needs_more_inside_value", "9112 §5", "GET / HTTP/1.1\r\nHost: a"));
  c.push_back(more("needs_more_after_final_cr", "9112 §2.1", "GET / HTTP/1.1\r\nHost: a\r\n\r"));
  return c;
}

std::vector<Case> host_cases() {
  std::vector<Case> c;
  const auto with = [](std::string_view fields) { return req("GET / HTTP/1.1", fields); };
  const auto got = [](std::string_view fields) {
    return "GET / 1.1 origin; " + std::string(fields) + "; no_body keep-alive";
  };
  // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
  // request message that lacks a Host header field and to any request message that contains
  // more than one Host header field line or a Host header field with an invalid field value."
  c.push_back(bad("rejects_missing_host", "9112 §3.2", with("X: y\r\n"), Error::missing_host,
                  "\r\n\r\n", 2));
  c.push_back(bad("rejects_missing_host_without_fields", "9112 §3.2", with(""), Error::missing_host,
                  "\r\n\r\n", 2));
  c.push_back(bad("rejects_two_host_lines", "9112 §3.2", with("Host: a\r\nHost: b\r\n"),
                  Error::multiple_host, "Host: b"));
  c.push_back(bad("rejects_two_identical_host_lines", "9112 §3.2", with("Host: a\r\nhost: a\r\n"),
                  Error::multiple_host, "host: a"));
  c.push_back(bad("rejects_two_host_lines_in_http10", "9112 §3.2",
                  req("GET / HTTP/1.0", "Host: a\r\nHost: b\r\n"), Error::multiple_host,
                  "Host: b"));
  c.push_back(ok("accepts_host_with_port", "9110 §7.2", with("Host: a.example:8080\r\n"),
                 got("Host=a.example:8080")));
  c.push_back(ok("accepts_host_ipv4", "9110 §7.2", with("Host: 127.0.0.1:80\r\n"),
                 got("Host=127.0.0.1:80")));
  c.push_back(
      ok("accepts_host_ipv6", "9110 §7.2", with("Host: [::1]:8080\r\n"), got("Host=[::1]:8080")));
  c.push_back(ok("accepts_empty_host", "9110 §7.2", with("Host:\r\n"), got("Host=")));
  c.push_back(
      ok("accepts_host_with_empty_port", "3986 §3.2.3", with("Host: a:\r\n"), got("Host=a:")));
  c.push_back(ok("accepts_host_name_in_any_case", "9110 §5.1", with("hOsT: a\r\n"), got("hOsT=a")));
  c.push_back(ok("accepts_pct_encoded_reg_name", "3986 §3.2.2", with("Host: a%2Db\r\n"),
                 got("Host=a%2Db")));
  c.push_back(
      bad("rejects_space_inside_host", "9110 §7.2", with("Host: a b\r\n"), Error::bad_host, " b"));
  c.push_back(
      bad("rejects_path_in_host", "9110 §7.2", with("Host: a/b\r\n"), Error::bad_host, "/b"));
  c.push_back(
      bad("rejects_userinfo_in_host", "9110 §7.2", with("Host: u@a\r\n"), Error::bad_host, "@"));
  c.push_back(bad("rejects_letters_in_host_port", "9110 §7.2", with("Host: a:8x\r\n"),
                  Error::bad_host, "x\r"));
  c.push_back(bad("rejects_unclosed_ipv6_host", "9110 §7.2", with("Host: [::1\r\n"),
                  Error::bad_host, "\r\n\r\n"));
  c.push_back(bad("rejects_two_ports_in_host", "9110 §7.2", with("Host: a:1:2\r\n"),
                  Error::bad_host, ":2"));
  c.push_back(bad("rejects_comma_list_in_host", "9110 §7.2", with("Host: a, b\r\n"),
                  Error::bad_host, ", b", 1));
  // Around the 16 bytes the inline Host check judges with one load.
  c.push_back(ok("accepts_host_of_16_bytes_with_port", "9110 §7.2",
                 with("Host: abcdefghijk:1234\r\n"), got("Host=abcdefghijk:1234")));
  c.push_back(ok("accepts_host_of_17_bytes_with_port", "9110 §7.2",
                 with("Host: abcdefghijkl:1234\r\n"), got("Host=abcdefghijkl:1234")));
  c.push_back(bad("rejects_letter_in_port_of_16_byte_host", "9110 §7.2",
                  with("Host: abcdefghij:12x4\r\n"), Error::bad_host, "x4\r"));
  c.push_back(bad("rejects_second_colon_in_16_byte_host", "9110 §7.2",
                  with("Host: abcdefghi:12:45\r\n"), Error::bad_host, ":45\r"));
  return c;
}

std::vector<Case> framing_cases() {
  std::vector<Case> c;
  const auto post = [](std::string_view fields) {
    return req("POST /u HTTP/1.1", "Host: a\r\n" + std::string(fields));
  };
  const auto got = [](std::string_view fields, std::string_view framing) {
    return "POST /u 1.1 origin; Host=a; " + std::string(fields) + "; " + std::string(framing) +
           " keep-alive";
  };
  // RFC 9110 §8.6 Content-Length = 1*DIGIT; RFC 9112 §6.3
  c.push_back(ok("accepts_content_length", "9110 §8.6", post("Content-Length: 5\r\n"),
                 got("Content-Length=5", "content_length 5")));
  c.push_back(ok("accepts_zero_content_length", "9110 §8.6", post("Content-Length: 0\r\n"),
                 got("Content-Length=0", "content_length 0")));
  c.push_back(ok("accepts_content_length_with_leading_zeros", "9110 §8.6",
                 post("Content-Length: 007\r\n"), got("Content-Length=007", "content_length 7")));
  c.push_back(ok("accepts_identical_content_length_list", "9110 §8.6",
                 post("Content-Length: 5, 5\r\n"), got("Content-Length=5, 5", "content_length 5")));
  c.push_back(ok("accepts_identical_content_length_lines", "9110 §8.6",
                 post("Content-Length: 5\r\nContent-Length: 5\r\n"),
                 got("Content-Length=5; Content-Length=5", "content_length 5")));
  c.push_back(ok("accepts_content_length_name_in_any_case", "9110 §5.1",
                 post("content-LENGTH: 3\r\n"), got("content-LENGTH=3", "content_length 3")));
  c.push_back(ok("accepts_content_length_at_max_body", "9110 §15.5.14",
                 post("Content-Length: 8388608\r\n"),
                 got("Content-Length=8388608", "content_length 8388608")));
  Limits huge;
  huge.max_body = UINT64_MAX;
  c.push_back(ok("accepts_largest_content_length", "9112 §6.3",
                 post("Content-Length: 18446744073709551615\r\n"),
                 got("Content-Length=18446744073709551615", "content_length 18446744073709551615"),
                 huge));
  // 19 digits is the longest value read without the list reader.
  c.push_back(ok("accepts_content_length_of_19_digits", "9112 §6.3",
                 post("Content-Length: 9999999999999999999\r\n"),
                 got("Content-Length=9999999999999999999", "content_length 9999999999999999999"),
                 huge));
  c.push_back(bad("rejects_differing_single_digit_content_lengths", "9112 §6.3",
                  post("Content-Length: 5\r\ncontent-length: 7\r\n"),
                  Error::conflicting_content_length, "7\r"));
  c.push_back(bad("rejects_content_length_over_max_body_with_413", "9110 §15.5.14",
                  post("Content-Length: 8388609\r\n"), Error::body_too_large, "8388609"));
  c.push_back(bad("rejects_content_length_overflow", "9112 §6.3",
                  post("Content-Length: 18446744073709551616\r\n"), Error::bad_content_length,
                  "6\r\n", 0, huge));
  c.push_back(bad("rejects_differing_content_length_list", "9110 §8.6",
                  post("Content-Length: 5, 6\r\n"), Error::conflicting_content_length, "6\r"));
  c.push_back(bad("rejects_differing_content_length_lines", "9112 §6.3",
                  post("Content-Length: 5\r\nContent-Length: 6\r\n"),
                  Error::conflicting_content_length, "6\r"));
  c.push_back(bad("rejects_plus_sign_in_content_length", "9110 §8.6",
                  post("Content-Length: +5\r\n"), Error::bad_content_length, "+"));
  c.push_back(bad("rejects_negative_content_length", "9110 §8.6", post("Content-Length: -1\r\n"),
                  Error::bad_content_length, "-1"));
  c.push_back(bad("rejects_hex_content_length", "9110 §8.6", post("Content-Length: 0x5\r\n"),
                  Error::bad_content_length, "x"));
  c.push_back(bad("rejects_space_inside_content_length", "9110 §8.6",
                  post("Content-Length: 1 2\r\n"), Error::bad_content_length, " 2"));
  c.push_back(bad("rejects_decimal_point_in_content_length", "9110 §8.6",
                  post("Content-Length: 5.0\r\n"), Error::bad_content_length, ".0"));
  c.push_back(bad("rejects_empty_content_length", "9110 §8.6", post("Content-Length:\r\n"),
                  Error::bad_content_length, "\r\n\r\n"));
  c.push_back(bad("rejects_empty_element_in_content_length", "9110 §8.6",
                  post("Content-Length: 5,\r\n"), Error::bad_content_length, ",\r", 1));
  c.push_back(bad("rejects_quoted_content_length", "9110 §8.6", post("Content-Length: \"5\"\r\n"),
                  Error::bad_content_length, "\""));
  // RFC 9112 §6.1 Transfer-Encoding, §6.3 items 3 and 4
  c.push_back(ok("accepts_chunked", "9112 §6.1", post("Transfer-Encoding: chunked\r\n"),
                 got("Transfer-Encoding=chunked", "chunked")));
  c.push_back(ok("accepts_chunked_in_any_case", "9112 §7 (case-insensitive)",
                 post("Transfer-Encoding: ChUnKeD\r\n"),
                 got("Transfer-Encoding=ChUnKeD", "chunked")));
  c.push_back(ok("accepts_empty_list_elements_around_chunked", "9110 §5.6.1",
                 post("Transfer-Encoding: , chunked,\r\n"),
                 got("Transfer-Encoding=, chunked,", "chunked")));
  c.push_back(bad("rejects_transfer_encoding_with_content_length", "9112 §6.1",
                  post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), Error::te_with_cl,
                  "5\r"));
  c.push_back(bad("rejects_content_length_with_transfer_encoding", "9112 §6.1",
                  post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), Error::te_with_cl,
                  "5\r"));
  c.push_back(bad("rejects_transfer_encoding_in_http10", "9112 §6.1",
                  req("POST /u HTTP/1.0", "Transfer-Encoding: chunked\r\n"), Error::te_in_http10,
                  "chunked"));
  c.push_back(bad("rejects_chunked_not_last", "9112 §6.3",
                  post("Transfer-Encoding: chunked, gzip\r\n"), Error::chunked_not_last,
                  "chunked"));
  c.push_back(bad("rejects_chunked_twice", "9112 §6.1",
                  post("Transfer-Encoding: chunked, chunked\r\n"), Error::chunked_not_last,
                  "chunked"));
  c.push_back(bad("rejects_duplicate_transfer_encoding_lines", "9112 §6.1",
                  post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
                  Error::chunked_not_last, "chunked"));
  c.push_back(bad("rejects_chunked_then_identity", "9112 §6.3",
                  post("Transfer-Encoding: chunked, identity\r\n"), Error::chunked_not_last,
                  "chunked"));
  c.push_back(bad("rejects_identity_alone", "9112 §6.3", post("Transfer-Encoding: identity\r\n"),
                  Error::chunked_not_last, "identity"));
  c.push_back(bad("rejects_xchunked", "9112 §6.3", post("Transfer-Encoding: xchunked\r\n"),
                  Error::chunked_not_last, "xchunked"));
  c.push_back(bad("rejects_chunked_with_parameter", "9112 §6.3",
                  post("Transfer-Encoding: chunked;q=1\r\n"), Error::chunked_not_last, "chunked"));
  c.push_back(bad("rejects_empty_transfer_encoding", "9112 §6.3", post("Transfer-Encoding:\r\n"),
                  Error::chunked_not_last, "\r\n\r\n"));
  c.push_back(bad("rejects_gzip_then_chunked_with_501", "9112 §6.1",
                  post("Transfer-Encoding: gzip, chunked\r\n"), Error::unknown_coding, "gzip"));
  c.push_back(bad("rejects_split_gzip_then_chunked_with_501", "9112 §6.1",
                  post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
                  Error::unknown_coding, "gzip"));
  c.push_back(bad("rejects_coding_with_quoted_parameter_with_501", "9112 §6.1",
                  post("Transfer-Encoding: gzip;a=\"b,c\", chunked\r\n"), Error::unknown_coding,
                  "gzip"));
  c.push_back(bad("rejects_dangling_parameter_separator", "9112 §6.1",
                  post("Transfer-Encoding: chunked;\r\n"), Error::bad_transfer_encoding,
                  "chunked"));
  c.push_back(bad("rejects_coding_that_is_not_a_token", "9112 §6.1",
                  post("Transfer-Encoding: \"chunked\"\r\n"), Error::bad_transfer_encoding,
                  "\"chunked"));
  c.push_back(bad("rejects_vertical_tab_before_chunked", "9110 §5.5",
                  post("Transfer-Encoding:\vchunked\r\n"), Error::bad_field_value, "\v"));
  c.push_back(bad("rejects_nul_after_chunked", "9110 §5.5",
                  post(std::string("Transfer-Encoding: chunked\0\r\n", 29)), Error::bad_field_value,
                  std::string_view("\0", 1)));
  // RFC 9112 §9.3 persistence
  const auto get = [](std::string_view version, std::string_view fields) {
    return req("GET / HTTP/" + std::string(version), fields);
  };
  c.push_back(ok("closes_on_connection_close", "9112 §9.6",
                 get("1.1", "Host: a\r\nConnection: close\r\n"),
                 "GET / 1.1 origin; Host=a; Connection=close; no_body close"));
  c.push_back(ok("closes_on_close_in_any_case_in_a_list", "9112 §9.6",
                 get("1.1", "Host: a\r\nConnection: Upgrade, CLOSE\r\n"),
                 "GET / 1.1 origin; Host=a; Connection=Upgrade, CLOSE; no_body close"));
  c.push_back(ok("keeps_http11_alive_by_default", "9112 §9.3",
                 get("1.1", "Host: a\r\nConnection: keep-alive\r\n"),
                 "GET / 1.1 origin; Host=a; Connection=keep-alive; no_body keep-alive"));
  c.push_back(ok("keeps_http10_alive_when_asked", "9112 §9.3",
                 get("1.0", "Connection: Keep-Alive\r\n"),
                 "GET / 1.0 origin; Connection=Keep-Alive; no_body keep-alive"));
  // Found by differential_fuzzer: an unmatched DQUOTE before "close" hid it, as if it opened
  // a quoted-string. Connection options are tokens (RFC 9110 §7.6.1); a DQUOTE quotes nothing.
  c.push_back(ok("closes_on_close_after_a_stray_dquote", "9110 §7.6.1",
                 get("1.1", "Host: a\r\nConnection: x\"y, close\r\n"),
                 "GET / 1.1 origin; Host=a; Connection=x\"y, close; no_body close"));
  c.push_back(ok("close_wins_over_keep_alive", "9112 §9.3",
                 get("1.0", "Connection: keep-alive, close\r\n"),
                 "GET / 1.0 origin; Connection=keep-alive, close; no_body close"));
  // A keep-alive line on HTTP/1.1 changes nothing, but a later close line still counts.
  c.push_back(
      ok("closes_on_close_line_after_keep_alive_line", "9112 §9.6",
         get("1.1", "Host: a\r\nConnection: keep-alive\r\nConnection: close\r\n"),
         "GET / 1.1 origin; Host=a; Connection=keep-alive; Connection=close; no_body close"));
  c.push_back(ok("closes_on_close_line_before_host", "9112 §9.6",
                 get("1.1", "Connection: close\r\nHost: a\r\n"),
                 "GET / 1.1 origin; Connection=close; Host=a; no_body close"));
  c.push_back(ok("flags_expect_100_continue_without_content", "9110 §10.1.1",
                 get("1.1", "Host: a\r\nExpect: 100-continue\r\n"),
                 "GET / 1.1 origin; Host=a; Expect=100-continue; no_body keep-alive 100-continue"));
  // RFC 9110 §10.1.1 Expect
  c.push_back(
      ok("flags_expect_100_continue", "9110 §10.1.1",
         post("Content-Length: 1\r\nExpect: 100-continue\r\n"),
         got("Content-Length=1; Expect=100-continue", "content_length 1") + " 100-continue"));
  c.push_back(
      ok("flags_expect_100_continue_in_any_case", "9110 §10.1.1",
         post("Content-Length: 1\r\nExpect: 100-Continue\r\n"),
         got("Content-Length=1; Expect=100-Continue", "content_length 1") + " 100-continue"));
  c.push_back(
      ok("ignores_expect_100_continue_in_http10", "9110 §10.1.1",
         req("POST /u HTTP/1.0", "Content-Length: 1\r\nExpect: 100-continue\r\n"),
         "POST /u 1.0 origin; Content-Length=1; Expect=100-continue; content_length 1 close"));
  c.push_back(ok("ignores_other_expectations", "9110 §10.1.1",
                 post("Content-Length: 1\r\nExpect: 200-ok\r\n"),
                 got("Content-Length=1; Expect=200-ok", "content_length 1")));
  return c;
}

std::vector<Case> limit_cases() {
  std::vector<Case> c;
  // Each limit exactly at its bound, then one byte past it.
  const std::string method32(32, 'M');
  c.push_back(ok("limits_method_to_32_accepts_32", "9112 §3", req(method32 + " / HTTP/1.1"),
                 method32 + " / 1.1 origin; Host=a; no_body keep-alive"));
  c.push_back(bad_at("limits_method_to_32_rejects_33", "9112 §3", req(method32 + "M / HTTP/1.1"),
                     Error::method_too_long, 32));
  const std::string target(16, 't');
  const Limits t16 = with(&Limits::max_target, 16);
  c.push_back(ok("limits_target_accepts_exactly_max", "9112 §3",
                 req("GET /" + target.substr(1) + " HTTP/1.1"),
                 "GET /" + target.substr(1) + " 1.1 origin; Host=a; no_body keep-alive", t16));
  c.push_back(bad_at("limits_target_rejects_one_more_with_414", "9112 §3",
                     req("GET /" + target + " HTTP/1.1"), Error::target_too_long, 4 + 16, t16));
  c.push_back(bad_at("limits_target_at_8192_by_default", "9112 §3",
                     req("GET /" + std::string(8192, 'x') + " HTTP/1.1"), Error::target_too_long,
                     4 + 8192));
  c.push_back(ok("limits_target_accepts_8192_by_default", "9112 §3",
                 req("GET /" + std::string(8191, 'x') + " HTTP/1.1"),
                 "GET /" + std::string(8191, 'x') + " 1.1 origin; Host=a; no_body keep-alive"));
  // max_field_line counts the whole line with its CRLF: "X: " + value + CRLF.
  const Limits f32 = with(&Limits::max_field_line, 32);
  const std::string v27(27, 'v');
  c.push_back(ok("limits_field_line_accepts_exactly_max", "6585 §5",
                 req("GET / HTTP/1.1", "Host: a\r\nX: " + v27 + "\r\n"),
                 "GET / 1.1 origin; Host=a; X=" + v27 + "; no_body keep-alive", f32));
  c.push_back(bad("limits_field_line_rejects_one_more_with_431", "6585 §5",
                  req("GET / HTTP/1.1", "Host: a\r\nX: " + v27 + "v\r\n"), Error::field_too_long,
                  "X: ", 32, f32));
  c.push_back(bad("limits_field_line_counts_leading_whitespace", "6585 §5",
                  req("GET / HTTP/1.1", "Host: a\r\nX:" + std::string(40, ' ') + "v\r\n"),
                  Error::field_too_long, "X:", 32, f32));
  c.push_back(bad("limits_field_line_counts_the_name", "6585 §5",
                  req("GET / HTTP/1.1", "Host: a\r\n" + std::string(40, 'N') + ": v\r\n"),
                  Error::field_too_long, "NNN", 32, f32));
  std::string fields100 = "Host: a\r\n";
  std::string got100 = "Host=a";
  for (int i = 1; i < 100; ++i) {
    fields100 += "F" + std::to_string(i) + ": " + std::to_string(i) + "\r\n";
    got100 += "; F" + std::to_string(i) + "=" + std::to_string(i);
  }
  c.push_back(ok("limits_fields_to_100_accepts_100", "6585 §5", req("GET / HTTP/1.1", fields100),
                 "GET / 1.1 origin; " + got100 + "; no_body keep-alive"));
  c.push_back(bad("limits_fields_to_100_rejects_101", "6585 §5",
                  req("GET / HTTP/1.1", fields100 + "Extra: x\r\n"), Error::too_many_fields,
                  "Extra"));
  // max_head counts from the first byte to the LF of the empty line.
  const std::string small = req("GET / HTTP/1.1");  // 27 bytes
  const Limits h27 = with(&Limits::max_head, static_cast<std::uint32_t>(small.size()));
  c.push_back(ok("limits_head_accepts_exactly_max", "6585 §5", small,
                 "GET / 1.1 origin; Host=a; no_body keep-alive", h27));
  c.push_back(bad_at("limits_head_rejects_one_more_with_431", "6585 §5",
                     req("GET / HTTP/1.1", "Host: ab\r\n"), Error::head_too_large, small.size(),
                     h27));
  c.push_back(bad_at("limits_head_counts_empty_lines_before_request_line", "6585 §5",
                     "\r\n" + small, Error::head_too_large, small.size(), h27));
  c.push_back(bad_at("rejects_a_stream_of_bare_crs", "9112 §2.2", std::string(200, '\r'),
                     Error::bare_cr, 0, h27));
  // Found by HeadParserProperty.any_limits_give_the_first_limit_crossed: the first byte past
  // the method (or target) limit is the last byte the head limit allows; the method's own
  // error is due there, not head_too_large one byte later.
  Limits m22h27;
  m22h27.max_method = 22;
  m22h27.max_head = 27;
  c.push_back(bad_at("limits_method_when_its_limit_ends_at_the_head_limit", "9112 §3",
                     "\r\n\r\n" + req(std::string(23, 'M') + " / HTTP/1.1"), Error::method_too_long,
                     26, m22h27));
  c.push_back(bad_at("limits_head_after_a_method_exactly_at_its_limit", "6585 §5",
                     "\r\n\r\n" + req(std::string(22, 'M') + " / HTTP/1.1"), Error::head_too_large,
                     27, m22h27));
  Limits t22h27;
  t22h27.max_target = 22;
  t22h27.max_head = 27;
  c.push_back(bad_at("limits_target_when_its_limit_ends_at_the_head_limit", "9112 §3",
                     req("GET /" + std::string(22, 't') + " HTTP/1.1"), Error::target_too_long, 26,
                     t22h27));
  std::string crlfs;
  for (int i = 0; i < 40; ++i) crlfs += "\r\n";
  c.push_back(bad_at("limits_head_stops_endless_empty_lines", "6585 §5", crlfs,
                     Error::head_too_large, small.size(), h27));
  c.push_back(bad_at("limits_head_at_64k_by_default", "6585 §5",
                     req("GET / HTTP/1.1", "Host: a\r\n" + std::string(70000, 'X')),
                     Error::head_too_large, 65536, with(&Limits::max_field_line, 100000)));
  return c;
}

// The vector skips handle 16 bytes at a time; put a forbidden byte at every position of the
// first few blocks so each lane and each block boundary is exercised.
std::vector<Case> skip_boundary_cases() {
  std::vector<Case> c;
  for (int pos = 0; pos < 40; ++pos) {
    std::string value = std::string(static_cast<std::size_t>(pos), 'v') + "\x01" + "tail";
    c.push_back(bad("rejects_control_at_value_position_" + std::to_string(pos), "9110 §5.5",
                    req("GET / HTTP/1.1", "Host: a\r\nX: " + value + "\r\n"),
                    Error::bad_field_value, "\x01"));
    std::string path = "/" + std::string(static_cast<std::size_t>(pos), 'p') + "\"" + "tail";
    c.push_back(bad("rejects_quote_at_target_position_" + std::to_string(pos), "3986 §3.3",
                    req("GET " + path + " HTTP/1.1"), Error::bad_target, "\""));
  }
  return c;
}

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto* group : {&request_line_cases, &target_cases, &field_cases, &host_cases, &framing_cases,
                      &limit_cases, &skip_boundary_cases}) {
    for (Case& c : (*group)()) all.push_back(std::move(c));
  }
  return all;
}

class HeadParserCase : public ::testing::TestWithParam<Case> {};

// One test per case (one process under ctest), each way of feeding it checked in turn.
TEST_P(HeadParserCase, gives_the_same_outcome_however_it_is_fed) {
  const Case& c = GetParam();
  const HeadOutcome whole = testing::parse_whole(c.bytes, c.limits);
  {
    SCOPED_TRACE("whole");
    EXPECT_EQ(describe(whole), c.expect);
  }
  {
    SCOPED_TRACE("one byte at a time");
    EXPECT_EQ(testing::parse_bytewise(c.bytes, c.limits), whole);
  }
  {
    SCOPED_TRACE("split in two at every position");
    for (std::size_t cut = 1; cut < c.bytes.size(); ++cut) {
      ASSERT_EQ(testing::parse_in_pieces(c.bytes, {cut}, c.limits), whole) << "cut at " << cut;
    }
  }
  {
    SCOPED_TRACE("trailing bytes");
    if (whole.progress == Progress::need_more) {
      // An incomplete head followed by NUL, which is valid nowhere in a head, fails right
      // there (or, after a CR, at the CR it leaves bare), and not a byte earlier.
      const HeadOutcome with_nul = testing::parse_whole(c.bytes + std::string(1, '\0'), c.limits);
      ASSERT_EQ(with_nul.progress, Progress::failed);
      const bool after_cr = !c.bytes.empty() && c.bytes.back() == '\r';
      EXPECT_EQ(with_nul.error_offset, c.bytes.size() - (after_cr ? 1 : 0));
    } else {
      // A pipelined request, a NUL or a body byte after the head must not change anything.
      for (const std::string& tail :
           {std::string("GET / HTTP/1.1\r\n\r\n"), std::string(1, '\0'), std::string("X")}) {
        EXPECT_EQ(testing::parse_whole(c.bytes + tail, c.limits), whole) << "tail " << escape(tail);
      }
      if (whole.progress == Progress::complete) {
        EXPECT_EQ(whole.consumed, c.bytes.size());
      }
    }
  }
  {
    SCOPED_TRACE("after reset");
    HeadParser parser(c.limits);
    // Small enough for every case's limits.
    const testing::FlushBuffer junk("PUT /x HTTP/1.0\r\n\r\n");
    ASSERT_EQ(parser.parse(junk.span()), Progress::complete);
    parser.reset();
    EXPECT_EQ(testing::parse_in_pieces(parser, c.bytes), whole);
  }
}

INSTANTIATE_TEST_SUITE_P(cases, HeadParserCase, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

TEST(HeadParserCases, table_has_at_least_200_cases_with_unique_names) {
  const std::vector<Case> cases = all_cases();
  EXPECT_GE(cases.size(), 200u);
  std::set<std::string> names;
  for (const Case& c : cases) EXPECT_TRUE(names.insert(c.name).second) << c.name;
}

}  // namespace
}  // namespace httpfsm
