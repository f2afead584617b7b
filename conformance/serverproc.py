"""Starts and stops one httpfsm-server process for the tests: a free port on 127.0.0.1
(`--port 0`, the port read from the server's "listening on" line, printed once it listens),
stdout and stderr in files, and the /proc views the fixtures check (descriptors, resident
memory)."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import tlsmode

LISTENING = re.compile(r"listening on (https?)://127\.0\.0\.1:(\d+)/")
START_TIMEOUT = 20.0  # seconds; a loaded machine may take a while to exec and bind
STOP_TIMEOUT = 20.0  # the server drains for at most --shutdown-timeout (10 s) after SIGTERM


def server_binary():
    path = os.environ.get("HTTPFSM_SERVER")
    if not path:
        raise RuntimeError("HTTPFSM_SERVER is not set: run the suite through ctest, or export it as the path of the built httpfsm-server")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"HTTPFSM_SERVER={path} is not an executable")
    return path


class ServerProcess:
    """A running httpfsm-server. `args` are extra flags; --bind and --port are ours.
    `binary`: another program taking --bind, --port and printing the same "listening on"
    line (the tutorial app). `env` and `preexec_fn` as for subprocess.Popen (a test hook's
    variable, a lower rlimit)."""

    def __init__(self, workdir, args=(), name="server", binary=None, env=None, preexec_fn=None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.args = list(args)
        self.stdout_path = self.workdir / f"{name}.stdout"
        self.stderr_path = self.workdir / f"{name}.stderr"
        if tlsmode.ENABLED and binary is None and "--tls-cert" not in self.args:
            self.args += tlsmode.server_flags()  # the suite's HTTPS run
        argv = [binary or server_binary(), "--bind", "127.0.0.1", "--port", "0", *self.args]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, preexec_fn=preexec_fn
            )
        self.pid = self.proc.pid
        # The server prints its port after listen(): from then on connections are queued by
        # the kernel and accepted by the worker, so no probe connection is needed (one would
        # count against --max-connections and blur the descriptor baseline).
        self.port = self._wait_for_port()
        self.baseline_fds = self.fd_count()

    def _wait_for_port(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            m = LISTENING.search(self.stderr())
            if m:
                self.scheme = m.group(1)
                port = int(m.group(2))
                if self.scheme == "https":
                    tlsmode.TLS_PORTS.add(port)
                return port
            if self.proc.poll() is not None:
                raise RuntimeError(f"httpfsm-server exited with {self.proc.returncode} at start: {self.stderr()!r}")
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"httpfsm-server did not report its port within {START_TIMEOUT:.0f} s: {self.stderr()!r}")

    @property
    def url(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stdout(self):
        return self.stdout_path.read_text("utf-8", "replace")

    def stderr(self):
        return self.stderr_path.read_text("utf-8", "replace")

    def alive(self):
        return self.proc.poll() is None

    def fd_count(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def fd_targets(self):
        out = []
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                out.append(os.readlink(f"/proc/{self.pid}/fd/{fd}"))
            except OSError:
                pass
        return sorted(out)

    def rss_kib(self):
        """VmRSS from /proc/PID/status, in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS in /proc/PID/status")

    def wait_for_fds(self, count, timeout=15.0):
        """Waits until the server holds at most `count` descriptors (connections the client
        closed are closed by the server when it reads the EOF, or after its linger time)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.fd_count() <= count:
                return True
            time.sleep(0.05)
        return self.fd_count() <= count

    def signal(self, sig):
        os.kill(self.pid, sig)

    def wait(self, timeout=STOP_TIMEOUT):
        """The exit status, or None if still running after `timeout` seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        """SIGTERM, then the exit status (README: SIGTERM exits 0). Kills after a bounded
        wait, and then reports None."""
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.signal(signal.SIGTERM)
        status = self.wait()
        if status is None:
            self.kill()
        return status

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)
