// Conditional requests (RFC 9110 §13): what the preconditions of a request ask for, given the
// selected representation's validators. One evaluation for every resource that has
// validators (the static site and /files/{name}), so both answer alike.
//
// Life cycle: no state. A handler, once its normal checks have passed (the resource exists,
// the method is allowed, no redirect: §13.2.1), builds the validators it will send
// (file_validators), reads the request's fields (conditional_fields) and calls
// evaluate_preconditions; it then answers 412, 304, the whole representation or, when a
// Range applies, a part of it.
// Resume rule: none; every call takes complete values.
// Errors: none are reported. A field that does not parse is treated as RFC 9110 says: an
// invalid date (or a list of dates) is ignored (§13.1.3, §13.1.4); a malformed entity-tag
// list matches nothing past the error.
// Purity: etag_matches, if_range_matches, last_modified_time and evaluate_preconditions are
// pure functions of their arguments (no I/O, clock or allocation); the current time is a
// parameter. conditional_fields only reads the request; file_validators only writes into the
// response's own storage.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "file_store.hpp"
#include "httpfsm/server/request.hpp"
#include "response.hpp"

namespace httpfsm::server {

class Clock;

// RFC 9110 §8.8.3.2. Weak: two tags match if their opaque-tags are equal, either or both may
// be weak (If-None-Match, §13.1.2). Strong: neither may be weak (If-Match, §13.1.1; If-Range,
// §13.1.5).
enum class EtagComparison : std::uint8_t { weak, strong };

// Does `value` ("*" or a list of entity-tags, RFC 9110 §13.1.1) match `etag` (as the
// response sends it: "\"x\"" or "W/\"x\"")? "*" matches any current representation; an empty
// `etag` (none) matches only "*".
bool etag_matches(std::string_view value, std::string_view etag,
                  EtagComparison comparison = EtagComparison::weak) noexcept;

// The validators a response sends for the selected representation.
struct Validators {
  std::string_view etag;           // the strong entity-tag; empty: none
  std::string_view last_modified;  // the Last-Modified value as sent; empty: none
  std::int64_t modified = 0;       // the same as seconds since the epoch (when not empty)
  // False: the target has no current representation (an upload to a free name). If-Match is
  // then false, "*" included (§13.1.1), and If-None-Match true, "*" included (§13.1.2).
  bool current = true;
};

// RFC 9110 §8.8.2.1: a modification time in the future (by the server's clock) is replaced
// by the message origination date, for Last-Modified and for the comparisons with it.
constexpr std::int64_t last_modified_time(std::int64_t mtime, std::int64_t now) noexcept {
  return mtime > now ? now : mtime;
}

// RFC 9110 §13.1.5: is the If-Range `value` true for `v`? An entity-tag must match the ETag
// strongly; an HTTP-date must equal the Last-Modified value sent, character for character.
bool if_range_matches(std::string_view value, const Validators& v) noexcept;

// If-Match or If-None-Match: the values of all its field lines, which together are one list
// (RFC 9110 §5.3: lines of a list field combine into one value, comma-separated). Views into
// the request, kept as its lines rather than joined, so nothing is copied.
class EtagLines {
 public:
  EtagLines() = default;
  // One field line's value (a caller without a request head; the tests). Implicit, so a
  // value can be assigned where a field is built by hand.
  EtagLines(std::string_view value) noexcept : first_(value), count_(1) {}  // NOLINT
  // Every line named `name` among `fields` of `message`.
  EtagLines(std::span<const char> message, std::span<const Field> fields,
            std::string_view name) noexcept;

  explicit operator bool() const noexcept { return count_ != 0; }
  // The whole field is "*" (any current representation, §13.1.1, §13.1.2).
  bool is_star() const noexcept;
  // Does the combined list match `etag`? "*" counts only as the whole field; on a line beside
  // others it is no entity-tag and matches nothing.
  bool matches(std::string_view etag, EtagComparison comparison) const noexcept;

 private:
  std::string_view first_;
  std::size_t count_ = 0;
  std::span<const char> message_;  // with more than one line: where to find the others
  std::span<const Field> fields_;
  std::string_view name_;
};

// The conditional fields of a request: each the value of its first field line, or nullopt
// when absent. A date field sent on more than one line is a list of dates and so not a
// valid HTTP-date: it is left out (ignored, §13.1.3, §13.1.4). If-Match and If-None-Match
// keep every line (EtagLines).
struct ConditionalFields {
  EtagLines if_match;
  std::optional<std::string_view> if_unmodified_since;
  EtagLines if_none_match;
  std::optional<std::string_view> if_modified_since;
  std::optional<std::string_view> if_range;
  bool range = false;  // Range is present and the resource supports ranges
};
// `ranges_supported`: the resource answers Range (static files); when false, Range and
// If-Range are not read (§13.1.5: If-Range is then ignored).
ConditionalFields conditional_fields(const Request& request, bool ranges_supported) noexcept;

enum class Precondition : std::uint8_t {
  perform,       // every condition is true: perform the method; a Range applies
  ignore_range,  // If-Range is false: perform the method with the whole representation
  not_modified,  // 304 (Not Modified)
  failed,        // 412 (Precondition Failed)
};

// RFC 9110 §13.2.2, in its order: If-Match (strong; else If-Unmodified-Since), If-None-Match
// (weak; else If-Modified-Since, GET and HEAD only), then If-Range (GET with a supported
// Range only). OPTIONS, CONNECT and TRACE ignore them all (§13.2.1). `now` is the message
// date in seconds since the epoch (for two-digit years, §5.6.7).
Precondition evaluate_preconditions(const ConditionalFields& fields, const Validators& v,
                                    Method method, std::int64_t now) noexcept;

// The validators of the opened file `f` as a response sends them: the strong ETag (the
// modification time and the size) and Last-Modified (the modification time, or the message
// date when that is in the future, §8.8.2.1). Sets response.etag; the values point into the
// file cache's entry or into the response's storage. Adds no field.
Validators file_validators(const OpenedFile& f, const Clock& clock, Response& response) noexcept;

}  // namespace httpfsm::server
