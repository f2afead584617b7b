# RFC 9112 §7.1: the chunked transfer coding.
%%{
  machine rfc9112_chunked;
  include rfc9112_field_line "rfc9112_field_line.rl";

  # §7.1 chunk-size = 1*HEXDIG
  chunk_size = HEXDIG+;
  # §7.1.1 chunk-ext-name = token
  chunk_ext_name = token;
  # §7.1.1 chunk-ext-val = token / quoted-string
  chunk_ext_val = token | quoted_string;
  # §7.1.1 chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
  chunk_ext = ( BWS ";" BWS chunk_ext_name ( BWS "=" BWS chunk_ext_val )? )*;
  # §7.1 last-chunk = 1*("0") [ chunk-ext ] CRLF
  last_chunk = "0"+ chunk_ext CRLF;
  # §7.1 chunk-data = 1*OCTET   ; a sequence of chunk-size octets
  # Ragel cannot count, so the host machine reads a chunk header, leaves the machine for
  # chunk-size octets, and re-enters it to read the CRLF after them.
  chunk_data = OCTET+;
  # §7.1 chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
  chunk = chunk_size chunk_ext CRLF chunk_data CRLF;
  # The part of a chunk (or last-chunk) before its data.
  chunk_header = chunk_size chunk_ext CRLF;
  # §7.1.2 trailer-section = *( field-line CRLF )
  trailer_section = ( field_line CRLF )*;
  # §7.1 chunked-body = *chunk last-chunk trailer-section CRLF
  chunked_body = chunk* last_chunk trailer_section CRLF;
}%%
