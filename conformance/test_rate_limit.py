"""README --rate-limit N / --rate-burst B: a token bucket per client address. Over it: 429 Too
Many Requests (RFC 6585 §4) with Retry-After in whole seconds (RFC 9110 §10.2.3) and the
one-line body, on a connection that stays usable; recovery after waiting; another address has
its own bucket. Off by default."""

import time

import rawhttp

T = 30


def test_off_by_default(server):
    with rawhttp.Connection(server.port, timeout=T) as c:
        for _ in range(50):
            c.send(rawhttp.get("/echo/a"))
            assert c.read_response().status == 200


def test_over_the_limit_429_with_retry_after_then_recovery(server_factory):
    s = server_factory("--rate-limit", "1", "--rate-burst", "3", static=False)
    with rawhttp.Connection(s.port, timeout=T) as c:
        for _ in range(3):  # the burst
            c.send(rawhttp.get("/echo/a"))
            assert c.read_response().status == 200
        c.send(rawhttp.get("/echo/a"))
        r = c.read_response()
        assert (r.status, r.reason, r.body) == (429, "Too Many Requests", b"429 Too Many Requests\n")
        retry = int(r.header("Retry-After"))
        assert 1 <= retry <= 2
        assert not r.closes
        # The same connection answers again, still 429 until a token is back (1 per second).
        c.send(rawhttp.get("/echo/b"))
        assert c.read_response().status == 429
        time.sleep(retry + 0.1)
        c.send(rawhttp.get("/echo/c"))
        r = c.read_response()
        assert (r.status, r.body) == (200, b"c")


def test_another_address_has_its_own_bucket(server_factory):
    """127.0.0.1 and 127.0.0.2 are both loopback (127/8): the server sees two clients."""
    s = server_factory("--rate-limit", "1", "--rate-burst", "2", static=False)
    with rawhttp.Connection(s.port, timeout=T) as c:
        for expected in (200, 200, 429):
            c.send(rawhttp.get("/echo/a"))
            assert c.read_response().status == expected
    with rawhttp.Connection(s.port, timeout=T, source="127.0.0.2") as other:
        for expected in (200, 200, 429):
            other.send(rawhttp.get("/echo/a"))
            assert other.read_response().status == expected


def test_uploads_count_and_a_refused_upload_stores_nothing(server_factory):
    s = server_factory("--rate-limit", "1", "--rate-burst", "1", static=False)
    with rawhttp.Connection(s.port, timeout=T) as c:
        c.send(b"POST /files/one HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\n1")
        assert c.read_response().status == 201
        c.send(b"POST /files/two HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\n2")
        assert c.read_response().status == 429
    assert (s.files / "one").read_bytes() == b"1"
    assert not (s.files / "two").exists()
