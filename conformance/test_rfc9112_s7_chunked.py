"""RFC 9112 §7: the chunked transfer coding (chunk-size, extensions, trailer section), from
cases.py (group "chunked"), plus chunk boundaries split across writes."""

import pytest

import cases
import rawhttp
from checks import assert_case


@pytest.mark.parametrize("case", cases.in_group("chunked"), ids=lambda c: c.id)
def test_chunked_case(server, case):
    """Each case gets the status its RFC section requires (cited in cases.py)."""
    assert_case(server.port, case)


def test_chunked_in_one_byte_writes(server):
    """RFC 9112 §7.1: the decoding does not depend on how the bytes arrive: a chunked upload
    with extensions and trailers sent one byte per write gives the same content."""
    body = b"4;a=b\r\nwiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Sum: 1\r\n\r\n"
    with rawhttp.Connection(server.port) as c:
        c.send_in_pieces(cases.post(b"Transfer-Encoding: chunked\r\n", body, b"/files/wiki"), 1)
        assert c.read_response().status == 201
    assert (server.files / "wiki").read_bytes() == b"wikipedia in\r\n\r\nchunks."


def test_large_chunks(server):
    """RFC 9112 §7.1: chunk sizes are hexadecimal and may be large: 3 chunks of 1 MiB."""
    mib = 1 << 20
    body = b"".join(b"%x\r\n" % mib + bytes([65 + i]) * mib + b"\r\n" for i in range(3)) + b"0\r\n\r\n"
    r = rawhttp.request(server.port, cases.post(b"Transfer-Encoding: chunked\r\n", body, b"/files/bigchunks"))
    assert r.status == 201
    assert (server.files / "bigchunks").read_bytes() == b"A" * mib + b"B" * mib + b"C" * mib


def test_bad_chunk_mid_upload_leaves_nothing(server):
    """RFC 9112 §7.1: a malformed chunk after good ones is a 400 and closes; the partial
    upload is removed."""
    r, closed = rawhttp.exchange(server.port, cases.post(b"Transfer-Encoding: chunked\r\n", b"3\r\nabc\r\nZZ\r\n", b"/files/badchunk"))
    assert (r.status, closed) == (400, True)
    assert not (server.files / "badchunk").exists()
