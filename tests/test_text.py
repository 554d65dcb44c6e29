"""Splitting narration into sentences: abbreviations, decimals and initials do not end a sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.text import count_words, split_sentences


def test_sentences_split_at_full_stops_question_and_exclamation_marks() -> None:
    assert split_sentences("One. Two? Three! Four") == ("One.", "Two?", "Three!", "Four")


def test_abbreviations_decimals_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "The Qi et al. paper from 2023 showed it. Use a small set, e.g. Alpaca, i.e. public data. "
        "Loss fell by 3.5 percent. J. Smith agreed. Compare vs. Baseline runs."
    )
    assert split_sentences(text) == (
        "The Qi et al. paper from 2023 showed it.",
        "Use a small set, e.g. Alpaca, i.e. public data.",
        "Loss fell by 3.5 percent.",
        "J. Smith agreed.",
        "Compare vs. Baseline runs.",
    )


def test_closing_quotes_stay_with_their_sentence_and_line_breaks_collapse() -> None:
    text = 'Any model that assumes "the attacker won\'t bother." is out of date.\nNext lesson.'
    assert split_sentences(text) == (
        'Any model that assumes "the attacker won\'t bother." is out of date.',
        "Next lesson.",
    )


def test_empty_narration_has_no_sentences() -> None:
    assert split_sentences("  \n ") == ()


def test_words_are_counted_as_spoken_units() -> None:
    assert count_words("Post-LoRA: a 7B model, 3.5 times cheaper — don't wait.") == 9


@given(
    st.lists(
        st.sampled_from(["Word", "word", "e.g.", "et al.", "3.5", "J.", "end.", "Next!", "why?", "—"]), max_size=30
    )
)
def test_splitting_loses_and_reorders_nothing(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert " ".join(split_sentences(text)) == " ".join(text.split())
