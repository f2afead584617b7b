"""Fixtures: the built httpfsm-server (path in $HTTPFSM_SERVER, set by conformance/CMakeLists.txt)
on 127.0.0.1 with a free port, a temporary /files directory and a static site.

Every server a module starts is checked when the module ends: it must still be running, must
hold no more file descriptors than right after it started (once the tests' connections are
closed), and must exit 0 on SIGTERM, as the README says. Servers are stopped by PID.
"""

import gc
import os
import sys
from pathlib import Path

import pytest

import tlsmode
from serverproc import ServerProcess

sys.dont_write_bytecode = True  # keep the source tree clean when run by hand

# The README's sample: ci/run-server.sh writes the same files.
SAMPLE_FOO = b"Hello, World!"
SAMPLE_INDEX = b"""<!doctype html>
<html><head><title>httpfsm</title><link rel="stylesheet" href="css/site.css"></head>
<body><h1>httpfsm-server</h1><p>This page is served from the static directory.</p></body></html>
"""
SAMPLE_CSS = b"body { font-family: sans-serif; }\n"

# A static site with one file per MIME type the tests check.
STATIC_FILES = {
    "index.html": SAMPLE_INDEX,
    "css/site.css": SAMPLE_CSS,
    "js/app.js": b"console.log('httpfsm');\n",
    "data.json": b'{"name": "httpfsm", "values": [1, 2, 3]}\n',
    "notes.txt": b"plain text notes\n" * 40,
    "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    "pixel.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "photo.JPG": b"\xff\xd8\xff\xe0" + b"\x00" * 64,
    "archive.tar.gz": b"\x1f\x8b\x08\x00" + b"\x00" * 32,
    "module.wasm": b"\x00asm\x01\x00\x00\x00",
    "LICENSE": b"no extension\n",
    "sub/index.html": b"<!doctype html><p>sub</p>\n",
    "sub/page.htm": b"<p>page</p>\n",
    "empty/.keep": b"",
    "digits.txt": b"0123456789" * 10,
    "zero.txt": b"",
    "with space.txt": b"spaced name\n",
}


def write_tree(root, files):
    for rel, data in files.items():
        p = Path(root) / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


# The readiness backend every server runs with (README --event-loop); ctest runs the suite once
# per backend. Unset means the server's default.
EVENT_LOOP = os.environ.get("HTTPFSM_EVENT_LOOP", "")


@pytest.fixture(scope="module")
def server_factory(tmp_path_factory, request):
    """start(*flags, files=True, static=True) -> ServerProcess with .files and .static (Path
    or None). The module's servers are checked and stopped when the module ends."""
    base = tmp_path_factory.mktemp(request.module.__name__)
    started = []

    def start(*flags, files=True, static=True, log=False):
        n = len(started)
        work = base / f"server{n}"
        args = list(flags)
        files_dir = static_dir = None
        if files:
            files_dir = work / "files"
            files_dir.mkdir(parents=True)
            (files_dir / "foo").write_bytes(SAMPLE_FOO)
            args += ["--directory", str(files_dir)]
        if static:
            static_dir = work / "static"
            write_tree(static_dir, STATIC_FILES)
            args += ["--static", str(static_dir)]
        if not log:
            args += ["--log", "off"]
        if EVENT_LOOP and "--event-loop" not in flags:
            args += ["--event-loop", EVENT_LOOP]
        s = ServerProcess(work, args, name=f"server{n}")
        s.files, s.static, s.work = files_dir, static_dir, work
        started.append(s)
        return s

    yield start

    gc.collect()  # drop sockets a failed test left to the collector
    problems = []
    for s in started:
        if s.proc.poll() is not None and getattr(s, "stopped_by_test", False):
            continue
        if not s.alive():
            problems.append(f"server {s.args} died with status {s.proc.returncode}: {s.stderr()[-2000:]}")
            continue
        if not s.wait_for_fds(s.baseline_fds):
            problems.append(
                f"server {s.args} leaked descriptors: {s.fd_count()} open, {s.baseline_fds} after start: {s.fd_targets()}"
            )
        status = s.stop()
        if status != 0:
            problems.append(f"server {s.args} exited with {status} on SIGTERM (README: 0)")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def server(server_factory):
    """The module's default server: /files in a temporary directory holding "foo", the static
    site under /static/, default limits and timeouts."""
    return server_factory()


if tlsmode.ENABLED:
    # `requests` verifies the suite's HTTPS servers against the test CA.
    os.environ["REQUESTS_CA_BUNDLE"] = str(tlsmode.material()[0])


def pytest_collection_modifyitems(session, config, items):
    """The HTTPS run leaves out tlsmode.CLEARTEXT_ONLY, by name, and says so with the reason."""
    if not tlsmode.ENABLED:
        return
    kept, left = [], []
    for item in items:
        key = f"{Path(str(item.fspath)).name}::{item.originalname}"
        whole_file = Path(str(item.fspath)).name in tlsmode.CLEARTEXT_ONLY
        (left if key in tlsmode.CLEARTEXT_ONLY or whole_file else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        for key in sorted({f"{Path(str(i.fspath)).name}::{i.originalname}" for i in left}):
            reason = tlsmode.CLEARTEXT_ONLY.get(key) or tlsmode.CLEARTEXT_ONLY[key.split("::")[0]]
            line = f"conformance (TLS run): cleartext only, not run: {key}: {reason}"
            if reporter is not None:
                reporter.write_line(line)


def pytest_sessionfinish(session, exitstatus):
    # A skipped or expected-to-fail test checks nothing: never let it count as a pass.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != 0:
        return
    for outcome in ("skipped", "xfailed", "xpassed"):
        if reporter.stats.get(outcome):
            reporter.write_line(f"conformance: {len(reporter.stats[outcome])} test(s) {outcome}; this suite allows none")
            session.exitstatus = 1

