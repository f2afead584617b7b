// The single list of the fields the parser recognises during its single pass (because framing,
// routing or the server's features depend on them): for each its enumerator, its name as
// registered (matched ignoring ASCII case, RFC 9110 §5.1), the suffix of its C name, and
// whether framing.cc applies rules to it (1) or only indexes it (0). Plain preprocessor text,
// so C (httpfsm/httpfsm.h) and C++ (httpfsm/request_head.hpp, the field-name classifier, the
// names) expand the same list and cannot drift apart. Adding an indexed-only field is one line
// here; a field with rules also needs its case in HeadParser::note_known_field.
//
// Names are letters, digits and "-" only, shorter than 32 bytes: the classifier compares them
// a word at a time with ASCII case folded by OR 0x20 (checked at compile time).
#pragma once

// X(name, field_name, c_name, has_rules)
#define HTTPFSM_KNOWN_FIELD_LIST(X)                               \
  X(host, "Host", HOST, 1)                                        \
  X(content_length, "Content-Length", CONTENT_LENGTH, 1)          \
  X(transfer_encoding, "Transfer-Encoding", TRANSFER_ENCODING, 1) \
  X(connection, "Connection", CONNECTION, 1)                      \
  X(expect, "Expect", EXPECT, 1)                                  \
  X(user_agent, "User-Agent", USER_AGENT, 0)                      \
  X(accept_encoding, "Accept-Encoding", ACCEPT_ENCODING, 0)
