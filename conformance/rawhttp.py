"""A raw-socket HTTP/1.1 client for what `requests` cannot send: malformed bytes, pipelining,
partial writes, slow clients, half-close.

Responses are read strictly (RFC 9112 §4 status-line, §5 field lines, §6.3 message body
length): anything malformed raises ProtocolError, so a test that reads a response also checks
that the server framed it correctly. Every wait is bounded by the connection's timeout and
fails with a message that says what was received so far.
"""

import re
import socket
import ssl
import time
from dataclasses import dataclass, field

import tlsmode

DEFAULT_TIMEOUT = 15.0  # seconds; generous for a loaded 2-core machine

STATUS_LINE = re.compile(rb"HTTP/(\d)\.(\d) (\d{3}) ([\t \x21-\x7e\x80-\xff]*)\r\n")
# RFC 9110 §5.1 field-name = token; §5.5 field-value without leading/trailing whitespace.
FIELD_LINE = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\t \x21-\x7e\x80-\xff]*?)[ \t]*\r\n")
CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]+)(;[^\r\n]*)?\r\n")


class ProtocolError(AssertionError):
    """The server sent something that is not a well-formed HTTP/1.1 response."""


@dataclass
class Response:
    status: int
    reason: str
    version: str
    fields: list  # [(name, value)] as sent, in order (str, latin-1)
    body: bytes = b""
    trailers: list = field(default_factory=list)
    raw_head: bytes = b""

    def header(self, name, default=None):
        """The value of the one field line called `name` (case-insensitive); a field sent
        twice is a test failure here because none of ours may repeat."""
        values = self.headers(name)
        if not values:
            return default
        if len(values) > 1:
            raise ProtocolError(f"{name} sent {len(values)} times: {values}")
        return values[0]

    def headers(self, name):
        lower = name.lower()
        return [v for n, v in self.fields if n.lower() == lower]

    def has(self, name):
        return bool(self.headers(name))

    @property
    def closes(self):
        """The response says the connection closes after it (RFC 9112 §9.6)."""
        conn = self.header("Connection", "")
        return "close" in [t.strip().lower() for t in conn.split(",")]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        body = self.body if len(self.body) <= 80 else self.body[:80] + b"..."
        return f"<Response {self.status} {self.reason!r} fields={self.fields} body={body!r}>"


