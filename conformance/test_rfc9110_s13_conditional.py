"""RFC 9110 §13: conditional requests on the static site. If-None-Match with ETags (weak
comparison, lists, "*") and If-Modified-Since (all three date formats), their precedence,
and the 304 response's form (§15.4.5)."""

import email.utils
import os

import pytest

import rawhttp
from checks import assert_well_formed

PATH = "/static/css/site.css"
MTIME = 1_650_000_000  # Fri, 15 Apr 2022 05:20:00 GMT


@pytest.fixture(scope="module")
def validators(server):
    os.utime(server.static / "css/site.css", (MTIME, MTIME))
    r = rawhttp.request(server.port, rawhttp.get(PATH))
    return r.header("ETag"), r.header("Last-Modified")


def conditional(server, *headers, method="GET"):
    data = f"{method} {PATH} HTTP/1.1\r\nHost: x\r\n".encode() + b"".join(f"{n}: {v}\r\n".encode() for n, v in headers) + b"\r\n"
    r = rawhttp.request(server.port, data, head_request=method == "HEAD")
    assert_well_formed(r)
    return r


def test_validators_are_sent(server, validators):
    """RFC 9110 §8.8.3 and §8.8.2: a strong ETag (a quoted opaque string) and Last-Modified."""
    etag, last_modified = validators
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert last_modified == "Fri, 15 Apr 2022 05:20:00 GMT"


def test_if_none_match_same_etag_304(server, validators):
    """RFC 9110 §13.1.2: If-None-Match that matches the current ETag makes a GET 304 (Not
    Modified): no content, the same ETag, Date (§15.4.5)."""
    r = conditional(server, ("If-None-Match", validators[0]))
    assert (r.status, r.body, r.header("ETag")) == (304, b"", validators[0])
    assert r.header("Content-Type") is None  # §15.4.5: no other representation metadata


def test_if_none_match_in_a_list_304(server, validators):
    """RFC 9110 §13.1.2: If-None-Match is a list; any member matching counts."""
    assert conditional(server, ("If-None-Match", f'"other", {validators[0]}, "third"')).status == 304


def test_if_none_match_weak_comparison_304(server, validators):
    """RFC 9110 §13.1.2: If-None-Match uses the weak comparison: W/"x" matches "x"."""
    assert conditional(server, ("If-None-Match", "W/" + validators[0])).status == 304


def test_if_none_match_star_304(server, validators):
    """RFC 9110 §13.1.2: "*" matches any current representation."""
    assert conditional(server, ("If-None-Match", "*")).status == 304


def test_if_none_match_other_etag_200(server, validators):
    """RFC 9110 §13.1.2: no match, so the condition is true: the full 200."""
    r = conditional(server, ("If-None-Match", '"not-the-etag"'))
    assert (r.status, r.body) == (200, b"body { font-family: sans-serif; }\n")


def test_head_if_none_match_304(server, validators):
    """RFC 9110 §13.1.2: the same for HEAD."""
    assert conditional(server, ("If-None-Match", validators[0]), method="HEAD").status == 304


@pytest.mark.parametrize(
    "date",
    [
        "Fri, 15 Apr 2022 05:20:00 GMT",  # IMF-fixdate, equal to Last-Modified
        "Sat, 16 Apr 2022 00:00:00 GMT",  # later
        "Friday, 15-Apr-22 05:20:00 GMT",  # obsolete RFC 850 format
        "Fri Apr 15 05:20:00 2022",  # obsolete asctime format
    ],
)
def test_if_modified_since_not_modified_304(server, validators, date):
    """RFC 9110 §13.1.3: not modified since the date: 304. §5.6.7: a recipient MUST accept all
    three HTTP-date formats."""
    r = conditional(server, ("If-Modified-Since", date))
    assert (r.status, r.body) == (304, b"")


@pytest.mark.parametrize("date", ["Fri, 15 Apr 2022 05:19:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_if_modified_since_modified_200(server, validators, date):
    """RFC 9110 §13.1.3: modified after the date: the full 200."""
    assert conditional(server, ("If-Modified-Since", date)).status == 200


@pytest.mark.parametrize("date", ["yesterday", "Fri, 15 Apr 2022", "Fri, 32 Apr 2022 05:20:00 GMT"])
def test_if_modified_since_invalid_date_is_ignored(server, validators, date):
    """RFC 9110 §13.1.3: a recipient MUST ignore If-Modified-Since if the value is not a valid
    HTTP-date."""
    assert conditional(server, ("If-Modified-Since", date)).status == 200


def test_if_none_match_takes_precedence_over_if_modified_since(server, validators):
    """RFC 9110 §13.1.3 and §13.2.2: If-Modified-Since is ignored when If-None-Match is present:
    a non-matching ETag with a matching date is 200."""
    r = conditional(server, ("If-None-Match", '"nope"'), ("If-Modified-Since", "Sat, 16 Apr 2022 00:00:00 GMT"))
    assert r.status == 200


def test_304_keeps_the_connection(server, validators):
    """RFC 9112 §6.3 item 1: a 304 has no content, so the next response on the connection
    follows it directly."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get(PATH, [("If-None-Match", validators[0])]) + rawhttp.get("/echo/after"))
        first, second = c.read_responses(2)
        assert (first.status, second.body) == (304, b"after")


def test_index_304_with_readme_etag(server):
    """README: GET /static/ with If-None-Match: "<the ETag above>" is 304 Not Modified."""
    etag = rawhttp.request(server.port, rawhttp.get("/static/")).header("ETag")
    r = rawhttp.request(server.port, rawhttp.get("/static/", [("If-None-Match", etag)]))
    assert (r.status, r.body) == (304, b"")


def test_file_changed_after_the_etag_200(server, validators):
    """RFC 9110 §13.1.2: after the file changes, the old ETag no longer matches."""
    path = server.static / "js/app.js"
    etag = rawhttp.request(server.port, rawhttp.get("/static/js/app.js")).header("ETag")
    path.write_bytes(b"console.log('v2');\n")
    os.utime(path, (MTIME + 10, MTIME + 10))
    r = rawhttp.request(server.port, rawhttp.get("/static/js/app.js", [("If-None-Match", etag)]))
    assert (r.status, r.body) == (200, b"console.log('v2');\n")


def test_last_modified_matches_the_http_date_of_mtime(server, validators):
    """RFC 9110 §8.8.2.1: Last-Modified is the file's mtime as an HTTP-date."""
    assert validators[1] == email.utils.formatdate(MTIME, usegmt=True)
