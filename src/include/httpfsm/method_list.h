// The single list of the methods the parser recognises while it reads the method token: for
// each its enumerator, its token (case-sensitive, RFC 9110 §9.1), the suffix of its C name and
// the section that defines it. Plain preprocessor text, so C (httpfsm/httpfsm.h) and C++
// (httpfsm/request_head.hpp, the method classifier, the names) expand the same list and cannot
// drift apart. Adding a method is one line here; any other token stays Method::other.
#pragma once

// X(name, token, c_name, reference)
#define HTTPFSM_METHOD_LIST(X)                      \
  X(get, "GET", GET, "RFC 9110 §9.3.1")             \
  X(head, "HEAD", HEAD, "RFC 9110 §9.3.2")          \
  X(post, "POST", POST, "RFC 9110 §9.3.3")          \
  X(put, "PUT", PUT, "RFC 9110 §9.3.4")             \
  X(delete_, "DELETE", DELETE, "RFC 9110 §9.3.5")   \
  X(connect, "CONNECT", CONNECT, "RFC 9110 §9.3.6") \
  X(options, "OPTIONS", OPTIONS, "RFC 9110 §9.3.7") \
  X(trace, "TRACE", TRACE, "RFC 9110 §9.3.8")       \
  X(patch, "PATCH", PATCH, "RFC 5789 §2")
