# RFC 9112 §2.3, §3, §3.1 and §3.2: the request-line.
%%{
  machine rfc9112_request_line;
  include rfc9110_tokens "rfc9110_tokens.rl";
  include rfc3986_uri "rfc3986_uri.rl";

  # §3.1 method = token
  method = token;

  # RFC 9110 §4.1 absolute-path = 1*( "/" segment )
  absolute_path = ( "/" segment )+;
  # §3.2.1 origin-form = absolute-path [ "?" query ]
  origin_form = absolute_path ( "?" query )?;

  # DEVIATION(RFC 3986 §3.2, RFC 9110 §4.2.4): absolute-form is absolute-URI (§3.2.2), whose
  # authority may carry userinfo. RFC 9110 §4.2.4 deprecates userinfo in http(s) URIs and says
  # "A recipient SHOULD parse for userinfo and treat its presence as an error", because it is
  # used to disguise the real host ("http://trusted.example@evil.example/"). So the authority
  # of a request-target has no userinfo. Test: deviation_rejects_userinfo_in_absolute_form.
  authority_without_userinfo = host ( ":" port )?;
  hier_part_without_userinfo = "//" authority_without_userinfo path_abempty | path_absolute |
                               path_rootless | path_empty;
  # §3.2.2 absolute-form = absolute-URI
  absolute_form = scheme ":" hier_part_without_userinfo ( "?" query )?;

  # RFC 9110 §4.1 uri-host = <host, see [URI], Section 3.2.2>
  uri_host = host;
  # §3.2.3 authority-form = uri-host ":" port
  # RFC 9110 §9.3.6: "A server MUST reject a CONNECT request that targets an empty or invalid
  # port number". authority-form is CONNECT's alone, so its port is a TCP port, 1 to 65535,
  # written without leading zeros (which some readers take for octal: "0443" would be 291).
  # Tests: rejects_connect_with_empty_port, rejects_connect_to_port_65536, ..._port_0.
  connect_port = [1-9] DIGIT{0,3} | [1-5] DIGIT{4} | "6" [0-4] DIGIT{3} | "65" [0-4] DIGIT{2} |
                 "655" [0-2] DIGIT | "6553" [0-5];
  authority_form = uri_host ":" connect_port;

  # §3.2.4 asterisk-form = "*"
  asterisk_form = "*";

  # §3.2 request-target = origin-form / absolute-form / authority-form / asterisk-form
  request_target = origin_form | absolute_form | authority_form | asterisk_form;

  # §2.3 HTTP-name = %s"HTTP"   (case-sensitive)
  HTTP_name = "HTTP";
  # §2.3 HTTP-version = HTTP-name "/" DIGIT "." DIGIT
  HTTP_version = HTTP_name "/" DIGIT "." DIGIT;

  # §3 request-line = method SP request-target SP HTTP-version
  request_line = method SP request_target SP HTTP_version;
}%%
