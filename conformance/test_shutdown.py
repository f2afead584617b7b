"""README: "SIGINT and SIGTERM stop accepting, let in-flight requests finish (at most
`--shutdown-timeout`, 10 s by default) and exit 0". A large download in flight at SIGTERM completes; new connections are refused; the
process exits 0; a client that stalls past the drain time does not keep it alive."""

import errno
import hashlib
import os
import signal
import socket
import time

import pytest

import rawhttp

SIZE = 20 << 20


def start_download(server):
    data = os.urandom(1 << 20) * (SIZE >> 20)
    (server.files / "big").write_bytes(data)
    c = rawhttp.Connection(server.port, timeout=60)
    c.send(rawhttp.get("/files/big"))
    return c, hashlib.sha256(data).digest()


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except OSError as e:
        return e.errno == errno.ECONNREFUSED


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_download_in_flight_completes_then_exit_0(server_factory, sig):
    """The signal arrives after the response head and 1 MiB of a 20 MiB download: the rest
    still arrives, every byte, the server then closes and exits 0."""
    s = server_factory()
    s.stopped_by_test = True
    c, digest = start_download(s)
    with c:
        head = c.read_head()
        assert (head.status, head.header("Content-Length")) == (200, str(SIZE))
        first = c.read_exactly(1 << 20)
        s.signal(sig)
        rest = c.read_exactly(SIZE - len(first))
        assert hashlib.sha256(first + rest).digest() == digest, f"got {len(first) + len(rest)} of {SIZE} bytes"
        assert c.wait_closed(timeout=30)
    assert s.wait(timeout=30) == 0
    assert "finishing in-flight requests" in s.stderr()


def test_new_connections_are_refused_while_draining(server_factory):
    """After SIGTERM the server stops accepting (its listening socket is closed) while the
    download in flight goes on."""
    s = server_factory()
    s.stopped_by_test = True
    c, digest = start_download(s)
    with c:
        head = c.read_head()
        first = c.read_exactly(1 << 20)
        s.signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        while not refused(s.port):
            assert time.monotonic() < deadline, "still accepting connections 10 s after SIGTERM"
            time.sleep(0.05)
        rest = c.read_exactly(int(head.header("Content-Length")) - len(first))
        assert hashlib.sha256(first + rest).digest() == digest
    assert s.wait(timeout=30) == 0


def test_idle_keep_alive_connection_is_closed_at_shutdown(server_factory):
    """An idle keep-alive connection is closed at once on SIGTERM (nothing in flight), and the
    server exits 0."""
    s = server_factory()
    s.stopped_by_test = True
    with rawhttp.Connection(s.port) as c:
        c.send(rawhttp.get("/echo/x"))
        assert c.read_response().status == 200
        s.signal(signal.SIGTERM)
        assert c.wait_closed(timeout=30)
    assert s.wait(timeout=30) == 0


def test_request_in_flight_gets_connection_close(server_factory):
    """A request whose head arrived before SIGTERM but whose body comes after it is finished
    with Connection: close."""
    s = server_factory()
    s.stopped_by_test = True
    with rawhttp.Connection(s.port) as c:
        c.send(b"POST /files/late HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
        deadline = time.monotonic() + 15
        # The upload has begun: the server holds its file (unnamed with O_TMPFILE).
        while not any(t.startswith(f"{s.files}/") for t in s.fd_targets()):
            assert time.monotonic() < deadline, "the upload did not start"
            time.sleep(0.02)
        s.signal(signal.SIGTERM)
        while not refused(s.port):  # the worker has begun its shutdown
            assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
            time.sleep(0.02)
        c.send(b"cd")
        r = c.read_response()
        assert (r.status, r.closes) == (201, True)
        assert c.wait_closed(timeout=30)
    assert (s.files / "late").read_bytes() == b"abcd"
    assert s.wait(timeout=30) == 0


def test_stalled_client_does_not_hold_the_exit(server_factory):
    """README "(at most --shutdown-timeout)": a client that stops reading a large download
    does not keep the server alive: it exits 0 soon after the drain time, 3 s here (bounded
    by 30 s)."""
    s = server_factory("--shutdown-timeout", "3")
    s.stopped_by_test = True
    c, _ = start_download(s)
    with c:
        c.read_head()
        s.signal(signal.SIGTERM)
        begin = time.monotonic()
        assert s.wait(timeout=30) == 0, "the server did not exit within 30 s of SIGTERM with a stalled client"
        assert time.monotonic() - begin >= 2.5  # not before the drain time was over
