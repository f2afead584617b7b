#!/usr/bin/env python3
"""The TLS server benchmark of issue 15: httpfsm-server against nginx, h2o and lighttpd over
TLS on loopback, the same certificate and key (ECDSA P-256 by default, --key-type rsa2048 for
RSA) for all, one worker each, access log off. Standard library and the openssl command.

  run_tls_bench.py --httpfsm build/dev/server/httpfsm-server --out tls.json
      [--seconds 5] [--rounds 3] [--servers httpfsm nginx h2o lighttpd] [--key-type ec|rsa2048]
      [--server-cpu 0] [--client-cpu 1]

Scenarios, each bounded by --seconds, servers alternated (the order rotates every scenario
and round), servers and clients pinned to their CPUs:
  handshake_c16  wrk, 16 connections, "Connection: close": a handshake per request. wrk
                 offers its previous connection's session (SSL_clear keeps it), so a
                 connection resumes when the one before it left a ticket: every connection
                 with a server that renews tickets on resumption, every other one without
  handshake_1    openssl s_time -new: one client, one full handshake after another
  resume_1       openssl s_time -reuse: one client resuming its session each time (TLS 1.3
                 ticket, PSK with (EC)DHE)
  keepalive_c64  wrk, 64 keep-alive connections, the 13-byte file
  file1m_c8      wrk, 8 keep-alive connections, a 1 MiB file (the body over TLS: kTLS where
                 the kernel has it, otherwise each server's read + SSL_write path)
After the rounds, --idle-rss N (1000) opens N connections per server, one GET each, holds them
idle and reports the server's RSS growth per connection.
--callgrind N runs each server under callgrind instead and reports the instructions it
executes per full and per resumed handshake (N of each, one GET each, TLS 1.3): the figure
that does not depend on the machine's load.
Every wrk run also reports the server's CPU time per request (its user + system time from
/proc over the run): on a shared machine the steadiest figure of what a handshake costs.
The client offers TLS 1.3 with TLS_AES_128_GCM_SHA256 and X25519 first, so every server
negotiates the same suite and group.
"""
import argparse
import http.client
import json
import os
import pathlib
import re
import resource
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run_server_bench as rsb  # noqa: E402  (the helpers: ports, templates, /proc)

SERVERS = ["httpfsm", "nginx", "h2o", "lighttpd"]
TLS13_SUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
SMALL_PATH = rsb.SMALL_PATH
SMALL_BODY = rsb.SMALL_BODY
BIG_PATH = rsb.BIG_PATH


def log(msg):
    print(f"run_tls_bench.py: {msg}", file=sys.stderr, flush=True)


def make_certificate(d, key_type):
    """A CA and a server certificate for 127.0.0.1 and localhost signed by it."""
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True, timeout=60)
    key_args = (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] if key_type == "ec"
                else ["-newkey", "rsa:2048"])
    run("req", "-x509", *key_args, "-nodes", "-days", "2", "-subj", "/CN=bench CA",
        "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"))
    run("req", *key_args, "-nodes", "-subj", "/CN=localhost", "-keyout", str(d / "server.key"),
        "-out", str(d / "server.csr"))
    (d / "san.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", str(d / "server.csr"), "-CA", str(d / "ca.pem"), "-CAkey",
        str(d / "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", str(d / "san.cnf"),
        "-out", str(d / "server.pem"))
    os.chmod(d / "server.key", 0o600)
    return d / "ca.pem", d / "server.pem", d / "server.key"


class TlsServer:
    def __init__(self, name, args, tmp, root, fd_limit, cert, key, ca):
        self.name = name
        self.port = rsb.free_port()
        self.dir = tmp / name
        self.dir.mkdir()
        self.ca = ca
        max_connections = fd_limit - 256
        values = {"PORT": self.port, "ROOT": root, "TMP": self.dir, "FD_LIMIT": fd_limit,
                  "MAX_CONNECTIONS": max_connections, "CERT": cert, "KEY": key,
                  "TLS13_SUITES": TLS13_SUITES}
        if name == "httpfsm":
            self.cmd = [args.httpfsm, "--port", str(self.port), "--log", "off",
                        "--static", str(root / "static"), "--event-loop", "epoll",
                        "--max-connections", str(max_connections), "--idle-timeout", "600",
                        "--header-timeout", "600", "--tls-cert", str(cert), "--tls-key", str(key)]
        elif name == "nginx":
            conf = self.dir / "nginx.conf"
            conf.write_text(rsb.fill_template("nginx-tls.conf.in", values))
            self.cmd = ["nginx", "-c", str(conf), "-p", str(self.dir), "-e", str(self.dir / "e.log")]
        elif name == "h2o":
            values["USER_LINE"] = "user: root" if os.getuid() == 0 else ""
            conf = self.dir / "h2o.conf"
            conf.write_text(rsb.fill_template("h2o-tls.conf.in", values))
            self.cmd = ["h2o", "-c", str(conf)]
        elif name == "lighttpd":
            conf = self.dir / "lighttpd.conf"
            conf.write_text(rsb.fill_template("lighttpd-tls.conf.in", values))
            self.cmd = ["lighttpd", "-D", "-f", str(conf)]
        self.cpu = args.server_cpu
        self.proc = None

    start = rsb.Server.start
    stop = rsb.Server.stop

    def url(self, path):
        return f"https://127.0.0.1:{self.port}{path}"

    def check(self):
        """Serves the file over TLS 1.3 with the expected suite and group before anything is
        timed."""
        ctx = ssl.create_default_context(cafile=str(self.ca))
        c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10, context=ctx)
        c.request("GET", SMALL_PATH)
        r = c.getresponse()
        body = r.read()
        version, cipher = c.sock.version(), c.sock.cipher()[0]
        c.close()
        if r.status != 200 or body != SMALL_BODY:
            self.stop()
            sys.exit(f"run_tls_bench.py: {self.name}: status {r.status}, {body[:40]!r}")
        return version, cipher

    @property
    def pid(self):
        return self.proc.pid


