"""Cues: which sentence brings each unit of a slide, and the author's say over it in the storyboard file."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.decks import slide
from support.lessons import small_lesson, write_lesson

from pipeline.build import load_storyboard
from pipeline.deck.builds import BuildUnit, slide_states
from pipeline.errors import ConfigError
from pipeline.model import Item, Table
from pipeline.storyboard.cues import build_units, find_cues, with_cues


def units(*labels: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(label, ()) for label in labels]


def test_each_unit_appears_at_the_sentence_that_names_it() -> None:
    sentences = (
        "There are three habits.",
        "First, unique passwords for every site.",
        "Second, long passphrases beat clever symbols.",
        "Third, a manager remembers them.",
    )
    assert find_cues(units("Unique", "Long", "Manager"), sentences) == (2, 3, 4)


def test_a_sentence_listing_every_unit_loses_to_one_about_each() -> None:
    sentences = (
        "Four habits: unique, long, managed and MFA.",
        "Unique means one password per site.",
        "Long means twelve characters or more.",
        "Managed means a password manager keeps them.",
        "MFA means a second factor.",
    )
    assert find_cues(units("Unique", "Long", "Managed", "MFA"), sentences) == (2, 3, 4, 5)


def test_a_unit_the_narration_never_names_comes_with_the_one_before() -> None:
    sentences = ("Intro.", "Alpha arrives here.", "Then gamma arrives.")
    assert find_cues(units("Alpha", "Beta", "Gamma"), sentences) == (2, 2, 3)


def test_cues_never_go_back_even_when_a_later_sentence_names_an_earlier_unit() -> None:
    sentences = ("Intro.", "Bravo first.", "Alpha second.", "Charlie third.")
    cues = find_cues(units("Alpha", "Bravo", "Charlie"), sentences)
    assert list(cues) == sorted(cues)


def test_a_unit_is_named_by_one_of_its_lines_when_its_label_is_not_said() -> None:
    sentences = ("Start with an email.", "Nothing odd.", "On the right: one line in white, one-pixel type.")
    found = find_cues(
        [("What you see", ("Nothing odd",)), ("What the model sees", ("One line in white, one-pixel type",))], sentences
    )
    assert found == (2, 3)


def test_units_follow_the_layout_a_table_by_rows_a_statement_has_none() -> None:
    table = slide(2, "T", "table", table=Table(("Kind", "Sign"), (("Jailbreak", "flags"), ("Hijack", "tool calls"))))
    assert [label for label, _ in build_units(table)] == ["Jailbreak", "Hijack"]
    assert build_units(slide(3, "S", "statement", (Item("One line"),))) == ()


def test_a_reused_diagram_is_not_built_again() -> None:
    from pipeline.model import Diagram, Direction

    d = Diagram("chain", (Item("A"), Item("B")))
    reused = slide(4, "Again", "diagram", diagram=d, narration="A then. B now.", direction=Direction("reuse"))
    assert with_cues(reused).cues == ()


def test_states_hide_what_is_not_yet_cued_and_end_with_everything() -> None:
    drawn = (BuildUnit((5,)), BuildUnit((6,)), BuildUnit((), ((0, 0, 1, 1),)))
    assert slide_states((2, 2, 4), drawn) == ((1, (0, 1, 2), False), (2, (2,), False), (4, (), False))
    assert slide_states((1, 1, 1), drawn) == ()  # nothing to build
    assert slide_states((2, 3, 4), drawn, enabled=False) == ()


HABITS = small_lesson(
    [
        ("Intro", "Welcome to this lesson about habits."),
        ("Habits", "Three habits matter. Alpha keeps you safe. Bravo keeps you quick. Charlie keeps you calm."),
    ],
    outline=["- Intro — title card.", "- Habits — three cards: Alpha, Bravo, Charlie."],
)
PLANNED_CUES = "  cues: [2, 3, 4]\n"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    """The habits lesson with its storyboard file as the planner writes it, ``old`` replaced by ``new``."""
    from pipeline.storyboard import to_yaml

    tmp_path.mkdir(exist_ok=True)
    lesson = write_lesson(tmp_path, "habits.txt", HABITS)
    text = to_yaml(load_storyboard(lesson))
    assert old in text
    (tmp_path / "habits.storyboard.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return lesson


def test_the_planner_writes_each_unit_s_cue_into_the_storyboard_file(tmp_path: Path) -> None:
    lesson = _edited(tmp_path, PLANNED_CUES, PLANNED_CUES)
    assert load_storyboard(lesson).slides[1].cues == (2, 3, 4)


def test_the_storyboard_file_moves_a_cue(tmp_path: Path) -> None:
    lesson = _edited(tmp_path, PLANNED_CUES, "  cues: [2, 2, 4]\n")
    assert load_storyboard(lesson).slides[1].cues == (2, 2, 4)


def test_the_storyboard_file_switches_one_slide_s_builds_off(tmp_path: Path) -> None:
    lesson = _edited(tmp_path, PLANNED_CUES, PLANNED_CUES + "  builds: false\n")
    assert [s.builds for s in load_storyboard(lesson).slides] == [True, False]


def test_the_storyboard_file_switches_builds_off_for_the_lesson(tmp_path: Path) -> None:
    lesson = _edited(tmp_path, "builds: true\n", "builds: false\n")
    assert not any(s.builds for s in load_storyboard(lesson).slides)


def test_edited_items_get_fresh_cues_unless_the_author_moved_them(tmp_path: Path) -> None:
    lesson = _edited(tmp_path, "  - Alpha keeps you safe\n", "")
    assert load_storyboard(lesson).slides[1].cues == (3, 4)


@pytest.mark.parametrize(
    ("cues", "message"),
    [
        ("[2, 9, 4]", "cue 9 is not a sentence of this slide's narration (it has 4)"),
        ("[2, 3]", "'cues' lists 2 sentence(s) but the slide has 3 thing(s) that appear one by one"),
        ("[two, 3, 4]", "'two' is not a int"),
    ],
)
def test_a_wrong_cue_is_an_error_with_its_line(tmp_path: Path, cues: str, message: str) -> None:
    lesson = _edited(tmp_path, PLANNED_CUES, f"  cues: {cues}\n")
    text = (tmp_path / "habits.storyboard.yaml").read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("  cues:"))
    with pytest.raises(ConfigError) as caught:
        load_storyboard(lesson)
    assert f"habits.storyboard.yaml:{line}" in str(caught.value)
    assert message in str(caught.value)


def test_a_marked_line_turns_marked_when_the_narration_reads_it() -> None:
    from support.lessons import DATA

    slides = load_storyboard(DATA / "corpus" / "L2.2.1-indirect-prompt-injection.txt").slides
    # Slide 2: the right column comes at sentence 4; its marked line is read out in sentence 5.
    assert (slides[1].cues, slides[1].highlight) == ((2, 4), 5)
    # Slide 5 says at once "Same diagram, one box in red": marked from the start, no step.
    assert slides[4].highlight == 0


def test_states_keep_marked_things_plain_until_the_highlight() -> None:
    drawn = (BuildUnit((5,)), BuildUnit((6,)))
    assert slide_states((2, 4), drawn, highlight=5) == (
        (1, (0, 1), True),
        (2, (1,), True),
        (4, (), True),
        (5, (), False),
    )
    assert slide_states((), (), highlight=3) == ((1, (), True), (3, (), False))  # a reused diagram
    assert slide_states((2, 4), drawn, highlight=0)[-1] == (4, (), False)


def test_the_storyboard_file_moves_a_highlight_and_refuses_one_past_the_narration(tmp_path: Path) -> None:
    lesson = _edited(tmp_path, PLANNED_CUES, PLANNED_CUES + "  highlight: 3\n")
    assert load_storyboard(lesson).slides[1].highlight == 3
    lesson = _edited(tmp_path / "again", PLANNED_CUES, PLANNED_CUES + "  highlight: 7\n")
    with pytest.raises(ConfigError, match=r"habits.storyboard.yaml:\d+: slide 2: highlight 7 is not a sentence"):
        load_storyboard(lesson)
