"""Limits exactly at and one past each bound (docs/API.md "Limits", README flags): 414 for the
request-target, 431 for one field line, the number of field lines and the whole head, 413
for the body, 408 for a head that takes too long, 503 past --max-connections. At the bound
the request is served; one byte (or one line, or one connection) more gets the status."""

import re
import select
import time

import pytest

import cases
import rawhttp
from checks import assert_well_formed

MAX_TARGET = 8192
MAX_FIELD_LINE = 8192
MAX_FIELDS = 100
MAX_HEAD = 65536
REQUEST_LINE = b"GET /echo/x HTTP/1.1\r\n"
HOST_LINE = b"Host: 127.0.0.1\r\n"


def refused(port, data, status):
    r, closed = rawhttp.exchange(port, data)
    assert (r.status, closed) == (status, True), r
    assert_well_formed(r)


def head_of_size(total):
    """A GET whose head, from the first byte to the empty line's LF, is exactly `total` bytes,
    made of field lines under the line limit."""
    fill = total - len(REQUEST_LINE) - len(HOST_LINE) - 2
    lines = []
    i = 0
    while fill > 0:
        prefix = b"X-Fill-%02d: " % i
        size = min(8000, fill)
        if 0 < fill - size < len(prefix) + 3:  # leave room for a last, valid line
            size -= len(prefix) + 3
        lines.append(prefix + b"v" * (size - len(prefix) - 2) + b"\r\n")
        fill -= size
        i += 1
    head = REQUEST_LINE + HOST_LINE + b"".join(lines) + b"\r\n"
    assert len(head) == total and len(lines) < MAX_FIELDS
    return head


def test_target_exactly_at_the_limit(server):
    """docs/API.md max_target (RFC 9112 §3: at least 8000 octets of request-line recommended):
    an 8192-byte target is served."""
    target = b"/echo/" + b"a" * (MAX_TARGET - 6)
    r = rawhttp.request(server.port, b"GET " + target + b" HTTP/1.1\r\n" + HOST_LINE + b"\r\n")
    assert (r.status, len(r.body)) == (200, MAX_TARGET - 6)


def test_target_one_past_the_limit_414(server):
    """RFC 9110 §15.5.15: a target longer than the server will interpret gets 414; the
    connection closes because the rest of the head is unread."""
    target = b"/echo/" + b"a" * (MAX_TARGET - 5)
    refused(server.port, b"GET " + target + b" HTTP/1.1\r\n" + HOST_LINE + b"\r\n", 414)


def test_field_line_exactly_at_the_limit(server):
    """docs/API.md max_field_line: a field line of 8192 bytes, CRLF included, is accepted."""
    value = b"u" * (MAX_FIELD_LINE - len(b"User-Agent: ") - 2)
    r = rawhttp.request(server.port, b"GET /user-agent HTTP/1.1\r\n" + HOST_LINE + b"User-Agent: " + value + b"\r\n\r\n")
    assert (r.status, r.body) == (200, value)


def test_field_line_one_past_the_limit_431(server):
    """RFC 6585 §5: 431 for a field line that is too large (one byte past the limit)."""
    value = b"u" * (MAX_FIELD_LINE - len(b"User-Agent: ") - 1)
    refused(server.port, b"GET /user-agent HTTP/1.1\r\n" + HOST_LINE + b"User-Agent: " + value + b"\r\n\r\n", 431)


def test_fields_exactly_at_the_limit(server):
    """docs/API.md max_fields: 100 field lines (Host included) are accepted."""
    extra = b"".join(b"X-F%d: v\r\n" % i for i in range(MAX_FIELDS - 1))
    r = rawhttp.request(server.port, REQUEST_LINE + HOST_LINE + extra + b"\r\n")
    assert (r.status, r.body) == (200, b"x")


def test_fields_one_past_the_limit_431(server):
    """RFC 6585 §5: 431 for too many field lines (101)."""
    extra = b"".join(b"X-F%d: v\r\n" % i for i in range(MAX_FIELDS))
    refused(server.port, REQUEST_LINE + HOST_LINE + extra + b"\r\n", 431)


def test_head_exactly_at_the_limit(server):
    """docs/API.md max_head: a head of exactly 65536 bytes (each line within its own limit)
    is accepted."""
    r = rawhttp.request(server.port, head_of_size(MAX_HEAD))
    assert (r.status, r.body) == (200, b"x")


