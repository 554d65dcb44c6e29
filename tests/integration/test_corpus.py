"""The development corpus: seven lessons by different authors, each deck reopened and checked slide
by slide against what a good draft shows (``tests/data/corpus/EXPECTED`` in ``expected.json``, and
the structure the EXPECTED tables name: tables, charts, diagrams, counts).

These lessons are examples of the range, not the target: the planner's rules are tested on made-up
phrasings in ``unit/test_planner.py`` and ``unit/test_directions.py``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from support.decks import glued, named, nodes, shown_texts
from support.lessons import CORPUS, SAMPLE, UNSEEN
from support.pictures import every_shape

from pipeline.deck import build_deck
from pipeline.lesson import read_lesson
from pipeline.storyboard import plan
from pipeline.theme import load_theme

EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
LESSONS = {name: (SAMPLE if name == SAMPLE.name else CORPUS / name) for name in EXPECTED if not name.startswith("_")}


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """Every corpus lesson planned and built into a deck, reopened: lesson name -> its slides."""
    theme = load_theme()
    out = tmp_path_factory.mktemp("corpus")
    opened = {}
    for name, path in LESSONS.items():
        storyboard = plan(read_lesson(path))
        built = build_deck(storyboard, theme, out / f"{path.stem}.pptx")
        opened[name] = list(Presentation(str(built.path)).slides)
    return opened


def body(slides: list[Any], n: int) -> str:
    """Slide ``n``'s text without its title, the footer and the page number."""
    seen = Counter(t.strip() for s in slides for t in shown_texts(s.shapes))
    page = slides[n - 1]
    title = page.shapes.title.text_frame.text if page.shapes.title is not None else ""
    kept = [
        t
        for t in shown_texts(page.shapes)
        if t.strip() and t != title and not (seen[t.strip()] > 2 and seen[t.strip()] > len(slides) / 2)
        and not re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", t)
    ]  # fmt: skip
    return "\n".join(kept).lower()


def node_labels(page: Any) -> list[str]:
    return [b.text_frame.text.replace("\n", " ") for b in nodes(page)]


def arrows(page: Any) -> list[tuple[int, int]]:
    """Each glued connector's (from, to) as node numbers (1-based, as the box names count)."""
    return sorted((begin + 1, end + 1) for begin, end in glued(page))


def the_chart(page: Any) -> Any:
    charts = [s.chart for s in page.shapes if getattr(s, "has_chart", False) and s.has_chart]
    assert len(charts) == 1
    return charts[0]


def the_table(page: Any) -> list[list[str]]:
    tables = [s.table for s in page.shapes if getattr(s, "has_table", False) and s.has_table]
    assert len(tables) == 1
    return [[cell.text for cell in row.cells] for row in tables[0].rows]


CASES = [(name, n, spec) for name, slides in EXPECTED.items() if not name.startswith("_") for n, spec in slides.items()]


@pytest.mark.parametrize(("lesson", "n", "spec"), CASES, ids=[f"{c[0][:6]}-slide{c[1]}" for c in CASES])
def test_every_slide_shows_what_a_good_draft_shows(
    decks: dict[str, list[Any]], lesson: str, n: str, spec: dict
) -> None:
    shown = body(decks[lesson], int(n))
    missing = [group[0] for group in spec.get("all", []) if not any(alt in shown for alt in group)]
    assert not missing, f"slide {n} lacks {missing}:\n{shown}"
    some = spec.get("some", [])
    found = sum(1 for group in some if any(alt in shown for alt in group))
    assert found >= spec.get("min", len(some)), f"slide {n} shows {found} of {[g[0] for g in some]}:\n{shown}"
    pasted = [phrase for phrase in spec.get("not", []) if phrase in shown]
    assert not pasted, f"slide {n} shows {pasted}, which is not lesson content:\n{shown}"


def test_no_slide_of_any_corpus_lesson_is_blank(decks: dict[str, list[Any]]) -> None:
    for name, slides in decks.items():
        for n in range(2, len(slides) + 1):
            assert body(slides, n).strip(), f"{name} slide {n} shows nothing but its title"


