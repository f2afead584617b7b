"""The tutorial's demo app (examples/tutorial_app.cc) on the embeddable server: the checks of
the tutorial's own test suite (home page, /about, /user/testuser, /static/demo.html as
text/html, /api/data as JSON with "message", 404), then what the server adds underneath:
405 with Allow (RFC 9110 §15.5.6), HEAD (§9.3.2), and the effect of each middleware (the
access log, CORS, the app's own Server field, gzip, and bearer auth behind --auth-token)."""

import gzip
import json
import os
import time

import pytest
import requests

from conftest import EVENT_LOOP, write_tree
from serverproc import ServerProcess

DEMO_HTML = b"<!DOCTYPE html><html><body><h1>Static demo</h1></body></html>\n"


def tutorial_binary():
    path = os.environ.get("HTTPFSM_TUTORIAL_APP")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("HTTPFSM_TUTORIAL_APP must name the built example_tutorial_app (ctest sets it)")
    return path


@pytest.fixture(scope="module")
def start_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("tutorial")
    started = []

    def start(*flags):
        work = base / f"app{len(started)}"
        static = work / "static"
        write_tree(static, {"demo.html": DEMO_HTML, "style.css": b"body { color: #333; }\n"})
        args = ["--static", str(static), *flags]
        if EVENT_LOOP:
            args += ["--event-loop", EVENT_LOOP]
        app = ServerProcess(work, args, name=f"app{len(started)}", binary=tutorial_binary())
        started.append(app)
        return app

    yield start
    problems = []
    for app in started:
        if not app.alive():
            problems.append(f"the app died with status {app.proc.returncode}: {app.stderr()[-2000:]}")
            continue
        status = app.stop()
        if status != 0:
            problems.append(f"the app exited with {status} on SIGTERM")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def app(start_app):
    return start_app()


def get(app, path, **kw):
    return requests.get(app.url + path, timeout=10, **kw)


# --- The tutorial's checks -------------------------------------------------------------------


def test_home_page_names_the_server(app):
    r = get(app, "/")
    assert r.status_code == 200
    assert "MyHTTPServer" in r.text
    assert r.headers["Content-Type"].split(";")[0] == "text/html"


def test_about_page(app):
    r = get(app, "/about")
    assert r.status_code == 200
    assert "About" in r.text


def test_user_page_names_the_user_from_the_route_parameter(app):
    r = get(app, "/user/testuser")
    assert r.status_code == 200
    assert "testuser" in r.text


def test_user_name_is_escaped_in_the_page(app):
    r = get(app, "/user/%3Cscript%3E")
    assert r.status_code == 200
    assert "&lt;script&gt;" in r.text
    assert "<script>" not in r.text


def test_static_file_has_its_media_type(app):
    r = get(app, "/static/demo.html")
    assert r.status_code == 200
    # The tutorial compares the whole value with "text/html"; the static site adds the
    # charset parameter (RFC 9110 §8.3.1), so the media type is what is compared here.
    assert r.headers["Content-Type"].split(";")[0].strip() == "text/html"
    assert r.content == DEMO_HTML
    assert get(app, "/static/style.css").headers["Content-Type"].startswith("text/css")


def test_api_data_is_json_with_a_message_and_a_timestamp(app):
    r = get(app, "/api/data")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    data = json.loads(r.text)
    assert "message" in data
    assert time.strptime(data["timestamp"], "%Y-%m-%dT%H:%M:%SZ")


def test_visits_counts_in_a_session_cookie_and_reads_the_query(app):
    """RFC 6265 §4.1: the app sets a cookie with Set-Cookie and reads it back from Cookie; the
    query parameter is decoded ("+" is a space) and escaped into the page."""
    with requests.Session() as session:
        r = session.get(app.url + "/visits?name=Ann+%3Cb%3E", timeout=10)
        assert r.status_code == 200
        assert r.headers["Set-Cookie"] == "visits=1; Path=/; HttpOnly; SameSite=Lax"
        assert "Hello, Ann &lt;b&gt;" in r.text and "Visit 1" in r.text
        r = session.get(app.url + "/visits", timeout=10)
        assert r.headers["Set-Cookie"].startswith("visits=2;")
        assert "Hello, visitor" in r.text and "Visit 2" in r.text
    r = requests.get(app.url + "/visits", headers={"Cookie": "visits=x1"}, timeout=10)
    assert r.headers["Set-Cookie"].startswith("visits=1;")


