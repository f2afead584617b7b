# RFC 9110 §5.6: the common syntax components of field values.
%%{
  machine rfc9110_tokens;
  include rfc5234_core "rfc5234_core.rl";

  # §5.6.2 tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
  #                "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
  tchar = "!" | "#" | "$" | "%" | "&" | "'" | "*" | "+" | "-" | "." |
          "^" | "_" | "`" | "|" | "~" | DIGIT | ALPHA;
  # §5.6.2 token = 1*tchar
  token = tchar+;

  # §5.6.3 OWS = *( SP / HTAB )   ; optional whitespace
  OWS = ( SP | HTAB )*;
  # §5.6.3 RWS = 1*( SP / HTAB )  ; required whitespace
  RWS = ( SP | HTAB )+;
  # §5.6.3 BWS = OWS              ; "bad" whitespace
  BWS = OWS;

  # §5.5 obs-text = %x80-FF
  obs_text = 0x80..0xff;

  # §5.6.4 qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
  qdtext = HTAB | SP | 0x21 | 0x23..0x5b | 0x5d..0x7e | obs_text;
  # §5.6.4 quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
  quoted_pair = "\\" ( HTAB | SP | VCHAR | obs_text );
  # §5.6.4 quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
  quoted_string = DQUOTE ( qdtext | quoted_pair )* DQUOTE;
}%%
