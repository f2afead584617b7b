# RFC 9110 §7.2: the Host field value, checked by its own machine once the line is read.
%%{
  machine rfc9110_host;
  include rfc3986_uri "rfc3986_uri.rl";

  # RFC 9110 §4.1 uri-host = <host, see [URI], Section 3.2.2>
  uri_host = host;
  # §7.2 Host = uri-host [ ":" port ]
  Host = uri_host ( ":" port )?;
}%%
