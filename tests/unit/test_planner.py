"""The planner fills each kind of slide from the lesson in the forms authors write, and never leaves one empty.

The lessons here are made up, in phrasings the development corpus does not use, so the rules are
tested for what they read rather than for one lesson's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.lessons import write_lesson

from pipeline.build import load_storyboard, write_storyboard_file
from pipeline.lesson import read_lesson
from pipeline.model import Slide, Storyboard
from pipeline.storyboard import plan
from pipeline.storyboard.phrases import item_parts, shorten
from pipeline.storyboard.spoken import checks, enumeration, imperatives, labelled, next_lesson


def lesson_with(tmp_path: Path, slides: list[tuple[str, str, str]], core: str = "", notes: str = "") -> Storyboard:
    """Plan a lesson of (title, direction, narration) slides after a title slide, with ``core`` as its core content."""
    all_slides = [("Title", '"A made-up lesson".', "A made-up lesson. Two minutes."), *slides]
    script = "\n".join(f"[SLIDE {i} — {title}]\n{text}" for i, (title, _, text) in enumerate(all_slides, 1))
    outline = "\n".join(f"- {title} — {direction}" for title, direction, _ in all_slides)
    body = (
        "Z9.9.9 — A made-up lesson¶\n"
        "Type: Theory · Duration: ~2 min · Status: Optional Module: Module 9 — Tests Framework tags: T1\n"
        f"Core content¶\n{core}\n"
        'References¶\n- Doe et al., "Counting Sheep at Scale" (2021) — https://example.org/sheep\n'
        f"Video script (~100 words, ~1 min)¶\n{script}\n"
        f"Slide outline¶\n{outline}\n"
        f"Production notes¶\n- Recording: ~2 min. Cap 3.\n{notes}"
    )
    return plan(read_lesson(write_lesson(tmp_path, "Z9.9.9-made-up.txt", body)))


def slide(board: Storyboard, n: int) -> Slide:
    return board.slides[n - 1]


def messages(board: Storyboard) -> list[str]:
    return [w.message for w in board.warnings]


# --- reading the narration ---------------------------------------------------------------------


def test_spoken_enumerations_in_their_common_forms_are_found() -> None:
    assert len(enumeration("Three rules. One: lock it. Two: log it. Three: watch it.")) == 3
    assert enumeration("First, back up. Second, patch. Finally, test the restore.") == [
        "back up.",
        "patch.",
        "test the restore.",
    ]
    found = enumeration("The first risk is cost: it grows. The second risk is drift: it creeps.")
    assert found == ["cost: it grows.", "drift: it creeps."]
    assert enumeration("First of all, nothing here is a list.") == []


def test_checklists_imperatives_labels_and_next_lessons_are_found() -> None:
    assert checks("Check that a is set. Make sure b runs. Confirm that c holds. It ends.") == [
        "Check that a is set.",
        "Make sure b runs.",
        "Confirm that c holds.",
    ]
    assert imperatives("Why care? Rotate the keys weekly. Log every request. Review the logs daily. Done.") == [
        "Rotate the keys weekly.",
        "Log every request.",
        "Review the logs daily.",
    ]
    assert labelled("Three words. Plan: write it down. Act: do it. Review: look back.")[1] == ("Act", "do it.")
    assert (
        next_lesson("That's all. Next lesson: rate limits for agents, and why they fail.") == "rate limits for agents"
    )


def test_long_sentences_become_phrases_cut_at_clause_boundaries_never_mid_clause() -> None:
    assert shorten("Keep data lineage, so that a source later found to be poisoned can be traced to every model.") == (
        "Keep data lineage"
    )
    assert item_parts("Pin the target: model version, system-prompt hash and guardrail configuration.") == (
        "Pin the target",
        "Model version, system-prompt hash and guardrail configuration",
    )
    head, _ = item_parts("Public datasets exist (we won't link them; they're easy to find).")
    assert head == "Public datasets exist"
    assert not shorten(
        "A team fine-tunes on, say, customer transcripts that include many edge cases and odd replies."
    ).endswith(("on", "say"))


# --- filling slides ----------------------------------------------------------------------------


def test_cards_named_in_the_direction_get_each_explanation_from_the_core_content(tmp_path: Path) -> None:
    core = (
        "Phases¶\n"
        "Prepare. Write the runbook before you need it; rehearse it twice a year.\n"
        "Respond: page the owner and freeze deploys.\n"
        "- Learn — hold a blameless review within a week.\n"
    )
    board = lesson_with(
        tmp_path,
        [("Three phases", "three cards: prepare, respond, learn", "Prepare, respond, learn. That is the whole loop.")],
        core,
    )
    cards = slide(board, 2)
    assert cards.layout == "cards"
    assert [(i.text, i.detail) for i in cards.items] == [
        ("Prepare", "Write the runbook before you need it"),
        ("Respond", "Page the owner and freeze deploys"),
        ("Learn", "Hold a blameless review within a week"),
    ]
    assert cards.items[0].points[0].text == "Rehearse it twice a year"


def test_the_count_in_the_direction_is_honoured_and_a_shortfall_is_a_warning(tmp_path: Path) -> None:
    narration = "Two habits matter. First, rotate keys. Second, log requests. Finally, review the logs."
    board = lesson_with(tmp_path, [("Habits", "five-bullet list", narration)])
    assert [i.text for i in slide(board, 2).items] == ["Rotate keys", "Log requests", "Review the logs"]
    assert "slide 2: the direction asks for 5 items; the lesson gives 3" in messages(board)


def test_a_table_is_built_from_list_items_whose_fields_name_the_columns(tmp_path: Path) -> None:
    core = (
        "Two failures¶\n"
        "- Disk full. Symptom: writes fail with ENOSPC. Fix: delete old snapshots.\n"
        "- Clock skew. Symptom: tokens expire early. Fix: run NTP on every host.\n"
    )
    board = lesson_with(
        tmp_path,
        [("Failures", "table: columns failure, symptom, fix", "Disk full and clock skew are the usual two.")],
        core,
    )
    table = slide(board, 2).table
    assert table is not None
    assert table.header == ("Failure", "Symptom", "Fix")
    assert table.rows == (
        ("Disk full", "Writes fail with ENOSPC", "Delete old snapshots"),
        ("Clock skew", "Tokens expire early", "Run NTP on every host"),
    )


def test_a_chart_plots_the_lessons_numbers_exactly_and_cites_the_source(tmp_path: Path) -> None:
    core = (
        "Results¶\n"
        "Doe et al. (2021) counted sheep. Sheep per field: - North: 12.5 - South: 7.25 - East (estimated): 3\n"
    )
    board = lesson_with(
        tmp_path,
        [("Sheep", "column chart: sheep per field; the east column in red", "Doe and colleagues counted the sheep.")],
        core,
    )
    chart = slide(board, 2).chart
    assert chart is not None and chart.has_data and not chart.illustrative
    assert chart.kind == "column"
    assert chart.categories == ("North", "South", "East")
    assert chart.series[0].values == (12.5, 7.25, 3.0)
    assert chart.series[0].labels == ("12.5", "7.25", "3")
    assert chart.decimals == 2
    assert (chart.marked, chart.mark_colour) == ((2,), "red")
    assert slide(board, 2).citation == 'Doe et al., "Counting Sheep at Scale" (2021)'


def test_a_chart_without_numbers_in_the_lesson_is_an_illustrative_sketch_never_invented_data(tmp_path: Path) -> None:
    board = lesson_with(
        tmp_path,
        [("Trend", "line chart: error rate over releases, falling, illustrative", "Errors fall release by release.")],
    )
    chart = slide(board, 2).chart
    assert chart is not None and chart.illustrative and not chart.has_data
    assert all(not s.values for s in chart.series)


def test_arrows_written_in_the_lesson_become_a_flow_with_the_side_route_joining(tmp_path: Path) -> None:
    core = "Routes¶\nclient → gateway → service → database\nattacker → mirror site → gateway\n"
    board = lesson_with(tmp_path, [("Routes", "flow diagram of the request", "Requests go through the gateway.")], core)
    diagram = slide(board, 2).diagram
    assert diagram is not None and diagram.kind == "flow"
    assert [n.text for n in diagram.nodes] == ["Client", "Gateway", "Service", "Database", "Attacker", "Mirror site"]
    assert (5, 1) in diagram.edges and (0, 1) in diagram.edges


def test_a_reused_diagram_keeps_the_earlier_boxes_and_adds_the_marks(tmp_path: Path) -> None:
    core = "Routes¶\nclient → gateway → service → database\n"
    board = lesson_with(
        tmp_path,
        [
            ("Routes", "flow diagram", "Requests go through the gateway."),
            ("The weak box", "same diagram as slide 2, with the gateway highlighted in red and the others greyed out",
             "The gateway is where it breaks."),
        ],
        core,
    )  # fmt: skip
    first, again = slide(board, 2).diagram, slide(board, 3).diagram
    assert first is not None and again is not None
    assert [n.text for n in again.nodes] == [n.text for n in first.nodes] and again.edges == first.edges
    assert [n.marked for n in again.nodes] == [False, True, False, False]
    assert again.dim_unmarked and again.mark_colour == "red"


def test_a_boundary_encloses_the_boxes_the_lesson_says_are_needed(tmp_path: Path) -> None:
    narration = "The bot needs the wiki and the ticket tool. It doesn't need the shell or the payroll system."
    board = lesson_with(
        tmp_path,
        [("Scope", "diagram: bot in the middle, tools around it (wiki, shell, ticket tool, payroll system), "
          "a dashed boundary around what it needs", narration)],
    )  # fmt: skip
    diagram = slide(board, 2).diagram
    assert diagram is not None and diagram.kind == "hub"
    assert [diagram.nodes[i].text for i in diagram.boundary] == ["Wiki", "Ticket tool"]


def test_code_blocks_are_shown_exactly_with_the_named_line_marked(tmp_path: Path) -> None:
    core = "The config¶\nA minimal config:\n    retries: 3\n      backoff: exponential\n    timeout: 30s\n"
    board = lesson_with(tmp_path, [("Config", "code block: the config, timeout line highlighted", "Three keys.")], core)
    code = slide(board, 2)
    assert code.layout == "code"
    assert [(i.text, i.marked) for i in code.items] == [
        ("retries: 3", False),
        ("  backoff: exponential", False),
        ("timeout: 30s", True),
    ]


def test_a_timeline_reads_each_markers_caption(tmp_path: Path) -> None:
    core = "Day one¶\n- 09:00 h: the pager goes off. Open a channel.\n- 10 min: first fix is out.\n"
    board = lesson_with(tmp_path, [("The day", "timeline: 09:00 h, 10 min", "It starts with the pager.")], core)
    timeline = slide(board, 2)
    assert timeline.layout == "timeline"
    assert [(i.text, i.detail) for i in timeline.items] == [
        ("09:00 h", "The pager goes off"),
        ("10 min", "First fix is out"),
    ]


@pytest.mark.parametrize(
    "direction",
    ["three cards", "table: columns a, b", "flow diagram", "code block", "key stat", "Venn", "timeline", "quote", ""],
)
def test_a_slide_is_never_empty_whatever_the_direction_asks_for(tmp_path: Path, direction: str) -> None:
    narration = "Backups fail silently. Test the restore every month. Keep one copy offline. Nobody checks otherwise."
    board = lesson_with(tmp_path, [("Backups", direction, narration)])
    filled = slide(board, 2)
    assert filled.items or filled.table or filled.chart or filled.diagram, filled
    shown = " ".join(i.text + " " + i.detail for i in filled.items).lower()
    assert direction.lower() not in shown or not direction


def test_statements_end_cards_and_quotes_show_only_their_line(tmp_path: Path) -> None:
    board = lesson_with(
        tmp_path,
        [
            ("Question", "just the question on screen", "Ask one thing. Who owns this data? Everything follows."),
            ("Up next", "end card", "Done. Next lesson: keys and secrets, and where they leak."),
        ],
    )
    assert [(i.text, i.detail) for i in slide(board, 2).items] == [("Who owns this data?", "")]
    assert [(i.text, i.detail) for i in slide(board, 3).items] == [("Keys and secrets", "")]  # titled "Up next" already


# --- the author's storyboard file ------------------------------------------------------------------


def test_an_edited_direction_in_the_storyboard_file_replans_that_slide(tmp_path: Path) -> None:
    narration = "Three habits. One: rotate keys. Two: log requests. Three: review the logs."
    lesson_with(tmp_path, [("Habits", "three-bullet list", narration)])
    lesson = tmp_path / "Z9.9.9-made-up.txt"
    path = write_storyboard_file(lesson)
    text = path.read_text(encoding="utf-8")
    assert "kind: bullets" in text and "count: 3" in text
    path.write_text(text.replace("kind: bullets", "kind: cards", 1), encoding="utf-8")
    edited = load_storyboard(lesson)
    assert edited.slides[1].layout == "cards"
    assert [i.text for i in edited.slides[1].items] == ["Rotate keys", "Log requests", "Review the logs"]
