"""README "The server": every flag of the table, --help and --version, and "Bad flags, an
unreadable directory or a port in use print one line on stderr and exit with status 2"."""

import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

import rawhttp
from conftest import EVENT_LOOP
from serverproc import server_binary

T = 15
README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def readme_flags():
    """The flags in the README's table: `| `--name VALUE` | default | meaning |`."""
    return re.findall(r"^\| `(--[a-z-]+)[^`]*` \| ([^|]*) \|", README, re.M)


def run(*args, timeout=T):
    return subprocess.run([server_binary(), *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_help_lists_every_readme_flag_and_no_other():
    """README table vs --help: the same flags, so neither drifts; --help exits 0."""
    p = run("--help")
    assert p.returncode == 0
    helped = set(re.findall(r"^\s+(--[a-z-]+)", p.stdout, re.M)) - {"--help"}
    documented = {name for name, _ in readme_flags()}
    assert len(documented) == 26
    assert helped == documented


def test_help_defaults_match_the_readme():
    """README table defaults appear in --help's text for the flags that have one."""
    out = run("--help").stdout
    for name, default in readme_flags():
        default = default.strip().strip("`")
        if default == "none":
            continue
        line = next(l for l in out.splitlines() if l.strip().startswith(name))
        assert f"default {default}" in line, (name, default, line)


def test_version():
    """--version prints the name and a semantic version, exit 0."""
    p = run("--version")
    assert p.returncode == 0
    assert re.fullmatch(r"httpfsm-server \d+\.\d+\.\d+\n", p.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["--nope"],
        ["--port", "70000"],
        ["--port", "abc"],
        ["--port"],
        ["--workers", "0"],
        ["--max-connections", "0"],
        ["--max-body", "12x"],
        ["--header-timeout", "0"],
        ["--idle-timeout", "-1"],
        ["--log", "json"],
        ["--cors", ""],
        ["--auth-token", ""],
        ["--ws-max-message", "0"],
        ["--ws-max-message", "1q"],
        ["stray-argument"],
        ["--access-log", ""],
        ["--error-log", ""],
    ],
    ids=lambda a: " ".join(a) or "empty",
)
def test_bad_flags_exit_2_with_one_line(args):
    """README: a bad flag prints one line on stderr and exits with status 2, serving nothing."""
    p = run("--port", "0", *args)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("httpfsm-server: ")
    assert p.stdout == ""


@pytest.mark.parametrize("flag", ["--directory", "--static"])
def test_unreadable_directory_exits_2(tmp_path, flag):
    """README: an unreadable directory (missing, or a file) prints one line and exits 2."""
    (tmp_path / "file").write_text("not a directory")
    for path in (tmp_path / "missing", tmp_path / "file"):
        p = run("--port", "0", flag, str(path))
        assert p.returncode == 2
        assert p.stderr.count("\n") == 1 and str(path) in p.stderr


def test_port_in_use_exits_2():
    """README: a port in use prints one line on stderr and exits 2."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        p = run("--bind", "127.0.0.1", "--port", str(port))
        assert p.returncode == 2
        assert p.stderr.count("\n") == 1 and str(port) in p.stderr


def test_port_0_picks_a_free_port(server_factory):
    """README --port: 0 picks a free one (reported in the "listening on" line): two servers
    get two ports."""
    a, b = server_factory(), server_factory()
    assert a.port != b.port and 0 not in (a.port, b.port)
    assert requests.get(a.url + "/echo/a", timeout=T).text == "a"
    assert requests.get(b.url + "/echo/b", timeout=T).text == "b"


def test_workers_run_that_many_event_loops(server_factory):
    """README --workers N: N event loops (threads) share the port; all serve."""
    s = server_factory("--workers", "3")
    threads = int(re.search(r"^Threads:\s+(\d+)", Path(f"/proc/{s.pid}/status").read_text(), re.M).group(1))
    assert threads == 4  # main (signals) + 3 loops
    assert f"(3 workers, {EVENT_LOOP or 'poll'})" in s.stderr()
    for i in range(30):
        assert rawhttp.request(s.port, rawhttp.get(f"/echo/{i}")).body == str(i).encode()


def test_without_directory_files_is_404(server_factory):
    """README --directory: "without it /files answers 404", for GET and POST."""
    s = server_factory(files=False)
    assert requests.get(s.url + "/files/foo", timeout=T).status_code == 404
    assert requests.post(s.url + "/files/foo", data=b"x", timeout=T).status_code == 404


def test_without_static_nothing_under_static(server_factory):
    """README --static DIR: without it there is no /static/ site (404)."""
    s = server_factory(static=False)
    assert requests.get(s.url + "/static/", timeout=T).status_code == 404


CLF = re.compile(r'^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "(.*)" (\d{3}) (\d+|-)$')


def test_log_common_writes_common_log_format(server_factory):
    """README --log common (the default): one Common Log Format line per request on stdout,
    the malformed one included."""
    s = server_factory(log=True)
    rawhttp.request(s.port, rawhttp.get("/echo/logged"))
    rawhttp.request(s.port, rawhttp.get("/nowhere"))
    rawhttp.request(s.port, b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n")
    deadline = time.monotonic() + T
    while s.stdout().count("\n") < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = s.stdout().splitlines()
    parsed = [CLF.match(l).groups() for l in lines]
    assert parsed[0] == ("GET /echo/logged HTTP/1.1", "200", "6")
    assert parsed[1] == ("GET /nowhere HTTP/1.1", "404", "14")
    assert parsed[2][1] == "400"


def test_log_off_writes_nothing(server_factory):
    """README --log off: no access log."""
    s = server_factory()
    for _ in range(3):
        rawhttp.request(s.port, rawhttp.get("/echo/quiet"))
    assert s.stdout() == ""


@pytest.fixture(scope="module")
def cors(server_factory):
    return server_factory("--cors", "https://example.com")


@pytest.mark.parametrize("request_bytes", [
    rawhttp.get("/echo/x"),
    rawhttp.get("/nowhere"),
    b"DELETE /files/foo HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
], ids=["200", "404", "405", "400"])
def test_cors_origin_on_every_response(cors, request_bytes):
    """README --cors ORIGIN: Access-Control-Allow-Origin: ORIGIN on every response, errors
    included."""
    r = rawhttp.request(cors.port, request_bytes)
    assert r.header("Access-Control-Allow-Origin") == "https://example.com"


def test_cors_preflight_is_answered(cors):
    """README --cors: a preflight (OPTIONS with Origin and Access-Control-Request-Method,
    Fetch standard) gets 200 with the allowed methods and the requested headers."""
    r = rawhttp.request(cors.port, b"OPTIONS /files/foo HTTP/1.1\r\nHost: x\r\nOrigin: https://example.com\r\n"
                        b"Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, x-custom\r\n\r\n")
    assert r.status == 200
    assert r.header("Access-Control-Allow-Methods") == "GET, HEAD, POST, OPTIONS"
    assert r.header("Access-Control-Allow-Origin") == "https://example.com"
    assert r.header("Access-Control-Allow-Headers") == "authorization, x-custom"
    assert r.header("Content-Length") == "0"


def test_options_without_preflight_fields_is_plain_options(cors):
    """RFC 9110 §9.3.7: an OPTIONS that is not a preflight is answered with Allow."""
    r = rawhttp.request(cors.port, b"OPTIONS /files/foo HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (r.status, r.header("Allow"), r.header("Access-Control-Allow-Methods")) == (200, "GET, HEAD, POST, OPTIONS", None)


def test_no_cors_fields_without_the_flag(server):
    """README --cors: default none: no Access-Control-* fields."""
    r = rawhttp.request(server.port, rawhttp.get("/echo/x", [("Origin", "https://example.com")]))
    assert not any(n.lower().startswith("access-control-") for n, _ in r.fields)


@pytest.fixture(scope="module")
def guarded(server_factory):
    return server_factory("--auth-token", "s3cret")


@pytest.mark.parametrize(
    "authorization,status",
    [
        (None, 401),
        ("Bearer wrong", 401),
        ("Bearer s3cre", 401),
        ("Bearer s3cret2", 401),
        ("Basic czNjcmV0", 401),
        ("s3cret", 401),
        ("Bearer s3cret", 201),
        ("bearer s3cret", 201),  # RFC 9110 §11.1: the auth-scheme is case-insensitive
        ("BEARER s3cret", 201),
    ],
)
def test_auth_token_guards_uploads(guarded, authorization, status):
    """README --auth-token TOKEN: uploads need Authorization: Bearer TOKEN (RFC 6750 §2.1);
    otherwise 401 with WWW-Authenticate: Bearer realm="httpfsm" (RFC 9110 §11.6.1), and no
    file."""
    headers = {"Authorization": authorization} if authorization else {}
    name = f"guarded-{abs(hash(authorization))}"
    r = requests.post(f"{guarded.url}/files/{name}", data=b"hidden", headers=headers, timeout=T)
    assert r.status_code == status
    if status == 401:
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="httpfsm"'
        assert not (guarded.files / name).exists()
    else:
        assert (guarded.files / name).read_bytes() == b"hidden"


def test_auth_token_leaves_reads_open(guarded):
    """README --auth-token: only uploads need the token; GET /files/foo does not."""
    assert requests.get(guarded.url + "/files/foo", timeout=T).content == b"Hello, World!"
