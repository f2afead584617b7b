"""Slow clients against the real binary: a stalled or trickling request body (the slow-POST
attack; --body-timeout, --body-min-rate) and the drain window on SIGTERM
(--shutdown-timeout). Each test failed on the code before its fix: a stalled body was held
for the idle timeout (60 s), a trickling one forever, and SIGTERM cut a download after 3 s."""

import os
import signal
import socket
import time

import cases
import rawhttp
import tlsmode
from conftest import EVENT_LOOP
from serverproc import ServerProcess

T = 20  # seconds for any one exchange


def start(work, *flags, files=None):
    args = [*flags, "--log", "off"]
    if EVENT_LOOP:
        args += ["--event-loop", EVENT_LOOP]
    if files is not None:
        args += ["--directory", str(files)]
    return ServerProcess(work, args)


def read_until_closed(sock, deadline):
    """Everything the server sends until it closes, or None if it is still open at the deadline."""
    data = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return None
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def test_stalled_body_is_408_within_the_default_body_timeout(tmp_path):
    """Content-Length: 10, 5 bytes, then nothing: 408 with the one-line body and a close
    within the default --body-timeout (10 s), and no upload left behind. Before: held for
    the idle timeout (60 s)."""
    files = tmp_path / "files"
    files.mkdir()
    s = start(tmp_path / "s", files=files)
    try:
        with tlsmode.connect(s.port, T) as c:
            c.sendall(cases.post(b"Content-Length: 10\r\n", b"", b"/files/stalled") + b"abcde")
            began = time.monotonic()
            data = read_until_closed(c, began + 16)
            took = time.monotonic() - began
        assert data is not None, "still open 16 s after the body stalled"
        assert data.startswith(b"HTTP/1.1 408 "), data
        assert data.endswith(b"408 Request Timeout: the request body stalled\n"), data
        assert 8 <= took <= 14, f"answered after {took:.1f} s"
        assert os.listdir(files) == []
    finally:
        assert s.stop() == 0


def test_trickling_body_is_cut_at_the_minimum_rate(tmp_path):
    """One body byte every 2 s (each within the body timeout) is cut once the first
    --body-timeout window has passed, since it averages under --body-min-rate. Before: the
    idle timer restarted on every byte and the connection was held forever."""
    files = tmp_path / "files"
    files.mkdir()
    s = start(tmp_path / "s", "--body-timeout", "3", "--body-min-rate", "1k", files=files)
    try:
        with tlsmode.connect(s.port, T) as c:
            c.sendall(cases.post(b"Content-Length: 100\r\n", b"", b"/files/trickle"))
            began = time.monotonic()
            cut = None
            while time.monotonic() - began < 15:
                try:
                    c.sendall(b"x")
                except (BrokenPipeError, ConnectionResetError):
                    cut = b""
                    break
                c.settimeout(2)
                try:
                    cut = c.recv(65536)
                except socket.timeout:
                    continue
                except ConnectionResetError:
                    cut = b""
                break
            took = time.monotonic() - began
        assert cut is not None, "a body of one byte every 2 s was still read after 15 s"
        assert cut.startswith(b"HTTP/1.1 408 "), cut
        assert b"below the minimum rate" in cut, cut
        assert took <= 8, f"cut after {took:.1f} s"
        assert os.listdir(files) == []
    finally:
        assert s.stop() == 0


def test_slow_download_finishes_within_the_default_shutdown_timeout(tmp_path):
    """SIGTERM just after the head of a 24 MiB download that the client reads at about
    4 MiB/s (some 6 s): every byte arrives within the default --shutdown-timeout (10 s),
    then the server closes and exits 0. Before: the drain was a fixed 3 s and cut it."""
    files = tmp_path / "files"
    files.mkdir()
    size = 24 << 20
    (files / "big").write_bytes(b"d" * size)
    s = start(tmp_path / "s", files=files)
    try:
        with rawhttp.Connection(s.port, timeout=T) as c:
            c.send(rawhttp.get("/files/big"))
            head = c.read_head()
            assert head.status == 200
            s.signal(signal.SIGTERM)
            began = time.monotonic()
            got = 0
            while got < size and time.monotonic() - began < 12:
                got += len(c.read_exactly(min(256 << 10, size - got)))
                time.sleep(0.06)  # about 4 MiB/s
            took = time.monotonic() - began
            assert got == size, f"got {got} of {size} bytes"
            assert took > 3.5, f"read in {took:.1f} s: too fast to show the drain window"
            assert c.wait_closed(timeout=10)
        assert s.wait(timeout=15) == 0
    finally:
        s.stop()


def test_trickling_reader_is_cut_at_the_minimum_rate(tmp_path):
    """A client that reads a 32 MiB download at about 128 KiB/s with --body-min-rate 1M (the
    least rate applies to reading responses as well): once the first body-timeout window has
    passed the server closes the connection and its file (its descriptors fall back to the
    baseline). Before: every read the kernel saw let the idle timer start over, and such a
    reader held the connection and the file as long as it liked. (A reader slower than TCP's
    window updates, under 1 KiB/s, is cut by the idle timeout already.)"""
    files = tmp_path / "files"
    files.mkdir()
    (files / "big").write_bytes(b"r" * (32 << 20))
    s = start(tmp_path / "s", "--idle-timeout", "3", "--body-timeout", "2", "--body-min-rate", "1M", files=files)
    try:
        with tlsmode.connect(s.port, T) as c:
            c.sendall(rawhttp.get("/files/big"))
            began = time.monotonic()
            cut = False
            while time.monotonic() - began < 15:
                try:
                    c.recv(64 << 10)
                except ConnectionResetError:
                    pass
                time.sleep(0.5)
                if s.fd_count() <= s.baseline_fds:
                    cut = True
                    break
            took = time.monotonic() - began
        assert cut, "a reader of 128 KiB/s still held its connection after 15 s"
        assert took <= 10, f"cut after {took:.1f} s"
    finally:
        assert s.stop() == 0
