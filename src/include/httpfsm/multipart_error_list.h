// The single list of everything that can be wrong with a multipart/form-data body or the
// header fields that describe it (Content-Type's boundary, a part's Content-Disposition): for
// each error its name, the status a server should answer, the rule that makes it wrong and a
// short message. MultipartError, its names and its tables all expand this list.
#pragma once

// X(name, status, reference, message)
#define HTTPFSM_MULTIPART_ERROR_LIST(X)                                                       \
  X(none, 0, "", "no error")                                                                  \
  /* the Content-Type field value (RFC 9110 §8.3.1, RFC 2046 §5.1.1, RFC 7578 §4) */       \
  X(not_form_data, 415, "RFC 7578 §4", "media type is not multipart/form-data")               \
  X(bad_content_type, 400, "RFC 9110 §8.3.1", "malformed media type or parameters")           \
  X(missing_boundary, 400, "RFC 2046 §5.1.1", "no boundary parameter, or two")                \
  X(bad_boundary, 400, "RFC 2046 §5.1.1", "boundary empty, not bchars or ending in a space")  \
  X(boundary_too_long, 400, "RFC 2046 §5.1.1", "boundary longer than 70 characters")          \
  /* the body (RFC 2046 §5.1.1) */                                                           \
  X(bad_delimiter, 400, "RFC 2046 §5.1.1", "delimiter not followed by padding and CRLF")      \
  X(bad_close_delimiter, 400, "RFC 2046 §5.1.1", "close delimiter not followed by CRLF")      \
  X(bad_part_header, 400, "RFC 7578 §4.8, RFC 9112 §5", "malformed part header field")        \
  X(missing_close_delimiter, 400, "RFC 2046 §5.1.1", "body ended before the close delimiter") \
  /* limits (MultipartLimits) */                                                              \
  X(too_many_parts, 413, "RFC 9110 §15.5.14", "more parts than the limit")                    \
  X(part_header_too_large, 413, "RFC 9110 §15.5.14", "part header section over the limit")    \
  /* a part's Content-Disposition (RFC 6266 §4, RFC 7578 §4.2, RFC 8187 §3.2) */           \
  X(bad_content_disposition, 400, "RFC 6266 §4.1", "malformed Content-Disposition")           \
  X(not_form_data_part, 400, "RFC 7578 §4.2", "disposition type is not form-data")            \
  X(missing_name, 400, "RFC 7578 §4.2", "form-data part without a name parameter")            \
  X(duplicate_parameter, 400, "RFC 6266 §4.1", "a disposition parameter appears twice")       \
  X(bad_ext_value, 400, "RFC 8187 §3.2.1", "malformed filename* or not UTF-8")                \
  X(unsupported_charset, 400, "RFC 8187 §3.2.1", "filename* charset is not UTF-8")            \
  X(buffer_too_small, 400, "", "decoded value longer than the caller's buffer")
