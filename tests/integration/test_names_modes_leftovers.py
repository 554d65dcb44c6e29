"""Output permissions, what killed builds leave behind, and awkward lesson file names through make.

- Every file written atomically gets the permissions the user's umask gives, as a plain
  ``open()`` would.
- Only the project's own temporary names count as leftovers, and a shared cache is swept only
  when no other build uses it.
- Any lesson file name goes through ``make LESSON=…`` intact, and ffmpeg reads a picture path
  holding a ``%`` as a path.

Whole builds checking the same (a build's permissions, killed and concurrent builds, ``make
deck`` and ``make video``) are in ``e2e/test_names_modes_build.py``.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from support.builds import AWKWARD, LEFTOVERS, awkward_course, make, mode, plant

from pipeline import cache
from pipeline.media import video

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


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o027, 0o002], ids=oct)
def test_atomic_writes_get_the_mode_a_plain_open_gives(tmp_path, umask, mask):
    umask(mask)
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    cache.write_text_atomic(tmp_path / "text.txt", "x")
    cache.write_text_atomic(tmp_path / "sub" / "nested.txt", "x")
    with cache.atomic_path(tmp_path / "tool.mp4") as tmp:
        tmp.write_bytes(b"written over by a tool")
    for name in ("plain.txt", "text.txt", "sub/nested.txt", "tool.mp4"):
        assert mode(tmp_path / name) == 0o666 & ~mask, name
    assert mode(tmp_path / "sub") == 0o777 & ~mask


def test_a_rewrite_gets_the_current_umask_not_the_old_files_mode(tmp_path, umask):
    target = tmp_path / "timing.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o600)  # as an earlier version left its outputs
    umask(0o022)
    cache.write_text_atomic(target, "{}")
    assert mode(target) == 0o644


# --- temporary files of killed builds --------------------------------------------------------------

KEPT = [
    "deck.pptx",
    "video.mp4",
    ".build.json",
    ".frames.key",
    "frames/01.png",
    "audio/01.wav",
    "notes.tmp.txt",  # not one of our temporary names
    ".render-notes/keep.txt",
]


def test_only_the_projects_temporary_names_are_removed(tmp_path):
    plant(tmp_path, LEFTOVERS + KEPT)
    removed = cache.remove_temporaries(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in removed} == {
        *(n for n in LEFTOVERS if not n.startswith(".render-")),
        ".render-ab12_xyz",
    }
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == sorted(KEPT)


def test_the_temporary_names_the_project_makes_are_recognised(tmp_path):
    with cache.atomic_path(tmp_path / "video.mp4") as tmp:
        assert cache.is_temporary(tmp.name)
    with cache.atomic_path(tmp_path / ".build.json") as tmp:
        assert cache.is_temporary(tmp.name)
    with cache.temporary_folder(tmp_path, "render") as folder:
        assert cache.is_temporary(Path(folder).name, folder=True)
    assert not cache.is_temporary("video.mp4") and not cache.is_temporary(".build.json")


def test_a_shared_cache_is_swept_only_when_no_one_else_uses_it(tmp_path):
    stale = tmp_path / "narration" / "sentences" / "ab" / ".ab12.0f3a9c1e.tmp.wav"
    plant(tmp_path, [stale.relative_to(tmp_path).as_posix()])
    with (tmp_path / cache.LOCK_NAME).open("a") as other:
        fcntl.flock(other, fcntl.LOCK_SH)  # another build is writing to the cache
        with cache.shared_folder(tmp_path) as removed:
            assert removed == [] and stale.exists()
        fcntl.flock(other, fcntl.LOCK_UN)
    with cache.shared_folder(tmp_path) as removed:
        assert removed == [stale] and not stale.exists()


# --- any file name through make ------------------------------------------------------------------


@pytest.mark.parametrize("name", AWKWARD)
def test_make_budget_takes_any_lesson_file_name(tmp_path, name):
    awkward_course(tmp_path, [name])
    result = make("budget", tmp_path, LESSON=f"slides/{name}", ARGS="--json")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout[result.stdout.index("{") :])
    assert document["lesson"] == Path(name).stem


def test_make_budget_with_a_leading_dash_name_in_the_current_folder(tmp_path):
    slides = awkward_course(tmp_path, ["-dash.txt"])
    result = make("budget", slides, LESSON="-dash.txt", ARGS="--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"lesson": "-dash"' in result.stdout


@pytest.mark.parametrize("name", AWKWARD)
def test_make_storyboard_takes_any_lesson_file_name(tmp_path, name):
    slides = awkward_course(tmp_path, [name])
    result = make("storyboard", tmp_path, LESSON=f"slides/{name}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (slides / f"{Path(name).stem}.storyboard.yaml").is_file()


def test_make_storyboard_without_a_lesson_writes_one_for_every_lesson(tmp_path):
    slides = awkward_course(tmp_path, AWKWARD)
    result = make("storyboard", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in slides.glob("*.storyboard.yaml")) == sorted(
        f"{Path(name).stem}.storyboard.yaml" for name in AWKWARD
    )


def test_make_passes_the_voice_intact(tmp_path):
    awkward_course(tmp_path, ["a.txt"])
    voice = 'no such "voice" it\'s $HOME'
    result = make("video", tmp_path, LESSON="slides/a.txt", VOICE=voice)
    assert result.returncode != 0
    assert f"unknown speech engine {voice!r}" in result.stderr, result.stderr


@pytest.mark.parametrize("folder", ["50%d off", "a %03d b", "100% sure"])
def test_a_slide_picture_whose_path_holds_a_percent_sign_is_encoded(tmp_path, folder):
    # ffmpeg's image reader takes "%d" in a file name for a frame-number pattern unless told not to.
    frame = tmp_path / folder / "frames" / "01.png"
    frame.parent.mkdir(parents=True)
    Image.new("RGB", (1920, 1080), (200, 30, 30)).save(frame)
    gop, encoded = video.encoded_picture(frame, tmp_path / "work")
    assert encoded and gop.stat().st_size > 0
