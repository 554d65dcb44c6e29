"""The budget estimates seconds per slide and judges the total against target and cap."""

from __future__ import annotations

import pytest
from conftest import SAMPLE

from pipeline.budget import Pace, advice, classify, estimate, format_table, to_json, with_audio
from pipeline.lesson import read_lesson
from pipeline.storyboard import plan
from pipeline.text import count_words


@pytest.fixture(scope="module")
def storyboard():
    return plan(read_lesson(SAMPLE))


def test_words_count_hyphenated_and_dotted_forms_once():
    assert count_words("Post-fine-tune safety evaluation — GPT-3.5, don't panic.") == 6


def test_estimate_is_words_at_the_pace_plus_the_sentence_and_slide_pauses(storyboard):
    budget = estimate(storyboard, Pace(wpm=120, slide_pause_s=1.0, sentence_pause_s=0.5))
    first = budget.slides[0]  # "Harmful fine-tuning and alignment removal. Five minutes."
    assert first.words == 7
    assert first.estimate_s == pytest.approx(7 / 120 * 60 + 1.0 + 0.5, abs=0.01)
    no_pauses = estimate(storyboard, Pace(wpm=120, slide_pause_s=0, sentence_pause_s=0))
    assert no_pauses.duration_s == pytest.approx(budget.words / 2, abs=0.05)


@pytest.mark.parametrize(
    ("duration", "status"),
    [(301, "over_cap"), (300, "over_target"), (265, "over_target"), (264, "ok"), (216, "ok"), (215.9, "under_target")],
)
def test_status_follows_the_design_thresholds(duration, status):
    assert classify(duration, 240, 300) == status


def test_sample_is_under_target_and_says_how_many_words_short(storyboard):
    budget = estimate(storyboard)
    assert budget.status == "under_target"
    lines = advice(budget)
    assert lines[0].startswith("under the target by 41 s: about 102 words short")
    assert "declares ~580 words but has 444 (-23%)" in lines[1]


def test_over_the_cap_advice_names_words_to_cut_largest_slides_first(storyboard):
    budget = estimate(storyboard, Pace(wpm=80))
    assert budget.status == "over_cap"
    text = advice(budget)[0]
    assert text.startswith(f"over the cap by {budget.duration_s - 300:.0f} s: cut about")
    assert "largest slides first: slide 2 (137 words), slide 3 (84 words), slide 6 (58 words)" in text


def test_timing_json_has_the_contract_keys_and_nulls_before_audio(storyboard):
    document = to_json(estimate(storyboard))
    assert set(document) == {"lesson", "target_s", "cap_s", "declared_words", "words", "duration_s", "status", "slides"}
    assert set(document["slides"][0]) == {"n", "title", "words", "estimate_s", "audio_s", "start_s", "end_s"}
    assert document["slides"][0]["audio_s"] is None and document["slides"][0]["start_s"] is None


def test_measured_audio_replaces_estimates_and_lays_slides_end_to_end(storyboard):
    budget = with_audio(estimate(storyboard), [10.0, 20.5, 30, 1, 2, 3, 4])
    assert budget.measured
    assert budget.duration_s == pytest.approx(70.5)
    assert [(s.start_s, s.end_s) for s in budget.slides[:3]] == [(0.0, 10.0), (10.0, 30.5), (30.5, 60.5)]
    assert to_json(budget)["duration_s"] == 70.5


def test_the_table_shows_every_slide_and_the_total_against_target_and_cap(storyboard):
    table = format_table(estimate(storyboard))
    assert "total 444 words, 3:19 estimated at 150 wpm; target 4:00, cap 5:00: under target" in table
    for n in range(1, 8):
        assert f"\n{n:>3}  " in table
