"""Words as a listener would write them down, so a script and what a recognizer heard can be compared.

A script says "Cloud spot pricing, $5 to $15." and a recognizer writes " 5", " to", " $15."; a
script says "fine-tuning" and the recognizer "fine tuning". Both sides go through
:func:`normalise`, which lower-cases, folds accents, drops punctuation, splits at hyphens, dashes
and slashes and spells numbers out as they are said, so only real differences remain. What
matters is that both sides are treated alike, not that the spelling is the one a style guide
would choose ("U.S." is "u s" on both sides).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .models import HeardWord

_ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ("", "thousand", "million", "billion", "trillion")
_CARDINAL_MAX_DIGITS = 15  # up to the trillions; longer runs of digits are read digit by digit
_YEARS = range(1100, 2100)  # a bare four-digit number in this range is read as a year
_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
# The currency sign's word, singular and plural. The sign is said after the amount.
_CURRENCIES = {"$": ("dollar", "dollars"), "€": ("euro", "euros"), "£": ("pound", "pounds")}
_CURRENCY_WORDS = {plural: plural for _, plural in _CURRENCIES.values()} | {
    singular: plural for singular, plural in _CURRENCIES.values()
}
# "$5M", "$2bn", "$10k": the letter is a scale only after a currency sign ("7B" is a model size).
_SCALE_LETTERS = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion", "t": "trillion"}
_SYMBOLS = {"%": "percent", "&": "and", "+": "plus", "=": "equals", "@": "at"}
# Apostrophes as typed by editors and recognizers, all written "'".
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ′`´"})
# After decomposing: letters Unicode does not split into a base letter and an accent, and the
# apostrophes decomposition itself produces.
_FOLD = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"} | {c: "'" for c in "’‘ʼ′`"}
)

_LETTER = r"[^\W0-9_]"  # a letter of any script; Unicode digits other than 0-9 count as letters too
_TOKEN = re.compile(
    # A number: currency sign, digits (with thousands commas), decimals, a scale letter after a
    # currency sign, an ordinal or plural ending, a percent sign.
    r"(?P<currency>[$€£])?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?P<decimals>(?:\.[0-9]+)*)"
    rf"(?(currency)(?:(?P<scale>bn|mn|[kmbt])(?!{_LETTER}))?)"
    rf"(?:(?P<ordinal>st|nd|rd|th)(?!{_LETTER})|(?P<plural>'?s)(?!{_LETTER}))?"
    r"(?P<percent>\s?%)?"
    # A word: letters, with apostrophes only between letters ("won't", "llm's").
    rf"|(?P<word>{_LETTER}+(?:'{_LETTER}+)*)"
    r"|(?P<symbol>[%&+=@])"
)


@dataclass(frozen=True, slots=True)
class ScriptWord:
    """One normalised word of the script, and the index of the sentence it belongs to."""

    text: str
    sentence: int


def normalise(text: str) -> list[str]:
    """The words of ``text`` as a listener would write them, so script and recognizer text compare.

    Lower case, accents folded to ASCII where Unicode allows, punctuation dropped (apostrophes too:
    "it's" is its, as it sounds); hyphens, dashes and slashes split words ("fine-tuning" is "fine
    tuning"). Numbers are spelled out as they are said: "15" fifteen, "2023" twenty twenty three
    (a bare four-digit number from 1100 to 2099 is a year), "10,000" ten thousand, "3.5" three
    point five, "$15" fifteen dollars, "40%" forty percent, "22nd" twenty second, "1990s" nineteen
    nineties; digits glued to letters are split ("7B" seven b). Dotted abbreviations come apart
    ("U.S." is u s), and ``& + = @`` are said as words. British spellings become American ones
    ("behaviour", "summarise", "defence", "centre"), as the recognizer writes them.
    """
    words: list[str] = []
    for match in _TOKEN.finditer(_fold(text)):
        word, symbol = match.group("word"), match.group("symbol")
        if word is not None:
            # Apostrophes go: "it's" and "its" sound the same, and the recognizer picks either.
            words.append(_american(word.replace("'", "")))
        elif symbol is not None:
            words.append(_SYMBOLS[symbol])
        else:
            words.extend(_number_words(match))
    return _scale_before_currency(words)


def script_words(sentences: Sequence[str]) -> tuple[ScriptWord, ...]:
    """Every normalised word of the script's sentences, in order, with its sentence index."""
    return tuple(ScriptWord(word, index) for index, sentence in enumerate(sentences) for word in normalise(sentence))


def heard_words(words: Sequence[HeardWord]) -> tuple[HeardWord, ...]:
    """One word per normalised token of what the recognizer heard, each with its share of the time.

    A recognizer word that normalises to several tokens (" fine-tuning", " $15.") has its time
    span split among them in proportion to their length in characters, a fair guess at how long
    each takes to say. Words that normalise to nothing (a lone dash) are dropped; the probability
    is carried over to every token.
    """
    out: list[HeardWord] = []
    for heard in words:
        tokens = normalise(heard.text)
        total = sum(len(token) for token in tokens)
        span = heard.end_s - heard.start_s
        done = 0
        for index, token in enumerate(tokens):
            start = heard.start_s + span * done / total
            done += len(token)
            # The last token ends exactly where the word did, whatever the rounding.
            end = heard.end_s if index == len(tokens) - 1 else heard.start_s + span * done / total
            out.append(HeardWord(token, start, end, heard.probability))
    texts = _scale_before_currency([w.text for w in out])
    return tuple(
        w if w.text == text else HeardWord(text, w.start_s, w.end_s, w.probability)
        for w, text in zip(out, texts, strict=True)
    )


# British spellings the recognizer (trained mostly on American text) writes the American way. The
# same rewrite runs on both sides, so a word it changes that is not British ("detour") still
# matches itself; the stems are long enough to leave "your", "four" and "hour" alone.
_BRITISH = (
    (re.compile(r"^(\w{3,})our(s|ed|ing|ite|ites|able|ably)?$"), r"\1or\2"),
    (re.compile(r"^(\w{3,})is(e|es|ed|ing|ation|ations)$"), r"\1iz\2"),
    (re.compile(r"^(\w{3,})ys(e|es|ed|ing)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})ence(s)?$"), r"\1ense\2"),
    (re.compile(r"^(\w{2,})tre(s|d)?$"), r"\1ter\2"),
)


def _american(word: str) -> str:
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def compounds_as_written(heard: Sequence[HeardWord], script: Sequence[ScriptWord]) -> tuple[HeardWord, ...]:
    """``heard`` with compounds written the way the script writes them.

    A recognizer writes "data sets" for "datasets" or "dataset" for "data set" at whim; either is
    the same speech. Two heard words that make one script word are joined (unless the script
    itself has them as a pair), and one heard word that the script writes as a pair of
    consecutive words is split in two, its time shared by length.
    """
    vocabulary = {w.text for w in script}
    pairs = {a.text + b.text: (a.text, b.text) for a, b in itertools.pairwise(script)}
    apart = set(pairs.values())
    out: list[HeardWord] = []
    i = 0
    while i < len(heard):
        word = heard[i]
        after = heard[i + 1] if i + 1 < len(heard) else None
        if after is not None and word.text + after.text in vocabulary and (word.text, after.text) not in apart:
            joined = word.text + after.text
            out.append(HeardWord(joined, word.start_s, after.end_s, min(word.probability, after.probability)))
            i += 2
            continue
        if word.text in pairs and word.text not in vocabulary:
            first, second = pairs[word.text]
            middle = word.start_s + (word.end_s - word.start_s) * len(first) / len(word.text)
            out.append(HeardWord(first, word.start_s, middle, word.probability))
            out.append(HeardWord(second, middle, word.end_s, word.probability))
        else:
            out.append(word)
        i += 1
    return tuple(out)


def _fold(text: str) -> str:
    # Case-fold before decomposing ("İ" becomes "i" plus a dot, which is dropped) and after
    # (compatibility forms such as "℡" decompose into capitals). Apostrophes are straightened
    # before ("´" would decompose into a space and an accent) and after ("ŉ" decomposes into "ʼn").
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    # Lower-cased last: case-folding maps a few scripts (Cherokee) to their capitals.
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().lower()
    return text.translate(_FOLD)


def _scale_before_currency(words: list[str]) -> list[str]:
    """ "$5 million" is said "five million dollars": a recognizer writes " $5", " million", and
    "$5M" reads the same way, so the currency word moves after a scale word that follows it."""
    out = list(words)
    for i in range(len(out) - 1):
        if out[i] in _CURRENCY_WORDS and out[i + 1] in _SCALES[1:]:
            out[i], out[i + 1] = out[i + 1], _CURRENCY_WORDS[out[i]]
    return out


def _number_words(match: re.Match[str]) -> list[str]:
    whole = match.group("whole")
    decimals = [part for part in match.group("decimals").split(".") if part]
    currency, scale, ordinal, plural = match.group("currency", "scale", "ordinal", "plural")
    is_year = (
        len(whole) == 4 and int(whole) in _YEARS and not (decimals or currency or ordinal or match.group("percent"))
    )
    words = _year(int(whole)) if is_year else _integer(whole.replace(",", ""))
    # "$15.50" is fifteen dollars fifty cents, not fifteen point five zero dollars.
    cents = currency is not None and not scale and len(decimals) == 1 and len(decimals[0]) == 2
    if not cents:
        for part in decimals:
            words += ["point", *(_ONES[int(digit)] for digit in part)]
    if ordinal:
        words[-1] = _ordinal(words[-1])
    elif plural:
        words[-1] = _plural(words[-1])
    if scale:
        words.append(_SCALE_LETTERS[scale])
    if currency:
        singular, plurals = _CURRENCIES[currency]
        words.append(singular if whole == "1" and not scale and (cents or not decimals) else plurals)
    if cents:
        amount = int(decimals[0])
        if whole == "0" and amount:
            words = []  # "$0.50" is fifty cents
        if amount:
            words += [*_integer(str(amount)), "cent" if amount == 1 else "cents"]
    if match.group("percent"):
        words.append("percent")
    return words


def _integer(digits: str) -> list[str]:
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > _CARDINAL_MAX_DIGITS:
        return [_ONES[int(digit)] for digit in digits]  # "007", long identifiers
    n = int(digits)
    if n == 0:
        return ["zero"]
    groups = []  # thousands groups, lowest first
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for power in reversed(range(len(groups))):
        if groups[power]:
            words += _below_thousand(groups[power]) + ([_SCALES[power]] if power else [])
    return words


def _year(n: int) -> list[str]:
    century, rest = divmod(n, 100)
    if 2000 <= n < 2010:
        return _integer(str(n))  # "two thousand", "two thousand five"
    if rest == 0:
        return [*_below_hundred(century), "hundred"]  # "nineteen hundred"
    if rest < 10:
        return [*_below_hundred(century), "oh", _ONES[rest]]  # "nineteen oh five"
    return _below_hundred(century) + _below_hundred(rest)  # "nineteen ninety", "twenty twenty three"


def _below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_ONES[hundreds], "hundred"] if hundreds else []
    return words + (_below_hundred(rest) if rest else [])


def _below_hundred(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    tens, ones = divmod(n, 10)
    return [_TENS[tens]] + ([_ONES[ones]] if ones else [])


def _ordinal(word: str) -> str:
    if word in _ORDINALS:
        return _ORDINALS[word]
    return word[:-1] + "ieth" if word.endswith("y") else word + "th"


def _plural(word: str) -> str:
    if word.endswith("y"):
        return word[:-1] + "ies"  # "nineties"
    return word + "es" if word.endswith("x") else word + "s"  # "sixes", "sevens"
