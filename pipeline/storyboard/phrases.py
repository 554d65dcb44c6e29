"""Shaping lesson text into on-slide phrases: short, whole clauses, never a pasted paragraph.

A slide shows phrases, not prose. Long sentences are cut at clause boundaries (a comma, a
semicolon, a colon, a dash, "so", "which"), never mid-clause when a whole clause fits, and
a phrase is only cut mid-clause (with an ellipsis) when even its first clause is too long.
"""

from __future__ import annotations

import re

from ..text import STOP_WORDS, split_sentences, stem

MAX_PHRASE_WORDS = 12
MAX_DETAIL_WORDS = 16
MAX_SENTENCE_WORDS = 18
"""A whole sentence shown as one item (a numbered takeaway) may run to this many words."""


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CLAUSE = re.compile(r"\s*(?:;|:|\s[—–]\s|,\s+(?=(?:so|which|because|but|while|whereas|then|and then|so that)\b))\s*")
_COMMA = re.compile(r",\s+")
SUBORDINATE = re.compile(
    r"^(?:if|when|whenever|while|because|although|though|as|since|unless|once|until|before|after)\b", re.I
)
_CODE_SPAN = re.compile(r"`[^`]+`")
LIST_JOINS = r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+"
"""Where a list written in a sentence joins its parts: a comma (with or without "and"/"or"), a bare "and"/"or"."""
_WORD = re.compile(r"[a-z0-9]+")


def capitalise(text: str) -> str:
    """First letter upper-cased, the rest as written (``chat front end`` -> ``Chat front end``)."""
    return text[:1].upper() + text[1:] if text else text


def words(text: str) -> list[str]:
    """Lower-case content words, stop words left out: what two phrases are compared by. A phrase of
    stop words alone ("Do", "Don't") is its own content."""
    every = _WORD.findall(text.lower())
    return [w for w in every if w not in STOP_WORDS] or every


def stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


def overlap(a: str, b: str) -> float:
    """Share of ``a``'s content words (stemmed) that also occur in ``b``."""
    wa, wb = stems(a), stems(b)
    return len(wa & wb) / len(wa) if wa else 0.0


def same_label(a: str, b: str) -> bool:
    """Whether two names are the same thing: ``no-defence`` = ``No defence``, ``Behaviours`` = ``behaviour``."""
    na, nb = stems(a), stems(b)
    if not na or not nb:
        return False
    # A short name inside a short one ("MFA" in "Backed by MFA") or a longer name inside a longer one.
    return na == nb or (na <= nb and (len(na) >= 2 or len(nb) <= 3)) or (nb <= na and (len(nb) >= 2 or len(na) <= 3))


def tidy(text: str) -> str:
    """Trailing full stops and spaces off, inner whitespace collapsed."""
    return " ".join(text.split()).strip().rstrip(".").strip()


def clauses(text: str) -> list[str]:
    """``text`` cut at its clause boundaries, each clause tidied."""
    return [tidy(c) for c in _CLAUSE.split(text) if tidy(c)]


def shorten(text: str, max_words: int = MAX_PHRASE_WORDS) -> str:
    """A phrase of at most ``max_words`` from ``text``: whole clauses where they fit, else the first clause cut.

    Only the first sentence is used. Bracketed asides go before anything else does, then a
    one-word label before a colon (``Specifically: …``).
    """
    sentences = split_sentences(text)
    first = tidy(sentences[0] if sentences else text)
    if _count(first) <= max_words:
        return first
    unbracketed = tidy(_unbracket(first))
    unbracketed = re.sub(r"^\w+(?:\s\w+)?:\s+(?=(?:\S+\s+){3})", "", unbracketed)
    if _count(unbracketed) <= max_words:
        return capitalise(unbracketed) if unbracketed != first else first
    kept = (
        _whole_clauses(unbracketed, max_words)
        or _first_action(unbracketed, max_words)
        or _comma_parts(unbracketed, max_words)
    )
    if not kept and _count(unbracketed) <= max_words + 4:
        kept = unbracketed
    if not kept:
        kept = " ".join(unbracketed.split()[:max_words]).rstrip(",;:") + "…"
    return tidy(kept)


