#!/usr/bin/env python3
"""The server benchmark of issues 7 and 9: httpfsm-server (both event loops) against nginx, h2o
and lighttpd under wrk on loopback. ci/bench.sh server runs it; bench_report.py server turns
its JSON into docs/PERFORMANCE.md. Standard library only.

  run_server_bench.py --httpfsm build/release/server/httpfsm-server --out results.json
      [--seconds 10] [--rounds 3] [--concurrency 1 8 64 256 512] [--idle 5000]
      [--rss-connections 10000] [--close-concurrency 32 64] [--server-cpu 0] [--client-cpu 1]
      [--only SCENARIO ...]

Every server gets the same files in a temporary directory, one worker, access log off,
keep-alive on, no compression, sendfile where it has it; each listens on a free port of
127.0.0.1 and is pinned to --server-cpu, wrk and the connection holder to --client-cpu. The
runs are alternated server by server (the order rotates every scenario and round) and each is
bounded by --seconds. Servers are stopped by their PID.
"""
import argparse
import http.client
import json
import os
import pathlib
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
SERVERS = ["httpfsm-poll", "httpfsm-epoll", "nginx", "h2o", "lighttpd"]
PEERS = ["nginx", "h2o", "lighttpd"]
SMALL_BODY = b"Hello, World!"  # 13 bytes, the classic contract's file
SMALL_PATH = "/static/hello.txt"
BIG_PATH = "/static/big.bin"
BIG_SIZE = 1 << 20
ECHO_PATH = "/echo/hello-world-1"  # a 13-byte body too; httpfsm only (the peers get the file)
PIPELINE_DEPTH = 16


