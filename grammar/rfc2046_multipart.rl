# RFC 2046 §5.1.1: the multipart body syntax, as far as a machine fixed at build time can
# state it. The boundary is chosen per message, so the delimiter itself ("\r\n--" boundary) is
# matched in C++ (MultipartParser::scan_text); these rules cover the boundary parameter and
# what follows a delimiter. Definitions only.
%%{
  machine rfc2046_multipart;
  include rfc5234_core "rfc5234_core.rl";

  # §5.1.1 bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." /
  #                          "/" / ":" / "=" / "?"
  bcharsnospace = DIGIT | ALPHA | "'" | "(" | ")" | "+" | "_" | "," | "-" | "." | "/" | ":" |
                  "=" | "?";
  # §5.1.1 bchars := bcharsnospace / " "
  bchars = bcharsnospace | " ";
  # §5.1.1 boundary := 0*69<bchars> bcharsnospace
  # The length (1-70) is checked in C++ (check_boundary), so that it gets an error of its own;
  # the machine states only the characters.
  boundary = bchars* bcharsnospace;

  # RFC 822 §3.3 LWSP-char = SPACE / HTAB
  LWSP_char = SP | HTAB;
  # §5.1.1 transport-padding := *LWSP-char
  #   ; Composers MUST NOT generate non-zero length transport padding, but receivers MUST
  #   ; be able to handle padding added by message transports.
  transport_padding = LWSP_char*;

  # §5.1.1 close-delimiter := delimiter "--"   (the two hyphens after the delimiter)
  close_mark = "--";
}%%
