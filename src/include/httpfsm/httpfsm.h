/* The C API of httpfsm (C99 and later; C++ sees the same functions through extern "C"), for C
 * programs and foreign function interfaces. It wraps the C++ HeadParser, ResponseHeadParser,
 * BodyDecoder, message readers and error list behind opaque handles; the life cycle and the buffer
 * rules are theirs.
 *
 * Head parser
 *   httpfsm_parser* p = httpfsm_parser_create(NULL);     // NULL: default limits
 *   loop: switch (httpfsm_parser_parse(p, buf, len)) {  // every byte of the message so far
 *     case HTTPFSM_NEED_MORE: read more, append to buf (which may move), call again
 *     case HTTPFSM_COMPLETE:  read the head; the body starts at httpfsm_parser_consumed(p)
 *     case HTTPFSM_FAILED:    httpfsm_parser_error(p), httpfsm_parser_error_offset(p)
 *   }
 *   httpfsm_parser_reset(p);    // next (pipelined) message
 *   httpfsm_parser_destroy(p);
 *
 * Body decoder
 *   httpfsm_body* b = httpfsm_body_create(NULL);
 *   httpfsm_body_start(b, p);   // after the head completed
 *   loop: step = httpfsm_body_decode(b, rest, rest_len)   // only bytes not consumed yet
 *         use step.data/step.size (decoded content inside `rest`), drop step.consumed bytes
 *
 * Strings come back as httpfsm_str: a pointer into the caller's buffer and a length, never
 * NUL-terminated. The caller passes the buffer's base pointer (the first byte of the message
 * for the head, the input of the completing decode call for trailers); the parser itself
 * keeps only offsets. Head accessors return empty values unless the parser is complete.
 *
 * Only the create functions allocate; they return NULL when memory runs out. No function
 * throws, reads a clock or does I/O. A handle may be used by one thread at a time. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "httpfsm/error_list.h"
#include "httpfsm/known_field_list.h"
#include "httpfsm/method_list.h"
#include "httpfsm/version.hpp"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors (httpfsm/error_list.h) ------------------------------------------------------ */

/* HTTPFSM_ERROR_none, HTTPFSM_ERROR_bad_request_line, ...: the suffix is the error's name. */
typedef enum httpfsm_error {
#define HTTPFSM_X(name, status, reference, message) HTTPFSM_ERROR_##name,
  HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
      HTTPFSM_ERROR_COUNT /* the number of errors, HTTPFSM_ERROR_none included */
} httpfsm_error;

/* "bad_field_name". Values outside the list read as HTTPFSM_ERROR_none, as in C++. */
const char* httpfsm_error_name(httpfsm_error e);
/* 400, 413, 414, 431, 501 or 505; 0 means close the connection without answering. */
int httpfsm_error_status(httpfsm_error e);
/* "RFC 9112 §5.1" (UTF-8). */
const char* httpfsm_error_reference(httpfsm_error e);
/* "field name is not a token": short, safe to send as a response body. */
const char* httpfsm_error_message(httpfsm_error e);

/* ---- common types ----------------------------------------------------------------------- */

typedef enum httpfsm_progress {
  HTTPFSM_NEED_MORE = 0,
  HTTPFSM_COMPLETE = 1,
  HTTPFSM_FAILED = 2
} httpfsm_progress;

/* Bytes inside the caller's buffer: not NUL-terminated, valid as long as the buffer is. */
typedef struct httpfsm_str {
  const char* data;
  size_t size;
} httpfsm_str;

typedef struct httpfsm_field {
  httpfsm_str name;  /* as sent, case kept */
  httpfsm_str value; /* without surrounding whitespace */
} httpfsm_field;

/* Size limits (httpfsm/limits.hpp); each has its own error. */
typedef struct httpfsm_limits {
  uint32_t max_method;     /* -> method_too_long */
  uint32_t max_target;     /* -> target_too_long */
  uint32_t max_field_line; /* -> field_too_long */
  uint32_t max_fields;     /* -> too_many_fields */
  uint32_t max_head;       /* -> head_too_large */
  uint64_t max_body;       /* -> body_too_large */
  uint32_t max_chunk_ext;  /* -> chunk_ext_too_long */
  uint32_t max_trailer;    /* -> trailer_too_large */
} httpfsm_limits;

