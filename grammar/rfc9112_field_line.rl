# RFC 9112 §5 and §5.2: field lines, and obsolete line folding (matched only to reject it).
%%{
  machine rfc9112_field_line;
  include rfc9110_fields "rfc9110_fields.rl";

  # §5 field-line = field-name ":" OWS field-value OWS
  field_line = field_name ":" OWS field_value OWS;

  # §5.2 obs-fold = OWS CRLF RWS   ; obsolete line folding
  # A field line followed by a line that starts with whitespace. Never accepted: the host
  # machine matches the RWS that begins such a line and fails with Error::obs_fold, which
  # §5.2 allows ("reject the message by sending a 400 (Bad Request)").
  obs_fold = OWS CRLF RWS;
  # The part of obs-fold that starts the next line.
  obs_fold_start = RWS;

  # §5.1 "No whitespace is allowed between the field name and colon." A field name followed
  # by RWS is matched only to reject it with Error::space_before_colon (a server MUST answer
  # 400); the host machine composes it beside field_line.
  field_name_with_space = field_name RWS;
}%%
