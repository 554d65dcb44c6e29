"""Hostile and broken lessons, interrupted and concurrent builds, and whole courses.

Every lesson here either builds with its text shown literally everywhere (deck, notes,
captions, pages) or fails with ``path:line: message`` and exit status 2; nothing is written
outside ``build/``; a killed build leaves the last good outputs and the next run completes.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pptx import Presentation
from support.builds import PIPELINE_ENV, run_build, run_pipeline, start_build
from support.captions import parse_vtt
from support.decks import page_text
from support.lessons import TWO_SLIDES, small_lesson, write_course
from support.media import decode_errors, duration_s

pytestmark = pytest.mark.e2e


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


# --- broken input: fails fast with path:line and exit 2 -------------------------------------------

BROKEN = {
    "control characters": ("T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\nBell \x07 here.\n", ":4: control character U+0007"),
    "thousands of slides": (
        "T1 — x¶\nVideo script¶\n" + "".join(f"[SLIDE {i} — S]\nWords.\n" for i in range(1, 5001)),
        ":2: 5000 slides; a lesson may have at most 200",
    ),
    "megabytes of text": ("T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\n" + "word " * 600_000, "the limit is 2,000,000"),
    "hours of narration": (
        "T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\n" + "word " * 100_000,
        ":2: the script has 100,000 words",
    ),
    "slide marker with no number": ("T1 — x¶\nVideo script¶\n[SLIDE — A]\nText.\n", ":3: malformed slide marker"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_lessons_fail_fast_with_path_line_and_exit_two(tmp_path, case):
    body, message = BROKEN[case]
    (lesson,) = write_course(tmp_path, {"broken.txt": body})
    started = time.monotonic()
    result = run_pipeline("video", lesson, "--build", tmp_path / "build", cwd=tmp_path)
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{lesson}{message}" in result.stderr if message.startswith(":") else message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "build" / "broken").exists()  # checked before anything is written


@pytest.mark.parametrize("name", ["...txt", "..txt", ".hidden.txt"])
def test_a_lesson_name_that_would_leave_its_folder_is_refused(tmp_path, name):
    # "...txt" has the stem "..", so build/<stem>/ would be the folder above build/.
    root = tmp_path / "course"
    (lesson,) = write_course(root, {name: small_lesson([("A", "Some words here.")])})
    result = run_pipeline("video", lesson, "--build", root / "build", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{lesson}: a lesson's file name must not start with a dot" in result.stderr
    assert "Traceback" not in result.stderr
    written = files_under(tmp_path) - {Path("course/slides") / name}
    assert written == {Path("course/build/index.html"), Path("course/build/.failures.json")}  # listed as failed

    # Found in slides/ rather than named, a dotfile is not taken for a lesson at all.
    result = run_pipeline("budget", "--slides", lesson.parent, cwd=root)
    assert result.returncode == 2 and "no lesson files" in result.stderr, result.stdout + result.stderr


# --- hostile but valid: built with the text shown literally everywhere -----------------------------

MARKUP = '<script>alert("x")</script> & {{ 7*7 }} {% raw %} ]]>'
HOSTILE_NARRATION = [
    ("Markup & <b>bold</b>", f"Authors paste {MARKUP} into scripts. The pipeline must show it as text."),
    ("مرحبا — Café naïve 🚀", "Right to left: مرحبا بالعالم. Combining: Cafe\u0301 nai\u0308ve. Emoji 🚀 too."),
    ("W" * 150, "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 + " is a very long word indeed."),
]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile course")
    name = "-my lesson 'quoted' \"double\" ü.txt"  # a leading dash, spaces, quotes, a non-ASCII letter
    body = small_lesson(HOSTILE_NARRATION, recording="Recording: ~0.5 min. Cap 3.").replace(
        "T1.1 — A small lesson", f"T1.1 — {MARKUP}"
    )
    (lesson,) = write_course(root, {name: body})
    before = files_under(root)
    # Not heard: the English recognizer loses the Arabic and the emoji, slowly (19 s on one CI run) and
    # differently from run to run; the check's own tests cover foreign speech.
    result = run_pipeline("video", "--slides", lesson.parent, "--build", root / "build", "--no-hearing", cwd=root)
    return root, lesson, result, before


def test_a_hostile_lesson_builds(hostile_build):
    _, _, result, _ = hostile_build
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_is_written_outside_build(hostile_build):
    root, _, _, before = hostile_build
    added = files_under(root) - before
    assert added and all(p.parts[0] == "build" for p in added), sorted(added)


def test_hostile_text_appears_literally_in_the_deck_and_its_notes(hostile_build):
    root, lesson, _, _ = hostile_build
    deck = Presentation(str(root / "build" / lesson.stem / "deck.pptx"))
    everything = "\n".join(page_text(slide) for slide in deck.slides)
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    assert MARKUP in everything.replace("\n", " ") or all(part in everything for part in MARKUP.split())
    assert MARKUP in notes
    assert "مرحبا بالعالم" in notes and "Cafe\u0301" in notes and "🚀" in notes
    assert deck.core_properties.title == f"{MARKUP}"


def test_hostile_text_appears_literally_in_the_captions(hostile_build):
    root, lesson, _, _ = hostile_build
    cues = parse_vtt((root / "build" / lesson.stem / "captions.vtt").read_text(encoding="utf-8"))
    text = " ".join(" ".join(c.lines) for c in cues)
    assert " ".join(MARKUP.split()) in text
    assert "مرحبا بالعالم." in text and "🚀" in text


def test_hostile_text_is_escaped_in_the_pages(hostile_build):
    root, lesson, _, _ = hostile_build
    for page in (root / "build" / lesson.stem / "report.html", root / "build" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in html
        assert "&lt;script&gt;alert(" in html
        # The template syntax is shown as written, never evaluated (a duration may well contain "49").
        assert "{{ 7*7 }}" in html and "&amp; 49 " not in html


# --- interrupted builds ------------------------------------------------------------------------------


def kill_when(process: subprocess.Popen[str], marker: str) -> None:
    """SIGKILL the build and everything it started as soon as its progress shows ``marker``."""
    with process:  # closes its pipes
        assert process.stderr is not None
        for line in process.stderr:
            if marker in line:
                os.killpg(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"the build finished before {marker!r}"


@pytest.fixture
def course(tmp_path):
    (lesson,) = write_course(tmp_path, {"kill.txt": TWO_SLIDES})
    return tmp_path, lesson


@pytest.mark.parametrize("stage", ["rendering PDF and frames", "narration [1/2]", "video: assembling"])
def test_a_killed_build_keeps_the_last_good_outputs_and_the_next_run_completes(course, stage):
    root, lesson = course
    out = root / "build" / "kill"
    first = run_build(root, lesson)
    assert first.returncode == 0, first.stderr
    good = {name: digest(out / name) for name in ("deck.pdf", "video.mp4", "timing.json", "captions.vtt")}

    lesson.write_text(lesson.read_text(encoding="utf-8").replace("speaks too.", "speaks once more."), "utf-8")
    kill_when(start_build(root, lesson, "--force"), stage)
    for name, before in good.items():
        # The last good file is untouched, or it was already replaced whole: never half-written.
        if digest(out / name) != before:
            assert run_build(root, lesson).returncode == 0
            break
    else:
        assert all(digest(out / n) == d for n, d in good.items())

    again = run_build(root, lesson)
    assert again.returncode == 0, again.stderr
    assert "speaks once more." in (out / "captions.vtt").read_text(encoding="utf-8")
    assert decode_errors(out / "video.mp4") == ""
    leftovers = [p for p in out.rglob("*") if ".tmp" in p.name]
    assert not leftovers, leftovers


def test_two_builds_of_one_lesson_at_once_both_succeed_and_agree(course):
    root, lesson = course
    a, b = start_build(root, lesson), start_build(root, lesson)
    outs = [p.communicate(timeout=300) for p in (a, b)]
    assert (a.returncode, b.returncode) == (0, 0), outs
    assert any("waiting for another build" in err or "unchanged" in err for _, err in outs)
    out = root / "build" / "kill"
    timing = json.loads((out / "timing.json").read_text())
    assert abs(duration_s(out / "video.mp4") - timing["duration_s"]) < 0.1


def test_a_failing_external_tool_is_a_clear_error_naming_the_tool(course, tmp_path_factory):
    root, lesson = course
    bin_dir = tmp_path_factory.mktemp("bin")
    fake = bin_dir / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'simulated encoder crash' >&2\nexit 1\n")
    fake.chmod(0o755)
    result = run_build(root, lesson, env={**PIPELINE_ENV, "PIPELINE_FFMPEG": str(fake)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "ffmpeg failed (exit 1)" in result.stderr and "simulated encoder crash" in result.stderr
    assert "slide" in result.stderr
    assert "Traceback" not in result.stderr


# --- whole courses -------------------------------------------------------------------------------


def make_course(root: Path, count: int) -> list[Path]:
    """A course of ``count`` small lessons from one template, each with its own words."""
    topics = ["keys", "tokens", "audits", "patches", "backups", "alerts", "logs", "roles", "quotas", "tests"]
    lessons = {}
    for i in range(count):
        topic = topics[i % len(topics)]
        lessons[f"C{i:02d}-{topic}.txt"] = small_lesson([(f"About {topic}", f"Lesson {i} is about {topic}.")])
    return write_course(root, lessons)


def test_a_course_builds_in_parallel_and_reports_every_lesson(tmp_path):
    lessons = make_course(tmp_path, 8)
    write_course(tmp_path, {"Z-broken.txt": "Z1 — Broken¶\nNo script here.\n"})
    options = ("--jobs", "2", "--no-hearing")  # eight lessons: their narration check is tested elsewhere
    result = run_pipeline(
        "video", "--slides", tmp_path / "slides", "--build", tmp_path / "build", *options, cwd=tmp_path
    )
    assert result.returncode == 2, result.stdout + result.stderr  # the broken one fails, after the others
    table = result.stdout[result.stdout.index("lesson  ") :]
    rows = {line.split()[0]: line for line in table.splitlines()[1:] if line.strip() and not line.startswith("review")}
    assert set(rows) == {lesson.stem for lesson in lessons} | {"Z-broken"}
    assert all("failed" not in rows[lesson.stem] for lesson in lessons)
    assert "failed" in rows["Z-broken"]
    assert all((tmp_path / "build" / lesson.stem / "video.mp4").is_file() for lesson in lessons)
    index = (tmp_path / "build" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="lesson-{lesson.stem}"' in index for lesson in lessons)
    assert 'id="lesson-Z-broken"' in index and "Z-broken.txt" in index  # failed, with its error


def test_the_same_course_completes_on_a_local_dask_cluster(tmp_path):
    from distributed import LocalCluster

    from pipeline.build import BuildSettings, build_many

    lessons = make_course(tmp_path, 8)
    # Not heard: the test is about the cluster; the narration check has tests of its own.
    settings = BuildSettings(build_dir=tmp_path / "build", cache_dir=tmp_path / "build" / ".cache", hearing=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        outcomes = build_many(lessons, settings, scheduler=cluster.scheduler_address)
    assert [o.lesson.stem for o in outcomes] == [lesson.stem for lesson in lessons]
    assert all(o.result is not None and not o.result.problems for o in outcomes), [o.error for o in outcomes]
    assert all((tmp_path / "build" / lesson.stem / "video.mp4").is_file() for lesson in lessons)
