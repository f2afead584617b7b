"""A real browser uploads two files through the sample site's form (examples/static/upload.html,
which ci/run-server.sh copies into the sample site): headless Chromium loads a driver page that
opens upload.html in a frame, puts two files into its file inputs (DataTransfer) and submits
the form itself, so the browser builds the multipart/form-data body; the driver then shows the
server's JSON answer, which the test reads from --dump-dom, and the stored bytes are checked.
Chromium is installed by ci/deps.sh test; without it this test fails (it does not skip). In the
suite's HTTPS run the pages load over https and Chromium accepts the test server's key
(tlsmode.chromium_flags)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import tlsmode

ROOT = Path(__file__).resolve().parent.parent
UPLOAD_PAGE = (ROOT / "examples/static/upload.html").read_bytes()

# Bytes a browser must send unchanged: CR, LF and CRLF at the ends, NUL, high bytes.
ONE = bytes([13, 10, 0, 255, 45, 45, 13, 10])
TWO = b"second file\r\n"

DRIVER = """<!doctype html>
<html><body><pre id="out">pending</pre>
<iframe id="f" src="upload.html"></iframe>
<script>
const frame = document.getElementById("f");
let submitted = false;
frame.onload = () => {
  const d = frame.contentDocument;
  if (submitted) {
    document.getElementById("out").textContent = "RESULT:" + d.body.innerText.trim() + ":END";
    return;
  }
  submitted = true;
  const inputs = d.querySelectorAll("input[type=file]");
  const put = (input, name, bytes) => {
    const t = new DataTransfer();
    t.items.add(new File([new Uint8Array(bytes)], name, {type: "application/octet-stream"}));
    input.files = t.files;
  };
  put(inputs[0], "one.bin", %s);
  put(inputs[1], "two.txt", %s);
  d.querySelector("form").submit();
};
</script></body></html>
""" % (json.dumps(list(ONE)), json.dumps(list(TWO)))


def test_chromium_submits_the_upload_form_with_two_files(server_factory, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed (ci/deps.sh test installs it)"
    s = server_factory(static=True)
    (s.static / "upload.html").write_bytes(UPLOAD_PAGE)
    (s.static / "driver.html").write_text(DRIVER)
    argv = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", *tlsmode.chromium_flags(s.port),
            "--virtual-time-budget=5000", "--dump-dom", s.url + "/static/driver.html"]
    p = subprocess.run(argv, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    dom = p.stdout.decode("utf-8", "replace")
    m = re.search(r"RESULT:(.*?):END", dom, re.S)
    assert m, f"no answer in the page (exit {p.returncode}): {dom[-2000:]} {p.stderr.decode()[-2000:]}"
    assert json.loads(m.group(1)) == {"stored": ["one.bin", "two.txt"]}
    assert (s.files / "one.bin").read_bytes() == ONE
    assert (s.files / "two.txt").read_bytes() == TWO
