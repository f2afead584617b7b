"""README "Endpoints": /, /echo/{text}, /user-agent, /files/{name}, /static/, and what each
method gets on each route (RFC 9110 §9: 405 with Allow, OPTIONS, 501 for methods the server
does not implement), with the fields every response carries."""

import email.utils
import time

import pytest
import requests

import rawhttp
from checks import assert_well_formed

T = 15


def test_root_200_empty(server):
    """README: GET / is 200 OK with Content-Length: 0."""
    r = rawhttp.request(server.port, rawhttp.get("/"))
    assert (r.status, r.reason, r.header("Content-Length"), r.body) == (200, "OK", "0", b"")
    assert_well_formed(r)


@pytest.mark.parametrize(
    "segment,text",
    [
        ("banana", "banana"),
        ("hello%20world%21", "hello world!"),  # README: percent-decoded
        ("caf%C3%A9", "café"),
        ("a%2Bb", "a+b"),
        ("~-._", "~-._"),
        ("%25", "%"),
    ],
)
def test_echo_returns_the_decoded_segment(server, segment, text):
    """README: GET /echo/{text} is 200, Content-Type: text/plain, the path segment
    percent-decoded (RFC 3986 §2.1)."""
    r = requests.get(f"{server.url}/echo/{segment}", timeout=T, headers={"Accept-Encoding": "identity"})
    assert (r.status_code, r.headers["Content-Type"]) == (200, "text/plain")
    assert r.content == text.encode()
    assert r.headers["Content-Length"] == str(len(text.encode()))


@pytest.mark.parametrize("path", ["/echo/", "/echo", "/echo/a/b", "/echo/abc/"])
def test_echo_needs_exactly_one_segment(server, path):
    """README /echo/{text}: one non-empty segment; anything else is not the route (404)."""
    assert rawhttp.request(server.port, rawhttp.get(path)).status == 404


def test_user_agent(server):
    """README: GET /user-agent is 200, Content-Type: text/plain, the User-Agent value."""
    r = requests.get(server.url + "/user-agent", headers={"User-Agent": "test-agent/1.0 (x)"}, timeout=T)
    assert (r.status_code, r.headers["Content-Type"], r.text) == (200, "text/plain", "test-agent/1.0 (x)")


@pytest.mark.parametrize("path", ["/nowhere", "/filesx", "/static-not", "/ECHO/x", "/user-agent/x"])
def test_unknown_paths_404(server, path):
    """RFC 9110 §15.5.5: no such resource (paths are case-sensitive, RFC 3986 §6.2.2.1)."""
    r = rawhttp.request(server.port, rawhttp.get(path))
    assert (r.status, r.header("Content-Type"), r.body) == (404, "text/plain", b"404 Not Found\n")
    assert not r.closes  # a 404 is no reason to close (RFC 9112 §9.3)


@pytest.mark.parametrize(
    "method,path,allow",
    [
        ("DELETE", "/files/foo", "GET, HEAD, POST, OPTIONS"),  # README example
        ("PUT", "/files/foo", "GET, HEAD, POST, OPTIONS"),
        ("PATCH", "/files/foo", "GET, HEAD, POST, OPTIONS"),
        ("POST", "/echo/x", "GET, HEAD, OPTIONS"),
        ("DELETE", "/", "GET, HEAD, OPTIONS"),
        ("PUT", "/user-agent", "GET, HEAD, OPTIONS"),
        ("DELETE", "/static/index.html", "GET, HEAD, OPTIONS"),
        ("GET", "/files", "POST, OPTIONS"),  # multipart form uploads only
        ("GET", "/files/", "POST, OPTIONS"),
    ],
)
def test_known_method_not_allowed_405_with_allow(server, method, path, allow):
    """RFC 9110 §15.5.6: 405 for a method the target does not support, with Allow listing the
    ones it does; the connection stays usable."""
    r, closed = rawhttp.exchange(server.port, f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode())
    assert (r.status, r.header("Allow"), closed) == (405, allow, False)
    assert_well_formed(r)