/* The library's defaults, to adjust before creating a parser or decoder. */
httpfsm_limits httpfsm_default_limits(void);

/* How the body is delimited (RFC 9112 §6.3). UNTIL_CLOSE: responses only, the body ends when
 * the server closes the connection. */
typedef enum httpfsm_framing {
  HTTPFSM_FRAMING_NO_BODY = 0,
  HTTPFSM_FRAMING_CONTENT_LENGTH = 1,
  HTTPFSM_FRAMING_CHUNKED = 2,
  HTTPFSM_FRAMING_UNTIL_CLOSE = 3
} httpfsm_framing;

/* Methods recognised while parsing (httpfsm/method_list.h); any other token is OTHER.
 * HTTPFSM_METHOD_GET, HTTPFSM_METHOD_HEAD, ...: the suffix is the list's C name. */
typedef enum httpfsm_method {
  HTTPFSM_METHOD_OTHER = 0,
#define HTTPFSM_X(name, token, c_name, reference) HTTPFSM_METHOD_##c_name,
  HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
      HTTPFSM_METHOD_COUNT /* the number of methods, HTTPFSM_METHOD_OTHER included */
} httpfsm_method;

/* RFC 9112 §3.2. */
typedef enum httpfsm_target_form {
  HTTPFSM_TARGET_ORIGIN = 0,
  HTTPFSM_TARGET_ABSOLUTE,
  HTTPFSM_TARGET_AUTHORITY,
  HTTPFSM_TARGET_ASTERISK
} httpfsm_target_form;

/* Fields the parser indexes during its single pass (httpfsm/known_field_list.h).
 * HTTPFSM_FIELD_HOST, HTTPFSM_FIELD_CONTENT_LENGTH, ...: the suffix is the list's C name. */
typedef enum httpfsm_known_field {
#define HTTPFSM_X(name, field_name, c_name, has_rules) HTTPFSM_FIELD_##c_name,
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
      HTTPFSM_FIELD_COUNT /* the number of known fields */
} httpfsm_known_field;

/* "0.1.0": the version of the library linked, to compare with HTTPFSM_VERSION_STRING. */
const char* httpfsm_version(void);

/* ---- head parser (httpfsm/head_parser.hpp) ---------------------------------------------- */

typedef struct httpfsm_parser httpfsm_parser;

/* `limits` may be NULL for the defaults; it is copied. Returns NULL when out of memory. */
httpfsm_parser* httpfsm_parser_create(const httpfsm_limits* limits);
/* Accepts NULL. */
void httpfsm_parser_destroy(httpfsm_parser* p);

/* Scans the bytes not seen yet. `message` points at this message's first byte and holds every
 * byte passed before (the buffer may have moved); `size` is how many bytes there are now.
 * Returns FAILED again, with the same error, until reset. */
httpfsm_progress httpfsm_parser_parse(httpfsm_parser* p, const char* message, size_t size);
/* Ready for the next message with the same limits. Never allocates. */
void httpfsm_parser_reset(httpfsm_parser* p);

httpfsm_progress httpfsm_parser_progress(const httpfsm_parser* p);
/* Bytes scanned so far; once complete, the size of the head (the body starts there). */
uint32_t httpfsm_parser_consumed(const httpfsm_parser* p);
/* HTTPFSM_ERROR_none unless failed. */
httpfsm_error httpfsm_parser_error(const httpfsm_parser* p);
/* Offset from the message start of the offending byte; 0 unless failed. */
uint32_t httpfsm_parser_error_offset(const httpfsm_parser* p);

/* The head, once complete (before that: empty strings, zero counts, defaults). `base` is the
 * first byte of the message, in the buffer as it is now. */