def client_cpu_seconds():
    """User + system CPU seconds of this process's waited-for children (the load clients)."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def add_busy(r, server_cpu, client_cpu, elapsed):
    """How busy the server and the client were: far below 1 on both, the rate measures the
    machine's scheduling rather than either side."""
    r["server_busy"] = server_cpu / elapsed if elapsed > 0 else None
    r["client_busy"] = client_cpu / elapsed if elapsed > 0 else None


def run_s_time(args, server, reuse):
    cmd = ["taskset", "-c", str(args.client_cpu), "openssl", "s_time", "-connect",
           f"127.0.0.1:{server.port}", "-www", SMALL_PATH, "-time", str(args.seconds),
           "-CAfile", str(server.ca), "-ciphersuites", "TLS_AES_128_GCM_SHA256",
           "-reuse" if reuse else "-new"]
    before, client_before = sum(rsb.cpu_times(server.pid)), client_cpu_seconds()
    started = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds + 60)
    elapsed = time.monotonic() - started
    cpu = sum(rsb.cpu_times(server.pid)) - before
    # s_time reports whole "real seconds" only: the rate is taken over the measured run.
    m = re.findall(r"(\d+) connections in \d+ real seconds", p.stdout)
    r = {"connections": int(m[-1]) if m else 0}
    r["per_sec"] = r["connections"] / elapsed
    # s_time prints "r" for a resumed connection and "*" for a full one.
    marks = "".join(re.findall(r"^[r*]+$", p.stdout, re.M))
    r["resumed"], r["full"] = marks.count("r"), marks.count("*")
    if r["connections"]:
        r["server_cpu_us_per_connection"] = cpu * 1e6 / r["connections"]
    add_busy(r, cpu, client_cpu_seconds() - client_before, elapsed)
    return r, " ".join(cmd) + "\n" + p.stdout + p.stderr


def run_wrk(args, server, connections, close, path=SMALL_PATH):
    cmd = ["taskset", "-c", str(args.client_cpu), "wrk", "-t1", "-c", str(connections), "-d",
           f"{args.seconds}s", "--timeout", "10s"]
    if close:
        cmd += ["-H", "Connection: close"]
    cmd.append(server.url(path))
    before, client_before = sum(rsb.cpu_times(server.pid)), client_cpu_seconds()
    started = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds + 60)
    elapsed = time.monotonic() - started
    cpu = sum(rsb.cpu_times(server.pid)) - before
    r = rsb.parse_wrk(p.stdout)
    add_busy(r, cpu, client_cpu_seconds() - client_before, elapsed)
    if r["requests"]:
        r["server_cpu_us_per_request"] = cpu * 1e6 / r["requests"]
    return r, " ".join(cmd) + "\n" + p.stdout + p.stderr


