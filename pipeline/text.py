"""Split prose into sentences and count its words, syllables and clause breaks (for planning, budget and narration).

Sentences are the unit of synthesis, caching and caption timing, so a split in the wrong place
(after "e.g.", inside "3.5", after "Qi et al.") would put a pause and a caption break mid-thought.
"""

from __future__ import annotations

import re

# Lower-cased abbreviations whose final full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    {
        "al",
        "e.g",
        "i.e",
        "cf",
        "vs",
        "etc",
        "approx",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "fig",
        "figs",
        "eq",
        "no",
        "vol",
        "ch",
        "sec",
        "ref",
        "refs",
        "inc",
        "ltd",
        "jr",
        "sr",
        "ca",
        "viz",
        "resp",
    }
)
# "etc." usually ends a list at the end of a sentence; only these keep going past a capital.
_ALWAYS_INNER = frozenset({"e.g", "i.e", "cf", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "fig", "figs", "eq", "no"})

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"""([.!?…]+)(["'”’)\]]*)(\s+)""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# Any script's letters and digits, joined by apostrophes, hyphens, en dashes or dots ("fine-tune", "3.5").
_WORDS = re.compile(r"[^\W_]+(?:['’.\-–][^\W_]+)*")


def split_sentences(text: str) -> tuple[str, ...]:
    """Split ``text`` into sentences, keeping each one's punctuation exactly as written.

    Whitespace runs (including newlines) between sentences are dropped; whitespace inside a
    sentence is collapsed to single spaces so captions and cache keys do not depend on line wrapping.
    A full stop does not end a sentence after a known abbreviation ("e.g.", "et al." before a
    lower-case word), a single capital initial ("J. Smith") or inside a number ("3.5").
    """
    text = " ".join(text.split())
    if not text:
        return ()
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(2)
        following = text[match.end() :]
        if not following:
            break
        if match.group(1) == "." and not _ends_sentence(text[start : match.start(1)], following):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return tuple(s for s in sentences if s)


def _ends_sentence(before: str, following: str) -> bool:
    """Whether a full stop after ``before`` ends the sentence, given the text that follows."""
    next_char = following[0]
    # A sentence starts with a capital, a digit, a quote or a bracket; "et al. found" does not.
    starts_sentence = next_char.isupper() or next_char.isdigit() or next_char in "\"'“‘([-—"
    if not starts_sentence:
        return False
    word_match = _WORD_BEFORE.search(before)
    if word_match is None:
        return True
    word = word_match.group(1).lower()
    if word in _ALWAYS_INNER:
        return False
    if word in ABBREVIATIONS:
        # "et al. (2023)" and "Qi et al. Then" are ambiguous; a digit or bracket keeps going.
        return not (next_char.isdigit() or next_char == "(")
    # A single capital initial such as "J. Smith" (but not the word "I" at a sentence end).
    return not (len(word) == 1 and word_match.group(1).isupper() and word_match.group(1) != "I")


def count_words(text: str) -> int:
    """Whitespace-separated words, as authors' editors count them (and the lessons' declared counts do)."""
    return len(text.split())


# Syllables are what the time to say a text follows (see pipeline.budget, the pace model); words
# are what authors count. This counter finds 1.15 syllables a word in chatty prose, 1.4 in the
# Gettysburg Address, 1.55 to 1.65 in most course lessons and 1.8 to 1.9 in the more technical ones.
_SPELLED_OUT_MAX = 4  # "GPU", "RLHF" are said letter by letter; longer capitals ("OWASP") as words
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# What is said aloud, in order: a number (with its currency sign, thousands commas, decimals,
# ordinal or plural ending and percent sign), a word (letters joined by apostrophes; hyphens,
# dots and digits split it: "fine-tune" is two, "Base64" a word and a number) or a symbol
# that is read out.
_SPOKEN = re.compile(
    r"(?P<currency>[$€£])?(?P<whole>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<decimals>\d+))?"
    r"(?:(?P<ending>st|nd|rd|th|s)(?![^\W\d_]))?(?P<percent>\s?%)?"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<symbol>[%$€£+&=#/@~])"
)
# Numbers and symbols as espeak-ng reads them (Piper phonemizes with espeak-ng too), checked
# against its phonemes (``espeak-ng -q -x``): "57.7" is "fifty-seven point seven", "2023" "two
# thousand and twenty-three", "1975" "nineteen hundred and seventy-five", "$60" "dollar sixty",
# "0.00016%" "zero point zero zero zero one six percent", "T+15" "T plus fifteen".
_DIGIT_SYLLABLES = (2, 1, 1, 1, 1, 1, 1, 2, 1, 1)  # zero, one, …, seven, eight, nine
_TEEN_SYLLABLES = (1, 3, 1, 2, 2, 2, 2, 3, 2, 2)  # ten, eleven, twelve, thirteen, …, nineteen
_TENS_SYLLABLES = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)  # twenty, thirty, …, seventy, eighty, ninety
_SCALE_SYLLABLES = 2  # hundred, thousand, million, billion, trillion
_AND = 1  # "two hundred and fifty", "two thousand and twenty"
_POINT = 1
_SYMBOL_SYLLABLES = {"%": 2, "$": 2, "€": 2, "£": 1, "+": 1, "&": 1, "=": 2, "#": 1, "/": 1, "@": 1, "~": 2}
_CARDINAL_MAX_DIGITS = 15  # up to the trillions; longer runs of digits are read digit by digit


def count_syllables(text: str) -> int:
    """Syllables as ``text`` is said aloud, by a spelling heuristic (within a syllable or so a word).

    Numbers are counted as they are read out (``57.7``: seven; ``2023``: seven; ``0.01%``: eight),
    as are currency signs, percent signs and symbols such as ``+`` and ``/``; short all-capital
    words are spelled out letter by letter, and a final silent "e", "es" or "ed" ("tune",
    "tunes", "trained") does not count.
    """
    total = 0
    for match in _SPOKEN.finditer(text):
        word, symbol = match.group("word"), match.group("symbol")
        if word is not None:
            total += _part_syllables(word)
        elif symbol is not None:
            total += _SYMBOL_SYLLABLES[symbol]
        else:
            total += _number_syllables(match)
    return total


# A pause inside a sentence: a comma, colon or semicolon before a space, or a dash ("1,000" and
# "10:30" are numbers, "fine-tune" one word). Voices pause there; see pipeline.budget for how long.
_CLAUSE_BREAK = re.compile(r"[,;:](?=\s|$)|—|\s[–-]\s")


def count_clause_breaks(text: str) -> int:
    """Pauses inside sentences: commas, colons and semicolons before a space, and dashes."""
    return len(_CLAUSE_BREAK.findall(text))


def _number_syllables(match: re.Match[str]) -> int:
    whole = match.group("whole").replace(",", "")
    count = _integer_syllables(whole)
    if match.group("decimals"):
        count += _POINT + sum(_DIGIT_SYLLABLES[int(d)] for d in match.group("decimals"))
    if match.group("currency"):
        count += _SYMBOL_SYLLABLES[match.group("currency")]
    if match.group("percent"):
        count += _SYMBOL_SYLLABLES["%"]
    # An ordinal ("21st") is said in about as many syllables as the cardinal; a plural "s" ("1990s") adds none.
    return count


def _integer_syllables(digits: str) -> int:
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > _CARDINAL_MAX_DIGITS:
        return sum(_DIGIT_SYLLABLES[int(d)] for d in digits)  # "007", long identifiers
    n = int(digits)
    if n == 0:
        return _DIGIT_SYLLABLES[0]
    if len(digits) == 4 and 1900 <= n <= 1999:  # espeak-ng's years: "nineteen hundred and five"
        rest = n % 100
        return _TEEN_SYLLABLES[9] + _SCALE_SYLLABLES + (_AND + _below_hundred(rest) if rest else 0)
    groups = []  # thousands groups, lowest first
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    count = sum(_below_thousand(g) + (_SCALE_SYLLABLES if i else 0) for i, g in enumerate(groups) if g)
    if len(groups) > 1 and 0 < groups[0] < 100:
        count += _AND  # "one thousand and ten"
    return count


def _below_thousand(n: int) -> int:
    hundreds, rest = divmod(n, 100)
    count = _DIGIT_SYLLABLES[hundreds] + _SCALE_SYLLABLES if hundreds else 0
    if rest:
        count += (_AND if hundreds else 0) + _below_hundred(rest)
    return count


def _below_hundred(n: int) -> int:
    if n < 10:
        return _DIGIT_SYLLABLES[n]
    if n < 20:
        return _TEEN_SYLLABLES[n - 10]
    tens, units = divmod(n, 10)
    return _TENS_SYLLABLES[tens] + (_DIGIT_SYLLABLES[units] if units else 0)


def _part_syllables(letters: str) -> int:
    if (letters.isupper() and len(letters) <= _SPELLED_OUT_MAX) or not _VOWEL_GROUPS.search(letters.lower()):
        if not letters.isascii():
            return _word_syllables(letters.lower())
        return len(letters)  # "GPU", "LLM", the "B" of "7B"
    return _word_syllables(letters.lower())


def _word_syllables(word: str) -> int:
    if not word.isascii():
        # Other scripts: about one syllable per two letters is as good as a guess gets here.
        return max(1, round(len(word) / 2))
    count = len(_VOWEL_GROUPS.findall(word))
    return max(1, count - 1 if count > 1 and _silent_ending(word) else count)


def _silent_ending(word: str) -> bool:
    """A final "e", "es" or "ed" that adds no syllable: "tune", "tunes", "trained" (not "little", "boxes", "wanted")."""
    before = word[-3:-2]
    if word.endswith("e"):
        return not word.endswith(("ee", "ye")) and not (word.endswith("le") and before not in "aeiouy")
    if word.endswith("es"):
        return before not in "sxzaeiouy" and not word.endswith(("ches", "shes", "ges", "ces"))
    return word.endswith("ed") and before not in "tdaeiouy"


# Words that carry no content of their own: left out when two texts are compared by what they say.
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just least let may me might more most must my no nor not of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up upon very via was we were what when
    where which while who whom why will with within would yet you your yours
    s t d ll re ve e g ie eg etc et al
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def stem(word: str) -> str:
    """Plurals and third-person ``-s`` only: a stemmer that never merges words with different meanings
    ("needs" and "need", "defences" and "defence"; never "training" and "train")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word
