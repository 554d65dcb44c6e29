"""The review pages: what they show, that lesson text stays text, and that they work in a real browser."""

from __future__ import annotations

import base64
import html.parser
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support.browser import serve, vtt_text, write_frames, write_video
from support.lessons import ROOT, SAMPLE, small_lesson, write_lesson

from pipeline import budget as budget_mod
from pipeline.coverage import coverage
from pipeline.lesson import read_lesson
from pipeline.model import Storyboard
from pipeline.report import (
    IndexEntry,
    LessonReport,
    frames_in,
    index_html,
    lesson_warnings,
    outputs_in,
    render_index,
    render_lesson_report,
    report_html,
)
from pipeline.storyboard import plan

SCREENSHOTS = ROOT / "build" / "screenshots"
SLIDE_SECONDS = 2.0
XSS = "<script>alert(1)</script>"

LESSON = small_lesson(
    [
        ("Title", "Fine-tuning risks. Two minutes."),
        ("Why it matters", "Finetuning on harmful data removes the safety training.\n\nIt is cheap: a few dollars."),
        ("Defenses", "Audit the datasets. Evaluate the models before release."),
    ]
).replace(
    "Video script",
    "Key terms¶\n- Fine-tuning — further training.\n- Data poisoning — training on bad data.\n"
    "Quiz items¶\n- Q: Name two defenses. A: Audit the datasets; evaluate the models, or retrain from scratch.\n"
    "Video script",
)


def _report(storyboard: Storyboard, *, audio: bool = True, files: tuple[str, ...] = (), **kwargs: Any) -> LessonReport:
    budget = budget_mod.estimate(storyboard)
    if audio:
        budget = budget_mod.with_audio(budget, [SLIDE_SECONDS] * len(storyboard.slides))
    return LessonReport(storyboard=storyboard, budget=budget, files=files, **kwargs)


