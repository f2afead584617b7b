"""docs/DEPLOYMENT.md cannot rot: the configuration files it shows are the ones in
docs/deploy/ (which test_haproxy.py runs), and every flag it names exists in --help."""

import re
import subprocess
from pathlib import Path

from serverproc import server_binary

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "DEPLOYMENT.md"
EMBEDDED = re.compile(r"<!-- file: (\S+) -->\n```\n(.*?)```\n", re.S)


def test_embedded_files_match_docs_deploy():
    text = DOC.read_text()
    found = {path: body for path, body in EMBEDDED.findall(text)}
    assert set(found) == {"docs/deploy/haproxy.cfg", "docs/deploy/httpfsm-server.service"}
    for path, body in found.items():
        assert body == (ROOT / path).read_text(), f"{path} differs from its copy in docs/DEPLOYMENT.md"


def test_every_flag_named_exists():
    usage = subprocess.run([server_binary(), "--help"], capture_output=True, text=True, timeout=10).stdout
    known = set(re.findall(r"--[a-z][a-z-]+", usage))
    text = DOC.read_text() + (ROOT / "docs" / "deploy" / "httpfsm-server.service").read_text()
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text))
    assert len(named) >= 10
    named -= {"--now"}  # systemctl enable --now, in the unit's comment
    assert named <= known, f"not flags of httpfsm-server: {sorted(named - known)}"
