"""Request smuggling and ambiguity (RFC 9112 §6.1, §6.3, §5.1, §5.2, §2.2; RFC 9110 §5.5,
§8.6): every request whose framing two parsers could read differently is refused and the
connection closed, from cases.py (group "smuggling")."""

import pytest

import cases
import rawhttp
from checks import assert_case


@pytest.mark.parametrize("case", cases.in_group("smuggling"), ids=lambda c: c.id)
def test_smuggling_case(server, case):
    """Each vector is answered with its status (400, or 501 for a coding we do not implement
    when chunked is final) and the connection closed: nothing after it is read as a request."""
    assert_case(server.port, case)


def test_smuggled_request_after_cl_te_is_never_answered(server):
    """RFC 9112 §6.1: after refusing CL+TE the server closes, so the request hidden in the
    body ("GET /echo/smuggled") is never answered on that connection."""
    hidden = rawhttp.get("/echo/smuggled")
    body = b"0\r\n\r\n" + hidden
    with rawhttp.Connection(server.port) as c:
        c.send(cases.post(b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(body), body))
        r = c.read_response()
        assert r.status == 400
        assert c.wait_closed()


def test_te_cl_desync_payload_is_refused(server):
    """RFC 9112 §6.1: the TE.CL form (a front end reading Content-Length: 4 would forward the
    rest as a new request) is refused as a whole."""
    smuggled = b"5c\r\nGPOST / HTTP/1.1\r\nContent-Type: x\r\nContent-Length: 15\r\n\r\nx=1\r\n0\r\n\r\n"
    r, closed = rawhttp.exchange(server.port, cases.post(b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", smuggled))
    assert (r.status, closed) == (400, True)


def test_rejected_upload_creates_no_file(server):
    """An ambiguous upload is refused before any byte reaches the directory."""
    r, closed = rawhttp.exchange(server.port, cases.post(b"Content-Length: 5\r\nContent-Length: 6\r\n", b"hello!", b"/files/ambiguous"))
    assert (r.status, closed) == (400, True)
    assert not (server.files / "ambiguous").exists()


def test_error_stops_the_pipeline(server):
    """RFC 9112 §9.6 and §6.3: after a framing error the server closes; pipelined requests
    behind the bad one are not answered."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get("/echo/1") + b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n" + rawhttp.get("/echo/3"))
        first, second = c.read_responses(2)
        assert (first.status, first.body, second.status) == (200, b"1", 400)
        assert c.wait_closed()
