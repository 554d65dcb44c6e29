"""Serving the build folder to the author's browser: files with their types and byte ranges, the
review pages with the live-update script added as they are served, and the event stream.

The files on disk stay as a build wrote them: ``report.html`` remains the self-contained page a
reviewer opens from a folder; only the copy this server sends carries the script. Standard
library only: it serves one author's browser on 127.0.0.1, never a network.
"""

from __future__ import annotations

import html
import http.server
import io
import logging
import mimetypes
import os
import queue
import re
import socketserver
import sys
import urllib.parse
from pathlib import Path
from typing import IO, Any

from .. import TEMPLATES
from ..errors import ConfigError
from . import events

log = logging.getLogger(__name__)

# The server's own paths start with a dot: a lesson's folder never does (its outputs would be
# hidden), so they can never hide a lesson's files, and the build's own dot-files stay unserved.
PREFIX = "/.watch/"
EVENTS_PATH = PREFIX + "events"
CLIENT_PATH = PREFIX + "client.js"
CLIENT_SCRIPT = TEMPLATES / "watch.js"
KEEPALIVE_S = 15.0  # how often an idle event stream is written to, to notice a page that went away

# Types the system's table may not know, or gets wrong for a browser (`.vtt` for a <track>).
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".mp4": "video/mp4",
    ".wav": "audio/wav",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".yaml": "text/plain; charset=utf-8",
}


_Body = IO[bytes] | io.RawIOBase  # what send_head hands SimpleHTTPRequestHandler.copyfile


class RangeNotSatisfiable(ValueError):
    """A ``Range`` header asks for no byte the file has (HTTP 416)."""


