// Where httpfsm and llhttp part ways on one message of a stream, and the reviewed classes of
// input for which that is expected (fuzz/differential/ALLOWED.md). The classifier looks at
// the input bytes with its own small reader, not at either parser's internals, so an entry
// cannot hide a difference it does not describe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "differential/llhttp_run.hpp"
#include "request_stream.hpp"

namespace httpfsm::fuzz {

enum class DivergenceKind {
  httpfsm_rejects,  // httpfsm failed; llhttp accepted the message or is still reading it
  llhttp_rejects,   // llhttp failed; httpfsm accepted the message or is still reading it
  differ,           // both accepted, with different results
};

// What differs when both accept.
enum class Aspect {
  none,
  method,
  target,
  status,
  version,
  fields,
  framing,
  body,
  trailers,
  keep_alive
};

struct Divergence {
  DivergenceKind kind = DivergenceKind::differ;
  Aspect aspect = Aspect::none;
  std::string_view stream;
  std::size_t index = 0;                   // of the message in the stream
  std::size_t start = 0;                   // offset of the message in the stream
  const MessageRecord* httpfsm = nullptr;  // null if httpfsm has no such message
  const LlhttpMessage* llhttp = nullptr;   // null if llhttp has no such message
  const LlhttpRun* llhttp_run = nullptr;
  std::string detail;
  // The message's bytes (to the end of the stream).
  std::string_view message() const { return stream.substr(start); }
};

// Response mode: what httpfsm's ResponseReader reported for one response.
struct ResponseRecord {
  std::size_t start = 0;  // offset in the stream
  bool head_complete = false;
  std::size_t head_bytes = 0;
  bool complete = false;  // the message ended (interim 1xx: at its head)
  Error error = Error::none;
  std::uint64_t error_at = 0;  // from the stream's first byte
  int status = 0;
  int version_minor = 1;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> fields;
  Framing framing = Framing::no_body;
  std::uint64_t content_length = 0;
  bool keep_alive = true;
  bool interim = false;
  bool leaves_http = false;
  std::string content;
  std::vector<std::pair<std::string, std::string>> trailers;
};

struct ResponseDivergence {
  DivergenceKind kind = DivergenceKind::differ;
  Aspect aspect = Aspect::none;
  std::string_view stream;
  std::size_t index = 0;
  const ResponseRecord* httpfsm = nullptr;
  const LlhttpMessage* llhttp = nullptr;
  const LlhttpRun* llhttp_run = nullptr;
};

std::string_view kind_name(DivergenceKind k);
std::string_view aspect_name(Aspect a);

// The ALLOWED.md entries, by the names of their headings.
#define HTTPFSM_DIFFERENTIAL_CLASSES(X)          \
  X(unregistered_method)                         \
  X(http2_preface_method)                        \
  X(absolute_form_without_authority)             \
  X(userinfo_in_target)                          \
  X(scheme_characters)                           \
  X(target_form_for_method)                      \
  X(invalid_request_target)                      \
  X(request_line_whitespace)                     \
  X(http09_request_line)                         \
  X(unsupported_major_version)                   \
  X(higher_minor_version)                        \
  X(bare_lf_line_terminator)                     \
  X(bare_cr)                                     \
  X(obs_fold)                                    \
  X(empty_field_name)                            \
  X(missing_host)                                \
  X(multiple_host)                               \
  X(invalid_host)                                \
  X(content_length_repeated_value)               \
  X(whitespace_in_content_length)                \
  X(transfer_encoding_not_chunked_final)         \
  X(empty_transfer_encoding)                     \
  X(malformed_transfer_encoding)                 \
  X(empty_list_elements)                         \
  X(transfer_coding_not_implemented)             \
  X(transfer_encoding_in_http10)                 \
  X(chunk_ext_syntax)                            \
  X(connect_request_body)                        \
  X(whitespace_in_transfer_encoding)             \
  X(framing_field_in_trailers)                   \
  X(close_beside_keep_alive)                     \
  X(connection_in_trailers)                      \
  X(whitespace_in_connection)                    \
  X(configured_limit)                            \
  X(status_code_syntax)                          \
  X(status_line_syntax)                          \
  X(reason_phrase_characters)                    \
  X(status_line_version)                         \
  X(transfer_encoding_in_http10_response)        \
  X(bodiless_status_framing)                     \
  X(switching_protocols_without_upgrade)         \
  X(trailer_field_persistence)                   \
  X(empty_element_in_response_transfer_encoding) \
  X(chunked_applied_twice_in_response)           \
  X(trailer_transfer_encoding_at_close)          \
  X(whitespace_in_response_transfer_encoding)

enum class AllowedClass {
#define HTTPFSM_X(name) name,
  HTTPFSM_DIFFERENTIAL_CLASSES(HTTPFSM_X)
#undef HTTPFSM_X
};
std::string_view class_name(AllowedClass c);
// Every class name, in the order of the list (for the check that ALLOWED.md documents each).
std::span<const std::string_view> all_class_names();

// The class this divergence belongs to, or nullopt: a difference nobody has reviewed.
std::optional<AllowedClass> classify(const Divergence& d);
// The same for responses (the classes under "Responses" in ALLOWED.md).
std::optional<AllowedClass> classify_response(const ResponseDivergence& d);

}  // namespace httpfsm::fuzz
