"""README: requests never reach outside --directory and --static: ".." above the root is 400
("encoded dots and slashes too"), dot segments are removed before routing (RFC 3986 §5.2.4),
and a symlink leading outside is refused. A secret file beside the served directories is
never returned, whatever the spelling."""

import os

import pytest
import requests

import rawhttp

SECRET = b"TOP-SECRET-MARKER-7d1f"


@pytest.fixture(scope="module")
def site(server):
    """The default server, with a secret file and directory next to (outside) its roots and
    symlinks inside the roots pointing out and in."""
    work = server.work
    (work / "secret.txt").write_bytes(SECRET)
    (work / "outside").mkdir()
    (work / "outside" / "secret.txt").write_bytes(SECRET)
    os.symlink(work / "secret.txt", server.static / "link-out.txt")
    os.symlink(work / "outside", server.static / "dir-out")
    os.symlink("../secret.txt", server.static / "relative-out.txt")
    os.symlink("css/site.css", server.static / "link-in.css")
    os.symlink(work / "secret.txt", server.files / "file-link-out")
    return server


def get_raw(port, target):
    return rawhttp.request(port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")


@pytest.mark.parametrize(
    "target,status",
    [
        # RFC 3986 §5.2.4: dot segments are removed first; what is left is a path inside the
        # site that does not exist.
        (b"/files/../secret.txt", 404),
        (b"/files/%2e%2e/secret.txt", 404),
        (b"/files/%2E%2E/secret.txt", 404),
        (b"/static/sub/../../secret.txt", 404),
        (b"/static/./../secret.txt", 404),
        # README: ".." above the root is 400; encoded dots too.
        (b"/static/../../secret.txt", 400),
        (b"/static/../../etc/passwd", 400),
        (b"/files/../../secret.txt", 400),
        (b"/static/%2e%2e/%2e%2e/secret.txt", 400),
        (b"/static/.%2e/%2e./secret.txt", 400),
        (b"/../secret.txt", 400),
        # README: encoded slashes are 400 (a "/" that is not a separator).
        (b"/files/..%2fsecret.txt", 400),
        (b"/files/%2e%2e%2fsecret.txt", 400),
        (b"/static/..%2F..%2Fsecret.txt", 400),
        (b"/static/%2fetc%2fpasswd", 400),
        # RFC 3986 §2.1 and the README's "%00": an encoded NUL is refused.
        (b"/files/secret.txt%00.html", 400),
        # A backslash is a file name byte on POSIX, never a separator: refused outright.
        (b"/files/..%5csecret.txt", 403),
        (b"/static/..%5c..%5csecret.txt", 403),
        # A raw backslash is not allowed in a request-target at all (RFC 3986 §3.3 pchar).
        (b"/files/..\\secret.txt", 400),
        # Absolute paths: the leading slashes stay inside the root.
        (b"/static//etc/passwd", 404),
        (b"/static///secret.txt", 404),
        (b"/files//etc/passwd", 404),
        # Double encoding is decoded once: "%2e%2e" becomes a literal name.
        (b"/static/%252e%252e/secret.txt", 404),
        # Overlong UTF-8 for "." is two bytes that are not dots.
        (b"/static/%c0%ae%c0%ae/secret.txt", 404),
        # RFC 9112 §3.2.2: the absolute-form's path gets the same treatment.
        (b"http://127.0.0.1/static/../../secret.txt", 400),
        (b"http://127.0.0.1/files/%2e%2e%2fsecret.txt", 400),
    ],
)
def test_traversal_never_escapes(site, target, status):
    """Each spelling gets its documented status and never the secret's bytes."""
    r = get_raw(site.port, target)
    assert SECRET not in r.body
    assert r.status == status, r


@pytest.mark.parametrize("name", ["link-out.txt", "relative-out.txt", "dir-out/secret.txt"])
def test_symlink_leading_outside_is_refused(site, name):
    """A symlink inside --static whose target is outside is refused (403 Forbidden, RFC 9110
    §15.5.4), whether absolute, relative, or a directory on the way."""
    r = requests.get(f"{site.url}/static/{name}", timeout=15)
    assert SECRET not in r.content
    assert r.status_code == 403


def test_symlink_inside_the_root_is_followed(site):
    """A symlink that stays inside the root is an ordinary file of the site."""
    r = requests.get(site.url + "/static/link-in.css", timeout=15)
    assert (r.status_code, r.content) == (200, (site.static / "css/site.css").read_bytes())


def test_files_symlink_leading_outside_is_refused(site):
    """The same for /files/{name}: GET through a link to outside is 403."""
    r = requests.get(site.url + "/files/file-link-out", timeout=15)
    assert SECRET not in r.content
    assert r.status_code == 403


def test_upload_through_a_symlink_never_writes_outside(site):
    """POST to a name that is a symlink to a file outside is refused (403); the outside file
    keeps its content."""
    r = requests.post(site.url + "/files/file-link-out", data=b"overwritten", timeout=15)
    assert r.status_code == 403
    assert (site.work / "secret.txt").read_bytes() == SECRET


@pytest.mark.parametrize(
    "target,status",
    [
        (b"/files/..%2fescaped", 400),
        (b"/files/%2e%2e%2fescaped", 400),
        (b"/files/../../escaped", 400),
        (b"/files/..%5cescaped", 403),
        (b"/files/.", 415),  # "/files/": the form upload, which needs multipart/form-data
    ],
)
def test_upload_traversal_never_creates_outside(site, target, status):
    """Uploads with the same spellings create nothing outside the directory (nor inside)."""
    before_work = sorted(os.listdir(site.work))
    before_files = sorted(os.listdir(site.files))
    r = rawhttp.request(site.port, b"POST " + target + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nevil")
    assert r.status == status, r
    assert sorted(os.listdir(site.work)) == before_work
    assert sorted(os.listdir(site.files)) == before_files
