"""End-to-end: builds after edits are incremental, and what they leave is exactly what a cold build
of the edited lesson writes: frames, audio, captions, timing, deck PDF and video, byte for byte."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support.builds import run_pipeline
from support.lessons import small_lesson, write_course

pytestmark = pytest.mark.e2e

SLIDES = [
    ("Opening", "Welcome to a short lesson. It has three slides."),
    ("Three checks", "First, check the budget. Second, check the voice. Finally, check the video."),
    ("Close", "That is all for now. See you in the next lesson."),
]
OUTLINE = [
    "- Opening — title.",
    "- Three checks — three-bullet list.",
    '- Close — pull-quote: "See you in the next lesson."',
]
# A sentence that is not on screen: slide 3 shows its quote, whatever else the narration says.
EDITED_SENTENCE = [*SLIDES[:2], (SLIDES[2][0], SLIDES[2][1].replace("for now", "for today"))]
# On screen: slide 2's title; then a slide added too.
EDITED_TITLE = [SLIDES[0], ("Three quick checks", SLIDES[1][1]), EDITED_SENTENCE[2]]
EDITED_SCREEN = [*EDITED_TITLE, ("Next", "Next lesson: storyboards.")]
# One fixed modification time for every version of the lesson: the deck is dated by it, and a
# cold build and an incremental one must agree on the date to agree on the bytes.
MTIME_NS = 1_700_000_000 * 10**9

# Everything a reviewer receives, except what is expected to differ (the report's build time).
COMPARED = ("deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "timing.json", "contact-sheet.png")


def write_version(course: Path, slides: list[tuple[str, str]]) -> Path:
    outline = OUTLINE + [f"- {title} — statement." for title, _ in slides[len(OUTLINE) :]]
    (lesson,) = write_course(course, {"T1.1-edits.txt": small_lesson(slides, outline=outline)})
    os.utime(lesson, ns=(MTIME_NS, MTIME_NS))
    return lesson


def outputs(course: Path) -> dict[str, bytes]:
    out = course / "build" / "T1.1-edits"
    files = [out / name for name in COMPARED] + sorted((out / "frames").glob("*.png"))
    files += sorted((out / "steps").glob("*/frames/*.png"))
    files += sorted((out / "audio").glob("*.wav"))
    return {str(f.relative_to(out)): f.read_bytes() for f in files}


def build(course: Path, lesson: Path, *options: str) -> str:
    # Not heard: what is compared is pictures, sound and text; the check has tests of its own.
    result = run_pipeline("-v", "video", lesson, "--build", course / "build", *options, "--no-hearing", cwd=course)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_sequence_of_incremental_builds_ends_where_a_cold_build_of_the_last_version_does(tmp_path: Path) -> None:
    edited = tmp_path / "edited"
    build(edited, write_version(edited, SLIDES))

    assert "decoding all" in build(edited, write_version(edited, SLIDES), "--force", "--verify", "full")
    log = build(edited, write_version(edited, EDITED_SENTENCE))
    assert "reusing frames" in log  # a narration edit renders nothing again
    # ... and decodes the audio, a second around each picture change (two slide changes, slide 2's
    # two builds) and the video's ends, not every picture again.
    decoded = re.search(r"verify: probing video.mp4 and decoding (\d+) s of (\d+) s", log)
    assert decoded and int(decoded[1]) <= 6 < 12 <= int(decoded[2]), log
    cold = tmp_path / "cold-sentence"
    build(cold, write_version(cold, EDITED_SENTENCE))
    assert outputs(edited) == outputs(cold)

    log = build(edited, write_version(edited, EDITED_TITLE))
    # The deck is rendered again, but only slide 2's page is rasterised again: the other frames
    # are kept, and must be what a cold build draws.
    assert "rendered 3 frames" in log and "(1 rasterised again)" in log, log
    cold = tmp_path / "cold-title"
    build(cold, write_version(cold, EDITED_TITLE))
    assert outputs(edited) == outputs(cold)

    log = build(edited, write_version(edited, EDITED_SCREEN))
    assert "1 synthesized" in log  # only the new slide's sentence is spoken afresh
    cold = tmp_path / "cold-screen"
    build(cold, write_version(cold, EDITED_SCREEN))
    incremental, fresh = outputs(edited), outputs(cold)
    assert sorted(incremental) == sorted(fresh)
    differing = [name for name in fresh if incremental[name] != fresh[name]]
    assert not differing
