"""The raw-socket cases for the request-line, field syntax, message framing, chunked coding and
request smuggling: one list, used by the pytest suite (which asserts httpfsm's answer) and by
compare_nginx.py (which sends the same bytes to nginx and writes docs/CONFORMANCE.md), so the
document and the tests cannot drift apart.

Each case is one write of raw bytes on a fresh connection. `status` and `closed` are what
httpfsm answers, and what the RFC requires or what docs/API.md documents where the RFC leaves
a choice; `also_ok` lists the other answers the RFC permits, each with the reason, so the
comparison can say whether a differing answer from another server still follows the RFC.

Requests with a body go to POST /files/case (an upload: httpfsm answers 201 once the whole
body is read); the nginx comparison proxies that path to a location answering 201, so nginx
reads the body too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Alt:
    status: int | None  # None: no answer, the connection is just closed
    closed: bool | None  # None: either
    why: str


@dataclass(frozen=True)
class Case:
    id: str
    group: str
    section: str
    request: bytes
    status: int
    closed: bool
    why: str
    also_ok: tuple = ()
    body: bytes | None = None  # httpfsm's response body, where it shows how the request parsed

    def permits(self, status, closed):
        """Whether an answer (status, closed) follows the RFC for this case."""
        if (status, closed) == (self.status, self.closed):
            return True
        return any(a.status == status and a.closed in (None, closed) for a in self.also_ok)

    def alternative(self, status, closed):
        for a in self.also_ok:
            if a.status == status and a.closed in (None, closed):
                return a
        return None


HOST = b"Host: 127.0.0.1\r\n"
GROUPS = {
    "request_line": "Request-line and Host (RFC 9112 §2-§3)",
    "fields": "Field syntax (RFC 9112 §5, RFC 9110 §5)",
    "framing": "Message body length (RFC 9112 §6)",
    "chunked": "Chunked transfer coding (RFC 9112 §7)",
    "smuggling": "Request smuggling and ambiguity",
}


def raw_get(target=b"/", extra=b"", version=b"HTTP/1.1", host=HOST):
    return b"GET " + target + b" " + version + b"\r\n" + host + extra + b"\r\n"


def post(fields=b"", body=b"", target=b"/files/case", version=b"HTTP/1.1"):
    """A POST with the given raw field lines (each ending in CRLF) and body bytes."""
    return b"POST " + target + b" " + version + b"\r\n" + HOST + fields + b"\r\n" + body


def chunked(body, extra_fields=b""):
    return post(b"Transfer-Encoding: chunked\r\n" + extra_fields, body)


CHUNKED_HELLO = b"5\r\nhello\r\n0\r\n\r\n"

# Alternatives the RFC permits, reused below.
LENIENT_LF = Alt(200, False, "RFC 9112 §2.2: a recipient MAY recognize a single LF as a line terminator.")
REPLACE_SP = Alt(
    200, False, "RFC 9110 §5.5 / RFC 9112 §2.2: a recipient MAY replace CR, LF or NUL in a field value with SP."
)
UNFOLD = Alt(200, False, "RFC 9112 §5.2: a server MAY replace each obs-fold with SP before interpreting the field value.")
SKIP_EXT = Alt(201, False, "RFC 9110 §2.2 recovery: the extensions, which a recipient MUST ignore anyway "
               "(RFC 9112 §7.1.1), are skipped to the end of the line without being parsed.")
RECOVER = Alt(
    200, False, "RFC 9110 §2.2: unless noted otherwise a recipient MAY attempt to recover a usable element from an "
    "invalid construct, here by dropping the invalid field line."
)
ANY_METHOD = Alt(200, False, "RFC 9110 §9.1: which methods a resource implements is the server's choice; this one "
                 "accepts the method.")
CLOSE_ON_400 = "RFC 9112 §6.3: the framing is unrecoverable; the server MUST answer 400 and then close."

CASES = [
    # ----------------------------------------------------------------------------------------
    # Request-line and Host
    Case("origin_form", "request_line", "RFC 9112 §3.2.1", raw_get(), 200, False,
         "An origin-form request-line; HTTP/1.1 persists by default (§9.3)."),
    Case("leading_empty_lines", "request_line", "RFC 9112 §2.2", b"\r\n\r\n" + raw_get(), 200, False,
         "A server SHOULD ignore at least one empty line (CRLF) received before the request-line."),
    Case("absolute_form", "request_line", "RFC 9112 §3.2.2", raw_get(b"http://127.0.0.1/"), 200, False,
         "A server MUST accept the absolute-form in requests."),
    Case("absolute_form_other_host", "request_line", "RFC 9112 §3.2.2",
         raw_get(b"http://127.0.0.1/", host=b"Host: other.example\r\n"), 200, False,
         "With an absolute-form target the server MUST ignore the Host field and use the target's authority.",
         also_ok=(Alt(400, True, "a server may refuse an authority it does not serve (RFC 9110 §15.5.20 421 / 400)."),
                  Alt(421, None, "RFC 9110 §15.5.20: a server may refuse an authority it does not serve."))),
    Case("asterisk_options", "request_line", "RFC 9112 §3.2.4", b"OPTIONS * HTTP/1.1\r\n" + HOST + b"\r\n", 200, False,
         "The asterisk-form is used only for a server-wide OPTIONS request.",
         also_ok=(Alt(405, None, "a server may not implement OPTIONS (RFC 9110 §9.3.7 describes it, no MUST)."),)),
    Case("asterisk_get", "request_line", "RFC 9112 §3.2.4", b"GET * HTTP/1.1\r\n" + HOST + b"\r\n", 400, True,
         "The asterisk-form is only for OPTIONS; anything else is an invalid request-line."),
    Case("connect_authority", "request_line", "RFC 9110 §9.3.6", b"CONNECT 127.0.0.1:443 HTTP/1.1\r\n" + HOST + b"\r\n",
         501, False, "An origin server that does not implement CONNECT answers 501 (RFC 9110 §15.6.2).",
         also_ok=(Alt(405, None, "RFC 9110 §15.5.6: a known method not allowed for this target."),
                  Alt(400, True, "a server that refuses the authority-form outright."))),
    Case("lowercase_method", "request_line", "RFC 9110 §9.1", b"get / HTTP/1.1\r\n" + HOST + b"\r\n", 501, False,
         "Methods are case-sensitive: 'get' is an unknown method, which SHOULD get 501.",
         also_ok=(Alt(400, True, "a server may treat an unrecognized method as a bad request line (RFC 9112 §3)."),
                  Alt(405, None, "RFC 9110 §15.5.6: a known method not allowed for this target."))),
    Case("unknown_method", "request_line", "RFC 9110 §9.1", b"FOO / HTTP/1.1\r\n" + HOST + b"\r\n", 501, False,
         "An unrecognized method SHOULD be answered 501 (Not Implemented).",
         also_ok=(ANY_METHOD, Alt(405, None, "RFC 9110 §15.5.6: a method not allowed for this target."),
                  Alt(400, True, "a server may refuse methods it does not know as malformed."))),
    Case("method_too_long", "request_line", "RFC 9112 §3", b"A" * 33 + b" / HTTP/1.1\r\n" + HOST + b"\r\n", 501, True,
         "A server that receives a method longer than any it implements SHOULD respond with 501.",
         also_ok=(ANY_METHOD, Alt(400, True, "refused as malformed"), Alt(405, None, "not allowed for the target"))),
    Case("double_space", "request_line", "RFC 9112 §3", b"GET  / HTTP/1.1\r\n" + HOST + b"\r\n", 400, True,
         "The request-line's elements are separated by a single SP; an invalid request-line SHOULD get 400.",
         also_ok=(Alt(200, False, "RFC 9112 §3: a recipient MAY parse on whitespace-delimited word boundaries."),)),
    Case("tab_separator", "request_line", "RFC 9112 §3", b"GET\t/\tHTTP/1.1\r\n" + HOST + b"\r\n", 400, True,
         "The separator is SP; lenient parsing of other whitespace can enable request smuggling.",
         also_ok=(Alt(200, False, "RFC 9112 §3: a recipient MAY treat HTAB as the SP separator."),)),
    Case("space_before_line", "request_line", "RFC 9112 §3", b" GET / HTTP/1.1\r\n" + HOST + b"\r\n", 400, True,
         "request-line = method SP request-target SP HTTP-version: it starts with the method.",
         also_ok=(Alt(200, False, "RFC 9112 §3: a recipient MAY ignore preceding whitespace."),)),
    Case("trailing_space", "request_line", "RFC 9112 §3", b"GET / HTTP/1.1 \r\n" + HOST + b"\r\n", 400, True,
         "Nothing may follow the HTTP-version but CRLF.",
         also_ok=(Alt(200, False, "RFC 9112 §3: a recipient MAY ignore trailing whitespace."),)),
    Case("http09", "request_line", "RFC 9112 §2.3", b"GET /\r\n\r\n", 400, True,
         "HTTP/0.9 has no version; a request-line without one is invalid for HTTP/1.1.",
         also_ok=(Alt(None, True, "answered the HTTP/0.9 way, without a status line (historical behaviour)."),)),
    Case("lowercase_version", "request_line", "RFC 9112 §2.3", b"GET / http/1.1\r\n" + HOST + b"\r\n", 400, True,
         "HTTP-name = %s\"HTTP\": case-sensitive."),
    Case("version_1_2", "request_line", "RFC 9110 §2.5", raw_get(version=b"HTTP/1.2"), 200, False,
         "A higher minor version is processed as the highest minor version the recipient implements (1.1)."),
    Case("version_2_0", "request_line", "RFC 9110 §15.6.6", raw_get(version=b"HTTP/2.0"), 505, True,
         "A major version the server does not support gets 505 (HTTP Version Not Supported).",
         also_ok=(Alt(400, True, "HTTP/2 is not sent as text, so the line may be refused as malformed."),)),
    Case("version_two_digits", "request_line", "RFC 9112 §2.3", raw_get(version=b"HTTP/1.10"), 400, True,
         "HTTP-version = HTTP-name \"/\" DIGIT \".\" DIGIT: one digit each.",
         also_ok=(Alt(505, True, "read as an unsupported version."),)),
    Case("version_no_minor", "request_line", "RFC 9112 §2.3", raw_get(version=b"HTTP/1"), 400, True,
         "HTTP-version needs both digits."),
    Case("target_no_slash", "request_line", "RFC 9112 §3.2", raw_get(b"echo/x"), 400, True,
         "A request-target is origin-form (starting with \"/\"), absolute-form, authority-form or \"*\"."),
    Case("target_fragment", "request_line", "RFC 9112 §3.2", raw_get(b"/echo/a#frag"), 400, True,
         "A fragment is not part of the request-target: \"#\" is not allowed there.",
         also_ok=(Alt(200, False, "a server may strip the fragment a broken client sent (not in the grammar)."),
                  Alt(404, False, "the target is taken as a path and not found."))),
    Case("bad_percent", "request_line", "RFC 3986 §2.1", raw_get(b"/echo/%zz"), 400, True,
         "A \"%\" must be followed by two hex digits.",
         also_ok=(Alt(404, False, "the path is taken literally and not found."), Alt(400, False, "refused, connection kept"),
                  Alt(200, False, "the path is taken literally."))),
    Case("http10_without_host", "request_line", "RFC 9112 §3.2", raw_get(version=b"HTTP/1.0", host=b""), 200, True,
         "Host is required in HTTP/1.1 only; HTTP/1.0 closes unless keep-alive was asked for (§9.3)."),
    Case("missing_host", "request_line", "RFC 9112 §3.2", raw_get(host=b""), 400, True,
         "A server MUST respond with 400 to any HTTP/1.1 request that lacks a Host header field."),
    Case("two_hosts", "request_line", "RFC 9112 §3.2", raw_get(host=HOST + HOST), 400, True,
         "A server MUST respond with 400 to a request with more than one Host field line."),
    Case("bad_host", "request_line", "RFC 9112 §3.2", raw_get(host=b"Host: a b\r\n"), 400, True,
         "A server MUST respond with 400 to a Host field with an invalid value."),
    Case("host_bad_port", "request_line", "RFC 9112 §3.2", raw_get(host=b"Host: 127.0.0.1:80x\r\n"), 400, True,
         "Host = uri-host [ \":\" port ] and port = *DIGIT."),
    Case("empty_host", "request_line", "RFC 9112 §3.2", raw_get(host=b"Host:\r\n"), 200, False,
         "A client sends an empty Host when the target URI has no authority; it is valid.",
         also_ok=(Alt(400, True, "a server that needs a host name may refuse an empty one."),)),
    Case("target_space", "smuggling", "RFC 9112 §3", raw_get(b"/echo/a b"), 400, True,
         "Whitespace inside the request-target makes an invalid request-line; a server SHOULD answer 400 "
         "rather than guess where the target ends."),
    Case("target_tab", "smuggling", "RFC 9112 §3", raw_get(b"/echo/a\tb"), 400, True,
         "HTAB is not allowed in a request-target."),
    Case("target_nul", "smuggling", "RFC 9112 §3.2", raw_get(b"/echo/a\x00b"), 400, True,
         "NUL is not allowed in a request-target."),
    Case("target_cr", "smuggling", "RFC 9112 §2.2", raw_get(b"/echo/a\rb"), 400, True,
         "A bare CR MUST be considered invalid (or replaced with SP, which here makes an invalid line)."),
    Case("target_lf", "smuggling", "RFC 9112 §2.2", raw_get(b"/echo/a\nb"), 400, True,
         "An LF inside the request-line ends it early, leaving an invalid request-line.",
         also_ok=(Alt(None, True, "RFC 9112 §2.2 lets a recipient end the line at the bare LF; \"GET /echo/a\" is then "
                      "an HTTP/0.9 request, answered without a status line, and the connection closed."),)),
    Case("bare_lf_lines", "smuggling", "RFC 9112 §2.2", b"GET / HTTP/1.1\n" + b"Host: 127.0.0.1\n\n", 400, True,
         "The line terminator is CRLF; httpfsm refuses bare LF, which differing parsers may split differently.",
         also_ok=(LENIENT_LF,)),
    Case("bare_cr_lines", "smuggling", "RFC 9112 §2.2", b"GET / HTTP/1.1\rHost: 127.0.0.1\r\r", 400, True,
         "A bare CR (not followed by LF) MUST be treated as invalid or replaced with SP."),
    # ----------------------------------------------------------------------------------------
    # Field syntax
    Case("ows_trimmed", "fields", "RFC 9112 §5.1", raw_get(b"/user-agent", b"User-Agent: \t spaced out \t \r\n"),
         200, False, "OWS before and after a field value is not part of the value.", body=b"spaced out"),
    Case("no_space_after_colon", "fields", "RFC 9112 §5.1", raw_get(b"/user-agent", b"User-Agent:tight\r\n"),
         200, False, "field-line = field-name \":\" OWS field-value OWS: the space is optional.", body=b"tight"),
    Case("name_case_insensitive", "fields", "RFC 9110 §5.1", raw_get(b"/user-agent", b"uSeR-aGeNt: any case\r\n"),
         200, False, "Field names are case-insensitive.", body=b"any case"),
    Case("obs_text_value", "fields", "RFC 9110 §5.5", raw_get(b"/user-agent", b"User-Agent: caf\xe9\r\n"), 200, False,
         "field-vchar includes obs-text (%x80-FF), which a recipient treats as opaque data.", body=b"caf\xe9"),
    Case("empty_value", "fields", "RFC 9110 §5.5", raw_get(extra=b"X-Empty:\r\n"), 200, False,
         "A field value may be empty."),
    Case("ws_before_colon", "fields", "RFC 9112 §5.1", raw_get(extra=b"X-Test : 1\r\n"), 400, True,
         "A server MUST reject, with 400, any request with whitespace between a field name and the colon."),
    Case("obs_fold", "fields", "RFC 9112 §5.2", raw_get(extra=b"X-Test: a\r\n b\r\n"), 400, True,
         "A server that receives obs-fold MUST either reject the message with 400 or replace each obs-fold with SP.",
         also_ok=(UNFOLD,)),
    Case("space_after_start_line", "fields", "RFC 9112 §2.2", b"GET / HTTP/1.1\r\n X-Test: 1\r\n" + HOST + b"\r\n",
         400, True, "Whitespace between the start-line and the first field line: MUST reject, or consume each such "
         "line without processing it.",
         also_ok=(Alt(200, False, "RFC 9112 §2.2: the whitespace-preceded line may be consumed without processing."),)),
    Case("name_not_token", "fields", "RFC 9110 §5.1", raw_get(extra=b"X(A): 1\r\n"), 400, True,
         "field-name = token; \"(\" is a delimiter, not a tchar.",
         also_ok=(RECOVER,)),
    Case("name_with_space", "fields", "RFC 9110 §5.1", raw_get(extra=b"X A: 1\r\n"), 400, True,
         "A field name cannot contain a space."),
    Case("empty_name", "fields", "RFC 9110 §5.1", raw_get(extra=b": value\r\n"), 400, True,
         "field-name = token, at least one tchar."),
    Case("no_colon", "fields", "RFC 9112 §5", raw_get(extra=b"NoColonHere\r\n"), 400, True,
         "field-line = field-name \":\" OWS field-value OWS.",
         also_ok=(RECOVER,)),
    Case("ctl_in_value", "fields", "RFC 9110 §5.5", raw_get(extra=b"X-Test: a\x01b\r\n"), 400, True,
         "Control characters other than HTAB are not field-vchar.",
         also_ok=(Alt(200, False, "RFC 9110 §5.5: recipients MAY retain CTL characters other than CR, LF and NUL for "
                               "robustness within a safe context."),)),
    Case("del_in_value", "fields", "RFC 9110 §5.5", raw_get(extra=b"X-Test: a\x7fb\r\n"), 400, True,
         "DEL (%x7F) is not a VCHAR.",
         also_ok=(Alt(200, False, "RFC 9110 §5.5: recipients MAY retain CTL characters other than CR, LF and NUL for "
                               "robustness within a safe context."),)),
    Case("obs_text_in_name", "fields", "RFC 9110 §5.1", raw_get(extra=b"X-\xffA: 1\r\n"), 400, True,
         "obs-text is allowed in values only, not in field names.",
         also_ok=(RECOVER,)),
    Case("nul_in_name", "smuggling", "RFC 9110 §5.1", raw_get(extra=b"X-A\x00B: 1\r\n"), 400, True,
         "NUL is not a tchar; a name with one may be truncated differently by another parser."),
    Case("nul_in_value", "smuggling", "RFC 9110 §5.5", raw_get(extra=b"X-Test: a\x00b\r\n"), 400, True,
         "Field values with CR, LF or NUL are invalid and dangerous: a recipient MUST reject the message or "
         "replace each with SP.", also_ok=(REPLACE_SP,)),
    Case("cr_in_value", "smuggling", "RFC 9112 §2.2", raw_get(extra=b"X-Test: a\rb\r\n"), 400, True,
         "A bare CR MUST be considered invalid or replaced with SP.", also_ok=(REPLACE_SP,)),
    Case("lf_in_value", "smuggling", "RFC 9112 §2.2", raw_get(extra=b"X-Test: a\nb: c\r\n"), 400, True,
         "A bare LF inside a field line; httpfsm refuses it rather than split the line.",
         also_ok=(LENIENT_LF,)),
    Case("cr_in_name", "smuggling", "RFC 9112 §2.2", raw_get(extra=b"X-A\rB: 1\r\n"), 400, True,
         "A bare CR in a field name is invalid."),
    Case("lf_in_name", "smuggling", "RFC 9112 §2.2", raw_get(extra=b"X-A\nB: 1\r\n"), 400, True,
         "A bare LF in a field name leaves a line without a colon.", also_ok=(RECOVER,)),
    # ----------------------------------------------------------------------------------------
    # Message body length
    Case("content_length", "framing", "RFC 9112 §6.3", post(b"Content-Length: 5\r\n", b"hello"), 201, False,
         "Content-Length gives the body length (§6.3 item 6); the connection persists."),
    Case("content_length_zero", "framing", "RFC 9112 §6.3", post(b"Content-Length: 0\r\n"), 201, False,
         "A zero Content-Length is an empty body."),
    Case("content_length_leading_zeros", "framing", "RFC 9110 §8.6", post(b"Content-Length: 005\r\n", b"hello"),
         201, False, "Content-Length = 1*DIGIT: leading zeros are digits."),
    Case("content_length_ows", "framing", "RFC 9112 §5.1", post(b"Content-Length: \t5 \t\r\n", b"hello"), 201, False,
         "OWS around the value is not part of it."),
    Case("content_length_same_twice", "framing", "RFC 9110 §8.6", post(b"Content-Length: 5\r\nContent-Length: 5\r\n",
         b"hello"), 201, False, "Repeated identical values MAY be accepted as that single value.",
         also_ok=(Alt(400, True, "RFC 9112 §6.3 item 5: a recipient may instead treat it as invalid."),)),
    Case("content_length_same_list", "framing", "RFC 9110 §8.6", post(b"Content-Length: 5, 5\r\n", b"hello"),
         201, False, "A list of identical values MAY be accepted as that single value.",
         also_ok=(Alt(400, True, "RFC 9112 §6.3 item 5: a recipient may instead treat it as invalid."),)),
    Case("chunked", "framing", "RFC 9112 §7.1", chunked(CHUNKED_HELLO), 201, False,
         "Transfer-Encoding: chunked with chunked final (§6.3 item 4) frames the body."),
    Case("chunked_case", "framing", "RFC 9112 §7", post(b"Transfer-Encoding: ChUnKeD\r\n", CHUNKED_HELLO), 201, False,
         "Transfer coding names are case-insensitive."),
    Case("te_tab_before_value", "framing", "RFC 9112 §5.1", post(b"Transfer-Encoding:\tchunked\r\n", CHUNKED_HELLO),
         201, False, "HTAB is OWS: it may precede the value."),
    Case("te_space_after_value", "framing", "RFC 9112 §5.1", post(b"Transfer-Encoding: chunked \t\r\n", CHUNKED_HELLO),
         201, False, "Trailing OWS is not part of the value."),
    Case("te_empty_elements", "framing", "RFC 9110 §5.6.1", post(b"Transfer-Encoding: , chunked,\r\n", CHUNKED_HELLO),
         201, False, "A recipient MUST parse and ignore a reasonable number of empty list elements."),
    Case("no_length_upload", "framing", "RFC 9110 §15.5.12", post(), 411, True,
         "Without Content-Length or Transfer-Encoding a request has no body (§6.3 item 7); an upload needs "
         "one, so httpfsm answers 411 (Length Required) and closes.",
         also_ok=(Alt(201, False, "the request has no body (§6.3 item 7) and an empty upload is accepted."),
                  Alt(200, False, "the request has no body (§6.3 item 7)."))),
    Case("content_length_too_large", "framing", "RFC 9110 §15.5.14", post(b"Content-Length: 99999999\r\n"), 413, True,
         "Content larger than the server will process: 413, sent before the body is read, then close.",
         also_ok=(Alt(413, False, "RFC 9110 §15.5.14: the server MAY close the connection, or keep it and read and "
                      "discard the announced content (the follow-up request is then read as part of it)."),)),
    Case("http10_content_length", "framing", "RFC 9112 §9.3", post(b"Content-Length: 5\r\n", b"hello",
         version=b"HTTP/1.0"), 201, True, "HTTP/1.0 without keep-alive closes after the response."),
    Case("te_in_http10", "framing", "RFC 9112 §6.1", post(b"Transfer-Encoding: chunked\r\n", CHUNKED_HELLO,
         version=b"HTTP/1.0"), 400, True,
         "An HTTP/1.0 message with Transfer-Encoding MUST be treated as having faulty framing, then the "
         "connection closed.", also_ok=(Alt(201, True, "processed, then closed: §6.1 requires only the close."),)),
    Case("gzip_then_chunked", "framing", "RFC 9112 §6.1", post(b"Transfer-Encoding: gzip, chunked\r\n", CHUNKED_HELLO),
         501, True, "A transfer coding the server does not understand SHOULD get 501 (Not Implemented); the "
         "body is unread, so the connection closes.",
         also_ok=(Alt(400, True, "§6.1's 501 is a SHOULD; refusing the request as malformed is a permitted "
                               "deviation."),)),
    # ----------------------------------------------------------------------------------------
    # Chunked transfer coding
    Case("chunk_upper_hex", "chunked", "RFC 9112 §7.1", chunked(b"A\r\n0123456789\r\n0\r\n\r\n"), 201, False,
         "chunk-size = 1*HEXDIG, either case."),
    Case("chunk_leading_zeros", "chunked", "RFC 9112 §7.1", chunked(b"0005\r\nhello\r\n0000\r\n\r\n"), 201, False,
         "chunk-size = 1*HEXDIG: leading zeros are allowed."),
    Case("chunk_many", "chunked", "RFC 9112 §7.1", chunked(b"1\r\nh\r\n2\r\nel\r\n2\r\nlo\r\n0\r\n\r\n"), 201, False,
         "Several chunks, then the last-chunk."),
    Case("chunk_extension", "chunked", "RFC 9112 §7.1.1", chunked(b"5;name=value\r\nhello\r\n0;done\r\n\r\n"), 201,
         False, "A recipient MUST ignore unrecognized chunk extensions."),
    Case("chunk_extension_quoted", "chunked", "RFC 9112 §7.1.1",
         chunked(b'5;name="quoted; \\"value\\""\r\nhello\r\n0\r\n\r\n'), 201, False,
         "chunk-ext-val = token / quoted-string, quoted-pair included."),
    Case("chunk_extension_bws", "chunked", "RFC 9112 §7.1.1", chunked(b"5 ; name = value\r\nhello\r\n0\r\n\r\n"), 201,
         False, "BWS is allowed around \";\" and \"=\" in chunk-ext.",
         also_ok=(Alt(400, True, "BWS is for tolerance of what senders 'should not' send; refused"),)),
    Case("chunk_trailer", "chunked", "RFC 9112 §7.1.2", chunked(b"5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n"), 201,
         False, "A trailer section may follow the last-chunk."),
    Case("chunk_size_overflow", "chunked", "RFC 9112 §7.1", chunked(b"FFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"), 413,
         True, "Recipients MUST prevent integer overflow in chunk-size; httpfsm stops at the digit that "
         "passes --max-body (docs/API.md: body_too_large) and closes.",
         also_ok=(Alt(400, True, "refused as a malformed chunk-size."),)),
    Case("chunk_size_negative", "chunked", "RFC 9112 §7.1", chunked(b"-5\r\nhello\r\n0\r\n\r\n"), 400, True,
         "chunk-size = 1*HEXDIG: no sign."),
    Case("chunk_size_0x", "chunked", "RFC 9112 §7.1", chunked(b"0x5\r\nhello\r\n0\r\n\r\n"), 400, True,
         "chunk-size = 1*HEXDIG: no \"0x\" prefix."),
    Case("chunk_size_empty", "chunked", "RFC 9112 §7.1", chunked(b"\r\nhello\r\n0\r\n\r\n"), 400, True,
         "chunk-size needs at least one digit."),
    Case("chunk_size_space_before", "chunked", "RFC 9112 §7.1", chunked(b" 5\r\nhello\r\n0\r\n\r\n"), 400, True,
         "Nothing precedes the chunk-size."),
    Case("chunk_size_trailing_space", "chunked", "RFC 9112 §7.1.1", chunked(b"5 \r\nhello\r\n0\r\n\r\n"), 400, True,
         "BWS may only precede a \";\" of a chunk-ext; a chunk-size line ends at CRLF.",
         also_ok=(Alt(201, False, "RFC 9110 §2.2 recovery: the whitespace after the digits is skipped."),)),
    Case("chunk_missing_crlf", "chunked", "RFC 9112 §7.1", chunked(b"5\r\nhelloXX0\r\n\r\n"), 400, True,
         "chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF: the data must be followed by CRLF."),
    Case("chunk_data_too_long", "chunked", "RFC 9112 §7.1", chunked(b"3\r\nhello\r\n0\r\n\r\n"), 400, True,
         "More data than the chunk-size announced leaves a chunk not ended by CRLF."),
    Case("chunk_size_bare_lf", "chunked", "RFC 9112 §7.1", chunked(b"5\nhello\r\n0\r\n\r\n"), 400, True,
         "The chunk-size line ends with CRLF.",
         also_ok=(Alt(201, False, "RFC 9112 §2.2's leave to take a bare LF as a line end, applied to chunk lines."),)),
    Case("chunk_data_bare_lf", "chunked", "RFC 9112 §7.1", chunked(b"5\r\nhello\n0\r\n\r\n"), 400, True,
         "chunk-data is followed by CRLF.",
         also_ok=(Alt(201, False, "RFC 9112 §2.2's leave to take a bare LF as a line end, applied to chunk lines."),)),
    Case("chunk_ext_no_name", "chunked", "RFC 9112 §7.1.1", chunked(b"5;=x\r\nhello\r\n0\r\n\r\n"), 400, True,
         "chunk-ext-name = token.", also_ok=(SKIP_EXT,)),
    Case("chunk_ext_unterminated_quote", "chunked", "RFC 9112 §7.1.1", chunked(b'5;a="x\r\nhello\r\n0\r\n\r\n'), 400,
         True, "A quoted-string must be closed before the line ends.",
         also_ok=(SKIP_EXT,)),
    Case("chunk_ext_too_long", "chunked", "RFC 9112 §7.1.1", chunked(b"5;" + b"x" * 300 + b"\r\nhello\r\n0\r\n\r\n"),
         400, True, "A server ought to limit the total length of chunk extensions it parses (docs/API.md: 256 bytes "
         "by default).", also_ok=(Alt(201, False, "RFC 9112 §7.1.1 leaves the limit to the server; this one's is larger."),)),
    Case("trailer_obs_fold", "chunked", "RFC 9112 §7.1.2", chunked(b"5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"), 400,
         True, "Trailer fields follow the field syntax: obs-fold is refused as in the header section.",
         also_ok=(Alt(201, False, "RFC 9112 §7.1.2: a recipient MAY discard the trailer fields; discarded unparsed."),)),
    Case("trailer_too_large", "chunked", "RFC 9112 §7.1.2",
         chunked(b"5\r\nhello\r\n0\r\n" + b"".join(b"X-T%d: %s\r\n" % (i, b"v" * 1000) for i in range(9)) + b"\r\n"),
         431, True, "A trailer section larger than the server accepts (docs/API.md: 8 KiB) gets 431.",
         also_ok=(Alt(201, False, "RFC 9112 §7.1.2 leaves the limit to the server; this one's is larger."),
                  Alt(400, True, "refused as too large"), Alt(413, True, "refused as too large"))),
    # ----------------------------------------------------------------------------------------
    # Request smuggling: every ambiguity of the body length is refused with 400, then a close.
    Case("cl_and_te", "smuggling", "RFC 9112 §6.1", post(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
         CHUNKED_HELLO), 400, True,
         "Content-Length with Transfer-Encoding: a server MAY reject it, or process the Transfer-Encoding "
         "alone and then close the connection. httpfsm rejects.",
         also_ok=(Alt(201, True, "RFC 9112 §6.1: processed as chunked, then the connection closed."),)),
    Case("te_and_cl", "smuggling", "RFC 9112 §6.1", post(b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
         CHUNKED_HELLO), 400, True, "The same with the fields in the other order.",
         also_ok=(Alt(201, True, "RFC 9112 §6.1: processed as chunked, then the connection closed."),)),
    Case("cl_te_smuggled_request", "smuggling", "RFC 9112 §6.1",
         post(b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\nGPOST / HTTP/1.1\r\n" + HOST + b"\r\n"),
         400, True, "The classic CL.TE payload: whichever length a server picks, it must not then read "
         "\"GPOST\" as a second request on this connection.",
         also_ok=(Alt(201, True, "RFC 9112 §6.1: processed as chunked, then the connection closed."),)),
    Case("cl_differing_lines", "smuggling", "RFC 9112 §6.3", post(b"Content-Length: 5\r\nContent-Length: 6\r\n",
         b"hello!"), 400, True, "Differing Content-Length values: invalid framing, " + CLOSE_ON_400),
    Case("cl_differing_list", "smuggling", "RFC 9112 §6.3", post(b"Content-Length: 5, 6\r\n", b"hello!"), 400, True,
         "A list of differing values is invalid. " + CLOSE_ON_400),
    Case("cl_plus", "smuggling", "RFC 9110 §8.6", post(b"Content-Length: +5\r\n", b"hello"), 400, True,
         "Content-Length = 1*DIGIT: no sign. " + CLOSE_ON_400),
    Case("cl_minus", "smuggling", "RFC 9110 §8.6", post(b"Content-Length: -5\r\n", b"hello"), 400, True,
         "Content-Length = 1*DIGIT: no sign. " + CLOSE_ON_400),
    Case("cl_inner_space", "smuggling", "RFC 9110 §8.6", post(b"Content-Length: 5 5\r\n", b"hello"), 400, True,
         "Content-Length = 1*DIGIT: no inner space. " + CLOSE_ON_400),
    Case("cl_hex", "smuggling", "RFC 9110 §8.6", post(b"Content-Length: 0x5\r\n", b"hello"), 400, True,
         "Content-Length is decimal. " + CLOSE_ON_400),
    Case("cl_decimal_point", "smuggling", "RFC 9110 §8.6", post(b"Content-Length: 5.0\r\n", b"hello"), 400, True,
         "Content-Length is an integer. " + CLOSE_ON_400),
    Case("cl_empty", "smuggling", "RFC 9110 §8.6", post(b"Content-Length:\r\n", b"hello"), 400, True,
         "Content-Length needs at least one digit. " + CLOSE_ON_400),
    Case("cl_overflow", "smuggling", "RFC 9110 §8.6", post(b"Content-Length: 99999999999999999999999\r\n", b"hello"),
         400, True, "A recipient MUST anticipate large numerals and prevent integer overflow; a length that does "
         "not fit is invalid.", also_ok=(Alt(413, True, "refused as too large, before the body."),)),
    Case("cl_nul", "smuggling", "RFC 9110 §5.5", post(b"Content-Length: 5\x00\r\n", b"hello"), 400, True,
         "A NUL in a field value makes it invalid; " + CLOSE_ON_400),
    Case("te_xchunked", "smuggling", "RFC 9112 §6.3", post(b"Transfer-Encoding: xchunked\r\n", CHUNKED_HELLO), 400,
         True, "Transfer-Encoding present and chunked not the final coding: the server MUST respond with 400 and "
         "then close (§6.3 item 4)."),
    Case("te_identity", "smuggling", "RFC 9112 §6.3", post(b"Transfer-Encoding: identity\r\n", b"hello"), 400, True,
         "\"identity\" is no transfer coding any more; chunked is not final, so 400 and close (§6.3 item 4).",),
    Case("te_chunked_identity", "smuggling", "RFC 9112 §6.3", post(b"Transfer-Encoding: chunked, identity\r\n",
         CHUNKED_HELLO), 400, True, "chunked is not the final coding: 400 and close (§6.3 item 4).",),
    Case("te_chunked_gzip", "smuggling", "RFC 9112 §6.3", post(b"Transfer-Encoding: chunked, gzip\r\n", CHUNKED_HELLO),
         400, True, "chunked is not the final coding: 400 and close (§6.3 item 4).",),
    Case("te_chunked_twice", "smuggling", "RFC 9112 §6.1", post(b"Transfer-Encoding: chunked, chunked\r\n",
         CHUNKED_HELLO), 400, True, "A sender MUST NOT apply chunked more than once; decoding it once would "
         "read the wrong length."),
    Case("te_duplicate_lines", "smuggling", "RFC 9112 §6.1", post(b"Transfer-Encoding: chunked\r\n"
         b"Transfer-Encoding: chunked\r\n", CHUNKED_HELLO), 400, True,
         "Two lines combine into \"chunked, chunked\" (RFC 9110 §5.3): chunked applied twice."),
    Case("te_lines_chunked_then_identity", "smuggling", "RFC 9112 §6.3", post(b"Transfer-Encoding: chunked\r\n"
         b"Transfer-Encoding: identity\r\n", CHUNKED_HELLO), 400, True,
         "Lines combine in order: \"chunked, identity\", so chunked is not final.",),
    Case("te_lines_gzip_then_chunked", "smuggling", "RFC 9112 §6.1", post(b"Transfer-Encoding: gzip\r\n"
         b"Transfer-Encoding: chunked\r\n", CHUNKED_HELLO), 501, True,
         "Lines combine into \"gzip, chunked\": chunked is final but gzip is not implemented: 501 and close.",
         also_ok=(Alt(400, True, "§6.1's 501 is a SHOULD; refusing the request as malformed is a permitted "
                               "deviation."),)),
    Case("te_chunked_param", "smuggling", "RFC 9112 §6.1", post(b"Transfer-Encoding: chunked;x=1\r\n", CHUNKED_HELLO),
         400, True, "chunked has no parameters; \"chunked;x=1\" is not plain chunked, so chunked is not final.",),
    Case("te_quoted", "smuggling", "RFC 9112 §6.1", post(b'Transfer-Encoding: "chunked"\r\n', CHUNKED_HELLO), 400,
         True, "transfer-coding = token; a quoted string is not one.",),
    Case("te_space_before_colon", "smuggling", "RFC 9112 §5.1", post(b"Transfer-Encoding : chunked\r\n",
         CHUNKED_HELLO), 400, True, "Whitespace between the field name and colon: MUST reject with 400."),
    Case("te_tab_before_colon", "smuggling", "RFC 9112 §5.1", post(b"Transfer-Encoding\t: chunked\r\n",
         CHUNKED_HELLO), 400, True, "HTAB between the field name and colon: MUST reject with 400."),
    Case("te_vertical_tab", "smuggling", "RFC 9110 §5.5", post(b"Transfer-Encoding:\x0bchunked\r\n", CHUNKED_HELLO),
         400, True, "VT is not OWS and not a field-vchar: the line is invalid, never \"chunked\"."),
    Case("te_form_feed", "smuggling", "RFC 9110 §5.5", post(b"Transfer-Encoding:\x0cchunked\r\n", CHUNKED_HELLO),
         400, True, "FF is not OWS and not a field-vchar."),
    Case("te_vertical_tab_after", "smuggling", "RFC 9110 §5.5", post(b"Transfer-Encoding: chunked\x0b\r\n",
         CHUNKED_HELLO), 400, True, "VT after the value is not OWS."),
    Case("te_obs_fold", "smuggling", "RFC 9112 §5.2", post(b"X-Pad: 1\r\n Transfer-Encoding: chunked\r\n",
         CHUNKED_HELLO), 400, True, "A line starting with SP continues the previous field (obs-fold): "
         "Transfer-Encoding hides inside X-Pad for a lenient parser. MUST reject with 400 or unfold.",
         also_ok=(Alt(411, True, "unfolded into X-Pad, the upload has no length (httpfsm's endpoint)."),
                  Alt(201, False, "unfolded into X-Pad, the request has no body; then the chunked bytes follow."),)),
    Case("te_folded_value", "smuggling", "RFC 9112 §5.2", post(b"Transfer-Encoding: x\r\n chunked\r\n", CHUNKED_HELLO),
         400, True, "obs-fold inside the Transfer-Encoding value: reject with 400 (unfolding gives "
         "\"x chunked\", which is not a valid coding list either)."),
    Case("te_first_line_indented", "smuggling", "RFC 9112 §2.2", b"POST /files/case HTTP/1.1\r\n Transfer-Encoding: "
         b"chunked\r\n" + HOST + b"\r\n" + CHUNKED_HELLO, 400, True,
         "Whitespace between the start-line and the first field line: MUST reject, or consume the line without "
         "processing it (so no chunked).",
         also_ok=(Alt(411, True, "the line consumed unprocessed; the upload has no length."),)),
    Case("te_nul", "smuggling", "RFC 9110 §5.5", post(b"Transfer-Encoding: chunked\x00\r\n", CHUNKED_HELLO), 400,
         True, "A NUL in a field value: MUST reject or replace with SP (and \"chunked \" is then chunked)."),
    Case("te_http10_with_cl", "smuggling", "RFC 9112 §6.1", post(b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
         CHUNKED_HELLO, version=b"HTTP/1.0"), 400, True,
         "HTTP/1.0 with Transfer-Encoding has faulty framing even with a Content-Length; close after it.",
         also_ok=(Alt(201, True, "processed, then closed."),)),
    Case("expect_with_cl_te", "smuggling", "RFC 9110 §10.1.1", post(b"Expect: 100-continue\r\nContent-Length: 5\r\n"
         b"Transfer-Encoding: chunked\r\n", CHUNKED_HELLO), 400, True,
         "A bad framing is answered with the final status, never 100 (Continue) first.",
         also_ok=(Alt(201, True, "RFC 9112 §6.1: processed as chunked, then the connection closed."),)),
]

BY_ID = {c.id: c for c in CASES}
assert len(BY_ID) == len(CASES), "duplicate case ids"


def in_group(group):
    return [c for c in CASES if c.group == group]
