"""RFC 9110 §10.1.1: Expect: 100-continue. The 100 path (the server asks for the body before
reading it) and the early-error path (the final status instead, the body never read)."""

import rawhttp
from checks import assert_well_formed

HEAD = b"POST /files/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n"


def test_100_continue_comes_before_the_body_is_sent(server):
    """RFC 9110 §10.1.1: a server that will read the body sends 100 (Continue) when it received
    only the head; then the body gets the final 201."""
    with rawhttp.Connection(server.port) as c:
        c.send(HEAD % (b"expected", 5))
        interim = c.read_response()
        assert (interim.status, interim.reason, interim.fields) == (100, "Continue", [])
        c.send(b"hello")
        final = c.read_response()
        assert final.status == 201
        assert_well_formed(final)
        assert not final.closes
    assert (server.files / "expected").read_bytes() == b"hello"


def test_100_continue_expectation_is_case_insensitive(server):
    """RFC 9110 §10.1.1: the expectation "100-continue" is matched case-insensitively."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"POST /files/exp2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n")
        assert c.read_response().status == 100
        c.send(b"ok")
        assert c.read_response().status == 201


def test_body_sent_without_waiting_is_fine(server):
    """RFC 9110 §10.1.1: a client need not wait for 100; the server may still send it. Head and
    body in one write: an optional 100, then 201."""
    with rawhttp.Connection(server.port) as c:
        c.send(HEAD % (b"eager", 3) + b"abc")
        final, interim = c.read_final()
        assert final.status == 201
        assert [r.status for r in interim] in ([], [100])
    assert (server.files / "eager").read_bytes() == b"abc"


def test_error_instead_of_100_when_the_body_is_not_wanted(server_factory):
    """RFC 9110 §10.1.1: a server that will not read the body answers the final status without
    100; since the client may or may not send the body now, the connection closes (README:
    "or the final error without reading it")."""
    s = server_factory("--auth-token", "s3cret")
    with rawhttp.Connection(s.port) as c:
        c.send(HEAD % (b"guarded", 5))
        r = c.read_response()
        assert (r.status, r.closes) == (401, True)
        assert c.wait_closed()
    assert not (s.files / "guarded").exists()


def test_413_instead_of_100(server_factory):
    """RFC 9110 §10.1.1 and §15.5.14: a Content-Length over --max-body gets 413 at once, no
    100, and the connection closes without the body being read."""
    s = server_factory("--max-body", "100")
    with rawhttp.Connection(s.port) as c:
        c.send(HEAD % (b"huge", 101))
        r = c.read_response()
        assert (r.status, r.closes) == (413, True)
        assert c.wait_closed()


def test_405_instead_of_100(server):
    """RFC 9110 §10.1.1: the early final status is whatever the request earns: a POST to
    /echo is 405 with Allow, without 100, and the connection closes."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"POST /echo/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        r = c.read_response()
        assert (r.status, r.closes) == (405, True)
        assert r.header("Allow") == "GET, HEAD, OPTIONS"
        assert c.wait_closed()


def test_100_continue_in_http10_is_ignored(server):
    """RFC 9110 §10.1.1: a server that receives 100-continue in an HTTP/1.0 request MUST ignore
    that expectation: no 100, just the final answer once the body arrives."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"POST /files/old HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc")
        r = c.read_response()
        assert r.status == 201  # a 100 here would have been read first and failed this
    assert (server.files / "old").read_bytes() == b"abc"


def test_unknown_expectation_is_ignored(server):
    """RFC 9110 §10.1.1: only 100-continue is defined; a server MAY answer 417 to others, and
    httpfsm ignores them: the request is served."""
    r = rawhttp.request(server.port, rawhttp.get("/echo/e", [("Expect", "something-else")]))
    assert (r.status, r.body) == (200, b"e")
