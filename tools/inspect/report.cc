// Text and JSON Lines output of httpfsm-inspect. Strings are built with cat() rather than
// chains of operator+, which g++ 12 at -O3 flags with a false -Wrestrict (GCC bug 105329).
#include "report.hpp"

#include <httpfsm/response_writer.hpp>

#include <initializer_list>
#include <string>

#include "byte_text.hpp"

namespace inspect {

namespace {

using httpfsm::Framing;
using httpfsm::TargetForm;

std::string cat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (const std::string_view p : parts) size += p.size();
  std::string s;
  s.reserve(size);
  for (const std::string_view p : parts) s.append(p);
  return s;
}

std::string u64(std::uint64_t n) { return std::to_string(n); }
std::string_view yes_no(bool b) { return b ? "true" : "false"; }

// Prints "label" padded to a column, then the value.
void line(std::FILE* out, std::string_view label, std::string_view value) {
  std::fprintf(out, "%-16.*s %.*s\n", static_cast<int>(label.size()), label.data(),
               static_cast<int>(value.size()), value.data());
}

std::string status_text(int status) {
  // Status 0: the peer sent no complete message, so there is nobody to answer.
  if (status == 0) return "none: close the connection without answering";
  return cat(
      {std::to_string(status), " ", httpfsm::reason_phrase(status), ", then close the connection"});
}

std::string body_text(const MessageReport& m) {
  switch (m.framing) {
    case Framing::no_body:
      return "none";
    case Framing::content_length:
      return cat({u64(m.content_bytes), " bytes"});
    case Framing::chunked:
      return cat(
          {u64(m.content_bytes), " bytes in chunks (", u64(m.body_bytes), " bytes on the wire)"});
    case Framing::until_close:
      return cat({u64(m.content_bytes), " bytes until the connection closed"});
  }
  return "";
}

std::string field_text(const FieldText& f) {
  return cat({escape_bytes(f.name), ": ", escape_bytes(f.value)});
}

void print_text_head(std::FILE* out, const MessageReport& m) {
  if (m.response) {
    line(out, "status", cat({std::to_string(m.status), " ", escape_bytes(m.reason)}));
    if (m.interim) line(out, "interim", "yes: the final response to the same request follows");
    if (m.leaves_http)
      line(out, "leaves HTTP", "yes: after it the connection carries another protocol both ways");
    if (m.answers != 0) {
      line(out, "answers",
           cat({"request ", u64(m.answers), " (", escape_bytes(m.answers_method), ")"}));
    }
  } else {
    line(out, "method", escape_bytes(m.method));
    line(out, "target", cat({escape_bytes(m.target), " (", target_form_label(m.target_form), ")"}));
  }
  line(out, "version", cat({"HTTP/1.", std::to_string(m.version_minor)}));
  for (const FieldText& f : m.fields) line(out, "field", field_text(f));
  if (m.framing == Framing::content_length) {
    line(out, "framing", cat({framing_label(m.framing), " ", u64(m.content_length)}));
  } else {
    line(out, "framing", framing_label(m.framing));
  }
  line(out, "connection", m.keep_alive ? "keep-alive" : "close");
  if (m.expect_continue) line(out, "expect", "100-continue");
}

// What the peer that read the message should answer: a server the error's status; for a
// response, a proxy answers 502 (RFC 9110 §15.6.3: "an invalid response").
int answer_status(const MessageReport& m) {
  const int status = httpfsm::error_status(m.error);
  return m.response && status != 0 ? 502 : status;
}

std::string json_fields(const std::vector<FieldText>& fields) {
  std::string s = "[";
  for (const FieldText& f : fields) {
    if (s.size() > 1) s += ',';
    s += cat({"{\"name\":", json_bytes(f.name), ",\"value\":", json_bytes(f.value), "}"});
  }
  s += ']';
  return s;
}

}  // namespace

std::string_view target_form_label(TargetForm f) {
  switch (f) {
    case TargetForm::origin:
      return "origin-form";
    case TargetForm::absolute:
      return "absolute-form";
    case TargetForm::authority:
      return "authority-form";
    case TargetForm::asterisk:
      return "asterisk-form";
  }
  return "";
}

