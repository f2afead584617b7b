// Lookups by enum value at every boundary (issue 19): each table maps every value, the first
// and the last included, to its own entry (the table's order is the enum's), and a value one
// past the last, or further, reads as the documented fallback instead of past the table.
// Values out of range come from casts: a C caller, a corrupted log record, a newer peer.
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

#include "httpfsm/accept_encoding.hpp"
#include "httpfsm/error.hpp"
#include "httpfsm/httpfsm.h"
#include "httpfsm/message_reader.hpp"
#include "httpfsm/multipart_error.hpp"
#include "httpfsm/path.hpp"
#include "httpfsm/proxy_protocol.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/response_writer.hpp"
#include "httpfsm/set_cookie.hpp"
#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_deflate.hpp"
#include "httpfsm/websocket_error.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_handshake.hpp"

namespace httpfsm {
namespace {

template <typename E>
E past(std::size_t count) {
  return static_cast<E>(count);
}

// RFC 9112 and RFC 9110 errors (httpfsm/error_list.h): each value's name is its enumerator,
// its status and reference those of its own list line; `none` is first, and one past the last
// (kErrorCount) and the largest value read as `none`.
TEST(EnumBoundary, request_errors_every_value_and_one_past_the_last) {
  std::size_t i = 0;
#define HTTPFSM_X(name, status, reference, message)                  \
  EXPECT_EQ(static_cast<std::size_t>(Error::name), i) << #name;      \
  EXPECT_EQ(error_name(static_cast<Error>(i)), #name);               \
  EXPECT_EQ(error_status(static_cast<Error>(i)), status) << #name;   \
  EXPECT_EQ(error_reference(static_cast<Error>(i)), reference);      \
  EXPECT_EQ(error_message(static_cast<Error>(i)), message) << #name; \
  ++i;
  HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  ASSERT_EQ(i, kErrorCount);
  // The first and the last of the list by name, so a reordering shows here too.
  EXPECT_EQ(error_name(static_cast<Error>(0)), "none");
  EXPECT_EQ(error_name(static_cast<Error>(kErrorCount - 1)), "unsolicited_response");
  EXPECT_EQ(error_status(static_cast<Error>(kErrorCount - 1)), 502);
  for (std::size_t out : {kErrorCount, kErrorCount + 1, std::size_t{255}}) {
    const auto e = past<Error>(out);
    EXPECT_EQ(error_name(e), "none") << out;
    EXPECT_EQ(error_status(e), 0) << out;
    EXPECT_EQ(error_reference(e), "") << out;
    EXPECT_EQ(error_message(e), "no error") << out;
  }
}

// The C API's copies of the same tables (httpfsm/httpfsm.h) agree at the same boundaries.
TEST(EnumBoundary, c_api_errors_every_value_and_one_past_the_last) {
  for (unsigned i = 0; i < HTTPFSM_ERROR_COUNT; ++i) {
    const auto c = static_cast<httpfsm_error>(i);
    const auto e = static_cast<Error>(i);
    EXPECT_EQ(std::string_view(httpfsm_error_name(c)), error_name(e)) << i;
    EXPECT_EQ(httpfsm_error_status(c), error_status(e)) << i;
    EXPECT_EQ(std::string_view(httpfsm_error_reference(c)), error_reference(e)) << i;
    EXPECT_EQ(std::string_view(httpfsm_error_message(c)), error_message(e)) << i;
  }
  for (unsigned out : {unsigned{HTTPFSM_ERROR_COUNT}, unsigned{HTTPFSM_ERROR_COUNT} + 1, 1000u}) {
    const auto c = static_cast<httpfsm_error>(out);
    EXPECT_STREQ(httpfsm_error_name(c), "none") << out;
    EXPECT_EQ(httpfsm_error_status(c), 0) << out;
    EXPECT_STREQ(httpfsm_error_reference(c), "") << out;
  }
}

// Methods (httpfsm/method_list.h, RFC 9110 §9): `other` is first and has no token; every
// listed method's token, the last included; one past the last has no token.
TEST(EnumBoundary, methods_every_value_and_one_past_the_last) {
  EXPECT_EQ(method_token(Method::other), "");
  std::size_t i = 1;
  std::string last;
#define HTTPFSM_X(name, token, c_name, reference)                \
  EXPECT_EQ(static_cast<std::size_t>(Method::name), i) << token; \
  EXPECT_EQ(method_token(static_cast<Method>(i)), token);        \
  last = token;                                                  \
  ++i;
  HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  ASSERT_EQ(i, kMethodCount);
  EXPECT_EQ(method_token(static_cast<Method>(kMethodCount - 1)), last);
  EXPECT_EQ(method_token(past<Method>(kMethodCount)), "");
  EXPECT_EQ(method_token(past<Method>(255)), "");
}

// Known fields (httpfsm/known_field_list.h): every name, the last included; one past the last
// has no name. In C, a field one past the last is reported absent, not read past the index.
TEST(EnumBoundary, known_fields_every_value_and_one_past_the_last) {
  std::size_t i = 0;
  std::string last;
#define HTTPFSM_X(name, field_name, c_name, has_rules)                       \
  EXPECT_EQ(static_cast<std::size_t>(KnownField::name), i) << field_name;    \
  EXPECT_EQ(static_cast<std::size_t>(HTTPFSM_FIELD_##c_name), i) << #c_name; \
  EXPECT_EQ(known_field_name(static_cast<KnownField>(i)), field_name);       \
  last = field_name;                                                         \
  ++i;
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  ASSERT_EQ(i, kKnownFieldCount);
  EXPECT_EQ(known_field_name(static_cast<KnownField>(kKnownFieldCount - 1)), last);
  EXPECT_EQ(known_field_name(past<KnownField>(kKnownFieldCount)), "");
  EXPECT_EQ(known_field_name(past<KnownField>(255)), "");

  const std::string request = "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n";
  httpfsm_parser* p = httpfsm_parser_create(nullptr);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(httpfsm_parser_parse(p, request.data(), request.size()), HTTPFSM_COMPLETE);
  httpfsm_field f{};
  EXPECT_TRUE(httpfsm_parser_known_field(p, request.data(), HTTPFSM_FIELD_HOST, &f));
  EXPECT_TRUE(httpfsm_parser_known_field(
      p, request.data(), static_cast<httpfsm_known_field>(HTTPFSM_FIELD_COUNT - 1), &f));
  EXPECT_EQ(std::string_view(f.value.data, f.value.size), "gzip");
  for (unsigned out : {unsigned{HTTPFSM_FIELD_COUNT}, unsigned{HTTPFSM_FIELD_COUNT} + 1, 1000u}) {
    EXPECT_FALSE(
        httpfsm_parser_known_field(p, request.data(), static_cast<httpfsm_known_field>(out), &f))
        << out;
  }
  httpfsm_parser_destroy(p);
}

// The request-head enumerations without X-lists: every value by name, the last included.
TEST(EnumBoundary, target_forms_framings_and_read_events_every_value_and_one_past) {
  EXPECT_EQ(target_form_name(TargetForm::origin), "origin");
  EXPECT_EQ(target_form_name(TargetForm::asterisk), "asterisk");  // the last
  EXPECT_EQ(target_form_name(past<TargetForm>(4)), "");
  EXPECT_EQ(framing_name(Framing::no_body), "no_body");
  EXPECT_EQ(framing_name(Framing::until_close), "until_close");  // the last
  EXPECT_EQ(framing_name(past<Framing>(4)), "");
  const char* events[] = {"need_more", "head", "data", "end", "error", "switched", "closed"};
  for (std::size_t i = 0; i < std::size(events); ++i) {
    EXPECT_EQ(read_event_name(static_cast<ReadEvent>(i)), events[i]);
  }
  EXPECT_EQ(read_event_name(past<ReadEvent>(std::size(events))), "");
}

// RFC 9110 §15 reason phrases: the first and last code of each class and the codes either
// side of the defined ones have none; RFC 9112 §4 lets the status line carry an empty one.
TEST(EnumBoundary, reason_phrases_at_the_edges_of_each_class) {
  EXPECT_EQ(reason_phrase(100), "Continue");
  EXPECT_EQ(reason_phrase(101), "Switching Protocols");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(451), "Unavailable For Legal Reasons");
  for (int none : {INT_MIN, -1, 0, 99, 102, 199, 207, 299, 309, 399, 418, 452, 499, 506, 599, 600,
                   999, 1000, INT_MAX}) {
    EXPECT_EQ(reason_phrase(none), "") << none;
  }
  // Every phrase the writer knows is field-value text it writes unchanged.
  char buf[128];
  for (int code = 100; code <= 599; ++code) {
    const std::size_t n = ResponseWriter(buf).status(code).finish();
    ASSERT_NE(n, 0u) << code;
    EXPECT_EQ(std::string(buf, n), "HTTP/1.1 " + std::to_string(code) + " " +
                                       std::string(reason_phrase(code)) + "\r\n\r\n");
  }
}

TEST(EnumBoundary, content_codings_and_path_errors_every_value_and_one_past) {
  const char* codings[] = {"identity", "gzip", "deflate", "br", "zstd"};
  for (std::size_t i = 0; i < std::size(codings); ++i) {
    EXPECT_EQ(coding_name(static_cast<Coding>(i)), codings[i]);
  }
  // Out of range reads as identity: no coding applied is the safe answer.
  EXPECT_EQ(coding_name(past<Coding>(std::size(codings))), "identity");
  const char* path_errors[] = {"none",          "not_absolute", "bad_percent", "encoded_nul",
                               "encoded_slash", "above_root",   "too_long"};
  for (std::size_t i = 0; i < std::size(path_errors); ++i) {
    EXPECT_EQ(path_error_name(static_cast<PathError>(i)), path_errors[i]);
  }
  EXPECT_EQ(path_error_name(past<PathError>(std::size(path_errors))), "none");
}

// PROXY protocol errors (HAProxy's specification): names and references, the last included.
TEST(EnumBoundary, proxy_errors_every_value_and_one_past_the_last) {
  std::size_t i = 0;
#define HTTPFSM_X(name, reference)                                         \
  EXPECT_EQ(proxy_error_name(static_cast<ProxyError>(i)), #name);          \
  EXPECT_EQ(proxy_error_reference(static_cast<ProxyError>(i)), reference); \
  ++i;
  HTTPFSM_PROXY_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  ASSERT_EQ(i, kProxyErrorCount);
  EXPECT_EQ(proxy_error_name(static_cast<ProxyError>(kProxyErrorCount - 1)), "v2_bad_checksum");
  EXPECT_EQ(proxy_error_name(past<ProxyError>(kProxyErrorCount)), "unknown");
  EXPECT_EQ(proxy_error_reference(past<ProxyError>(kProxyErrorCount)), "");
}

// multipart/form-data errors (RFC 7578, RFC 2046 §5.1): statuses 400, 413 or 415 (RFC 9110
// §15.5.16 for a media type the server does not take), the last included.
TEST(EnumBoundary, multipart_errors_every_value_and_one_past_the_last) {
  std::size_t i = 0;
#define HTTPFSM_X(name, status, reference, message)                                   \
  EXPECT_EQ(multipart_error_name(static_cast<MultipartError>(i)), #name);             \
  EXPECT_EQ(multipart_error_status(static_cast<MultipartError>(i)), status) << #name; \
  EXPECT_EQ(multipart_error_reference(static_cast<MultipartError>(i)), reference);    \
  EXPECT_EQ(multipart_error_message(static_cast<MultipartError>(i)), message);        \
  ++i;
  HTTPFSM_MULTIPART_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  ASSERT_EQ(i, kMultipartErrorCount);
  for (std::size_t v = 1; v < kMultipartErrorCount; ++v) {
    const int s = multipart_error_status(static_cast<MultipartError>(v));
    EXPECT_TRUE(s == 400 || s == 413 || s == 415) << v << " " << s;
  }
  EXPECT_EQ(multipart_error_name(static_cast<MultipartError>(kMultipartErrorCount - 1)),
            "buffer_too_small");
  EXPECT_EQ(multipart_error_name(past<MultipartError>(kMultipartErrorCount)), "none");
  EXPECT_EQ(multipart_error_status(past<MultipartError>(kMultipartErrorCount)), 0);
}

// WebSocket frame errors (RFC 6455 §7.4.1): each names the close code to send, 1002, 1007
// or 1009; the last included; one past the last reads as `none` with no close code.
TEST(EnumBoundary, websocket_errors_every_value_and_one_past_the_last) {
  std::size_t i = 0;
#define HTTPFSM_X(name, close_code, reference, message)                   \
  EXPECT_EQ(ws_error_name(static_cast<WsError>(i)), #name);               \
  EXPECT_EQ(ws_error_close_code(static_cast<WsError>(i)), close_code);    \
  EXPECT_EQ(ws_error_reference(static_cast<WsError>(i)), reference);      \
  EXPECT_EQ(ws_error_message(static_cast<WsError>(i)), message) << #name; \
  ++i;
  HTTPFSM_WS_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  ASSERT_EQ(i, kWsErrorCount);
  for (std::size_t v = 1; v < kWsErrorCount; ++v) {
    const auto code = ws_error_close_code(static_cast<WsError>(v));
    EXPECT_TRUE(code == 1002 || code == 1007 || code == 1009) << v;
    EXPECT_TRUE(close_code_valid_on_wire(code)) << v;
  }
  EXPECT_EQ(ws_error_name(static_cast<WsError>(kWsErrorCount - 1)), "message_too_big");
  EXPECT_EQ(ws_error_close_code(static_cast<WsError>(kWsErrorCount - 1)), 1009);
  EXPECT_EQ(ws_error_name(past<WsError>(kWsErrorCount)), "none");
  EXPECT_EQ(ws_error_close_code(past<WsError>(kWsErrorCount)), 0);
  EXPECT_EQ(ws_error_message(past<WsError>(kWsErrorCount)), "no error");
}

// RFC 6455 §7.4: close codes by number. Each listed code has its name and reference; the
// codes either side of the list (999, 1016) and of the ranges of §7.4.2 (2999, 3000, 4999,
// 5000) have none, and only 3000-4999 besides the listed wire codes may be sent.
TEST(EnumBoundary, close_codes_at_every_edge) {
#define HTTPFSM_X(name, code, reference, on_wire, message)         \
  EXPECT_EQ(close_code_name(code), #name);                         \
  EXPECT_EQ(close_code_reference(code), reference);                \
  EXPECT_EQ(close_code_valid_on_wire(code), on_wire != 0) << code; \
  EXPECT_EQ(static_cast<std::uint16_t>(CloseCode::name), code);
  HTTPFSM_WS_CLOSE_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  for (std::uint16_t none :
       std::initializer_list<std::uint16_t>{0, 1, 999, 1016, 1999, 2999, 5000, 65535}) {
    EXPECT_EQ(close_code_name(none), "") << none;
    EXPECT_EQ(close_code_reference(none), "") << none;
    EXPECT_FALSE(close_code_valid_on_wire(none)) << none;
  }
  for (std::uint16_t registered : std::initializer_list<std::uint16_t>{3000, 3999, 4000, 4999}) {
    EXPECT_EQ(close_code_name(registered), "") << registered;
    EXPECT_EQ(close_code_reference(registered), "RFC 6455 §7.4.2") << registered;
    EXPECT_TRUE(close_code_valid_on_wire(registered)) << registered;
  }
}

// RFC 6455 §4.2.1: each handshake failure's status (400, or 426 for the version, §4.2.2);
// out of range reads as the first entry, `ok`, as the other tables read as their first.
TEST(EnumBoundary, handshake_results_every_value_and_one_past_the_last) {
  std::size_t i = 0;
#define HTTPFSM_X(name, status, reference, message)                        \
  EXPECT_EQ(handshake_name(static_cast<Handshake>(i)), #name);             \
  EXPECT_EQ(handshake_status(static_cast<Handshake>(i)), status) << #name; \
  EXPECT_EQ(handshake_reference(static_cast<Handshake>(i)), reference);    \
  EXPECT_EQ(handshake_message(static_cast<Handshake>(i)), message);        \
  ++i;
  HTTPFSM_WS_HANDSHAKE_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  EXPECT_EQ(handshake_name(static_cast<Handshake>(i - 1)), "unsupported_version");
  EXPECT_EQ(handshake_status(static_cast<Handshake>(i - 1)), 426);
  EXPECT_EQ(handshake_name(past<Handshake>(i)), "ok");
  EXPECT_EQ(handshake_status(past<Handshake>(i)), 0);
}

// RFC 6455 §5.2 opcodes: the six defined ones by name; every reserved value (3-7, 0xb-0xf)
// and anything above 4 bits reads as "reserved".
TEST(EnumBoundary, opcodes_defined_and_reserved) {
  const std::set<unsigned> defined = {0x0, 0x1, 0x2, 0x8, 0x9, 0xa};
  EXPECT_EQ(opcode_name(Opcode::continuation), "continuation");
  EXPECT_EQ(opcode_name(Opcode::text), "text");
  EXPECT_EQ(opcode_name(Opcode::binary), "binary");
  EXPECT_EQ(opcode_name(Opcode::close), "close");
  EXPECT_EQ(opcode_name(Opcode::ping), "ping");
  EXPECT_EQ(opcode_name(Opcode::pong), "pong");
  for (unsigned v = 0; v <= 0x10; ++v) {
    if (defined.count(v) == 0) {
      EXPECT_EQ(opcode_name(static_cast<Opcode>(v)), "reserved") << v;
    }
  }
  EXPECT_EQ(opcode_name(static_cast<Opcode>(0xff)), "reserved");
}

// RFC 7692 §7 offer verdicts and the Set-Cookie writer's errors: every value, the last
// included, and one past the last.
TEST(EnumBoundary, deflate_offers_and_set_cookie_errors_every_value_and_one_past) {
  const char* offers[] = {
      "ok", "not_deflate", "unknown_parameter", "duplicate_parameter", "invalid_value", "syntax"};
  for (std::size_t i = 0; i < std::size(offers); ++i) {
    EXPECT_EQ(deflate_offer_name(static_cast<DeflateOffer>(i)), offers[i]);
  }
  EXPECT_EQ(deflate_offer_name(past<DeflateOffer>(std::size(offers))), "");
  std::size_t i = 0;
#define HTTPFSM_X(name, message)                                                \
  EXPECT_EQ(set_cookie_error_name(static_cast<SetCookieError>(i)), #name);      \
  EXPECT_EQ(set_cookie_error_message(static_cast<SetCookieError>(i)), message); \
  ++i;
  HTTPFSM_SET_COOKIE_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  EXPECT_EQ(set_cookie_error_name(static_cast<SetCookieError>(i - 1)), "buffer_too_small");
  EXPECT_EQ(set_cookie_error_name(past<SetCookieError>(i)), "none");
  EXPECT_EQ(set_cookie_error_message(past<SetCookieError>(i)), "no error");
}

}  // namespace
}  // namespace httpfsm
