"""POST /files with multipart/form-data (RFC 7578, RFC 2046 §5.1.1): what curl -F and Python
requests' files= send, bytes preserved exactly, many parts, a 20 MiB part in bounded memory,
chunked bodies, and every malformed shape storing nothing (all or nothing)."""

import json
import os
import subprocess
import time

import pytest
import requests

import rawhttp
import tlsmode

T = 60  # seconds for any one HTTP call of this file
BOUNDARY = b"----httpfsmTestBoundary7MA4YWxk"


def stored_names(directory):
    """Every name in the directory but the sample "foo", temporaries (".httpfsm-upload-") too."""
    return sorted(n for n in os.listdir(directory) if n != "foo")


def form_body(parts, boundary=BOUNDARY, close=True):
    """parts: (name, filename or None, content bytes). The body a browser would send."""
    out = b""
    for name, filename, content in parts:
        out += b"--" + boundary + b"\r\n"
        disp = b'Content-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            disp += b'; filename="' + filename + b'"'
        out += disp + b"\r\n"
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + content + b"\r\n"
    if close:
        out += b"--" + boundary + b"--\r\n"
    return out


def post_form(port, body, boundary=BOUNDARY, extra=b"", target=b"/files/"):
    head = (b"POST " + target + b" HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary="
            + boundary + b"\r\nContent-Length: %d\r\n" % len(body) + extra + b"\r\n")
    return rawhttp.request(port, head + body, timeout=T)


def test_curl_form_stores_each_file_and_ignores_fields(server, tmp_path):
    """README: curl -F sends one part per file (its own boundary and headers); the fields
    without a filename are ignored; 201 with the JSON list in part order."""
    (tmp_path / "a.txt").write_bytes(b"alpha\n")
    (tmp_path / "b.bin").write_bytes(bytes(range(256)) * 40)
    out = subprocess.run(
        ["curl", "-sS", "--max-time", "30", "-o", "-", "-w", "\n%{http_code} %{content_type}",
         "-F", "note=hello", "-F", f"first=@{tmp_path / 'a.txt'}", "-F", f"second=@{tmp_path / 'b.bin'}",
         *tlsmode.curl_flags(server.port), server.url + "/files/"],
        capture_output=True, timeout=40, check=True)
    body, _, status = out.stdout.rpartition(b"\n")
    assert status == b"201 application/json", out
    assert json.loads(body) == {"stored": ["a.txt", "b.bin"]}
    assert (server.files / "a.txt").read_bytes() == b"alpha\n"
    assert (server.files / "b.bin").read_bytes() == bytes(range(256)) * 40
    assert not (server.files / "note").exists() and not (server.files / "first").exists()


def test_requests_files_without_trailing_slash(server):
    """Python requests' files= (its own boundary, a 32-hex token) to /files (no slash)."""
    r = requests.post(server.url + "/files", files={"f": ("req.txt", b"from requests"), "g": ("r2.dat", b"")},
                      data={"field": "v"}, timeout=T)
    assert (r.status_code, r.headers["Content-Type"]) == (201, "application/json")
    assert r.json() == {"stored": ["req.txt", "r2.dat"]}
    assert (server.files / "req.txt").read_bytes() == b"from requests"
    assert (server.files / "r2.dat").read_bytes() == b""


@pytest.mark.parametrize("tail", [b"\r", b"\n", b"\r\n", b"\r\n\r\n", b"\r\n--", b"\r\n--" + BOUNDARY[:-1]])
def test_binary_endings_are_kept_byte_for_byte(server, tail):
    """RFC 2046 §5.1.1: only the CRLF right before the delimiter belongs to it; a CR, LF,
    CRLF or a near-delimiter at the end of the content is content."""
    name = b"end-%s.bin" % tail.hex().encode()
    content = b"\x00\xff" + tail
    r = post_form(server.port, form_body([(b"f", name, content)]))
    assert r.status == 201, r
    assert (server.files / name.decode()).read_bytes() == content


def test_part_headers_other_than_content_disposition_change_nothing(server):
    """RFC 7578 §4.8: only Content-Type, Content-Disposition and (in limited circumstances)
    Content-Transfer-Encoding may appear in a part; other header fields MUST be ignored. And
    §4.7: Content-Transfer-Encoding is deprecated, so a base64 one is not decoded either: the
    stored file holds the part's bytes as sent."""
    body = (b"--" + BOUNDARY + b"\r\n"
            b'Content-Disposition: form-data; name="f"; filename="headers.txt"\r\n'
            b"X-Rename: other.txt\r\n"
            b"Content-Transfer-Encoding: base64\r\n"
            b"Content-Type: text/plain\r\n"
            b"\r\n"
            b"aGVsbG8=\r\n"
            b"--" + BOUNDARY + b"--\r\n")
    r = post_form(server.port, body)
    assert (r.status, json.loads(r.body)["stored"]) == (201, ["headers.txt"])
    assert (server.files / "headers.txt").read_bytes() == b"aGVsbG8="
    assert not (server.files / "other.txt").exists()


def test_a_hundred_parts(server):
    parts = [(b"f%d" % i, b"part-%03d.txt" % i, b"content %d\r\n" % i * (i + 1)) for i in range(100)]
    r = post_form(server.port, form_body(parts))
    assert r.status == 201, r
    assert json.loads(r.body)["stored"] == ["part-%03d.txt" % i for i in range(100)]
    for i in range(100):
        assert (server.files / ("part-%03d.txt" % i)).read_bytes() == b"content %d\r\n" % i * (i + 1)


