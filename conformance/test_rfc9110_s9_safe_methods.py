"""RFC 9110 §9.2.1: GET, HEAD and OPTIONS are safe. However they are sent (to existing and
missing names, with content, with conditional and range fields, to names an upload would
take), they never change a file in --directory or in the static site."""

import os

import rawhttp
from checks import assert_well_formed


def snapshot(root):
    """Every entry under `root` (hidden ones included): its kind, size, mtime in ns and bytes."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            data = open(p, "rb").read() if os.path.isfile(p) else None
            result[os.path.relpath(p, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, data)
    return result


def safe_requests():
    heads = [
        "",
        "Content-Length: 5\r\n",  # with content (§9.3.1: no defined semantics; dropped)
        "Transfer-Encoding: chunked\r\n",
        'If-Match: "nope"\r\n',
        "If-None-Match: *\r\n",
        "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n",
        "Range: bytes=0-3\r\nIf-Range: \"stale\"\r\n",
        "Content-Range: bytes 0-4/5\r\n",
    ]
    for method in ("GET", "HEAD", "OPTIONS"):
        for target in ("/files/foo", "/files/created", "/files/.httpfsm-upload-x", "/static/css/site.css", "/static/new.txt"):
            for fields in heads:
                body = b"hello" if "Content-Length" in fields else b"5\r\nhello\r\n0\r\n\r\n" if "chunked" in fields else b""
                if "Content-Range" in fields:
                    fields += "Content-Length: 5\r\n"
                    body = b"hello"
                yield method, f"{method} {target} HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode() + body


def test_safe_methods_change_no_file(server):
    """RFC 9110 §9.2.1: a resource MUST disallow unsafe actions through a safe method: after 120
    GET, HEAD and OPTIONS requests of every kind, both directories are exactly as before (same
    names, sizes, modification times and bytes), and none of the names they targeted exists."""
    before_files, before_static = snapshot(server.files), snapshot(server.static)
    statuses = set()
    for method, data in safe_requests():
        r = rawhttp.request(server.port, data, head_request=method == "HEAD")
        assert_well_formed(r)
        statuses.add(r.status)
    assert snapshot(server.files) == before_files
    assert snapshot(server.static) == before_static
    assert not (server.files / "created").exists() and not (server.static / "new.txt").exists()
    assert {200, 404}.issubset(statuses)  # the requests reached the handlers
