"""Split prose into sentences and count its words and syllables: shared by planning, budgeting and narration.

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
    """Words as a listener hears them counted: runs of letters/digits, joined by apostrophes, hyphens or dots."""
    return len(_WORDS.findall(text))


# Time to say a text follows its syllables far more closely than its words: measured on the
# sample lesson, espeak-ng said 103 to 144 words a minute from slide to slide but 4.0 to 4.3
# syllables a second throughout (Piper: 4.7 to 5.2). So a pace in words per minute is taken to
# mean words of the usual English average of 1.5 syllables: 150 wpm is 3.75 syllables a second.
# (This counter finds 1.15 a word in chatty prose, 1.4 in the Gettysburg Address and 2.0 in the
# sample lesson, whose words are long and technical.)
SYLLABLES_PER_WORD = 1.5
_SPOKEN_PARTS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # hyphens and dots split: "fine-tune" is two
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SPELLED_OUT_MAX = 4  # "GPU", "RLHF" are said letter by letter; longer capitals ("OWASP") as words


def count_syllables(text: str) -> int:
    """Syllables as an English reader would say ``text``, by a spelling heuristic (within a syllable or so a word).

    Digits count one each, short all-capital words are spelled out letter by letter, and
    a final silent "e", "es" or "ed" ("tune", "tunes", "trained") does not count.
    """
    return sum(_part_syllables(part) for part in _SPOKEN_PARTS.findall(text))


def spoken_words(text: str) -> float:
    """How many average words ``text`` takes to say: its syllables over :data:`SYLLABLES_PER_WORD`."""
    return count_syllables(text) / SYLLABLES_PER_WORD


def _part_syllables(part: str) -> int:
    digits = sum(ch.isdigit() for ch in part)
    letters = "".join(ch for ch in part if ch.isalpha())
    if not letters:
        return max(digits, 1)
    if digits or (letters.isupper() and len(letters) <= _SPELLED_OUT_MAX) or not _VOWEL_GROUPS.search(letters.lower()):
        if not letters.isascii():
            return digits + _word_syllables(letters.lower())
        return digits + len(letters)  # "7B", "GPU", "LLM"
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
