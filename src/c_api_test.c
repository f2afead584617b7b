/* Tests of the C API (httpfsm/httpfsm.h), written in C and compiled as C11, so the header is
 * proven usable from C. Each `static void test_*(void)` is one ctest (src/CMakeLists.txt
 * finds them in this file); the binary runs the test it is named, or all of them.
 * Every function of the API is called here, including the error paths. */
#include "httpfsm/httpfsm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_failures = 0;

static void check(bool ok, const char* what, int line) {
  if (!ok) {
    fprintf(stderr, "c_api_test.c:%d: check failed: %s\n", line, what);
    ++g_failures;
  }
}
/* The condition's text and line in the failure message need the preprocessor. */
#define CHECK(cond) check((cond), #cond, __LINE__)

static bool str_is(httpfsm_str s, const char* expected) {
  return s.size == strlen(expected) && (s.size == 0 || memcmp(s.data, expected, s.size) == 0);
}

static bool field_is(const httpfsm_field* f, const char* name, const char* value) {
  return str_is(f->name, name) && str_is(f->value, value);
}

static bool field_is_zeroed(const httpfsm_field* f) {
  return f->name.data == NULL && f->name.size == 0 && f->value.data == NULL && f->value.size == 0;
}

/* A heap copy of the first `n` bytes of `s` with no slack, so an over-read faults under ASan,
 * and each copy lives at a new address, as a caller's growing buffer may. */
static char* flush_copy(const char* s, size_t n) {
  char* p = malloc(n == 0 ? 1 : n);
  if (p == NULL) abort();
  memcpy(p, s, n);
  return p;
}

/* Parses `text` whole; returns the progress. */
static httpfsm_progress parse_text(httpfsm_parser* p, const char* text) {
  return httpfsm_parser_parse(p, text, strlen(text));
}

static void test_version_matches_the_header(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", HTTPFSM_VERSION_MAJOR, HTTPFSM_VERSION_MINOR,
           HTTPFSM_VERSION_PATCH);
  CHECK(strcmp(httpfsm_version(), HTTPFSM_VERSION_STRING) == 0);
  CHECK(strcmp(HTTPFSM_VERSION_STRING, expected) == 0);
}

static void test_default_limits_are_the_documented_ones(void) {
  const httpfsm_limits l = httpfsm_default_limits();
  CHECK(l.max_method == 32);
  CHECK(l.max_target == 8192);
  CHECK(l.max_field_line == 8192);
  CHECK(l.max_fields == 100);
  CHECK(l.max_head == 65536);
  CHECK(l.max_body == 8u * 1024 * 1024);
  CHECK(l.max_chunk_ext == 256);
  CHECK(l.max_trailer == 8192);
}

static void test_every_error_has_a_unique_name_status_reference_and_message(void) {
  CHECK(HTTPFSM_ERROR_COUNT > 30);
  for (int i = 0; i < HTTPFSM_ERROR_COUNT; ++i) {
    const httpfsm_error e = (httpfsm_error)i;
    const char* name = httpfsm_error_name(e);
    const int status = httpfsm_error_status(e);
    CHECK(name != NULL && name[0] != '\0');
    CHECK(httpfsm_error_message(e) != NULL && httpfsm_error_message(e)[0] != '\0');
    CHECK(status == 0 || status == 400 || status == 413 || status == 414 || status == 431 ||
          status == 501 || status == 502 || status == 505);
    if (i > 0) CHECK(strncmp(httpfsm_error_reference(e), "RFC ", 4) == 0);
    for (int j = 0; j < i; ++j) CHECK(strcmp(name, httpfsm_error_name((httpfsm_error)j)) != 0);
  }
}

static void test_error_strings_follow_the_list(void) {
  CHECK(strcmp(httpfsm_error_name(HTTPFSM_ERROR_none), "none") == 0);
  CHECK(strcmp(httpfsm_error_reference(HTTPFSM_ERROR_none), "") == 0);
  CHECK(strcmp(httpfsm_error_name(HTTPFSM_ERROR_te_with_cl), "te_with_cl") == 0);
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_te_with_cl) == 400);
  CHECK(strcmp(httpfsm_error_reference(HTTPFSM_ERROR_te_with_cl), "RFC 9112 §6.1, §6.3") == 0);
  CHECK(strcmp(httpfsm_error_message(HTTPFSM_ERROR_obs_fold), "obsolete line folding") == 0);
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_target_too_long) == 414);
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_field_too_long) == 431);
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_body_too_large) == 413);
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_unsupported_version) == 505);
  /* A malformed response: a proxy answers 502 Bad Gateway (RFC 9110 §15.6.3). */
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_bad_status_line) == 502);
  CHECK(httpfsm_error_status(HTTPFSM_ERROR_truncated) == 0);
}

static void test_out_of_range_errors_read_as_none(void) {
  const httpfsm_error bad = (httpfsm_error)(HTTPFSM_ERROR_COUNT + 7);
  CHECK(strcmp(httpfsm_error_name(bad), "none") == 0);
  CHECK(httpfsm_error_status(bad) == 0);
  CHECK(strcmp(httpfsm_error_reference(bad), "") == 0);
  CHECK(strcmp(httpfsm_error_message(bad), "no error") == 0);
  CHECK(strcmp(httpfsm_error_name((httpfsm_error)-1), "none") == 0);
}

