"""Helpers for the review-page browser tests: a tiny real build folder, a local web server, Chromium.

The browser is Debian's Chromium (``apt-get install chromium``) driven by Playwright's Python
package; Playwright's own browser downloads are never used (Debian's build also plays H.264).
A missing browser or package fails the test with the command that installs it, never a skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

CHROMIUM_FLAGS = (
    "--no-sandbox",  # the test machines run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no internet: without these it floods refused connections
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
)
FRAME_SIZE = (1280, 720)
SLIDE_COLOURS = ("#1f4e9c", "#2f7d4f", "#9c3d1f", "#6b3f99", "#8a6d00")


def chromium_path() -> str:
    """The Chromium executable (``$CHROMIUM`` wins); fails the test with how to install it."""
    candidates = [os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"]
    for name in candidates:
        found = name and shutil.which(name)
        if found:
            return found
    pytest.fail(
        "Chromium is needed for the review-page browser tests and was not found: "
        "run `apt-get install -y --no-install-recommends chromium` (or set CHROMIUM=/path/to/chrome)",
        pytrace=False,
    )


def ffmpeg_path() -> str:
    """The system ffmpeg; fails the test with how to install it."""
    found = shutil.which("ffmpeg")
    if not found:
        pytest.fail("ffmpeg is needed to make the test video: run `apt-get install -y ffmpeg`", pytrace=False)
    return found


# --- a tiny, real build folder ------------------------------------------------------------------


def write_frames(folder: Path, titles: Sequence[str]) -> list[Path]:
    """``frames/01.png`` … one flat-coloured 1280x720 frame per slide, its number and title drawn on it."""
    frames_dir = folder / "frames"
    frames_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, title in enumerate(titles, start=1):
        image = Image.new("RGB", FRAME_SIZE, SLIDE_COLOURS[(i - 1) % len(SLIDE_COLOURS)])
        draw = ImageDraw.Draw(image)
        draw.text((80, 300), f"{i}. {title}", fill="white", font_size=64)
        path = frames_dir / f"{i:02d}.png"
        image.save(path)
        paths.append(path)
    return paths


def write_video(frames: Sequence[Path], seconds_each: float, out: Path) -> None:
    """An H.264 + AAC MP4 (+faststart) showing each frame for ``seconds_each`` over a quiet tone."""
    cmd = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y"]
    for frame in frames:
        cmd += ["-loop", "1", "-framerate", "25", "-t", f"{seconds_each}", "-i", str(frame)]
    total = seconds_each * len(frames)
    cmd += ["-f", "lavfi", "-t", f"{total}", "-i", "sine=frequency=440:sample_rate=48000"]
    streams = "".join(f"[{i}:v]" for i in range(len(frames)))
    cmd += [
        "-filter_complex",
        f"{streams}concat=n={len(frames)}:v=1:a=0,format=yuv420p[v];[{len(frames)}:a]volume=0.1[a]",
        "-map",
        "[v]",
        "-map",
        "[a]",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-profile:v",
        "high",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-movflags",
        "+faststart",
        "-t",
        f"{total}",
        str(out),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0:
        pytest.fail(f"ffmpeg could not make the test video: {' '.join(cmd)}\n{result.stderr[-2000:]}", pytrace=False)


def vtt_text(cues: Sequence[tuple[float, float, str]]) -> str:
    """A WebVTT document with the given (start, end, text) cues."""

    def stamp(seconds: float) -> str:
        minutes, secs = divmod(seconds, 60)
        return f"00:{int(minutes):02d}:{secs:06.3f}"

    blocks = [f"{i}\n{stamp(start)} --> {stamp(end)}\n{text}" for i, (start, end, text) in enumerate(cues, 1)]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


# --- serving ----------------------------------------------------------------------------------


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    """``http.server`` with byte ranges, as any real web server has: Chromium cannot seek a video without them."""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output quiet

    def send_head(self) -> Any:
        header = self.headers.get("Range", "")
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first = int(match.group(1)) if match.group(1) else max(0, size - int(match.group(2) or 0))
        last = int(match.group(2)) if match.group(1) and match.group(2) else size - 1
        last = min(last, size - 1)
        if first > last:
            self.send_error(416, "Requested range not satisfiable")
            return None
        f = path.open("rb")
        f.seek(first)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Limited(f, last - first + 1)

    def end_headers(self) -> None:
        if "Range" not in self.headers:
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()


class _Limited:
    """A file object that stops after ``remaining`` bytes, for ``copyfile`` in a range response."""

    def __init__(self, f: Any, remaining: int):
        self._f, self._remaining = f, remaining

    def read(self, n: int = -1) -> bytes:
        if self._remaining <= 0:
            return b""
        n = self._remaining if n < 0 else min(n, self._remaining)
        data = self._f.read(n)
        self._remaining -= len(data)
        return bytes(data)

    def close(self) -> None:
        self._f.close()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port in a thread; yield the base URL."""
    handler = functools.partial(RangeRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser ------------------------------------------------------------------------------


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser context with a new, empty profile."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the Python package 'playwright' is needed for the browser tests: "
            "run `.venv/bin/pip install playwright` (its browser downloads are not needed)",
            pytrace=False,
        )
    executable = chromium_path()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport={"width": 1280, "height": 800},
        )
        try:
            yield context
        finally:
            context.close()
