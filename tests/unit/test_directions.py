"""Visual directions are read as a small language: kind, count, labels, quote, marks, reuse."""

from __future__ import annotations

import pytest

from pipeline.model import Label, Mark
from pipeline.storyboard import read_direction


def labels(direction: str) -> list[str]:
    return [label.text for label in read_direction(direction).labels]


@pytest.mark.parametrize(
    ("text", "kind", "count"),
    [
        ("five-bullet list.", "bullets", 5),
        ("Bulleted list of the three risks", "bullets", 3),
        ("three cards: detect, contain, recover", "cards", 3),
        ("four tiles, one per family.", "cards", 4),
        ("2×2 grid of cards, one per stage (scrape, filter, dedupe, train), each naming its defence.", "cards", 4),
        ("five-step numbered list, one short imperative line per step.", "steps", 5),
        ("Steps 1 to 4, one line each", "steps", None),
        ("checklist, four items.", "checklist", 4),
        ("six boxes left to right with arrows: a, b, c, d, e, f", "chain", 6),
        ("pipeline: scrape → filter → dedupe → train", "chain", None),
        ("flow diagram, nodes left to right: user, front end, model", "flow", None),
        ("architecture diagram of the agent and its tools", "flow", None),
        ("diagram: agent in the middle, tools around it (email, calendar, shell, browser)", "hub", None),
        ("Venn: 'backdoor' and 'availability' circles overlapping", "venn", None),
        (
            "timeline: T+0, T+15 min, T+1 h, T+24 h, with a two- or three-word caption under each marker.",
            "timeline",
            None,
        ),
        ("bar chart: targeted attack success rate per defence", "chart", None),
        ("Graph of cost over time, illustrative", "chart", None),
        ("comparison table: family | what it exploits | defence that helps most.", "table", None),
        ("table: three rows (a, b, c), columns: pattern, first signal, first lever.", "table", 3),
        ("side-by-side: before | after.", "comparison", None),
        ("two columns: what the user sees on the left, what the model sees on the right", "comparison", 2),
        ("Pros and cons", "comparison", None),
        ("PI = property of deployment; HFT = produces a different model.", "comparison", None),
        ("code block: the vulnerable prompt template, with the {retrieved_documents} line highlighted.", "code", None),
        ("Terminal output of the scan", "code", None),
        (
            'pull-quote: "A finding that never becomes a regression test is a finding you will make again."',
            "quote",
            None,
        ),
        ('statement slide, large centred type: "Anything the model reads is a channel."', "statement", None),
        ('keep it simple — just the question on screen: "Who is allowed to call this tool?"', "statement", None),
        ('key stat: "$60", with the source underneath.', "stat", None),
        ("Big number: 73% of teams", "stat", None),
        ("three-word recap: behaviours, judge, regress.", "recap", 3),
        ("three words on screen: Preserve. Contain. Replay.", "recap", 3),
        ('end card: "Up next" and the next lesson\'s title.', "end", None),
        ('one line on screen: "Next: L4.2.2 — Backdoors in depth"', "end", 1),
        ("same diagram as slide 3, with the email tool highlighted in red", "reuse", None),
        ("Photo of a server room", "placeholder", None),
        ("", "bullets", None),
        ("something the author did not finish", "bullets", None),
    ],
)
def test_a_direction_names_its_kind_and_count(text: str, kind: str, count: int | None) -> None:
    direction = read_direction(text)
    assert (direction.kind, direction.count) == (kind, count)
    assert direction.text == " ".join(text.split())


def test_the_first_slide_is_the_title_whatever_its_direction_says() -> None:
    assert read_direction('"Jailbreak families" over a dimmed dashboard', is_first=True).kind == "title"