static void test_parses_a_head_and_reads_every_part(void) {
  static const char kRequest[] =
      "GET /search?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: c/1.0\r\n"
      "X-Empty:\r\nAccept-Encoding:  gzip, br \t\r\n\r\n";
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  CHECK(p != NULL);
  CHECK(httpfsm_parser_progress(p) == HTTPFSM_NEED_MORE);
  CHECK(parse_text(p, kRequest) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_progress(p) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_consumed(p) == strlen(kRequest));
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_none);
  CHECK(httpfsm_parser_error_offset(p) == 0);

  CHECK(str_is(httpfsm_parser_method(p, kRequest), "GET"));
  CHECK(httpfsm_parser_method(p, kRequest).data == kRequest);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_GET);
  CHECK(str_is(httpfsm_parser_target(p, kRequest), "/search?q=1"));
  CHECK(httpfsm_parser_target_form(p) == HTTPFSM_TARGET_ORIGIN);
  CHECK(httpfsm_parser_version_minor(p) == 1);

  httpfsm_field f;
  CHECK(httpfsm_parser_field_count(p) == 4);
  CHECK(httpfsm_parser_field(p, kRequest, 0, &f) && field_is(&f, "Host", "example.com"));
  CHECK(httpfsm_parser_field(p, kRequest, 1, &f) && field_is(&f, "User-Agent", "c/1.0"));
  CHECK(httpfsm_parser_field(p, kRequest, 2, &f) && field_is(&f, "X-Empty", ""));
  CHECK(httpfsm_parser_field(p, kRequest, 3, &f) && field_is(&f, "Accept-Encoding", "gzip, br"));
  CHECK(!httpfsm_parser_field(p, kRequest, 4, &f) && field_is_zeroed(&f));

  CHECK(httpfsm_parser_known_field(p, kRequest, HTTPFSM_FIELD_HOST, &f));
  CHECK(field_is(&f, "Host", "example.com"));
  CHECK(httpfsm_parser_known_field(p, kRequest, HTTPFSM_FIELD_USER_AGENT, &f));
  CHECK(field_is(&f, "User-Agent", "c/1.0"));
  CHECK(httpfsm_parser_known_field(p, kRequest, HTTPFSM_FIELD_ACCEPT_ENCODING, &f));
  CHECK(!httpfsm_parser_known_field(p, kRequest, HTTPFSM_FIELD_CONTENT_LENGTH, &f));
  CHECK(field_is_zeroed(&f));
  CHECK(!httpfsm_parser_known_field(p, kRequest, (httpfsm_known_field)99, &f));
  CHECK(field_is_zeroed(&f));

  CHECK(httpfsm_parser_find_field(p, kRequest, "x-EMPTY", 7, &f) && field_is(&f, "X-Empty", ""));
  CHECK(httpfsm_parser_find_field(p, kRequest, "user-agentXYZ", 10, &f));
  CHECK(field_is(&f, "User-Agent", "c/1.0"));
  CHECK(!httpfsm_parser_find_field(p, kRequest, "Cookie", 6, &f) && field_is_zeroed(&f));

  CHECK(httpfsm_parser_framing(p) == HTTPFSM_FRAMING_NO_BODY);
  CHECK(httpfsm_parser_content_length(p) == 0);
  CHECK(httpfsm_parser_keep_alive(p));
  CHECK(!httpfsm_parser_expect_continue(p));
  httpfsm_parser_destroy(p);
}

static void test_parses_byte_by_byte_from_a_moving_buffer(void) {
  static const char kRequest[] =
      "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n";
  const size_t n = strlen(kRequest);
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  char* buffer = NULL;
  for (size_t size = 1; size <= n; ++size) {
    free(buffer);
    buffer = flush_copy(kRequest, size);
    const httpfsm_progress progress = httpfsm_parser_parse(p, buffer, size);
    CHECK(progress == (size < n ? HTTPFSM_NEED_MORE : HTTPFSM_COMPLETE));
    CHECK(httpfsm_parser_consumed(p) <= size);
  }
  CHECK(httpfsm_parser_consumed(p) == n);
  CHECK(str_is(httpfsm_parser_method(p, buffer), "POST"));
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_POST);
  CHECK(str_is(httpfsm_parser_target(p, buffer), "/upload"));
  CHECK(httpfsm_parser_framing(p) == HTTPFSM_FRAMING_CONTENT_LENGTH);
  CHECK(httpfsm_parser_content_length(p) == 11);
  CHECK(httpfsm_parser_expect_continue(p));
  httpfsm_field f;
  CHECK(httpfsm_parser_known_field(p, buffer, HTTPFSM_FIELD_EXPECT, &f));
  CHECK(field_is(&f, "Expect", "100-continue"));
  free(buffer);
  httpfsm_parser_destroy(p);
}

static void test_head_accessors_are_empty_until_complete(void) {
  static const char kPartial[] = "GET /a HTTP/1.1\r\nHost: a\r\n";
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  httpfsm_body* b = httpfsm_body_create(NULL);
  CHECK(parse_text(p, kPartial) == HTTPFSM_NEED_MORE);
  CHECK(httpfsm_parser_consumed(p) == strlen(kPartial));
  httpfsm_str s = httpfsm_parser_method(p, kPartial);
  CHECK(s.data == NULL && s.size == 0);
  s = httpfsm_parser_target(p, kPartial);
  CHECK(s.data == NULL && s.size == 0);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_OTHER);
  CHECK(httpfsm_parser_target_form(p) == HTTPFSM_TARGET_ORIGIN);
  CHECK(httpfsm_parser_version_minor(p) == 1);
  CHECK(httpfsm_parser_field_count(p) == 0);
  httpfsm_field f;
  CHECK(!httpfsm_parser_field(p, kPartial, 0, &f) && field_is_zeroed(&f));
  CHECK(!httpfsm_parser_known_field(p, kPartial, HTTPFSM_FIELD_HOST, &f));
  CHECK(!httpfsm_parser_find_field(p, kPartial, "Host", 4, &f));
  CHECK(httpfsm_parser_framing(p) == HTTPFSM_FRAMING_NO_BODY);
  CHECK(!httpfsm_parser_keep_alive(p));
  CHECK(!httpfsm_parser_expect_continue(p));
  CHECK(!httpfsm_body_start(b, p)); /* no head to take the framing from */
  httpfsm_body_destroy(b);
  httpfsm_parser_destroy(p);
}

