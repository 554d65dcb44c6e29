"""Normalising script and recognizer text alike: case, punctuation, hyphens, numbers said aloud, time shares."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.hearing.models import HeardWord
from pipeline.hearing.words import ScriptWord, compounds_as_written, heard_words, normalise, script_words


def test_words_are_lower_case_without_punctuation() -> None:
    assert normalise('Cost: small. (Really!) "Quoted" — done…') == ["cost", "small", "really", "quoted", "done"]


def test_apostrophes_are_dropped_straight_or_curly_as_they_are_not_heard() -> None:
    assert normalise("Won't, LLM’s, the students' 'quoted'") == ["wont", "llms", "the", "students", "quoted"]
    assert normalise("it's") == normalise("its")


@pytest.mark.parametrize("text", ["fine-tuning", "fine tuning", "Fine–tuning", "fine‑tuning", "fine/tuning"])
def test_hyphens_dashes_and_slashes_split_a_compound_into_its_words(text: str) -> None:
    assert normalise(text) == ["fine", "tuning"]


def test_a_spaced_dash_is_only_punctuation() -> None:
    assert normalise("data that — intentionally or incidentally — removes") == [
        *("data", "that", "intentionally", "or", "incidentally", "removes"),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("15", ["fifteen"]),
        ("0", ["zero"]),
        ("300", ["three", "hundred"]),
        ("10,000", ["ten", "thousand"]),
        (
            "1,234,567",
            ["one", "million", "two", "hundred", "thirty", "four", "thousand", "five", "hundred", "sixty", "seven"],
        ),
        ("007", ["zero", "zero", "seven"]),
        ("3.5", ["three", "point", "five"]),
        ("0.01", ["zero", "point", "zero", "one"]),
    ],
)
def test_numbers_are_spelled_out_as_they_are_said(text: str, words: list[str]) -> None:
    assert normalise(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2023", ["twenty", "twenty", "three"]),
        ("2000", ["two", "thousand"]),
        ("2005", ["two", "thousand", "five"]),
        ("1990", ["nineteen", "ninety"]),
        ("1905", ["nineteen", "oh", "five"]),
        ("1900", ["nineteen", "hundred"]),
        ("1990s", ["nineteen", "nineties"]),
        ("2100", ["two", "thousand", "one", "hundred"]),  # past the years' range: a cardinal
        ("2,023", ["two", "thousand", "twenty", "three"]),  # a comma says it is not a year
    ],
)
def test_a_bare_four_digit_number_from_1100_to_2099_reads_as_a_year(text: str, words: list[str]) -> None:
    assert normalise(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("$15", ["fifteen", "dollars"]),
        ("$1", ["one", "dollar"]),
        ("$15.50", ["fifteen", "dollars", "fifty", "cents"]),
        ("$1.5", ["one", "point", "five", "dollars"]),
        ("€20", ["twenty", "euros"]),
        ("$5M", ["five", "million", "dollars"]),
        ("$5 million", ["five", "million", "dollars"]),
        ("40%", ["forty", "percent"]),
        ("40 %", ["forty", "percent"]),
    ],
)
def test_money_and_percentages_are_said_with_their_unit_after_the_amount(text: str, words: list[str]) -> None:
    assert normalise(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1st", ["first"]),
        ("2nd", ["second"]),
        ("3rd", ["third"]),
        ("12th", ["twelfth"]),
        ("20th", ["twentieth"]),
        ("22nd", ["twenty", "second"]),
        ("100th", ["one", "hundredth"]),
    ],
)
def test_ordinals_are_said_as_ordinals(text: str, words: list[str]) -> None:
    assert normalise(text) == words


def test_digits_glued_to_letters_are_split_off() -> None:
    assert normalise("A 7B model, GPT-4o and x86") == [
        "a",
        "seven",
        "b",
        "model",
        "gpt",
        "four",
        "o",
        "and",
        "x",
        "eighty",
        "six",
    ]


def test_dotted_abbreviations_come_apart_into_letters() -> None:
    assert normalise("U.S., e.g., Qi et al.") == ["u", "s", "e", "g", "qi", "et", "al"]


def test_accented_letters_are_folded_to_ascii() -> None:
    assert normalise("Naïve café in Łódź, Straße") == ["naive", "cafe", "in", "lodz", "strasse"]


def test_symbols_that_are_read_out_become_words() -> None:
    assert normalise("R&D, C++") == ["r", "and", "d", "c", "plus", "plus"]


def test_a_script_sentence_and_its_recognizer_rendering_normalise_alike() -> None:
    script = "The Qi et al. paper from 2023 showed it. Cloud spot pricing: $15."
    heard = " The Qi et al. paper from 2023, showed it. Cloud spot-pricing, $15."
    assert normalise(script) == normalise(heard)


def test_script_words_carry_their_sentence_index() -> None:
    assert script_words(["Fine-tuning works.", "", "It's $5."]) == (
        ScriptWord("fine", 0),
        ScriptWord("tuning", 0),
        ScriptWord("works", 0),
        ScriptWord("its", 2),
        ScriptWord("five", 2),
        ScriptWord("dollars", 2),
    )


def test_a_word_that_splits_shares_its_time_by_token_length() -> None:
    words = heard_words([HeardWord(" fine-tuning", 1.0, 2.0, 0.75)])
    assert [w.text for w in words] == ["fine", "tuning"]
    assert words[0].start_s == 1.0
    assert words[0].end_s == pytest.approx(1.4)  # 4 of 10 letters
    assert words[1].start_s == pytest.approx(1.4)
    assert words[1].end_s == 2.0
    assert {w.probability for w in words} == {0.75}


def test_heard_punctuation_alone_is_dropped_and_other_words_keep_their_times() -> None:
    words = heard_words([HeardWord(" —", 0.0, 0.2), HeardWord(" $15.", 0.2, 0.8), HeardWord(" Cost", 0.9, 1.2)])
    assert [(w.text, w.start_s, w.end_s) for w in words] == [
        ("fifteen", 0.2, pytest.approx(0.5)),
        ("dollars", pytest.approx(0.5), 0.8),
        ("cost", 0.9, 1.2),
    ]


def test_a_scale_word_heard_after_an_amount_of_money_comes_before_the_currency() -> None:
    words = heard_words([HeardWord(" $5", 0.0, 0.6), HeardWord(" million", 0.6, 1.0)])
    assert [w.text for w in words] == normalise("$5 million") == ["five", "million", "dollars"]
    assert [w.end_s for w in words] == [pytest.approx(0.6 * 4 / 11), 0.6, 1.0]  # the times stay put


@given(st.text())
def test_normalised_words_are_lower_case_tokens_that_normalise_to_themselves(text: str) -> None:
    words = normalise(text)
    assert all(
        word and word == word.lower() and not any(c.isspace() or c in "0123456789" for c in word) for word in words
    )
    assert normalise(" ".join(words)) == words


@given(st.lists(st.from_regex(r"[A-Za-z$%0-9.,\-' ]{1,12}", fullmatch=True), max_size=6))
def test_heard_words_tile_each_recognizer_words_time_in_order(texts: list[str]) -> None:
    heard = [HeardWord(text, float(i), i + 0.5) for i, text in enumerate(texts)]
    words = heard_words(heard)
    assert len(words) == sum(len(normalise(text)) for text in texts)
    assert all(a.end_s <= b.start_s + 1e-9 for a, b in pairwise(words))
    assert all(w.start_s <= w.end_s for w in words)


def test_british_spellings_become_the_american_ones_the_recognizer_writes() -> None:
    assert normalise("Behaviour summarised; defences at the centre. Analyse colours.") == [
        "behavior", "summarized", "defenses", "at", "the", "center", "analyze", "colors",
    ]  # fmt: skip
    assert normalise("your four hours") == ["your", "four", "hours"]  # short words are left alone


def test_a_compound_heard_apart_is_joined_and_one_heard_whole_is_split_as_the_script_writes_it() -> None:
    script = script_words(["Every dataset needs a use case card."])
    heard = heard_words(
        [HeardWord("Every", 0.0, 0.3), HeardWord("data", 0.3, 0.6), HeardWord("set", 0.6, 0.8),
         HeardWord("needs", 0.8, 1.0), HeardWord("a", 1.0, 1.1), HeardWord("usecase", 1.1, 1.8),
         HeardWord("card.", 1.8, 2.1)]
    )  # fmt: skip
    joined = compounds_as_written(heard, script)
    assert [w.text for w in joined] == [w.text for w in script]
    assert (joined[1].start_s, joined[1].end_s) == (0.3, 0.8)
    assert (joined[4].start_s, joined[5].end_s) == (1.1, 1.8)
    assert joined[4].end_s == pytest.approx(1.1 + 0.7 * 3 / 7)


def test_words_the_script_itself_says_apart_are_not_joined() -> None:
    script = script_words(["A data set and a dataset."])
    heard = heard_words(
        [HeardWord(w, i * 0.3, i * 0.3 + 0.2) for i, w in enumerate(["A", "data", "set", "and", "a", "data", "set."])]
    )
    assert [w.text for w in compounds_as_written(heard, script)] == ["a", "data", "set", "and", "a", "data", "set"]
