"""HTTPS (README "HTTPS", issue 15): protocol versions, ALPN, garbage and stalled handshakes,
close_notify both ways, SIGHUP reload, --tls-port beside cleartext, and the start-up errors.
Certificates are made at test time with the `openssl` command (tlsmode.make_certificates).
Runs under every backend, like the rest of the suite."""

import os
import re
import signal
import socket
import ssl
import struct
import subprocess
import time

import pytest
import requests

import rawhttp
import tlsmode
from serverproc import server_binary

T = 15.0
GET = b"GET /echo/tls HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
GET_CLOSE = b"GET /echo/bye HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return tlsmode.make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def tls_server(server_factory, certs):
    _, cert, key = certs
    return server_factory("--tls-cert", str(cert), "--tls-key", str(key), "--header-timeout", "1")


def connect(port, ca, alpn=("http/1.1",), **kw):
    ctx = ssl.create_default_context(cafile=str(ca))
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    sock = socket.create_connection(("127.0.0.1", port), timeout=T)
    return ctx.wrap_socket(sock, server_hostname="127.0.0.1", **kw)


def echo_ok(port, ca):
    with connect(port, ca) as s:
        s.sendall(GET_CLOSE)
        data = rawhttp.read_until_close(s)
    assert data.startswith(b"HTTP/1.1 200 ") and data.endswith(b"\r\n\r\nbye"), data[:200]


def client_hello(version):
    """A minimal ClientHello offering only `version` (no supported_versions extension, so
    TLS 1.3 is not on offer: RFC 8446 §4.2.1), RSA and ECDHE-ECDSA CBC suites."""
    suites = struct.pack(">HHHH", 0xC009, 0xC013, 0x002F, 0x0035)
    body = struct.pack(">H", version) + os.urandom(32) + b"\x00" + struct.pack(">H", len(suites)) + suites + b"\x01\x00"
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs


def real_client_hello():
    ctx = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        obj.do_handshake()
    return outgoing.read()


@pytest.mark.parametrize("version", [0x0301, 0x0302], ids=["TLS1.0", "TLS1.1"])
def test_old_protocol_versions_are_refused_with_an_alert(tls_server, version):
    """TLS 1.0 and 1.1 are refused: a fatal protocol_version alert (RFC 8446 §6.2, code 70),
    then the connection closes."""
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=T) as s:
        s.sendall(client_hello(version))
        reply = rawhttp.read_until_close(s)
    assert reply[:1] == b"\x15", reply  # an alert record
    assert reply[5:7] == b"\x02\x46", reply  # fatal, protocol_version


def test_tls12_and_tls13_are_accepted(tls_server, certs):
    for v in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        ctx = ssl.create_default_context(cafile=str(certs[0]))
        ctx.minimum_version = ctx.maximum_version = v
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", tls_server.port), timeout=T), server_hostname="localhost") as s:
            assert s.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[v]
            s.sendall(GET_CLOSE)
            assert rawhttp.read_until_close(s).endswith(b"bye")


def test_alpn_selects_http11(tls_server, certs):
    with connect(tls_server.port, certs[0], alpn=("h2", "http/1.1")) as s:
        assert s.selected_alpn_protocol() == "http/1.1"
    with connect(tls_server.port, certs[0], alpn=None) as s:  # no ALPN: still HTTP/1.1
        assert s.selected_alpn_protocol() is None
        s.sendall(GET_CLOSE)
        assert rawhttp.read_until_close(s).endswith(b"bye")


def test_h2_only_offer_gets_no_h2(tls_server, certs):
    """RFC 7301 §3.2: no protocol in common is a no_application_protocol alert; never h2."""
    with pytest.raises(ssl.SSLError, match="NO_APPLICATION_PROTOCOL|no application protocol"):
        connect(tls_server.port, certs[0], alpn=("h2",)).close()
    echo_ok(tls_server.port, certs[0])


def test_cleartext_on_the_tls_port_is_closed_within_a_second(tls_server, certs):
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=T) as s:
        start = time.monotonic()
        s.sendall(GET)
        s.settimeout(1.0)
        try:
            while s.recv(4096):
                pass
        except ConnectionResetError:
            pass
        assert time.monotonic() - start < 1.0
    echo_ok(tls_server.port, certs[0])