static void test_stops_at_the_message_boundary_and_resets_for_the_next(void) {
  static const char kStream[] =
      "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
      "DELETE /second HTTP/1.0\r\n\r\n";
  const size_t first = strlen("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  CHECK(parse_text(p, kStream) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_consumed(p) == first); /* the pipelined request stays unconsumed */
  CHECK(str_is(httpfsm_parser_target(p, kStream), "/first"));
  CHECK(parse_text(p, kStream) == HTTPFSM_COMPLETE); /* complete until reset */

  httpfsm_parser_reset(p);
  CHECK(httpfsm_parser_progress(p) == HTTPFSM_NEED_MORE);
  CHECK(httpfsm_parser_consumed(p) == 0);
  const char* second = kStream + first;
  CHECK(parse_text(p, second) == HTTPFSM_COMPLETE);
  CHECK(str_is(httpfsm_parser_method(p, second), "DELETE"));
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_DELETE);
  CHECK(httpfsm_parser_version_minor(p) == 0);
  CHECK(!httpfsm_parser_keep_alive(p)); /* HTTP/1.0 without keep-alive (RFC 9112 §9.3) */
  CHECK(httpfsm_parser_field_count(p) == 0);
  httpfsm_parser_destroy(p);
}

static void test_errors_name_the_byte_and_stay_until_reset(void) {
  static const char kSpaceBeforeColon[] = "GET / HTTP/1.1\r\nHost : a\r\n\r\n";
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  CHECK(parse_text(p, kSpaceBeforeColon) == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_space_before_colon);
  CHECK(httpfsm_parser_error_offset(p) == 20); /* the space after "Host" */
  /* Sticky: more bytes change nothing. */
  CHECK(parse_text(p, "GET / HTTP/1.1\r\nHost : a\r\n\r\nmore") == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_progress(p) == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_space_before_colon);
  CHECK(httpfsm_parser_error_offset(p) == 20);
  CHECK(httpfsm_parser_field_count(p) == 0);

  httpfsm_parser_reset(p);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_none);
  CHECK(httpfsm_parser_error_offset(p) == 0);
  CHECK(parse_text(p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTPFSM_COMPLETE);
  httpfsm_parser_destroy(p);
}

static void test_rejects_smuggling_vectors(void) {
  static const char kClAndTe[] =
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n";
  static const char kObsFold[] = "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n";
  static const char kTwoLengths[] =
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n";
  static const char kBareLf[] = "GET / HTTP/1.1\nHost: a\r\n\r\n";
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  CHECK(parse_text(p, kClAndTe) == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_te_with_cl);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, kObsFold) == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_obs_fold);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, kTwoLengths) == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_conflicting_content_length);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, kBareLf) == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_bare_lf);
  CHECK(httpfsm_parser_error_offset(p) == 14);
  httpfsm_parser_destroy(p);
}

static void test_limits_given_at_creation_apply(void) {
  httpfsm_limits limits = httpfsm_default_limits();
  limits.max_target = 8;
  limits.max_fields = 1;
  httpfsm_parser* p = httpfsm_parser_create(&limits);
  CHECK(parse_text(p, "GET /123456789 HTTP/1.1\r\nHost: a\r\n\r\n") == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_target_too_long);
  CHECK(httpfsm_error_status(httpfsm_parser_error(p)) == 414);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, "GET /1234567 HTTP/1.1\r\nHost: a\r\n\r\n") == HTTPFSM_COMPLETE);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n") == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_too_many_fields);
  httpfsm_parser_destroy(p);
}

static void test_reads_target_forms_methods_and_connection_options(void) {
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  static const char kConnect[] =
      "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n";
  CHECK(parse_text(p, kConnect) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_CONNECT);
  CHECK(httpfsm_parser_target_form(p) == HTTPFSM_TARGET_AUTHORITY);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n") ==
        HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_OPTIONS);
  CHECK(httpfsm_parser_target_form(p) == HTTPFSM_TARGET_ASTERISK);
  CHECK(!httpfsm_parser_keep_alive(p));
  httpfsm_parser_reset(p);
  static const char kAbsolute[] = "PATCH http://a/x HTTP/1.1\r\nHost: a\r\n\r\n";
  CHECK(parse_text(p, kAbsolute) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_PATCH);
  CHECK(httpfsm_parser_target_form(p) == HTTPFSM_TARGET_ABSOLUTE);
  CHECK(str_is(httpfsm_parser_target(p, kAbsolute), "http://a/x"));
  httpfsm_parser_reset(p);
  static const char kOther[] = "PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n";
  CHECK(parse_text(p, kOther) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_OTHER);
  CHECK(str_is(httpfsm_parser_method(p, kOther), "PURGE"));
  httpfsm_parser_destroy(p);
}

