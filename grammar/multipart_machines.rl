// The grammar host of multipart/form-data (RFC 7578, body syntax RFC 2046 §5.1.1): the machine
// that reads what follows a boundary delimiter and a part's header section, and the boundary
// parameter's characters. One-line actions call into MultipartParser (src/multipart.cc).
//
//   multipart_body   entered at delimiter_tail (main), close_tail or part_headers by the C++
//                    side, which scans preamble, content and epilogue for the delimiter
//   boundary_value   the boundary parameter              -> detail::is_boundary_chars
//
// Generated into the build tree; never edit or commit the output.

#include <cstddef>

#include "httpfsm/multipart.hpp"
#include "multipart_machines.hpp"
#include "scan.hpp"

namespace httpfsm {

%%{
  machine multipart_body;
  alphtype unsigned char;
  getkey static_cast<unsigned char>(*p);
  include rfc2046_multipart "rfc2046_multipart.rl";
  include rfc9112_field_line "rfc9112_field_line.rl";

  action begin_part { machine_event_ = MultipartEvent::part_begin; fnext part_headers; fbreak; }
  action close_delimiter { machine_event_ = MultipartEvent::done; fnext close_tail; fbreak; }
  action begin_epilogue { machine_event_ = MultipartEvent::epilogue; fbreak; }
  # The skips of scan.hpp, as in request_machines.rl: each runs through the loop state its
  # action enters and returns the last byte it accepted, so they change speed, never outcome.
  action skip_field_name { p = detail::skip_token(fpc, pe); }
  action end_field_name { on_field_name_end(line, fpc); }
  action start_field_value { on_value_start(line, fpc); p = detail::skip_field_value(fpc, pe); }
  action end_field_line { on_field_line_end(line, fpc); fbreak; }
  action end_headers { machine_event_ = MultipartEvent::headers_end; fbreak; }
  action syntax_error { machine_error_ = true; }

  # §5.1.1 encapsulation := delimiter transport-padding CRLF body-part
  #        close-delimiter := delimiter "--"
  # Read from the byte after the delimiter's boundary.
  main := ( transport_padding CRLF @begin_part | close_mark @close_delimiter ) $err(syntax_error);

  # §5.1.1 multipart-body := ... close-delimiter transport-padding [CRLF epilogue]
  # The C++ side accepts the end of the body in this machine's start state (padding only).
  close_tail := ( transport_padding CRLF @begin_epilogue ) $err(syntax_error);

  # §5.1 body-part := MIME-part-headers [CRLF *OCTET]; RFC 7578 §4.8 names the header fields
  # a part may have, which are HTTP field lines here (RFC 9112 §5: field-line CRLF).
  # DEVIATION(RFC 2046 §5.1): MIME-part-headers are RFC 822 fields, which allow folding; a
  # line starting with whitespace is refused (bad_part_header) as RFC 9112 §5.2 refuses
  # obs-fold, and the blank line ending the section is required even when it is empty.
  # Tests: rejects_folded_part_header, requires_blank_line_after_part_headers.
  field_value_a = ( field_content+ >start_field_value )?;
  field_line_a = ( field_name >skip_field_name ) ":" @end_field_name OWS field_value_a OWS;
  part_headers := ( ( field_line_a CRLF @end_field_line )* CRLF @end_headers ) $err(syntax_error);

  write data noerror nofinal;
}%%

// main is the start state; part_headers is entered only by fnext from main.
static_assert(multipart_body_en_main == multipart_body_start);
static_assert(multipart_body_en_part_headers != multipart_body_start);

int detail::multipart_tail_start() noexcept { return multipart_body_start; }
int detail::multipart_close_start() noexcept { return multipart_body_en_close_tail; }

const char* MultipartParser::run_machine(const char* line, const char* p, const char* pe) noexcept {
  const char* const eof = nullptr;  // the body's end is the caller's to tell (finish())
  int cs = cs_;
  %% write exec;
  cs_ = cs;
  return p;
}

%%{
  machine boundary_value;
  alphtype unsigned char;
  getkey static_cast<unsigned char>(*p);
  include rfc2046_multipart "rfc2046_multipart.rl";

  main := boundary;

  write data noerror noentry;
}%%

bool detail::is_boundary_chars(const char* p, const char* pe) noexcept {
  int cs = boundary_value_start;
  %% write exec;
  return p == pe && cs >= boundary_value_first_final;
}

}  // namespace httpfsm
