"""``watch``'s server: byte ranges, the script added to pages as they are served, the event
stream's framing and the hub, run against a real server on a free port; and the rebuild queue."""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.watch import events
from pipeline.watch.rebuild import Rebuilder
from pipeline.watch.server import (
    CLIENT_PATH,
    EVENTS_PATH,
    RangeNotSatisfiable,
    WatchServer,
    byte_range,
    client_tag,
    inject,
)

# --- pure parts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=999-999", (999, 999)),
        ("bytes=5-3", None),  # not a valid range: the whole file
        ("bytes=0-1,5-6", None),  # several ranges: the whole file, as RFC 9110 allows
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_a_range_header_gives_the_bytes_it_asks_for(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-2000", "bytes=-0"])
def test_a_range_past_the_end_cannot_be_satisfied(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 1000)


def test_the_script_goes_before_the_last_body_end_tag() -> None:
    page = "<html><body><p>a</p><script>x = '</body>'</script>\n</BODY>\n</html>\n"
    assert inject(page, "<s></s>") == "<html><body><p>a</p><script>x = '</body>'</script>\n<s></s></BODY>\n</html>\n"
    assert inject("<p>no body", "<s></s>") == "<p>no body<s></s>"


def test_a_lessons_name_stays_an_attribute_value() -> None:
    tag = client_tag('x" onload="alert(1)<script>&')
    assert 'data-lesson="x&quot; onload=&quot;alert(1)&lt;script&gt;&amp;"' in tag
    assert tag.count("<script") == 1


def test_an_event_is_framed_as_server_sent_events_with_one_data_line_per_line() -> None:
    assert events.sse("failed", "a.txt:4: one\r\ntwo\rthree\nfour") == (
        b"event: failed\ndata: a.txt:4: one\ndata: two\ndata: three\ndata: four\n\n"
    )
    frame = events.failed("a", "a.txt:4: bad\nb.txt:9: worse").frame().decode()
    assert frame.startswith("event: failed\ndata: ") and frame.endswith("\n\n") and frame.count("\n") == 3
    assert json.loads(frame.split("data: ", 1)[1]) == {"lesson": "a", "message": "a.txt:4: bad\nb.txt:9: worse"}
    with pytest.raises(ValueError):
        events.sse("two\nlines", "x")


def test_a_page_that_connects_late_hears_what_is_current() -> None:
    hub = events.Hub("server-1")
    hub.publish(events.building("a"))
    hub.publish(events.failed("a", "a.txt:4: bad"))
    hub.publish(events.building("b"))
    hub.publish(events.building("c"))
    hub.publish(events.built("c", reused=False, status="ok"))
    late = hub.subscribe()
    heard = [(e.name, e.lesson) for e in _drain(late)]
    assert heard == [("hello", ""), ("failed", "a"), ("building", "b")]
    hub.close()
    assert late.get(timeout=1) is None


def _drain(q: object) -> list[events.Event]:
    import queue

    assert isinstance(q, queue.Queue)
    found = []
    while not q.empty():
        item = q.get_nowait()
        assert item is not None
        found.append(item)
    return found


# --- a real server -------------------------------------------------------------------------------

REPORT = '<!doctype html><html><body><h1>Lesson</h1><video id="video" src="video.mp4"></video></body></html>\n'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[WatchServer, Path]]:
    build = tmp_path / "build"
    (build / "les son").mkdir(parents=True)
    (build / "les son" / "report.html").write_text(REPORT, encoding="utf-8")
    (build / "les son" / "video.mp4").write_bytes(bytes(range(256)) * 40)
    (build / "les son" / "captions.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (build / "les son" / ".build.json").write_text("{}", encoding="utf-8")
    server = WatchServer(build, events.Hub("server-1"), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server, build
    finally:
        server.hub.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def connection(server: WatchServer) -> Iterator[http.client.HTTPConnection]:
    conn = http.client.HTTPConnection(server.server_name, server.server_port, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def get(server: WatchServer, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    with connection(server) as conn:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()


def test_a_page_is_served_with_the_script_and_left_as_it_is_on_disk(served: tuple[WatchServer, Path]) -> None:
    server, build = served
    status, headers, body = get(server, "/les%20son/report.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    page = body.decode()
    assert f'<script src="{CLIENT_PATH}" data-events="{EVENTS_PATH}" data-lesson="les son"></script>' in page
    assert page.index("watch/client.js") < page.index("</body>")
    assert (build / "les son" / "report.html").read_text(encoding="utf-8") == REPORT
    # The folder shows its report; the client script itself is served too.
    assert get(server, "/les%20son/")[2] == body
    status, headers, script = get(server, CLIENT_PATH)
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"EventSource" in script


def test_the_video_is_served_in_the_ranges_a_browser_asks(served: tuple[WatchServer, Path]) -> None:
    server, build = served
    video = (build / "les son" / "video.mp4").read_bytes()
    status, headers, body = get(server, "/les%20son/video.mp4")
    assert (status, headers["Content-Type"], headers["Accept-Ranges"], body) == (200, "video/mp4", "bytes", video)
    status, headers, body = get(server, "/les%20son/video.mp4", Range="bytes=100-299")
    assert status == 206
    assert headers["Content-Range"] == f"bytes 100-299/{len(video)}"
    assert body == video[100:300]
    status, headers, body = get(server, "/les%20son/video.mp4", Range="bytes=-10")
    assert (status, body) == (206, video[-10:])
    status, headers, _ = get(server, "/les%20son/video.mp4", Range=f"bytes={len(video)}-")
    assert (status, headers["Content-Range"]) == (416, f"bytes */{len(video)}")
    assert get(server, "/les%20son/captions.vtt")[1]["Content-Type"] == "text/vtt; charset=utf-8"


def test_many_ranges_on_one_connection(served: tuple[WatchServer, Path]) -> None:
    server, build = served
    video = (build / "les son" / "video.mp4").read_bytes()
    with connection(server) as conn:
        for first in (0, 5000, 9000):
            conn.request("GET", "/les%20son/video.mp4", headers={"Range": f"bytes={first}-{first + 99}"})
            response = conn.getresponse()
            assert (response.status, response.read()) == (206, video[first : first + 100])


def test_the_builds_own_files_and_missing_ones_are_not_served(served: tuple[WatchServer, Path]) -> None:
    server, _ = served
    for path in ("/les%20son/.build.json", "/.watch/other", "/les%20son/nothing.png", "/../etc/passwd"):
        assert get(server, path)[0] == 404, path


def test_a_report_not_built_yet_is_a_page_that_waits_for_it(served: tuple[WatchServer, Path]) -> None:
    server, _ = served
    status, _, body = get(server, "/new/report.html")
    assert status == 404
    assert b"Not built yet" in body and b'data-lesson="new" data-missing' in body
    status, _, body = get(server, "/")
    assert status == 404 and b'data-lesson="" data-missing' in body


def test_the_event_stream_sends_the_current_state_then_each_event(served: tuple[WatchServer, Path]) -> None:
    server, _ = served
    server.hub.publish(events.failed("les son", "slides/les son.txt:4: no script"))
    with connection(server) as conn:
        conn.request("GET", EVENTS_PATH)
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        assert response.getheader("Cache-Control") == "no-store"
        assert _read_event(response) == (None, f"retry: {events.RETRY_MS}")
        assert _read_event(response)[0] == "hello"
        name, data = _read_event(response)
        assert (name, json.loads(data)["message"]) == ("failed", "slides/les son.txt:4: no script")
        server.hub.publish(events.built("les son", reused=False, status="ok"))
        name, data = _read_event(response)
        assert (name, json.loads(data)) == ("built", {"lesson": "les son", "reused": False, "status": "ok"})
        server.hub.close()
        assert response.read() == b""  # the server ends the stream when it stops


def _read_event(response: http.client.HTTPResponse) -> tuple[str | None, str]:
    """The next message of an event stream: its event name and its data (or its other lines)."""
    lines = []
    while (line := response.readline().decode().rstrip("\n")) != "":
        lines.append(line)
    name = next((line.removeprefix("event: ") for line in lines if line.startswith("event: ")), None)
    data = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
    return name, "\n".join(data) if data else "\n".join(lines)


def test_a_port_in_use_is_an_error_naming_it(served: tuple[WatchServer, Path], tmp_path: Path) -> None:
    server, _ = served
    with pytest.raises(ConfigError, match=rf"cannot serve on 127\.0\.0\.1:{server.server_port}: .*--port 0"):
        WatchServer(tmp_path, events.Hub("x"), "127.0.0.1", server.server_port)


# --- the rebuild queue ---------------------------------------------------------------------------


def test_changes_during_a_build_are_built_once_after_it() -> None:
    started, release = threading.Event(), threading.Event()
    batches: list[list[str]] = []

    def build(lessons: Sequence[Path]) -> None:
        batches.append([p.name for p in lessons])
        started.set()
        release.wait(10)

    rebuilder = Rebuilder(build)
    rebuilder.start()
    rebuilder.request([Path("a.txt")])
    assert started.wait(10)
    for name in ("b.txt", "a.txt", "b.txt", "c.txt", "a.txt"):
        rebuilder.request([Path(name)])
    assert rebuilder.building
    release.set()
    assert rebuilder.wait_idle(10)
    assert batches == [["a.txt"], ["b.txt", "a.txt", "c.txt"]]
    assert rebuilder.stop(10)


def test_a_failing_build_does_not_stop_the_rebuilds(caplog: pytest.LogCaptureFixture) -> None:
    built: list[str] = []

    def build(lessons: Sequence[Path]) -> None:
        if lessons[0].name == "bad.txt":
            raise RuntimeError("a bug")
        built.extend(p.name for p in lessons)

    rebuilder = Rebuilder(build)
    rebuilder.start()
    rebuilder.request([Path("bad.txt")])
    assert rebuilder.wait_idle(10)
    rebuilder.request([Path("good.txt")])
    assert rebuilder.wait_idle(10)
    assert built == ["good.txt"]
    assert "rebuilding bad.txt failed" in caplog.text and "RuntimeError: a bug" in caplog.text
    assert rebuilder.stop(10)


def test_a_browser_dropping_a_download_is_no_error(
    served: tuple[WatchServer, Path], caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    server, build = served
    (build / "les son" / "video.mp4").write_bytes(bytes(32 * 1024 * 1024))  # more than a socket buffers
    caplog.set_level(logging.DEBUG, logger="pipeline.watch.server")
    with socket.create_connection((server.server_name, server.server_port), timeout=10) as client:
        host = f"Host: 127.0.0.1:{server.server_port}".encode()
        client.sendall(b"GET /les%20son/video.mp4 HTTP/1.1\r\n" + host + b"\r\n\r\n")
        assert client.recv(1024).startswith(b"HTTP/1.1 200")
        # Closed unread with SO_LINGER 0: a reset, as a browser that seeks elsewhere sends.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    deadline = time.monotonic() + 10
    while "went away" not in caplog.text:
        assert time.monotonic() < deadline, "the server never noticed the reset"
        time.sleep(0.02)
    assert "Traceback" not in capfd.readouterr().err
    assert get(server, "/les%20son/captions.vtt")[0] == 200  # still serving


def test_a_request_under_another_hosts_name_is_refused(served: tuple[WatchServer, Path]) -> None:
    server, _ = served
    port = server.server_port
    captions = "/les%20son/captions.vtt"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert get(server, captions, Host=host)[0] == 200, host
    # A page elsewhere whose name was made to resolve here (DNS rebinding) sends its own name.
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1:{port + 1}", ""):
        status, _, body = get(server, captions, Host=host)
        assert status == 403, host
        assert b"WEBVTT" not in body