def test_unknown_path_is_404(app):
    assert get(app, "/nonexistent").status_code == 404


# --- What the server adds --------------------------------------------------------------------


def test_wrong_method_is_405_with_allow(app):
    """RFC 9110 §15.5.6: 405 names the methods the target supports in Allow."""
    r = requests.post(app.url + "/about", data=b"x", timeout=10)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_head_has_the_fields_of_get_without_content(app):
    """RFC 9110 §9.3.2: HEAD is GET without the content."""
    g = get(app, "/user/testuser")
    h = requests.head(app.url + "/user/testuser", timeout=10)
    assert h.status_code == 200
    assert h.content == b""
    assert h.headers["Content-Length"] == g.headers["Content-Length"]
    assert h.headers["Content-Type"] == g.headers["Content-Type"]


def test_cors_on_every_response_and_preflight_answered(app):
    assert get(app, "/about").headers["Access-Control-Allow-Origin"] == "*"
    assert get(app, "/nonexistent").headers["Access-Control-Allow-Origin"] == "*"
    r = requests.options(
        app.url + "/api/data",
        headers={"Origin": "https://example.com", "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_the_apps_own_middleware_names_the_server(app):
    assert get(app, "/").headers["Server"] == "MyHTTPServer/1.0 (httpfsm)"
    assert get(app, "/nonexistent").headers["Server"] == "MyHTTPServer/1.0 (httpfsm)"


def test_gzip_when_the_client_accepts_it(app):
    r = requests.get(app.url + "/api/data", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Vary"] == "Accept-Encoding"
    assert "message" in json.loads(gzip.decompress(r.raw.read()))


def test_access_log_lines_in_common_log_format(app):
    get(app, "/user/logged")
    line = '"GET /user/logged HTTP/1.1" 200 '
    deadline = time.monotonic() + 10
    while line not in app.stdout() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert line in app.stdout()
    assert app.stdout().startswith("127.0.0.1 - - [")


def test_bearer_auth_behind_the_flag(start_app):
    guarded = start_app("--auth-token", "s3cret", "--log", "off")
    r = get(guarded, "/api/data")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert get(guarded, "/api/data", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert get(guarded, "/api/data", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    # The home page and the static files stay open, as in the tutorial's AuthMiddleware.
    assert get(guarded, "/").status_code == 200
    assert get(guarded, "/static/demo.html").status_code == 200
    assert guarded.stdout() == ""  # --log off: no access log


# --- The app's WebSocket route (App::websocket), with a real client -------------------------


def test_websocket_route_greets_and_shouts(app):
    import asyncio

    import websockets

    async def run():
        uri = f"ws://127.0.0.1:{app.port}/ws/shout"
        async with websockets.connect(uri, open_timeout=10, close_timeout=10) as ws:
            assert await asyncio.wait_for(ws.recv(), 10) == "welcome"  # sent by on_open
            await ws.send("hello, world")
            assert await asyncio.wait_for(ws.recv(), 10) == "HELLO, WORLD"
            await ws.send(b"binary")
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd.code == 1003
        async with websockets.connect(uri, open_timeout=10, close_timeout=10) as ws:
            await asyncio.wait_for(ws.recv(), 10)
            await ws.send("x" * 4097)  # over the route's max_message
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd.code == 1009

    asyncio.run(asyncio.wait_for(run(), 30))


def test_websocket_route_agrees_to_an_offered_subprotocol(app):
    # RFC 6455 §4.2.2: the route speaks "shout.v1"; a client offering it (after one the route
    # does not speak) gets it in the 101, and one offering only others gets none.
    import asyncio

    import websockets

    async def run():
        uri = f"ws://127.0.0.1:{app.port}/ws/shout"
        async with websockets.connect(
            uri, subprotocols=["chat", "shout.v1"], open_timeout=10, close_timeout=10
        ) as ws:
            assert ws.subprotocol == "shout.v1"
            assert await asyncio.wait_for(ws.recv(), 10) == "welcome to shout.v1"
        async with websockets.connect(
            uri, subprotocols=["chat"], open_timeout=10, close_timeout=10
        ) as ws:
            assert ws.subprotocol is None
            assert await asyncio.wait_for(ws.recv(), 10) == "welcome"

    asyncio.run(asyncio.wait_for(run(), 30))


def test_a_plain_get_to_the_websocket_route_is_400(app):
    r = get(app, "/ws/shout")
    assert r.status_code == 400
    assert r.text == "400 Bad Request: Upgrade does not list websocket\n"
