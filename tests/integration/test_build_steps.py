"""Build steps as LibreOffice renders them: every layout that builds records its units, and a step
picture shows the units already cued and nothing of the others."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from support.decks import Rendered, board, render_deck, slide
from support.pictures import every_shape
from support.validators import deck_problems

from pipeline.deck import SLIDE_W
from pipeline.deck.builds import StepPicture, write_steps_deck
from pipeline.frames import render_frames
from pipeline.model import Diagram, Item, Table
from pipeline.theme import Theme

THREE = (Item("Audit the datasets", "Look for compliant answers"), Item("Evaluate safety"), Item("Prefer small tunes"))
MARKERS = (Item("T+0", "Alert"), Item("T+15 min", "Revoke"), Item("T+1 h", "Scope"))
ROWS = Table(("Kind", "Signal"), (("Jailbreak", "Flags"), ("Hijack", "Tool calls"), ("Theft", "Spend")))
CHAIN = Diagram("chain", (Item("Scrape"), Item("Filter"), Item("Train")))
COLUMNS = (Item("Before", points=(Item("Slow"),)), Item("After", points=(Item("Fast"),)))
LAYOUTS = {
    "bullets": slide(1, "Bullets", "bullets", THREE),
    "steps": slide(2, "Steps", "steps", THREE),
    "cards": slide(3, "Cards", "cards", THREE),
    "timeline": slide(4, "Timeline", "timeline", MARKERS),
    "table": slide(5, "Table", "table", table=ROWS),
    "diagram": slide(6, "Chain", "diagram", diagram=CHAIN),
    "comparison": slide(7, "Two columns", "comparison", COLUMNS),
}
# Each unit's words, as the step picture's PDF page must show the first's and none of the others'.
WORDS = {
    "bullets": ("Audit", "Evaluate", "Prefer"),
    "steps": ("Audit", "Evaluate", "Prefer"),
    "cards": ("Audit", "Evaluate", "Prefer"),
    "timeline": ("Alert", "Revoke", "Scope"),
    "table": ("Jailbreak", "Hijack", "Theft"),
    "diagram": ("Scrape", "Filter", "Train"),
    "comparison": ("Slow", "Fast"),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> tuple[Rendered, list[Path]]:
    """The deck, and a steps deck with one picture per slide: only its first unit shown."""
    folder = tmp_path_factory.mktemp("steps")
    built = render_deck(board(*LAYOUTS.values()), theme, folder)
    steps = [StepPicture(i, tuple(range(1, len(units)))) for i, units in enumerate(built.deck.units)]
    steps_deck = folder / "steps" / "steps.pptx"
    steps_deck.parent.mkdir()
    write_steps_deck(built.deck.path, built.deck.units, steps, steps_deck, background=theme.colours.background)
    return built, list(render_frames(steps_deck, steps_deck.parent).frames)


def boxes_of(deck: Path, index: int, unit_ids: tuple[int, ...]) -> list[tuple[int, int, int, int]]:
    page = Presentation(str(deck)).slides[index]
    return [
        (s.left, s.top, max(s.width, 1), max(s.height, 1))
        for s in every_shape(page.shapes)
        if s.shape_id in unit_ids and s.shape_type != 6  # a group's box is its members'
    ]


def region(picture: Path, box: tuple[int, int, int, int]) -> np.ndarray:
    scale = 1920 / SLIDE_W
    left, top, width, height = (round(v * scale) for v in box)
    with Image.open(picture) as image:
        grey = np.asarray(image.convert("L"), dtype=np.int16)
    return grey[max(0, top) : top + max(height, 2), max(0, left) : left + max(width, 2)]


def inked(pixels: np.ndarray, background: int) -> float:
    return float((np.abs(pixels - background) > 40).mean()) if pixels.size else 0.0


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_records_one_unit_per_thing_it_builds(rendered, layout: str) -> None:
    built, _ = rendered
    units = built.deck.units[list(LAYOUTS).index(layout)]
    expected = 2 if layout == "comparison" else 3
    assert len(units) == expected
    assert all(unit.shape_ids or unit.covers for unit in units)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_step_picture_shows_the_first_unit_and_nothing_of_the_others(rendered, layout: str) -> None:
    built, pictures = rendered
    i = list(LAYOUTS).index(layout)
    final, step = built.frames.frames[i], pictures[i]
    background = 255  # the default theme's white
    for k, unit in enumerate(built.deck.units[i]):
        boxes = list(unit.covers) + boxes_of(built.deck.path, i, unit.shape_ids)
        for box in boxes:
            shown, hidden = region(final, box), region(step, box)
            if k == 0:
                assert np.abs(shown - hidden).mean() < 2, f"{layout}: the first unit changed in its step picture"
            else:
                # What stays is what the units share (a timeline's axis, a box's edge under an arrow's).
                assert inked(hidden, background) <= 0.25 * inked(shown, background), f"{layout}: unit {k + 1} shows"


def test_a_step_picture_s_page_has_the_first_unit_s_words_and_no_other_s(rendered) -> None:
    """Units made of whole shapes are taken out of the page; a band of one shape (a bullet, a table
    row) is covered, its words still under the cover, so only the pictures test can judge those."""
    built, pictures = rendered
    pdf = pictures[0].parent.parent / "steps.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    checked = []
    for layout, units, page in zip(LAYOUTS, built.deck.units, pages.stdout.split("\f"), strict=False):
        if any(unit.covers for unit in units):
            continue
        first, *later = WORDS[layout]
        assert first in page, (layout, page)
        assert not [word for word in later if word in page], (layout, page)
        checked.append(layout)
    assert checked == ["steps", "cards", "timeline", "diagram", "comparison"]


def test_the_steps_deck_passes_the_open_xml_validator(rendered) -> None:
    _, pictures = rendered
    steps_deck = pictures[0].parent.parent / "steps.pptx"
    assert deck_problems(steps_deck) == []
    assert len(Presentation(str(steps_deck)).slides) == len(LAYOUTS)
