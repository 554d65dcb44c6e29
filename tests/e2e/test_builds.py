"""End-to-end: builds on corpus lessons, in the video and in the self-playing narrated deck.

Three corpus lessons between them have list, step, card, timeline, diagram and table slides, and
a highlight that comes at a sentence of its own. Each
build's picture change is found by decoding every frame and must fall within one frame of the
start of the sentence that cues it (timed by the captions, not by the pipeline's account of its
shots); the narrated deck's timing XML, read back, must give the same times.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from support.builds import run_pipeline
from support.lessons import DATA
from support.media import ffprobe
from support.narrated import odp_pages, slide_effects, to_odp
from support.sync import expected_changes, picture_events
from support.validators import deck_problems

from pipeline.build import load_storyboard

pytestmark = pytest.mark.e2e
LESSONS = (
    "L5.1.2-building-a-red-team-harness.md",
    "L6.1.1-incident-response-for-model-abuse.txt",
    "L2.2.1-indirect-prompt-injection.txt",  # a marked line that turns red when it is read out
)
FPS = 25
ONE_FRAME = 1 / FPS + 1e-6


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both lessons built in one command, builds on (the default)."""
    root = tmp_path_factory.mktemp("builds")
    slides = root / "slides"
    slides.mkdir()
    for name in LESSONS:
        shutil.copy(DATA / "corpus" / name, slides / name)
    # 200 wpm keeps the longer lesson within its cap (at the default pace it runs over, and fails).
    # Not heard: the narration check has tests of its own, and these are about pictures.
    options = ("--jobs", "2", "--wpm", "200", "--no-hearing")
    result = run_pipeline("video", "--slides", slides, "--build", root / "build", *options, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def lesson(root: Path, name: str) -> Path:
    return root / "slides" / name


def out(root: Path, name: str, build: str = "build") -> Path:
    return root / build / Path(name).stem


@pytest.mark.parametrize("name", LESSONS)
def test_each_build_appears_within_one_frame_of_its_sentence(course: Path, name: str) -> None:
    storyboard = load_storyboard(lesson(course, name))
    expected = expected_changes(storyboard, out(course, name))
    events = picture_events(out(course, name) / "video.mp4", FPS)
    # Within one frame, and the 10 ms the voice's onset is measured in.
    assert [round(e, 2) for e in events] == pytest.approx([e.at_s for e in expected], abs=ONE_FRAME + 0.01), (
        events,
        expected,
    )
    chapters = ffprobe(out(course, name) / "video.mp4", "-show_chapters")["chapters"]
    assert len(chapters) == len(storyboard.slides)  # builds add no chapters


def test_list_step_card_timeline_diagram_and_table_slides_all_build(course: Path) -> None:
    built = set()
    for name in LESSONS:
        for slide in load_storyboard(lesson(course, name)).slides:
            if slide.builds and len(set(slide.cues)) > 1:
                built.add(slide.layout)
    assert {"bullets", "steps", "cards", "timeline", "diagram", "table"} <= built, built
    highlights = [s for s in load_storyboard(lesson(course, LESSONS[2])).slides if s.highlight]
    assert [(s.n, s.highlight) for s in highlights] == [(2, 5)]


@pytest.mark.parametrize("name", LESSONS)
def test_the_narrated_deck_reveals_each_unit_at_the_video_s_time(course: Path, name: str) -> None:
    folder = out(course, name)
    storyboard = load_storyboard(lesson(course, name))
    expected = [e for e in expected_changes(storyboard, folder) if "starts" not in e.what]  # builds, highlights
    timing = {s["n"]: s for s in json.loads((folder / "timing.json").read_text())["slides"]}
    prs = Presentation(str(folder / "deck-narrated.pptx"))
    revealed: list[float] = []
    for slide, page in zip(storyboard.slides, prs.slides, strict=True):
        effects = slide_effects(page._element)
        start = timing[slide.n]["start_s"]
        times = sorted({e.delay_ms for e in effects if e.preset_class in ("entr", "exit")})
        revealed += [start + ms / 1000 for ms in times]
        assert all(e.group_starts_with_slide for e in effects), "nothing waits for a click"
        transition = page._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}transition")
        assert transition is not None
        # After the narration, in whole seconds (what LibreOffice keeps of an advance time).
        assert 0 <= int(transition.get("advTm")) - timing[slide.n]["audio_s"] * 1000 < 1000
    assert revealed == pytest.approx([e.at_s for e in expected], abs=ONE_FRAME + 0.01)
    assert deck_problems(folder / "deck-narrated.pptx") == []


