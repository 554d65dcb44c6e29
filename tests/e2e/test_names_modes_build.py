"""Whole builds for the permissions, leftovers and file-name checks: every output a build writes
gets the permissions the umask gives; a killed build's temporary files are removed by the next
build of that lesson, never those of a build still running, and never another lesson's; and a
lesson with any file name builds through ``make`` into ``build/<stem>/``, the pages' links still
leading to the files. The quick checks of each are in ``integration/test_names_modes_leftovers.py``.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from support.builds import (
    AWKWARD,
    LEFTOVERS,
    PIPELINE_ENV,
    awkward_course,
    make,
    mode,
    plant,
    run_build,
    start_build,
)
from support.lessons import TWO_SLIDES, write_course

from pipeline import cache, tools

pytestmark = pytest.mark.e2e

# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o077], ids=oct)
def test_every_file_a_build_writes_has_the_mode_the_umask_gives(tmp_path, mask):
    (lesson,) = write_course(tmp_path, {"modes.txt": TWO_SLIDES})
    result = run_build(tmp_path, lesson, umask=mask)
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


# --- temporary files of killed builds --------------------------------------------------------------


def stall_tool(folder: Path) -> Path:
    """An ffmpeg (or LibreOffice) stand-in that stops when an argument contains $STALL_MATCH.

    It touches $STALL_MARKER and waits until $STALL_RELEASE exists (forever when unset), then
    runs the real ffmpeg; the test kills the build or releases it while it waits.
    """
    script = folder / "stalling-tool"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        '  case "$arg" in *"$STALL_MATCH"*)\n'
        '    touch "$STALL_MARKER"\n'
        '    while [ ! -e "$STALL_RELEASE" ]; do sleep 0.1; done ;;\n'
        "  esac\n"
        "done\n"
        'exec "$REAL_FFMPEG" "$@"\n'
    )
    script.chmod(0o755)
    return script


def start_logged_build(root: Path, lesson: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """A build started in its own process group, its output in ``<root>/<stem>.log`` (not a pipe nobody reads)."""
    with (root / f"{lesson.stem}.log").open("w") as log:
        return start_build(root, lesson, env=env, log=log)


def wait_for(marker: Path, process: subprocess.Popen[str], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, f"the build ended (status {process.returncode}) before it stalled"
        assert time.monotonic() < deadline, "the build never reached the stalling tool"
        time.sleep(0.05)


def kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def temporaries(root: Path) -> set[str]:
    """Our temporary files and folders under ``root`` (not what is inside a temporary folder)."""
    found = set()
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if cache.is_temporary(path.name, folder=path.is_dir()) and not any(
            cache.is_temporary(part, folder=True) for part in parts[:-1]
        ):
            found.add("/".join(parts))
    return found


@pytest.fixture
def stalled(tmp_path):
    """A course of two lessons and the environment that makes a build of one of them stall."""
    lessons = write_course(tmp_path, {"kill.txt": TWO_SLIDES, "other.txt": TWO_SLIDES})

    def env(match: str, tool: str = "PIPELINE_FFMPEG", release: Path | None = None) -> dict[str, str]:
        marker = tmp_path / f"stalled-{time.monotonic_ns()}"
        return {
            **PIPELINE_ENV,
            tool: str(stall_tool(tmp_path)),
            "REAL_FFMPEG": tools.find(tools.FFMPEG),
            "STALL_MATCH": match,
            "STALL_MARKER": str(marker),
            "STALL_RELEASE": str(release or tmp_path / "never"),
        }

    return tmp_path, lessons, env


def test_the_next_build_removes_what_a_killed_build_left_and_no_other_lessons_files(stalled):
    root, (lesson, _), stalling = stalled
    built = root / "build"
    out, cache_dir = built / "kill", built / ".cache"
    plant(built / "other", LEFTOVERS)  # another lesson's: not this build's to remove

    # Killed while LibreOffice renders: its private folder stays behind.
    env = stalling("--convert-to", tool="PIPELINE_SOFFICE")
    process = start_logged_build(root, lesson, env)
    wait_for(Path(env["STALL_MARKER"]), process)
    kill(process)
    left = temporaries(out)
    assert len(left) == 1 and re.fullmatch(r"\.render-\w{8}", left.pop()), temporaries(out)

    # Killed while ffmpeg muxes: the half-written video and the mux's scratch folder stay behind,
    # and this build removed the render folder of the first when it started.
    env = stalling("/kill/.video.")
    process = start_logged_build(root, lesson, env)
    wait_for(Path(env["STALL_MARKER"]), process)
    kill(process)
    assert "removed 1 temporary file left by an interrupted build" in (root / "kill.log").read_text(encoding="utf-8")
    left = temporaries(out)
    assert len(left) == 1 and re.fullmatch(r"\.video\.\w{8}\.tmp\.mp4", left.pop()), temporaries(out)
    assert any(re.fullmatch(r"video/\.mux-\w{8}", p) for p in temporaries(cache_dir)), temporaries(cache_dir)

    result = run_build(root, lesson)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "removed 1 temporary file left by an interrupted build" in result.stderr
    assert "left in the cache by interrupted builds" in result.stderr
    assert temporaries(out) == set() and temporaries(cache_dir) == set()
    assert all((built / "other" / name).is_file() for name in LEFTOVERS)
    assert (out / "video.mp4").is_file()


def test_a_build_running_beside_another_lessons_build_never_loses_a_file(stalled):
    root, (lesson, other), stalling = stalled
    built = root / "build"
    cache_dir = built / ".cache"
    release = root / "release"
    env = stalling("/other/.video.", release=release)
    waiting = start_logged_build(root, other, env)
    try:
        wait_for(Path(env["STALL_MARKER"]), waiting)
        # "other" is muxing now: its scratch folder in the shared cache and its video are live. (Its
        # narrated deck's sounds, encoded beside the mux, may finish meanwhile: those are not watched.)
        live = {p for p in temporaries(built) if p.startswith((".cache/video/.mux-", "other/.video."))}
        assert any(p.startswith(".cache/video/.mux-") for p in live) and any(
            p.startswith("other/.video.") for p in live
        )
        stale = cache_dir / "narration" / ".ab12.0f3a9c1e.tmp.wav"  # as a build killed long ago left it
        plant(cache_dir, [stale.relative_to(cache_dir).as_posix()])

        result = run_build(root, lesson)
        assert result.returncode == 0, result.stdout + result.stderr
        assert live <= temporaries(built), "a running build's temporary files were removed"
        assert stale.exists(), "the cache was swept while another build was using it"
    finally:
        release.touch()
    assert waiting.wait(timeout=300) == 0, (root / "other.log").read_text(encoding="utf-8")
    assert (built / "other" / "video.mp4").is_file() and (built / "kill" / "video.mp4").is_file()
    assert temporaries(built) == {stale.relative_to(built).as_posix()}

    # Alone, the next build sweeps the cache.
    result = run_build(root, lesson, "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "left in the cache by interrupted builds" in result.stderr
    assert temporaries(built) == set()


# --- any file name through make ------------------------------------------------------------------


WORST = '-it\'s "$HOME" (v2) \\ 日本 `x` 50%d é.txt'  # all of them at once, for the one full build


@pytest.mark.parametrize("name", AWKWARD)
def test_make_deck_takes_any_lesson_file_name(tmp_path, name):
    awkward_course(tmp_path, [name])
    # ARGS is read by the shell as options are: quotes inside it group words.
    result = make("deck", tmp_path, LESSON=f"slides/{name}", ARGS="--build 'my build'")
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "my build" / Path(name).stem
    for output in ("deck.pptx", "deck.pdf", "contact-sheet.png", "frames/01.png", "frames/02.png"):
        assert (out / output).is_file(), output


def links(page: Path) -> list[str]:
    """The relative links and sources of a page, decoded as a browser resolves them (no fragments)."""
    found = re.findall(r'(?:href|src|poster)="([^"]*)"', page.read_text(encoding="utf-8"))
    urls = [html.unescape(url) for url in found]
    return [unquote(urlsplit(url).path) for url in urls if url and not re.match(r"[a-z]+:|#", url)]


def test_make_video_builds_a_lesson_named_with_every_awkward_character(tmp_path):
    awkward_course(tmp_path, [WORST])
    result = make("video", tmp_path, LESSON=f"slides/{WORST}")
    assert result.returncode == 0, result.stdout + result.stderr
    build = tmp_path / "build"
    out = build / Path(WORST).stem
    for output in ("deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "timing.json", "report.html"):
        assert (out / output).is_file(), output
    assert json.loads((out / "timing.json").read_text(encoding="utf-8"))["lesson"] == Path(WORST).stem
    # Every link of the index and of the report leads to a file that is there.
    index_links = links(build / "index.html")
    assert f"{Path(WORST).stem}/video.mp4" in index_links
    for link in index_links:
        assert (build / link).is_file(), link
    for link in links(out / "report.html"):
        assert (out / link).resolve().is_file(), link
