"""Assertions shared by the test files: the invariants every response of ours must meet, and
the check of one raw-socket case from cases.py."""

import email.utils
import re

import rawhttp

IMF_FIXDATE = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT")


def assert_well_formed(r, head_request=False):
    """RFC 9110 §6.6.1: an origin server with a clock MUST send Date on 2xx-4xx responses
    (as an IMF-fixdate, §5.6.7); RFC 9112 §6.3: every response that can have content is
    framed, and ours always by Content-Length (never by the close or chunked)."""
    assert r.version == "1.1", f"status-line version {r.version}"
    date = r.header("Date")
    assert date is not None and IMF_FIXDATE.fullmatch(date), f"Date: {date!r}"
    assert email.utils.parsedate_to_datetime(date) is not None
    if r.status >= 200 and r.status not in (204, 304):
        assert r.header("Content-Length") is not None, f"{r.status} without Content-Length: {r.fields}"
    if r.status in (204, 304) or r.status < 200:
        # RFC 9110 §8.6: a 304 may repeat the 200's Content-Length; ours carry none at all.
        assert r.header("Content-Length") is None, f"{r.status} with Content-Length"
        assert r.body == b""
    # RFC 9112 §6.1: no Transfer-Encoding in a response unless the request was HTTP/1.1; ours
    # frame every response by Content-Length, so none has it.
    assert not r.has("Transfer-Encoding"), f"Transfer-Encoding: {r.fields}"


def assert_case(port, case):
    """Sends the case's bytes on a fresh connection; checks the status, whether the connection
    closed, and the response's form."""
    o = rawhttp.probe(port, case.request)
    expected = f"{case.status}, {'closed' if case.closed else 'kept open'}"
    context = f"{case.id} ({case.section}: {case.why})"
    assert o.status is not None, f"{context}: expected {expected}, got {o.summary()}"
    assert not o.note, f"{context}: {o.note}"
    assert (o.status, o.closed) == (case.status, case.closed), f"{context}: expected {expected}, got {o.summary()}"
    assert_well_formed(o.response)
    if case.closed:
        # RFC 9112 §9.6: a server that closes after a response says so in it.
        assert o.response.closes, f"{context}: closed without Connection: close"
    else:
        # The follow-up GET on the same connection was answered: nothing of this request was
        # left behind to be read as another one.
        assert o.after == 200, f"{context}: follow-up got {o.after}"
    if case.body is not None:
        assert o.response.body == case.body, f"{context}: body {o.response.body!r}"
    return o