def test_flow_diagram_and_its_reuse_share_boxes_and_arrows_with_the_email_tool_in_red(
    decks: dict[str, list[Any]],
) -> None:
    slides = decks["L2.2.1-indirect-prompt-injection.txt"]
    flow, reuse = slides[2], slides[4]
    assert node_labels(flow) == [
        "User", "Chat front end", "Orchestrator", "Retriever", "Prompt template", "Model", "Email tool",
        "Attacker", "Victim's inbox", "Mailbox index",
    ]  # fmt: skip
    assert arrows(flow) == [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (8, 9), (9, 10), (10, 4)]
    assert node_labels(reuse) == node_labels(flow) and arrows(reuse) == arrows(flow)
    boxes = {s.name: (s.left, s.top) for s in named(flow, "Node ")}
    assert {s.name: (s.left, s.top) for s in named(reuse, "Node ")} == boxes
    fills = {
        label: str(box.fill.fore_color.rgb)
        for label, box in zip(node_labels(reuse), named(reuse, "Node "), strict=True)
    }
    theme = load_theme()
    assert fills["Email tool"] == theme.colours.highlight
    assert all(f != theme.colours.highlight for label, f in fills.items() if label != "Email tool")


def test_the_defence_chart_is_a_native_bar_chart_of_the_lessons_numbers(decks: dict[str, list[Any]]) -> None:
    chart = the_chart(decks["L2.2.1-indirect-prompt-injection.txt"][5])
    assert list(chart.plots[0].categories) == [
        "No defence", "Data delimiting", "Repeat user prompt", "Prompt-injection detector", "Tool filter",
    ]  # fmt: skip
    assert list(chart.series[0].values) == [57.7, 41.7, 27.8, 8.0, 6.8]
    assert chart.value_axis.axis_title.text_frame.text == "targeted ASR (%)"
    grey = load_theme().colours.dim
    assert str(chart.series[0].points[0].format.fill.fore_color.rgb) == grey
    # Only the no-defence bar is drawn apart; the others keep the series colour.
    assert [d.find(qn("c:idx")).get("val") for d in chart.series[0]._element.findall(qn("c:dPt"))] == ["0"]
    assert str(chart.series[0].format.fill.fore_color.rgb) != grey


def test_the_token_share_chart_keeps_every_value_unrounded(decks: dict[str, list[Any]]) -> None:
    chart = the_chart(decks["L4.2.1-data-poisoning-at-scale.txt"][3])
    assert list(chart.plots[0].categories) == ["600M", "2B", "7B", "13B"]
    assert list(chart.series[0].values) == [0.0035, 0.001, 0.0003, 0.00016]


def test_charts_without_data_are_illustrative_sketches_with_no_numbers(decks: dict[str, list[Any]]) -> None:
    for lesson, n in (("L6.1.1-incident-response-for-model-abuse.txt", 5), ("L4.2.1-data-poisoning-at-scale.txt", 6)):
        page = decks[lesson][n - 1]
        assert not [s for s in page.shapes if getattr(s, "has_chart", False) and s.has_chart]
        shown = body(decks[lesson], n)
        assert "illustrative" in shown
        assert not re.search(r"\d", shown), shown


def test_tables_are_native_with_the_lessons_rows_and_columns(decks: dict[str, list[Any]]) -> None:
    judges = the_table(decks["L5.1.2-building-a-red-team-harness.md"][4])
    assert judges[0] == ["Judge", "Good at", "Fails when"] and len(judges) == 4
    patterns = the_table(decks["L6.1.1-incident-response-for-model-abuse.txt"][1])
    assert patterns[0] == ["Pattern", "First signal", "First lever"] and len(patterns) == 4
    families = the_table(decks["L3.1.2-jailbreak-families.md"][3])
    assert families[0] == ["Family", "What it exploits", "Defence that helps most"] and len(families) == 5
    assert families[2][:2] == ["Encoding and obfuscation", "Mismatched generalization"]


