"""Every output through a validator nobody here wrote (see ``support/validators.py``), and each
validator shown failing on a deliberately broken file, so these tests cannot pass vacuously.

Decks, captions and review pages of every corpus lesson are made without audio: decks as
``test_corpus.py`` builds them, captions from made-up sentence timings, pages from those timings.
One real build of the sample lesson adds the MP4 and the pages as the build writes them
(``e2e/test_video_e2e.py``).
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from support.browser import ffmpeg_path
from support.lessons import CORPUS, SAMPLE
from support.validators import (
    axe_file_problems,
    deck_problems,
    html_problems,
    mp4_problems,
    srt_parse,
    srt_problems,
    vtt_problems,
    webvtt_parse,
)

from pipeline import budget as budget_mod
from pipeline.coverage import coverage
from pipeline.deck import build_deck
from pipeline.lesson import read_lesson
from pipeline.media.captions import Cue, make_cues, to_srt, to_vtt
from pipeline.report import IndexEntry, LessonReport, lesson_warnings, render_index, render_lesson_report
from pipeline.storyboard import plan
from pipeline.text import count_words, split_sentences
from pipeline.theme import load_theme

LESSONS = [SAMPLE, *sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))]
WORDS_PER_SECOND = 2.5  # 150 wpm
PAUSE_S = 0.3
# Cue text that WebVTT must escape, and a word longer than a caption line.
HOSTILE = "Type <b>bold</b> & watch --> arrows, 1 < 2 > 0, &amp; stays literal: " + "x" * 50 + "."


@dataclass(frozen=True, slots=True)
class Made:
    """One lesson's outputs made without audio, and the cues its captions were written from."""

    folder: Path
    cues: tuple[Cue, ...] = field(repr=False)


def made_up_timeline(narrations: list[str]) -> tuple[list[tuple[str, float, float]], list[float]]:
    """Sentence timings as a 150 wpm voice with short pauses would give them, and each slide's length."""
    sentences, lengths = [], []
    t = 0.0
    for narration in narrations:
        start = t
        for sentence in split_sentences(narration):
            length = max(count_words(sentence), 1) / WORDS_PER_SECOND
            sentences.append((sentence, t, t + length))
            t += length + PAUSE_S
        t = max(t, start + 1.0)
        lengths.append(t - start)
    return sentences, lengths


def write_captions(folder: Path, sentences: list[tuple[str, float, float]]) -> tuple[Cue, ...]:
    cues = make_cues(sentences)
    (folder / "captions.vtt").write_text(to_vtt(cues), encoding="utf-8")
    (folder / "captions.srt").write_text(to_srt(cues), encoding="utf-8")
    return cues


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Made]:
    """Every corpus lesson (and the sample) in ``build/<stem>/``: deck, captions, small frames and
    ``report.html``; ``build/index.html`` lists them all and a failed lesson."""
    build = tmp_path_factory.mktemp("build")
    theme = load_theme()
    made, reports = {}, []
    for path in LESSONS:
        lesson = read_lesson(path)
        storyboard = plan(lesson)
        folder = build / storyboard.stem
        folder.mkdir()
        deck = build_deck(storyboard, theme, folder / "deck.pptx")
        sentences, lengths = made_up_timeline([s.narration for s in storyboard.slides])
        cues = write_captions(folder, sentences)
        (folder / "frames").mkdir()
        for slide in storyboard.slides:
            Image.new("RGB", (160, 90), "#1f4e9c").save(folder / "frames" / f"{slide.n:02d}.png")
        budget = budget_mod.with_audio(budget_mod.estimate(storyboard), lengths)
        report = LessonReport(
            storyboard=storyboard,
            budget=budget,
            coverage=coverage(lesson, storyboard),
            warnings=lesson_warnings(storyboard, budget, deck.warnings),
            files=("deck.pptx", "video.mp4", "captions.vtt", "captions.srt", "timing.json"),
            frames=tuple(f"frames/{s.n:02d}.png" for s in storyboard.slides),
            build_seconds=12.5,
        )
        render_lesson_report(report, folder)
        reports.append(report)
        made[path.name] = Made(folder, cues)
    hostile = build / "hostile"
    hostile.mkdir()
    made["hostile"] = Made(hostile, write_captions(hostile, [(HOSTILE, 0.0, 8.0), ("Next.", 8.5, 9.5)]))
    failed = IndexEntry(
        stem="L9.9-broken", code="L9.9", title="Broken <b>", status="failed", error="x.txt:3: bad & <i>"
    )
    render_index([*reports, failed], build)
    return made