class Connection:
    """One TCP connection to 127.0.0.1:port with a read buffer. Use as a context manager."""

    def __init__(self, port, host="127.0.0.1", timeout=DEFAULT_TIMEOUT, source=None):
        """`source`: the local address to connect from ("127.0.0.2": another loopback client)."""
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        # Tests that split a request into tiny writes want each write to leave as it is.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = tlsmode.wrap(self.sock, port)  # the suite's HTTPS run (tlsmode.py)
        self.buffer = bytearray()
        self.eof = False
        self.reset = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    # -- sending -------------------------------------------------------------------------

    def send(self, data):
        """Sends all of `data`. False if the peer has already reset the connection."""
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.reset = True
            return False

    def send_in_pieces(self, data, size=1, pause=0.0):
        """Sends `data` in writes of `size` bytes, optionally pausing between them."""
        for i in range(0, len(data), size):
            if not self.send(data[i : i + size]):
                return False
            if pause:
                time.sleep(pause)
        return True

    def shutdown_write(self):
        """Half-close: the server reads EOF, but can still answer (RFC 9112 §9.6). Over TLS
        this is the TCP half-close alone (socket.socket.shutdown: SSLSocket.shutdown would drop
        the session, and a close_notify would make OpenSSL discard the answers that follow):
        the server takes an EOF without close_notify as an EOF, and the session stays readable."""
        socket.socket.shutdown(self.sock, socket.SHUT_WR)

    # -- reading -------------------------------------------------------------------------

    def _fill(self, deadline, what):
        """Reads more bytes into the buffer. Raises TimeoutError at the deadline; sets eof on
        an orderly close or a reset."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no {what} within {self.timeout:.0f} s; received so far: {bytes(self.buffer[:300])!r}")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(1 << 18)
        except socket.timeout:
            raise TimeoutError(
                f"no {what} within {self.timeout:.0f} s; received so far: {bytes(self.buffer[:300])!r}"
            ) from None
        except (ConnectionResetError, ssl.SSLError):
            # Over TLS an alert or a session torn down mid-record reads as a reset.
            self.eof = self.reset = True
            return False
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def _read_until(self, marker, deadline, what):
        while True:
            i = self.buffer.find(marker)
            if i >= 0:
                return i
            if self.eof or not self._fill(deadline, what):
                raise ProtocolError(f"connection closed before {what}; received: {bytes(self.buffer[:300])!r}")

    def _take(self, n, deadline, what):
        while len(self.buffer) < n:
            if self.eof or not self._fill(deadline, what):
                raise ProtocolError(
                    f"connection closed inside {what}: {len(self.buffer)} of {n} bytes; "
                    f"received: {bytes(self.buffer[:200])!r}"
                )
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def _read_head(self, deadline):
        end = self._read_until(b"\r\n\r\n", deadline, "response head")
        head = bytes(self.buffer[: end + 4])
        del self.buffer[: end + 4]
        m = STATUS_LINE.match(head)
        if not m:
            raise ProtocolError(f"malformed status-line: {head[:100]!r}")
        pos = m.end()
        fields = []
        while pos < len(head) - 2:
            f = FIELD_LINE.match(head, pos)
            if not f:
                raise ProtocolError(f"malformed field line at byte {pos}: {head[pos:pos + 100]!r}")
            fields.append((f.group(1).decode("latin-1"), f.group(2).decode("latin-1")))
            pos = f.end()
        return Response(
            status=int(m.group(3)),
            reason=m.group(4).decode("latin-1"),
            version=f"{m.group(1).decode()}.{m.group(2).decode()}",
            fields=fields,
            raw_head=head,
        )

    def read_response(self, head_request=False):
        """Reads the next response, interim (1xx) ones included, with its body framed by
        RFC 9112 §6.3: none for HEAD, 1xx, 204 and 304; chunked; Content-Length; else until
        the close."""
        deadline = time.monotonic() + self.timeout
        r = self._read_head(deadline)
        lengths = r.headers("Content-Length")
        te = r.headers("Transfer-Encoding")
        if len(set(lengths)) > 1:
            raise ProtocolError(f"differing Content-Length values: {lengths}")
        if lengths and te:
            raise ProtocolError("response with both Content-Length and Transfer-Encoding")
        if lengths and not re.fullmatch(r"\d+", lengths[0]):
            raise ProtocolError(f"malformed Content-Length: {lengths[0]!r}")
        if r.status < 200 or r.status in (204, 304):
            if r.status < 200 and (lengths or te):
                raise ProtocolError(f"{r.status} with framing fields")
            return r
        if head_request:
            return r
        if te:
            if te[-1].strip().lower().split(",")[-1].strip() != "chunked":
                raise ProtocolError(f"unsupported Transfer-Encoding {te}")
            r.body, r.trailers = self._read_chunked(deadline)
        elif lengths:
            r.body = self._take(int(lengths[0]), deadline, "response body")
        else:
            while not self.eof and self._fill(deadline, "response body (until close)"):
                pass
            r.body = bytes(self.buffer)
            self.buffer.clear()
        return r

    def _read_chunked(self, deadline):
        body = bytearray()
        while True:
            end = self._read_until(b"\r\n", deadline, "chunk size")
            m = CHUNK_SIZE.fullmatch(self.buffer[: end + 2])
            if not m:
                raise ProtocolError(f"malformed chunk-size line: {bytes(self.buffer[:50])!r}")
            del self.buffer[: end + 2]
            size = int(m.group(1), 16)
            if size == 0:
                break
            body += self._take(size, deadline, "chunk data")
            if self._take(2, deadline, "chunk end") != b"\r\n":
                raise ProtocolError("chunk data not followed by CRLF")
        trailers = []
        while True:
            end = self._read_until(b"\r\n", deadline, "trailer section")
            line = bytes(self.buffer[: end + 2])
            del self.buffer[: end + 2]
            if line == b"\r\n":
                return bytes(body), trailers
            f = FIELD_LINE.fullmatch(line)
            if not f:
                raise ProtocolError(f"malformed trailer line {line!r}")
            trailers.append((f.group(1).decode("latin-1"), f.group(2).decode("latin-1")))

    def read_head(self):
        """Only the next response's head (status-line and fields), leaving its body unread."""
        return self._read_head(time.monotonic() + self.timeout)

    def read_exactly(self, n):
        """The next `n` bytes (of a body being read piecemeal); ProtocolError if the
        connection closes first."""
        return self._take(n, time.monotonic() + self.timeout, "body")

    def read_final(self, head_request=False):
        """The next final (non-1xx) response, and the interim ones before it."""
        interim = []
        while True:
            r = self.read_response(head_request)
            if r.status >= 200:
                return r, interim
            interim.append(r)

    def read_responses(self, count, head_request=False):
        return [self.read_response(head_request) for _ in range(count)]

    def wait_closed(self, timeout=None):
        """True once the server closed the connection (EOF or reset) with no further bytes;
        False if it is still open after `timeout` seconds. Bytes after a response that should
        have been the last one are a ProtocolError."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while not self.eof:
            try:
                if not self._fill(deadline, "close"):
                    break
            except TimeoutError:
                return False
            if self.buffer:
                raise ProtocolError(f"bytes after the last response: {bytes(self.buffer[:200])!r}")
        if self.buffer:
            raise ProtocolError(f"bytes before the close: {bytes(self.buffer[:200])!r}")
        return True


def request(port, data, timeout=DEFAULT_TIMEOUT, head_request=False):
    """Sends `data` on a fresh connection and reads one final response."""
    with Connection(port, timeout=timeout) as c:
        c.send(data)
        return c.read_final(head_request)[0]


@dataclass
class Outcome:
    """What a server did with one request on a fresh connection."""

    status: int | None  # the final status; None when there was none (see `note`)
    closed: bool  # the server closed the connection after answering
    response: Response | None = None
    interim: list = field(default_factory=list)
    after: int | None = None  # status of the follow-up request when the connection stayed open
    note: str = ""  # anything unusual: no answer in time, a non-HTTP/1.x answer, ...

    def summary(self):
        if self.status is None:
            return self.note or "closed, no answer"
        s = f"{self.status}, {'closed' if self.closed else 'kept open'}"
        if self.interim:
            s = " + ".join(str(r.status) for r in self.interim) + " + " + s
        return s


FOLLOW_UP = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def probe(port, data, timeout=DEFAULT_TIMEOUT, close_timeout=None):
    """Sends `data` in one write on a fresh connection, reads the final response, then finds
    out whether the connection is still usable: if the response announced a close, by waiting
    for the EOF; otherwise by sending a follow-up GET on the same connection and reading its
    answer (so "kept open" is observed, not inferred from a silence, and bytes a server left
    unread after the first message show up as the follow-up's answer). `close_timeout` bounds
    the wait for a close the response announced (default: `timeout`)."""
    with Connection(port, timeout=timeout) as c:
        c.send(data)
        try:
            r, interim = c.read_final()
        except TimeoutError:
            return Outcome(None, False, note=f"no answer within {timeout:g} s (waits for more bytes)")
        except ProtocolError as e:
            if c.eof and not c.buffer:
                return Outcome(None, True, note="closed without an answer")
            if c.eof and not c.buffer.startswith(b"HTTP/"):
                return Outcome(None, True, note=f"an answer without a status line (HTTP/0.9 style), {bytes(c.buffer[:40])!r}, then closed")
            return Outcome(None, True, note=f"not an HTTP/1.x response: {str(e)[:80]}")
        out = Outcome(r.status, False, r, interim)
        if r.closes:
            out.closed = c.wait_closed(close_timeout)
            if not out.closed:
                waited = timeout if close_timeout is None else close_timeout
                out.note = f"said Connection: close but had not closed {waited:g} s later"
            return out
        if not c.send(FOLLOW_UP):
            out.closed = True
            return out
        try:
            follow = c.read_response()
            out.after = follow.status
        except TimeoutError:
            out.note = f"follow-up request not answered within {timeout:g} s"
        except ProtocolError:
            if not (c.eof and not c.buffer):
                raise
            out.closed = True
        return out


def exchange(port, data, timeout=DEFAULT_TIMEOUT):
    """probe() for tests: (response, closed), failing on anything but a clean answer."""
    o = probe(port, data, timeout)
    assert o.status is not None, o.note
    assert not o.note, o.note
    assert o.closed or o.after == 200, f"the follow-up GET on the kept connection got {o.after}"
    return o.response, o.closed


def read_until_close(sock, size=65536):
    """Every byte the peer sends until it closes (recv returns b""); the socket's timeout
    bounds each wait."""
    data = b""
    while chunk := sock.recv(size):
        data += chunk
    return data


def get(target="/", headers=(), version="1.1"):
    """A well-formed GET as bytes; `headers` is a sequence of (name, value)."""
    lines = [f"GET {target} HTTP/{version}", "Host: 127.0.0.1"]
    lines += [f"{n}: {v}" for n, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
