"""Frames: the deck rendered by the real LibreOffice and pdftoppm (once per module), then inspected."""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from support.decks import LONG, Rendered, board, render_deck, slide
from support.pictures import ink_rows

from pipeline import deck as deck_mod
from pipeline.deck import build_deck
from pipeline.errors import ToolError
from pipeline.frames import frames_key, render_frames
from pipeline.model import Item
from pipeline.theme import Theme

STORYBOARD = board(
    slide(1, "Title", "title"),
    # Far more text than a slide should hold: it must shrink, then be cut, never spill.
    slide(2, LONG[:200], "bullets", tuple(Item(LONG[: 80 + 30 * i], LONG[:150]) for i in range(8))),
    slide(3, "Cards", "cards", (Item("Deliberate", LONG), Item("Accidental", "A team"), Item("Benign", "Data"))),
    slide(4, "Comparison", "comparison", (Item("Prompt injection", LONG[:700]), Item("HFT", "A new model"))),
    slide(5, "Quote", "quote", (Item(LONG[:600]),)),
    slide(6, "Visual", "placeholder", (Item("A GPU costs $5"), Item(LONG[:300])), visual="cost curve"),
    framework_tags=("OWASP LLM03, LLM05", "MITRE ATLAS AML.T0018"),
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Rendered:
    return render_deck(STORYBOARD, theme, tmp_path_factory.mktemp("render"))


def test_every_slide_becomes_one_exactly_1920x1080_frame(rendered: Rendered) -> None:
    frames = rendered.frames.frames
    assert [f.name for f in frames] == ["01.png", "02.png", "03.png", "04.png", "05.png", "06.png"]
    assert all(f.parent == rendered.folder / "frames" for f in frames)
    for frame in frames:
        with Image.open(frame) as img:
            assert img.size == (1920, 1080)


def test_the_pdf_and_a_contact_sheet_are_written_beside_the_frames(rendered: Rendered) -> None:
    assert rendered.frames.pdf == rendered.folder / "deck.pdf"
    assert rendered.frames.pdf.read_bytes().startswith(b"%PDF")
    with Image.open(rendered.frames.contact_sheet) as sheet:
        # Six thumbnails at 480 px wide: three columns, two rows.
        assert sheet.width > 3 * 480 and sheet.height > 2 * 270
    leftovers = [p.name for p in rendered.folder.iterdir() if p.name.startswith(".render")]
    assert leftovers == []


def test_no_text_spills_below_the_content_area_on_any_rendered_slide(rendered: Rendered) -> None:
    # Between the bottom of the content area and the footer rule the slide must stay blank;
    # text that left its box would be drawn there.
    margin = rendered.theme.layout.margin
    for frame in rendered.frames.frames[1:]:
        spill = ink_rows(frame, deck_mod.CONTENT_BOTTOM + 0.02, deck_mod.FOOTER_RULE - 0.03, margin, 13.333 - margin)
        assert spill == [], f"{frame.name}: ink below the content area"


def test_the_overfull_slide_really_filled_its_box_and_was_reported(rendered: Rendered) -> None:
    margin = rendered.theme.layout.margin
    frame = rendered.frames.frames[1]
    assert ink_rows(frame, deck_mod.CONTENT_BOTTOM - 0.6, deck_mod.CONTENT_BOTTOM, margin, 13.333 - margin)
    assert {w.slide for w in rendered.deck.warnings} >= {2, 3, 4}


def test_a_second_render_of_an_unchanged_deck_skips_the_work(rendered: Rendered) -> None:
    mtimes = [f.stat().st_mtime_ns for f in rendered.frames.frames]
    started = time.monotonic()
    again = render_frames(rendered.deck.path, rendered.folder)
    assert time.monotonic() - started < 2
    assert again.reused and not rendered.frames.reused
    assert again.frames == rendered.frames.frames
    assert [f.stat().st_mtime_ns for f in again.frames] == mtimes


def test_rebuilding_an_unchanged_deck_keeps_the_frames(rendered: Rendered) -> None:
    # A lesson with no file behind it is dated anew by a forced rebuild; the frames key looks at
    # the slides, not the deck's dates.
    rebuilt = build_deck(STORYBOARD, rendered.theme, rendered.folder / "deck.pptx", force=True)
    assert not rebuilt.reused
    assert render_frames(rebuilt.path, rendered.folder).reused


def test_an_edit_to_the_narration_alone_keeps_the_frames_and_an_edit_on_screen_does_not(
    rendered: Rendered, tmp_path: Path
) -> None:
    narrated = replace(STORYBOARD, slides=(replace(STORYBOARD.slides[0], narration="Another narration."),
                                           *STORYBOARD.slides[1:]))  # fmt: skip
    deck = build_deck(narrated, rendered.theme, tmp_path / "deck.pptx").path
    notes = Presentation(str(deck)).slides[0].notes_slide.notes_text_frame.text
    assert "Another narration." in notes  # the deck did change: its speaker notes
    assert frames_key(deck) == frames_key(rendered.deck.path)

    first, second, cards, *rest = STORYBOARD.slides
    retitled = replace(STORYBOARD, slides=(first, second, replace(cards, title="Other cards"), *rest))
    deck = build_deck(retitled, rendered.theme, tmp_path / "retitled.pptx").path
    assert frames_key(deck) != frames_key(rendered.deck.path)


def test_an_edit_on_one_slide_rasterises_its_page_alone_and_every_frame_matches_a_fresh_render(
    tmp_path: Path, theme: Theme
) -> None:
    title, _, cards, comparison, *_ = STORYBOARD.slides
    small = replace(STORYBOARD, slides=(title, cards, comparison))
    edited = replace(small, slides=(title, replace(cards, title="Other cards"), comparison))
    first = render_deck(small, theme, tmp_path / "a")
    before = [f.stat().st_ino for f in first.frames.frames]
    again = render_deck(edited, theme, tmp_path / "a").frames
    after = [f.stat().st_ino for f in again.frames]
    # Slides 1 and 3 kept their frames (the same files); slide 2's is new.
    assert [b == a for b, a in zip(before, after, strict=True)] == [True, False, True]
    fresh = render_deck(edited, theme, tmp_path / "b").frames
    for kept, made in zip(again.frames, fresh.frames, strict=True):
        with Image.open(kept) as a, Image.open(made) as b:
            assert a.tobytes() == b.tobytes(), kept.name


def test_rendering_a_deck_twice_gives_byte_identical_pdfs_dated_like_the_deck(tmp_path: Path, theme: Theme) -> None:
    small = replace(STORYBOARD, slides=STORYBOARD.slides[:1])
    deck = build_deck(small, theme, tmp_path / "deck.pptx").path
    first, second = (render_frames(deck, tmp_path / name).pdf for name in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()
    made = Presentation(str(deck)).core_properties.modified
    info = subprocess.run(["pdfinfo", "-isodates", first], capture_output=True, text=True, check=True).stdout
    assert f"{made:%Y-%m-%dT%H:%M:%S}Z" in next(line for line in info.splitlines() if line.startswith("CreationDate"))


def test_a_missing_libreoffice_is_a_tool_error_that_leaves_nothing_behind(
    rendered: Rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_SOFFICE", "no-such-soffice-binary")
    with pytest.raises(ToolError, match="LibreOffice") as caught:
        render_frames(rendered.deck.path, tmp_path / "out")
    assert "PIPELINE_SOFFICE" in str(caught.value)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_file_libreoffice_cannot_read_is_a_tool_error(tmp_path: Path) -> None:
    bogus = tmp_path / "deck.pptx"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(ToolError, match="cannot read the deck"):
        render_frames(bogus, tmp_path / "out")