def test_the_narrated_deck_carries_aac_narration_and_the_light_deck_none(course: Path, tmp_path: Path) -> None:
    folder = out(course, LESSONS[1])
    with zipfile.ZipFile(folder / "deck-narrated.pptx") as z:
        media = [n for n in z.namelist() if n.startswith("ppt/media/") and n.endswith(".m4a")]
        assert len(media) == len(load_storyboard(lesson(course, LESSONS[1])).slides)
        z.extract(media[0], tmp_path)
    stream = ffprobe(tmp_path / media[0], "-show_streams")["streams"][0]
    assert (stream["codec_name"], stream["profile"], stream["sample_rate"]) == ("aac", "LC", "48000")
    with zipfile.ZipFile(folder / "deck.pptx") as z:
        assert not [n for n in z.namelist() if n.startswith("ppt/media/") and n.endswith(".m4a")]


def test_libreoffice_plays_the_narrated_deck_with_its_sound_and_timed_builds(course: Path, tmp_path: Path) -> None:
    folder = out(course, LESSONS[1])
    pages, files = odp_pages(to_odp(folder / "deck-narrated.pptx", tmp_path))
    prs = Presentation(str(folder / "deck-narrated.pptx"))
    assert len(pages) == len(prs.slides)
    for page, slide in zip(pages, prs.slides, strict=True):
        assert page.transition_type == "automatic"
        assert len(page.media) == 1 and page.media[0] in files
        begins = sorted({round(e[2], 2) for e in page.effects if e[0] in ("entrance", "exit")})
        delays = sorted(
            {round(e.delay_ms / 1000, 2) for e in slide_effects(slide._element) if e.preset_class != "mediacall"}
        )
        assert begins == pytest.approx(delays, abs=0.01)


def test_builds_switched_off_show_whole_slides(course: Path) -> None:
    name = LESSONS[1]
    options = ("--no-builds", "--wpm", "200", "--no-hearing")
    # The same narration as the build with builds on: its cache spares synthesizing it again (the
    # test is about pictures; the narration's reuse is tested elsewhere).
    shutil.copytree(course / "build" / ".cache", course / "off" / ".cache")
    result = run_pipeline("video", lesson(course, name), "--build", course / "off", *options, cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = out(course, name, "off")
    assert not (folder / "steps").exists()
    events = picture_events(folder / "video.mp4", FPS)
    starts = [s.at_s for s in expected_changes(load_storyboard(lesson(course, name)), folder) if "starts" in s.what]
    assert events == pytest.approx(starts, abs=ONE_FRAME)
    prs = Presentation(str(folder / "deck-narrated.pptx"))
    for page in prs.slides:
        assert not [e for e in slide_effects(page._element) if e.preset_class in ("entr", "exit")]


@pytest.mark.parametrize("name", LESSONS)
def test_the_steps_deck_is_a_sound_package(course: Path, name: str) -> None:
    """The deck of build steps (and, for a highlight, the steps drawn from the deck without marks)
    passes the validator and holds each part once."""
    decks = sorted((out(course, name) / "steps").glob("*/steps.pptx"))
    assert decks, "the lesson has slides that build"
    for steps in decks:
        assert deck_problems(steps) == []
        with zipfile.ZipFile(steps) as z:
            names = z.namelist()
        assert len(names) == len(set(names)), steps
