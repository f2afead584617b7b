"""RFC 9110 §14: range requests on the static site. Single byte ranges (206 with
Content-Range), suffix and open ranges, numerals of any length, unsatisfiable ones (416 with
"bytes */length"), ranges that are ignored (several, invalid, other units, HEAD), If-Range
(ignored without Range and where ranges are not supported), the 206's fields (§15.3.7) and
Content-Range in an upload (§14.4)."""

import pytest

import rawhttp
from checks import assert_well_formed

CSS = b"body { font-family: sans-serif; }\n"  # 34 bytes, as in the README


def ranged(server, spec, *headers, path="/static/css/site.css", method="GET"):
    data = f"{method} {path} HTTP/1.1\r\nHost: x\r\nRange: {spec}\r\n".encode()
    data += b"".join(f"{n}: {v}\r\n".encode() for n, v in headers) + b"\r\n"
    r = rawhttp.request(server.port, data, head_request=method == "HEAD")
    assert_well_formed(r)
    return r


@pytest.mark.parametrize(
    "spec,first,last",
    [
        ("bytes=0-3", 0, 3),  # README: body "body"
        ("bytes=5-5", 5, 5),  # one byte
        ("bytes=30-", 30, 33),  # open: to the end
        ("bytes=-4", 30, 33),  # suffix: the last 4 bytes
        ("bytes=-100", 0, 33),  # suffix longer than the file: all of it
        ("bytes=10-1000", 10, 33),  # last-pos past the end is clipped
        ("Bytes=0-3", 0, 3),  # the range unit is case-insensitive (§14.1)
    ],
)
def test_satisfiable_range_206(server, spec, first, last):
    """RFC 9110 §14.2, §15.3.7: a satisfiable single range gets 206 Partial Content with
    Content-Range "bytes first-last/34" and exactly those bytes."""
    r = ranged(server, spec)
    assert r.status == 206
    assert r.header("Content-Range") == f"bytes {first}-{last}/34"
    assert r.body == CSS[first : last + 1]
    assert r.header("Content-Length") == str(last - first + 1)


@pytest.mark.parametrize("spec", ["bytes=34-", "bytes=100-200", "bytes=-0"])
def test_unsatisfiable_range_416(server, spec):
    """RFC 9110 §15.5.17: a range that starts past the end (or an empty suffix) is 416 with
    Content-Range: bytes */34, the current length."""
    r = ranged(server, spec)
    assert (r.status, r.header("Content-Range")) == (416, "bytes */34")


def test_range_on_an_empty_file_416(server):
    """RFC 9110 §14.1.1: no byte range of an empty representation is satisfiable."""
    r = ranged(server, "bytes=0-0", path="/static/zero.txt")
    assert (r.status, r.header("Content-Range")) == (416, "bytes */0")


@pytest.mark.parametrize(
    "spec",
    [
        "bytes=5-1",  # last < first: invalid (§14.1.1)
        "bytes=0-1,5-6",  # several ranges: a server MAY ignore Range (§14.2)
        "items=0-3",  # a unit the server does not know (§14.2)
        "bytes=a-b",  # not numbers
        "bytes",  # no range set
    ],
)
def test_ignored_range_is_the_full_200(server, spec):
    """RFC 9110 §14.2: a server MAY ignore Range, and MUST ignore it for an unknown unit;
    an invalid range-spec makes the field ignorable: the full 200."""
    r = ranged(server, spec)
    assert (r.status, r.body) == (200, CSS)
    assert r.header("Content-Range") is None


def test_range_is_ignored_for_head(server):
    """RFC 9110 §14.2: Range is defined for GET only: HEAD answers as without it."""
    r = ranged(server, "bytes=0-3", method="HEAD")
    assert (r.status, r.header("Content-Length"), r.header("Content-Range")) == (200, "34", None)


def test_accept_ranges_advertised(server):
    """RFC 9110 §14.3: Accept-Ranges: bytes on the full response."""
    assert rawhttp.request(server.port, rawhttp.get("/static/css/site.css")).header("Accept-Ranges") == "bytes"


def test_if_range_with_the_current_etag_206(server):
    """RFC 9110 §13.1.5: If-Range with the current strong ETag: the range applies (206)."""
    etag = rawhttp.request(server.port, rawhttp.get("/static/css/site.css")).header("ETag")
    assert ranged(server, "bytes=0-3", ("If-Range", etag)).status == 206


def test_if_range_with_the_current_date_206(server):
    """RFC 9110 §13.1.5: If-Range with the Last-Modified date: the range applies."""
    date = rawhttp.request(server.port, rawhttp.get("/static/css/site.css")).header("Last-Modified")
    assert ranged(server, "bytes=0-3", ("If-Range", date)).status == 206


