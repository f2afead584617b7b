"""Debian's haproxy in front of two httpfsm-server instances on 127.0.0.1, configured by
docs/deploy/haproxy.cfg (the file docs/DEPLOYMENT.md shows): round robin, health check
GET /, send-proxy-v2. Requests spread over both; the access logs show the real client
address (clients connect from other loopback addresses, 127.0.0.2 and up, so the address can
only have come from the PROXY header); SIGTERM of one instance during 500 requests costs the
client nothing; and the smuggling requests of cases.py never make haproxy and httpfsm
disagree about where a request ends (what reaches httpfsm's access logs is what haproxy
logged as forwarded, client by client).

In the HTTPS run (conformance.tls.test_haproxy) the instances speak TLS and haproxy reaches
them with `ssl` (verifying the test CA) behind the same `send-proxy-v2`: the PROXY header goes
raw, ahead of each TLS handshake, health checks included (docs/DEPLOYMENT.md)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import cases
import tlsmode
from conftest import EVENT_LOOP
from serverproc import ServerProcess

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CONFIG = Path(__file__).resolve().parent.parent / "docs" / "deploy" / "haproxy.cfg"
T = 10
ACCESS = re.compile(r'^(\S+) - - \[[^\]]*\] "(.*)" (\d{3}) ')
HAPROXY_LINE = re.compile(r'^(\S+) (\S+)/(\S+) (-?\d+) "(.*)"$')
# What docs/DEPLOYMENT.md adds to the default-server line for instances that speak HTTPS.
TLS_SERVER_OPTIONS = 'ssl verify required ca-file "${HTTPFSM_CA}" verifyhost localhost alpn http/1.1'


def config_file(work):
    """docs/deploy/haproxy.cfg; in the HTTPS run with TLS_SERVER_OPTIONS on its servers."""
    if not tlsmode.ENABLED:
        return CONFIG
    text = CONFIG.read_text()
    line = "send-proxy-v2 check-send-proxy"
    assert text.count(line) == 1
    path = work / "haproxy-tls.cfg"
    path.write_text(text.replace(line, line + " " + TLS_SERVER_OPTIONS))
    return path



def setup_module():
    # Not a skip: a missing haproxy must fail the suite, not pass it unseen.
    assert os.access(HAPROXY, os.X_OK), "haproxy is not installed (ci/deps.sh test installs it)"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pair:
    """Two httpfsm-server instances and haproxy in front of them."""

    def __init__(self, work):
        flags = ["--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--log", "common", "--shutdown-timeout", "5"]
        if EVENT_LOOP:
            flags += ["--event-loop", EVENT_LOOP]
        self.a = ServerProcess(work / "a", flags, name="a")
        self.b = ServerProcess(work / "b", flags, name="b")
        self.port = free_port()
        env = dict(os.environ, HTTPFSM_FRONTEND=f"127.0.0.1:{self.port}", HTTPFSM_A=f"127.0.0.1:{self.a.port}", HTTPFSM_B=f"127.0.0.1:{self.b.port}")
        if tlsmode.ENABLED:
            env["HTTPFSM_CA"] = str(tlsmode.material()[0])
        self.log_path = work / "haproxy.log"
        with open(self.log_path, "wb") as out:
            self.haproxy = subprocess.Popen([HAPROXY, "-db", "-f", str(config_file(work))], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            self.wait_until_healthy()
        except BaseException:
            self.stop_all()  # the fixture never gets a Pair to close: stop what was started
            raise

    def wait_until_healthy(self):
        # Ready when both servers passed a health check (their logs show GET / from haproxy).
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if all('"GET / HTTP/1.0" 200' in s.stdout() for s in (self.a, self.b)):
                return
            assert self.haproxy.poll() is None, self.log_path.read_text()
            time.sleep(0.05)
        raise AssertionError("haproxy did not report both servers healthy: " + self.log_path.read_text())

    def get(self, path, source="127.0.0.2"):
        """Status and body of GET path through haproxy from `source`, on a new connection."""
        with socket.socket() as c:
            c.settimeout(T)
            c.bind((source, 0))
            c.connect(("127.0.0.1", self.port))
            c.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = read_all(c, time.monotonic() + T)
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else None, body

    def access_lines(self, *servers):
        out = []
        for s in servers or (self.a, self.b):
            out += [m.groups() for m in map(ACCESS.match, s.stdout().splitlines()) if m]
        return out

    def haproxy_lines(self):
        return [m.groups() for m in map(HAPROXY_LINE.match, self.log_path.read_text("utf-8", "replace").splitlines()) if m]

    def stop_all(self):
        """Stops haproxy and both servers; their exit statuses."""
        self.haproxy.terminate()
        try:
            self.haproxy.wait(timeout=T)
        except subprocess.TimeoutExpired:
            self.haproxy.kill()
            self.haproxy.wait()
        return [self.a.stop(), self.b.stop()]

    def close(self):
        statuses = self.stop_all()
        assert statuses == [0, 0], statuses


def read_all(sock, deadline):
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


@pytest.fixture
def pair(tmp_path):
    p = Pair(tmp_path)
    yield p
    p.close()


def test_requests_spread_and_the_access_log_shows_the_real_client(pair):
    for i in range(20):
        assert pair.get(f"/echo/spread{i}") == (200, f"spread{i}".encode())
    time.sleep(0.3)  # the access log leaves once per loop turn
    for server in (pair.a, pair.b):
        mine = [line for line in pair.access_lines(server) if "/echo/spread" in line[1]]
        assert len(mine) == 10, mine  # round robin
        assert {client for client, _, _ in mine} == {"127.0.0.2"}, mine


def test_sigterm_of_one_instance_during_load_gives_the_client_no_errors(pair):
    results = []
    lock = threading.Lock()

    def client(n, source):
        for i in range(n):
            try:
                status, body = pair.get(f"/echo/load{i}", source)
                ok = status == 200 and body == f"load{i}".encode()
            except OSError as e:
                ok, status = False, repr(e)
            with lock:
                results.append(ok or status)

    threads = [threading.Thread(target=client, args=(125, f"127.0.0.{3 + k}")) for k in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(results) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    at_signal = len(results)
    pair.a.signal(signal.SIGTERM)
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(results) == 500
    assert at_signal < 450, f"SIGTERM came after {at_signal} of 500 requests: not during the load"
    failures = [r for r in results if r is not True]
    assert failures == [], f"{len(failures)} of 500 failed: {failures[:5]}"
    assert pair.a.wait(timeout=15) == 0
    assert "/echo/load" in pair.b.stdout()


def test_smuggling_cases_through_haproxy_never_desynchronise(pair):
    """Each case is sent from its own client address. haproxy logs what it forwarded (and
    <NOSRV> for what it refused itself); httpfsm logs what it read. Per client, the request
    lines httpfsm saw are exactly those haproxy forwarded: a request hidden in a body would
    show up in httpfsm's log alone."""
    smuggling = cases.in_group("smuggling")
    assert len(smuggling) >= 40
    sources = {}
    for n, case in enumerate(smuggling):
        source = f"127.0.1.{n + 1}"
        sources[source] = case.id
        with socket.socket() as c:
            c.bind((source, 0))
            c.settimeout(T)
            c.connect(("127.0.0.1", pair.port))
            try:
                c.sendall(case.request)
                c.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            read_all(c, time.monotonic() + 3)
    time.sleep(1.0)  # haproxy logs at the end of each session, httpfsm once per loop turn
    forwarded = Counter()
    for client, _, server, _, request in pair.haproxy_lines():
        if client in sources and server != "<NOSRV>":
            forwarded[client, request] += 1
    seen = Counter()
    for client, request, _ in pair.access_lines():
        if client in sources:
            seen[client, request] += 1
    disagreements = {sources[c]: (r, seen[c, r], forwarded[c, r]) for c, r in set(seen) | set(forwarded) if seen[c, r] != forwarded[c, r]}
    assert disagreements == {}, disagreements
    assert sum(forwarded.values()) > 0  # some cases are well-formed enough for haproxy to pass on
