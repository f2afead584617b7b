"""RFC 9110 §13: conditional requests on the static site and /files/{name}. If-None-Match with
ETags (weak comparison, lists, "*") and If-Modified-Since (all three date formats), If-Match
(strong comparison) and If-Unmodified-Since with 412, their order (§13.2.2), the 304
response's form (§15.4.5), preconditions after the normal checks and never for OPTIONS
(§13.2.1), a future modification time sent as the message date (§8.8.2.1), and the same
preconditions on uploads to /files/{name} (create-only, replace only the version read)."""

import email.utils
import os
import time

import pytest

import rawhttp
from checks import assert_well_formed

PATH = "/static/css/site.css"
MTIME = 1_650_000_000  # Fri, 15 Apr 2022 05:20:00 GMT


@pytest.fixture(scope="module")
def validators(server):
    os.utime(server.static / "css/site.css", (MTIME, MTIME))
    r = rawhttp.request(server.port, rawhttp.get(PATH))
    return r.header("ETag"), r.header("Last-Modified")


def conditional(server, *headers, method="GET"):
    data = f"{method} {PATH} HTTP/1.1\r\nHost: x\r\n".encode() + b"".join(f"{n}: {v}\r\n".encode() for n, v in headers) + b"\r\n"
    r = rawhttp.request(server.port, data, head_request=method == "HEAD")
    assert_well_formed(r)
    return r


def test_validators_are_sent(server, validators):
    """RFC 9110 §8.8.3 and §8.8.2: a strong ETag (a quoted opaque string) and Last-Modified."""
    etag, last_modified = validators
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert last_modified == "Fri, 15 Apr 2022 05:20:00 GMT"


def test_if_none_match_same_etag_304(server, validators):
    """RFC 9110 §13.1.2: If-None-Match that matches the current ETag makes a GET 304 (Not
    Modified): no content, the same ETag, Date (§15.4.5)."""
    r = conditional(server, ("If-None-Match", validators[0]))
    assert (r.status, r.body, r.header("ETag")) == (304, b"", validators[0])
    assert r.header("Content-Type") is None  # §15.4.5: no other representation metadata


def test_if_none_match_in_a_list_304(server, validators):
    """RFC 9110 §13.1.2: If-None-Match is a list; any member matching counts."""
    assert conditional(server, ("If-None-Match", f'"other", {validators[0]}, "third"')).status == 304


def test_if_none_match_weak_comparison_304(server, validators):
    """RFC 9110 §13.1.2: If-None-Match uses the weak comparison: W/"x" matches "x"."""
    assert conditional(server, ("If-None-Match", "W/" + validators[0])).status == 304


def test_if_none_match_star_304(server, validators):
    """RFC 9110 §13.1.2: "*" matches any current representation."""
    assert conditional(server, ("If-None-Match", "*")).status == 304


def test_if_none_match_other_etag_200(server, validators):
    """RFC 9110 §13.1.2: no match, so the condition is true: the full 200."""
    r = conditional(server, ("If-None-Match", '"not-the-etag"'))
    assert (r.status, r.body) == (200, b"body { font-family: sans-serif; }\n")


def test_head_if_none_match_304(server, validators):
    """RFC 9110 §13.1.2: the same for HEAD."""
    assert conditional(server, ("If-None-Match", validators[0]), method="HEAD").status == 304


@pytest.mark.parametrize(
    "date",
    [
        "Fri, 15 Apr 2022 05:20:00 GMT",  # IMF-fixdate, equal to Last-Modified
        "Sat, 16 Apr 2022 00:00:00 GMT",  # later
        "Friday, 15-Apr-22 05:20:00 GMT",  # obsolete RFC 850 format
        "Fri Apr 15 05:20:00 2022",  # obsolete asctime format
    ],
)
def test_if_modified_since_not_modified_304(server, validators, date):
    """RFC 9110 §13.1.3: not modified since the date: 304. §5.6.7: a recipient MUST accept all
    three HTTP-date formats."""
    r = conditional(server, ("If-Modified-Since", date))
    assert (r.status, r.body) == (304, b"")