def _whole_clauses(text: str, max_words: int) -> str:
    """As many of ``text``'s clauses from the start as fit in ``max_words``; empty when even the first is longer."""
    kept = ""
    for clause in clauses(text):
        candidate = f"{kept}, {clause}" if kept else clause
        if _count(candidate) > max_words:
            break
        kept = candidate
    return kept


def _first_action(text: str, max_words: int) -> str:
    """The first of a list of actions (``Fix the cause, replay the prompts, …``) when it fits; else empty."""
    actions = split_actions(text)
    return actions[0] if len(actions) > 1 and _count(actions[0]) <= max_words else ""


def _comma_parts(text: str, max_words: int) -> str:
    """``text``'s comma-separated parts from the start, as many as fit; the first may run a little long
    rather than be cut mid-clause. Empty when the cut would leave no phrase."""
    taken: list[str] = []
    for part in _COMMA.split(text):
        if _count(", ".join([*taken, part])) > (max_words if taken else max_words + 4):
            # Never stop inside a list of nouns ("…, tools, | guardrails and model version"): back up to its start.
            while len(taken) > 1 and _count(taken[-1]) <= 3:
                taken.pop()
            break
        taken.append(part)
    kept = ", ".join(taken)
    # A cut after an aside ("fine-tunes on, say"), a dangling word or a bare "if …" is no phrase.
    last = kept.split()[-1].lower() if kept else ""
    if kept and (
        last in STOP_WORDS | {"say", "e.g", "i.e", "like", "such"} or _count(kept) < 3 or SUBORDINATE.match(kept)
    ):
        return ""
    return kept


def _unbracket(text: str) -> str:
    """``text`` without its bracketed asides; brackets inside a code span (`send(conversation)`) stay."""
    spans = _CODE_SPAN.findall(text)
    masked = _CODE_SPAN.sub("\0", text)
    masked = re.sub(r"\s*\([^()]*\)", "", masked)
    for span in spans:
        masked = masked.replace("\0", span, 1)
    return masked


def _count(text: str) -> int:
    return len(text.split())


# Words that open a sentence but are not an imperative verb.
NOT_VERBS = _word_set(
    "a an the this that these those it its it's there here they we you i he she our your their my "
    "if when while because so but and or as at in on for from with by of to after before once now then "
    "what which who why how where every each all some any no not one two three four five many most "
    "only even just also still yet again"
)
_FOLLOWS_VERB = _word_set(
    "the a an your our their its every each all any it them this that these those out up down off back "
    "over in on to for with what who how about only no at from into through one two three four five"
)


def is_imperative(sentence: str) -> bool:
    """A sentence that opens with a bare verb: a first word that is not a determiner, pronoun or
    connective, not a third-person, past or -ing form, followed by an object word."""
    tokens = re.findall(r"[A-Za-z0-9'’-]+", sentence)
    if len(tokens) < 3 or not verb_shaped(tokens[0]):
        return False
    second = tokens[1].lower()
    return second in _FOLLOWS_VERB or second[:1].isdigit()


def verb_shaped(word: str) -> bool:
    """Could ``word`` be a bare verb: not a determiner, pronoun or connective, not -ed, -ly, -ing or -s."""
    word = word.lower()
    if word in NOT_VERBS or not word[:1].isalpha() or word.endswith(("ed", "ly", "ing")):
        return False
    return not (word.endswith("s") and not word.endswith("ss"))


