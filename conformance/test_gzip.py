"""RFC 9110 §12.5.3 (Accept-Encoding) and §8.4 (Content-Encoding): the gzip negotiation table
(q-values, "*", identity, unknown codings, "gzip;q=0", an empty value), and the gzip bytes
really decompressing to the original (README: "Content-Encoding: gzip, Vary:
Accept-Encoding, Content-Length of the gzip bytes")."""

import gzip

import pytest
import requests

import rawhttp
from checks import assert_well_formed

T = 30

# (Accept-Encoding field lines, whether gzip is chosen, why)
TABLE = [
    ([], False, "no Accept-Encoding: any coding is acceptable, but nothing asked for one; identity"),
    (["gzip"], True, "gzip listed"),
    (["GZIP"], True, "content-coding names are case-insensitive (§8.4.1)"),
    (["x-gzip"], True, "x-gzip is equivalent to gzip (§8.4.1.3)"),
    (["  gzip  "], True, "OWS around a list element"),
    (["gzip;q=0"], False, "q=0 means not acceptable (§12.4.2)"),
    (["gzip; q=0.5"], True, "any non-zero q is acceptable; identity has no weight of its own"),
    (["gzip;Q=1"], True, "the weight parameter name is case-insensitive"),
    (["gzip;q=0.001"], True, "the smallest non-zero qvalue"),
    (["gzip;q=0.000"], False, "q=0.000 is zero"),
    (["gzip;q=1.5"], False, "an invalid qvalue: the element is ignored"),
    (["identity"], False, "only identity listed"),
    (["*"], True, "* matches gzip (§12.5.3)"),
    (["*;q=0"], False, "* excludes every coding, identity too: nothing is acceptable and the server "
                       "disregards the field, sending identity (§12.5.3, §12.1)"),
    (["*, gzip;q=0"], False, "gzip explicitly excluded; * does not override it"),
    (["gzip;q=0, *"], False, "the explicit gzip;q=0 wins over * in any order"),
    (["br"], False, "only a coding the server does not offer"),
    (["deflate"], False, "only a coding the server does not offer"),
    (["foo, bar"], False, "unknown codings are ignored"),
    (["br, gzip"], True, "gzip among others"),
    (["deflate, gzip;q=0.1"], True, "gzip is the only offered coding with q > 0"),
    (["identity;q=1, gzip;q=0.5"], False, "identity preferred by weight"),
    (["gzip;q=0.5, identity;q=0.5"], True, "equal weights: the server's preference, compression"),
    (["gzip;q=0.8, identity;q=0.2"], True, "gzip preferred by weight"),
    (["identity;q=0"], False, "identity excluded and gzip not listed: nothing acceptable; the field is "
                              "disregarded (§12.1)"),
    (["identity;q=0, gzip"], True, "gzip listed, identity excluded"),
    ([""], False, "an empty value: the user agent wants no content coding (§12.5.3)"),
    (["identity", "gzip"], True, "two field lines combine into one list (RFC 9110 §5.3)"),
]


def get(port, path, lines, method="GET"):
    extra = b"".join(b"Accept-Encoding: " + v.encode() + b"\r\n" for v in lines)
    data = f"{method} {path} HTTP/1.1\r\nHost: x\r\n".encode() + extra + b"\r\n"
    r = rawhttp.request(port, data, head_request=method == "HEAD")
    assert_well_formed(r, head_request=method == "HEAD")
    return r


@pytest.mark.parametrize("lines,chosen,why", TABLE, ids=[" | ".join(t[0]) or "absent" for t in TABLE])
def test_negotiation_table(server, lines, chosen, why):
    """RFC 9110 §12.5.3: the coding chosen for each Accept-Encoding (reason in the table), and
    Vary: Accept-Encoding on both outcomes, since the choice depended on it (§12.5.5)."""
    r = get(server.port, "/echo/hello", lines)
    assert r.status == 200
    assert r.header("Vary") == "Accept-Encoding"
    if chosen:
        assert r.header("Content-Encoding") == "gzip", why
        assert r.header("Content-Length") == str(len(r.body))
        assert gzip.decompress(r.body) == b"hello"
    else:
        assert r.header("Content-Encoding") is None, why
        assert r.body == b"hello"


