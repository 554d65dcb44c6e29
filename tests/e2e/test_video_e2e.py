"""End-to-end: `python -m pipeline video` on the sample lesson, checked with ffprobe and ffmpeg
and through the validators nobody here wrote (see ``support/validators.py``).

These are the suite's full builds (marked ``e2e``). The checks use ffprobe, ffmpeg and the
validators directly, not the pipeline's own verifier, so the product is judged by the tools a
viewer's player uses. Each validator is shown failing on a broken file in
``integration/test_validators.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from support.builds import run_pipeline
from support.captions import parse_srt, parse_vtt
from support.lessons import SAMPLE, sample_course, small_lesson, write_course
from support.media import decode_errors, duration_s, ffprobe, loudness
from support.sync import expected_changes, picture_events
from support.validators import axe_file_problems, deck_problems, html_problems, mp4_problems, srt_parse, webvtt_parse

from pipeline.build import load_storyboard
from pipeline.lesson import read_lesson
from pipeline.storyboard import plan

pytestmark = pytest.mark.e2e
FPS_TOLERANCE_FRAMES = 1


@pytest.fixture(scope="module", params=["pyttsx3", "piper"])
def built(request, tmp_path_factory):
    """A cold build of the sample lesson in a folder of its own (copied, so edits don't touch slides/).

    Once with each speech engine: the neural voice must meet every standard the default one does.
    """
    root = tmp_path_factory.mktemp(f"course-{request.param}")
    slides = sample_course(root)
    result = run_pipeline("video", "--slides", slides, "--build", root / "build", "--voice", request.param, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result, request.param


def out_dir(root: Path) -> Path:
    return root / "build" / SAMPLE.stem


def test_make_video_prints_the_duration_against_target_and_cap(built):
    _, result, _ = built
    assert re.search(r"\d:\d\d \(\d+\.\d s\) against target 4:00, cap 5:00", result.stdout), result.stdout
    assert "Traceback" not in result.stderr
    assert "narration [7/7]" in result.stderr  # progress was shown


def test_the_narration_is_heard_and_no_slide_is_broken_in_either_voice(built):
    """The check ran (every slide has its word error rate), and a good narration stays under the
    thresholds measured for its voice: the recognizer's own errors are not taken for the voice's."""
    root, result, _ = built
    slides = json.loads((out_dir(root) / "timing.json").read_text(encoding="utf-8"))["slides"]
    assert all(s["wer"] is not None and 0 <= s["wer"] < 1 for s in slides), [s["wer"] for s in slides]
    assert "hearing [7/7] slide 7 transcribed" in result.stderr
    page = (out_dir(root) / "report.html").read_text(encoding="utf-8")
    # Nothing broken; a slide may be flagged for a listen now and then: Piper slips differently
    # each run, and its threshold is the corpus's worst slide plus five points.
    assert 'class="verdict-broken"' not in page and "FAIL" not in result.stdout


def test_every_output_of_the_contract_is_written(built):
    root, _, _ = built
    for name in ("deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "timing.json"):
        assert (out_dir(root) / name).is_file(), name
    assert not list(out_dir(root).rglob("*.tmp*")), "temporary files left behind"


def test_the_video_meets_the_delivery_standard(built):
    root, _, _ = built
    video = out_dir(root) / "video.mp4"
    info = ffprobe(video, "-show_streams", "-show_format", "-show_chapters")
    streams = {s["codec_type"]: s for s in info["streams"]}
    v, a, s = streams["video"], streams["audio"], streams["subtitle"]
    assert (v["codec_name"], v["profile"], v["pix_fmt"], v["width"], v["height"]) == (
        "h264",
        "High",
        "yuv420p",
        1920,
        1080,
    )
    assert (a["codec_name"], a["profile"], a["sample_rate"]) == ("aac", "LC", "48000")
    assert s["codec_name"] == "mov_text"
    assert info["format"]["tags"]["title"] == "L4.3.1 — Harmful fine-tuning and alignment removal"
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert titles == [slide.title for slide in plan(read_lesson(SAMPLE)).slides]
    # +faststart: the moov atom comes before mdat.
    head = video.read_bytes()[: 1 << 20]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


def test_the_video_decodes_fully_without_errors(built):
    root, _, _ = built
    assert decode_errors(out_dir(root) / "video.mp4") == ""


def test_timing_json_matches_the_video(built):
    root, _, _ = built
    timing = json.loads((out_dir(root) / "timing.json").read_text())
    assert set(timing) == {"lesson", "target_s", "cap_s", "declared_words", "words", "duration_s", "status", "slides"}
    assert (timing["target_s"], timing["cap_s"], len(timing["slides"])) == (240.0, 300.0, 7)
    assert abs(duration_s(out_dir(root) / "video.mp4") - timing["duration_s"]) < 0.1
    for previous, slide in zip(timing["slides"], timing["slides"][1:], strict=False):
        assert slide["start_s"] == pytest.approx(previous["end_s"], abs=1e-3)
    chapters = ffprobe(out_dir(root) / "video.mp4", "-show_chapters")["chapters"]
    for chapter, slide in zip(chapters, timing["slides"], strict=True):
        assert float(chapter["start_time"]) == pytest.approx(slide["start_s"], abs=0.05)


def test_every_slide_change_and_build_lands_within_one_frame_of_its_narration(built):
    root, _, _ = built
    video = out_dir(root) / "video.mp4"
    fps_text = ffprobe(video, "-show_streams", "-select_streams", "v")["streams"][0]["r_frame_rate"]
    num, den = map(int, fps_text.split("/"))
    events = picture_events(video, num / den)
    expected = expected_changes(load_storyboard(root / "slides" / SAMPLE.name), out_dir(root))
    assert any("brings" in e.what for e in expected), "the sample lesson has builds"
    assert len(events) == len(expected), (events, expected)
    for event, change in zip(events, expected, strict=True):
        assert abs(event - change.at_s) <= FPS_TOLERANCE_FRAMES * den / num + 1e-6, (event, change)


def test_captions_follow_the_rules_and_spell_the_script(built):
    root, _, _ = built
    vtt = parse_vtt((out_dir(root) / "captions.vtt").read_text(encoding="utf-8"))
    srt = parse_srt((out_dir(root) / "captions.srt").read_text(encoding="utf-8"))
    assert [c.lines for c in vtt] == [c.lines for c in srt]
    for cue in vtt:
        assert len(cue.lines) <= 2 and all(len(line) <= 42 for line in cue.lines), cue
        length = cue.end_s - cue.start_s
        assert 1.0 - 1e-3 <= length <= 7.0 + 1e-3, cue
        assert len(" ".join(cue.lines)) / length <= 21, cue
    spoken = " ".join(slide.narration for slide in plan(read_lesson(SAMPLE)).slides).split()
    captioned = " ".join(" ".join(c.lines) for c in vtt).split()
    assert captioned == spoken  # every word, in order, spelled as written (not "Laura" for LoRA)


def test_the_narration_is_normalised_to_the_loudness_standard(built):
    root, _, _ = built
    integrated, true_peak = loudness(out_dir(root) / "video.mp4")
    assert -17.5 <= integrated <= -14.5
    assert true_peak <= -1.0


def test_the_built_deck_passes_the_open_xml_validator(built):
    root, _, _ = built
    assert deck_problems(out_dir(root) / "deck.pptx") == []


def test_the_built_captions_pass_the_webvtt_and_srt_parsers_and_agree(built):
    root, _, _ = built
    vtt, srt = out_dir(root) / "captions.vtt", out_dir(root) / "captions.srt"
    errors, vtt_cues = webvtt_parse([vtt])[vtt]
    problems, srt_cues = srt_parse(srt)

    assert errors == [] and problems == []
    assert vtt_cues and vtt_cues == srt_cues


def test_the_built_review_page_and_index_pass_the_nu_html_checker(built):
    root, _, _ = built
    assert html_problems(out_dir(root) / "report.html", root / "build" / "index.html") == []


def test_the_built_review_page_and_index_have_no_serious_accessibility_violations(built, browser: Any):
    root, _, _ = built
    problems = [
        *axe_file_problems(browser, out_dir(root) / "report.html"),
        *axe_file_problems(browser, root / "build" / "index.html"),
    ]

    assert problems == []


def test_the_built_video_has_moov_first_a_subtitle_track_and_a_chapter_per_slide(built):
    root, _, _ = built
    slides = len(plan(read_lesson(SAMPLE)).slides)

    assert mp4_problems(out_dir(root) / "video.mp4", chapters=slides) == []


def test_a_second_build_with_nothing_changed_rebuilds_nothing(built):
    root, _, engine = built
    video = out_dir(root) / "video.mp4"
    before = {p: p.stat().st_mtime_ns for p in out_dir(root).iterdir() if p.is_file()}
    result = run_pipeline("video", "--slides", root / "slides", "--build", root / "build", "--voice", engine, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "(unchanged)" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in out_dir(root).iterdir() if p.is_file()} == before
    assert video.is_file()


def test_editing_one_slide_re_narrates_only_that_slide(built):
    root, _, engine = built
    lesson = root / "slides" / SAMPLE.name
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(
        text.replace("Five minutes. See you there.", "Five minutes. See you next time."), encoding="utf-8"
    )
    result = run_pipeline("video", "--slides", root / "slides", "--build", root / "build", "--voice", engine, cwd=root)
    assert result.returncode == 0, result.stderr
    synthesized = dict(re.findall(r"slide (\d+): \d+ sentences, (\d+) synthesized", result.stderr))
    assert synthesized == {"1": "0", "2": "0", "3": "0", "4": "0", "5": "0", "6": "0", "7": "1"}, result.stderr
    assert "See you next time." in (out_dir(root) / "captions.vtt").read_text(encoding="utf-8")


def test_a_lesson_over_its_cap_fails_but_keeps_its_files_for_review(tmp_path):
    text = "This lesson runs long. " * 4
    over_cap = small_lesson([("Intro", text), ("More", text)], recording="Recording: ~0.1 min. Cap 0.1.")
    write_course(tmp_path, {"long.txt": over_cap})
    result = run_pipeline("video", "--slides", tmp_path / "slides", "--build", tmp_path / "build", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"FAIL: over the cap by \d+\.\d s; longest slides: \d", result.stdout), result.stdout
    assert (tmp_path / "build" / "long" / "video.mp4").is_file()
    assert json.loads((tmp_path / "build" / "long" / "timing.json").read_text())["status"] == "over_cap"
