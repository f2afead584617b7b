# RFC 9110 §5.1 and §5.5: field names and field values.
%%{
  machine rfc9110_fields;
  include rfc9110_tokens "rfc9110_tokens.rl";

  # §5.1 field-name = token
  field_name = token;

  # §5.5 field-vchar = VCHAR / obs-text
  field_vchar = VCHAR | obs_text;
  # §5.5 field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
  field_content = field_vchar ( ( SP | HTAB | field_vchar )+ field_vchar )?;
  # §5.5 field-value = *field-content
  field_value = field_content*;
}%%
