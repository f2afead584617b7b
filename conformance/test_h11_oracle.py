"""An independent oracle for the response side: python3-h11 (Debian) and httpfsm parse the
same response bytes, and must agree on each message's status, fields and body (so on its
framing, RFC 9112 §6.3), or on refusing it. Where they do not, the difference is listed below
with both outcomes pinned and the reason: h11 is lenient in places where httpfsm follows the
ABNF or treats a smuggling shape as an error.

httpfsm's side is `httpfsm-inspect --response --method M --json` (tools/inspect), found beside
the server under test in the same build tree.
"""
import json
import os
import pathlib
import subprocess

import h11
import pytest


def inspect_binary():
    server = pathlib.Path(os.environ["HTTPFSM_SERVER"])
    tool = server.parents[1] / "tools" / "inspect" / "httpfsm-inspect"
    assert tool.exists(), f"httpfsm-inspect not built at {tool}"
    return tool


def httpfsm_outcome(method, data, tmp_path):
    path = tmp_path / "responses.http"
    path.write_bytes(data)
    run = subprocess.run(
        [str(inspect_binary()), "--response", "--method", method, "--json", str(path)],
        capture_output=True, timeout=30, check=False)
    assert run.returncode in (0, 1), run.stderr
    messages = []
    for line in run.stdout.decode().splitlines():
        m = json.loads(line)
        if not m["valid"]:
            messages.append("error")
            break
        fields = [(f["name"].lower(), f["value"]) for f in m["fields"]]
        messages.append((m["status"], fields, m["content_bytes"]))
    return messages


def h11_outcome(method, data):
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=method, target="/", headers=[("Host", "a")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(data)
    conn.receive_data(b"")  # the server closed: ends a close-delimited body
    messages = []
    body = 0
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED or isinstance(event, h11.ConnectionClosed):
                return messages
            if isinstance(event, (h11.InformationalResponse, h11.Response)):
                fields = [(n.decode().lower(), v.decode()) for n, v in event.headers]
                messages.append([event.status_code, fields, 0])
                if isinstance(event, h11.InformationalResponse):
                    messages[-1] = tuple(messages[-1])
            elif isinstance(event, h11.Data):
                body += len(event.data)
            elif isinstance(event, h11.EndOfMessage):
                messages[-1][2] = body
                messages[-1] = tuple(messages[-1])
                body = 0
    except h11.RemoteProtocolError:
        # As httpfsm-inspect reports it: the complete messages, then the failing one as "error".
        return [m for m in messages if isinstance(m, tuple)] + ["error"]


# (name, method of the request, response bytes): both parsers must give the same outcome.
AGREE = [
    ("content_length", "GET", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello"),
    ("empty_reason", "GET", b"HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok"),
    ("chunked_with_trailer", "GET",
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX: y\r\n\r\n"),
    ("close_delimited_http10", "GET", b"HTTP/1.0 200 OK\r\nServer: old\r\n\r\nto the end"),
    ("close_delimited_http11", "GET", b"HTTP/1.1 200 OK\r\n\r\nto the end"),
    ("head_with_content_length", "HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"),
    ("no_content_with_length", "GET", b"HTTP/1.1 204 No Content\r\n\r\n"),
    ("not_modified", "GET", b"HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n"),
    ("continue_then_final", "POST",
     b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx"),
    ("early_hints_then_final", "GET",
     b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    ("truncated_body", "GET", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"),
    ("truncated_head", "GET", b"HTTP/1.1 200 OK\r\nContent-Le"),
    ("bad_content_length", "GET", b"HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n"),
    ("differing_content_lengths", "GET",
     b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
    ("bad_chunk_size", "GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    ("space_before_colon", "GET", b"HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"),
]

# (name, method, bytes, h11's outcome, httpfsm's outcome, why they differ).
DIFFER = [
    ("status_line_without_sp", "GET", b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
     [(200, [("content-length", "2")], 2)], ["error"],
     "RFC 9112 §4 requires the SP after the status-code even with no reason-phrase; h11's "
     "regex makes it optional. httpfsm follows the ABNF (bad_status_line)."),
    ("te_and_cl", "GET",
     b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     [(200, [("content-length", "2"), ("transfer-encoding", "chunked")], 0)], ["error"],
     "RFC 9112 §6.3 item 3: Transfer-Encoding overrides Content-Length, but the message "
     "'ought to be handled as an error' (response splitting); h11 takes chunked, httpfsm "
     "refuses it (te_with_cl)."),
    ("unknown_coding", "GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc",
     ["error"], [(200, [("transfer-encoding", "gzip")], 3)],
     "RFC 9112 §6.3 item 4: with chunked not the final coding, a response is read until the "
     "close; h11 supports only chunked and refuses it."),
    ("status_600", "GET", b"HTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n",
     [(600, [("content-length", "0")], 0)], ["error"],
     "RFC 9110 §15: valid status codes are 100-599; h11 takes any three digits."),
    ("obs_fold", "GET", b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n",
     [(200, [("x", "a b"), ("content-length", "0")], 0)], ["error"],
     "RFC 9112 §5.2 lets a recipient unfold or reject obs-fold; h11 unfolds, httpfsm rejects "
     "(obs_fold), as on the request side."),
    ("http2_version", "GET", b"HTTP/2.0 200 OK\r\n\r\n", [(200, [], 0)], ["error"],
     "h11 reads any HTTP/x.y status-line; an HTTP/1.1 message with major version 2 is not one "
     "httpfsm can read (unsupported_version, RFC 9110 §2.5)."),
    ("bare_lf_status_line", "GET", b"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
     [(200, [("content-length", "0")], 0)], ["error"],
     "RFC 9112 §2.2: a recipient MAY take a bare LF as a line terminator; h11 does, httpfsm "
     "rejects it (bare_lf), as on the request side, since parsers that differ here can be "
     "desynchronised."),
]


@pytest.mark.parametrize("name,method,data", AGREE, ids=[c[0] for c in AGREE])
def test_h11_and_httpfsm_agree(name, method, data, tmp_path):
    ours = httpfsm_outcome(method, data, tmp_path)
    assert ours, name
    assert h11_outcome(method, data) == ours


@pytest.mark.parametrize("name,method,data,theirs,ours,why", DIFFER, ids=[c[0] for c in DIFFER])
def test_listed_differences_are_exactly_as_described(name, method, data, theirs, ours, why,
                                                     tmp_path):
    assert why
    assert h11_outcome(method, data) == theirs
    assert httpfsm_outcome(method, data, tmp_path) == ours
