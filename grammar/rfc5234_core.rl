# RFC 5234 Appendix B.1: the core rules every other grammar here builds on.
# Definitions only: no actions, no main. Ragel's alphtype is unsigned char in every machine
# that includes this file, so 0x80..0xff are ordinary keys.
%%{
  machine rfc5234_core;

  # ALPHA = %x41-5A / %x61-7A   ; A-Z / a-z
  ALPHA = 0x41..0x5a | 0x61..0x7a;
  # DIGIT = %x30-39             ; 0-9
  DIGIT = 0x30..0x39;
  # HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"
  # ABNF strings are case-insensitive (RFC 5234 §2.3), so "A" also matches "a".
  HEXDIG = DIGIT | 0x41..0x46 | 0x61..0x66;
  # VCHAR = %x21-7E             ; visible (printing) characters
  VCHAR = 0x21..0x7e;
  # SP = %x20
  SP = 0x20;
  # HTAB = %x09
  HTAB = 0x09;
  # CR = %x0D
  CR = 0x0d;
  # LF = %x0A
  LF = 0x0a;
  # CRLF = CR LF                ; Internet standard newline
  CRLF = CR LF;
  # DQUOTE = %x22
  DQUOTE = 0x22;
  # OCTET = %x00-FF
  OCTET = 0x00..0xff;
}%%