def split_actions(text: str) -> list[str]:
    """``Fix the cause, replay the prompts, then hold the review`` -> each action; ``[text]`` when it is not a
    list of actions. Parts are split at commas, "and" and "then" where the next part opens with a verb."""
    # Split at commas (a list of actions may go on with any verb-shaped word) and at a bare "and" or
    # "then" (only where a clear imperative follows: "on your laptop and phone" is one action).
    pieces = re.split(r"(,\s+(?:and\s+|then\s+|and then\s+)?|\s+and\s+(?:then\s+)?|\s+then\s+)", tidy(text))
    merged: list[str] = []
    for k in range(0, len(pieces), 2):
        part, joint = pieces[k], pieces[k - 1] if k else ""
        first = part.split()[0] if part.split() else ""
        starts = is_imperative(part) or (joint.startswith(",") and verb_shaped(first))
        if merged and not starts:
            merged[-1] = f"{merged[-1]}{joint}{part}"
        else:
            merged.append(part)
    return [capitalise(m) for m in merged] if len(merged) >= 2 and is_imperative(merged[0]) else [tidy(text)]


def head_and_rest(text: str) -> tuple[str, str]:
    """A list item's lead phrase and the rest: ``Pin the target: model version …`` -> both parts.

    The head ends at the first colon, full stop or spaced dash; with none, the whole text is the head.
    """
    text = " ".join(text.split())
    match = re.match(r"^(.{2,90}?)(?::\s+|(?<=[a-z0-9)”\"])\.\s+|\s+[—–]\s+)(.+)$", text)
    if match and len(match.group(1).split()) <= MAX_PHRASE_WORDS:
        return tidy(match.group(1)), match.group(2).strip()
    return tidy(text), ""


def item_parts(
    text: str, *, head_words: int = MAX_PHRASE_WORDS, detail_words: int = MAX_DETAIL_WORDS
) -> tuple[str, str]:
    """(phrase, supporting line) for one list item or spoken enumeration body.

    ``Write behaviours, not prompts: 40 to 100, drawn from …`` -> (``Write behaviours, not prompts``,
    ``40 to 100, drawn from your threat model``). A sentence with no lead phrase is kept whole
    when short enough, else cut into a phrase and the clause after it.
    """
    head, rest = head_and_rest(text)
    if rest:
        return capitalise(head), capitalise(shorten(rest, detail_words)) if rest else ""
    sentences = split_sentences(text)
    first = tidy(sentences[0]) if sentences else tidy(text)
    # A bracketed aside of a few words or more ("(we won't link them; they're easy to find)") is not the point.
    first = tidy(re.sub(r"\s*\((?:[^()\s]+\s+){3,}[^()]*\)", "", first))
    if _count(first) <= max(head_words, MAX_SENTENCE_WORDS):
        detail = tidy(sentences[1]) if len(sentences) > 1 else ""
        return capitalise(first), capitalise(detail) if detail and _count(detail) <= detail_words else ""
    phrase = shorten(first, max(head_words, MAX_SENTENCE_WORDS))
    after = tidy(first[len(phrase) :].lstrip(" ,;:—–"))
    after = re.sub(r"^(?:and|then|so|but)\s+", "", after, flags=re.I)
    return capitalise(phrase), capitalise(shorten(after, detail_words)) if after and not phrase.endswith("…") else ""


def code_points(text: str) -> list[str]:
    """``the question in Base64, `V2hh…`. GPT-4 decoded it`` -> the prose and each code span as its own line."""
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        before = tidy(text[last : match.start()].strip(" ,;:"))
        if before:
            parts.append(capitalise(before))
        parts.append(match.group(0))
        last = match.end()
    after = tidy(text[last:].strip(" ,;:"))
    if after:
        parts.append(capitalise(after))
    return parts


def join_short(items: list[str], max_words: int = 5) -> list[str]:
    """Runs of very short items (``Revoke a key.``, ``Suspend an account.``) joined into one line."""

    def joined(run: list[str]) -> str:
        return capitalise(", ".join(r[:1].lower() + r[1:] if i and r[1:2].islower() else r for i, r in enumerate(run)))

    out: list[str] = []
    run: list[str] = []
    for item in items:
        if _count(item) <= max_words:
            run.append(tidy(item))
            continue
        if run:
            out.append(joined(run))
            run = []
        out.append(item)
    if run:
        out.append(joined(run))
    return out