@pytest.mark.parametrize(
    "path,allow",
    [("/files/foo", "GET, HEAD, POST, OPTIONS"), ("/echo/x", "GET, HEAD, OPTIONS"), ("/", "GET, HEAD, OPTIONS")],
)
def test_options_lists_the_methods(server, path, allow):
    """RFC 9110 §9.3.7 (README: OPTIONS /files/foo is 200, Allow: GET, HEAD, POST, OPTIONS,
    Content-Length: 0)."""
    r = rawhttp.request(server.port, f"OPTIONS {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert (r.status, r.header("Allow"), r.header("Content-Length")) == (200, allow, "0")


@pytest.mark.parametrize("method", ["PROPFIND", "TRACE", "MKCOL", "BREW"])
def test_methods_not_implemented_501(server, method):
    """RFC 9110 §15.6.2 (README: PROPFIND is 501): a method the server does not implement on
    any resource. TRACE is one (§9.3.8: a reflection risk, not offered)."""
    r, closed = rawhttp.exchange(server.port, f"{method} / HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert (r.status, r.reason, closed) == (501, "Not Implemented", False)
    # RFC 9110 §15.6: a 5xx SHOULD carry an explanation; the server's is one line.
    assert (r.header("Content-Type"), r.body) == ("text/plain", b"501 Not Implemented: the method is implemented for no resource\n")


def test_head_of_echo(server):
    """README: HEAD /echo/abc has the fields of GET (Content-Length: 3) and no body
    (RFC 9110 §9.3.2)."""
    r = rawhttp.request(server.port, b"HEAD /echo/abc HTTP/1.1\r\nHost: x\r\n\r\n", head_request=True)
    assert (r.status, r.header("Content-Length"), r.header("Content-Type"), r.body) == (200, "3", "text/plain", b"")


def test_head_of_a_404_has_no_body(server):
    """RFC 9110 §9.3.2: HEAD never has content, also for an error."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"HEAD /nowhere HTTP/1.1\r\nHost: x\r\n\r\n" + rawhttp.get("/echo/next"))
        head = c.read_response(head_request=True)
        assert (head.status, head.header("Content-Length"), head.body) == (404, "14", b"")
        assert c.read_response().body == b"next"


def test_error_bodies_are_short_plain_text(server):
    """The README's error answers are one text/plain line, "<status> <reason>\\n", with what was
    wrong after a colon when the server knows it."""
    r = rawhttp.request(server.port, b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (r.status, r.header("Content-Type"), r.body) == (
        400, "text/plain", b"400 Bad Request: malformed HTTP-version\n")
    r = rawhttp.request(server.port, rawhttp.get("/nowhere"))
    assert (r.status, r.body) == (404, b"404 Not Found\n")


@pytest.mark.parametrize("request_bytes, body", [
    (b"POST /files/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked"
     b"\r\n\r\n", b"400 Bad Request: both Transfer-Encoding and Content-Length\n"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
     b"400 Bad Request: more than one Host field line\n"),
    (b"GET /files/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
     b"400 Bad Request: path climbs above the root\n"),
    (b"POST /files/x HTTP/1.1\r\nHost: x\r\n\r\n",
     b"411 Length Required: an upload needs Content-Length or chunked\n"),
], ids=["cl_and_te", "two_hosts", "above_root", "upload_without_length"])
def test_error_bodies_name_the_problem(server, request_bytes, body):
    """A refused request says in one line what was wrong: the library's fixed message for the
    error, never an echo of the request's bytes (README, "Protocol behaviour")."""
    r = rawhttp.request(server.port, request_bytes)
    assert (r.header("Content-Type"), r.body) == ("text/plain", body)


def test_date_is_current(server):
    """RFC 9110 §6.6.1: Date is the time the response was generated (within a minute of the
    test machine's clock, both being this machine's)."""
    r = rawhttp.request(server.port, rawhttp.get("/"))
    sent = email.utils.parsedate_to_datetime(r.header("Date")).timestamp()
    assert abs(sent - time.time()) < 60
