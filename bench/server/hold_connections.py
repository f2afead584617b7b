#!/usr/bin/env python3
"""Opens COUNT keep-alive connections to a server on loopback, sends one GET on each and reads
its response, then holds them idle: the "idle keep-alive clients" of ci/bench.sh server (issue 7:
RSS per idle connection; issue 9: idle connections beside a wrk load).

  hold_connections.py --port P --path /static/hello.txt --count 5000 [--max-seconds 600]

Prints "ready N" on stdout once N connections have been answered and are idle, then holds
them until stdin closes (the benchmark driver closes it) or --max-seconds pass, whichever comes
first, and exits. Bounded in every wait: connects and responses time out, and so does the hold.
Standard library only.
"""
import argparse
import resource
import select
import socket
import sys
import time

BATCH = 100  # connections opened before their responses are read: below every listen backlog


def raise_descriptor_limit(count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = count + 64
    if soft < want:
        if hard < want:
            sys.exit(f"hold_connections.py: need {want} descriptors, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def response_complete(data):
    """True once `data` holds a whole response head and its Content-Length body."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return False
    length = 0
    for line in data[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return len(data) >= end + 4 + length


def open_batch(port, request, n, deadline):
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(request)
        s.setblocking(False)
        socks.append(s)
    pending = {s.fileno(): (s, b"") for s in socks}
    poller = select.poll()
    for fd in pending:
        poller.register(fd, select.POLLIN)
    while pending:
        if time.monotonic() > deadline:
            sys.exit(f"hold_connections.py: {len(pending)} responses did not arrive in time")
        for fd, _ in poller.poll(1000):
            s, data = pending[fd]
            chunk = s.recv(65536)
            if not chunk:
                sys.exit("hold_connections.py: the server closed a connection before answering")
            data += chunk
            if not data.startswith(b"HTTP/1.1 200 "):
                sys.exit(f"hold_connections.py: unexpected response {data[:40]!r}")
            if response_complete(data):
                poller.unregister(fd)
                del pending[fd]
            else:
                pending[fd] = (s, data)
    return socks


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--setup-seconds", type=float, default=120,
                    help="time allowed to open and answer all connections")
    args = ap.parse_args()
    raise_descriptor_limit(args.count)
    request = f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    deadline = time.monotonic() + args.setup_seconds
    held = []
    while len(held) < args.count:
        held += open_batch(args.port, request, min(BATCH, args.count - len(held)), deadline)
    print(f"ready {len(held)}", flush=True)
    # Hold until the driver closes our stdin, or the time limit.
    readable, _, _ = select.select([sys.stdin], [], [], args.max_seconds)
    if readable:
        sys.stdin.read()
    for s in held:
        s.close()


if __name__ == "__main__":
    main()
