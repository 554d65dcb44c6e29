"""Splitting narration into sentences (abbreviations, decimals and initials do not end one) and counting it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text import count_clause_breaks, count_syllables, count_words, split_sentences


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


def test_words_are_whitespace_separated_tokens_as_editors_count_them() -> None:
    text = "Post-LoRA: a 7B model, 3.5 times cheaper — don't wait.\n(Souly et al., 2025)"
    assert count_words(text) == len(text.split()) == 14


@pytest.mark.parametrize(
    ("text", "syllables"),
    [
        ("57.7", 7),  # fif-ty-sev-en point sev-en
        ("0.00016%", 13),  # ze-ro point ze-ro ze-ro ze-ro one six per-cent
        ("2023", 7),  # two thou-sand and twen-ty three
        ("1975", 9),  # nine-teen hun-dred and sev-en-ty five
        ("$60", 4),  # dol-lar six-ty
        ("T+15", 4),  # T plus fif-teen
        ("1,000", 3),  # one thou-sand
        ("250", 6),  # two hun-dred and fif-ty
        ("13B", 3),  # thir-teen B
        ("LAION-400M", 5),  # LAION (one, by spelling) four hun-dred M
        ("24/7", 6),  # twen-ty four slash sev-en
        ("007", 6),  # ze-ro ze-ro sev-en
        ("the 1990s", 8),  # the nine-teen hun-dred and nine-ty(s)
        ("61% of $1.5M", 5 + 1 + 6),  # six-ty one per-cent, of, dol-lar one point five M
    ],
)
def test_numbers_and_symbols_count_the_syllables_espeak_ng_says(text: str, syllables: int) -> None:
    assert count_syllables(text) == syllables


def test_clause_breaks_are_commas_colons_semicolons_and_dashes_but_not_inside_numbers() -> None:
    assert count_clause_breaks("First, the scrape: cheap; then — worse – and - worst.") == 6
    assert count_clause_breaks("1,000 at 10:30 on a fine-tuned model.") == 0


@given(
    st.lists(
        st.sampled_from(["Word", "word", "e.g.", "et al.", "3.5", "J.", "end.", "Next!", "why?", "—"]), max_size=30
    )
)
def test_splitting_loses_and_reorders_nothing(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert " ".join(split_sentences(text)) == " ".join(text.split())