def test_head_one_past_the_limit_431(server):
    """RFC 6585 §5: 431 for a head one byte larger than the limit."""
    refused(server.port, head_of_size(MAX_HEAD + 1), 431)


@pytest.fixture(scope="module")
def small_body(server_factory):
    return server_factory("--max-body", "1k")


def test_content_length_at_max_body(small_body):
    """README --max-body SIZE ("1k" = 1024 bytes): a 1024-byte body is accepted."""
    r = rawhttp.request(small_body.port, cases.post(b"Content-Length: 1024\r\n", b"b" * 1024, b"/files/at"))
    assert r.status == 201
    assert (small_body.files / "at").stat().st_size == 1024


def test_content_length_past_max_body_413(small_body):
    """RFC 9110 §15.5.14: 1025 bytes get 413, from the head alone, and the connection closes."""
    refused(small_body.port, cases.post(b"Content-Length: 1025\r\n", b"b" * 1025, b"/files/past"), 413)
    assert not (small_body.files / "past").exists()


def test_chunked_at_max_body(small_body):
    """docs/API.md max_body counts decoded content: 1024 bytes in two chunks are accepted."""
    body = b"200\r\n" + b"c" * 512 + b"\r\n200\r\n" + b"c" * 512 + b"\r\n0\r\n\r\n"
    assert rawhttp.request(small_body.port, cases.chunked(body)).status == 201


def test_chunked_past_max_body_413(small_body):
    """RFC 9110 §15.5.14: a chunked body passing the limit gets 413 at the chunk-size that
    passes it, closes, and leaves no file."""
    body = b"200\r\n" + b"c" * 512 + b"\r\n201\r\n" + b"c" * 513 + b"\r\n0\r\n\r\n"
    refused(small_body.port, cases.post(b"Transfer-Encoding: chunked\r\n", body, b"/files/chunkpast"), 413)
    assert not (small_body.files / "chunkpast").exists()


@pytest.fixture(scope="module")
def short_timeouts(server_factory):
    return server_factory("--header-timeout", "1", "--idle-timeout", "1")


