"""RFC 9112 §9: connection management. Persistence by default in HTTP/1.1, "Connection:
close", HTTP/1.0 with and without keep-alive, pipelining answered in order, requests split
into tiny writes, half-close."""

import socket
import time

import requests

import rawhttp
import tlsmode
from checks import assert_well_formed


def test_keep_alive_reuses_one_connection(server):
    """RFC 9112 §9.3: HTTP/1.1 persists by default: five requests, one after the other, on one
    connection, none of the answers closing."""
    with rawhttp.Connection(server.port) as c:
        for i in range(5):
            c.send(rawhttp.get(f"/echo/r{i}"))
            r = c.read_response()
            assert (r.status, r.body, r.closes) == (200, f"r{i}".encode(), False)
            assert_well_formed(r)


def test_requests_session_reuses_its_connection(server):
    """RFC 9112 §9.3, through an ordinary client: requests.Session keeps one socket for
    consecutive requests (the server-side port of the peer stays the same)."""
    with requests.Session() as s:
        first = s.get(server.url + "/echo/a", timeout=15, stream=True)
        sock_a = first.raw._connection.sock.getsockname()
        first.content
        second = s.get(server.url + "/echo/b", timeout=15, stream=True)
        sock_b = second.raw._connection.sock.getsockname()
        second.content
        assert (first.text, second.text) == ("a", "b")
        assert sock_a == sock_b


def test_connection_close_is_honoured(server):
    """RFC 9112 §9.6: a request with "Connection: close" is the last one: the response says
    close and the server closes the connection after it."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get("/echo/bye", [("Connection", "close")]))
        r = c.read_response()
        assert (r.status, r.body, r.closes) == (200, b"bye", True)
        assert c.wait_closed()


def test_connection_close_option_is_case_insensitive_and_in_a_list(server):
    """RFC 9110 §7.6.1: connection options are case-insensitive tokens in a list."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get("/", [("Connection", "Keep-Alive, CLOSE")]))
        assert c.read_response().closes
        assert c.wait_closed()


def test_pipelined_requests_after_close_are_not_answered(server):
    """RFC 9112 §9.6: a server MUST NOT process further requests after the one with "close"."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get("/echo/1", [("Connection", "close")]) + rawhttp.get("/echo/2"))
        r = c.read_response()
        assert (r.body, r.closes) == (b"1", True)
        assert c.wait_closed()


def test_http10_closes_by_default(server):
    """RFC 9112 §9.3: HTTP/1.0 without keep-alive is not persistent: the server closes after the
    response (README: "HTTP/1.0 closes unless it asked for keep-alive")."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"GET /echo/old HTTP/1.0\r\n\r\n")
        r = c.read_response()
        assert (r.status, r.body, r.version) == (200, b"old", "1.1")
        assert r.header("Connection", "").lower() != "keep-alive"
        assert c.wait_closed()


def test_http10_keep_alive_persists(server):
    """RFC 9112 §9.3 and Appendix C.2.2: an HTTP/1.0 client that sent "Connection: keep-alive"
    gets "Connection: keep-alive" back and the connection stays open for its next request."""
    with rawhttp.Connection(server.port) as c:
        for i in range(3):
            c.send(f"GET /echo/k{i} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".encode())
            r = c.read_response()
            assert (r.body, r.header("Connection")) == (f"k{i}".encode(), "keep-alive")


def test_ten_pipelined_requests_in_one_write_are_answered_in_order(server):
    """RFC 9112 §9.3.2: a server MUST send its responses in the order the requests were
    received: ten requests in one write, ten answers in order."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"".join(rawhttp.get(f"/echo/p{i}") for i in range(10)))
        rs = c.read_responses(10)
        assert [r.body for r in rs] == [f"p{i}".encode() for i in range(10)]
        assert all(r.status == 200 and not r.closes for r in rs)


def test_pipelined_mixed_methods_stay_in_step(server):
    """RFC 9112 §9.3.2: HEAD, GET, POST with a body and OPTIONS pipelined together: each
    answered in order, the HEAD one without a body (RFC 9110 §9.3.2)."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"HEAD /echo/h HTTP/1.1\r\nHost: x\r\n\r\n" + rawhttp.get("/echo/g")
               + b"POST /files/pipelined HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
               + b"OPTIONS /files/pipelined HTTP/1.1\r\nHost: x\r\n\r\n" + rawhttp.get("/files/pipelined"))
        head = c.read_response(head_request=True)
        rest = c.read_responses(4)
        assert (head.status, head.header("Content-Length"), head.body) == (200, "1", b"")
        assert [r.status for r in rest] == [200, 201, 200, 200]
        assert rest[0].body == b"g" and rest[3].body == b"abc"


