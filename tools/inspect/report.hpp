// The two output formats of httpfsm-inspect: aligned text for people, one JSON object per
// line (JSON Lines) for programs. Both print every byte of the request escaped.
#pragma once

#include <cstdio>
#include <string_view>

#include "message_scan.hpp"

namespace inspect {

// "origin-form", ..., as RFC 9112 §3.2 names them.
std::string_view target_form_label(httpfsm::TargetForm f);
// "none", "content-length", "chunked"
std::string_view framing_label(httpfsm::Framing f);

// `source` names the input ("-" for stdin); `input` is all of it, for the caret line.
void print_text(std::FILE* out, std::string_view source, std::string_view input,
                const MessageReport& m);
void print_json(std::FILE* out, std::string_view source, std::string_view input,
                const MessageReport& m);

}  // namespace inspect