def content_type(path: Path) -> str:
    """The ``Content-Type`` to send ``path`` with."""
    known = TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte a ``Range`` header asks of a file of ``size`` bytes, or ``None`` for all of it.

    One range of bytes is served (``bytes=500-``, ``bytes=500-999``, ``bytes=-500``), as browsers
    ask when they seek a video; a header this does not read (several ranges, another unit, a
    malformed one) is ignored and the whole file sent, as RFC 9110 allows. Raises
    :class:`RangeNotSatisfiable` for a range starting past the end.
    """
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match or not (match.group(1) or match.group(2)):
        return None
    first_text, last_text = match.groups()
    if not first_text:  # the last N bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(0, size - suffix), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # not a valid range: ignored
    if first >= size:
        raise RangeNotSatisfiable(header)
    last = min(int(last_text), size - 1) if last_text else size - 1
    return first, last


def inject(page: str, tag: str) -> str:
    """``page`` with ``tag`` placed just before its last ``</body>`` (at the end when it has none)."""
    at = page.lower().rfind("</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def client_tag(lesson: str, *, missing: bool = False) -> str:
    """The ``<script>`` element a page gets; ``lesson`` is the stem whose events it follows ("" for
    all); ``missing`` marks a placeholder, which reloads on any build of its lesson."""
    return (
        f'<script src="{CLIENT_PATH}" data-events="{EVENTS_PATH}" data-lesson="{html.escape(lesson, quote=True)}"'
        + (" data-missing" if missing else "")
        + "></script>\n"
    )


def placeholder(lesson: str) -> str:
    """The page sent for a report (or index) not built yet: it says so, and updates like the others."""
    what = f"lesson {html.escape(lesson)}" if lesson else "this course"
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<link rel="icon" href="data:,">\n<title>Not built yet · review</title>\n</head>\n<body>\n'
        f"<main>\n<h1>Not built yet</h1>\n<p>There is no finished build of {what} yet. This page "
        "updates itself when there is; an error in the lesson shows below.</p>\n</main>\n"
        + client_tag(lesson, missing=True)
        + "</body>\n</html>\n"
    )


class WatchServer(http.server.ThreadingHTTPServer):
    """The build folder served on one address, with the hub whose events the pages hear."""

    daemon_threads = True  # a page's open event stream must not keep the process alive

    def __init__(self, root: Path, hub: events.Hub, host: str, port: int):
        self.root = root
        self.hub = hub
        try:
            super().__init__((host, port), Handler)
        except OSError as exc:
            hint = " (is another server using it? --port 0 picks a free one)" if port else ""
            raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}{hint}") from exc

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up (socket.getfqdn), slow on a machine
        # without DNS; the address is all the URL needs.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser drops connections all the time (it seeks the video, reloads the page): no
        # news. Anything else is a bug and keeps its traceback, in the log rather than on stderr.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("%s went away: %s", client_address[0], error)
            return
        log.exception("serving a request from %s failed", client_address[0])

    @property
    def url(self) -> str:
        return f"http://{self.server_name}:{self.server_port}/"

    @property
    def hosts(self) -> frozenset[str]:
        """The ``Host`` headers a request may carry: this address and ``localhost``, with the port."""
        return frozenset(f"{name}:{self.server_port}" for name in (self.server_name, "localhost", "127.0.0.1"))


class Handler(http.server.SimpleHTTPRequestHandler):
    """GET and HEAD for the build folder's files, the pages with the script, and the event stream."""

    server: WatchServer
    protocol_version = "HTTP/1.1"  # keeps connections open: a browser seeking a video asks many ranges

    def __init__(self, request: Any, client_address: Any, server: WatchServer):
        super().__init__(request, client_address, server, directory=str(server.root))

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        # Every answer is fresh: a rebuild replaces files within the second their dates name.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        # A page on another site can make the browser ask this server under a name of its own that
        # resolves here (DNS rebinding), and read the answers; the Host it sends gives it away.
        if self.headers.get("Host", "").lower() not in self.server.hosts:
            self.send_error(403, "this server answers to 127.0.0.1 and localhost only")
            return False
        return True

    def do_GET(self) -> None:
        if urllib.parse.urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
            return
        super().do_GET()

    def send_head(self) -> _Body | None:  # type: ignore[override]
        url_path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if url_path == CLIENT_PATH:
            return self._send_bytes(CLIENT_SCRIPT.read_bytes(), TYPES[".js"])
        if any(part.startswith(".") for part in url_path.split("/")):
            self.send_error(404)  # the build's own records, locks and cache, and unknown server paths
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                self._redirect(urllib.parse.urlsplit(self.path).path + "/")
                return None
            # The top shows the index, a lesson's folder its report.
            path = path / ("index.html" if path.resolve() == self.server.root.resolve() else "report.html")
        if path.suffix.lower() == ".html":
            return self._send_page(path)
        if not path.is_file():
            self.send_error(404)
            return None
        return self._send_file(path)

    def _send_page(self, path: Path) -> _Body | None:
        # The lesson a page is about is the folder it is in (report.html); the index follows every lesson.
        lesson = path.parent.name if path.parent.resolve() != self.server.root.resolve() else ""
        try:
            page = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            if path.name not in ("report.html", "index.html"):
                self.send_error(404)
                return None
            return self._send_bytes(placeholder(lesson).encode("utf-8"), TYPES[".html"], status=404)
        return self._send_bytes(inject(page, client_tag(lesson)).encode("utf-8"), TYPES[".html"])

    def _send_file(self, path: Path) -> _Body | None:
        f = path.open("rb")
        try:
            size = os.fstat(f.fileno()).st_size  # the open file's: a rebuild may have replaced the name since
            wanted = byte_range(self.headers.get("Range"), size)
        except RangeNotSatisfiable:
            f.close()
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        except BaseException:
            f.close()
            raise
        if wanted is None:
            self.send_response(200)
            length = size
        else:
            first, last = wanted
            f.seek(first)
            length = last - first + 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Limited(f, length)

    def _send_bytes(self, body: bytes, kind: str, status: int = 200) -> IO[bytes]:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_events(self) -> None:
        """Send the hub's events until the page goes away or the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")  # the stream is the whole connection
        self.end_headers()
        self.close_connection = True
        subscription = self.server.hub.subscribe()
        try:
            self.wfile.write(events.RETRY)
            while True:
                try:
                    event = subscription.get(timeout=KEEPALIVE_S)
                except queue.Empty:
                    self.wfile.write(events.KEEPALIVE)
                    self.wfile.flush()
                    continue
                if event is None:
                    return
                self.wfile.write(event.frame())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return  # the page was closed or reloaded
        finally:
            self.server.hub.unsubscribe(subscription)


class _Limited(io.RawIOBase):
    """The open file read from its current position for ``remaining`` bytes, for a range's body."""

    def __init__(self, f: IO[bytes], remaining: int):
        super().__init__()
        self._f, self._remaining = f, remaining

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        if self._remaining <= 0:
            return b""
        n = self._remaining if n is None or n < 0 else min(n, self._remaining)
        data = self._f.read(n)
        self._remaining -= len(data)
        return data

    def close(self) -> None:
        self._f.close()
        super().close()
