"""RFC 9112 §6: message body length (Content-Length, Transfer-Encoding, the cases where a
request has no body, 411, 413), from cases.py (group "framing"), plus what the uploads end
up holding."""

import pytest

import cases
import rawhttp
from checks import assert_case, assert_well_formed


@pytest.mark.parametrize("case", cases.in_group("framing"), ids=lambda c: c.id)
def test_framing_case(server, case):
    """Each case gets the status its RFC section requires (cited in cases.py); a valid body
    is read exactly, so the follow-up request on the connection is answered on its own."""
    assert_case(server.port, case)


@pytest.mark.parametrize(
    "name,request_bytes,content",
    [
        ("cl", cases.post(b"Content-Length: 11\r\n", b"hello world", b"/files/framed-cl"), b"hello world"),
        ("zero", cases.post(b"Content-Length: 0\r\n", b"", b"/files/framed-zero"), b""),
        ("chunked", cases.post(b"Transfer-Encoding: chunked\r\n", b"6\r\nhello \r\n5;x=y\r\nworld\r\n0\r\nT: v\r\n\r\n",
                               b"/files/framed-chunked"), b"hello world"),
    ],
)
def test_upload_holds_exactly_the_decoded_content(server, name, request_bytes, content):
    """RFC 9112 §6.3 items 4 and 6, §7.1: the content is the Content-Length octets, or the
    chunk-data with sizes, extensions and trailers removed."""
    r = rawhttp.request(server.port, request_bytes)
    assert r.status == 201
    target = request_bytes.split(b" ")[1].decode()
    assert (server.files / target.rsplit("/", 1)[1]).read_bytes() == content


def test_body_then_pipelined_request(server):
    """RFC 9112 §6.3 item 6: exactly Content-Length octets are the body; the bytes after it
    are the next request."""
    with rawhttp.Connection(server.port) as c:
        c.send(cases.post(b"Content-Length: 5\r\n", b"hello", b"/files/pipe") + rawhttp.get("/files/pipe"))
        first, second = c.read_responses(2)
        assert (first.status, second.status, second.body) == (201, 200, b"hello")


def test_chunked_body_then_pipelined_request(server):
    """RFC 9112 §7.1: the chunked body ends with the last-chunk and the trailer section's empty
    line; the next request follows immediately."""
    with rawhttp.Connection(server.port) as c:
        c.send(cases.post(b"Transfer-Encoding: chunked\r\n", b"3\r\nabc\r\n0\r\n\r\n", b"/files/cpipe")
               + rawhttp.get("/files/cpipe"))
        first, second = c.read_responses(2)
        assert (first.status, second.body) == (201, b"abc")


def test_unwanted_body_is_skipped_before_the_next_request(server):
    """RFC 9112 §6.3: a body sent to an endpoint that does not want it is still framed by its
    Content-Length; the server reads past it to the next request (405 then 200)."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"POST /echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nGET / HTTP" + rawhttp.get("/echo/next"))
        first, second = c.read_responses(2)
        assert first.status == 405
        assert (second.status, second.body) == (200, b"next")


def test_unwanted_chunked_body_is_skipped(server):
    """RFC 9112 §7.1: the same for a chunked body, whose chunks may look like requests."""
    body = b"11\r\nGET /echo/evil HT\r\n0\r\n\r\n"
    with rawhttp.Connection(server.port) as c:
        c.send(b"PUT /echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body + rawhttp.get("/echo/next"))
        first, second = c.read_responses(2)
        assert first.status == 405
        assert second.body == b"next"


def test_length_required_before_anything_else(server):
    """RFC 9110 §15.5.12 (README: "411 Length Required, Connection: close"): an upload without
    Content-Length or Transfer-Encoding is refused and nothing is created."""
    r, closed = rawhttp.exchange(server.port, cases.post(target=b"/files/nolength"))
    assert (r.status, closed) == (411, True)
    assert not (server.files / "nolength").exists()


def test_413_before_the_body_is_sent(server_factory):
    """RFC 9110 §15.5.14: a Content-Length over --max-body is refused from the head alone: the
    413 arrives although no body byte was sent, and the connection closes."""
    s = server_factory("--max-body", "1k")
    with rawhttp.Connection(s.port) as c:
        c.send(cases.post(b"Content-Length: 1025\r\n", target=b"/files/big"))
        r = c.read_response()
        assert (r.status, r.closes) == (413, True)
        assert c.wait_closed()
    assert not (s.files / "big").exists()


def test_truncated_body_gets_no_answer_and_leaves_nothing(server):
    """RFC 9112 §8: a message cut short by the close is incomplete; nothing is answered and
    the upload is dropped."""
    with rawhttp.Connection(server.port) as c:
        c.send(cases.post(b"Content-Length: 100\r\n", b"only this", b"/files/truncated"))
        c.shutdown_write()
        assert c.wait_closed()
    assert not (server.files / "truncated").exists()


@pytest.mark.parametrize("target,extra", [
    ("/echo/" + "x" * 3000, b"Accept-Encoding: gzip\r\n"),  # a body the server compresses
    ("/static/css/site.css", b""),
    ("/files/foo", b""),
])
def test_http10_request_gets_content_length_never_transfer_encoding(server, target, extra):
    """RFC 9112 §6.1: a server MUST NOT send Transfer-Encoding unless the request indicates
    HTTP/1.1 (an HTTP/1.0 recipient cannot decode chunked): the response is framed by
    Content-Length, gzip included."""
    r, closed = rawhttp.exchange(server.port, b"GET " + target.encode() + b" HTTP/1.0\r\n" + extra + b"\r\n")
    assert (r.status, r.has("Transfer-Encoding"), closed) == (200, False, True)
    assert int(r.header("Content-Length")) == len(r.body)
    assert_well_formed(r)

