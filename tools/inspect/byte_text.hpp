// Showing raw request bytes safely: captured traffic may hold control bytes, terminal escape
// sequences or invalid UTF-8, so nothing is printed as is unless it is printable ASCII.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace inspect {

// Printable ASCII as is; "\" as "\\"; CR, LF, HTAB as \r \n \t; any other byte as \xHH.
std::string escape_bytes(std::string_view bytes);

// A JSON string literal, quotes included, of bytes from the wire. Bytes >= 0x80 are read as
// Latin-1 (\u00HH; RFC 9110 §5.5 obs-text has no defined charset), so any input gives valid
// JSON and no byte is lost.
std::string json_bytes(std::string_view bytes);
// A JSON string literal of our own UTF-8 text (names, messages, "RFC 9112 §5.1").
std::string json_text(std::string_view utf8);

// 1-based line and column (in bytes) of `offset` in `input`.
struct Position {
  std::uint64_t line = 1;
  std::uint64_t column = 1;
};
Position position_of(std::string_view input, std::uint64_t offset);

// The line holding input[offset], escaped, with the caret's column in it. The line runs from
// the byte after the previous LF to its own LF (inclusive); offset == input.size() points just
// past the last byte. Long lines are cut to a window around the offset, marked "...".
struct CaretLine {
  std::string text;
  std::size_t caret_column = 0;  // 0-based, in characters of `text`
};
CaretLine caret_line(std::string_view input, std::uint64_t offset);

}  // namespace inspect
