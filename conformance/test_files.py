"""README /files/{name}: GET reads, POST uploads (201), with binary content, empty files,
large files in bounded memory, atomic replacement ("a reader never sees a partial file") and
aborted uploads that leave nothing behind."""

import hashlib
import os
import socket
import struct
import threading
import time

import pytest
import requests

import cases
import rawhttp
import tlsmode
from checks import assert_well_formed

T = 60  # seconds for any one HTTP call of this file
IDENTITY = {"Accept-Encoding": "identity"}  # requests asks for gzip by default


def upload(port, name, data):
    return rawhttp.request(port, cases.post(b"Content-Length: %d\r\n" % len(data), data, b"/files/" + name.encode()), timeout=T)


def temporaries(directory):
    """Hidden names in the directory: the server's temporary upload files are the only ones."""
    return sorted(n for n in os.listdir(directory) if n.startswith("."))


def test_get_sample_file(server):
    """README: GET /files/foo is 200, Content-Type: application/octet-stream, "Hello, World!"."""
    r = requests.get(server.url + "/files/foo", timeout=T, headers=IDENTITY)
    assert (r.status_code, r.headers["Content-Type"], r.content) == (200, "application/octet-stream", b"Hello, World!")
    assert r.headers["Content-Length"] == "13"


def test_get_missing_file_404(server):
    """README: 404 if missing."""
    assert requests.get(server.url + "/files/missing", timeout=T).status_code == 404


def test_head_of_a_file(server):
    """RFC 9110 §9.3.2: HEAD gets the fields GET would (Content-Length: 13), no body."""
    r = rawhttp.request(server.port, b"HEAD /files/foo HTTP/1.1\r\nHost: x\r\n\r\n", head_request=True)
    assert (r.status, r.header("Content-Length"), r.body) == (200, "13", b"")


def test_post_creates_the_file_201(server):
    """README: POST /files/data with "Sample123" is 201 Created and the directory then holds
    "data" with exactly those bytes."""
    r = requests.post(server.url + "/files/data", data=b"Sample123", timeout=T)
    assert (r.status_code, r.reason) == (201, "Created")
    assert (server.files / "data").read_bytes() == b"Sample123"
    assert requests.get(server.url + "/files/data", timeout=T).content == b"Sample123"


@pytest.mark.parametrize("target", ["/files/located", "/files/a%20b", "/files/%C3%A9t%C3%A9"])
def test_post_201_names_the_file_in_location(server, target):
    """RFC 9110 §9.3.3: a POST that created a resource SHOULD answer 201 with Location; it is
    the file's own URI, percent-encoded (RFC 3986 §2.1), and a GET of it reads the file."""
    r = rawhttp.request(server.port, cases.post(b"Content-Length: 2\r\n", b"ok", target.encode()), timeout=T)
    assert (r.status, r.header("Location")) == (201, target)
    assert rawhttp.request(server.port, rawhttp.get(r.header("Location"))).body == b"ok"


def test_binary_round_trip_every_byte_value(server):
    """README /files: content is opaque bytes: all 256 byte values, NUL, 0xFF, CR, LF and
    "\\r\\n\\r\\n" come back exactly."""
    data = bytes(range(256)) * 64 + b"\x00\xff\r\n\r\n\x00" + bytes(range(255, -1, -1))
    assert upload(server.port, "binary.bin", data).status == 201
    assert (server.files / "binary.bin").read_bytes() == data
    r = requests.get(server.url + "/files/binary.bin", timeout=T, headers=IDENTITY)
    assert r.content == data
    assert r.headers["Content-Length"] == str(len(data))


def test_binary_round_trip_chunked_by_requests(server):
    """RFC 9112 §7.1 through an ordinary client: requests sends a generator body chunked;
    the file holds the concatenated pieces."""
    pieces = [b"\x00" * 10, b"\xff" * 3, b"\r\n0\r\n\r\n", os.urandom(5000)]
    r = requests.post(server.url + "/files/gen.bin", data=iter(pieces), timeout=T)
    assert r.status_code == 201
    assert (server.files / "gen.bin").read_bytes() == b"".join(pieces)


def test_zero_byte_file(server):
    """README /files: an empty upload (Content-Length: 0) creates an empty file; GET answers
    200 with Content-Length: 0."""
    r = upload(server.port, "empty", b"")
    assert r.status == 201
    assert (server.files / "empty").read_bytes() == b""
    g = rawhttp.request(server.port, rawhttp.get("/files/empty"))
    assert (g.status, g.header("Content-Length"), g.body) == (200, "0", b"")