def handshakes(port, ca, count, resume):
    """`count` TLS 1.3 connections, one GET each; resume: offer the previous session. Returns
    how many were answered and how many resumed."""
    ctx = ssl.create_default_context(cafile=str(ca))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    session, ok, resumed = None, 0, 0
    for _ in range(count):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as c:
                c.sendall(b"GET " + SMALL_PATH.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
                          b"Connection: close\r\n\r\n")
                data = b""
                while True:
                    try:
                        chunk = c.recv(4096)
                    except (ssl.SSLError, OSError):
                        break
                    if not chunk:
                        break
                    data += chunk
                ok += data.startswith(b"HTTP/1.1 200") and data.endswith(SMALL_BODY)
                resumed += c.session_reused
                if resume:
                    session = c.session
    return ok, resumed


def callgrind_per_handshake(server, tmp, count, resume):
    """Instructions the server executes per handshake (and its one request), by callgrind:
    instrumentation is switched on only around `count` handshakes, after a warm-up. Counts
    the server's main process only: h2o signs in a forked neverbleed process, which is left
    out (a P-256 signature is about 0.24M instructions)."""
    out_dir = tmp / f"callgrind-{server.name}-{'resume' if resume else 'full'}"
    out_dir.mkdir()
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
           f"--callgrind-out-file={out_dir}/cg.%p.out"] + server.cmd
    log_file = open(out_dir / "server.log", "wb")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    sys.exit(f"run_tls_bench.py: {server.name} under callgrind did not start")
                time.sleep(0.2)
        handshakes(server.port, server.ca, 3, resume)
        def ctl(*a):
            # valgrind takes the command when the server runs code: a server asleep in
            # epoll_wait without timers (nginx) is woken by a bare TCP connection (a few
            # thousand instructions, against millions per handshake).
            c = subprocess.Popen(["callgrind_control", *a, str(proc.pid)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while c.poll() is None and time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", server.port), timeout=5).close()
                except OSError:
                    pass
                time.sleep(0.3)
            if c.poll() is None:
                c.kill()
                sys.exit(f"run_tls_bench.py: callgrind_control {a} did not finish")

        ctl("-i", "on")
        ok, resumed = handshakes(server.port, server.ca, count, resume)
        ctl("-i", "off")
        ctl("-d")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()
    dumps = sorted(out_dir.glob("cg.*.out.1"))  # the dump of the process switched on
    total = None
    for line in dumps[0].read_text().splitlines() if dumps else []:
        if line.startswith(("summary:", "totals:")):
            total = int(line.split()[1])
    if ok != count or not total or (resume and resumed < count - 1):
        sys.exit(f"run_tls_bench.py: {server.name} callgrind run: {ok}/{count} answered, "
                 f"{resumed} resumed, total {total}")
    return {"instructions_per_handshake": total / count, "handshakes": count, "resumed": resumed}


def idle_rss(server, count):
    """Issue 15's memory figure: `count` TLS 1.3 connections, each answered one keep-alive GET
    and then held idle; the server's RSS growth over them per connection, in KiB (kernel
    socket memory not included)."""
    ctx = ssl.create_default_context(cafile=str(server.ca))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    request = b"GET " + SMALL_PATH.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    time.sleep(0.5)
    before = rsb.rss_kib(server.pid)
    held = []
    try:
        for _ in range(count):
            c = ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port), timeout=10),
                                server_hostname="localhost")
            held.append(c)
            c.sendall(request)
            data = b""
            while not data.endswith(SMALL_BODY):
                chunk = c.recv(4096)
                if not chunk:
                    sys.exit(f"run_tls_bench.py: {server.name} closed an idle-RSS connection")
                data += chunk
        time.sleep(0.5)
        after = rsb.rss_kib(server.pid)
    finally:
        for c in held:
            c.close()
    return {"connections": count, "rss_before_kib": before, "rss_held_kib": after,
            "kib_per_connection": (after - before) / count}


