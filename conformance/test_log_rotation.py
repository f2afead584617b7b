"""Log rotation by signal (docs/DEPLOYMENT.md "Logs and their rotation"): with --access-log and
--error-log the server writes its own files; after they are renamed, SIGUSR1 makes it reopen
the names, so the renamed files get no new line and new lines go to new files, as nginx does
on USR1. A file that cannot be opened at start is one line on stderr and exit 2."""

import os
import signal
import subprocess
import time

import rawhttp
from conftest import EVENT_LOOP
from serverproc import ServerProcess, server_binary

T = 10


def wait_for(predicate, what):
    deadline = time.monotonic() + T
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {T} s: {what}")


def text(path):
    return path.read_text("utf-8", "replace") if path.exists() else ""


def get(port, name):
    r = rawhttp.request(port, rawhttp.get(f"/echo/{name}", [("Connection", "close")]))
    assert r.status == 200


def test_sigusr1_reopens_the_renamed_access_and_error_logs(tmp_path):
    work = tmp_path / "s"
    access = work / "access.log"
    # The error log is the file the harness reads the "listening on" line from.
    errors = work / "server.stderr"
    args = ["--log", "common", "--access-log", str(access), "--error-log", str(errors)]
    if EVENT_LOOP:
        args += ["--event-loop", EVENT_LOOP]
    s = ServerProcess(work, args)
    try:
        get(s.port, "one")
        wait_for(lambda: "/echo/one" in text(access), "the first request in access.log")
        assert s.stdout() == ""  # nothing on standard output itself
        os.rename(access, work / "access.log.1")
        os.rename(errors, work / "error.log.1")
        get(s.port, "two")  # before the signal: still the renamed file
        wait_for(lambda: "/echo/two" in text(work / "access.log.1"), "the second request in the renamed file")
        s.signal(signal.SIGUSR1)
        wait_for(lambda: "SIGUSR1: log files reopened" in text(errors), "the reopen reported in the new error log")
        get(s.port, "three")
        wait_for(lambda: "/echo/three" in text(access), "the third request in the new access.log")
        assert s.alive()
    finally:
        assert s.stop() == 0
    old_access, new_access = text(work / "access.log.1"), text(access)
    assert "/echo/one" in old_access and "/echo/two" in old_access and "/echo/three" not in old_access
    assert "/echo/one" not in new_access and len(new_access.splitlines()) == 1
    old_errors, new_errors = text(work / "error.log.1"), text(errors)
    assert "listening on" in old_errors and "SIGUSR1" not in old_errors
    assert "listening on" not in new_errors and "SIGTERM: finishing in-flight requests" in new_errors


def test_sigusr1_without_log_files_changes_nothing(tmp_path):
    """Without the flags SIGUSR1 reopens nothing and the server serves on (the signal does
    not kill it, as its default action would)."""
    s = ServerProcess(tmp_path / "s", ["--log", "common"] + (["--event-loop", EVENT_LOOP] if EVENT_LOOP else []))
    try:
        s.signal(signal.SIGUSR1)
        wait_for(lambda: "SIGUSR1" in s.stderr(), "the signal reported")
        get(s.port, "after")
        wait_for(lambda: "/echo/after" in s.stdout(), "the request logged on stdout")
    finally:
        assert s.stop() == 0


def test_unopenable_log_file_exits_2_with_one_line(tmp_path):
    for flag in ("--access-log", "--error-log"):
        path = tmp_path / "missing-directory" / "x.log"
        p = subprocess.run([server_binary(), "--port", "0", flag, str(path)], capture_output=True, text=True,
                           timeout=T, stdin=subprocess.DEVNULL)
        assert p.returncode == 2, (flag, p.stderr)
        assert p.stderr.count("\n") == 1 and str(path) in p.stderr and flag in p.stderr, p.stderr
