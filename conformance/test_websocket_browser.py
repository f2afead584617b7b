"""A real browser on /ws/echo: headless Chromium (Debian's chromium, ci/deps.sh test) loads
examples/static/ws.html from --static; the page opens ws:// (wss:// when loaded over https, in
the suite's HTTPS run, where Chromium accepts the test server's key: tlsmode.chromium_flags),
sends text and binary messages (up to 100 KB, with whatever permessage-deflate the browser
offers), checks every echo and writes its verdict into the DOM. The test reads the verdict over
the DevTools protocol in real time: --virtual-time-budget would let the page's own timeout fire
in virtual time while echoes are still on the wire (WebSocket traffic does not hold virtual
time back), which made a loaded machine fail the run."""

import asyncio
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import websockets

import tlsmode

PAGE = Path(__file__).resolve().parent.parent / "examples" / "static" / "ws.html"


def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed (ci/deps.sh test installs it)"
    return path


def read_verdict(profile, deadline):
    """The page's verdict once it is no longer RUNNING, read through the DevTools endpoint
    that Chromium announces in <profile>/DevToolsActivePort."""
    port_file = profile / "DevToolsActivePort"
    while not port_file.exists() or not port_file.read_text().strip():
        assert time.monotonic() < deadline, "Chromium announced no DevTools port"
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
    page = next(t for t in targets if t["type"] == "page")

    async def poll():
        async with websockets.connect(page["webSocketDebuggerUrl"], max_size=None) as cdp:
            for n in range(1, 1_000_000):
                await cdp.send(json.dumps({"id": n, "method": "Runtime.evaluate", "params": {
                    "expression": "document.getElementById('verdict')?.textContent ?? 'RUNNING'"}}))
                while True:
                    answer = json.loads(await cdp.recv())
                    if answer.get("id") == n:
                        break
                value = answer["result"]["result"].get("value", "RUNNING")
                if value != "RUNNING" or time.monotonic() > deadline:
                    return value
                await asyncio.sleep(0.1)

    return asyncio.run(poll())


def test_chromium_echoes_text_and_binary_messages(server_factory, tmp_path):
    s = server_factory(log=True)
    shutil.copy(PAGE, s.static / "ws.html")
    profile = tmp_path / "profile"
    argv = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", *tlsmode.chromium_flags(s.port),
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", s.url + "/static/ws.html",
    ]
    browser = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        # The page's own timer says FAIL after 8 s without an echo; 60 s bounds the whole run.
        verdict = read_verdict(profile, time.monotonic() + 60)
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
    assert verdict.startswith("PASS 7 echoes"), verdict
    # The browser offered permessage-deflate, so the echoes travelled compressed.
    assert "extensions: permessage-deflate" in verdict
    assert '"GET /ws/echo HTTP/1.1" 101' in s.stdout()