SCENARIOS = {
    "handshake_c16": lambda a, s: run_wrk(a, s, 16, True),
    "handshake_1": lambda a, s: run_s_time(a, s, False),
    "resume_1": lambda a, s: run_s_time(a, s, True),
    "keepalive_c64": lambda a, s: run_wrk(a, s, 64, False),
    "file1m_c8": lambda a, s: run_wrk(a, s, 8, False, BIG_PATH),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--httpfsm", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--client-cpu", type=int, default=1)
    ap.add_argument("--servers", nargs="+", default=SERVERS)
    ap.add_argument("--key-type", choices=["ec", "rsa2048"], default="ec")
    ap.add_argument("--only", nargs="*", choices=list(SCENARIOS), help="run only these scenarios")
    ap.add_argument("--idle-rss", type=int, default=1000, metavar="N",
                    help="after the rounds: RSS per idle TLS connection over N (0: skip)")
    ap.add_argument("--callgrind", type=int, default=0, metavar="N",
                    help="instead: instructions per full and per resumed handshake, N of each")
    args = ap.parse_args()
    for tool in ["wrk", "taskset", "openssl", *[s for s in args.servers if s != "httpfsm"]]:
        if shutil.which(tool) is None:
            sys.exit(f"run_tls_bench.py: {tool} not found (ci/deps.sh bench installs it)")
    fd_limit = rsb.raise_descriptor_limit(65536)
    args.httpfsm = str(pathlib.Path(args.httpfsm).resolve())
    out_path = pathlib.Path(args.out)
    results_dir = out_path.parent / "tls-runs"
    results_dir.mkdir(parents=True, exist_ok=True)

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="httpfsm-bench-tls-"))
    os.chmod(tmp, 0o755)
    root = tmp / "www"
    (root / "static").mkdir(parents=True)
    (root / "static" / "hello.txt").write_bytes(SMALL_BODY)
    (root / BIG_PATH.lstrip("/")).write_bytes(rsb.big_body())
    (tmp / "certs").mkdir()
    ca, cert, key = make_certificate(tmp / "certs", args.key_type)
    os.chmod(key, 0o644)  # the peers' workers may read it as another user; a throwaway key

    servers = [TlsServer(n, args, tmp, root, fd_limit, cert, key, ca) for n in args.servers]
    plan = [n for n in SCENARIOS if not args.only or n in args.only]
    result = {"config": {"seconds": args.seconds, "rounds": args.rounds,
                         "servers": args.servers, "key_type": args.key_type,
                         "server_cpu": args.server_cpu, "client_cpu": args.client_cpu,
                         "openssl": ssl.OPENSSL_VERSION}, "negotiated": {}, "runs": []}
    if args.callgrind:
        result["callgrind"] = []
        try:
            for s in servers:
                for resume in (False, True):
                    r = callgrind_per_handshake(s, tmp, args.callgrind, resume)
                    r.update({"server": s.name, "scenario": "resume" if resume else "full"})
                    result["callgrind"].append(r)
                    log(f"callgrind {r['scenario']} {s.name}: "
                        f"{r['instructions_per_handshake']:,.0f} instructions per handshake")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        out_path.write_text(json.dumps(result, indent=1))
        return
    try:
        for s in servers:
            s.start()
            result["negotiated"][s.name] = s.check()
        log("servers up: " + ", ".join(f"{s.name} :{s.port} {result['negotiated'][s.name]}"
                                        for s in servers))
        for rnd in range(args.rounds):
            for si, name in enumerate(plan):
                shift = (rnd + si) % len(servers)
                for s in servers[shift:] + servers[:shift]:
                    tag = f"{name}.{s.name}.{rnd}"
                    r, text = SCENARIOS[name](args, s)
                    (results_dir / f"{tag}.txt").write_text(text)
                    r.update({"round": rnd, "scenario": name, "server": s.name})
                    result["runs"].append(r)
                    rate = r.get("requests_per_sec", r.get("per_sec", 0))
                    cpu = r.get("server_cpu_us_per_request", r.get("server_cpu_us_per_connection", 0))
                    log(f"{tag}: {rate:.0f}/s, server CPU {cpu:.0f} us each, busy: server "
                        f"{r['server_busy']:.2f}, client {r['client_busy']:.2f}")
                    time.sleep(0.3)
                out_path.write_text(json.dumps(result, indent=1))
        if args.idle_rss:
            result["idle_rss"] = {}
            for s in servers:
                r = idle_rss(s, args.idle_rss)
                result["idle_rss"][s.name] = r
                log(f"idle RSS {s.name}: {r['kib_per_connection']:.1f} KiB per connection "
                    f"({r['rss_before_kib']} -> {r['rss_held_kib']} KiB over {r['connections']})")
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    out_path.write_text(json.dumps(result, indent=1))
    summary = {}
    for r in result["runs"]:
        rate = r.get("requests_per_sec", r.get("per_sec", 0))
        summary.setdefault(r["scenario"], {}).setdefault(r["server"], []).append(round(rate))
    for name, by_server in summary.items():
        log(f"{name}: " + "; ".join(f"{k} {v}" for k, v in by_server.items()))


if __name__ == "__main__":
    main()
