// What the head parser produces: spans into the caller's buffer plus the framing decisions of
// RFC 9112 §6. Nothing here owns or copies request bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/known_field_list.h"
#include "httpfsm/method_list.h"

namespace httpfsm {

// A run of bytes in the caller's buffer, as an offset from the first byte of the message.
// Offsets (not pointers) let the caller grow or move its buffer between parse calls.
struct Span {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

// The bytes of `s` inside `message`. The view lives as long as the caller's buffer.
// Precondition: `s` came from a parse of `message` (or of a prefix of it).
inline std::string_view text(std::span<const char> message, Span s) noexcept {
  return {message.data() + s.offset, s.length};
}

// One field line: the name as sent (case kept) and the value without surrounding OWS
// (RFC 9112 §5: "field-line = field-name ":" OWS field-value OWS").
struct Field {
  Span name;
  Span value;
};

// Methods the parser recognises while it reads the method token (httpfsm/method_list.h).
// Anything else that is a valid token is `other`; the server decides whether it knows it.
enum class Method : std::uint8_t {
  other,
#define HTTPFSM_X(name, token, c_name, reference) name,
  HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// How many values Method has (including `other`).
inline constexpr std::size_t kMethodCount = 1
#define HTTPFSM_X(name, token, c_name, reference) +1
    HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    ;

// The method's token as sent ("GET", ...); empty for `other`, whose token is only in the
// request (RequestHead::method).
std::string_view method_token(Method m) noexcept;

// RFC 9112 §3.2. A target that matches both absolute-form and authority-form (for example
// "example.com:80", where "example.com" is also a valid scheme) is `authority` for CONNECT and
// `absolute` for every other method.
enum class TargetForm : std::uint8_t { origin, absolute, authority, asterisk };

// The enumerator's name: "origin", "absolute", "authority", "asterisk".
std::string_view target_form_name(TargetForm f) noexcept;

// How the message body is delimited (RFC 9112 §6.3). `until_close` is for responses only
// (items 4 and 8): the body ends when the server closes the connection.
enum class Framing : std::uint8_t { no_body, content_length, chunked, until_close };

// The enumerator's name: "no_body", "content_length", "chunked", "until_close".
std::string_view framing_name(Framing f) noexcept;

// Fields the parser recognises during its single pass (httpfsm/known_field_list.h), because
// framing, routing or the server's features depend on them. Lookup of any other name is
// case-insensitive `find`.
enum class KnownField : std::uint8_t {
#define HTTPFSM_X(name, field_name, c_name, has_rules) name,
  HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
inline constexpr std::size_t kKnownFieldCount = 0
#define HTTPFSM_X(name, field_name, c_name, has_rules) +1
    HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    ;

// The field's registered name ("Content-Length"), as a writer would send it.
std::string_view known_field_name(KnownField k) noexcept;

struct RequestHead {
  static constexpr std::uint16_t kAbsent = 0xffff;

  Span method;
  Method method_id = Method::other;
  Span target;
  TargetForm target_form = TargetForm::origin;
  // HTTP/1.<minor>. Minor versions above 1 are kept as sent but handled as 1.1 (RFC 9110 §2.5).
  std::uint8_t version_minor = 1;

  // Every field line in order. The array belongs to the parser; it is valid until the next
  // parse() or reset() and holds at most Limits::max_fields entries.
  std::span<const Field> fields;
  // Index in `fields` of the first line of each known field, or kAbsent.
  std::array<std::uint16_t, kKnownFieldCount> first{};

  Framing framing = Framing::no_body;
  std::uint64_t content_length = 0;  // when framing == content_length
  // RFC 9112 §9.3: persistent unless "close" (1.1) or unless "keep-alive" was asked for (1.0).
  bool keep_alive = true;
  // RFC 9110 §10.1.1: "Expect: 100-continue" on an HTTP/1.1 request.
  bool expect_continue = false;

  // The first line of a known field, or nullptr.
  const Field* field(KnownField k) const noexcept {
    const std::uint16_t i = first[static_cast<std::size_t>(k)];
    return i == kAbsent ? nullptr : &fields[i];
  }
  // The value of the first line of a known field, or an empty view if it is absent.
  std::string_view value(std::span<const char> message, KnownField k) const noexcept {
    const Field* f = field(k);
    return f == nullptr ? std::string_view{} : text(message, f->value);
  }
  // The first field line whose name equals `name` ignoring ASCII case (RFC 9110 §5.1), or
  // nullptr. Linear in the number of fields; known fields are faster through field().
  const Field* find(std::span<const char> message, std::string_view name) const noexcept;
};

// The first of `fields` whose name equals `name` ignoring ASCII case (RFC 9110 §5.1), or
// nullptr. Linear in the number of fields.
const Field* find_field(std::span<const Field> fields, std::span<const char> message,
                        std::string_view name) noexcept;

// ASCII case-insensitive equality, as field names and most tokens compare (RFC 9110 §5.1).
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace httpfsm
