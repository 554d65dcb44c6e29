"""One real build of the sample lesson through the validators nobody here wrote (see
``support/validators.py``): the deck, captions, pages and MP4 as ``python -m pipeline video``
writes them. Each validator is shown failing on a broken file in ``integration/test_validators.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.builds import run_pipeline
from support.lessons import SAMPLE, sample_course
from support.validators import axe_file_problems, deck_problems, html_problems, mp4_problems, srt_parse, webvtt_parse

from pipeline.lesson import read_lesson
from pipeline.storyboard import plan

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``build/`` of a cold ``python -m pipeline video`` of the sample lesson (default voice)."""
    root = tmp_path_factory.mktemp("course")
    result = run_pipeline("video", "--slides", sample_course(root), "--build", root / "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "build"


def test_the_built_deck_passes_the_open_xml_validator(built: Path) -> None:
    assert deck_problems(built / SAMPLE.stem / "deck.pptx") == []


def test_the_built_captions_pass_the_webvtt_and_srt_parsers_and_agree(built: Path) -> None:
    vtt, srt = built / SAMPLE.stem / "captions.vtt", built / SAMPLE.stem / "captions.srt"
    errors, vtt_cues = webvtt_parse([vtt])[vtt]
    problems, srt_cues = srt_parse(srt)

    assert errors == [] and problems == []
    assert vtt_cues and vtt_cues == srt_cues


def test_the_built_review_page_and_index_pass_the_nu_html_checker(built: Path) -> None:
    assert html_problems(built / SAMPLE.stem / "report.html", built / "index.html") == []


def test_the_built_review_page_and_index_have_no_serious_accessibility_violations(built: Path, browser: Any) -> None:
    problems = [
        *axe_file_problems(browser, built / SAMPLE.stem / "report.html"),
        *axe_file_problems(browser, built / "index.html"),
    ]

    assert problems == []


def test_the_built_video_has_moov_first_a_subtitle_track_and_a_chapter_per_slide(built: Path) -> None:
    slides = len(plan(read_lesson(SAMPLE)).slides)

    assert mp4_problems(built / SAMPLE.stem / "video.mp4", chapters=slides) == []
