"""Output permissions.

- Every output gets the permissions the user's umask gives, as a plain ``open()`` would.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, small_lesson, write_lesson

from pipeline import cache

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
TWO_SLIDES = small_lesson([("One", "First slide speaks. It has two sentences."), ("Two", "Second slide speaks too.")])

# --- permissions ---------------------------------------------------------------------------------


@pytest.fixture
def umask():
    """Set the process umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)

    def set_umask(value: int) -> int:
        os.umask(value)
        return value

    yield set_umask
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o027, 0o002], ids=oct)
def test_atomic_writes_get_the_mode_a_plain_open_gives(tmp_path, umask, mask):
    umask(mask)
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    cache.write_text_atomic(tmp_path / "text.txt", "x")
    cache.write_bytes_atomic(tmp_path / "sub" / "bytes.bin", b"x")
    with cache.atomic_path(tmp_path / "tool.mp4") as tmp:
        tmp.write_bytes(b"written over by a tool")
    for name in ("plain.txt", "text.txt", "sub/bytes.bin", "tool.mp4"):
        assert mode(tmp_path / name) == 0o666 & ~mask, name
    assert mode(tmp_path / "sub") == 0o777 & ~mask


def test_a_rewrite_gets_the_current_umask_not_the_old_files_mode(tmp_path, umask):
    target = tmp_path / "timing.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o600)  # as an earlier version left its outputs
    umask(0o022)
    cache.write_text_atomic(target, "{}")
    assert mode(target) == 0o644


@pytest.mark.e2e
@pytest.mark.parametrize("mask", [0o022, 0o077], ids=oct)
def test_every_file_a_build_writes_has_the_mode_the_umask_gives(tmp_path, mask):
    slides = tmp_path / "slides"
    slides.mkdir()
    lesson = write_lesson(slides, "modes.txt", TWO_SLIDES)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "video", str(lesson), "--build", str(tmp_path / "build")],
        cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600, umask=mask,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    build = tmp_path / "build"
    files = [p for p in build.rglob("*") if p.is_file()]
    names = {p.relative_to(build).as_posix() for p in files}
    for output in ("deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "timing.json", "report.html"):
        assert f"modes/{output}" in names
    assert "index.html" in names
    wrong = {p.relative_to(build).as_posix(): oct(mode(p)) for p in files if mode(p) != 0o666 & ~mask}
    assert not wrong, f"files without mode {oct(0o666 & ~mask)}: {wrong}"
    folders = [build, *(p for p in build.rglob("*") if p.is_dir())]
    wrong = {p.relative_to(build).as_posix(): oct(mode(p)) for p in folders if mode(p) != 0o777 & ~mask}
    assert not wrong, f"folders without mode {oct(0o777 & ~mask)}: {wrong}"