def test_gzip_body_is_real_gzip_of_the_file(server):
    """RFC 9110 §8.4.1.3 / RFC 1952: the static text file comes back as a gzip member that
    decompresses to the file, smaller than the file, with its length in Content-Length."""
    original = (server.static / "notes.txt").read_bytes()
    r = get(server.port, "/static/notes.txt", ["gzip"])
    assert r.header("Content-Encoding") == "gzip"
    assert r.body[:2] == b"\x1f\x8b"  # the gzip magic
    assert gzip.decompress(r.body) == original
    assert len(r.body) < len(original)
    assert r.header("Content-Type") == "text/plain; charset=utf-8"


def test_gzip_changes_the_etag_to_weak(server):
    """RFC 9110 §8.8.1 and §8.8.3: the gzip bytes differ from the identity bytes, so the strong
    ETag of the file is not sent for them; the server sends it weak (W/)."""
    plain = get(server.port, "/static/notes.txt", [])
    packed = get(server.port, "/static/notes.txt", ["gzip"])
    assert packed.header("ETag") == "W/" + plain.header("ETag")


def test_head_with_gzip_has_the_gzip_length(server):
    """RFC 9110 §9.3.2: HEAD gets the fields of the GET it stands for, here Content-Encoding:
    gzip and the gzip Content-Length, and no body."""
    full = get(server.port, "/echo/abcabcabc", ["gzip"])
    head = get(server.port, "/echo/abcabcabc", ["gzip"], method="HEAD")
    assert head.header("Content-Encoding") == "gzip"
    assert head.header("Content-Length") == full.header("Content-Length")
    assert head.body == b""


def test_files_are_gzipped_on_request(server):
    """README: the /files/foo content gzipped when asked, decompressing to "Hello, World!"."""
    r = get(server.port, "/files/foo", ["gzip"])
    assert (r.header("Content-Encoding"), gzip.decompress(r.body)) == ("gzip", b"Hello, World!")


def test_images_are_not_compressed(server):
    """RFC 9110 §12.5.3 lets the server choose: an already compressed type (PNG) is sent as it
    is even when gzip is acceptable."""
    r = get(server.port, "/static/pixel.png", ["gzip"])
    assert (r.status, r.header("Content-Encoding")) == (200, None)
    assert r.body == (server.static / "pixel.png").read_bytes()


def test_errors_are_not_compressed(server):
    """Error responses are sent as they are: a 404 with gzip acceptable has no
    Content-Encoding."""
    r = get(server.port, "/static/missing.txt", ["gzip"])
    assert (r.status, r.header("Content-Encoding"), r.body) == (404, None, b"404 Not Found\n")


def test_requests_decodes_what_it_negotiated(server):
    """An ordinary client (requests sends Accept-Encoding: gzip, deflate) gets the content it
    asked for after decoding, for text of several sizes."""
    for n in (1, 100, 10_000, 200_000):
        data = (b"line %d\n" % n) * (n // 8 + 1)
        (server.files / "text").write_bytes(data)
        r = requests.get(server.url + "/files/text", timeout=T)
        assert r.content == data


def test_large_file_with_gzip_accepted_is_still_exact(server):
    """RFC 9110 §12.5.3: whichever coding the server picks for a 3 MiB file, the decoded
    content is the file, and the framing is consistent."""
    data = b"0123456789abcdef" * (3 << 16)
    (server.files / "large.txt").write_bytes(data)
    r = get(server.port, "/files/large.txt", ["gzip"])
    body = gzip.decompress(r.body) if r.header("Content-Encoding") == "gzip" else r.body
    assert body == data


def test_pipelined_gzip_and_identity_stay_in_step(server):
    """RFC 9112 §9.3.2: gzip and identity responses pipelined on one connection are each
    framed by their own Content-Length."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"".join(
            f"GET /echo/p{i} HTTP/1.1\r\nHost: x\r\n{'Accept-Encoding: gzip' + chr(13) + chr(10) if i % 2 else ''}\r\n".encode()
            for i in range(6)
        ))
        for i, r in enumerate(c.read_responses(6)):
            body = gzip.decompress(r.body) if i % 2 else r.body
            assert body == f"p{i}".encode()
            assert (r.header("Content-Encoding") == "gzip") == bool(i % 2)