def replace_in_zip(src: Path, dst: Path, member: str, old: str, new: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == member:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)


# --- decks: openxml-audit -------------------------------------------------------------------


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_every_corpus_deck_passes_the_open_xml_validator(corpus: dict[str, Made], lesson: str) -> None:
    assert deck_problems(corpus[lesson].folder / "deck.pptx") == []


def test_the_open_xml_validator_rejects_a_deck_with_a_corrupt_element(corpus: dict[str, Made], tmp_path: Path) -> None:
    broken = tmp_path / "broken.pptx"
    replace_in_zip(
        corpus[SAMPLE.name].folder / "deck.pptx", broken, "ppt/slides/slide2.xml", "<a:bodyPr", "<a:bogus/><a:bodyPr"
    )

    problems = deck_problems(broken)

    assert problems and all(p.startswith("/ppt/slides/slide2.xml ") for p in problems), problems
    assert any("'bogus'" in p for p in problems), problems


# --- captions: the W3C WebVTT parser and the srt package ---------------------------------------


def test_every_corpus_lessons_captions_pass_the_w3c_webvtt_parser_as_written(corpus: dict[str, Made]) -> None:
    parsed = webvtt_parse([m.folder / "captions.vtt" for m in corpus.values()])

    assert [e for errors, _ in parsed.values() for e in errors] == []
    for made in corpus.values():
        _, cues = parsed[made.folder / "captions.vtt"]
        # The parser reads back exactly the text and times we meant: escaping loses nothing.
        assert [(c.start, c.end, c.text) for c in cues] == [(c.start_s, c.end_s, "\n".join(c.lines)) for c in made.cues]


def test_every_corpus_lessons_srt_captions_pass_the_srt_parser_and_match_the_webvtt(corpus: dict[str, Made]) -> None:
    parsed = webvtt_parse([m.folder / "captions.vtt" for m in corpus.values()])
    for made in corpus.values():
        problems, cues = srt_parse(made.folder / "captions.srt")
        assert problems == []
        assert cues == parsed[made.folder / "captions.vtt"][1]


def test_the_webvtt_parser_rejects_a_bad_timestamp_and_an_unescaped_tag(tmp_path: Path) -> None:
    broken = tmp_path / "broken.vtt"
    broken.write_text("WEBVTT\n\n1\n00:00:01.5 --> 00:00:02.000\nHello\n\n2\n00:00:03.000 --> 00:00:04.000\na <b c\n")

    problems = vtt_problems(broken)

    assert any(p.startswith("broken.vtt:4:") for p in problems), problems  # the timestamp
    assert len(problems) >= 2, problems


def test_the_srt_parser_rejects_a_bad_timing_line_first_or_later(tmp_path: Path) -> None:
    first, later = tmp_path / "first.srt", tmp_path / "later.srt"
    first.write_text("1\n00:00:01,000 -> 00:00:02,000\nHello\n")
    later.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:xx,000 --> 00:00:04,000\nWorld\n")

    assert any("unmatched content" in p for p in srt_problems(first)), srt_problems(first)
    assert any("block 1 runs on" in p for p in srt_problems(later)), srt_problems(later)


# --- review pages: the Nu HTML Checker and axe-core ---------------------------------------------


