"""A real browser on /ws/echo: headless Chromium (Debian's chromium, ci/deps.sh test) loads
examples/static/ws.html from --static; the page opens ws:// (wss:// when loaded over https, in
the suite's HTTPS run, where Chromium accepts the test server's key: tlsmode.chromium_flags),
sends text and binary messages (up to 100 KB, with whatever permessage-deflate the browser offers), checks every echo and
writes its verdict into the DOM, which --dump-dom prints."""

import re
import shutil
import subprocess
from pathlib import Path

import tlsmode

PAGE = Path(__file__).resolve().parent.parent / "examples" / "static" / "ws.html"


def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed (ci/deps.sh test installs it)"
    return path


def test_chromium_echoes_text_and_binary_messages(server_factory, tmp_path):
    s = server_factory(log=True)
    shutil.copy(PAGE, s.static / "ws.html")
    argv = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", *tlsmode.chromium_flags(s.port),
        # Virtual time runs the page's scripts until the budget is spent; the page's own
        # timer says FAIL long before that if an echo never comes.
        "--virtual-time-budget=20000", "--dump-dom", s.url + "/static/ws.html",
    ]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    verdict = re.search(r'<p id="verdict">([^<]*)</p>', p.stdout)
    assert verdict, f"no verdict in the DOM (status {p.returncode}): {p.stdout[-2000:]} {p.stderr[-2000:]}"
    assert verdict.group(1).startswith("PASS 7 echoes"), p.stdout[-3000:]
    # The browser offered permessage-deflate, so the echoes travelled compressed.
    assert "extensions: permessage-deflate" in verdict.group(1)
    assert '"GET /ws/echo HTTP/1.1" 101' in s.stdout()