httpfsm_str httpfsm_parser_method(const httpfsm_parser* p, const char* base);
httpfsm_method httpfsm_parser_method_id(const httpfsm_parser* p);
httpfsm_str httpfsm_parser_target(const httpfsm_parser* p, const char* base);
httpfsm_target_form httpfsm_parser_target_form(const httpfsm_parser* p);
/* The <minor> of HTTP/1.<minor>. */
int httpfsm_parser_version_minor(const httpfsm_parser* p);
size_t httpfsm_parser_field_count(const httpfsm_parser* p);
/* Field line `index` (0-based, in order). false, and *out zeroed, when index >= count. */
bool httpfsm_parser_field(const httpfsm_parser* p, const char* base, size_t index,
                          httpfsm_field* out);
/* The first line of a known field. false, and *out zeroed, when absent. */
bool httpfsm_parser_known_field(const httpfsm_parser* p, const char* base, httpfsm_known_field k,
                                httpfsm_field* out);
/* The first line whose name equals name[0..name_size) ignoring ASCII case (RFC 9110 §5.1). */
bool httpfsm_parser_find_field(const httpfsm_parser* p, const char* base, const char* name,
                               size_t name_size, httpfsm_field* out);
httpfsm_framing httpfsm_parser_framing(const httpfsm_parser* p);
/* When framing is CONTENT_LENGTH; 0 otherwise. */
uint64_t httpfsm_parser_content_length(const httpfsm_parser* p);
/* RFC 9112 §9.3: whether the connection stays open after this message. */
bool httpfsm_parser_keep_alive(const httpfsm_parser* p);
/* RFC 9110 §10.1.1: "Expect: 100-continue" on an HTTP/1.1 request. */
bool httpfsm_parser_expect_continue(const httpfsm_parser* p);

/* ---- response head parser (httpfsm/response_head_parser.hpp) ---------------------------- */

/* A response's head alone (RFC 9112 §4 status-line, §5 fields, §6.3 framing), for a client
 * that runs its own loop; httpfsm_response_reader_create() gives one with the loop.
 *   httpfsm_response_parser* p = httpfsm_response_parser_create(NULL);
 *   httpfsm_response_parser_reset(p, HTTPFSM_METHOD_HEAD);   // the request it answers
 *   loop: httpfsm_response_parser_parse(p, buf, len)          // as httpfsm_parser_parse
 *   then httpfsm_body_start_response(b, p) for the body, unless the head is interim (1xx:
 *   reset for the final response) or leaves HTTP (101, a 2xx to CONNECT). */
typedef struct httpfsm_response_parser httpfsm_response_parser;

/* Ready for a response to GET. `limits` may be NULL. Returns NULL when out of memory. */
httpfsm_response_parser* httpfsm_response_parser_create(const httpfsm_limits* limits);
/* Accepts NULL. */
void httpfsm_response_parser_destroy(httpfsm_response_parser* p);
/* Ready for the next response, which answers a request with `request_method`: the framing
 * depends on it (HEAD: no body; CONNECT: a 2xx opens a tunnel). Never allocates. */
void httpfsm_response_parser_reset(httpfsm_response_parser* p, httpfsm_method request_method);

/* As httpfsm_parser_parse: `message` holds every byte of this response so far. */
httpfsm_progress httpfsm_response_parser_parse(httpfsm_response_parser* p, const char* message,
                                               size_t size);
httpfsm_progress httpfsm_response_parser_progress(const httpfsm_response_parser* p);
/* Bytes scanned so far; once complete, the size of the head. */
uint32_t httpfsm_response_parser_consumed(const httpfsm_response_parser* p);
httpfsm_error httpfsm_response_parser_error(const httpfsm_response_parser* p);
/* Offset from the response's start of the offending byte; 0 unless failed. */
uint32_t httpfsm_response_parser_error_offset(const httpfsm_response_parser* p);

/* The head, once complete (before that: 0, empty strings, zero counts, defaults). */
int httpfsm_response_parser_status(const httpfsm_response_parser* p);
/* As sent; empty when there is none. */
httpfsm_str httpfsm_response_parser_reason(const httpfsm_response_parser* p, const char* base);
int httpfsm_response_parser_version_minor(const httpfsm_response_parser* p);
size_t httpfsm_response_parser_field_count(const httpfsm_response_parser* p);
bool httpfsm_response_parser_field(const httpfsm_response_parser* p, const char* base, size_t index,
                                   httpfsm_field* out);