@pytest.mark.parametrize(
    ("text", "title", "kind"),
    [("one line on screen", "Up next", "end"), ("three-bullet list", "Recap", "bullets"), ("", "Summary", "recap")],
)
def test_a_slide_title_decides_what_a_vague_direction_leaves_open(text: str, title: str, kind: str) -> None:
    assert read_direction(text, title=title).kind == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three cards labelled Detect, Contain, Recover, one icon each.", ["Detect", "Contain", "Recover"]),
        ("five boxes left to right with arrows: behaviours, converters, target adapter, judge, results store.",
         ["behaviours", "converters", "target adapter", "judge", "results store"]),
        ("pipeline: scrape → filter → dedupe → train, with the poison entering at scrape.",
         ["scrape", "filter", "dedupe", "train"]),
        ("three words on screen: Preserve. Contain. Replay.", ["Preserve", "Contain", "Replay"]),
        ("timeline: T+0, T+15 min, T+1 h, with a caption under each marker.", ["T+0", "T+15 min", "T+1 h"]),
        ("column chart, one column per model size (600M, 2B, 7B, 13B): share of tokens", ["600M", "2B", "7B", "13B"]),
        ("side-by-side: before | after.", ["before", "after"]),
        ("before vs after", ["before", "after"]),
        ("code block: the vulnerable prompt template, with the line highlighted.", []),
        ("five-step numbered list, one short imperative line per step.", []),
    ],
)  # fmt: skip
def test_labels_are_read_from_lists_brackets_arrows_and_pipes(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


def test_comparison_columns_keep_what_the_direction_says_each_shows() -> None:
    direction = read_direction(
        'two columns: "What you see" on the left (the email as rendered), "What the model sees" on the right '
        "(the same email as raw text, hidden line in red)."
    )
    assert direction.labels == (
        Label("What you see", "the email as rendered"),
        Label("What the model sees", "the same email as raw text, hidden line in red"),
    )
    assert Mark("hidden", "highlight", "red") in direction.marks


def test_a_table_direction_gives_rows_and_columns() -> None:
    direction = read_direction(
        "table: three rows (jailbreak campaign, agent hijack, stolen API keys), "
        "columns: pattern, first signal, first lever."
    )
    assert [label.text for label in direction.labels] == ["jailbreak campaign", "agent hijack", "stolen API keys"]
    assert direction.columns == ("pattern", "first signal", "first lever")
    assert read_direction("comparison table: columns judge, good at, fails when; one row per judge type.").columns == (
        "judge",
        "good at",
        "fails when",
    )


def test_marks_highlight_grey_out_enclose_and_call_out() -> None:
    reuse = read_direction(
        "same diagram as slide 3, with the email tool highlighted in red and the other boxes greyed out."
    )
    assert reuse.reuses == 3
    assert set(reuse.marks) == {Mark("email tool", "highlight", "red"), Mark("others", "dim-others")}
    assert read_direction("bar chart: rate per defence; no-defence bar in grey.").marks == (
        Mark("no-defence", "highlight", "grey"),
    )
    assert read_direction("code block: the test case, success_if line highlighted.").marks == (Mark("success_if"),)
    hub = read_direction(
        "diagram: agent in the middle, tools around it (a, b), a dashed boundary around the tools it needs"
    )
    assert Mark("the tools it needs", "boundary") in hub.marks
    chain = read_direction("pipeline: scrape → filter → train, with the poison entering at scrape.")
    assert chain.marks == (Mark("scrape", "callout", note="poison"),)


def test_quotes_charts_and_sources_are_read() -> None:
    assert (
        read_direction('pull-quote: "Minimize fine-tunes you don\'t need."').quote
        == "Minimize fine-tunes you don't need."
    )
    quote = read_direction("pull-quote from Wei et al. (2023), attribution underneath.")
    assert (quote.kind, quote.quote, quote.source) == ("quote", "", "Wei et al. (2023)")
    chart = read_direction(
        "line chart: median time to detect per quarter, illustrative only; axis titles but no values."
    )
    assert (chart.measure, chart.per, chart.illustrative) == ("median time to detect", "quarter", True)
    sketch = read_direction(
        "line chart, illustrative only: clean score flat through training, triggered rate climbing."
    )
    assert sketch.labels == (Label("clean score", "flat through training"), Label("triggered rate", "climbing"))
    assert read_direction("bar chart: success rate per defence, numbers from the AgentDojo study").source == "AgentDojo"


def test_a_hub_puts_its_centre_first() -> None:
    direction = read_direction("diagram: agent in the middle, tools around it (email, calendar, shell, browser)")
    assert labels(direction.text) == ["agent", "email", "calendar", "shell", "browser"]
    assert direction.labels[0].note == "centre"