def test_chains_hubs_and_venns_draw_the_named_boxes(decks: dict[str, list[Any]]) -> None:
    harness = decks["L5.1.2-building-a-red-team-harness.md"][1]
    assert node_labels(harness) == ["Behaviours", "Converters", "Target adapter", "Judge", "Results store"]
    assert arrows(harness) == [(1, 2), (2, 3), (3, 4), (4, 5)]
    poison = decks["L4.2.1-data-poisoning-at-scale.txt"][1]
    assert node_labels(poison) == ["Scrape", "Filter", "Dedupe", "Train"]
    assert [s.text_frame.text for s in named(poison, "Callout")] == ["Poison enters at scrape"]
    agent = decks["L1.3.1-least-privilege-for-agents.txt"][2]
    assert node_labels(agent) == ["Agent", "Email", "Calendar", "Shell", "Browser"]
    (boundary,) = named(agent, "Boundary")
    inside = [
        label
        for label, box in zip(node_labels(agent), sorted(named(agent, "Node "), key=lambda s: s.name), strict=True)
        if boundary.left <= box.left and box.left + box.width <= boundary.left + boundary.width
        and boundary.top <= box.top and box.top + box.height <= boundary.top + boundary.height
    ]  # fmt: skip
    assert sorted(inside) == ["Calendar", "Email"]
    venn = decks["L4.2.1-data-poisoning-at-scale.txt"][4]
    assert [s.name for s in every_shape(venn.shapes) if re.match(r"(Set|Member) \d+:", s.name)] == [
        "Set 1: Backdoor",
        "Set 2: Availability",
        "Member 3: SUDO gibberish attack",
    ]


@pytest.mark.parametrize(
    ("lesson", "n", "prefix", "count"),
    [
        ("L5.1.2-building-a-red-team-harness.md", 3, "Step ", 5),
        ("L3.1.2-jailbreak-families.md", 6, "Step ", 3),
        ("L1.3.1-least-privilege-for-agents.txt", 4, "Check box ", 4),
        ("L6.1.1-incident-response-for-model-abuse.txt", 3, "Card ", 3),
        ("L3.1.2-jailbreak-families.md", 3, "Card ", 4),
        ("L4.2.1-data-poisoning-at-scale.txt", 7, "Card ", 4),
        ("L6.1.1-incident-response-for-model-abuse.txt", 4, "Timeline marker ", 4),
        ("L5.1.2-building-a-red-team-harness.md", 8, "Recap ", 3),
        ("L6.1.1-incident-response-for-model-abuse.txt", 6, "Recap ", 3),
    ],
)
def test_the_count_the_direction_names_is_the_count_on_the_slide(
    decks: dict[str, list[Any]], lesson: str, n: int, prefix: str, count: int
) -> None:
    shapes = [s for s in named(decks[lesson][n - 1], prefix) if not s.name.startswith(f"{prefix.strip()} bar")]
    assert len(shapes) == count, [s.name for s in decks[lesson][n - 1].shapes]


def test_a_two_by_two_grid_puts_four_cards_in_two_rows_of_two(decks: dict[str, list[Any]]) -> None:
    cards = named(decks["L4.2.1-data-poisoning-at-scale.txt"][6], "Card ")
    assert len({c.top for c in cards}) == 2 and len({c.left for c in cards}) == 2


def test_code_blocks_show_the_lessons_lines_exactly_with_the_named_line_marked(decks: dict[str, list[Any]]) -> None:
    page = decks["L2.2.1-indirect-prompt-injection.txt"][3]
    (code,) = [s for s in page.shapes if s.name == "Code"]
    lines = [p.text for p in code.text_frame.paragraphs]
    assert lines == [
        "You are AcmeCorp's assistant. Answer the user's question using the documents below.",
        "Documents:",
        "{retrieved_documents}",
        "Question: {user_question}",
        "You can send email with send_email(to, subject, body).",
    ]
    assert [s.name for s in named(page, "Marked line")] == ["Marked line 3"]


def test_statements_and_end_cards_show_only_their_line(decks: dict[str, list[Any]]) -> None:
    takeaway = body(decks["L2.2.1-indirect-prompt-injection.txt"], 7)
    assert takeaway.strip() == "anything the model reads is a channel an attacker can write to."
    assert body(decks["L1.3.1-least-privilege-for-agents.txt"], 2).strip() == "who is allowed to call this tool?"
    assert body(decks["L4.2.1-data-poisoning-at-scale.txt"], 8).strip() == "next: l4.2.2 — backdoors in depth"


def test_the_base64_string_is_set_in_the_code_font(decks: dict[str, list[Any]]) -> None:
    page = decks["L3.1.2-jailbreak-families.md"][4]
    code_font = load_theme().code_font.name
    runs = [r for s in page.shapes if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs]
    assert any(r.font.name == code_font and r.text.startswith("V2hhdCB0b29s") for r in runs)
    assert all(r.font.name != code_font for r in runs if "stop sign" in r.text)