def test_json_escapes_names(server):
    """RFC 8259 §7: a quotation mark in a filename is escaped in the answer. (The quoted-string
    of Content-Disposition carries it as a quoted-pair, RFC 9110 §5.6.4.)"""
    r = post_form(server.port, form_body([(b"f", b'q\\"x.txt', b"q")]))
    assert r.status == 201, r
    assert json.loads(r.body) == {"stored": ['q"x.txt']}
    assert (server.files / 'q"x.txt').read_bytes() == b"q"


def vm_hwm_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def test_a_20_mib_part_streams_in_bounded_memory(server_factory):
    """A 20 MiB file part goes to disk as it arrives: the server's peak resident memory grows
    by far less than the part (its VmHWM is printed)."""
    s = server_factory("--max-body", "64M", static=False)
    before = vm_hwm_kib(s.pid)
    content = os.urandom(1 << 20) * 20
    r = post_form(s.port, form_body([(b"big", b"big.bin", content)]))
    assert r.status == 201, r
    after = vm_hwm_kib(s.pid)
    print(f"VmHWM before {before} KiB, after a 20 MiB part {after} KiB")
    assert after - before < 8 * 1024, (before, after)
    assert (s.files / "big.bin").read_bytes() == content


def chunk(body, size):
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


@pytest.mark.parametrize("size", [1, 7, 1000, 100000])
def test_chunked_multipart(server, size):
    """The body arrives as chunk slices of any size: delimiters and header lines split across
    slices are found the same (the parser's carry buffer)."""
    content = (b"\r\n--" + BOUNDARY[:10] + b"\r") * 50 + os.urandom(3000)
    name = b"chunked-%d.bin" % size
    body = form_body([(b"field", None, b"v"), (b"f", name, content), (b"g", b"small-%d.txt" % size, b"s")])
    head = (b"POST /files/ HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
            + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
    r = rawhttp.request(server.port, head + chunk(body, size), timeout=T)
    assert r.status == 201, r
    assert (server.files / name.decode()).read_bytes() == content
    assert (server.files / ("small-%d.txt" % size)).read_bytes() == b"s"


MALFORMED = {
    "no close delimiter": (form_body([(b"f", b"m1.txt", b"x")], close=False), BOUNDARY, 400),
    "boundary not in body": (form_body([(b"f", b"m2.txt", b"x")], boundary=b"other"), BOUNDARY, 400),
    "boundary too long": (form_body([(b"f", b"m3.txt", b"x")], boundary=b"b" * 71), b"b" * 71, 400),
    "path filename": (form_body([(b"f", b"ok.txt", b"x"), (b"f", b"../m4.txt", b"x")]), BOUNDARY, 400),
    "dir filename": (form_body([(b"f", b"ok.txt", b"x"), (b"f", b"d/m5.txt", b"x")]), BOUNDARY, 400),
    "dotdot filename": (form_body([(b"f", b"..", b"x")]), BOUNDARY, 400),
    "control filename": (form_body([(b"f", b"a\x01b", b"x")]), BOUNDARY, 400),
    "empty filename with content": (form_body([(b"f", b"", b"x")]), BOUNDARY, 400),
    "repeated filename": (form_body([(b"f", b"same.txt", b"1"), (b"g", b"same.txt", b"2")]), BOUNDARY, 400),
    "temporary filename": (form_body([(b"f", b".httpfsm-upload-1", b"x")]), BOUNDARY, 400),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_stores_nothing(server_factory, case):
    s = server_factory(static=False)
    body, boundary, status = MALFORMED[case]
    r = post_form(s.port, body, boundary=boundary)
    assert r.status == status, r
    assert stored_names(s.files) == []
    # The connection's next request is answered: the refusal read the whole body.
    assert requests.get(s.url + "/files/foo", timeout=T).status_code == 200


def test_not_form_data_is_415(server):
    """RFC 9110 §15.5.16: another media type, or none, is not what the form upload takes."""
    r = rawhttp.request(server.port, b"POST /files HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx", timeout=T)
    assert r.status == 415, r
    r = rawhttp.request(server.port, b"POST /files/ HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: 1\r\n\r\nx", timeout=T)
    assert r.status == 415, r


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
def test_over_max_body_stores_nothing(server_factory, framing):
    """README --max-body: 413; the first file, complete before the limit, is not kept either."""
    s = server_factory("--max-body", "1000", static=False)
    body = form_body([(b"f", b"small.txt", b"x"), (b"g", b"large.bin", b"y" * 5000)])
    head = (b"POST /files/ HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
            + b"\r\n")
    if framing == "chunked":
        data = head + b"Transfer-Encoding: chunked\r\n\r\n" + chunk(body, 300)
    else:
        data = head + b"Content-Length: %d\r\n\r\n" % len(body) + body
    r = rawhttp.request(s.port, data, timeout=T)
    assert r.status == 413, r
    assert s.wait_for_fds(s.baseline_fds)
    assert stored_names(s.files) == []


def test_aborted_upload_stores_nothing(server_factory):
    s = server_factory(static=False)
    body = form_body([(b"f", b"first.txt", b"1"), (b"g", b"cut.bin", b"z" * 100000)])
    head = (b"POST /files/ HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
            + b"\r\nContent-Length: %d\r\n\r\n" % len(body))
    with tlsmode.connect(s.port, T) as sock:
        sock.sendall(head + body[:60000])
        time.sleep(0.3)  # the server has opened both temporaries
    assert s.wait_for_fds(s.baseline_fds)
    assert stored_names(s.files) == []


def test_auth_applies_as_for_single_uploads(server_factory):
    s = server_factory("--auth-token", "s3cret", static=False)
    body = form_body([(b"f", b"guarded.txt", b"x")])
    assert post_form(s.port, body).status == 401
    assert stored_names(s.files) == []
    r = post_form(s.port, body, extra=b"Authorization: Bearer s3cret\r\n")
    assert r.status == 201, r
    assert (s.files / "guarded.txt").read_bytes() == b"x"