def test_stalled_handshakes_do_not_delay_a_client_and_are_cut(tls_server, certs):
    """50 clients that stall (25 silent after connect, 25 after half a ClientHello) do not
    delay a normal client, and are closed after --header-timeout (1 s here)."""
    hello = real_client_hello()
    stalled = []
    try:
        for i in range(50):
            s = socket.create_connection(("127.0.0.1", tls_server.port), timeout=T)
            if i % 2:
                s.sendall(hello[: len(hello) // 2])
            stalled.append(s)
        start = time.monotonic()
        echo_ok(tls_server.port, certs[0])
        assert time.monotonic() - start < 2.0
        deadline = time.monotonic() + 10
        for s in stalled:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                assert s.recv(4096) == b""  # closed, no 408 (no channel for it yet)
            except ConnectionResetError:
                pass
    finally:
        for s in stalled:
            s.close()


def test_close_notify_both_ways(tls_server, certs):
    # The server's: Connection: close ends with its close_notify, not a bare FIN (with
    # ragged EOFs not suppressed, a FIN without it would raise SSLEOFError).
    with connect(tls_server.port, certs[0], suppress_ragged_eofs=False) as s:
        s.sendall(GET_CLOSE)
        assert rawhttp.read_until_close(s).endswith(b"bye")
    # The client's: the server answers ours with its own, then closes the TCP connection.
    with connect(tls_server.port, certs[0]) as s:
        s.sendall(GET)
        r = b""
        while not r.endswith(b"tls"):
            r += s.recv(4096)
        plain = s.unwrap()  # sends close_notify, returns once the server's arrived
        plain.settimeout(T)
        assert plain.recv(4096) == b""
        plain.close()


def test_requests_verifies_against_the_ca(tls_server, certs):
    r = requests.get(f"https://localhost:{tls_server.port}/echo/abc", verify=str(certs[0]), timeout=T)
    assert (r.status_code, r.text) == (200, "abc")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"https://localhost:{tls_server.port}/", verify=True, timeout=T)


def test_files_over_tls_arrive_whole(tls_server, certs):
    data = os.urandom(3 * 1024 * 1024 + 17)
    (tls_server.files / "big.bin").write_bytes(data)
    r = requests.get(f"https://127.0.0.1:{tls_server.port}/files/big.bin", verify=str(certs[0]), timeout=T)
    assert r.status_code == 200 and r.content == data
    (tls_server.static / "big.bin").write_bytes(data)
    r = requests.get(f"https://127.0.0.1:{tls_server.port}/static/big.bin", headers={"Range": "bytes=100000-"},
                     verify=str(certs[0]), timeout=T)
    assert r.status_code == 206 and r.content == data[100000:]


def test_large_file_to_a_slow_small_buffered_reader_arrives_whole_before_close(tls_server, certs):
    # The server gathers sealed records before it sends them: with Connection: close, the
    # last ones may still wait for a full socket when the response is done. They must all
    # arrive, then the close_notify (ragged EOFs not suppressed), never a cut-short body.
    data = os.urandom(2 * 1024 * 1024 + 5)
    (tls_server.static / "slow.bin").write_bytes(data)
    ctx = ssl.create_default_context(cafile=str(certs[0]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
    sock.settimeout(T)
    sock.connect(("127.0.0.1", tls_server.port))
    with ctx.wrap_socket(sock, server_hostname="127.0.0.1", suppress_ragged_eofs=False) as s:
        s.sendall(b"GET /static/slow.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        time.sleep(0.5)  # let the server fill every buffer on its side
        out = b""
        while True:
            chunk = s.recv(16384)
            if not chunk:
                break
            out += chunk
            if len(out) < 256 * 1024:
                time.sleep(0.002)  # a slow reader at first
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ") and len(body) == len(data) and body == data


def test_tls_port_beside_cleartext(server_factory, certs):
    _, cert, key = certs
    s = server_factory("--tls-cert", str(cert), "--tls-key", str(key), "--tls-port", "0")
    m = None
    deadline = time.monotonic() + 10
    while m is None and time.monotonic() < deadline:
        m = re.search(r"listening on https://127\.0\.0\.1:(\d+)/", s.stderr())
        time.sleep(0.02)
    assert m, s.stderr()
    echo_ok(int(m.group(1)), certs[0])
    assert requests.get(f"http://127.0.0.1:{s.port}/echo/plain", timeout=T).text == "plain"


def test_sighup_reload_serves_the_new_certificate_to_new_connections(server_factory, tmp_path):
    ca_a, cert, key = tlsmode.make_certificates(tmp_path / "a")
    live_cert, live_key = tmp_path / "live.pem", tmp_path / "live.key"
    live_cert.write_bytes(cert.read_bytes())
    live_key.write_bytes(key.read_bytes())
    os.chmod(live_key, 0o600)
    s = server_factory("--tls-cert", str(live_cert), "--tls-key", str(live_key), log=True)
    old = connect(s.port, ca_a)
    old.sendall(GET)
    ca_b, cert_b, key_b = tlsmode.make_certificates(tmp_path / "b", prefix="b-")
    live_cert.write_bytes(cert_b.read_bytes())
    live_key.write_bytes(key_b.read_bytes())
    s.signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while "reloaded" not in s.stderr() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "TLS certificate and key reloaded" in s.stderr()
    echo_ok(s.port, ca_b)
    with pytest.raises(ssl.SSLCertVerificationError):
        connect(s.port, ca_a).close()
    # The connection opened before keeps its session.
    old.sendall(GET_CLOSE)
    assert rawhttp.read_until_close(old).endswith(b"bye")
    old.close()


def start_bad(*flags):
    return subprocess.run([server_binary(), "--port", "0", *flags], capture_output=True, text=True, timeout=T)


def test_bad_certificate_or_key_exits_2_with_one_line(tmp_path, certs):
    ca, cert, key = certs
    other_ca, other_cert, other_key = tlsmode.make_certificates(tmp_path / "other")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    key_text = key.read_text()
    for flags in (
        ["--tls-cert", str(tmp_path / "missing.pem"), "--tls-key", str(key)],
        ["--tls-cert", str(garbage), "--tls-key", str(key)],
        ["--tls-cert", str(cert), "--tls-key", str(garbage)],
        ["--tls-cert", str(cert), "--tls-key", str(other_key)],  # does not match
        ["--tls-cert", str(cert)],
        ["--tls-port", "0"],
    ):
        p = start_bad(*flags)
        assert p.returncode == 2, (flags, p.stderr)
        assert len(p.stderr.splitlines()) == 1, (flags, p.stderr)
        assert "PRIVATE KEY" not in p.stderr and key_text.splitlines()[1] not in p.stderr


def test_world_readable_key_is_warned_about(server_factory, tmp_path, certs):
    _, cert, key = certs
    open_key = tmp_path / "open.key"
    open_key.write_bytes(key.read_bytes())
    os.chmod(open_key, 0o644)
    s = server_factory("--tls-cert", str(cert), "--tls-key", str(open_key))
    assert re.search(r"warning: --tls-key .* readable by every user", s.stderr()), s.stderr()
    assert "PRIVATE KEY" not in s.stderr() + s.stdout()


def test_connection_over_max_connections_is_closed_at_accept(server_factory, certs):
    """Over TLS the 503 of --max-connections has no channel (no handshake is spent on a
    refused connection): the extra connection is closed; once one closes, a new one is
    served."""
    _, cert, key = certs
    s = server_factory("--tls-cert", str(cert), "--tls-key", str(key), "--max-connections", "2")
    a, b = connect(s.port, certs[0]), connect(s.port, certs[0])
    try:
        for c in (a, b):
            c.sendall(GET)
            r = b""
            while not r.endswith(b"tls"):
                r += c.recv(4096)
        with pytest.raises((ssl.SSLError, ConnectionResetError, OSError)):
            connect(s.port, certs[0]).close()
        a.close()
        deadline = time.monotonic() + 15
        while True:
            try:
                echo_ok(s.port, certs[0])
                break
            except (ssl.SSLError, ConnectionResetError, OSError):
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2])
def test_session_resumption(tls_server, certs, version):
    """Session resumption (issue 15): a client offering the session of its previous
    connection resumes it (TLS 1.3 ticket, RFC 8446 §4.6.1; TLS 1.2 ticket, RFC 5077), and
    each TLS 1.3 connection brings a fresh ticket, so a chain of resumptions never runs dry."""
    ctx = ssl.create_default_context(cafile=str(certs[0]))
    ctx.minimum_version = ctx.maximum_version = version
    session, reused, ids = None, [], []
    for _ in range(4):
        with socket.create_connection(("127.0.0.1", tls_server.port), timeout=T) as raw:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1", session=session) as s:
                s.sendall(GET_CLOSE)
                data = rawhttp.read_until_close(s)
                assert data.startswith(b"HTTP/1.1 200 "), data[:200]
                reused.append(s.session_reused)
                assert s.session is not None and s.session.has_ticket
                session = s.session
                ids.append(session.id)
    assert reused == [False, True, True, True]
    if version == ssl.TLSVersion.TLSv1_3:
        # A resumed connection brings a new ticket too (the client's session id is the
        # ticket's hash, so it changes with each ticket). Without one, a client that never
        # reuses a ticket (RFC 8446 Appendix C.4; OpenSSL's SSL_clear() path, as in wrk) made
        # every other connection a full handshake.
        assert len(set(ids)) == 4, ids
