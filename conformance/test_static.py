"""README --static DIR: files under /static/ with their MIME type, index.html for a directory,
HEAD, and what is not there. (Validators and ranges: test_rfc9110_s13_conditional.py and
test_rfc9110_s14_range.py.)"""

import email.utils
import os

import pytest
import requests

import rawhttp
from checks import IMF_FIXDATE, assert_well_formed
from conftest import STATIC_FILES

T = 15


@pytest.mark.parametrize(
    "path,content_type",
    [
        ("index.html", "text/html; charset=utf-8"),
        ("sub/page.htm", "text/html; charset=utf-8"),
        ("css/site.css", "text/css; charset=utf-8"),
        ("js/app.js", "text/javascript; charset=utf-8"),  # RFC 9239
        ("data.json", "application/json"),  # RFC 8259 §11
        ("notes.txt", "text/plain; charset=utf-8"),
        ("logo.svg", "image/svg+xml"),
        ("pixel.png", "image/png"),
        ("photo.JPG", "image/jpeg"),  # the extension matches in any case
        ("archive.tar.gz", "application/gzip"),  # the last extension counts (RFC 6713)
        ("module.wasm", "application/wasm"),
        ("LICENSE", "application/octet-stream"),  # RFC 9110 §8.3: unknown, so opaque bytes
    ],
)
def test_mime_type_and_exact_content(server, path, content_type):
    """RFC 9110 §8.3: Content-Type names the media type of the representation, chosen from the
    extension; the content is the file's bytes exactly, with its Content-Length."""
    r = requests.get(f"{server.url}/static/{path}", timeout=T, headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == content_type
    assert r.content == STATIC_FILES[path]
    assert r.headers["Content-Length"] == str(len(STATIC_FILES[path]))


def test_directory_serves_its_index_html(server):
    """README: GET /static/ is 200, Content-Type: text/html; charset=utf-8, the index.html,
    with ETag and Last-Modified."""
    r = rawhttp.request(server.port, rawhttp.get("/static/"))
    assert (r.status, r.header("Content-Type"), r.body) == (200, "text/html; charset=utf-8", STATIC_FILES["index.html"])
    assert r.header("ETag", "").startswith('"')
    assert IMF_FIXDATE.fullmatch(r.header("Last-Modified", ""))
    assert_well_formed(r)


def test_subdirectory_index(server):
    """README: the same for a subdirectory."""
    r = requests.get(server.url + "/static/sub/", timeout=T)
    assert (r.status_code, r.content) == (200, STATIC_FILES["sub/index.html"])


@pytest.mark.parametrize("path,location", [("/static/sub", "/static/sub/"), ("/static", "/static/")])
def test_directory_without_slash_redirects(server, path, location):
    """RFC 9110 §15.4.2: a directory asked for without its trailing slash is 301 to the URL
    with it (so relative links in its index resolve), with Location."""
    r = rawhttp.request(server.port, rawhttp.get(path))
    assert (r.status, r.header("Location")) == (301, location)
    assert_well_formed(r)


def test_directory_without_index_is_404(server):
    """README --static: a directory without index.html has nothing to serve (no listing)."""
    assert requests.get(server.url + "/static/empty/", timeout=T).status_code == 404


def test_missing_file_is_404(server):
    """RFC 9110 §15.5.5: 404 for a file that is not there."""
    r = rawhttp.request(server.port, rawhttp.get("/static/nope.css"))
    assert (r.status, r.header("Content-Type"), r.body) == (404, "text/plain", b"404 Not Found\n")


def test_head_has_the_fields_of_get_and_no_body(server):
    """RFC 9110 §9.3.2: HEAD gets the same fields as GET (Content-Type, Content-Length, ETag,
    Last-Modified) and no content."""
    get = rawhttp.request(server.port, rawhttp.get("/static/css/site.css"))
    head = rawhttp.request(server.port, b"HEAD /static/css/site.css HTTP/1.1\r\nHost: x\r\n\r\n", head_request=True)
    assert head.status == 200 and head.body == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges"):
        assert head.header(name) == get.header(name), name


def test_head_then_get_on_one_connection(server):
    """RFC 9110 §9.3.2 and RFC 9112 §6.3 item 1: a HEAD response's Content-Length is not
    followed by content, so the next response on the connection is read at once."""
    with rawhttp.Connection(server.port) as c:
        c.send(b"HEAD /static/notes.txt HTTP/1.1\r\nHost: x\r\n\r\n" + rawhttp.get("/static/digits.txt"))
        head = c.read_response(head_request=True)
        get = c.read_response()
        assert head.header("Content-Length") == str(len(STATIC_FILES["notes.txt"]))
        assert get.body == STATIC_FILES["digits.txt"]


def test_last_modified_is_the_file_mtime(server):
    """RFC 9110 §8.8.2: Last-Modified is the file's modification time, as an IMF-fixdate."""
    path = server.static / "notes.txt"
    os.utime(path, (1_600_000_000, 1_600_000_000))
    r = requests.get(server.url + "/static/notes.txt", timeout=T)
    assert r.headers["Last-Modified"] == email.utils.formatdate(1_600_000_000, usegmt=True)


def test_etag_changes_when_the_file_changes(server):
    """RFC 9110 §8.8.3: a strong ETag changes when the representation changes."""
    path = server.static / "digits.txt"
    first = requests.get(server.url + "/static/digits.txt", timeout=T).headers["ETag"]
    path.write_bytes(b"changed content")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    r = requests.get(server.url + "/static/digits.txt", timeout=T)
    assert r.content == b"changed content"
    assert r.headers["ETag"] != first
    path.write_bytes(STATIC_FILES["digits.txt"])


def test_query_is_ignored(server):
    """RFC 9112 §3.2.1: the query is not part of the path: /static/css/site.css?v=2 is the file."""
    assert requests.get(server.url + "/static/css/site.css?v=2", timeout=T).content == STATIC_FILES["css/site.css"]


def test_percent_encoded_file_name(server):
    """RFC 3986 §2.1: /static/with%20space.txt is the file "with space.txt"."""
    assert requests.get(server.url + "/static/with%20space.txt", timeout=T).content == b"spaced name\n"


def test_empty_file(server):
    """A 0-byte file is 200 with Content-Length: 0."""
    r = rawhttp.request(server.port, rawhttp.get("/static/zero.txt"))
    assert (r.status, r.header("Content-Length"), r.body) == (200, "0", b"")


def test_post_to_static_is_405(server):
    """RFC 9110 §15.5.6: /static/ only serves GET and HEAD: POST is 405 with Allow."""
    r = rawhttp.request(server.port, b"POST /static/index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    assert (r.status, r.header("Allow")) == (405, "GET, HEAD, OPTIONS")


def test_large_static_file(server):
    """README (sendfile for files): a 3 MiB static file arrives whole."""
    data = os.urandom(3 << 20)
    (server.static / "big.bin").write_bytes(data)
    r = requests.get(server.url + "/static/big.bin", timeout=60)
    assert (r.status_code, r.headers["Content-Type"]) == (200, "application/octet-stream")
    assert r.content == data
