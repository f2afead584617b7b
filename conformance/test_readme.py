"""The README's curl examples, run as written (with the host and port of the test server and
curl's -sS --max-time added) against a server set up as ci/run-server.sh sets it up, each
checked against the comment under it. The examples are read from README.md itself, so an
example added there without a check here fails test_every_example_is_checked."""

import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import rawhttp
import tlsmode
from conftest import SAMPLE_CSS, SAMPLE_FOO, SAMPLE_INDEX

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


@dataclass(frozen=True)
class Example:
    command: str
    comment: str
    flags: tuple  # ci/run-server.sh flags the README starts the server with

    def __str__(self):
        return self.command


def readme_examples():
    section = README.split("### Endpoints, with a curl example each", 1)[1].split("\n## ", 1)[0]
    out = []
    for flags, block in re.findall(r"With[^`]*`ci/run-server\.sh([^`]*)`.*?```sh\n(.*?)```", section, re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("curl "):
                comment = lines[i + 1][1:].strip() if i + 1 < len(lines) and lines[i + 1].startswith("#") else ""
                out.append(Example(line, comment, tuple(shlex.split(flags))))
    return out


EXAMPLES = readme_examples()


@dataclass
class Result:
    returncode: int
    stdout: bytes
    stderr: str

    def responses(self):
        """(status, fields, body) of each response curl showed: -i puts heads on stdout, -v on
        stderr (as "< " lines)."""
        out = []
        if self.stdout.startswith(b"HTTP/"):
            for m in re.finditer(rb"HTTP/1\.1 (\d{3})[^\r\n]*\r\n(.*?)\r\n\r\n", self.stdout, re.S):
                fields = dict(l.split(": ", 1) for l in m.group(2).decode().split("\r\n") if l)
                out.append((int(m.group(1)), fields))
        else:
            for head in re.findall(r"< HTTP/1\.1 (\d{3})[^\n]*\n((?:< [^\n]*\n)*)", self.stderr):
                fields = dict(l[2:].split(": ", 1) for l in head[1].splitlines() if ": " in l)
                out.append((int(head[0]), fields))
        return out

    @property
    def body(self):
        if self.stdout.startswith(b"HTTP/"):
            return self.stdout.split(b"\r\n\r\n", 1)[1]
        return self.stdout


def run_example(example, port, substitutions=()):
    command = example.command.replace("localhost:4221", f"127.0.0.1:{port}")
    tls = port in tlsmode.TLS_PORTS  # the suite's HTTPS run: the same examples over https
    if tls:
        command = command.replace(f"http://127.0.0.1:{port}", f"https://127.0.0.1:{port}")
    for old, new in substitutions:
        command = command.replace(old, new)
    argv = shlex.split(command)
    assert argv[0] == "curl"
    # The README: "add -i to any example to see the status line and fields".
    shows_head = any(a in argv for a in ("-i", "-v", "-I"))
    extra = ["-sS", "--max-time", "30"] + ([] if shows_head else ["-i"])
    # Over TLS: trust the test CA in every part of the command (--next starts a new one).
    env = dict(os.environ, CURL_CA_BUNDLE=str(tlsmode.material()[0])) if tls else None
    p = subprocess.run(["curl", *extra, *argv[1:]], capture_output=True, timeout=60, env=env)
    return Result(p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def servers(server_factory):
    """One server per flag set the README uses, on the sample of ci/run-server.sh."""
    made = {}

    def get(flags):
        if flags not in made:
            made[flags] = server_factory(*flags)
        return made[flags]

    return get


def etag_of_index(server):
    return rawhttp.request(server.port, rawhttp.get("/static/")).header("ETag")


# The check of each example beyond its status, keyed by a regular expression that matches
# its command and no other.
def check_root(r, s):
    assert r.stdout == b"" and r.responses()[-1][1]["Content-Length"] == "0"


def check_banana(r, s):
    assert r.stdout == b"banana" and r.responses()[-1][1]["Content-Type"] == "text/plain"


def check_foo(r, s):
    assert r.stdout == b"Hello, World!" and r.responses()[-1][1]["Content-Type"] == "application/octet-stream"


def check_post_data(r, s):
    assert (s.files / "data").read_bytes() == b"Sample123"
    assert r.responses()[-1][1]["Location"] == "/files/data"


def check_create_only(r, s):
    assert (s.files / "data").read_bytes() == b"Sample123"


def check_form_upload(r, s):
    assert r.responses()[-1][1]["Content-Type"] == "application/json"
    assert r.body == b'{"stored": ["hello.txt"]}\n'
    assert (s.files / "hello.txt").read_bytes() == b"Hello, form!"
    assert not (s.files / "note").exists()


def check_next(r, s):
    assert r.stdout == b"kiwitest-agent"
    assert "Re-using existing connection" in r.stderr
    assert r.stderr.count("Connected to") == 1


def check_mozilla(r, s):
    assert r.body == b"Mozilla/5.0"
    assert r.responses()[-1][1]["Content-Type"] == "text/plain"


def check_gzip(r, s):
    fields = r.responses()[-1][1]
    assert (fields["Content-Encoding"], fields["Vary"]) == ("gzip", "Accept-Encoding")
    assert int(fields["Content-Length"]) > len(b"hello")  # the gzip bytes, not the text's 5
    assert r.body == b"hello"


def check_static_index(r, s):
    fields = r.responses()[-1][1]
    assert fields["Content-Type"] == "text/html; charset=utf-8"
    assert "ETag" in fields and "Last-Modified" in fields
    assert r.body == SAMPLE_INDEX


def check_not_modified(r, s):
    assert r.body == b""


def check_range(r, s):
    assert r.responses()[-1][1]["Content-Range"] == "bytes 0-3/34"
    assert r.body == b"body"


def check_head(r, s):
    status, fields = r.responses()[-1]
    assert (status, fields["Content-Length"], r.body) == (200, "3", b"")


def check_options(r, s):
    fields = r.responses()[-1][1]
    assert (fields["Allow"], fields["Content-Length"]) == ("GET, HEAD, POST, OPTIONS", "0")


def check_delete(r, s):
    assert r.responses()[-1][1]["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert (s.files / "foo").read_bytes() == SAMPLE_FOO


def check_propfind(r, s):
    pass  # the status (501) is checked from the comment


def check_length_required(r, s):
    assert r.responses()[-1][1]["Connection"] == "close"
    assert not (s.files / "x").exists()


def check_traversal(r, s):
    assert b"root:" not in r.body
    assert r.body == b"400 Bad Request: path climbs above the root\n"


def check_unauthorized(r, s):
    assert r.responses()[-1][1]["WWW-Authenticate"] == 'Bearer realm="httpfsm"'
    assert not (s.files / "secret.txt").exists()


def check_authorized(r, s):
    assert r.responses()[-1][1]["Access-Control-Allow-Origin"] == "https://example.com"
    assert (s.files / "secret.txt").read_bytes() == b"hidden"


def check_preflight(r, s):
    fields = r.responses()[-1][1]
    assert fields["Access-Control-Allow-Methods"] == "GET, HEAD, POST, OPTIONS"
    assert fields["Access-Control-Allow-Origin"] == "https://example.com"


CHECKS = [
    (r"^curl -v http://localhost:4221/$", check_root),
    (r"/echo/banana$", check_banana),
    (r"^curl -v http://localhost:4221/files/foo$", check_foo),
    (r"--data \"Sample123\"$", check_post_data),
    (r"filename=hello\.txt", check_form_upload),
    (r"--next", check_next),
    (r"Mozilla/5\.0", check_mozilla),
    (r"--compressed", check_gzip),
    (r"^curl -i http://localhost:4221/static/$", check_static_index),
    (r"If-None-Match: \"<the ETag above>\"", check_not_modified),
    (r"If-None-Match: \*", check_create_only),
    (r"-r 0-3", check_range),
    (r"^curl -I ", check_head),
    (r"-X OPTIONS http://localhost:4221/files/foo$", check_options),
    (r"-X DELETE", check_delete),
    (r"PROPFIND", check_propfind),
    (r"-X POST http://localhost:4221/files/x$", check_length_required),
    (r"--path-as-is", check_traversal),
    (r"secret\.txt --data \"hidden\"$", check_unauthorized),
    (r"Bearer s3cret", check_authorized),
    (r"Access-Control-Request-Method", check_preflight),
]


def check_for(example):
    found = [check for key, check in CHECKS if re.search(key, example.command)]
    return found[0] if len(found) == 1 else None


def test_every_example_is_checked():
    """Each curl example in the README has exactly one check here, and each check an example:
    the README cannot gain or change an example unnoticed."""
    assert len(EXAMPLES) == len(CHECKS) == 21
    for e in EXAMPLES:
        assert check_for(e) is not None, f"no single check for README example: {e.command}"


def test_sample_matches_run_server_script():
    """The suite's sample files are those ci/run-server.sh creates, which the README's
    examples describe (index.html, css/site.css of 34 bytes, foo)."""
    script = (ROOT / "ci/run-server.sh").read_text()
    index = re.search(r"<<'HTML'\n(.*?)\nHTML\n", script, re.S).group(1) + "\n"
    css = re.search(r"printf '([^']*)' > \"\$sample/static/css/site\.css\"", script).group(1).replace("\\n", "\n")
    foo = re.search(r"printf '([^']*)' > \"\$sample/files/foo\"", script).group(1)
    assert (index.encode(), css.encode(), foo.encode()) == (SAMPLE_INDEX, SAMPLE_CSS, SAMPLE_FOO)
    assert len(SAMPLE_CSS) == 34


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.command.split("localhost:4221", 1)[1][:60])
def test_readme_example(servers, example):
    """The README example's comment holds: the status it names (when it starts with one), and
    the fields and body it describes (the check above)."""
    s = servers(example.flags)
    substitutions = []
    if "<the ETag above>" in example.command:
        substitutions.append(('"<the ETag above>"', etag_of_index(s)))
    if "If-None-Match: *" in example.command:
        (s.files / "data").write_bytes(b"Sample123")  # what the example before it uploaded
    r = run_example(example, s.port, substitutions)
    assert r.returncode == 0, r.stderr
    responses = r.responses()
    assert responses, f"no response in curl's output: {r.stdout!r} {r.stderr}"
    m = re.match(r"(\d{3}) ", example.comment)
    if m:
        assert responses[-1][0] == int(m.group(1)), f"{example.comment}: got {responses[-1][0]}"
    check_for(example)(r, s)