def test_incomplete_head_gets_408(short_timeouts):
    """RFC 9110 §15.5.9 (README --header-timeout): a head not complete within the header
    timeout gets 408 and the connection closes."""
    with rawhttp.Connection(short_timeouts.port) as c:
        c.send(b"GET /echo/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        r = c.read_response()
        assert (r.status, r.closes) == (408, True)
        assert_well_formed(r)
        assert c.wait_closed()


def test_slowloris_head_gets_408_although_bytes_keep_coming(short_timeouts):
    """README --header-timeout: "time to send a request head once it started": a client that
    sends one byte every 0.1 s never completes its head in time and gets 408; it cannot keep
    the connection by trickling."""
    head = b"GET /echo/trickle HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Pad: " + b"p" * 400 + b"\r\n\r\n"
    with rawhttp.Connection(short_timeouts.port) as c:
        for byte in head:  # 45 s of bytes; the answer stops the trickle long before
            c.send(bytes([byte]))
            readable, _, _ = select.select([c.sock], [], [], 0.1)
            if readable:
                break
        else:
            raise AssertionError("the whole trickled head was accepted")
        r = c.read_response()
        assert (r.status, r.closes) == (408, True)


def test_connection_without_a_request_closes_silently(short_timeouts):
    """README: an idle connection is closed silently: a client that connects and sends
    nothing is closed after the timeout with no 408."""
    with rawhttp.Connection(short_timeouts.port) as c:
        assert c.wait_closed(timeout=15)


def test_empty_lines_only_close_silently(short_timeouts):
    """RFC 9112 §2.2: CRLFs before a request-line are not a request; a connection that sent
    only those is idle and is closed without an answer."""
    with rawhttp.Connection(short_timeouts.port) as c:
        c.send(b"\r\n\r\n")
        assert c.wait_closed(timeout=15)


def test_stalled_upload_gets_408_and_leaves_nothing(short_timeouts):
    """README --idle-timeout ("the limit for a stalled body"): an upload whose body stops
    arriving gets 408, closes, and its partial file is removed."""
    with rawhttp.Connection(short_timeouts.port) as c:
        c.send(cases.post(b"Content-Length: 10\r\n", b"12345", b"/files/stalled"))
        r = c.read_response()
        assert (r.status, r.closes) == (408, True)
        assert c.wait_closed()
    assert list(short_timeouts.files.iterdir()) == [short_timeouts.files / "foo"]


@pytest.fixture(scope="module")
def idle_2s(server_factory):
    return server_factory("--idle-timeout", "2")


def test_slow_but_steady_upload_is_not_cut(idle_2s):
    """README --idle-timeout restarts with each progress: a body sent in 12 pieces 0.25 s apart
    (3 s in all, longer than the 2 s timeout) completes."""
    with rawhttp.Connection(idle_2s.port) as c:
        c.send(cases.post(b"Content-Length: 12\r\n", b"", b"/files/steady"))
        for i in range(12):
            time.sleep(0.25)
            c.send(b"%x" % i)
        assert c.read_response().status == 201
    assert (idle_2s.files / "steady").read_bytes() == b"0123456789ab"


def test_stalled_reader_is_cut_after_the_idle_timeout(short_timeouts):
    """README --idle-timeout ("the limit for a stalled ... reader"): a client that stops
    reading a 32 MiB download (more than the socket buffers hold) is disconnected after the
    idle time, before the file is through."""
    size = 32 << 20
    (short_timeouts.files / "stall.bin").write_bytes(b"s" * size)
    with rawhttp.Connection(short_timeouts.port, timeout=30) as c:
        c.send(rawhttp.get("/files/stall.bin"))
        time.sleep(3)  # three idle timeouts without reading a byte
        received = 0
        while True:
            try:
                chunk = c.sock.recv(1 << 20)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += len(chunk)
        assert received < size, "the whole file arrived although the reader stalled"
    (short_timeouts.files / "stall.bin").unlink()


def test_slow_but_steady_reader_is_not_cut(short_timeouts):
    """README --idle-timeout ("the limit for a stalled ... reader"): a reader that keeps taking
    bytes, 1 MiB every 0.5 s for 5 s (five times the timeout), gets the whole 10 MiB file,
    although the socket buffers hide its progress from the server for longer than the
    timeout (at this pace and timeout the download was cut before the worker learned to
    read the socket's send queue, SIOCOUTQ)."""
    data = bytes(range(256)) * (40 << 10)
    (short_timeouts.files / "steady.bin").write_bytes(data)
    with rawhttp.Connection(short_timeouts.port, timeout=30) as c:
        c.send(rawhttp.get("/files/steady.bin"))
        got = bytearray()
        expected = None  # head + Content-Length, once the head is in
        while expected is None or len(got) < expected:
            time.sleep(0.5)
            want = 1 << 20 if expected is None else min(1 << 20, expected - len(got))
            while want > 0:
                chunk = c.sock.recv(min(want, 1 << 16))
                assert chunk, f"the connection closed after {len(got)} bytes"
                got += chunk
                want -= len(chunk)
            if expected is None:
                end = got.index(b"\r\n\r\n") + 4
                expected = end + int(re.search(rb"Content-Length: (\d+)", got[:end]).group(1))
        head, body = bytes(got).split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200 ")
        assert body == data
    (short_timeouts.files / "steady.bin").unlink()


def test_max_connections_503(server_factory):
    """README --max-connections N: N connections are served; one more is answered 503 with
    Retry-After (RFC 9110 §15.6.4, §10.2.3) and closed; after one closes, a new connection is
    served again."""
    s = server_factory("--max-connections", "2")
    a = rawhttp.Connection(s.port)
    b = rawhttp.Connection(s.port)
    try:
        for c in (a, b):  # both accepted and served: at the bound
            c.send(rawhttp.get("/echo/in"))
            assert c.read_response().body == b"in"
        with rawhttp.Connection(s.port) as extra:
            r = extra.read_response()
            assert (r.status, r.closes) == (503, True)
            assert r.header("Retry-After") == "1"
            assert_well_formed(r)
            assert extra.wait_closed()
        a.close()
        deadline = time.monotonic() + 15
        while True:  # the slot frees once the server has read a's EOF
            with rawhttp.Connection(s.port) as again:
                again.send(rawhttp.get("/echo/again"))
                r = again.read_response()
                if r.status == 200:
                    assert r.body == b"again"
                    break
                assert r.status == 503 and time.monotonic() < deadline, "the closed connection's slot was not freed"
                time.sleep(0.1)
        b.send(rawhttp.get("/echo/still"))
        assert b.read_response().body == b"still"
    finally:
        a.close()
        b.close()