std::string_view framing_label(Framing f) {
  switch (f) {
    case Framing::no_body:
      return "none";
    case Framing::content_length:
      return "content-length";
    case Framing::chunked:
      return "chunked";
    case Framing::until_close:
      return "until-close";
  }
  return "";
}

void print_text(std::FILE* out, std::string_view source, std::string_view input,
                const MessageReport& m) {
  std::fprintf(out, "== %.*s message %zu at byte %llu\n", static_cast<int>(source.size()),
               source.data(), m.index, static_cast<unsigned long long>(m.offset));
  if (m.head_complete) print_text_head(out, m);
  if (m.head_complete && m.error == httpfsm::Error::none) {
    line(out, "body", body_text(m));
    for (const FieldText& f : m.trailers) line(out, "trailer", field_text(f));
    line(out, "size",
         cat({u64(m.head_bytes + m.body_bytes), " bytes (head ", u64(m.head_bytes), ", body ",
              u64(m.body_bytes), ")"}));
    return;
  }
  line(out, "error", cat({httpfsm::error_name(m.error), ": ", httpfsm::error_message(m.error)}));
  line(out, "rule", httpfsm::error_reference(m.error));
  line(out, "status", status_text(answer_status(m)));
  const Position p = position_of(input, m.error_offset);
  const std::string_view at_end = m.error_offset >= input.size() ? ", the end of the input" : "";
  line(out, "offset",
       cat({"byte ", u64(m.error_offset), at_end, " (line ", u64(p.line), ", column ",
            u64(p.column), ")"}));
  const CaretLine c = caret_line(input, m.error_offset);
  std::fprintf(out, "    %s\n    %*s^\n", c.text.c_str(), static_cast<int>(c.caret_column), "");
}

void print_json(std::FILE* out, std::string_view source, std::string_view input,
                const MessageReport& m) {
  const bool valid = m.error == httpfsm::Error::none;
  std::string j = cat({"{\"input\":", json_text(source), ",\"message\":", u64(m.index),
                       ",\"offset\":", u64(m.offset), ",\"valid\":", yes_no(valid)});
  if (m.head_complete) {
    if (m.response) {
      j += cat({",\"status\":", std::to_string(m.status), ",\"reason\":", json_bytes(m.reason),
                ",\"interim\":", yes_no(m.interim), ",\"leaves_http\":", yes_no(m.leaves_http)});
      if (m.answers != 0) {
        j += cat({",\"answers\":", u64(m.answers),
                  ",\"answers_method\":", json_bytes(m.answers_method)});
      }
    } else {
      j += cat({",\"method\":", json_bytes(m.method), ",\"target\":", json_bytes(m.target),
                ",\"target_form\":", json_text(target_form_label(m.target_form))});
    }
    j += cat({",\"version\":\"HTTP/1.", std::to_string(m.version_minor), "\"", ",\"fields\":",
              json_fields(m.fields), ",\"framing\":", json_text(framing_label(m.framing))});
    if (m.framing == Framing::content_length) {
      j += cat({",\"content_length\":", u64(m.content_length)});
    }
    j += cat({",\"keep_alive\":", yes_no(m.keep_alive), ",\"expect_continue\":",
              yes_no(m.expect_continue), ",\"head_bytes\":", u64(m.head_bytes),
              ",\"body_bytes\":", u64(m.body_bytes), ",\"content_bytes\":", u64(m.content_bytes)});
    if (valid) j += cat({",\"trailers\":", json_fields(m.trailers)});
  }
  if (!valid) {
    const Position p = position_of(input, m.error_offset);
    const int status = answer_status(m);
    j += cat({",\"error\":{\"name\":", json_text(httpfsm::error_name(m.error)),
              ",\"message\":", json_text(httpfsm::error_message(m.error)), ",\"reference\":",
              json_text(httpfsm::error_reference(m.error)), ",\"status\":", std::to_string(status),
              ",\"reason\":", json_text(httpfsm::reason_phrase(status)), ",\"offset\":",
              u64(m.error_offset), ",\"message_offset\":", u64(m.error_offset - m.offset),
              ",\"line\":", u64(p.line), ",\"column\":", u64(p.column), "}"});
  }
  j += "}\n";
  std::fputs(j.c_str(), out);
}

}  // namespace inspect
