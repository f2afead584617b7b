// Escaping for terminals and JSON, and the caret line under an offending byte.
#include "byte_text.hpp"

#include <algorithm>
#include <cstdio>

namespace inspect {

namespace {

// How many bytes of context the caret line keeps on each side of the offending byte.
constexpr std::size_t kContextBefore = 48;
constexpr std::size_t kContextAfter = 32;

void append_escaped(std::string& out, unsigned char c) {
  switch (c) {
    case '\\':
      out += "\\\\";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (c >= 0x20 && c < 0x7f) {
    out += static_cast<char>(c);
    return;
  }
  char hex[5];
  std::snprintf(hex, sizeof hex, "\\x%02x", c);
  out += hex;
}

std::string json_quoted(std::string_view bytes, bool utf8) {
  std::string out = "\"";
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if ((c >= 0x20 && c < 0x7f) || (utf8 && c >= 0x80)) {
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      char hex[7];
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    }
  }
  return out + "\"";
}

}  // namespace

std::string escape_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) append_escaped(out, static_cast<unsigned char>(c));
  return out;
}

std::string json_bytes(std::string_view bytes) { return json_quoted(bytes, false); }
std::string json_text(std::string_view utf8) { return json_quoted(utf8, true); }

Position position_of(std::string_view input, std::uint64_t offset) {
  const std::size_t end = static_cast<std::size_t>(std::min<std::uint64_t>(offset, input.size()));
  Position p;
  for (std::size_t i = 0; i < end; ++i) {
    if (input[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

CaretLine caret_line(std::string_view input, std::uint64_t offset) {
  const std::size_t at = static_cast<std::size_t>(std::min<std::uint64_t>(offset, input.size()));
  // The line's first byte: after the last LF before `at`. At the very end of an input that
  // ends with LF, that would be an empty line; show the last line instead, caret after it.
  std::size_t begin = at;
  if (at == input.size() && at > 0 && input[at - 1] == '\n') --begin;
  while (begin > 0 && input[begin - 1] != '\n') --begin;
  // Its last byte: its own LF, or the end of the input.
  std::size_t end = at;
  while (end < input.size() && input[end] != '\n') ++end;
  if (end < input.size()) ++end;

  const std::size_t from = at - begin > kContextBefore ? at - kContextBefore : begin;
  const std::size_t to = end - at > kContextAfter ? at + kContextAfter : end;
  CaretLine c;
  if (from > begin) c.text += "...";
  c.text += escape_bytes(input.substr(from, at - from));
  c.caret_column = c.text.size();
  c.text += escape_bytes(input.substr(at, to - at));
  if (to < end) c.text += "...";
  return c;
}

}  // namespace inspect