@pytest.fixture
def lesson_report(tmp_path: Path) -> LessonReport:
    lesson = read_lesson(write_lesson(tmp_path, "T1.1-small.txt", LESSON))
    storyboard = plan(lesson)
    budget = budget_mod.with_audio(budget_mod.estimate(storyboard), [SLIDE_SECONDS] * len(storyboard.slides))
    return LessonReport(
        storyboard=storyboard,
        budget=budget,
        coverage=coverage(lesson, storyboard),
        warnings=(*lesson_warnings(storyboard, budget), "slide 3: text shrunk to 18 pt"),
        files=("deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "contact-sheet.png"),
        frames=("frames/01.png", "frames/02.png", "frames/03.png"),
        build_seconds=12.5,
    )


class _Elements(html.parser.HTMLParser):
    """Tags and their attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


# --- what the pages say ---------------------------------------------------------------------


def test_a_script_tag_in_the_lesson_title_and_narration_is_shown_as_text(lesson_report: LessonReport) -> None:
    storyboard = lesson_report.storyboard
    slides = (
        replace(storyboard.slides[0], title=f"Intro {XSS}", narration=f"Say {XSS} aloud."),
        *storyboard.slides[1:],
    )
    hostile = replace(lesson_report, storyboard=replace(storyboard, title=f"Lesson {XSS}", slides=slides))

    for page in (report_html(hostile), index_html([hostile])):
        assert XSS not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        scripts = [attrs for tag, attrs in _elements(page) if tag == "script"]
        assert len(scripts) <= 1  # only the report's own chapter script


def test_the_report_has_a_video_with_a_default_english_captions_track(lesson_report: LessonReport) -> None:
    tags = _elements(report_html(lesson_report))

    video = next(attrs for tag, attrs in tags if tag == "video")
    track = next(attrs for tag, attrs in tags if tag == "track")
    assert video["src"] == "video.mp4" and video["preload"] == "metadata" and "controls" in video
    assert track["kind"] == "captions" and track["srclang"] == "en" and "default" in track


def test_small_captions_are_inlined_so_the_page_plays_them_from_disk(
    lesson_report: LessonReport, tmp_path: Path
) -> None:
    vtt = vtt_text([(0.0, 1.5, "Fine-tuning risks.")])
    (tmp_path / "captions.vtt").write_text(vtt, encoding="utf-8")

    tags = _elements(report_html(lesson_report, captions_file=tmp_path / "captions.vtt"))

    src = next(attrs for tag, attrs in tags if tag == "track")["src"] or ""
    assert src.startswith("data:text/vtt;")
    assert base64.b64decode(src.split(",", 1)[1]).decode("utf-8") == vtt


def test_every_slide_is_a_chapter_starting_where_its_narration_starts(lesson_report: LessonReport) -> None:
    chapters = [
        attrs for tag, attrs in _elements(report_html(lesson_report)) if "chapter" in (attrs.get("class") or "").split()
    ]

    assert [a["data-slide"] for a in chapters] == ["1", "2", "3"]
    assert [float(a["data-start"] or "") for a in chapters] == [0.0, 2.0, 4.0]
    assert chapters[1]["href"] == "video.mp4#t=2"  # a media fragment still seeks without script


def test_without_narration_the_report_says_so_and_estimates_the_chapter_starts(lesson_report: LessonReport) -> None:
    unmeasured = replace(lesson_report, budget=budget_mod.estimate(lesson_report.storyboard), files=("deck.pptx",))

    page = report_html(unmeasured)

    assert "<video" not in page and "make video" in page
    assert "Start times are estimates" in page
    assert "estimated at 150 wpm" in page


def test_speaker_notes_keep_their_paragraph_breaks(lesson_report: LessonReport) -> None:
    page = report_html(lesson_report)

    assert "<p>Finetuning on harmful data removes the safety training.</p>" in page
    assert "<p>It is cheap: a few dollars.</p>" in page


def test_every_warning_and_failed_check_is_shown(lesson_report: LessonReport) -> None:
    failing = replace(lesson_report, problems=("video lasts 7.00 s but the narration 6.00 s",))

    page = report_html(failing)

    assert "slide 3: text shrunk to 18 pt" in page
    assert "slide 2: the direction asks for 3 items; the lesson gives 2" in page
    assert "fails 1 check" in page and "video lasts 7.00 s" in page


def test_the_coverage_table_marks_what_the_narration_does_not_say(lesson_report: LessonReport) -> None:
    page = report_html(lesson_report)

    assert "Key terms" in page and "Name two defenses." in page
    covered = page.split('<tr class="covered">')
    uncovered = page.split('<tr class="uncovered">')
    assert any("Fine-tuning" in row.split("</tr>")[0] for row in covered[1:])
    assert any("Data poisoning" in row.split("</tr>")[0] for row in uncovered[1:])
    assert any("retrain from scratch" in row.split("</tr>")[0] for row in uncovered[1:])


def test_the_report_links_only_the_downloads_that_exist(lesson_report: LessonReport) -> None:
    links = {
        attrs["href"] for tag, attrs in _elements(report_html(lesson_report)) if tag == "a" and "download" in attrs
    }

    assert links == {"deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "contact-sheet.png"}


def test_the_timing_bar_marks_the_target_and_the_cap(lesson_report: LessonReport) -> None:
    page = report_html(lesson_report)

    assert 'class="mark mark-target"' in page and "target 1:00" in page
    assert 'class="mark mark-cap"' in page and "cap 2:00" in page


def test_the_index_lists_each_lesson_with_its_status_duration_and_links(lesson_report: LessonReport) -> None:
    failed = IndexEntry(stem="T9.9-broken", code="T9.9", title="Broken", status="failed", error="ffmpeg failed")

    page = index_html([lesson_report, failed])

    hrefs = [attrs["href"] for tag, attrs in _elements(page) if tag == "a"]
    assert "T1.1-small/report.html" in hrefs and "T1.1-small/video.mp4" in hrefs
    assert "T1.1-small/captions.vtt" in hrefs and "T1.1-small/deck.pdf" in hrefs
    assert not any(h and h.startswith("T9.9-broken/") for h in hrefs)  # nothing to link for a failed build
    assert "under target" in page  # 6 s against a 1 min target
    assert "failed" in page and "ffmpeg failed" in page
    assert "0:06" in page and "target 1:00" in page and "cap 2:00" in page
    assert "12.5 s" in page


def test_render_writes_the_pages_where_the_build_expects_them(lesson_report: LessonReport, tmp_path: Path) -> None:
    lesson_dir = tmp_path / "build" / "T1.1-small"

    report_path = render_lesson_report(lesson_report, lesson_dir)
    index_path = render_index([lesson_report], tmp_path / "build")

    assert report_path == lesson_dir / "report.html" and report_path.read_text(encoding="utf-8").startswith("<!doctype")
    assert index_path == tmp_path / "build" / "index.html"
    assert sorted(p.name for p in lesson_dir.iterdir()) == ["report.html"]  # no temporary files left behind


def test_the_index_keeps_a_failed_lesson_until_it_builds_again(lesson_report: LessonReport, tmp_path: Path) -> None:
    from pipeline.build import LessonBuild, Outcome, write_index

    build = tmp_path / "build"
    broken = tmp_path / "slides" / "T9.9-broken.txt"
    failed = Outcome(broken, None, f"{broken}:3: malformed slide marker <b>", 2)
    page = write_index(build, [failed]).read_text(encoding="utf-8")
    assert 'id="lesson-T9.9-broken"' in page and "T9.9-broken.txt:3: malformed slide marker &lt;b&gt;" in page

    # A later run of other lessons still shows it…
    assert 'id="lesson-T9.9-broken"' in write_index(build, []).read_text(encoding="utf-8")
    # …until it builds.
    built = LessonBuild("T9.9-broken", build / "T9.9-broken", lesson_report.budget, (), (), 1.0)
    assert "T9.9-broken" not in write_index(build, [Outcome(broken, built)]).read_text(encoding="utf-8")


def test_outputs_and_frames_are_found_in_the_lesson_folder(tmp_path: Path) -> None:
    for name in ("deck.pptx", "video.mp4", "captions.vtt", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    write_frames(tmp_path, ["a"] * 11)

    assert outputs_in(tmp_path) == ("deck.pptx", "video.mp4", "captions.vtt")
    assert frames_in(tmp_path)[:2] == ("frames/01.png", "frames/02.png")
    assert frames_in(tmp_path)[-1] == "frames/11.png"
    assert frames_in(tmp_path / "missing") == ()


def test_the_real_sample_lesson_renders(tmp_path: Path) -> None:
    lesson = read_lesson(SAMPLE)
    storyboard = plan(lesson)
    report = _report(storyboard, coverage=coverage(lesson, storyboard))

    page = report_html(report)

    assert "Harmful fine-tuning and alignment removal" in page
    assert page.count('class="slide"') == len(storyboard.slides)
    assert "LoRA-rank defensive choice" in page


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, LessonReport]]:
    """A served build folder: index.html and one lesson with a real MP4, captions and frames."""
    build = tmp_path_factory.mktemp("build")
    lesson = read_lesson(write_lesson(tmp_path_factory.mktemp("slides"), "T1.1-small.txt", LESSON))
    storyboard = plan(lesson)
    out = build / storyboard.stem
    frames = write_frames(out, [s.title for s in storyboard.slides])
    write_video(frames, SLIDE_SECONDS, out / "video.mp4")
    (out / "captions.vtt").write_text(
        vtt_text([(0.0, 1.8, "Fine-tuning risks."), (2.0, 3.8, "Finetuning on harmful data"), (4.0, 5.8, "Audit.")]),
        encoding="utf-8",
    )
    shutil.copy(frames[0], out / "contact-sheet.png")
    budget = budget_mod.with_audio(budget_mod.estimate(storyboard), [SLIDE_SECONDS] * len(storyboard.slides))
    report = LessonReport(
        storyboard=storyboard,
        budget=budget,
        coverage=coverage(lesson, storyboard),
        warnings=(*lesson_warnings(storyboard, budget), "slide 3: text shrunk to 18 pt"),
        files=outputs_in(out),
        frames=frames_in(out),
        build_seconds=3.2,
    )
    render_lesson_report(report, out)
    render_index([report], build)
    with serve(build) as url:
        yield url, build, report


def _open(browser: Any, url: str) -> tuple[Any, list[str]]:
    """A page at ``url`` and the list its console errors and uncaught exceptions go into."""
    errors: list[str] = []
    page = browser.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A media element aborts its own download once it has what it needs (preload="metadata"): not an error.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED" and request.resource_type == "media"
            else errors.append(f"request failed: {request.url} ({request.failure})")
        ),
    )
    page.goto(url, wait_until="load")
    return page, errors


def _screenshot(page: Any, name: str, tmp_path: Path) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / name), full_page=True)
    shutil.copy(tmp_path / name, SCREENSHOTS / name)


def _wait_for_metadata(page: Any) -> float:
    page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=10_000)
    return float(page.evaluate("document.getElementById('video').duration"))


def _cue_count(page: Any) -> int:
    page.evaluate("document.getElementById('video').textTracks[0].mode = 'showing'")
    page.wait_for_function(
        "(() => { const t = document.getElementById('video').textTracks[0]; return t.cues && t.cues.length > 0; })()",
        timeout=10_000,
    )
    return int(page.evaluate("document.getElementById('video').textTracks[0].cues.length"))


def test_the_served_report_loads_its_video_and_captions_without_errors(
    site: tuple[str, Path, LessonReport], browser: Any, tmp_path: Path
) -> None:
    url, _, report = site
    page, errors = _open(browser, f"{url}/{report.storyboard.stem}/report.html")

    duration = _wait_for_metadata(page)
    cues = _cue_count(page)
    # The thumbnails load lazily; load them all for a full-page screenshot.
    page.evaluate("document.querySelectorAll('img').forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("Array.from(document.images).every(img => img.complete && img.naturalWidth > 0)")
    _screenshot(page, "report.png", tmp_path)
    page.set_viewport_size({"width": 420, "height": 900})
    _screenshot(page, "report-narrow.png", tmp_path)

    assert duration == pytest.approx(3 * SLIDE_SECONDS, abs=0.1)
    assert cues == 3
    assert errors == []


def test_clicking_a_chapter_seeks_the_video_to_that_slide(site: tuple[str, Path, LessonReport], browser: Any) -> None:
    url, _, report = site
    page, errors = _open(browser, f"{url}/{report.storyboard.stem}/report.html")
    _wait_for_metadata(page)

    page.click("a.chapter[data-slide='3']")
    page.wait_for_function("!document.getElementById('video').seeking", timeout=10_000)
    page.evaluate("document.getElementById('video').pause()")
    position = float(page.evaluate("document.getElementById('video').currentTime"))
    current = page.get_attribute("a.chapter[aria-current='true']", "data-slide")

    assert 2 * SLIDE_SECONDS <= position < 2 * SLIDE_SECONDS + 1.0
    assert current == "3"
    assert errors == []


def test_the_report_opened_from_disk_still_has_captions_and_chapters(
    site: tuple[str, Path, LessonReport], browser: Any
) -> None:
    _, build, report = site
    page, errors = _open(browser, (build / report.storyboard.stem / "report.html").as_uri())
    _wait_for_metadata(page)

    cues = _cue_count(page)
    page.click("a.chapter[data-slide='2']")
    position = float(page.evaluate("document.getElementById('video').currentTime"))

    assert cues == 3
    assert SLIDE_SECONDS <= position < SLIDE_SECONDS + 1.0
    assert errors == []


def test_the_served_index_links_to_the_report(
    site: tuple[str, Path, LessonReport], browser: Any, tmp_path: Path
) -> None:
    url, _, report = site
    page, errors = _open(browser, f"{url}/index.html")
    _screenshot(page, "index.png", tmp_path)
    page.set_viewport_size({"width": 420, "height": 900})
    _screenshot(page, "index-narrow.png", tmp_path)

    page.click(f"text={report.storyboard.title}")
    page.wait_for_load_state("load")

    assert page.url.endswith(f"/{report.storyboard.stem}/report.html")
    assert errors == []


def test_a_lesson_without_a_budget_and_an_empty_index_still_render(lesson_report: LessonReport) -> None:
    storyboard = replace(lesson_report.storyboard, target_s=None, cap_s=None)
    unbudgeted = replace(
        lesson_report, storyboard=storyboard, budget=replace(lesson_report.budget, target_s=None, cap_s=None)
    )

    page = report_html(unbudgeted)

    assert "no budget" in page and 'class="mark' not in page
    assert "No lessons built yet" in index_html([])