bool httpfsm_response_parser_known_field(const httpfsm_response_parser* p, const char* base,
                                         httpfsm_known_field k, httpfsm_field* out);
bool httpfsm_response_parser_find_field(const httpfsm_response_parser* p, const char* base,
                                        const char* name, size_t name_size, httpfsm_field* out);
/* UNTIL_CLOSE: the body runs until the server closes (RFC 9112 §6.3 items 4 and 8). */
httpfsm_framing httpfsm_response_parser_framing(const httpfsm_response_parser* p);
uint64_t httpfsm_response_parser_content_length(const httpfsm_response_parser* p);
bool httpfsm_response_parser_keep_alive(const httpfsm_response_parser* p);
/* RFC 9110 §15.2: a 1xx other than 101; the final response to the same request follows. */
bool httpfsm_response_parser_interim(const httpfsm_response_parser* p);
/* 101, or a 2xx to CONNECT: the bytes after the head are another protocol's. */
bool httpfsm_response_parser_leaves_http(const httpfsm_response_parser* p);

/* ---- body decoder (httpfsm/body_decoder.hpp) -------------------------------------------- */

typedef struct httpfsm_body httpfsm_body;

typedef struct httpfsm_body_step {
  httpfsm_progress progress;
  size_t consumed;  /* <= the input size; the caller drops these bytes */
  const char* data; /* decoded content: a slice of the input, maybe empty */
  size_t size;
} httpfsm_body_step;

/* `limits` may be NULL for the defaults. Returns NULL when out of memory. */
httpfsm_body* httpfsm_body_create(const httpfsm_limits* limits);
/* Accepts NULL. */
void httpfsm_body_destroy(httpfsm_body* b);

/* Starts the body of the head `p` just parsed. false (and nothing started) unless `p` is
 * complete. Never allocates. */
bool httpfsm_body_start(httpfsm_body* b, const httpfsm_parser* p);
/* Starts the body of the response head `p` just parsed (none after a head that leaves HTTP).
 * false (and nothing started) unless `p` is complete. */
bool httpfsm_body_start_response(httpfsm_body* b, const httpfsm_response_parser* p);
/* Starts a body with explicit framing, without a head. */
void httpfsm_body_start_framing(httpfsm_body* b, httpfsm_framing framing, uint64_t content_length);

/* Decodes from `input`, which holds only bytes not consumed yet. At most one slice of content
 * per call: loop while consumed > 0. A trailer section stays unconsumed until whole. */
httpfsm_body_step httpfsm_body_decode(httpfsm_body* b, const char* input, size_t size);
/* The connection ended: HTTPFSM_ERROR_truncated unless the body was complete. */
httpfsm_error httpfsm_body_finish(httpfsm_body* b);

httpfsm_progress httpfsm_body_progress(const httpfsm_body* b);
httpfsm_error httpfsm_body_error(const httpfsm_body* b);
/* Offset of the failing byte counted from the first byte of the body. */
uint64_t httpfsm_body_error_offset(const httpfsm_body* b);
/* Decoded content bytes delivered so far. */
uint64_t httpfsm_body_content_bytes(const httpfsm_body* b);
/* Body bytes consumed so far, framing included. */
uint64_t httpfsm_body_body_bytes(const httpfsm_body* b);

/* Once complete: the trailer fields (RFC 9112 §7.1.2). `base` is the input pointer of the
 * decode call that completed the body. */
size_t httpfsm_body_trailer_count(const httpfsm_body* b);
bool httpfsm_body_trailer(const httpfsm_body* b, const char* base, size_t index,
                          httpfsm_field* out);

/* ---- message readers (httpfsm/message_reader.hpp) --------------------------------------- */

