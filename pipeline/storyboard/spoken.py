"""The spoken forms of a slide's narration: how a speaker lists, labels and announces things.

Each function looks for one common way a script says a thing aloud ("One: … Two: …", "The first
family is …", "Three things to take away.", "Check that …", "Label: explanation", "Next lesson: …")
and returns what it found, or nothing. The fillers decide which finding a slide shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import split_sentences
from .phrases import LIST_JOINS, capitalise, is_imperative, overlap, split_actions, tidy

ORDINALS = ("one", "two", "three", "four", "five", "six", "seven", "eight")
ORDINALS_ALT = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
LAST_WORDS = ("finally", "lastly", "and finally", "last")
"""Words that close a spoken run, of ordinals ("Two: … Finally: …") or of steps ("Next, … Lastly, …")."""
_CONNECTIVE = r"(?:and|also|then)\s+"
CHECK_VERBS = re.compile(
    rf"^(?:{_CONNECTIVE})?(check(?:\s+that)?|make\s+sure|ensure|confirm(?:\s+that)?|verify(?:\s+that)?|"
    r"test\s+that|see\s+that)\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
# Where a spoken marker ("Two:", "Next,") may stand: the start of the text, a sentence or a clause.
_MARKER_START = r"(?:(?<=[.!?:;])\s+|^)"


def enumeration(narration: str) -> list[str]:
    """Bodies of a spoken enumeration: ``One: … Two: …``, ``First, … Second, … Finally, …``,
    ``Step one: … Step two: …``, ``To start, … Next, … After that, … Lastly, …``,
    ``The first family is … The second family is …``. Each body keeps its lead phrase (``X: rest``)."""
    for found in (
        _ordinal_run(narration, ORDINALS),
        _ordinal_run(narration, ORDINALS_ALT),
        _ordinal_run(narration, ORDINALS, prefix="Step"),
        _sequence(narration),
        _the_nth(narration),
    ):
        if len(found) >= 2:
            return found
    return []


SEQUENCE_START = ("To start", "To begin", "First", "First of all", "Start by")
SEQUENCE_NEXT = ("Next", "Then", "After that", "Afterwards", "Second", "Third", "Fourth", "Fifth")
SEQUENCE_END = tuple(w.capitalize() for w in LAST_WORDS)


def _sequence(narration: str) -> list[str]:
    """``To start, … Next, … After that, … Lastly, …``: a run that starts, goes on and may end."""
    words = sorted({*SEQUENCE_START, *SEQUENCE_NEXT, *SEQUENCE_END}, key=len, reverse=True)
    pattern = _MARKER_START + "(" + "|".join(re.escape(w) for w in words) + r")\s*,\s+"
    found = _cut_at(pattern, narration)
    if not found or found[0][0] not in SEQUENCE_START:
        return []
    bodies = [found[0][1]]
    for marker, body in found[1:]:
        if marker in SEQUENCE_START:
            break
        bodies.append(body)
        if marker in SEQUENCE_END:
            break
    return [_first_paragraph(b) for b in bodies] if len(bodies) >= 3 else []


def _ordinal_run(narration: str, ordinals: Sequence[str], *, prefix: str = "") -> list[str]:
    names = [o.capitalize() for o in ordinals] + [w.capitalize() for w in LAST_WORDS]
    if prefix:  # "Step one: …", with the ordinal in any case
        names = [o for o in ordinals] + names
    lead = rf"{prefix}\s+" if prefix else ""
    pattern = _MARKER_START + r"(?:And\s+)?" + lead + "(" + "|".join(names) + r")(?:ly)?\s*[:,.]\s+"
    found = [(name.lower(), body) for name, body in _cut_at(pattern, narration)]
    expected = list(ordinals)
    if prefix:  # "Step five" ends a stepped run as well as any
        found = [(name, body) for name, body in found if name not in LAST_WORDS]
    bodies: list[str] = []
    for k, (name, body) in enumerate(found):
        if k < len(expected) and name == expected[k]:
            bodies.append(body)
        elif name in LAST_WORDS and k >= 1 and len(bodies) == k:
            bodies.append(body)
            break
        else:
            break
    return [_first_paragraph(b) for b in bodies]


def _the_nth(narration: str) -> list[str]:
    """``The first family is role-play and persona: …`` -> ``role-play and persona: …``."""
    nth = "|".join((*ORDINALS_ALT, "last", "final"))
    pattern = rf"\bThe ({nth}) ([a-z-]+(?: [a-z-]+)?) (?:is|are|was)\s+"
    found = [(nth, body) for nth, _, body in _cut_at(pattern, narration)]
    if len(found) < 2 or found[0][0] != "first":
        return []
    return [_first_paragraph(body) for _, body in found]


def _cut_at(pattern: str, text: str) -> list[tuple[str, ...]]:
    """``text`` cut where ``pattern`` matches: per match, what its groups caught and then the text up to
    the next match (``One: a. Two: b.`` -> [(``One``, ``a.``), (``Two``, ``b.``)])."""
    parts = re.split(pattern, text)
    step = re.compile(pattern).groups + 1
    return [tuple(parts[i : i + step]) for i in range(1, len(parts) - step + 1, step)]


def _first_paragraph(text: str) -> str:
    return text.split("\n\n", 1)[0].strip()


ANNOUNCING = re.compile(
    r"^(?:here are |there are |remember |keep |just )?(two|three|four|five|six|\d)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:things?|takeaways?|points?|rules?|habits?|lessons?|ideas?|words?|steps?|questions?|reasons?|checks?)\b",
    re.I,
)


def announced(narration: str) -> list[str]:
    """Sentences that follow a count said aloud: ``Three things to take away. A. B. And C.`` -> [A, B, C]."""
    sentences = list(split_sentences(narration))
    for i, sentence in enumerate(sentences):
        match = ANNOUNCING.match(sentence)
        if not match or len(sentence.split()) > 10 or sentence.rstrip().endswith(":"):
            continue
        count = int(match.group(1)) if match.group(1).isdigit() else ORDINALS.index(match.group(1).lower()) + 1
        following = [re.sub(r"^(?:and|also|finally)\s+", "", s, flags=re.I) for s in sentences[i + 1 : i + 1 + count]]
        if len(following) == count and all(len(s.split()) <= 20 for s in following):
            return [capitalise(s) for s in following]
    return []


def inline_lists(text: str) -> list[list[str]]:
    """Lists written inside one sentence after a colon: names (``six of them: consent, contract, … and
    legitimate interests``) or actions (``So: pick a lawful basis first, build …, and know …``)."""
    found = []
    for sentence in split_sentences(text):
        if ":" not in sentence:
            continue
        lead, rest = (tidy(p) for p in sentence.split(":", 1))
        parts = [tidy(p) for p in re.split(LIST_JOINS, rest) if tidy(p)]
        # A list of names is announced with its count ("six of them:", "three phases:"), not a label ("Managed:").
        counted = re.search(rf"\b(?:\d+|{'|'.join(ORDINALS)}|several|these|following)\b", lead, re.I)
        names = bool(counted) and len(parts) >= 3 and all(len(p.split()) <= 5 for p in parts)
        actions = split_actions(rest)
        if names:
            found.append(parts)
        elif len(actions) >= 3 and all(len(a.split()) <= 14 for a in actions):
            found.append(actions)
    return found


def labelled(text: str) -> list[tuple[str, str]]:
    """Sentences that open with a short label and a colon (``Detect: you can only …``), each with the
    text up to the next labelled sentence: (label, explanation)."""
    found: list[tuple[str, str]] = []
    for sentence in split_sentences(text):
        match = re.match(r"^([A-Z][\w'’+-]*(?: [\w'’+-]+){0,4}):\s+(.+)$", sentence)
        if match and not re.search(r"\b(?:is|are|was|were|says|said|reads)$", match.group(1)):
            found.append((match.group(1), match.group(2)))
        elif found:
            label, body = found[-1]
            found[-1] = (label, f"{body} {sentence}")
    return found


def lead_phrases(text: str) -> list[tuple[str, str]]:
    """Sentences shaped ``Lead phrase — explanation``: (lead, explanation)."""
    found = []
    for sentence in split_sentences(text):
        parts = re.split(r"\s+[—–]\s+", sentence, maxsplit=1)
        if len(parts) == 2 and 1 <= len(parts[0].split()) <= 12:
            found.append((tidy(parts[0].rstrip(",:;")), tidy(parts[1])))
    return found


def checks(text: str) -> list[str]:
    """Sentences of a checklist: ``Check that …``, ``Make sure …``, ``Confirm …``, ``Ensure …``."""
    out = []
    for sentence in split_sentences(text):
        if CHECK_VERBS.match(sentence):
            out.append(re.sub(rf"^{_CONNECTIVE}", "", sentence, flags=re.I))
    return out if len(out) >= 2 else []


def imperatives(text: str) -> list[str]:
    """The longest run of imperative sentences (``Pin the target …``, ``Throttle your traffic …``)."""
    best: list[str] = []
    run: list[str] = []
    for sentence in split_sentences(text):
        if is_imperative(sentence):
            run.append(sentence)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best if len(best) >= 2 else []


def quoted_passages(text: str, min_words: int = 6) -> list[str]:
    """Quoted sentences in ``text`` (``"Competing objectives arise when …"``), long enough to be a quote."""
    return [tidy(m.group(1)) for m in _QUOTED.finditer(text) if len(m.group(1).split()) >= min_words]


def next_lesson(narration: str) -> str:
    """The next lesson's title as the narration announces it (``Next lesson: human approval for …, and …``)."""
    match = re.search(r"\b(?:Next lesson|Next up|Up next|Next time|Next)\s*[:,—–-]\s*([^.?!]+)", narration)
    if not match:
        return ""
    title = re.split(r",\s*(?:and|where|how|which|with)\b|\s+[—–]\s+|;", match.group(1), maxsplit=1)[0]
    return tidy(title)


def spoken_matches(spoken: str, written: str) -> bool:
    """Whether a narration sentence reads out a written passage (``audit at acme-review dot com`` for
    ``audit@acme-review.com``): most of the passage's words are spoken."""
    return overlap(written, spoken) >= 0.7
