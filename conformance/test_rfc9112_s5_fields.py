"""RFC 9112 §5 and RFC 9110 §5: field line syntax (names, values, whitespace, obs-fold, bytes
that are never allowed), from cases.py (group "fields")."""

import pytest

import cases
import rawhttp
from checks import assert_case


@pytest.mark.parametrize("case", cases.in_group("fields"), ids=lambda c: c.id)
def test_field_case(server, case):
    """Each case gets the status its RFC section requires (cited in cases.py); where the
    request is valid, /user-agent shows the value exactly as the RFC says it parses."""
    assert_case(server.port, case)


def test_many_fields_and_repeated_unknown_fields_are_fine(server):
    """RFC 9110 §5.3: a recipient MAY combine repeated field lines of a list field; unknown
    fields are ignored (§5.1) whatever their number, within the limits."""
    extra = b"".join(b"X-Repeat: %d\r\n" % i for i in range(50))
    r = rawhttp.request(server.port, b"GET /echo/ok HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"\r\n")
    assert (r.status, r.body) == (200, b"ok")


def test_long_field_value_within_the_limit(server):
    """RFC 9110 §5.4: a server MUST be able to parse fields of reasonable length; a 4 KiB
    User-Agent is returned whole."""
    ua = b"a" * 4096
    r = rawhttp.request(server.port, b"GET /user-agent HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + ua + b"\r\n\r\n")
    assert (r.status, r.body) == (200, ua)


def test_first_user_agent_line_is_used(server):
    """RFC 9110 §5.3: User-Agent is not a list field, so a repeated line cannot be combined;
    /user-agent answers with the first line's value."""
    r = rawhttp.request(server.port, b"GET /user-agent HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: first\r\nUser-Agent: second\r\n\r\n")
    assert (r.status, r.body) == (200, b"first")
