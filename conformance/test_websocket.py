"""WebSocket on /ws/echo (RFC 6455, RFC 7692) over raw sockets, in the spirit of the
Autobahn|Testsuite categories: framing, ping/pong, reserved bits, opcodes, fragmentation,
UTF-8, close handling, limits, compression; then the handshake's HTTP side, the idle ping,
the access log, and a real client (Debian's python3-websockets).

The client frames here are written by hand (masked, RFC 6455 §5.3) and the server's frames
read by hand, so a mistake in the server's frame machine cannot hide behind a shared one.
Every socket has a timeout; every wait is bounded."""

import asyncio
import base64
import hashlib
import os
import socket
import struct
import time
import zlib

import pytest

import tlsmode

T = 10
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

TEXT, BINARY, CLOSE, PING, PONG, CONT = 0x1, 0x2, 0x8, 0x9, 0xA, 0x0


@pytest.fixture(scope="module")
def ws_server(server_factory):
    """A server with a 64 KiB message limit (1009 tests) and a log."""
    return server_factory("--ws-max-message", "64K", log=True)


class Client:
    """One raw WebSocket connection: handshake, masked frames out, frames in."""

    def __init__(self, port, path="/ws/echo", extensions=None, extra=b""):
        self.sock = tlsmode.connect(port, T)  # wss in the suite's HTTPS run
        self.key = base64.b64encode(os.urandom(16))
        req = (
            b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: " + self.key + b"\r\nSec-WebSocket-Version: 13\r\n"
        )
        if extensions:
            req += b"Sec-WebSocket-Extensions: " + extensions.encode() + b"\r\n"
        self.sock.sendall(req + b"\r\n" + extra)
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            assert chunk, "closed during the handshake"
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.head = head.decode("latin-1")
        self.status = int(self.head.split(" ")[1])
        self.fields = {}
        for line in self.head.split("\r\n")[1:]:
            name, value = line.split(":", 1)
            self.fields[name.strip().lower()] = value.strip()

    def close_socket(self):
        self.sock.close()

    def send_frame(self, opcode, payload=b"", fin=True, rsv=0, mask=True, length=None):
        b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
        n = len(payload) if length is None else length
        if n < 126:
            header = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
        elif n < 65536:
            header = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
        else:
            header = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
        if mask:
            key = os.urandom(4)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if len(payload) < 4096 else _mask(payload, key)
            header += key
        self.sock.sendall(header + payload)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        """(fin, rsv, opcode, payload) of the server's next frame; the server never masks."""
        b0, b1 = self._read(2)
        assert b1 & 0x80 == 0, "a server frame is never masked (RFC 6455 §5.1)"
        n = b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self._read(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", self._read(8))
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0xF, self._read(n)

    def recv_close(self):
        """The close code the server sent, after any data frames; then the TCP close."""
        for _ in range(1000):
            fin, rsv, op, payload = self.recv_frame()
            if op == CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                return code
        raise AssertionError("no Close frame")

    def server_closed_tcp(self):
        """RFC 6455 §7.1.1: after the Close handshake the server closes the TCP connection."""
        try:
            return self.sock.recv(1) == b"" and not self.buf
        except ConnectionResetError:
            return True


def _mask(payload, key):
    n = len(payload)
    k = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(k, "big")).to_bytes(n, "big")


def deflate(data, compressor=None):
    """RFC 7692 §7.2.1: a raw DEFLATE sync-flushed, without the trailing 00 00 ff ff."""
    c = compressor or zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b"\x00\x00\xff\xff")
    return out[:-4]


def inflate(payload, decompressor=None):
    d = decompressor or zlib.decompressobj(-15)
    return d.decompress(payload + b"\x00\x00\xff\xff")


def echo(c, opcode, payload):
    c.send_frame(opcode, payload)
    fin, rsv, op, data = c.recv_frame()
    assert (fin, rsv, op) == (True, 0, opcode)
    return data


# --- the handshake (RFC 6455 §4) --------------------------------------------------------


