// The only grammar file with actions, `main` and `write`: it composes the rule files into the
// three machines the library runs, and embeds one-line actions that call into C++.
//
//   request_head   request-line and field section   -> HeadParser::run_machine
//   chunked_body   chunked body and trailer section -> BodyDecoder::run_chunked
//   host_value     the Host field value             -> detail::is_valid_host
//
// Rule files hold pure ABNF (no actions) so that the three machines can reuse them with
// different actions; the compositions below restate only the top-level concatenations, each
// beside the ABNF it mirrors.
//
// Code style: -G2 (goto-driven). Measured on this grammar with the bench corpus: the goto
// styles are several times faster than the table styles; see CMakeLists.txt for the
// compiler-specific choice between -G1 and -G2.
//
// Generated into the build tree; never edit or commit the output.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "body_decoder_actions.hpp"
#include "head_parser_actions.hpp"
#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "machines.hpp"
#include "scan.hpp"

namespace httpfsm {

using detail::offset;

%%{
  machine request_head;
  alphtype unsigned char;
  getkey static_cast<unsigned char>(*p);
  include rfc9112_request_line "rfc9112_request_line.rl";
  include rfc9112_field_line "rfc9112_field_line.rl";

  # Limits: actions that open or close a bounded span move `pe` to the span's limit; the
  # machine stops there and parse() reports the limit's error (see HeadParser::set_limit).
  #
  # Fast paths: on the first byte of a request-line and of each field line, an action tries
  # to read the whole line with the vector scanners (head_parser_actions.hpp). It commits
  # only a complete, valid line inside the current limits, records it exactly as the byte
  # by byte path would, and re-enters field_section at the next line; otherwise it declines
  # and the machine reads the line itself, so errors and incomplete input are always judged
  # by the grammar. A byte-at-a-time run never has a whole line in view, so comparing it
  # with a whole-buffer run (every test case, the split fuzzer) compares the two paths.
  action start_method { start_method(data, fpc); if (const char* lf = fast_request_line(data, fpc, end)) { p = lf; if (error_ == Error::none) if (const char* more = fast_field_lines(data, lf + 1, end)) p = more; if (error_ != Error::none) fbreak; if (const char* done = fast_end_of_head(data, p, end)) { p = done; fbreak; } start_line(offset(data, p) + 1); pe = clamp(); fgoto field_section; } pe = clamp(); }
  action end_method { end_method(data, fpc); pe = clamp(); }
  action start_target { start_target(data, fpc); pe = clamp(); }
  action skip_origin_form { p = detail::skip_origin_form(fpc, pe); }
  action form_absolute { target_forms_ |= 1u << static_cast<unsigned>(TargetForm::absolute); }
  action form_authority { target_forms_ |= 1u << static_cast<unsigned>(TargetForm::authority); }
  action end_target { end_target(data, fpc); pe = clamp(); }
  action version_major { if (fc != '1') { fail(Error::unsupported_version, offset(data, fpc)); fbreak; } }
  action version_minor { head_.version_minor = static_cast<std::uint8_t>(fc - '0'); }
  action end_request_line { end_request_line(data, fpc); pe = clamp(); if (error_ != Error::none) fbreak; fgoto field_section; }
  action start_field_name { start_field_name(data, fpc); if (error_ != Error::none) fbreak; if (const char* lf = fast_field_lines(data, fpc, end)) { p = lf; if (error_ != Error::none) fbreak; if (const char* done = fast_end_of_head(data, p, end)) { p = done; fbreak; } start_line(offset(data, p) + 1); pe = clamp(); fgoto field_section; } p = detail::skip_token(fpc, pe); }
  action end_field_name { end_field_name(data, fpc); }
  action start_field_value { value_start_ = offset(data, fpc); p = detail::skip_field_value(fpc, pe); }
  action end_field_line { end_field_line(data, fpc); pe = clamp(); if (error_ != Error::none) fbreak; }
  action end_head { end_head(data, fpc); fbreak; }
  action reject_leading_whitespace { fail(field_count_ == 0 ? Error::space_after_start_line : Error::obs_fold, offset(data, fpc)); fbreak; }
  action reject_space_before_colon { fail(Error::space_before_colon, offset(data, fpc)); fbreak; }
  action syntax_error { on_syntax_error(data, fpc); }

  # RFC 9112 §3 request-line = method SP request-target SP HTTP-version
  # A target may match both absolute-form and authority-form ("host:80"); both flags are set
  # and end_request_line picks the form the method allows (§3.2.2, §3.2.3).
  request_target_a = origin_form >start_target >skip_origin_form
                   | ( absolute_form %form_absolute | authority_form %form_authority ) >start_target
                   | asterisk_form >start_target;
  HTTP_version_a = HTTP_name "/" ( DIGIT @version_major ) "." ( DIGIT @version_minor );
  request_line_a = ( method >start_method %end_method ) SP ( request_target_a %end_target ) SP HTTP_version_a;

  # RFC 9112 §5 field-line = field-name ":" OWS field-value OWS
  # beside §5.1's "field-name RWS", matched only to reject it. field-value = *field-content
  # is written ( 1*field-content )? : the same language, but Ragel moves an entering action of
  # a machine that matches the empty string onto whatever follows it, and start_field_value
  # must fire on the value's first byte only. The value's end is found in end_field_line by
  # trimming OWS back from the CR, so the value needs no leaving action and its bytes form
  # one loop state that the value skip can run through.
  field_value_a = ( field_content+ >start_field_value )?;
  field_line_a = ( field_name >start_field_name ":" @end_field_name OWS field_value_a OWS )
               | ( field_name_with_space >start_field_name @reject_space_before_colon );

  # RFC 9112 §2.2: a line that starts with whitespace right after the start-line is rejected
  # ("reject the message as invalid"); after a field line it is obs-fold (§5.2). One action
  # tells them apart by whether a field line came before.
  leading_whitespace = obs_fold_start @reject_leading_whitespace;

  # RFC 9112 §2.1 HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
  # RFC 9112 §2.2: "a server that is expecting to receive and parse a request-line SHOULD
  # ignore at least one empty line (CRLF) received prior to the request-line" -- so CRLF*.
  # DEVIATION(RFC 9112 §2.1): the ABNF has no empty lines before the start-line; §2.2 asks
  # for them to be ignored. Test: deviation_accepts_empty_lines_before_request_line.
  main := ( CRLF* request_line_a CRLF @end_request_line ) $err(syntax_error);
  # The field section, entered after the request-line. Its start state is the start of every
  # line (Ragel merges them), which is where the fast path re-enters.
  field_section := ( leading_whitespace? ( field_line_a CRLF @end_field_line leading_whitespace? )*
                     CRLF @end_head ) $err(syntax_error);

  # With entry points: a response's field section starts at field_section
  # (detail::head_field_section_state, grammar/response_machines.rl).
  write data noerror nofinal;
}%%

// With `write data` emitting entry points, each constant must be used (clang's
// -Wunused-const-variable): main's entry is the start state.
static_assert(request_head_en_main == request_head_start);
int detail::head_machine_start() noexcept { return request_head_start; }
int detail::head_field_section_state() noexcept { return request_head_en_field_section; }

void HeadParser::run_machine(const char* data, const char* p, const char* end) noexcept {
  // `end` is the end of the input; `pe`, where the machine stops, is `end` or a limit.
  // Invariant: limit_end_ > p - data whenever the machine runs, so `pe` never falls behind p.
  const auto clamp = [this, data, end] {
    return data + std::min(static_cast<std::size_t>(end - data), static_cast<std::size_t>(limit_end_));
  };
  const char* pe = clamp();
  const char* eof = nullptr;
  int cs = cs_;
  %% write exec;
  cs_ = cs;
  consumed_ = offset(data, p);
}

%%{
  machine chunked_body;
  alphtype unsigned char;
  getkey static_cast<unsigned char>(*p);
  include rfc9112_chunked "rfc9112_chunked.rl";

  action size_digit { const char* last = add_size_digits(data, fpc, pe); if (last == nullptr) fbreak; p = last; }
  action ext_byte { if (!count_ext_byte(data, fpc)) fbreak; }
  action end_chunk_header { if (end_chunk_header(data, fpc)) { pe = clamp(); fgoto trailers; } fnext chunk_data_end; fbreak; }
  action end_chunk_data { begin_chunk_header(); fgoto main; }
  action start_field_name { start_trailer_name(data, fpc); if (error_ != Error::none) fbreak; p = detail::skip_token(fpc, pe); }
  action end_field_name { end_trailer_name(data, fpc); }
  action start_field_value { value_start_ = trailer_offset(data, fpc); p = detail::skip_field_value(fpc, pe); }
  action end_field_line { end_trailer_line(data, fpc); pe = clamp(); if (error_ != Error::none) fbreak; }
  action end_trailers { end_trailers(data, fpc); fbreak; }
  action reject_obs_fold { fail(Error::obs_fold, body_offset(data, fpc)); fbreak; }
  action reject_space_before_colon { fail(Error::space_before_colon, body_offset(data, fpc)); fbreak; }
  action syntax_error { on_chunk_syntax_error(data, fpc); }

  # RFC 9112 §7.1 chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF, read in two parts
  # around the data, which decode() hands out without entering the machine.
  chunk_header_a = ( chunk_size $size_digit ) ( chunk_ext $ext_byte ) CRLF @end_chunk_header;
  main := chunk_header_a $err(syntax_error);
  chunk_data_end := CRLF @end_chunk_data $err(syntax_error);

  # RFC 9112 §7.1.2 trailer-section = *( field-line CRLF ), then the chunked-body's CRLF.
  field_value_a = ( field_content+ >start_field_value )?;
  field_line_a = ( field_name >start_field_name ":" @end_field_name OWS field_value_a OWS )
               | ( field_name_with_space >start_field_name @reject_space_before_colon );
  trailers := ( ( field_line_a CRLF @end_field_line ( obs_fold_start @reject_obs_fold )? )*
                CRLF @end_trailers ) $err(syntax_error);

  # With entry points: BodyDecoder's fast path (body_decoder.cc) knows where a chunk header
  # starts and where the CRLF after chunk-data is awaited.
  write data noerror nofinal;
}%%

// Each entry constant must be used (clang's -Wunused-const-variable): main's entry is the
// start state, and the trailer section's is a state of its own.
static_assert(chunked_body_en_main == chunked_body_start);
static_assert(chunked_body_en_trailers != chunked_body_en_chunk_data_end);
int detail::chunked_machine_start() noexcept { return chunked_body_start; }
const int detail::kChunkHeaderState = chunked_body_en_main;
const int detail::kChunkDataEndState = chunked_body_en_chunk_data_end;

const char* BodyDecoder::run_chunked(const char* data, const char* p, const char* end) noexcept {
  const auto clamp = [this, data, end] {
    return data + std::min(static_cast<std::size_t>(end - data), static_cast<std::size_t>(limit_end_));
  };
  const char* pe = clamp();
  const char* eof = nullptr;
  int cs = cs_;
  %% write exec;
  cs_ = cs;
  return p;
}

%%{
  machine host_value;
  alphtype unsigned char;
  getkey static_cast<unsigned char>(*p);
  include rfc9110_host "rfc9110_host.rl";

  # RFC 9110 §7.2 Host = uri-host [ ":" port ]
  main := Host;

  write data noerror noentry;
}%%

bool detail::is_valid_host(const char* p, const char* end, std::size_t* bad) noexcept {
  const char* const start = p;
  const char* const pe = end;
  int cs = host_value_start;
  %% write exec;
  if (p == pe && cs >= host_value_first_final) return true;
  *bad = static_cast<std::size_t>(p - start);
  return false;
}

}  // namespace httpfsm