def test_zero_byte_chunked_upload(server):
    """RFC 9112 §7.1: a chunked body of only the last-chunk is empty content."""
    r = rawhttp.request(server.port, cases.post(b"Transfer-Encoding: chunked\r\n", b"0\r\n\r\n", b"/files/empty-chunked"))
    assert r.status == 201
    assert (server.files / "empty-chunked").read_bytes() == b""


def test_overwrite_replaces_the_content(server):
    """README: POST to an existing name replaces it (201 again); a longer then a shorter
    content leaves exactly the shorter one, not a mix."""
    assert upload(server.port, "over", b"first version, long").status == 201
    assert upload(server.port, "over", b"second").status == 201
    assert requests.get(server.url + "/files/over", timeout=T).content == b"second"
    assert temporaries(server.files) == []


def test_percent_encoded_name(server):
    """RFC 3986 §2.1: the name is percent-decoded: /files/hello%20world is the file
    "hello world", readable under either spelling of the same path."""
    r = requests.post(server.url + "/files/hello%20world", data=b"spaced", timeout=T)
    assert r.status_code == 201
    assert (server.files / "hello world").read_bytes() == b"spaced"
    assert requests.get(server.url + "/files/hello%20world", timeout=T).content == b"spaced"


def test_post_onto_a_directory_is_refused(server):
    """RFC 9110 §15.5.10: an upload whose name is a directory conflicts with it (409); the
    directory is untouched."""
    (server.files / "adir").mkdir()
    r = upload(server.port, "adir", b"x")
    assert r.status == 409
    assert (server.files / "adir").is_dir()


def test_get_of_a_directory_is_404(server):
    """README /files/{name} serves files; a directory name is not one (404)."""
    (server.files / "bdir").mkdir()
    assert requests.get(server.url + "/files/bdir", timeout=T).status_code == 404


def test_reader_sees_the_old_file_until_the_upload_completes(server):
    """README: "a reader never sees a partial file": while a replacement upload is half sent,
    GET returns the old content whole; after it completes, the new content whole."""
    old, new = b"O" * 100_000, b"N" * 200_000
    assert upload(server.port, "atomic", old).status == 201
    with rawhttp.Connection(server.port, timeout=T) as c:
        c.send(cases.post(b"Content-Length: %d\r\n" % len(new), new[:150_000], b"/files/atomic"))
        for _ in range(3):
            assert requests.get(server.url + "/files/atomic", timeout=T).content == old
        c.send(new[150_000:])
        assert c.read_response().status == 201
    assert requests.get(server.url + "/files/atomic", timeout=T).content == new


def test_concurrent_uploads_to_one_name_never_tear(server):
    """README (fsync + rename): eight clients upload different 1 MiB contents to one name at
    once while two others keep reading it; every read and the final file are exactly one of
    the uploads (or 404 before the first lands), never a mix, and no temporary file is left."""
    size = 1 << 20
    contents = [bytes([0x41 + i]) * size for i in range(8)]
    failures = []
    stop = threading.Event()

    def writer(data):
        try:
            r = upload(server.port, "contended", data)
            if r.status != 201:
                failures.append(f"upload got {r.status}")
        except Exception as e:  # reported below, not swallowed
            failures.append(repr(e))

    def reader():
        while not stop.is_set():
            r = requests.get(server.url + "/files/contended", timeout=T)
            if r.status_code == 404:
                continue
            if r.status_code != 200 or r.content not in contents:
                failures.append(f"torn read: {r.status_code}, {len(r.content)} bytes, {set(r.content)}")
                return

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(c,)) for c in contents]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=120)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in readers + writers), "a client thread did not finish"
    assert failures == []
    assert (server.files / "contended").read_bytes() in contents
    assert server.wait_for_fds(server.baseline_fds)
    assert temporaries(server.files) == []


def _abort(port, name, reset):
    s = tlsmode.wrap(socket.create_connection(("127.0.0.1", port), timeout=T), port)
    s.sendall(cases.post(b"Content-Length: 1000000\r\n", b"p" * 300_000, b"/files/" + name.encode()))
    if reset:  # an RST instead of a FIN
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