def test_the_corpus_copies_are_the_shared_lessons() -> None:
    """The lessons in tests/data are the ones the EXPECTED tables describe (same names, every slide present)."""
    for name, path in LESSONS.items():
        assert path.is_file(), name
        assert len(read_lesson(path).segments) >= max(int(n) for n in EXPECTED[name])


# --- lessons written after the planner was tuned, in other authors' phrasings ----------------------


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    theme = load_theme()
    out = tmp_path_factory.mktemp("unseen")
    return {
        path.name: list(
            Presentation(str(build_deck(plan(read_lesson(path)), theme, out / f"{path.stem}.pptx").path)).slides
        )
        for path in sorted(UNSEEN.glob("*"))
    }


def test_lessons_in_other_phrasings_get_no_blank_slide_and_no_direction_words(unseen: dict[str, list[Any]]) -> None:
    for name, slides in unseen.items():
        directions = [o.direction.lower() for o in read_lesson(UNSEEN / name).outline]
        for n in range(2, len(slides) + 1):
            shown = body(slides, n)
            assert shown.strip(), f"{name} slide {n} is blank"
            # Only a marked draft visual shows its direction: it tells the designer what to draw.
            assert directions[n - 1] not in shown or "draft visual" in shown, f"{name} slide {n} shows its direction"
            for phrase in ("three bullets", "two-column compare", "process flow", "icon row", "split screen"):
                assert phrase not in shown, f"{name} slide {n} shows {phrase!r}"


def test_other_phrasings_find_the_lessons_structures(unseen: dict[str, list[Any]]) -> None:
    migrations = unseen["D3.4.2-zero-downtime-migrations.md"]
    pie = the_chart(migrations[5])
    assert list(pie.plots[0].categories) == ["Backfill", "Verification queries", "Cutover deploy", "Buffer"]
    assert list(pie.series[0].values) == [24.0, 8.0, 3.0, 5.0]
    assert node_labels(migrations[1]) == ["Expand", "Migrate", "Contract"]
    assert [s.name for s in named(migrations[3], "Marked line")] == ["Marked line 2"]
    gdpr = unseen["G2.1.3-gdpr-basics-for-engineers.txt"]
    rights = the_table(gdpr[2])
    assert rights[0] == ["Right", "What the user gets", "Deadline"] and [r[0] for r in rights[1:]] == [
        "Access", "Rectification", "Erasure", "Portability",
    ]  # fmt: skip
    assert len(named(gdpr[1], "Card ")) == 6
    passwords = unseen["S1.2.1-password-hygiene.txt"]
    columns = [s.text_frame.text.lower() for s in passwords[5].shapes if s.has_text_frame]
    assert any("recovery codes" in c for c in columns) and any("share a password" in c for c in columns)
    assert len(named(passwords[5], "Column ")) == 2
    assert "verizon" in body(passwords, 2)
    k8s = unseen["K8.3.1-kubernetes-network-policies.md"]
    assert node_labels(k8s[1]) == ["Frontend", "Api", "Db"]
    assert len(named(k8s[6], "Check box ")) == 5


# What EXPECTED calls each kind of slide, as the deck's layouts: a placeholder for data the lesson
# lacks is an illustrative chart or a drawn Venn; a numbered recap is steps.
LAYOUT_OF_KIND = {
    "comparison": {"comparison"}, "flow": {"diagram"}, "chain": {"diagram"}, "diagram": {"diagram"},
    "code": {"code"}, "chart": {"chart"}, "statement": {"statement"}, "steps": {"steps"}, "table": {"table"},
    "bullets": {"bullets"}, "quote": {"quote"}, "recap": {"recap", "steps"}, "cards": {"cards"},
    "timeline": {"timeline"}, "placeholder": {"chart", "diagram"}, "stat": {"stat"}, "checklist": {"checklist"},
    "end": {"end"},
}  # fmt: skip
KINDS = [(name, n, spec["kind"]) for name, slides in EXPECTED.items() if not name.startswith("_")
         for n, spec in slides.items() if "kind" in spec]  # fmt: skip


@pytest.mark.parametrize(("lesson", "n", "kind"), KINDS, ids=[f"{k[0][:6]}-slide{k[1]}" for k in KINDS])
def test_each_slide_is_drawn_in_the_layout_its_direction_asks_for(lesson: str, n: str, kind: str) -> None:
    slide = plan(read_lesson(LESSONS[lesson])).slides[int(n) - 1]
    assert slide.layout in LAYOUT_OF_KIND[kind], (slide.layout, kind)
