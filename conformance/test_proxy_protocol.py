"""--proxy-protocol and --trusted-proxy against the real binary: a PROXY header (HAProxy's
specification, v1 text or v2 binary) opens every connection and its source address is the
client's in the access log; LOCAL keeps the socket's; a missing or malformed header, or a
connection from outside --trusted-proxy, is closed without an answer.

In the HTTPS run (conformance.tls.*) the header goes raw, ahead of the TLS handshake, as
HAProxy sends it (`send-proxy-v2` with `ssl`): in the same write as the ClientHello, so the
server must take exactly the header's bytes off the socket and leave the rest to TLS."""

import os
import signal
import socket
import ssl
import struct
import time

import rawhttp
import tlsmode
from conftest import EVENT_LOOP
from serverproc import ServerProcess

T = 10
V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def start(work, *flags):
    args = ["--proxy-protocol", *flags, "--log", "common"]
    if EVENT_LOOP:
        args += ["--event-loop", EVENT_LOOP]
    return ServerProcess(work, args)


def v2(command, family, addresses):
    return V2_SIGNATURE + bytes([0x20 | command, family]) + struct.pack("!H", len(addresses)) + addresses


def v2_tcp4(src, dst, sport, dport, tlvs=b""):
    return v2(1, 0x11, socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!HH", sport, dport) + tlvs)


def exchange(port, header, request=b""):
    """What the server sends back for `header` + `request` before it closes (b"" when it closes
    at once). Over TLS the header goes raw and the request inside TLS."""
    with socket.create_connection(("127.0.0.1", port), timeout=T) as c:
        if port in tlsmode.TLS_PORTS:
            try:
                return tls_exchange(c, header, request)
            except OSError:  # ssl.SSLError too: the server closed during the handshake
                return b""
        try:
            c.sendall(header + request)
            c.shutdown(socket.SHUT_WR)
        except OSError:
            # The server may close (even reset) before our bytes or FIN are out: a source it
            # refuses at accept. Whatever it sent before that is still read below.
            pass
        out = b""
        while True:
            try:
                chunk = c.recv(65536)
            except (ConnectionResetError, OSError):
                return out
            if not chunk:
                return out
            out += chunk


def tls_exchange(sock, header, request):
    """A TLS client over memory BIOs on `sock`: `header` and the ClientHello leave in one
    write (one segment on loopback), then `request`; the decrypted answer until the close."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = tlsmode.client_context().wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    raw = [header]

    def flush():
        data = raw.pop() + outgoing.read() if raw else outgoing.read()
        if data:
            sock.sendall(data)

    def fill():
        chunk = sock.recv(65536)
        if not chunk:
            incoming.write_eof()
        else:
            incoming.write(chunk)
        return bool(chunk)

    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            flush()
            if not fill():
                return b""
    flush()
    tls.write(request)
    flush()
    out = b""
    while True:
        try:
            data = tls.read(65536)
        except ssl.SSLWantReadError:
            if not fill():
                return out
            continue
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            return out
        if not data:
            return out
        out += data


def log_lines(server, count):
    deadline = time.monotonic() + T
    while time.monotonic() < deadline:
        lines = server.stdout().splitlines()
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    return server.stdout().splitlines()


def test_v1_v2_and_local_headers_set_the_logged_client(tmp_path):
    s = start(tmp_path / "s")
    try:
        close = [("Connection", "close")]
        r = exchange(s.port, b"PROXY TCP4 203.0.113.7 127.0.0.1 51000 80\r\n", rawhttp.get("/echo/v1", close))
        assert r.startswith(b"HTTP/1.1 200 ") and r.endswith(b"v1"), r
        tlv = bytes([0x04, 0x00, 0x03]) + b"abc"  # PP2_TYPE_NOOP, skipped
        r = exchange(s.port, v2_tcp4("198.51.100.9", "127.0.0.1", 40000, 80, tlv), rawhttp.get("/echo/v2", close))
        assert r.startswith(b"HTTP/1.1 200 ") and r.endswith(b"v2"), r
        six = socket.inet_pton(socket.AF_INET6, "2001:db8::42") + socket.inet_pton(socket.AF_INET6, "::1")
        r = exchange(s.port, v2(1, 0x21, six + struct.pack("!HH", 1, 2)), rawhttp.get("/echo/v6", close))
        assert r.startswith(b"HTTP/1.1 200 "), r
        r = exchange(s.port, v2(0, 0x00, b""), rawhttp.get("/echo/local", close))  # a health check
        assert r.startswith(b"HTTP/1.1 200 "), r
        lines = log_lines(s, 4)
        assert [line.split(" ", 1)[0] for line in lines] == ["203.0.113.7", "198.51.100.9", "2001:db8::42", "127.0.0.1"], lines
        assert '"GET /echo/v1 HTTP/1.1" 200' in lines[0]
    finally:
        assert s.stop() == 0


def test_missing_or_malformed_header_closes_without_an_answer(tmp_path):
    s = start(tmp_path / "s", "--header-timeout", "2")
    try:
        assert exchange(s.port, b"", rawhttp.get("/")) == b""  # no header at all
        assert exchange(s.port, b"PROXY TCP4 203.0.113.999 127.0.0.1 1 2\r\n", rawhttp.get("/")) == b""
        assert exchange(s.port, b"PROXY TCP4 203.0.113.7 127.0.0.1 01 2\r\n", rawhttp.get("/")) == b""
        assert exchange(s.port, V2_SIGNATURE + b"\x21\x11\x00\x04" + b"\x7f\x00\x00\x01", rawhttp.get("/")) == b""
        # A header cut short and then silence: closed at the header timeout, unanswered.
        with socket.create_connection(("127.0.0.1", s.port), timeout=T) as c:
            c.sendall(b"PROXY TCP4 203.0.113.7")
            assert c.recv(100) == b""
        assert s.stdout() == ""  # nothing reached HTTP
        # The server still serves a well-behaved proxy.
        r = exchange(s.port, b"PROXY UNKNOWN\r\n", rawhttp.get("/", [("Connection", "close")]))
        assert r.startswith(b"HTTP/1.1 200 "), r
    finally:
        assert s.stop() == 0


def test_untrusted_source_is_refused(tmp_path):
    s = start(tmp_path / "s", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "2001:db8::/32", "--header-timeout", "2")
    t = start(tmp_path / "t", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "127.0.0.0/8")
    try:
        header = b"PROXY TCP4 203.0.113.7 127.0.0.1 51000 80\r\n"
        assert exchange(s.port, header, rawhttp.get("/", [("Connection", "close")])) == b""
        r = exchange(t.port, header, rawhttp.get("/", [("Connection", "close")]))
        assert r.startswith(b"HTTP/1.1 200 "), r
        assert s.stdout() == ""
    finally:
        assert s.stop() == 0
        assert t.stop() == 0


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_header_in_pieces_is_read_without_spinning(tmp_path):
    """A header that arrives in pieces is put together (over TLS: off the raw socket, before
    the handshake); a connection waiting for the rest costs no CPU meanwhile."""
    s = start(tmp_path / "s")
    try:
        header = v2_tcp4("192.0.2.77", "127.0.0.1", 40000, 443, bytes([0x04, 0x00, 0x02]) + b"xy")
        with socket.create_connection(("127.0.0.1", s.port), timeout=T) as c:
            for piece in (header[:5], header[5:17], header[17:]):
                c.sendall(piece)
                time.sleep(0.2)
            request = rawhttp.get("/echo/pieces", [("Connection", "close")])
            if s.port in tlsmode.TLS_PORTS:
                r = tls_exchange(c, b"", request)
            else:
                c.sendall(request)
                r = b""
                while chunk := c.recv(65536):
                    r += chunk
        assert r.startswith(b"HTTP/1.1 200 ") and r.endswith(b"pieces"), r
        assert log_lines(s, 1)[0].startswith("192.0.2.77 "), s.stdout()
        # Half a header, then silence: the server waits for readability, it does not poll.
        with socket.create_connection(("127.0.0.1", s.port), timeout=T) as c:
            c.sendall(header[:10])
            time.sleep(0.2)
            before = cpu_seconds(s.pid)
            time.sleep(1.0)
            assert cpu_seconds(s.pid) - before < 0.3
    finally:
        assert s.stop() == 0


def test_shutdown_while_a_header_is_half_read(tmp_path):
    """SIGTERM while a connection has sent half its header: the connection is let go and
    the rest of its header, arriving during the drain, is dropped (regression: over TLS the
    rest was read for a connection already closed, and the server crashed)."""
    s = start(tmp_path / "s", "--shutdown-timeout", "2")
    try:
        header = b"PROXY TCP4 203.0.113.7 127.0.0.1 51000 443\r\n"
        with socket.create_connection(("127.0.0.1", s.port), timeout=T) as c:
            c.sendall(header[:12])
            time.sleep(0.2)
            s.signal(signal.SIGTERM)
            time.sleep(0.2)
            try:
                c.sendall(header[12:] + b"\x16\x03\x01\x00\x05hello")
            except OSError:
                pass  # already closed by the server: as good
            assert s.wait() == 0
    finally:
        assert s.stop() == 0