@pytest.mark.parametrize("reset", [False, True], ids=["fin", "rst"])
def test_aborted_upload_leaves_nothing(server, reset):
    """README: "an aborted upload leaves nothing": a client that closes (FIN or RST) after 300
    kB of a 1 MB upload leaves no file and no temporary file."""
    name = f"aborted-{int(reset)}"
    _abort(server.port, name, reset)
    assert server.wait_for_fds(server.baseline_fds), "the aborted connection was not closed"
    assert not (server.files / name).exists()
    assert temporaries(server.files) == []


def test_aborted_overwrite_keeps_the_old_file(server):
    """README: an aborted replacement leaves the old file as it was."""
    assert upload(server.port, "keepme", b"original").status == 201
    _abort(server.port, "keepme", False)
    assert server.wait_for_fds(server.baseline_fds)
    assert (server.files / "keepme").read_bytes() == b"original"
    assert temporaries(server.files) == []


class RssSampler:
    """Samples the server's VmRSS every 20 ms in a thread; .peak is the largest seen."""

    def __init__(self, server):
        self.server = server
        self.peak = server.rss_kib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.server.rss_kib())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.server.rss_kib())


BIG = 50 << 20
RSS_GROWTH_LIMIT_KIB = 16 << 10  # a third of the file: streaming, not buffering


@pytest.fixture(scope="module")
def big_server(server_factory):
    s = server_factory("--max-body", "64M")
    yield s
    (s.files / "big").unlink(missing_ok=True)  # 50 MiB less left in the build tree


def big_content():
    block = hashlib.sha256(b"httpfsm").digest() * 2048  # 64 KiB, not compressible to nothing
    return b"".join(bytes([i & 0xFF]) + block[1:] for i in range(BIG // len(block)))


def test_50_mib_upload_in_bounded_memory(big_server):
    """README (uploads stream to a temporary file): a 50 MiB upload is written through; the
    server's resident memory (/proc/PID/status VmRSS) grows by less than 16 MiB meanwhile."""
    data = big_content()
    before = big_server.rss_kib()
    with RssSampler(big_server) as rss:
        with rawhttp.Connection(big_server.port, timeout=T) as c:
            c.send(cases.post(b"Content-Length: %d\r\n" % len(data), b"", b"/files/big"))
            for i in range(0, len(data), 1 << 20):
                c.send(data[i : i + (1 << 20)])
            assert c.read_response().status == 201
    print(f"upload: VmRSS {before} KiB before, {rss.peak} KiB at most")
    assert rss.peak - before < RSS_GROWTH_LIMIT_KIB, f"VmRSS grew from {before} to {rss.peak} KiB"
    assert hashlib.sha256((big_server.files / "big").read_bytes()).digest() == hashlib.sha256(data).digest()


def test_50_mib_download_in_bounded_memory(big_server):
    """README (sendfile for files): downloading the 50 MiB file gives every byte, with the
    server's VmRSS growing by less than 16 MiB; a slow reader is served at its pace."""
    path = big_server.files / "big"
    if not path.exists():  # this test also stands alone
        path.write_bytes(big_content())
    expected = hashlib.sha256(path.read_bytes()).digest()
    before = big_server.rss_kib()
    with RssSampler(big_server) as rss:
        with requests.get(big_server.url + "/files/big", stream=True, timeout=T) as r:
            assert r.status_code == 200
            assert r.headers["Content-Length"] == str(BIG)
            h = hashlib.sha256()
            n = 0
            for chunk in r.iter_content(1 << 16):
                h.update(chunk)
                n += len(chunk)
                if n < (4 << 20):
                    time.sleep(0.001)  # a slow start: the server must wait, not buffer
    assert n == BIG
    assert h.digest() == expected
    print(f"download: VmRSS {before} KiB before, {rss.peak} KiB at most")
    assert rss.peak - before < RSS_GROWTH_LIMIT_KIB, f"VmRSS grew from {before} to {rss.peak} KiB"


def test_many_small_files(server):
    """README /files: 100 distinct uploads then reads, over one keep-alive connection."""
    with rawhttp.Connection(server.port, timeout=T) as c:
        for i in range(100):
            body = f"file {i}".encode()
            c.send(cases.post(b"Content-Length: %d\r\n" % len(body), body, b"/files/small-%d" % i))
            assert c.read_response().status == 201
        for i in range(100):
            c.send(rawhttp.get(f"/files/small-{i}"))
            r = c.read_response()
            assert_well_formed(r)
            assert r.body == f"file {i}".encode()