/* A connection's incoming messages as events: requests (a server's reader) or responses (a
 * client's, which frames each response by the method of the request it answers).
 *   httpfsm_reader* r = httpfsm_response_reader_create(NULL);
 *   httpfsm_reader_request_sent(r, HTTPFSM_METHOD_GET);     // per request written, in order
 *   loop: step = httpfsm_reader_next(r, buf, len)           // every byte not yet consumed
 *         HEAD: httpfsm_reader_status/field/... with base = buf; DATA: step.data/step.size;
 *         END: httpfsm_reader_trailer(r, buf, ...); NEED_MORE: read more; ERROR: stop;
 *         then drop step.consumed bytes from the front of buf
 *   at the peer's close: httpfsm_reader_finish(r, buf, len) */
typedef enum httpfsm_read_event {
  HTTPFSM_READ_NEED_MORE = 0,
  HTTPFSM_READ_HEAD = 1,
  HTTPFSM_READ_DATA = 2,
  HTTPFSM_READ_END = 3,
  HTTPFSM_READ_ERROR = 4,
  HTTPFSM_READ_SWITCHED = 5, /* 101 or a 2xx to CONNECT: the rest is another protocol */
  HTTPFSM_READ_CLOSED = 6    /* no further message on this connection */
} httpfsm_read_event;

typedef struct httpfsm_read_step {
  httpfsm_read_event event;
  size_t consumed;  /* drop these bytes from the front of the input after use */
  const char* data; /* DATA: content, a slice of the input */
  size_t size;
} httpfsm_read_step;

typedef struct httpfsm_reader httpfsm_reader;

/* `limits` may be NULL for the defaults. Return NULL when out of memory. */
httpfsm_reader* httpfsm_request_reader_create(const httpfsm_limits* limits);
httpfsm_reader* httpfsm_response_reader_create(const httpfsm_limits* limits);
/* Accepts NULL. */
void httpfsm_reader_destroy(httpfsm_reader* r);
/* A fresh connection. Never allocates. */
void httpfsm_reader_reset(httpfsm_reader* r);
/* Response readers: a request with `method` was sent. false when too many are outstanding,
 * and always for a request reader. */
bool httpfsm_reader_request_sent(httpfsm_reader* r, httpfsm_method method);

/* The next event; `input` holds every byte received and not consumed yet. */
httpfsm_read_step httpfsm_reader_next(httpfsm_reader* r, const char* input, size_t size);
/* The peer closed: END (a close-delimited body), CLOSED, or ERROR (truncated). */
httpfsm_read_step httpfsm_reader_finish(httpfsm_reader* r, const char* input, size_t size);

httpfsm_error httpfsm_reader_error(const httpfsm_reader* r);
/* Offset of the offending byte from the connection's first byte. */
uint64_t httpfsm_reader_error_offset(const httpfsm_reader* r);
/* Request readers: the client waits for 100 (Continue) before the body (RFC 9110 §10.1.1). */
bool httpfsm_reader_expecting_continue(const httpfsm_reader* r);

/* The head of the last HEAD event; `base` is the input of that call. */
httpfsm_str httpfsm_reader_method(const httpfsm_reader* r, const char* base); /* requests */
httpfsm_str httpfsm_reader_target(const httpfsm_reader* r, const char* base); /* requests */
int httpfsm_reader_status(const httpfsm_reader* r); /* responses; 0 for requests */
/* Responses: a 1xx other than 101; the final response to the same request follows. */
bool httpfsm_reader_interim(const httpfsm_reader* r);
int httpfsm_reader_version_minor(const httpfsm_reader* r);
size_t httpfsm_reader_field_count(const httpfsm_reader* r);
bool httpfsm_reader_field(const httpfsm_reader* r, const char* base, size_t index,
                          httpfsm_field* out);
httpfsm_framing httpfsm_reader_framing(const httpfsm_reader* r);
uint64_t httpfsm_reader_content_length(const httpfsm_reader* r);
bool httpfsm_reader_keep_alive(const httpfsm_reader* r);
/* The trailers of the last END event; `base` is the input of that call. */
size_t httpfsm_reader_trailer_count(const httpfsm_reader* r);
bool httpfsm_reader_trailer(const httpfsm_reader* r, const char* base, size_t index,
                            httpfsm_field* out);

#ifdef __cplusplus
} /* extern "C" */
#endif
