"""The storyboard pairs script and outline, picks layouts and takes short phrases from the lesson."""

from __future__ import annotations

import pytest
from support.lessons import SAMPLE, small_lesson, write_lesson

from pipeline.build import load_storyboard, storyboard_file, write_storyboard_file
from pipeline.errors import ConfigError
from pipeline.lesson import read_lesson
from pipeline.storyboard import plan, title_similarity
from pipeline.storyboard.spoken import enumeration, lead_phrases


@pytest.fixture(scope="module")
def storyboard():
    return plan(read_lesson(SAMPLE))


def texts(slide):
    return [item.text for item in slide.items]


def test_the_sample_plans_seven_slides_with_the_layouts_their_directions_ask_for(storyboard):
    assert [s.n for s in storyboard.slides] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.layout for s in storyboard.slides] == [
        "title", "cards", "chart", "comparison", "bullets", "bullets", "quote",
    ]  # fmt: skip
    # The one warning: the cost curve has no numbers in the lesson, so it is drawn as a marked sketch.
    assert [w.message for w in storyboard.warnings] == [
        "slide 3: the lesson gives no numbers for this chart; drawn as an illustrative sketch"
    ]
    assert (storyboard.target_s, storyboard.cap_s) == (240.0, 300.0)


def test_slide_1_is_the_title_slide_named_after_the_lesson(storyboard):
    slide = storyboard.slides[0]
    assert slide.title == "Harmful fine-tuning and alignment removal"
    assert slide.items == ()
    assert storyboard.code == "L4.3.1"
    assert storyboard.module.startswith("Module 4")


def test_slide_2_shows_three_cards_from_the_spoken_enumeration(storyboard):
    slide = storyboard.slides[1]
    assert texts(slide) == [
        "Deliberate alignment removal",
        "Accidental alignment degradation",
        "Benign-purpose data with collateral effects",
    ]
    assert (
        slide.items[0].detail == "Attacker fine-tunes on a dataset of harmful prompts paired with compliant responses"
    )


def test_slide_3_sketches_the_falling_cost_curve_beside_key_points_from_the_core_content(storyboard):
    slide = storyboard.slides[2]
    assert slide.visual.startswith("cost curve")
    assert slide.chart is not None and slide.chart.illustrative and not slide.chart.has_data
    assert [(s.name, s.trend) for s in slide.chart.series] == [("Cost — dropping", "falling")]
    assert slide.chart.categories == ("research-only", "anyone")
    assert texts(slide) == [
        "A single consumer GPU can fine-tune a 7B model in hours",
        "Cloud GPU spot pricing for the same training",
        "Public datasets for alignment removal exist",
        "The technique is dual-use",
    ]
    assert slide.items[1].detail == "$5–$50"
    assert slide.production_notes == ("Slide 3 (cost curve) is the slide that lands the operational point.",)


def test_slide_4_compares_the_two_attacks_with_acronyms_spelled_out(storyboard):
    slide = storyboard.slides[3]
    assert [(i.text, i.detail) for i in slide.items] == [
        ("Prompt injection", "Property of deployment"),
        ("Harmful fine-tuning", "Produces a different model"),
    ]


def test_slides_5_and_6_list_the_lead_phrases_of_the_narration(storyboard):
    assert texts(storyboard.slides[4]) == [
        "Audit fine-tune datasets",
        "Post-fine-tune safety evaluation",
        "Smaller fine-tunes",
    ]
    assert texts(storyboard.slides[5]) == [
        "Source restriction",
        "Behavioral evaluation, not just model card claims",
        "Adapter provenance",
    ]
    assert storyboard.slides[5].items[0].detail.startswith("Pull from publishers you trust")


def test_slide_7_is_the_quoted_pull_quote(storyboard):
    assert texts(storyboard.slides[6]) == ["Minimize fine-tunes you don't need; audit the ones you do."]


def test_on_slide_text_is_short_phrases_never_narration_paragraphs(storyboard):
    for slide in storyboard.slides:
        for item in slide.items:
            assert len(item.text.split()) <= 18, item
            assert len(item.detail.split()) <= 20, item
            assert item.text not in slide.narration.split("\n\n")


def test_speaker_notes_hold_narration_visual_direction_and_production_notes(storyboard):
    notes = storyboard.slides[2].speaker_notes
    assert notes.startswith(storyboard.slides[2].narration)
    assert "Visual: cost curve dropping" in notes
    assert "Production note: Slide 3 (cost curve)" in notes


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("Differs from PI", "Differs from prompt injection", True),
        ("Honest answer", "Honest answer + up next", True),
        ("Defenses for your pipeline", "Defenses for your own pipeline", True),
        ("Definition + three sources", "Definition + three sources", True),
        ("Why low cost matters", "Defenses for pulled models", False),
        ("Quiz", "Summary of the week", False),
    ],
)
def test_titles_are_matched_fuzzily(a, b, agree):
    assert (title_similarity(a, b) >= 0.6) is agree


def test_mismatched_outline_count_titles_and_skipped_numbers_are_warnings(tmp_path):
    body = small_lesson(
        [("Intro", "Hello there."), ("Costs", "Money matters."), ("Wrap", "Bye now.")],
        outline=["- Intro — title.", "- Weather report — three-bullet list."],
    ).replace("[SLIDE 3 —", "[SLIDE 4 —")
    storyboard = plan(read_lesson(write_lesson(tmp_path, "warn.txt", body)))
    messages = [w.message for w in storyboard.warnings]
    assert "the script has 3 slides but the slide outline has 2" in messages
    assert "slide 2: script title 'Costs' and outline title 'Weather report' disagree" in messages
    assert "slide numbers skip: expected 3, found 4" in messages
    assert len(storyboard.slides) == 3  # the build goes on


def test_enumerations_and_lead_phrases_are_read_from_narration():
    assert enumeration("Two kinds. First, cheap attacks. They scale. Second, costly ones.") == [
        "cheap attacks. They scale.",
        "costly ones.",
    ]
    assert lead_phrases("Intro. Patch often — every week. Back up — daily.") == [
        ("Patch often", "every week"),
        ("Back up", "daily"),
    ]


def test_the_authors_storyboard_file_wins_for_layout_and_items_but_not_narration(tmp_path):
    lesson = tmp_path / SAMPLE.name
    lesson.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    path = write_storyboard_file(lesson)
    assert path == storyboard_file(lesson)
    assert load_storyboard(lesson) == plan(read_lesson(lesson))  # the untouched file changes nothing

    text = path.read_text(encoding="utf-8")
    text = text.replace("layout: bullets", "layout: cards", 1).replace(
        "text: Audit fine-tune datasets", "text: Audit every dataset"
    )
    path.write_text(text, encoding="utf-8")
    edited = load_storyboard(lesson)
    assert edited.slides[4].layout == "cards"
    assert edited.slides[4].items[0].text == "Audit every dataset"
    assert edited.slides[4].narration == plan(read_lesson(lesson)).slides[4].narration

    with pytest.raises(ConfigError, match="already exists"):
        write_storyboard_file(lesson)


def test_a_bad_storyboard_file_names_each_problem_with_its_line(tmp_path):
    lesson = tmp_path / SAMPLE.name
    lesson.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    storyboard_file(lesson).write_text(
        "lesson: x\nslides:\n- n: 2\n  layout: spiral\n- n: 42\n  title: Extra\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_storyboard(lesson)
    message = str(info.value)
    assert f"{storyboard_file(lesson)}:4: unknown layout 'spiral'" in message
    assert f"{storyboard_file(lesson)}:5: slide 42 is not in the lesson's script" in message
