// The single list of everything that can be wrong with a request or a response: for each error
// its name, the status a server (or, for a response, a proxy) should answer (0 = close without
// answering), the rule that makes it wrong and a short message. Plain preprocessor text, so C
// (httpfsm/httpfsm.h) and C++ (httpfsm/error.hpp) expand the same list and cannot drift apart.
#pragma once

// X(name, status, reference, message)
#define HTTPFSM_ERROR_LIST(X)                                                                 \
  X(none, 0, "", "no error")                                                                  \
  /* request-line (RFC 9112 §3) */                                                           \
  X(bad_request_line, 400, "RFC 9112 §3", "malformed request-line")                           \
  X(bad_method, 400, "RFC 9110 §9.1", "method is not a token")                                \
  X(bad_target, 400, "RFC 9112 §3.2", "malformed request-target")                             \
  X(target_form_mismatch, 400, "RFC 9112 §3.2", "request-target form not allowed for method") \
  X(bad_version, 400, "RFC 9112 §2.3", "malformed HTTP-version")                              \
  X(unsupported_version, 505, "RFC 9110 §15.6.6",                                             \
    "HTTP major version not supported (HTTP/1.1 and 1.0 are)")                                \
  /* message syntax (RFC 9112 §2.2) */                                                       \
  X(bare_cr, 400, "RFC 9112 §2.2", "CR not followed by LF")                                   \
  X(bare_lf, 400, "RFC 9112 §2.2", "LF without CR")                                           \
  X(space_after_start_line, 400, "RFC 9112 §2.2", "whitespace before the first field line")   \
  /* field lines (RFC 9110 §5, RFC 9112 §5) */                                              \
  X(bad_field_name, 400, "RFC 9110 §5.1", "field name is not a token")                        \
  X(space_before_colon, 400, "RFC 9112 §5.1", "whitespace between field name and colon")      \
  X(bad_field_value, 400, "RFC 9110 §5.5", "forbidden byte in field value")                   \
  X(obs_fold, 400, "RFC 9112 §5.2", "obsolete line folding")                                  \
  /* semantics the framing depends on (RFC 9112 §3.2, §6) */                                \
  X(missing_host, 400, "RFC 9112 §3.2", "HTTP/1.1 request without Host")                      \
  X(multiple_host, 400, "RFC 9112 §3.2", "more than one Host field line")                     \
  X(bad_host, 400, "RFC 9112 §3.2", "Host is not uri-host [ \":\" port ]")                    \
  X(bad_content_length, 400, "RFC 9112 §6.3", "Content-Length is not a decimal number")       \
  X(conflicting_content_length, 400, "RFC 9110 §8.6", "differing Content-Length values")      \
  X(te_with_cl, 400, "RFC 9112 §6.1, §6.3", "both Transfer-Encoding and Content-Length")      \
  X(te_in_http10, 400, "RFC 9112 §6.1", "Transfer-Encoding in an HTTP/1.0 request")           \
  X(bad_transfer_encoding, 400, "RFC 9112 §6.1", "malformed Transfer-Encoding list")          \
  X(chunked_not_last, 400, "RFC 9112 §6.3", "chunked is not the final transfer coding")       \
  X(unknown_coding, 501, "RFC 9112 §6.1", "transfer coding not implemented")                  \
  /* chunked body (RFC 9112 §7.1) */                                                         \
  X(bad_chunk_size, 400, "RFC 9112 §7.1", "malformed or overflowing chunk-size")              \
  X(bad_chunk_ext, 400, "RFC 9112 §7.1.1", "malformed chunk extension")                       \
  X(bad_chunk_end, 400, "RFC 9112 §7.1", "chunk data not followed by CRLF")                   \
  /* limits (RFC 9112 §3, RFC 6585 §5, RFC 9110 §15.5.14) */                               \
  X(method_too_long, 501, "RFC 9112 §3", "method longer than the limit")                      \
  X(target_too_long, 414, "RFC 9112 §3", "request-target longer than the limit")              \
  X(field_too_long, 431, "RFC 6585 §5", "field line longer than the limit")                   \
  X(too_many_fields, 431, "RFC 6585 §5", "more field lines than the limit")                   \
  X(head_too_large, 431, "RFC 6585 §5", "request head larger than the limit")                 \
  X(body_too_large, 413, "RFC 9110 §15.5.14", "content larger than the limit")                \
  X(chunk_ext_too_long, 400, "RFC 9112 §7.1.1", "chunk extensions longer than the limit")     \
  X(trailer_too_large, 431, "RFC 9112 §7.1.2", "trailer section larger than the limit")       \
  /* the connection ended inside a message (RFC 9112 §8) */                                  \
  X(truncated, 0, "RFC 9112 §8", "connection closed inside a message")                        \
  /* status-line (RFC 9112 §4): response errors; a proxy answers 502 (RFC 9110 §15.6.3) */  \
  X(bad_status_line, 502, "RFC 9112 §4", "malformed status-line")                             \
  X(bad_status_code, 502, "RFC 9110 §15", "status code is not 100-599")                       \
  X(bad_reason_phrase, 502, "RFC 9112 §4", "forbidden byte in reason-phrase")                 \
  X(unsolicited_response, 502, "RFC 9112 §9.3", "response with no request outstanding")
