// The Content-Disposition field value of a multipart/form-data part (RFC 6266 §4.1 syntax,
// RFC 7578 §4.2 meaning, RFC 8187 ext-values): the disposition type, `name` and the file
// name. Pure functions: no I/O, no allocation; results are views.
//
// Decoding. A value sent as a token, or as a quoted-string without quoted-pairs, is a view
// into the field value. A quoted-string with quoted-pairs ("a\"b") is unescaped, and a
// filename* ext-value ("UTF-8''%e2%82%ac.txt") percent-decoded, into the caller's `scratch`
// buffer, and the view points there; each decoded value takes as many scratch bytes as its
// encoded form, so value.size() bytes of scratch always suffice. A value
// that cannot be decoded exactly is refused with an error, never passed on half-read:
// filename* in a charset other than UTF-8 (unsupported_charset), bad percent-encoding or bytes
// that are not UTF-8 (bad_ext_value), scratch too small (buffer_too_small).
//
// File names come out as sent: no percent-decoding of `filename` (HTML's encoding of '"' as
// %22 cannot be told apart from a literal "%22"), no path stripping. A server storing files
// must still check the name is one safe path segment (RFC 7578 §4.2).
#pragma once

#include <span>
#include <string_view>

#include "httpfsm/multipart_error.hpp"

namespace httpfsm {

struct ContentDisposition {
  std::string_view type;  // the disposition type as sent ("form-data")
  std::string_view name;  // the name parameter, unescaped (valid when has_name)
  // filename* when present (RFC 6266 §4.3: "recipients SHOULD pick filename*"), else
  // filename. An empty name is kept (has_filename with ""): browsers send filename="" for a
  // file input left empty.
  std::string_view filename;
  bool has_name = false;
  bool has_filename = false;
  bool filename_from_ext = false;  // `filename` was decoded from filename* (RFC 8187)
};

struct ContentDispositionResult {
  MultipartError error = MultipartError::none;
  ContentDisposition disposition;  // valid when error == none
};

// RFC 6266 §4.1 content-disposition value = disposition-type *( ";" disposition-parm ).
// Parameter names are case-insensitive; a parameter given twice is an error (RFC 6266 §4.1:
// "multiple instances of the same parameter name are invalid"); unknown parameters are
// skipped. Errors: bad_content_disposition, duplicate_parameter, bad_ext_value,
// unsupported_charset, buffer_too_small.
ContentDispositionResult parse_content_disposition(std::string_view value,
                                                   std::span<char> scratch) noexcept;

// parse_content_disposition, then RFC 7578 §4.2: "the disposition type is "form-data"" and
// "MUST also contain an additional parameter of "name"". Adds not_form_data_part and
// missing_name.
ContentDispositionResult parse_form_data_disposition(std::string_view value,
                                                     std::span<char> scratch) noexcept;

}  // namespace httpfsm