def test_request_in_one_byte_writes(server):
    """RFC 9112 §2: the message is a byte stream; a request sent one byte per write (with
    TCP_NODELAY, so the writes really arrive apart) gets the same answer as in one write."""
    with rawhttp.Connection(server.port) as c:
        c.send_in_pieces(rawhttp.get("/echo/slowly", [("User-Agent", "bytewise")]), 1)
        r = c.read_response()
        assert (r.status, r.body) == (200, b"slowly")


def test_upload_in_one_byte_writes_then_get(server):
    """RFC 9112 §6.3: a head and a Content-Length body in one-byte writes, then a GET of the
    upload on the same connection."""
    with rawhttp.Connection(server.port) as c:
        c.send_in_pieces(b"POST /files/bytewise HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsplit!", 1)
        assert c.read_response().status == 201
        c.send(rawhttp.get("/files/bytewise"))
        assert c.read_response().body == b"split!"


def test_half_close_after_the_request_still_gets_the_answer(server):
    """RFC 9112 §9.6: a client may close its sending side after the request; the server still
    answers, then closes."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get("/echo/half"))
        c.shutdown_write()
        r = c.read_response()
        assert (r.status, r.body) == (200, b"half")
        assert c.wait_closed()


def test_half_close_after_pipelined_requests_answers_all(server):
    """RFC 9112 §9.6: the same with three pipelined requests: all three are answered."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"".join(rawhttp.get(f"/echo/h{i}") for i in range(3)))
        c.shutdown_write()
        assert [r.body for r in c.read_responses(3)] == [b"h0", b"h1", b"h2"]
        assert c.wait_closed()


def test_eof_inside_a_head_closes_without_an_answer(server):
    """RFC 9112 §8: an incomplete message (the close came inside the head) is not answered."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"GET /echo/cut HTTP/1.1\r\nHost: x\r\n")
        c.shutdown_write()
        assert c.wait_closed()


def test_idle_keep_alive_connection_closes_silently(server_factory):
    """README (--idle-timeout): an idle keep-alive connection is closed silently after the
    idle time: no 408 for a client that was between requests."""
    s = server_factory("--idle-timeout", "0.5")
    with rawhttp.Connection(s.port) as c:
        start = time.monotonic()
        c.send(rawhttp.get("/echo/x"))
        assert c.read_response().status == 200
        assert c.wait_closed(timeout=15), "the idle connection was not closed"
        # A lower bound only: the idle timer cannot have started before the request was sent.
        assert time.monotonic() - start >= 0.4


def test_many_sequential_connections(server):
    """RFC 9112 §9: opening and closing 200 connections one after another leaves the server
    serving (descriptors are checked when the module ends)."""
    for i in range(200):
        with tlsmode.wrap(socket.create_connection(("127.0.0.1", server.port), timeout=15), server.port) as s:
            s.sendall(rawhttp.get(f"/echo/{i}", [("Connection", "close")]))
            data = rawhttp.read_until_close(s)
            assert data.startswith(b"HTTP/1.1 200 OK\r\n") and data.endswith(f"\r\n\r\n{i}".encode())


def test_pipelined_responses_larger_than_the_socket_buffers(server):
    """RFC 9112 §9.3.2: 30 pipelined GETs of a 200 KiB file (6 MiB of answers, far more than
    the socket buffers) sent before reading anything: all answered, in order, complete."""
    data = bytes(range(256)) * 800
    (server.files / "pipe-big").write_bytes(data)
    with rawhttp.Connection(server.port, timeout=60) as c:
        c.send(b"".join(rawhttp.get("/files/pipe-big", [("X-N", str(i))]) for i in range(30)))
        for _ in range(30):
            r = c.read_response()
            assert (r.status, r.body) == (200, data)


def test_upload_with_connection_close(server):
    """RFC 9112 §9.6: "Connection: close" on an upload: 201, then the close."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"POST /files/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
        r = c.read_response()
        assert (r.status, r.closes) == (201, True)
        assert c.wait_closed()
    assert (server.files / "last").read_bytes() == b"ok"