def big_body():
    """The 1 MiB file's bytes: a fixed pattern, the same in every run."""
    return bytes((i * 7 + i // 251) & 0xFF for i in range(BIG_SIZE))


def log(msg):
    print(f"run_server_bench.py: {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_descriptor_limit(want):
    """Raises this process's descriptor limit (inherited by every server and client) towards
    `want`; as root the hard limit too. Returns the soft limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))
            soft, hard = want, want
        except (ValueError, OSError):
            pass
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


def process_tree(pid):
    """pid and its descendants (nginx or h2o helpers, if any)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                children = pathlib.Path(f"/proc/{p}/task/{task}/children").read_text().split()
                todo += [int(c) for c in children]
        except OSError:
            pass
    return out


def rss_kib(pid):
    total = 0
    for p in process_tree(pid):
        try:
            for line in pathlib.Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_times(pid):
    """(user, system) CPU seconds of pid and its descendants (all their threads)."""
    user = system = 0
    for p in process_tree(pid):
        try:
            fields = pathlib.Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            user += int(fields[11])  # utime (proc(5))
            system += int(fields[12])  # stime
        except (OSError, IndexError, ValueError):
            pass
    return user / CLOCK_TICKS, system / CLOCK_TICKS


def open_descriptors(pid):
    return sum(len(os.listdir(f"/proc/{p}/fd")) for p in process_tree(pid)
               if os.path.isdir(f"/proc/{p}/fd"))


def fill_template(name, values):
    text = (HERE / name).read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        sys.exit(f"run_server_bench.py: {name}: unfilled {left}")
    return text


class Server:
    def __init__(self, name, args, tmp, root, fd_limit):
        self.name = name
        self.port = free_port()
        self.dir = tmp / name
        self.dir.mkdir()
        max_connections = fd_limit - 256
        values = {"PORT": self.port, "ROOT": root, "TMP": self.dir, "FD_LIMIT": fd_limit,
                  "MAX_CONNECTIONS": max_connections}
        if name.startswith("httpfsm"):
            backend = name.split("-")[1]
            self.cmd = [args.httpfsm, "--port", str(self.port), "--log", "off",
                        "--static", str(root / "static"), "--event-loop", backend,
                        "--max-connections", str(max_connections),
                        "--idle-timeout", "600", "--header-timeout", "600"]
        elif name == "nginx":
            conf = self.dir / "nginx.conf"
            conf.write_text(fill_template("nginx.conf.in", values))
            self.cmd = ["nginx", "-c", str(conf), "-p", str(self.dir), "-e", str(self.dir / "e.log")]
        elif name == "h2o":
            # As root, h2o would switch to "nobody"; run it as the current user like the rest.
            values["USER_LINE"] = "user: root" if os.getuid() == 0 else ""
            conf = self.dir / "h2o.conf"
            conf.write_text(fill_template("h2o.conf.in", values))
            self.cmd = ["h2o", "-c", str(conf)]
        elif name == "lighttpd":
            conf = self.dir / "lighttpd.conf"
            conf.write_text(fill_template("lighttpd.conf.in", values))
            self.cmd = ["lighttpd", "-D", "-f", str(conf)]
        self.cpu = args.server_cpu
        self.proc = None

    def start(self):
        self.out = open(self.dir / "stdout.log", "wb")
        self.proc = subprocess.Popen(["taskset", "-c", str(self.cpu)] + self.cmd,
                                     stdin=subprocess.DEVNULL, stdout=self.out,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"run_server_bench.py: {self.name} exited at start; see "
                         f"{self.dir / 'stdout.log'}:\n" + (self.dir / "stdout.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        sys.exit(f"run_server_bench.py: {self.name} did not listen on {self.port}")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.out.close()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body

    def check(self, big):
        """Every server must serve the same bytes before anything is timed."""
        for path, want in [(SMALL_PATH, SMALL_BODY), (BIG_PATH, big)] + (
                [(ECHO_PATH, ECHO_PATH.rsplit("/", 1)[1].encode())]
                if self.name.startswith("httpfsm") else []):
            status, body = self.get(path)
            if status != 200 or body != want:
                self.stop()
                sys.exit(f"run_server_bench.py: {self.name} {path}: status {status}, "
                         f"{len(body)} bytes, not the expected {len(want)}")

    @property
    def pid(self):
        return self.proc.pid


WRK_DURATION_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_wrk(text):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["requests_per_sec"] = float(m.group(1)) if m else 0.0
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    # wrk prints 0 for percentiles it could not measure (pipelined requests): no value.
    r["p99_ms"] = float(m.group(1)) * WRK_DURATION_UNITS[m.group(2)] if m else None
    if not r["p99_ms"]:
        r["p99_ms"] = None
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["socket_errors"] = [int(x) for x in m.groups()] if m else [0, 0, 0, 0]
    return r


def run_wrk(args, server, scenario, results_dir, tag):
    path = scenario["path"]
    if path == ECHO_PATH and not server.name.startswith("httpfsm"):
        path = SMALL_PATH  # the peers have no /echo: the closest equivalent is the same 13 bytes
    cmd = ["taskset", "-c", str(args.client_cpu), "wrk", "-t1", "-c", str(scenario["connections"]),
           "-d", f"{args.seconds}s", "--latency", "--timeout", "10s"]
    if scenario.get("close"):
        cmd += ["-H", "Connection: close"]
    if scenario.get("pipeline"):
        cmd += ["-s", str(HERE / "pipeline.lua")]
    cmd.append(server.url(path))
    if scenario.get("pipeline"):
        cmd += ["--", str(scenario["pipeline"])]
    # CPU time per request, of the server (its processes, user + system, from /proc) and of wrk
    # (this process's waited-for children): where wrk's core is the limit, requests/s says
    # little about the servers, and what each spends per request says more.
    server_times_before = cpu_times(server.pid)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rss = []
    deadline = time.monotonic() + args.seconds + 60
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
        rss.append(rss_kib(server.pid))
    try:
        out, _ = proc.communicate(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    elapsed = time.monotonic() - started
    server_times = [b - a for a, b in zip(server_times_before, cpu_times(server.pid))]
    server_cpu = sum(server_times)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (children.ru_utime - children_before.ru_utime +
                  children.ru_stime - children_before.ru_stime)
    (results_dir / f"wrk.{tag}.txt").write_text(" ".join(cmd) + "\n" + out)
    r = parse_wrk(out)
    r["rss_max_kib"] = max(rss) if rss else rss_kib(server.pid)
    if r["requests"]:
        r["server_cpu_us_per_request"] = server_cpu * 1e6 / r["requests"]
        # The split says where a server can still save: its own code (user) or the kernel's
        # socket work it asks for (system).
        r["server_user_us_per_request"] = server_times[0] * 1e6 / r["requests"]
        r["server_system_us_per_request"] = server_times[1] * 1e6 / r["requests"]
        r["client_cpu_us_per_request"] = client_cpu * 1e6 / r["requests"]
    r["client_busy"] = client_cpu / elapsed if elapsed > 0 else None
    r["server_busy"] = server_cpu / elapsed if elapsed > 0 else None
    return r


class Holder:
    """bench/server/hold_connections.py as a child: opens, answers and holds `count` idle
    keep-alive connections until released."""

    def __init__(self, args, server, count):
        self.proc = subprocess.Popen(
            ["taskset", "-c", str(args.client_cpu), sys.executable,
             str(HERE / "hold_connections.py"), "--port", str(server.port), "--path", SMALL_PATH,
             "--count", str(count), "--max-seconds", str(args.seconds * 4 + 300)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if line != f"ready {count}":
            self.release()
            sys.exit(f"run_server_bench.py: holding {count} connections to {server.name} "
                     f"failed ({line!r})")

    def release(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def wait_for_descriptors(server, seconds=30):
    """After a holder released its connections: wait until the server closed them."""
    deadline = time.monotonic() + seconds
    while open_descriptors(server.pid) > server.base_fds + 16 and time.monotonic() < deadline:
        time.sleep(0.2)


def scenarios(args):
    s = [{"name": f"keepalive_c{c}", "path": SMALL_PATH, "connections": c}
         for c in args.concurrency]
    s += [
        {"name": "echo_c64", "path": ECHO_PATH, "connections": 64},
        {"name": "pipeline16_c64", "path": SMALL_PATH, "connections": 64,
         "pipeline": PIPELINE_DEPTH},
        {"name": "file1m_c16", "path": BIG_PATH, "connections": 16},
    ]
    # A new connection per request: wrk sends "Connection: close" and reconnects after each
    # response (issue 18 measures -c 32).
    s += [{"name": f"close_c{c}", "path": SMALL_PATH, "connections": c, "close": True}
          for c in args.close_concurrency]
    s += [
        {"name": f"idle{args.idle}_c64", "path": SMALL_PATH, "connections": 64,
         "hold": args.idle},
        {"name": f"rss_idle{args.rss_connections}", "rss_hold": args.rss_connections},
    ]
    if args.only:
        s = [x for x in s if x["name"] in args.only]
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--httpfsm", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 64, 256, 512])
    ap.add_argument("--idle", type=int, default=5000)
    ap.add_argument("--rss-connections", type=int, default=10000)
    ap.add_argument("--close-concurrency", type=int, nargs="+", default=[32, 64])
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--client-cpu", type=int, default=1)
    ap.add_argument("--servers", nargs="+", default=SERVERS)
    ap.add_argument("--only", nargs="*", help="run only these scenarios")
    args = ap.parse_args()
    for tool in ["wrk", "taskset", "nginx", "h2o", "lighttpd"]:
        if shutil.which(tool) is None:
            sys.exit(f"run_server_bench.py: {tool} not found (ci/deps.sh bench installs it)")
    need = max(args.rss_connections, args.idle) + 1024
    fd_limit = raise_descriptor_limit(max(need, 65536))
    if fd_limit < need:
        sys.exit(f"run_server_bench.py: {need} descriptors needed, the limit is {fd_limit}")
    args.httpfsm = str(pathlib.Path(args.httpfsm).resolve())
    out_path = pathlib.Path(args.out)
    results_dir = out_path.parent / "server-runs"
    results_dir.mkdir(parents=True, exist_ok=True)

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="httpfsm-bench-server-"))
    os.chmod(tmp, 0o755)
    root = tmp / "www"
    (root / "static").mkdir(parents=True)
    (root / "static" / "hello.txt").write_bytes(SMALL_BODY)
    big = big_body()
    (root / "static" / "big.bin").write_bytes(big)

    servers = [Server(n, args, tmp, root, fd_limit) for n in args.servers]
    result = {"config": {"seconds": args.seconds, "rounds": args.rounds,
                         "concurrency": args.concurrency, "idle": args.idle,
                         "rss_connections": args.rss_connections,
                         "close_concurrency": args.close_concurrency,
                         "server_cpu": args.server_cpu, "client_cpu": args.client_cpu,
                         "fd_limit": fd_limit, "servers": args.servers,
                         "pipeline_depth": PIPELINE_DEPTH},
              "runs": [], "rss": [], "idle_rss_kib": {}}
    try:
        for s in servers:
            s.start()
            s.check(big)
            time.sleep(0.2)
            s.base_fds = open_descriptors(s.pid)
            result["idle_rss_kib"][s.name] = rss_kib(s.pid)
        log(f"servers up: " + ", ".join(f"{s.name} :{s.port}" for s in servers))
        plan = scenarios(args)
        for rnd in range(args.rounds):
            for si, sc in enumerate(plan):
                shift = (rnd + si) % len(servers)
                for s in servers[shift:] + servers[:shift]:
                    tag = f"{sc['name']}.{s.name}.{rnd}"
                    if "rss_hold" in sc:
                        wait_for_descriptors(s)
                        before = rss_kib(s.pid)
                        holder = Holder(args, s, sc["rss_hold"])
                        time.sleep(1)
                        held = rss_kib(s.pid)
                        holder.release()
                        wait_for_descriptors(s)
                        result["rss"].append({"round": rnd, "server": s.name,
                                              "connections": sc["rss_hold"],
                                              "before_kib": before, "held_kib": held})
                        log(f"{tag}: {before} KiB -> {held} KiB with {sc['rss_hold']} idle")
                        continue
                    holder = Holder(args, s, sc["hold"]) if "hold" in sc else None
                    try:
                        r = run_wrk(args, s, sc, results_dir, tag)
                    finally:
                        if holder:
                            holder.release()
                            wait_for_descriptors(s)
                    r.update({"round": rnd, "scenario": sc["name"], "server": s.name})
                    result["runs"].append(r)
                    log(f"{tag}: {r['requests_per_sec']:.0f} req/s, p99 {r['p99_ms']} ms, "
                        f"CPU/request: server {r.get('server_cpu_us_per_request', 0):.2f} us "
                        f"(user {r.get('server_user_us_per_request', 0):.2f}), "
                        f"wrk {r.get('client_cpu_us_per_request', 0):.2f} us"
                        + (f", {r['non_2xx']} non-2xx" if r["non_2xx"] else "")
                        + (f", socket errors {r['socket_errors']}"
                           if any(r["socket_errors"]) else ""))
                    time.sleep(0.5)
                out_path.write_text(json.dumps(result, indent=1))
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    out_path.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