@pytest.mark.parametrize("value", ['"stale-etag"', "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_if_range_that_does_not_match_is_the_full_200(server, value):
    """RFC 9110 §13.1.5: If-Range that does not match: ignore Range, send the whole 200."""
    r = ranged(server, "bytes=0-3", ("If-Range", value))
    assert (r.status, r.body) == (200, CSS)


def test_range_is_of_the_identity_representation(server):
    """RFC 9110 §14.2 and §8.4: with Accept-Encoding: gzip a range is still of the identity
    bytes: 206 without Content-Encoding."""
    r = ranged(server, "bytes=0-3", ("Accept-Encoding", "gzip"))
    assert (r.status, r.body, r.header("Content-Encoding")) == (206, b"body", None)


def test_range_of_a_larger_file(server):
    """RFC 9110 §14.2: a range in the middle of a 1 MiB file, served from the file."""
    data = bytes(range(256)) * 4096
    (server.static / "range.bin").write_bytes(data)
    r = ranged(server, "bytes=500000-600000", path="/static/range.bin")
    assert (r.status, r.header("Content-Range")) == (206, f"bytes 500000-600000/{len(data)}")
    assert r.body == data[500000:600001]


@pytest.mark.parametrize(
    "spec,status,content_range",
    [
        ("bytes=0-99999999999999999999999", 206, "bytes 0-33/34"),  # last-pos past 2^64
        ("bytes=10-18446744073709551616", 206, "bytes 10-33/34"),  # 2^64 exactly
        ("bytes=-99999999999999999999999", 206, "bytes 0-33/34"),  # suffix longer than 2^64
        ("bytes=99999999999999999999999-", 416, "bytes */34"),  # first-pos past 2^64
        ("bytes=00000000000000000000000000005-6", 206, "bytes 5-6/34"),  # leading zeros
    ],
)
def test_very_long_numerals(server, spec, status, content_range):
    """RFC 9110 §14.1.2: recipients MUST anticipate large decimal numerals without overflow. A
    last-pos at or past the length means the rest of the representation, a suffix longer than
    it means all of it, a first-pos past it is unsatisfiable, however many digits."""
    r = ranged(server, spec)
    assert (r.status, r.header("Content-Range")) == (status, content_range)
    if status == 206:
        first, last = (int(x) for x in content_range.split()[1].split("/")[0].split("-"))
        assert r.body == CSS[first : last + 1]


def test_a_206_carries_the_fields_of_the_200(server):
    """RFC 9110 §15.3.7: a 206 MUST carry Date and ETag (and the other fields of that list that
    the 200 has) and, without If-Range, all the representation fields the 200 would have:
    the same ETag, Last-Modified, Content-Type and Vary."""
    full = ranged(server, "bytes=5-1")  # invalid, so the full 200 of the same request
    part = ranged(server, "bytes=0-3")
    assert (full.status, part.status) == (200, 206)
    assert part.header("Date") is not None and part.header("ETag") is not None
    for name in ("ETag", "Last-Modified", "Content-Type", "Vary", "Cache-Control", "Expires", "Content-Location"):
        assert part.header(name) == full.header(name), name
    gz_full = ranged(server, "bytes=5-1", ("Accept-Encoding", "gzip"))
    gz_part = ranged(server, "bytes=0-3", ("Accept-Encoding", "gzip"))
    assert gz_part.status == 206 and gz_part.header("Vary") == gz_full.header("Vary") == "Accept-Encoding"


def test_a_206_to_if_range_sends_only_the_required_fields(server):
    """RFC 9110 §15.3.7: a 206 to a request with If-Range SHOULD NOT carry representation fields
    beyond those required (the client has them from the response it is completing): Date, ETag
    and Content-Range, but no Content-Type or Last-Modified."""
    etag = rawhttp.request(server.port, rawhttp.get("/static/css/site.css")).header("ETag")
    r = ranged(server, "bytes=0-3", ("If-Range", etag))
    assert (r.status, r.body, r.header("Content-Range")) == (206, b"body", "bytes 0-3/34")
    assert r.header("Date") is not None and r.header("ETag") == etag
    assert r.header("Content-Type") is None and r.header("Last-Modified") is None


@pytest.mark.parametrize("value", ["STALE", "CURRENT"])
def test_if_range_without_range_is_ignored(server, value):
    """RFC 9110 §13.1.5: a server MUST ignore If-Range in a request without Range: the full 200
    with all its fields, whether the validator matches or not."""
    etag = rawhttp.request(server.port, rawhttp.get("/static/css/site.css")).header("ETag")
    validator = etag if value == "CURRENT" else '"stale"'
    r = rawhttp.request(server.port, rawhttp.get("/static/css/site.css", [("If-Range", validator)]))
    assert_well_formed(r)
    assert (r.status, r.body, r.header("Content-Range")) == (200, CSS, None)
    assert r.header("Content-Type") is not None and r.header("Last-Modified") is not None


@pytest.mark.parametrize("target,body", [("/files/foo", b"Hello, World!"), ("/echo/abcdef", b"abcdef")])
def test_if_range_on_a_resource_without_ranges_is_ignored(server, target, body):
    """RFC 9110 §13.1.5: an origin server MUST ignore If-Range for a resource that does not
    support Range (/files and /echo answer Range with the whole content): the full 200, never
    412 or 206, whether the validator matches or not."""
    current = rawhttp.request(server.port, rawhttp.get(target)).header("ETag") or '"none"'
    for validator in (current, '"stale"', "Thu, 01 Jan 1970 00:00:00 GMT"):
        r = rawhttp.request(server.port, rawhttp.get(target, [("Range", "bytes=0-3"), ("If-Range", validator)]))
        assert_well_formed(r)
        assert (r.status, r.body, r.header("Content-Range")) == (200, body, None), validator


def test_content_range_in_an_upload_is_ignored(server):
    """RFC 9110 §14.4: a server MUST ignore Content-Range in a request whose method does not
    define it. Uploads are POST (no partial POST is defined), so the whole content is stored
    and the file is exactly the body sent, not a part placed at an offset."""
    body = b"0123456789"
    data = b"POST /files/ranged HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 2-5/10\r\nContent-Length: 10\r\n\r\n" + body
    r = rawhttp.request(server.port, data)
    assert r.status == 201
    assert (server.files / "ranged").read_bytes() == body
    r = rawhttp.request(server.port, rawhttp.get("/files/ranged"))
    assert (r.status, r.body) == (200, body)