def test_handshake_answers_101_with_the_accept(ws_server):
    c = Client(ws_server.port)
    assert c.status == 101
    assert c.fields["upgrade"].lower() == "websocket"
    assert "upgrade" in c.fields["connection"].lower()
    assert c.fields["sec-websocket-accept"] == base64.b64encode(hashlib.sha1(c.key + GUID).digest()).decode()
    assert "content-length" not in c.fields  # RFC 9110 §8.6: never on a 101
    assert "sec-websocket-extensions" not in c.fields  # nothing offered, nothing agreed
    c.close_socket()


def test_not_a_handshake_is_400_with_the_one_line_body(ws_server):
    with tlsmode.connect(ws_server.port, T) as s:
        s.sendall(b"GET /ws/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = _read_all(s)
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert data.endswith(b"\r\n\r\n400 Bad Request: Upgrade does not list websocket\n")


def test_another_version_is_426_naming_13(ws_server):
    with tlsmode.connect(ws_server.port, T) as s:
        s.sendall(
            b"GET /ws/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\nConnection: close\r\n\r\n"
        )
        data = _read_all(s)
    assert data.startswith(b"HTTP/1.1 426 Upgrade Required\r\n")
    assert b"\r\nSec-WebSocket-Version: 13\r\n" in data


def test_a_websocket_request_to_another_route_is_never_101(ws_server):
    c = Client(ws_server.port, path="/echo/plain")
    assert c.status == 200
    assert c._read(5) == b"plain"
    c.close_socket()


def _read_all(s):
    data = b""
    deadline = time.monotonic() + T
    while time.monotonic() < deadline:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


# --- framing (Autobahn 1.x) -------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536])
def test_text_and_binary_echo_at_each_length_encoding(ws_server, size):
    c = Client(ws_server.port)
    text = ("é" * size)[: size // 2] + "a" * (size - 2 * (size // 2))
    assert echo(c, TEXT, text.encode()) == text.encode()
    payload = os.urandom(size)
    assert echo(c, BINARY, payload) == payload
    c.close_socket()


def test_frames_sent_a_byte_at_a_time(ws_server):
    c = Client(ws_server.port)
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = b"\x01\x02\x03\x04"
    frame = bytes([0x81, 0x85]) + key + bytes(b ^ key[i % 4] for i, b in enumerate(b"Hello"))
    for b in frame:
        c.sock.sendall(bytes([b]))
        time.sleep(0.002)
    assert c.recv_frame() == (True, 0, TEXT, b"Hello")
    c.close_socket()


def test_frames_pipelined_behind_the_handshake(ws_server):
    key = b"\x09\x08\x07\x06"
    frame = bytes([0x81, 0x82]) + key + bytes(b ^ key[i % 4] for i, b in enumerate(b"hi"))
    c = Client(ws_server.port, extra=frame)
    assert c.status == 101
    assert c.recv_frame() == (True, 0, TEXT, b"hi")
    c.close_socket()


def test_an_unmasked_client_frame_is_1002(ws_server):
    c = Client(ws_server.port)
    c.send_frame(TEXT, b"hi", mask=False)
    assert c.recv_close() == 1002
    assert c.server_closed_tcp()


# --- ping/pong (Autobahn 2.x) -----------------------------------------------------------


@pytest.mark.parametrize("payload", [b"", b"ping!", bytes(range(125))])
def test_a_ping_gets_a_pong_with_its_payload(ws_server, payload):
    c = Client(ws_server.port)
    c.send_frame(PING, payload)
    assert c.recv_frame() == (True, 0, PONG, payload)
    c.close_socket()


def test_a_ping_over_125_bytes_is_1002(ws_server):
    c = Client(ws_server.port)
    c.send_frame(PING, b"x" * 126)
    assert c.recv_close() == 1002


def test_an_unsolicited_pong_is_ignored(ws_server):
    c = Client(ws_server.port)
    c.send_frame(PONG, b"unasked")
    assert echo(c, TEXT, b"still here") == b"still here"
    c.close_socket()


# --- reserved bits and opcodes (Autobahn 3.x, 4.x) --------------------------------------


@pytest.mark.parametrize("rsv", [1, 2, 4, 7])
def test_reserved_bits_without_an_extension_are_1002(ws_server, rsv):
    c = Client(ws_server.port)
    c.send_frame(TEXT, b"x", rsv=rsv)
    assert c.recv_close() == 1002


@pytest.mark.parametrize("opcode", [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
def test_reserved_opcodes_are_1002(ws_server, opcode):
    c = Client(ws_server.port)
    c.send_frame(opcode, b"")
    assert c.recv_close() == 1002


# --- fragmentation (Autobahn 5.x) -------------------------------------------------------


def test_fragments_are_joined_and_control_frames_may_interleave(ws_server):
    c = Client(ws_server.port)
    c.send_frame(TEXT, b"frag", fin=False)
    c.send_frame(PING, b"mid")
    c.send_frame(CONT, b"men", fin=False)
    c.send_frame(CONT, b"ted")
    assert c.recv_frame() == (True, 0, PONG, b"mid")
    assert c.recv_frame() == (True, 0, TEXT, b"fragmented")
    c.close_socket()


def test_a_continuation_without_a_start_is_1002(ws_server):
    c = Client(ws_server.port)
    c.send_frame(CONT, b"orphan")
    assert c.recv_close() == 1002


def test_a_new_message_inside_a_fragmented_one_is_1002(ws_server):
    c = Client(ws_server.port)
    c.send_frame(TEXT, b"a", fin=False)
    c.send_frame(TEXT, b"b")
    assert c.recv_close() == 1002


def test_a_fragmented_control_frame_is_1002(ws_server):
    c = Client(ws_server.port)
    c.send_frame(PING, b"a", fin=False)
    assert c.recv_close() == 1002


# --- UTF-8 (Autobahn 6.x) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"ok\xe2\x82"], ids=["ff", "overlong", "surrogate", "above-10ffff", "truncated"]
)
def test_invalid_utf8_in_text_is_1007(ws_server, payload):
    c = Client(ws_server.port)
    c.send_frame(TEXT, payload)
    assert c.recv_close() == 1007


def test_utf8_split_across_fragments_is_valid(ws_server):
    c = Client(ws_server.port)
    euro = "€".encode()
    c.send_frame(TEXT, euro[:1], fin=False)
    c.send_frame(CONT, euro[1:2], fin=False)
    c.send_frame(CONT, euro[2:])
    assert c.recv_frame() == (True, 0, TEXT, euro)
    c.close_socket()


def test_invalid_utf8_is_caught_in_the_first_fragment(ws_server):
    """§8.1: fail fast; the server closes before the message ends."""
    c = Client(ws_server.port)
    c.send_frame(TEXT, b"ab\xff", fin=False)
    assert c.recv_close() == 1007


# --- close handling (Autobahn 7.x) ------------------------------------------------------


@pytest.mark.parametrize("code", [1000, 1001, 1003, 3000, 4999])
def test_the_close_echoes_a_valid_code_then_the_server_closes_tcp(ws_server, code):
    c = Client(ws_server.port)
    c.send_frame(CLOSE, struct.pack("!H", code) + b"bye")
    assert c.recv_close() == code
    assert c.server_closed_tcp()


def test_an_empty_close_is_answered_with_a_close(ws_server):
    c = Client(ws_server.port)
    c.send_frame(CLOSE, b"")
    fin, rsv, op, payload = c.recv_frame()
    assert op == CLOSE and len(payload) in (0, 2)
    assert c.server_closed_tcp()


@pytest.mark.parametrize("payload", [b"\x03", struct.pack("!H", 999), struct.pack("!H", 1005), struct.pack("!H", 1006), struct.pack("!H", 5000)], ids=["one-byte", "999", "1005", "1006", "5000"])
def test_a_bad_close_payload_is_1002(ws_server, payload):
    c = Client(ws_server.port)
    c.send_frame(CLOSE, payload)
    assert c.recv_close() == 1002


def test_a_close_reason_in_bad_utf8_is_1007(ws_server):
    c = Client(ws_server.port)
    c.send_frame(CLOSE, struct.pack("!H", 1000) + b"\xff")
    assert c.recv_close() == 1007


def test_data_after_the_close_is_not_echoed(ws_server):
    c = Client(ws_server.port)
    c.send_frame(CLOSE, struct.pack("!H", 1000))
    c.send_frame(TEXT, b"late")
    fin, rsv, op, payload = c.recv_frame()
    assert op == CLOSE
    assert c.server_closed_tcp()


# --- limits (Autobahn 9.x) --------------------------------------------------------------


def test_a_message_at_the_limit_is_echoed_and_one_byte_more_is_1009(ws_server):
    c = Client(ws_server.port)
    payload = os.urandom(64 * 1024)
    assert echo(c, BINARY, payload) == payload
    c.send_frame(BINARY, payload + b"x")
    assert c.recv_close() == 1009


def test_fragments_adding_up_over_the_limit_are_1009(ws_server):
    c = Client(ws_server.port)
    c.send_frame(BINARY, b"a" * 40000, fin=False)
    c.send_frame(CONT, b"b" * 40000)
    assert c.recv_close() == 1009


def test_a_declared_length_over_the_limit_is_1009_before_the_payload(ws_server):
    c = Client(ws_server.port)
    c.send_frame(BINARY, b"", length=1 << 40)  # the header alone
    assert c.recv_close() == 1009


def test_many_messages_in_one_send(ws_server):
    c = Client(ws_server.port)
    key = b"\x00\x00\x00\x00"
    burst = b"".join(bytes([0x82, 0x84]) + key + i.to_bytes(4, "big") for i in range(500))
    c.sock.sendall(burst)
    for i in range(500):
        assert c.recv_frame() == (True, 0, BINARY, i.to_bytes(4, "big"))
    c.close_socket()


# --- compression (Autobahn 12.x, 13.x: RFC 7692) ----------------------------------------


def test_permessage_deflate_is_agreed_and_echoes_compress(ws_server):
    c = Client(ws_server.port, extensions="permessage-deflate; client_max_window_bits")
    assert c.status == 101
    assert c.fields["sec-websocket-extensions"].startswith("permessage-deflate")
    comp = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    decomp = zlib.decompressobj(-15)
    for message in [b"Hello, compressed world! " * 40, b"", "ünïcödé".encode() * 100, b"again " * 10]:
        c.send_frame(TEXT, deflate(message, comp), rsv=4)
        fin, rsv, op, payload = c.recv_frame()
        assert (fin, rsv, op) == (True, 4, TEXT)  # RSV1: the echo is compressed too
        assert inflate(payload, decomp) == message
    c.close_socket()


def test_no_context_takeover_is_honoured(ws_server):
    c = Client(ws_server.port, extensions="permessage-deflate; server_no_context_takeover; client_no_context_takeover")
    ext = c.fields["sec-websocket-extensions"]
    assert "server_no_context_takeover" in ext and "client_no_context_takeover" in ext
    for _ in range(3):
        c.send_frame(BINARY, deflate(b"same bytes " * 50), rsv=4)  # a fresh context each time
        fin, rsv, op, payload = c.recv_frame()
        assert inflate(payload) == b"same bytes " * 50  # a fresh inflater must suffice
    c.close_socket()


def test_an_uncompressed_message_is_fine_with_deflate_agreed(ws_server):
    c = Client(ws_server.port, extensions="permessage-deflate")
    c.send_frame(TEXT, b"plain")
    fin, rsv, op, payload = c.recv_frame()
    assert inflate(payload) == b"plain"
    c.close_socket()


def test_bad_compressed_data_is_1007(ws_server):
    c = Client(ws_server.port, extensions="permessage-deflate")
    c.send_frame(BINARY, b"\xff\xff\xff\xff", rsv=4)
    assert c.recv_close() == 1007


def test_a_compression_bomb_is_1009(ws_server):
    c = Client(ws_server.port, extensions="permessage-deflate")
    c.send_frame(BINARY, deflate(b"\0" * (1 << 20)), rsv=4)  # ~1 KiB inflating to 1 MiB
    assert c.recv_close() == 1009


def test_compressed_text_in_bad_utf8_is_1007(ws_server):
    c = Client(ws_server.port, extensions="permessage-deflate")
    c.send_frame(TEXT, deflate(b"ok\xff"), rsv=4)
    assert c.recv_close() == 1007


# --- the idle ping, the access log -------------------------------------------------------


def test_an_idle_websocket_is_pinged_then_closed_with_1001(server_factory):
    s = server_factory("--idle-timeout", "0.3")
    c = Client(s.port)
    start = time.monotonic()
    assert c.recv_frame()[2] == PING
    pinged = time.monotonic() - start
    assert 0.2 < pinged < 5
    assert c.recv_close() == 1001  # no pong
    assert c.server_closed_tcp()

    c = Client(s.port)
    for _ in range(3):  # answering each ping keeps it open
        fin, rsv, op, payload = c.recv_frame()
        assert op == PING
        c.send_frame(PONG, payload)
    assert echo(c, TEXT, b"alive") == b"alive"
    c.close_socket()


def test_the_upgrade_is_in_the_access_log_as_101(ws_server):
    c = Client(ws_server.port)
    c.send_frame(CLOSE, struct.pack("!H", 1000))
    c.recv_close()
    deadline = time.monotonic() + T
    while '"GET /ws/echo HTTP/1.1" 101' not in ws_server.stdout() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert '"GET /ws/echo HTTP/1.1" 101' in ws_server.stdout()


def test_sigterm_closes_open_websockets_with_1001(server_factory):
    s = server_factory()
    c = Client(s.port)
    assert echo(c, TEXT, b"before") == b"before"
    import signal

    s.signal(signal.SIGTERM)
    s.stopped_by_test = True
    assert c.recv_close() == 1001
    assert s.wait() == 0


# --- a real client: python3-websockets --------------------------------------------------


def test_python_websockets_client_echoes_text_binary_and_pings(ws_server):
    import websockets

    async def run():
        uri = f"{tlsmode.ws_scheme(ws_server.port)}://127.0.0.1:{ws_server.port}/ws/echo"
        # wss (the suite's HTTPS run): verified against the test CA; ws: no TLS context.
        tls = {"ssl": tlsmode.client_context()} if uri.startswith("wss:") else {}
        async with websockets.connect(uri, max_size=1 << 20, open_timeout=T, close_timeout=T, **tls) as ws:
            # The client offers permessage-deflate by default: the echo travels compressed.
            assert any(e.name == "permessage-deflate" for e in ws.extensions)
            for message in ["hello", "ünïcödé", "x" * 60000, b"\x00\x01\x02", os.urandom(50000)]:
                await ws.send(message)
                assert await asyncio.wait_for(ws.recv(), T) == message
            pong = await ws.ping(b"are you there")
            await asyncio.wait_for(pong, T)
            await ws.send(["frag", "ment", "ed"])  # a fragmented message
            assert await asyncio.wait_for(ws.recv(), T) == "fragmented"
        assert ws.close_code == 1000

        async with websockets.connect(uri, compression=None, open_timeout=T, close_timeout=T, **tls) as ws:
            assert ws.extensions == []
            await ws.send("plain")
            assert await asyncio.wait_for(ws.recv(), T) == "plain"
            await ws.send(b"y" * (64 * 1024 + 1))  # over --ws-max-message
            with pytest.raises(websockets.exceptions.ConnectionClosedError) as closed:
                await asyncio.wait_for(ws.recv(), T)
            assert closed.value.rcvd.code == 1009

    asyncio.run(asyncio.wait_for(run(), 3 * T))
