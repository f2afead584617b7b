"""Many clients at once (README: one poll() event loop per worker, keep-alive): 100 clients,
each doing 20 keep-alive requests, all answered correctly and in order; the same with two
workers and with uploads in the mix."""

import threading

import rawhttp

CLIENTS = 100
REQUESTS = 20


def run_clients(port, work, clients=CLIENTS):
    """Runs `work(i)` in `clients` threads that start together; returns the failures."""
    failures = []
    start = threading.Barrier(clients)

    def body(i):
        try:
            start.wait(timeout=60)
            work(i)
        except Exception as e:  # collected and asserted below, never swallowed
            failures.append(f"client {i}: {e!r}")

    threads = [threading.Thread(target=body, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a client thread is still running after 180 s"
    return failures


def keep_alive_client(port):
    def work(i):
        with rawhttp.Connection(port, timeout=60) as c:
            for j in range(REQUESTS):
                c.send(rawhttp.get(f"/echo/c{i}-r{j}"))
                r = c.read_response()
                if (r.status, r.body, r.closes) != (200, f"c{i}-r{j}".encode(), False):
                    raise AssertionError(f"request {j}: {r}")

    return work


def test_100_clients_20_keep_alive_requests_each(server):
    """RFC 9112 §9.3: 100 connections open at once, each sending 20 requests one after the
    other on its keep-alive connection: 2000 correct answers, no connection closed early."""
    assert run_clients(server.port, keep_alive_client(server.port)) == []


def test_100_clients_with_two_workers(server_factory):
    """README --workers N: two event loops sharing the port serve the same load."""
    s = server_factory("--workers", "2")
    assert run_clients(s.port, keep_alive_client(s.port)) == []


def test_100_clients_pipelining(server):
    """RFC 9112 §9.3.2: 100 clients each pipelining 20 requests in one write get 20 answers
    in order."""

    def work(i):
        with rawhttp.Connection(server.port, timeout=60) as c:
            c.send(b"".join(rawhttp.get(f"/echo/{i}-{j}") for j in range(REQUESTS)))
            bodies = [r.body for r in c.read_responses(REQUESTS)]
            if bodies != [f"{i}-{j}".encode() for j in range(REQUESTS)]:
                raise AssertionError(f"out of order or wrong: {bodies}")

    assert run_clients(server.port, work) == []


def test_50_clients_uploading_and_reading_back(server):
    """README /files under load: 50 clients each upload their own file and read it back on
    the same connection, 5 times."""

    def work(i):
        with rawhttp.Connection(server.port, timeout=60) as c:
            for j in range(5):
                data = f"client {i} round {j} ".encode() * (i + 1)
                c.send(b"POST /files/load-%d HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (i, len(data)) + data)
                if c.read_response().status != 201:
                    raise AssertionError("upload failed")
                c.send(rawhttp.get(f"/files/load-{i}"))
                if c.read_response().body != data:
                    raise AssertionError("read back different bytes")

    assert run_clients(server.port, work, clients=50) == []
