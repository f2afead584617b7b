# RFC 3986 §2.1-§3.4: the URI components that request-target and Host are built from.
%%{
  machine rfc3986_uri;
  include rfc5234_core "rfc5234_core.rl";

  # §2.1 pct-encoded = "%" HEXDIG HEXDIG
  pct_encoded = "%" HEXDIG HEXDIG;
  # §2.2 sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
  sub_delims = "!" | "$" | "&" | "'" | "(" | ")" | "*" | "+" | "," | ";" | "=";
  # §2.3 unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
  unreserved = ALPHA | DIGIT | "-" | "." | "_" | "~";

  # §3.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  scheme = ALPHA ( ALPHA | DIGIT | "+" | "-" | "." )*;

  # §3.2.1 userinfo = *( unreserved / pct-encoded / sub-delims / ":" )
  userinfo = ( unreserved | pct_encoded | sub_delims | ":" )*;

  # §3.2.2 dec-octet = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35
  dec_octet = DIGIT | 0x31..0x39 DIGIT | "1" DIGIT{2} | "2" 0x30..0x34 DIGIT | "25" 0x30..0x35;
  # §3.2.2 IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet
  IPv4address = dec_octet "." dec_octet "." dec_octet "." dec_octet;
  # §3.2.2 h16 = 1*4HEXDIG
  h16 = HEXDIG{1,4};
  # §3.2.2 ls32 = ( h16 ":" h16 ) / IPv4address
  ls32 = ( h16 ":" h16 ) | IPv4address;
  # §3.2.2 IPv6address =                            6( h16 ":" ) ls32
  #                    /                       "::" 5( h16 ":" ) ls32
  #                    / [               h16 ] "::" 4( h16 ":" ) ls32
  #                    / [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32
  #                    / [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32
  #                    / [ *3( h16 ":" ) h16 ] "::"    h16 ":"   ls32
  #                    / [ *4( h16 ":" ) h16 ] "::"              ls32
  #                    / [ *5( h16 ":" ) h16 ] "::"              h16
  #                    / [ *6( h16 ":" ) h16 ] "::"
  IPv6address =                                    ( h16 ":" ){6} ls32
              |                               "::" ( h16 ":" ){5} ls32
              | (                      h16 )? "::" ( h16 ":" ){4} ls32
              | ( ( h16 ":" ){0,1} h16 )? "::" ( h16 ":" ){3} ls32
              | ( ( h16 ":" ){0,2} h16 )? "::" ( h16 ":" ){2} ls32
              | ( ( h16 ":" ){0,3} h16 )? "::"   h16 ":"      ls32
              | ( ( h16 ":" ){0,4} h16 )? "::"                ls32
              | ( ( h16 ":" ){0,5} h16 )? "::"                h16
              | ( ( h16 ":" ){0,6} h16 )? "::";
  # §3.2.2 IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
  IPvFuture = [vV] HEXDIG+ "." ( unreserved | sub_delims | ":" )+;
  # §3.2.2 IP-literal = "[" ( IPv6address / IPvFuture ) "]"
  IP_literal = "[" ( IPv6address | IPvFuture ) "]";
  # §3.2.2 reg-name = *( unreserved / pct-encoded / sub-delims )
  reg_name = ( unreserved | pct_encoded | sub_delims )*;
  # §3.2.2 host = IP-literal / IPv4address / reg-name
  host = IP_literal | IPv4address | reg_name;
  # §3.2.3 port = *DIGIT
  port = DIGIT*;
  # §3.2 authority = [ userinfo "@" ] host [ ":" port ]
  authority = ( userinfo "@" )? host ( ":" port )?;

  # §3.3 pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
  pchar = unreserved | pct_encoded | sub_delims | ":" | "@";
  # §3.3 segment = *pchar
  segment = pchar*;
  # §3.3 segment-nz = 1*pchar
  segment_nz = pchar+;
  # §3.3 path-abempty = *( "/" segment )
  path_abempty = ( "/" segment )*;
  # §3.3 path-absolute = "/" [ segment-nz *( "/" segment ) ]
  path_absolute = "/" ( segment_nz ( "/" segment )* )?;
  # §3.3 path-rootless = segment-nz *( "/" segment )
  path_rootless = segment_nz ( "/" segment )*;
  # §3.3 path-empty = 0<pchar>
  path_empty = zlen;

  # §3.4 query = *( pchar / "/" / "?" )
  query = ( pchar | "/" | "?" )*;

  # §3 hier-part = "//" authority path-abempty / path-absolute / path-rootless / path-empty
  hier_part = "//" authority path_abempty | path_absolute | path_rootless | path_empty;
  # §4.3 absolute-URI = scheme ":" hier-part [ "?" query ]
  absolute_URI = scheme ":" hier_part ( "?" query )?;
}%%
