"""RFC 9112 §2-§3: the request-line (method, request-target and its four forms, HTTP-version)
and the Host field, checked with the raw bytes of cases.py (group "request_line") plus
behaviour that needs more than one exchange."""

import pytest

import cases
import rawhttp
from checks import assert_case, assert_well_formed


@pytest.mark.parametrize("case", cases.in_group("request_line"), ids=lambda c: c.id)
def test_request_line_case(server, case):
    """Each case's bytes get the status its RFC section requires (cited in cases.py), and the
    connection closes exactly when the request was malformed or asked for it."""
    assert_case(server.port, case)


def test_absolute_form_is_routed_by_its_path(server):
    """RFC 9112 §3.2.2: a server MUST accept the absolute-form; the target URI's path decides
    the resource, whatever Host says."""
    r = rawhttp.request(server.port, b"GET http://127.0.0.1/echo/abs?q=1 HTTP/1.1\r\nHost: elsewhere\r\n\r\n")
    assert (r.status, r.body) == (200, b"abs")


def test_options_asterisk_lists_the_server_wide_methods(server):
    """RFC 9112 §3.2.4 / RFC 9110 §9.3.7: OPTIONS * applies to the server in general; the
    answer is 200 with Allow and Content-Length: 0 (README: OPTIONS)."""
    r = rawhttp.request(server.port, b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert r.status == 200
    assert [m.strip() for m in r.header("Allow").split(",")] == ["GET", "HEAD", "POST", "OPTIONS"]
    assert r.header("Content-Length") == "0"


def test_version_1_2_is_answered_as_http_1_1(server):
    """RFC 9110 §2.5: a message with a higher minor version is processed as the highest minor
    version the recipient implements, and answered with its own version (HTTP/1.1)."""
    r = rawhttp.request(server.port, rawhttp.get("/echo/v", version="1.2"))
    assert (r.status, r.version, r.body) == (200, "1.1", b"v")


def test_unsupported_major_version_505(server):
    """RFC 9110 §15.6.6: 505 for a major version the server does not support; the response
    itself is HTTP/1.1, and its body SHOULD say why and what is supported."""
    r, closed = rawhttp.exchange(server.port, rawhttp.get(version="3.0"))
    assert (r.status, closed, r.version) == (505, True, "1.1")
    assert r.body == b"505 HTTP Version Not Supported: HTTP major version not supported (HTTP/1.1 and 1.0 are)\n"
    assert_well_formed(r)


def test_leading_empty_lines_before_a_pipelined_request(server):
    """RFC 9112 §2.2: empty lines before a request-line are ignored, also between pipelined
    requests on one connection."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get("/echo/one") + b"\r\n\r\n" + rawhttp.get("/echo/two"))
        assert [r.body for r in c.read_responses(2)] == [b"one", b"two"]


def test_query_is_not_part_of_the_echoed_path(server):
    """RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ]; the query is no part of the
    path segment /echo returns."""
    assert rawhttp.request(server.port, rawhttp.get("/echo/abc?x=1&y=2")).body == b"abc"


@pytest.mark.parametrize("target", [b"http://127.0.0.1", b"http://127.0.0.1?x=1", b"HTTP://127.0.0.1:80/"])
def test_absolute_form_without_a_path_is_the_root(server, target):
    """RFC 9112 §3.2.2 and RFC 3986 §6.2.3: an absolute-form target with an empty path is the
    root "/" (the scheme is case-insensitive)."""
    r = rawhttp.request(server.port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert (r.status, r.header("Content-Length")) == (200, "0")
