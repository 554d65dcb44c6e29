"""Split prose into sentences and count its words: shared by planning, budgeting and narration.

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
