// Host file of the response side: the status-line machine, with one-line actions calling into
// ResponseHeadParser. A response's field section is read by request_machines.rl's
// field_section (the same field-line grammar and fast paths for both directions), and its
// chunked body by the same chunked_body machine, so only the start-line is new here.
//
//   status_line   status-line -> ResponseHeadParser::run_machine
//
// Code style as request_machines.rl (see src/CMakeLists.txt). Generated into the build tree;
// never edit or commit the output.

#include <cstdint>

#include "head_parser_actions.hpp"
#include "httpfsm/response_head_parser.hpp"
#include "machines.hpp"

namespace httpfsm {

using detail::offset;

%%{
  machine status_line;
  alphtype unsigned char;
  getkey static_cast<unsigned char>(*p);
  include rfc9112_status_line "rfc9112_status_line.rl";

  action version_major { if (fc != '1') { fail(Error::unsupported_version, offset(data, fpc)); fbreak; } }
  action version_minor { head_.version_minor = static_cast<std::uint8_t>(fc - '0'); section_ = Section::after_version; }
  action start_status { section_ = Section::status; status_offset_ = offset(data, fpc) + 1; }
  action status_digit { head_.status = static_cast<std::uint16_t>(head_.status * 10 + (fc - '0')); }
  action end_status { if (!end_status_code(data, fpc)) fbreak; }
  action start_reason { head_.reason.offset = offset(data, fpc); }
  action end_status_line { end_status_line(data, fpc); fbreak; }
  action syntax_error { on_syntax_error(data, fpc); }

  # RFC 9112 §4 status-line = HTTP-version SP status-code SP [ reason-phrase ]
  # with §2.3 HTTP-version = HTTP-name "/" DIGIT "." DIGIT, whose digits the actions read.
  HTTP_version_a = HTTP_name "/" ( DIGIT @version_major ) "." ( DIGIT @version_minor );
  status_line_a = HTTP_version_a ( SP @start_status ) ( status_code $status_digit ) ( SP @end_status )
                  ( reason_phrase >start_reason )?;

  # RFC 9112 §2.1 HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
  # Unlike a request-line (§2.2), no empty line may precede a status-line: a client that sees
  # one has lost the message boundary, so it is an error here.
  main := ( status_line_a CRLF @end_status_line ) $err(syntax_error);

  write data noerror nofinal noentry;
}%%

int detail::status_line_machine_start() noexcept { return status_line_start; }

void ResponseHeadParser::run_machine(const char* data, const char* p, const char* pe) noexcept {
  const char* eof = nullptr;
  int cs = cs_;
  %% write exec;
  cs_ = cs;
  if (error_ == Error::none && !in_fields_) consumed_ = offset(data, p);
}

}  // namespace httpfsm
