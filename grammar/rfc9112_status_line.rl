# RFC 9112 §4: the status-line of a response.
%%{
  machine rfc9112_status_line;
  include rfc9110_tokens "rfc9110_tokens.rl";
  include rfc9112_request_line "rfc9112_request_line.rl";

  # §4 status-code = 3DIGIT
  # RFC 9110 §15: "All valid status codes are within the range of 100 to 599, inclusive." The
  # grammar takes any three digits; the host machine's action refuses the rest of the range.
  status_code = DIGIT{3};

  # §4 reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
  reason_phrase = ( HTAB | SP | VCHAR | obs_text )+;

  # §4 status-line = HTTP-version SP status-code SP [ reason-phrase ]
  # The SP after the status-code is there even when the reason-phrase is empty.
  status_line = HTTP_version SP status_code SP reason_phrase?;
}%%