static void test_decodes_a_content_length_body_and_leaves_the_next_message(void) {
  static const char kStream[] =
      "PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n";
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  httpfsm_body* b = httpfsm_body_create(NULL);
  CHECK(parse_text(p, kStream) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_method_id(p) == HTTPFSM_METHOD_PUT);
  CHECK(httpfsm_body_start(b, p));
  CHECK(httpfsm_body_progress(b) == HTTPFSM_NEED_MORE);
  const char* rest = kStream + httpfsm_parser_consumed(p);
  const httpfsm_body_step step = httpfsm_body_decode(b, rest, strlen(rest));
  CHECK(step.progress == HTTPFSM_COMPLETE);
  CHECK(step.consumed == 5);
  CHECK(step.data == rest && step.size == 5);
  CHECK(httpfsm_body_progress(b) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_body_content_bytes(b) == 5);
  CHECK(httpfsm_body_body_bytes(b) == 5);
  CHECK(httpfsm_body_trailer_count(b) == 0);
  CHECK(httpfsm_body_finish(b) == HTTPFSM_ERROR_none);
  CHECK(httpfsm_body_error(b) == HTTPFSM_ERROR_none);
  /* Complete: further input is left alone. */
  const httpfsm_body_step again = httpfsm_body_decode(b, rest + 5, strlen(rest + 5));
  CHECK(again.progress == HTTPFSM_COMPLETE && again.consumed == 0 && again.size == 0);
  httpfsm_body_destroy(b);
  httpfsm_parser_destroy(p);
}