@pytest.mark.parametrize("date", ["Fri, 15 Apr 2022 05:19:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_if_modified_since_modified_200(server, validators, date):
    """RFC 9110 §13.1.3: modified after the date: the full 200."""
    assert conditional(server, ("If-Modified-Since", date)).status == 200


@pytest.mark.parametrize("date", ["yesterday", "Fri, 15 Apr 2022", "Fri, 32 Apr 2022 05:20:00 GMT"])
def test_if_modified_since_invalid_date_is_ignored(server, validators, date):
    """RFC 9110 §13.1.3: a recipient MUST ignore If-Modified-Since if the value is not a valid
    HTTP-date."""
    assert conditional(server, ("If-Modified-Since", date)).status == 200


def test_if_modified_since_with_more_than_one_member_is_ignored(server, validators):
    """RFC 9110 §13.1.3: a recipient MUST ignore If-Modified-Since whose value has more than one
    member: dates listed on one line or sent on two lines are ignored (the full 200), though
    either date alone would make a 304."""
    later = "Sat, 16 Apr 2022 00:00:00 GMT"
    assert conditional(server, ("If-Modified-Since", later)).status == 304
    assert conditional(server, ("If-Modified-Since", f"{later}, {later}")).status == 200
    assert conditional(server, ("If-Modified-Since", later), ("If-Modified-Since", later)).status == 200


def test_if_modified_since_is_ignored_for_post(server, validators):
    """RFC 9110 §13.1.3: If-Modified-Since is ignored unless the method is GET or HEAD: an upload
    with a date after the file's is performed (201), not answered 304 or 412."""
    (server.files / "ims").write_bytes(b"old")
    r = rawhttp.request(
        server.port, b"POST /files/ims HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Sat, 01 Jan 2100 00:00:00 GMT\r\nContent-Length: 2\r\n\r\nok"
    )
    assert r.status == 201
    assert (server.files / "ims").read_bytes() == b"ok"


def test_if_none_match_takes_precedence_over_if_modified_since(server, validators):
    """RFC 9110 §13.1.3 and §13.2.2: If-Modified-Since is ignored when If-None-Match is present:
    a non-matching ETag with a matching date is 200."""
    r = conditional(server, ("If-None-Match", '"nope"'), ("If-Modified-Since", "Sat, 16 Apr 2022 00:00:00 GMT"))
    assert r.status == 200


def test_304_keeps_the_connection(server, validators):
    """RFC 9112 §6.3 item 1: a 304 has no content, so the next response on the connection
    follows it directly."""
    with rawhttp.Connection(server.port) as c:
        c.send(rawhttp.get(PATH, [("If-None-Match", validators[0])]) + rawhttp.get("/echo/after"))
        first, second = c.read_responses(2)
        assert (first.status, second.body) == (304, b"after")


def test_index_304_with_readme_etag(server):
    """README: GET /static/ with If-None-Match: "<the ETag above>" is 304 Not Modified."""
    etag = rawhttp.request(server.port, rawhttp.get("/static/")).header("ETag")
    r = rawhttp.request(server.port, rawhttp.get("/static/", [("If-None-Match", etag)]))
    assert (r.status, r.body) == (304, b"")


def test_file_changed_after_the_etag_200(server, validators):
    """RFC 9110 §13.1.2: after the file changes, the old ETag no longer matches."""
    path = server.static / "js/app.js"
    etag = rawhttp.request(server.port, rawhttp.get("/static/js/app.js")).header("ETag")
    path.write_bytes(b"console.log('v2');\n")
    os.utime(path, (MTIME + 10, MTIME + 10))
    r = rawhttp.request(server.port, rawhttp.get("/static/js/app.js", [("If-None-Match", etag)]))
    assert (r.status, r.body) == (200, b"console.log('v2');\n")


def test_last_modified_matches_the_http_date_of_mtime(server, validators):
    """RFC 9110 §8.8.2.1: Last-Modified is the file's mtime as an HTTP-date."""
    assert validators[1] == email.utils.formatdate(MTIME, usegmt=True)


# RFC 9110 §13.1.1 If-Match and §13.1.4 If-Unmodified-Since: a false condition is 412
# (Precondition Failed), for GET and HEAD of the static site and of /files/{name}.


def test_if_match_current_etag_200(server, validators):
    """RFC 9110 §13.1.1: If-Match with the current strong ETag is true: the full 200."""
    r = conditional(server, ("If-Match", validators[0]))
    assert (r.status, r.body) == (200, b"body { font-family: sans-serif; }\n")


def test_if_match_in_a_list_200(server, validators):
    """RFC 9110 §13.1.1: If-Match is a list; any member matching (strongly) counts."""
    assert conditional(server, ("If-Match", f'"other", {validators[0]}')).status == 200


def test_if_match_star_200(server, validators):
    """RFC 9110 §13.1.1: "*" is true when the resource has a current representation."""
    assert conditional(server, ("If-Match", "*")).status == 200


@pytest.mark.parametrize("value", ['"not-the-etag"', '"a", "b"'])
def test_if_match_other_etag_412(server, validators, value):
    """RFC 9110 §13.1.1: no listed tag matches: the method is not performed, 412 (Precondition
    Failed), and the 412 carries no representation of the file."""
    r = conditional(server, ("If-Match", value))
    assert r.status == 412
    assert r.body != b"body { font-family: sans-serif; }\n"
    assert r.header("ETag") is None and r.header("Content-Range") is None


def test_list_fields_on_two_lines_are_one_list(server, validators):
    """RFC 9110 §5.3: If-Match and If-None-Match are lists, and lines of a list field combine
    into one value: the current ETag on the second line counts (it was once ignored)."""
    etag = validators[0]
    assert conditional(server, ("If-Match", '"nope"'), ("If-Match", etag)).status == 200
    assert conditional(server, ("If-Match", '"nope"'), ("If-Match", '"other"')).status == 412
    assert conditional(server, ("If-None-Match", '"nope"'), ("If-None-Match", etag)).status == 304
    assert conditional(server, ("If-None-Match", '"nope"'), ("If-None-Match", '"other"')).status == 200


def test_if_match_uses_the_strong_comparison_412(server, validators):
    """RFC 9110 §13.1.1 and §8.8.3.2: If-Match compares strongly, so W/"x" never matches."""
    assert conditional(server, ("If-Match", "W/" + validators[0])).status == 412


def test_head_if_match_412(server, validators):
    """RFC 9110 §13.1.1: the same for HEAD (no content)."""
    r = conditional(server, ("If-Match", '"nope"'), method="HEAD")
    assert (r.status, r.body) == (412, b"")


def test_if_match_false_before_if_none_match_412(server, validators):
    """RFC 9110 §13.2.2: If-Match is evaluated first: false is 412 even when If-None-Match
    alone would have made a 304."""
    assert conditional(server, ("If-None-Match", validators[0]), ("If-Match", '"nope"')).status == 412


def test_if_match_true_then_if_none_match_304(server, validators):
    """RFC 9110 §13.2.2: If-Match true, then If-None-Match is evaluated: a match is 304."""
    assert conditional(server, ("If-Match", validators[0]), ("If-None-Match", validators[0])).status == 304


def test_if_match_false_with_a_matching_range_412(server, validators):
    """RFC 9110 §13.2.2: the preconditions come before Range and If-Range: 412, not 206."""
    r = conditional(server, ("If-Match", '"nope"'), ("Range", "bytes=0-3"), ("If-Range", validators[0]))
    assert (r.status, r.header("Content-Range")) == (412, None)


@pytest.mark.parametrize(
    "date",
    [
        "Fri, 15 Apr 2022 05:20:00 GMT",  # equal to Last-Modified
        "Sat, 16 Apr 2022 00:00:00 GMT",  # later
        "Friday, 15-Apr-22 05:20:00 GMT",  # obsolete RFC 850 format (§5.6.7)
        "Fri Apr 15 05:20:00 2022",  # obsolete asctime format
    ],
)
def test_if_unmodified_since_not_modified_200(server, validators, date):
    """RFC 9110 §13.1.4: not modified since the date: the condition is true, the full 200."""
    r = conditional(server, ("If-Unmodified-Since", date))
    assert (r.status, r.body) == (200, b"body { font-family: sans-serif; }\n")


@pytest.mark.parametrize("date", ["Fri, 15 Apr 2022 05:19:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_if_unmodified_since_modified_412(server, validators, date):
    """RFC 9110 §13.1.4: modified after the date: 412 (Precondition Failed)."""
    assert conditional(server, ("If-Unmodified-Since", date)).status == 412
    assert conditional(server, ("If-Unmodified-Since", date), method="HEAD").status == 412


@pytest.mark.parametrize(
    "date",
    ["yesterday", "Fri, 15 Apr 2022", "Fri, 32 Apr 2022 05:20:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT, Sat, 16 Apr 2022 00:00:00 GMT"],
)
def test_if_unmodified_since_invalid_date_is_ignored(server, validators, date):
    """RFC 9110 §13.1.4: a recipient MUST ignore If-Unmodified-Since if the value is not a valid
    HTTP-date (including when it appears to be a list of dates)."""
    assert conditional(server, ("If-Unmodified-Since", date)).status == 200


def test_if_unmodified_since_is_ignored_with_if_match(server, validators):
    """RFC 9110 §13.1.4 and §13.2.2: If-Unmodified-Since is evaluated only without If-Match: a
    true If-Match with an old date is 200."""
    r = conditional(server, ("If-Match", validators[0]), ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"))
    assert r.status == 200


def test_if_unmodified_since_false_before_if_none_match_412(server, validators):
    """RFC 9110 §13.2.2: If-Unmodified-Since before If-None-Match: false is 412, not 304."""
    r = conditional(server, ("If-None-Match", validators[0]), ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"))
    assert r.status == 412


def files_get(server, name, *headers, method="GET"):
    data = f"{method} /files/{name} HTTP/1.1\r\nHost: x\r\n".encode() + b"".join(f"{n}: {v}\r\n".encode() for n, v in headers) + b"\r\n"
    r = rawhttp.request(server.port, data, head_request=method == "HEAD")
    assert_well_formed(r)
    return r


def test_files_get_is_conditional(server):
    """RFC 9110 §8.8 and §13.1: GET /files/{name} sends the same validators as the static site
    (a strong ETag, Last-Modified) and evaluates If-Match, If-Unmodified-Since, If-None-Match
    and If-Modified-Since with them."""
    os.utime(server.files / "foo", (MTIME, MTIME))
    r = files_get(server, "foo")
    etag = r.header("ETag")
    assert (r.status, r.body, r.header("Last-Modified")) == (200, b"Hello, World!", "Fri, 15 Apr 2022 05:20:00 GMT")
    assert etag is not None and etag.startswith('"')
    assert files_get(server, "foo", ("If-Match", etag)).status == 200
    assert files_get(server, "foo", ("If-Match", '"nope"')).status == 412
    assert files_get(server, "foo", ("If-Match", '"nope"'), method="HEAD").status == 412
    assert files_get(server, "foo", ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")).status == 412
    assert files_get(server, "foo", ("If-Unmodified-Since", "Fri, 15 Apr 2022 05:20:00 GMT")).status == 200
    assert files_get(server, "foo", ("If-None-Match", etag)).status == 304
    assert files_get(server, "foo", ("If-Modified-Since", "Fri, 15 Apr 2022 05:20:00 GMT")).status == 304


# RFC 9110 §13.2.1: preconditions are evaluated after the normal checks, and ignored where
# the answer without them would not be 2xx or 412, and for OPTIONS.


@pytest.mark.parametrize(
    "target",
    ["/static/missing.css", "/files/missing"],
)
@pytest.mark.parametrize("field", [("If-Match", '"nope"'), ("If-None-Match", "*"), ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")])
def test_precondition_on_a_missing_file_is_404(server, target, field):
    """RFC 9110 §13.2.1: the 404 of the normal checks comes first; the precondition is ignored
    (not 412, not 304)."""
    r = rawhttp.request(server.port, rawhttp.get(target, [field]))
    assert r.status == 404


def test_precondition_on_a_directory_without_slash_is_301(server):
    """RFC 9110 §13.2.1: the directory redirect (301) comes before any precondition."""
    for field in [("If-Match", '"nope"'), ("If-None-Match", "*"), ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")]:
        r = rawhttp.request(server.port, rawhttp.get("/static/sub", [field]))
        assert (r.status, r.header("Location")) == (301, "/static/sub/"), field


def test_precondition_with_a_method_not_allowed_is_405(server):
    """RFC 9110 §13.2.1: a method the resource does not allow is 405 whatever the
    preconditions say."""
    data = f"DELETE {PATH} HTTP/1.1\r\nHost: x\r\nIf-Match: \"nope\"\r\n\r\n".encode()
    r = rawhttp.request(server.port, data)
    assert r.status == 405 and "GET" in r.header("Allow")


@pytest.mark.parametrize("target", [PATH, "/files/foo", "*"])
def test_options_ignores_preconditions(server, target):
    """RFC 9110 §13.2.1: conditional fields are ignored with OPTIONS: the same answer as
    without them (never 412 or 304)."""
    plain = rawhttp.request(server.port, f"OPTIONS {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    fields = 'If-Match: "nope"\r\nIf-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\nIf-None-Match: *\r\n'
    r = rawhttp.request(server.port, f"OPTIONS {target} HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
    assert_well_formed(r)
    assert plain.status in (200, 204)
    assert (r.status, r.header("Allow"), r.body) == (plain.status, plain.header("Allow"), plain.body)


# RFC 9110 §8.8.2.1: a modification time in the future is replaced by the message date.


def test_future_mtime_is_sent_as_the_message_date(server):
    """RFC 9110 §8.8.2.1: an origin server MUST NOT send a Last-Modified later than the message's
    origination, and MUST replace a future modification time with the message date."""
    path = server.static / "data.json"
    future = int(time.time()) + 86400
    os.utime(path, (future, future))
    r = rawhttp.request(server.port, rawhttp.get("/static/data.json"))
    assert r.status == 200
    assert r.header("Last-Modified") == r.header("Date")
    os.utime(server.files / "foo", (future, future))
    r = rawhttp.request(server.port, rawhttp.get("/files/foo"))
    assert (r.status, r.header("Last-Modified")) == (200, r.header("Date"))


def test_future_mtime_compares_as_the_message_date(server):
    """RFC 9110 §8.8.2.1 and §13.1.3: If-Modified-Since compares with the Last-Modified sent (the
    message date), not the future mtime: a date an hour ahead is after it, so 304."""
    path = server.static / "data.json"
    future = int(time.time()) + 86400
    os.utime(path, (future, future))
    in_an_hour = email.utils.formatdate(time.time() + 3600, usegmt=True)
    r = rawhttp.request(server.port, rawhttp.get("/static/data.json", [("If-Modified-Since", in_an_hour)]))
    assert r.status == 304


@pytest.mark.parametrize("target", [PATH, "/files/foo"])
def test_304_keeps_the_200s_etag_and_vary(server, target):
    """RFC 9110 §15.4.5: a 304 MUST carry the ETag and Vary a 200 to the same request would
    have had (Vary: Accept-Encoding, since a gzip representation may be chosen)."""
    full = rawhttp.request(server.port, rawhttp.get(target))
    assert full.status == 200 and full.header("Vary") == "Accept-Encoding"
    r = rawhttp.request(server.port, rawhttp.get(target, [("If-None-Match", full.header("ETag"))]))
    assert_well_formed(r)
    assert (r.status, r.header("ETag"), r.header("Vary")) == (304, full.header("ETag"), full.header("Vary"))


# RFC 9110 §13.1.1-§13.1.4 on uploads: POST /files/{name} evaluates its preconditions against
# the file the name holds, so a client can create without overwriting (If-None-Match: *) or
# replace only the version it read (If-Match, If-Unmodified-Since): the "lost update" §13.1.1
# describes. A failed one is 412 and leaves the file as it was.


def files_post(server, name, body, *headers):
    data = (f"POST /files/{name} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n".encode()
            + b"".join(f"{n}: {v}\r\n".encode() for n, v in headers) + b"\r\n" + body)
    r = rawhttp.request(server.port, data)
    assert_well_formed(r)
    return r


def test_upload_if_none_match_star_creates_but_never_overwrites(server):
    """RFC 9110 §13.1.2: `If-None-Match: *` is false when a current representation exists, so
    an upload onto an existing name is 412 and the file keeps its bytes; onto a free name it
    creates the file (201)."""
    (server.files / "inm-star").write_bytes(b"first")
    r = files_post(server, "inm-star", b"second", ("If-None-Match", "*"))
    assert r.status == 412
    assert (server.files / "inm-star").read_bytes() == b"first"
    (server.files / "inm-free").unlink(missing_ok=True)
    assert files_post(server, "inm-free", b"new", ("If-None-Match", "*")).status == 201
    assert (server.files / "inm-free").read_bytes() == b"new"


def test_upload_if_match_replaces_only_the_version_read(server):
    """RFC 9110 §13.1.1: If-Match with the ETag a GET gave replaces the file (201); with that
    ETag once the file has changed (the lost update) it is 412 and the newer bytes stay."""
    (server.files / "im-file").write_bytes(b"v1")
    etag = files_get(server, "im-file").header("ETag")
    assert files_post(server, "im-file", b"v2-longer", ("If-Match", etag)).status == 201
    assert (server.files / "im-file").read_bytes() == b"v2-longer"
    r = files_post(server, "im-file", b"v3", ("If-Match", etag))  # the stale tag
    assert r.status == 412
    assert (server.files / "im-file").read_bytes() == b"v2-longer"
    assert files_post(server, "im-file", b"v3", ("If-Match", "*")).status == 201


def test_upload_if_match_on_a_missing_file_412_creates_nothing(server):
    """RFC 9110 §13.1.1: with no current representation If-Match is false, "*" included."""
    for value in ("*", '"abc"'):
        (server.files / "im-missing").unlink(missing_ok=True)
        assert files_post(server, "im-missing", b"x", ("If-Match", value)).status == 412
        assert not (server.files / "im-missing").exists()
    assert [n for n in os.listdir(server.files) if n.startswith(".httpfsm-upload")] == []  # no temporary left


def test_upload_if_unmodified_since(server):
    """RFC 9110 §13.1.4: a file modified after the date is not replaced (412); one not
    modified since is (201)."""
    (server.files / "ius-file").write_bytes(b"old")
    os.utime(server.files / "ius-file", (MTIME, MTIME))
    r = files_post(server, "ius-file", b"new", ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"))
    assert r.status == 412
    assert (server.files / "ius-file").read_bytes() == b"old"
    assert files_post(server, "ius-file", b"new", ("If-Unmodified-Since", "Fri, 15 Apr 2022 05:20:00 GMT")).status == 201
    assert (server.files / "ius-file").read_bytes() == b"new"


def test_upload_412_before_the_body_with_100_continue(server):
    """RFC 9110 §10.1.1: a request with `Expect: 100-continue` whose precondition fails gets
    the final 412 instead of 100 (Continue), so the client need not send its body."""
    (server.files / "inm-expect").write_bytes(b"kept")
    with rawhttp.Connection(server.port) as c:
        c.send(b"POST /files/inm-expect HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
               b"Expect: 100-continue\r\nIf-None-Match: *\r\n\r\n")
        r = c.read_response()
        assert (r.status, r.closes) == (412, True)  # the body was never asked for
        assert c.wait_closed()
    assert (server.files / "inm-expect").read_bytes() == b"kept"
