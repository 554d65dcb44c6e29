"""End-to-end: a lesson narrated from one take, and the narration check in a whole build.

The take is read by the default voice with known slide and sentence onsets, one sentence read
twice and one skipped, room noise throughout, and written as 44.1 kHz stereo M4A as a recorder
might give it. The build must cut it where each slide's first word starts: the video's pictures
change at the slide starts (full decode) and its voice starts each slide one lead-in later
(decoded soundtrack); each slide lasts as long as its reading in the take; every caption starts
where the voice starts its sentence; the report lists the repeat and the skip. Then: another
lesson's take is refused naming the file; a slide's recording that is another slide's audio
fails the build (exit 3); a lexicon entry that makes the voice say another word shows in the
report at the time it is said.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from support.builds import run_build
from support.captions import parse_vtt
from support.lessons import small_lesson, write_course
from support.narration import require_hearing_extra
from support.sync import Loudness, picture_events
from support.takes import Take, make_take

from pipeline.narration import NarrationSettings
from pipeline.text import split_sentences

pytestmark = pytest.mark.e2e
FPS = 25
ONE_FRAME = 1 / FPS + 1e-6
LEAD_IN_S = NarrationSettings().lead_in_s
SLIDES = [
    ("Why budgets matter", "Every lesson has a budget. The producer checks it first. A lesson over its cap is cut."),
    ("How to measure", "Count the words on each slide. Divide by the speaking rate. Add the pauses between sentences."),
    ("What to do next", "Trim the longest slide first. Then build the video again and watch it."),
]  # fmt: skip
OTHER = [
    ("Passwords", "Passwords should be long rather than complicated. A manager keeps one for every site."),
    ("Second factors", "Turn on a second factor wherever it is offered. Never type a code a link gave you."),
]  # fmt: skip
SENTENCES = [split_sentences(text) for _, text in SLIDES]
REPEAT, SKIP = (1, 1), (2, 1)
LESSON = "T1.1-budgets.txt"


@pytest.fixture(scope="module")
def taken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Take]:
    """The lesson built from its take; the course folder and the take."""
    require_hearing_extra()
    root = tmp_path_factory.mktemp("take")
    (lesson,) = write_course(root, {LESSON: small_lesson(SLIDES)})
    take = make_take(SENTENCES, lesson.parent / lesson.stem / "narration" / "take.m4a", repeat=REPEAT, skip=SKIP)
    done = run_build(root, lesson, hearing=True)
    assert done.returncode == 0, done.stderr + done.stdout
    return root, take


def outputs(root: Path) -> Path:
    return root / "build" / Path(LESSON).stem


def test_the_pictures_change_at_the_slide_starts_and_the_voice_starts_one_lead_in_later(taken):
    root, _ = taken
    out = outputs(root)
    slides = json.loads((out / "timing.json").read_text(encoding="utf-8"))["slides"]
    starts = [s["start_s"] for s in slides]
    changes = picture_events(out / "video.mp4", FPS)
    assert all(any(abs(t - s) <= ONE_FRAME for t in changes) for s in starts[1:]), (changes, starts)
    loudness = Loudness.of(out / "video.mp4")
    onsets = [loudness.onset_near(s + LEAD_IN_S) for s in starts]
    assert all(abs(o - (s + LEAD_IN_S)) <= 0.1 for o, s in zip(onsets, starts, strict=True)), (onsets, starts)


def test_each_slide_lasts_as_long_as_its_reading_in_the_take(taken):
    root, take = taken
    slides = json.loads((outputs(root) / "timing.json").read_text(encoding="utf-8"))["slides"]
    hold = NarrationSettings().hold_s
    for slide, onset, end in zip(slides, take.onsets, take.ends, strict=True):
        # The piece keeps a few hundredths of pause either side of the speech, which the trim
        # then keeps as padding; so within 0.15 s.
        assert slide["audio_s"] == pytest.approx(LEAD_IN_S + (end - onset) + hold, abs=0.15), slide


def test_every_caption_starts_where_the_voice_starts_its_sentence_and_skipped_ones_have_none(taken):
    root, take = taken
    out = outputs(root)
    slides = json.loads((out / "timing.json").read_text(encoding="utf-8"))["slides"]
    cues = parse_vtt((out / "captions.vtt").read_text(encoding="utf-8"))
    texts = [" ".join(c.lines) for c in cues]
    said = [
        (i, j, sentence)
        for i, sentences in enumerate(SENTENCES)
        for j, sentence in enumerate(sentences)
        if (i, j) != SKIP
    ]
    assert texts == [sentence for _, _, sentence in said]  # once each, the repeat included, the skip left out
    for cue, (i, j, _) in zip(cues, said, strict=True):
        expected = slides[i]["start_s"] + LEAD_IN_S + take.sentence_onsets[(i, j)] - take.onsets[i]
        assert cue.start_s == pytest.approx(expected, abs=0.1), (i, j)


def test_the_report_lists_where_the_take_left_the_script_with_times_in_the_video(taken):
    root, take = taken
    out = outputs(root)
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    slides = json.loads((out / "timing.json").read_text(encoding="utf-8"))["slides"]
    repeated = re.search(r'data-start="([\d.]+)">▶ [\d:]+</a>\s*slide <a[^>]*>2</a>: read again', page)
    assert repeated, "the repeat is not listed"
    assert take.first_reading is not None
    first = slides[1]["start_s"] + LEAD_IN_S + take.first_reading[0] - take.onsets[1]
    assert float(repeated.group(1)) == pytest.approx(first, abs=0.2)
    assert f"skipped “{SENTENCES[2][1]}”" in page
    assert "Narrated from one take" in page and "take.m4a" in page
    assert all(s["wer"] is not None for s in slides)


def test_another_lessons_take_is_refused_naming_the_take(tmp_path: Path):
    require_hearing_extra()
    (lesson,) = write_course(tmp_path, {LESSON: small_lesson(SLIDES)})
    take = make_take(
        [split_sentences(text) for _, text in OTHER], lesson.parent / lesson.stem / "narration" / "take.wav"
    )
    done = run_build(tmp_path, lesson, hearing=True)
    assert done.returncode == 2, done.stdout
    assert f"{take.path}: " in done.stderr
    assert "not a reading of this lesson" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (outputs(tmp_path) / "video.mp4").exists()


def test_a_slide_recording_of_another_slides_words_fails_with_exit_3_and_a_misspoken_respelling_shows(tmp_path):
    """One build: slide 1's recording is slide 2's words (broken: exit 3); the lexicon makes the
    voice say "pineapple" for "longest" on slide 3, which the report shows at the time it is said."""
    require_hearing_extra()
    (lesson,) = write_course(tmp_path, {LESSON: small_lesson(SLIDES)})
    make_take([SENTENCES[1]], lesson.parent / lesson.stem / "narration" / "01.wav", channels=1)
    (lesson.parent / "lexicon.yaml").write_text("longest: pineapple\n", encoding="utf-8")
    done = run_build(tmp_path, lesson, hearing=True)
    assert done.returncode == 3, done.stderr + done.stdout
    assert "FAIL: narration of slide 1: it sounds like slide 2's narration" in done.stdout
    out = outputs(tmp_path)
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "it sounds like slide 2" in page
    listed = re.search(
        r'data-start="([\d.]+)">▶ [\d:]+</a>\s*“longest”, respelled “pineapple”, heard as “([^”]+)”', page
    )
    assert listed, "the respelled word is not listed"
    cue = next(
        c for c in parse_vtt((out / "captions.vtt").read_text(encoding="utf-8")) if "longest" in " ".join(c.lines)
    )
    assert cue.start_s <= float(listed.group(1)) <= cue.end_s