def test_every_corpus_review_page_and_the_index_pass_the_nu_html_checker(corpus: dict[str, Made]) -> None:
    pages = [m.folder / "report.html" for m in corpus.values() if (m.folder / "report.html").is_file()]
    assert len(pages) == len(LESSONS)

    assert html_problems(*pages, pages[0].parent.parent / "index.html") == []


def test_the_nu_html_checker_rejects_an_unclosed_element_and_a_duplicate_id(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><main><p id="a">one</p><p id="a">two</p><span><div>three</div></main></body></html>\n'
    )

    problems = html_problems(page)

    assert any("Duplicate ID" in p for p in problems), problems
    assert any("Unclosed element" in p or "end tag" in p.lower() for p in problems), problems


def test_every_corpus_review_page_and_the_index_have_no_serious_accessibility_violations(
    corpus: dict[str, Made], browser: Any
) -> None:
    pages = [m.folder / "report.html" for m in corpus.values() if (m.folder / "report.html").is_file()]
    problems = [p for page in [*pages, pages[0].parent.parent / "index.html"] for p in axe_file_problems(browser, page)]

    assert problems == []


def test_axe_rejects_an_image_without_alt_text_and_grey_on_grey_text(browser: Any, tmp_path: Path) -> None:
    Image.new("RGB", (16, 9), "red").save(tmp_path / "a.png")
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main>'
        '<img src="a.png"><p style="color: #999; background: #aaa">hard to read</p></main></body></html>\n'
    )

    problems = axe_file_problems(browser, page)

    assert any("image-alt (critical)" in p for p in problems), problems
    assert any("color-contrast (serious)" in p for p in problems), problems


# --- video: hachoir -----------------------------------------------------------------------------


def tiny_mp4(folder: Path, name: str, *, faststart: bool, subtitles: bool, chapters: bool) -> Path:
    """A two-second 64x36 H.264 + AAC MP4, with a mov_text subtitle track and two chapters when asked."""
    srt = folder / "tiny.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nHello\n", encoding="utf-8")
    meta = folder / "chapters.txt"
    meta.write_text(
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=One\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=Two\n",
        encoding="utf-8",
    )
    cmd = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
           "color=c=blue:s=64x36:r=10:d=2", "-f", "lavfi", "-i", "sine=d=2:sample_rate=48000"]  # fmt: skip
    maps = ["-map", "0:v", "-map", "1:a"]
    inputs = 2
    if subtitles:
        cmd += ["-i", str(srt)]
        maps += ["-map", f"{inputs}:s", "-c:s", "mov_text"]
        inputs += 1
    if chapters:
        cmd += ["-i", str(meta)]
        maps += ["-map_chapters", f"{inputs}"]
    else:
        maps += ["-map_chapters", "-1"]
    out = folder / name
    cmd += [*maps, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "2"]
    cmd += [*(["-movflags", "+faststart"] if faststart else []), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    return out


def test_the_mp4_parser_accepts_a_faststart_file_with_subtitles_and_chapters(tmp_path: Path) -> None:
    good = tiny_mp4(tmp_path, "good.mp4", faststart=True, subtitles=True, chapters=True)

    assert mp4_problems(good, chapters=2) == []


def test_the_mp4_parser_rejects_moov_after_mdat(tmp_path: Path) -> None:
    late = tiny_mp4(tmp_path, "late.mp4", faststart=False, subtitles=True, chapters=True)

    problems = mp4_problems(late, chapters=2)

    assert len(problems) == 1 and "'moov' comes after 'mdat'" in problems[0], problems


def test_the_mp4_parser_rejects_a_file_without_subtitle_and_chapter_tracks(tmp_path: Path) -> None:
    bare = tiny_mp4(tmp_path, "bare.mp4", faststart=True, subtitles=False, chapters=False)

    problems = mp4_problems(bare)

    assert any("a subtitle track" in p for p in problems) and any("a chapter track" in p for p in problems), problems
