# RFC 3629 §4: the syntax of UTF-8 byte sequences. Definitions only: no actions, no main.
# The ranges exclude overlong forms (C0, C1, E0 80..9F, F0 80..8F), the surrogates U+D800..
# U+DFFF (ED A0..BF) and code points above U+10FFFF (F4 90.., F5..FF), so a machine built
# from UTF8_octets fails at the first byte that cannot continue valid UTF-8.
%%{
  machine rfc3629_utf8;

  # UTF8-tail   = %x80-BF
  UTF8_tail = 0x80..0xbf;
  # UTF8-1      = %x00-7F
  UTF8_1 = 0x00..0x7f;
  # UTF8-2      = %xC2-DF UTF8-tail
  UTF8_2 = 0xc2..0xdf UTF8_tail;
  # UTF8-3      = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
  #               %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
  UTF8_3 = 0xe0 0xa0..0xbf UTF8_tail | 0xe1..0xec UTF8_tail{2} |
           0xed 0x80..0x9f UTF8_tail | 0xee..0xef UTF8_tail{2};
  # UTF8-4      = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
  #               %xF4 %x80-8F 2( UTF8-tail )
  UTF8_4 = 0xf0 0x90..0xbf UTF8_tail{2} | 0xf1..0xf3 UTF8_tail{3} |
           0xf4 0x80..0x8f UTF8_tail{2};
  # UTF8-char   = UTF8-1 / UTF8-2 / UTF8-3 / UTF8-4
  UTF8_char = UTF8_1 | UTF8_2 | UTF8_3 | UTF8_4;
  # UTF8-octets = *( UTF8-char )
  UTF8_octets = UTF8_char*;
}%%