static void test_decodes_a_chunked_body_in_pieces_with_trailers(void) {
  static const char kHead[] =
      "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
  static const char kBody[] = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\nX-B:b \r\n\r\n";
  httpfsm_parser* p = httpfsm_parser_create(NULL);
  CHECK(parse_text(p, kHead) == HTTPFSM_FAILED); /* gzip is not implemented: 501 */
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_unknown_coding);
  CHECK(httpfsm_error_status(httpfsm_parser_error(p)) == 501);
  httpfsm_parser_reset(p);
  CHECK(parse_text(p, "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        HTTPFSM_COMPLETE);
  CHECK(httpfsm_parser_framing(p) == HTTPFSM_FRAMING_CHUNKED);
  CHECK(httpfsm_parser_content_length(p) == 0);

  /* Feed the body three bytes at a time, keeping unconsumed bytes as a real caller would. */
  httpfsm_body* b = httpfsm_body_create(NULL);
  CHECK(httpfsm_body_start(b, p));
  const size_t n = strlen(kBody);
  char content[32] = {0};
  size_t content_size = 0;
  size_t start = 0; /* first unconsumed byte */
  size_t available = 0;
  const char* completing_input = NULL;
  int calls = 0;
  while (httpfsm_body_progress(b) == HTTPFSM_NEED_MORE && calls < 1000) {
    ++calls;
    available = available + 3 > n ? n : available + 3;
    for (;;) {
      const httpfsm_body_step s = httpfsm_body_decode(b, kBody + start, available - start);
      if (s.size > 0 && content_size + s.size < sizeof content) {
        memcpy(content + content_size, s.data, s.size);
        content_size += s.size;
      }
      if (s.progress == HTTPFSM_COMPLETE) completing_input = kBody + start;
      start += s.consumed;
      if (s.consumed == 0 || s.progress != HTTPFSM_NEED_MORE) break;
    }
  }
  CHECK(httpfsm_body_progress(b) == HTTPFSM_COMPLETE);
  CHECK(start == n);
  CHECK(strcmp(content, "hello world") == 0);
  CHECK(httpfsm_body_content_bytes(b) == 11);
  CHECK(httpfsm_body_body_bytes(b) == n);
  CHECK(httpfsm_body_trailer_count(b) == 2);
  httpfsm_field f;
  CHECK(httpfsm_body_trailer(b, completing_input, 0, &f) && field_is(&f, "X-Sum", "42"));
  CHECK(httpfsm_body_trailer(b, completing_input, 1, &f) && field_is(&f, "X-B", "b"));
  CHECK(!httpfsm_body_trailer(b, completing_input, 2, &f) && field_is_zeroed(&f));
  httpfsm_body_destroy(b);
  httpfsm_parser_destroy(p);
}

static void test_body_errors_are_reported_and_sticky(void) {
  httpfsm_body* b = httpfsm_body_create(NULL);
  httpfsm_body_start_framing(b, HTTPFSM_FRAMING_CHUNKED, 0);
  CHECK(httpfsm_body_progress(b) == HTTPFSM_NEED_MORE);
  /* One call reads the chunk header and hands out the chunk's data. */
  static const char kBody[] = "5\r\nhello\r\nzz\r\n";
  httpfsm_body_step s = httpfsm_body_decode(b, kBody, strlen(kBody));
  CHECK(s.progress == HTTPFSM_NEED_MORE && s.consumed == 8);
  CHECK(s.data == kBody + 3 && s.size == 5);
  s = httpfsm_body_decode(b, kBody + 8, strlen(kBody + 8));
  CHECK(s.progress == HTTPFSM_FAILED);
  CHECK(httpfsm_body_progress(b) == HTTPFSM_FAILED);
  CHECK(httpfsm_body_error(b) == HTTPFSM_ERROR_bad_chunk_size);
  CHECK(httpfsm_body_error_offset(b) == 10); /* the first "z", from the body's first byte */
  CHECK(httpfsm_body_trailer_count(b) == 0);
  s = httpfsm_body_decode(b, "0\r\n\r\n", 5);
  CHECK(s.progress == HTTPFSM_FAILED && s.consumed == 0);
  CHECK(httpfsm_body_finish(b) == HTTPFSM_ERROR_bad_chunk_size);

  /* A Content-Length body cut short by the end of the connection. */
  httpfsm_body_start_framing(b, HTTPFSM_FRAMING_CONTENT_LENGTH, 10);
  CHECK(httpfsm_body_error(b) == HTTPFSM_ERROR_none);
  s = httpfsm_body_decode(b, "abc", 3);
  CHECK(s.progress == HTTPFSM_NEED_MORE && s.consumed == 3);
  CHECK(httpfsm_body_finish(b) == HTTPFSM_ERROR_truncated);
  CHECK(httpfsm_body_error_offset(b) == 3);
  CHECK(httpfsm_body_progress(b) == HTTPFSM_FAILED);

  /* Out-of-range framing from C reads as no body, which is complete at once. */
  httpfsm_body_start_framing(b, (httpfsm_framing)7, 100);
  CHECK(httpfsm_body_progress(b) == HTTPFSM_COMPLETE);
  httpfsm_body_destroy(b);
}

static void test_body_limit_applies_to_the_head_and_the_decoder(void) {
  httpfsm_limits limits = httpfsm_default_limits();
  limits.max_body = 4;
  httpfsm_parser* p = httpfsm_parser_create(&limits);
  httpfsm_body* b = httpfsm_body_create(&limits);
  CHECK(p != NULL && b != NULL);
  /* The head parser checks Content-Length against the limit before any body byte. */
  CHECK(parse_text(p, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n") == HTTPFSM_FAILED);
  CHECK(httpfsm_parser_error(p) == HTTPFSM_ERROR_body_too_large);
  CHECK(httpfsm_parser_error_offset(p) == 42); /* the value "5" */
  CHECK(httpfsm_error_status(httpfsm_parser_error(p)) == 413);
  /* So does the decoder when started without a head, and chunked bodies as they arrive. */
  httpfsm_body_start_framing(b, HTTPFSM_FRAMING_CONTENT_LENGTH, 5);
  CHECK(httpfsm_body_progress(b) == HTTPFSM_FAILED);
  CHECK(httpfsm_body_error(b) == HTTPFSM_ERROR_body_too_large);
  httpfsm_body_start_framing(b, HTTPFSM_FRAMING_CHUNKED, 0);
  const httpfsm_body_step s = httpfsm_body_decode(b, "5\r\nhello\r\n", 10);
  CHECK(s.progress == HTTPFSM_FAILED && s.size == 0);
  CHECK(httpfsm_body_error(b) == HTTPFSM_ERROR_body_too_large);
  httpfsm_body_destroy(b);
  httpfsm_parser_destroy(p);
}

/* Runs `r` over `wire` arriving in pieces of `piece` bytes, the way a connection feeds it:
 * unconsumed bytes stay at the front of a buffer that moves on every call. Appends to `out`
 * one letter per event (H head, D data, E end, S switched, C closed, X error) and the status
 * or method of each head, and returns the content. */
static void read_all(httpfsm_reader* r, const char* wire, size_t piece, char* out, char* content) {
  size_t fed = 0, held = 0;
  const size_t total = strlen(wire);
  char* buffer = flush_copy("", 0);
  for (int guard = 0; guard < 10000; ++guard) {
    httpfsm_read_step s = httpfsm_reader_next(r, buffer, held);
    if (s.event == HTTPFSM_READ_NEED_MORE && fed == total) {
      /* Nothing more will arrive: the peer closed. */
      s = httpfsm_reader_finish(r, buffer + s.consumed, held - s.consumed);
    }
    char head[64] = "";
    switch (s.event) {
      case HTTPFSM_READ_HEAD:
        if (httpfsm_reader_status(r) != 0) {
          snprintf(head, sizeof head, "H%d%s", httpfsm_reader_status(r),
                   httpfsm_reader_interim(r) ? "i" : "");
        } else {
          const httpfsm_str m = httpfsm_reader_method(r, buffer);
          snprintf(head, sizeof head, "H%.*s", (int)m.size, m.data);
        }
        strcat(out, head);
        break;
      case HTTPFSM_READ_DATA:
        strcat(out, "D");
        strncat(content, s.data, s.size);
        break;
      case HTTPFSM_READ_END:
        strcat(out, "E");
        break;
      case HTTPFSM_READ_SWITCHED:
        strcat(out, "S");
        free(buffer);
        return;
      case HTTPFSM_READ_CLOSED:
        strcat(out, "C");
        free(buffer);
        return;
      case HTTPFSM_READ_ERROR:
        strcat(out, "X");
        free(buffer);
        return;
      case HTTPFSM_READ_NEED_MORE:
        break;
    }
    /* Drop what the event consumed; on need_more, receive the next piece. */
    const size_t n = fed + piece < total ? piece : total - fed;
    const size_t add = s.event == HTTPFSM_READ_NEED_MORE ? n : 0;
    char* next = malloc(held - s.consumed + add + 1);
    if (next == NULL) abort();
    memcpy(next, buffer + s.consumed, held - s.consumed);
    memcpy(next + held - s.consumed, wire + fed, add);
    held = held - s.consumed + add;
    fed += add;
    free(buffer);
    buffer = next;
  }
  strcat(out, "?");
  free(buffer);
}

static void test_response_reader_frames_responses_by_the_requests_sent(void) {
  /* RFC 9112 §6.3: GET has a body, HEAD none, 100 is interim before the POST's answer. */
  const char* wire =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  for (size_t piece = 1; piece <= 8; piece += 7) {
    httpfsm_reader* r = httpfsm_response_reader_create(NULL);
    CHECK(r != NULL);
    CHECK(httpfsm_reader_request_sent(r, HTTPFSM_METHOD_GET));
    CHECK(httpfsm_reader_request_sent(r, HTTPFSM_METHOD_HEAD));
    CHECK(httpfsm_reader_request_sent(r, HTTPFSM_METHOD_POST));
    char events[128] = "", content[64] = "";
    read_all(r, wire, piece, events, content);
    CHECK(strstr(events, "H200") == events);
    CHECK(strstr(events, "EH200E") != NULL); /* the HEAD response: no data */
    CHECK(strstr(events, "H100iH201") != NULL);
    CHECK(events[strlen(events) - 1] == 'C');
    CHECK(strcmp(content, "helloabc") == 0);
    CHECK(httpfsm_reader_error(r) == HTTPFSM_ERROR_none);
    httpfsm_reader_destroy(r);
  }
}

static void test_request_reader_reads_pipelined_requests_and_their_parts(void) {
  httpfsm_reader* r = httpfsm_request_reader_create(NULL);
  CHECK(!httpfsm_reader_request_sent(r, HTTPFSM_METHOD_GET)); /* responses only */
  const char* in =
      "POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n"
      "\r\n2\r\nhi\r\n0\r\nX: y\r\n\r\n";
  const size_t n = strlen(in);
  httpfsm_read_step s = httpfsm_reader_next(r, in, n);
  CHECK(s.event == HTTPFSM_READ_HEAD);
  CHECK(str_is(httpfsm_reader_method(r, in), "POST"));
  CHECK(str_is(httpfsm_reader_target(r, in), "/a"));
  CHECK(httpfsm_reader_status(r) == 0 && !httpfsm_reader_interim(r));
  CHECK(httpfsm_reader_version_minor(r) == 1);
  CHECK(httpfsm_reader_field_count(r) == 3);
  httpfsm_field f;
  CHECK(httpfsm_reader_field(r, in, 1, &f) && field_is(&f, "Expect", "100-continue"));
  CHECK(!httpfsm_reader_field(r, in, 3, &f) && field_is_zeroed(&f));
  CHECK(httpfsm_reader_framing(r) == HTTPFSM_FRAMING_CHUNKED);
  CHECK(httpfsm_reader_content_length(r) == 0);
  CHECK(httpfsm_reader_keep_alive(r));
  CHECK(httpfsm_reader_expecting_continue(r));
  const char* rest = in + s.consumed;
  size_t left = n - s.consumed;
  s = httpfsm_reader_next(r, rest, left);
  CHECK(s.event == HTTPFSM_READ_DATA && s.size == 2 && memcmp(s.data, "hi", 2) == 0);
  CHECK(!httpfsm_reader_expecting_continue(r));
  rest += s.consumed;
  left -= s.consumed;
  s = httpfsm_reader_next(r, rest, left);
  CHECK(s.event == HTTPFSM_READ_END && s.consumed == left);
  CHECK(httpfsm_reader_trailer_count(r) == 1);
  CHECK(httpfsm_reader_trailer(r, rest, 0, &f) && field_is(&f, "X", "y"));
  CHECK(!httpfsm_reader_trailer(r, rest, 1, &f));
  /* The peer closes inside the next request: truncated, at its byte from the start. */
  s = httpfsm_reader_finish(r, "GET /", 5);
  CHECK(s.event == HTTPFSM_READ_ERROR);
  CHECK(httpfsm_reader_error(r) == HTTPFSM_ERROR_truncated);
  CHECK(httpfsm_reader_error_offset(r) == n + 5);
  httpfsm_reader_reset(r);
  CHECK(httpfsm_reader_error(r) == HTTPFSM_ERROR_none);
  CHECK(httpfsm_reader_finish(r, "", 0).event == HTTPFSM_READ_CLOSED);
  httpfsm_reader_destroy(r);
}

static void test_response_parser_reads_a_status_line_and_fields(void) {
  httpfsm_response_parser* p = httpfsm_response_parser_create(NULL);
  CHECK(p != NULL);
  const char* wire =
      "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nnope";
  const size_t n = strlen(wire);
  /* Byte by byte from a buffer that moves on every call, as a client's may. */
  httpfsm_progress r = HTTPFSM_NEED_MORE;
  char* buf = NULL;
  for (size_t i = 1; i <= n && r == HTTPFSM_NEED_MORE; ++i) {
    free(buf);
    buf = flush_copy(wire, i);
    r = httpfsm_response_parser_parse(p, buf, i);
    if (r == HTTPFSM_NEED_MORE) {
      /* Nothing of the head is readable before it completes. */
      CHECK(httpfsm_response_parser_status(p) == 0);
      CHECK(httpfsm_response_parser_field_count(p) == 0);
    }
  }
  CHECK(r == HTTPFSM_COMPLETE);
  /* The rest arrives; the head's spans index the buffer as it is now. */
  free(buf);
  buf = flush_copy(wire, n);
  CHECK(httpfsm_response_parser_progress(p) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_consumed(p) == n - 4);
  CHECK(httpfsm_response_parser_status(p) == 404);
  CHECK(str_is(httpfsm_response_parser_reason(p, buf), "Not Found"));
  CHECK(httpfsm_response_parser_version_minor(p) == 1);
  CHECK(httpfsm_response_parser_field_count(p) == 2);
  httpfsm_field f;
  CHECK(httpfsm_response_parser_field(p, buf, 0, &f) && field_is(&f, "Content-Type", "text/plain"));
  CHECK(!httpfsm_response_parser_field(p, buf, 2, &f) && field_is_zeroed(&f));
  CHECK(httpfsm_response_parser_known_field(p, buf, HTTPFSM_FIELD_CONTENT_LENGTH, &f) &&
        field_is(&f, "Content-Length", "4"));
  CHECK(!httpfsm_response_parser_known_field(p, buf, HTTPFSM_FIELD_HOST, &f));
  CHECK(!httpfsm_response_parser_known_field(p, buf, (httpfsm_known_field)999, &f));
  CHECK(httpfsm_response_parser_find_field(p, buf, "content-type", 12, &f) &&
        field_is(&f, "Content-Type", "text/plain"));
  CHECK(!httpfsm_response_parser_find_field(p, buf, "Server", 6, &f) && field_is_zeroed(&f));
  CHECK(httpfsm_response_parser_framing(p) == HTTPFSM_FRAMING_CONTENT_LENGTH);
  CHECK(httpfsm_response_parser_content_length(p) == 4);
  CHECK(httpfsm_response_parser_keep_alive(p));
  CHECK(!httpfsm_response_parser_interim(p) && !httpfsm_response_parser_leaves_http(p));
  CHECK(httpfsm_response_parser_error(p) == HTTPFSM_ERROR_none);
  CHECK(httpfsm_response_parser_error_offset(p) == 0);

  /* The body through the decoder, from the head's end. */
  httpfsm_body* b = httpfsm_body_create(NULL);
  CHECK(httpfsm_body_start_response(b, p));
  const size_t head = httpfsm_response_parser_consumed(p);
  const httpfsm_body_step step = httpfsm_body_decode(b, buf + head, n - head);
  CHECK(step.progress == HTTPFSM_COMPLETE && step.size == 4 && memcmp(step.data, "nope", 4) == 0);
  httpfsm_body_destroy(b);
  free(buf);
  httpfsm_response_parser_destroy(p);
}

static void test_response_parser_frames_by_the_request_method(void) {
  /* RFC 9112 §6.3 item 1: a response to HEAD has no body, whatever its Content-Length. */
  const char* ok = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
  httpfsm_response_parser* p = httpfsm_response_parser_create(NULL);
  CHECK(httpfsm_response_parser_parse(p, ok, strlen(ok)) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_framing(p) == HTTPFSM_FRAMING_CONTENT_LENGTH); /* GET */
  httpfsm_response_parser_reset(p, HTTPFSM_METHOD_HEAD);
  CHECK(httpfsm_response_parser_status(p) == 0); /* reset forgets the head */
  CHECK(httpfsm_response_parser_parse(p, ok, strlen(ok)) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_framing(p) == HTTPFSM_FRAMING_NO_BODY);
  CHECK(httpfsm_response_parser_content_length(p) == 0);

  /* Item 2: a 2xx to CONNECT makes the connection a tunnel; no body is started. */
  httpfsm_response_parser_reset(p, HTTPFSM_METHOD_CONNECT);
  const char* tunnel = "HTTP/1.1 200 Connection established\r\n\r\n";
  CHECK(httpfsm_response_parser_parse(p, tunnel, strlen(tunnel)) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_leaves_http(p));
  httpfsm_body* b = httpfsm_body_create(NULL);
  CHECK(httpfsm_body_start_response(b, p));
  CHECK(httpfsm_body_progress(b) == HTTPFSM_COMPLETE);

  /* 1xx is interim; item 8: neither Content-Length nor chunked reads until the close. */
  httpfsm_response_parser_reset(p, HTTPFSM_METHOD_POST);
  const char* cont = "HTTP/1.1 100 Continue\r\n\r\n";
  CHECK(httpfsm_response_parser_parse(p, cont, strlen(cont)) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_interim(p) && httpfsm_response_parser_status(p) == 100);
  httpfsm_response_parser_reset(p, HTTPFSM_METHOD_POST);
  const char* old = "HTTP/1.0 200 OK\r\n\r\n";
  CHECK(httpfsm_response_parser_parse(p, old, strlen(old)) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_framing(p) == HTTPFSM_FRAMING_UNTIL_CLOSE);
  CHECK(httpfsm_response_parser_version_minor(p) == 0);
  CHECK(!httpfsm_response_parser_keep_alive(p));
  CHECK(str_is(httpfsm_response_parser_reason(p, old), "OK"));
  CHECK(httpfsm_body_start_response(b, p));
  const httpfsm_body_step s = httpfsm_body_decode(b, "abc", 3);
  CHECK(s.progress == HTTPFSM_NEED_MORE && s.size == 3);
  CHECK(httpfsm_body_finish(b) == HTTPFSM_ERROR_none); /* the close ends it */
  /* An out-of-range method reads as OTHER, framed like GET. */
  httpfsm_response_parser_reset(p, (httpfsm_method)999);
  CHECK(httpfsm_response_parser_parse(p, ok, strlen(ok)) == HTTPFSM_COMPLETE);
  CHECK(httpfsm_response_parser_framing(p) == HTTPFSM_FRAMING_CONTENT_LENGTH);
  httpfsm_body_destroy(b);
  httpfsm_response_parser_destroy(p);
}

static void test_response_parser_errors_are_sticky_until_reset(void) {
  httpfsm_limits l = httpfsm_default_limits();
  l.max_fields = 1;
  httpfsm_response_parser* p = httpfsm_response_parser_create(&l);
  /* RFC 9112 §6.3 item 3: Transfer-Encoding with Content-Length is a smuggling shape. */
  const char* both = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n";
  CHECK(httpfsm_response_parser_parse(p, both, strlen(both)) == HTTPFSM_FAILED);
  CHECK(httpfsm_response_parser_error(p) == HTTPFSM_ERROR_too_many_fields); /* limits apply */
  httpfsm_response_parser_reset(p, HTTPFSM_METHOD_GET);
  httpfsm_response_parser_destroy(p);
  p = httpfsm_response_parser_create(NULL);
  CHECK(httpfsm_response_parser_parse(p, both, strlen(both)) == HTTPFSM_FAILED);
  const httpfsm_error e = httpfsm_response_parser_error(p);
  CHECK(e == HTTPFSM_ERROR_te_with_cl);
  const uint32_t at = httpfsm_response_parser_error_offset(p);
  CHECK(at > 0 && at <= strlen(both));
  CHECK(httpfsm_response_parser_status(p) == 0); /* no head after a failure */
  httpfsm_body* b = httpfsm_body_create(NULL);
  CHECK(!httpfsm_body_start_response(b, p));
  httpfsm_body_destroy(b);
  /* Sticky: the same answer with the same or more bytes. */
  CHECK(httpfsm_response_parser_parse(p, both, strlen(both)) == HTTPFSM_FAILED);
  CHECK(httpfsm_response_parser_error(p) == e && httpfsm_response_parser_error_offset(p) == at);
  /* A status-line that is not one: the offending byte. */
  httpfsm_response_parser_reset(p, HTTPFSM_METHOD_GET);
  CHECK(httpfsm_response_parser_error(p) == HTTPFSM_ERROR_none);
  CHECK(httpfsm_response_parser_parse(p, "HTTP/1.1 2x0 OK\r\n\r\n", 19) == HTTPFSM_FAILED);
  CHECK(httpfsm_response_parser_error_offset(p) == 10);
  httpfsm_response_parser_destroy(p);
}

static void test_destroy_accepts_null(void) {
  httpfsm_parser_destroy(NULL);
  httpfsm_response_parser_destroy(NULL);
  httpfsm_body_destroy(NULL);
  httpfsm_reader_destroy(NULL);
}

struct test_case {
  const char* name;
  void (*run)(void);
};

static const struct test_case kTests[] = {
    {"test_version_matches_the_header", test_version_matches_the_header},
    {"test_default_limits_are_the_documented_ones", test_default_limits_are_the_documented_ones},
    {"test_every_error_has_a_unique_name_status_reference_and_message",
     test_every_error_has_a_unique_name_status_reference_and_message},
    {"test_error_strings_follow_the_list", test_error_strings_follow_the_list},
    {"test_out_of_range_errors_read_as_none", test_out_of_range_errors_read_as_none},
    {"test_parses_a_head_and_reads_every_part", test_parses_a_head_and_reads_every_part},
    {"test_parses_byte_by_byte_from_a_moving_buffer",
     test_parses_byte_by_byte_from_a_moving_buffer},
    {"test_head_accessors_are_empty_until_complete", test_head_accessors_are_empty_until_complete},
    {"test_stops_at_the_message_boundary_and_resets_for_the_next",
     test_stops_at_the_message_boundary_and_resets_for_the_next},
    {"test_errors_name_the_byte_and_stay_until_reset",
     test_errors_name_the_byte_and_stay_until_reset},
    {"test_rejects_smuggling_vectors", test_rejects_smuggling_vectors},
    {"test_limits_given_at_creation_apply", test_limits_given_at_creation_apply},
    {"test_reads_target_forms_methods_and_connection_options",
     test_reads_target_forms_methods_and_connection_options},
    {"test_decodes_a_content_length_body_and_leaves_the_next_message",
     test_decodes_a_content_length_body_and_leaves_the_next_message},
    {"test_decodes_a_chunked_body_in_pieces_with_trailers",
     test_decodes_a_chunked_body_in_pieces_with_trailers},
    {"test_body_errors_are_reported_and_sticky", test_body_errors_are_reported_and_sticky},
    {"test_body_limit_applies_to_the_head_and_the_decoder",
     test_body_limit_applies_to_the_head_and_the_decoder},
    {"test_response_reader_frames_responses_by_the_requests_sent",
     test_response_reader_frames_responses_by_the_requests_sent},
    {"test_request_reader_reads_pipelined_requests_and_their_parts",
     test_request_reader_reads_pipelined_requests_and_their_parts},
    {"test_response_parser_reads_a_status_line_and_fields",
     test_response_parser_reads_a_status_line_and_fields},
    {"test_response_parser_frames_by_the_request_method",
     test_response_parser_frames_by_the_request_method},
    {"test_response_parser_errors_are_sticky_until_reset",
     test_response_parser_errors_are_sticky_until_reset},
    {"test_destroy_accepts_null", test_destroy_accepts_null},
};

/* c_api_test [name]: runs the named test, or every test. Exit status 0 only if all passed. */
int main(int argc, char** argv) {
  const size_t count = sizeof kTests / sizeof kTests[0];
  size_t ran = 0;
  for (size_t i = 0; i < count; ++i) {
    if (argc > 1 && strcmp(argv[1], kTests[i].name) != 0) continue;
    const int before = g_failures;
    kTests[i].run();
    printf("%s %s\n", g_failures == before ? "PASS" : "FAIL", kTests[i].name);
    ++ran;
  }
  if (ran == 0) {
    fprintf(stderr, "c_api_test: no test named %s\n", argc > 1 ? argv[1] : "(none)");
    return 2;
  }
  return g_failures == 0 ? 0 : 1;
}
