"""Finding a slide's content in the lesson: spoken enumerations, labelled sentences, lists, chains.

Everything here reads; nothing invents. Each function looks for one common way authors write
a thing down ("One: … Two: …", "The first family is …", "Check that …", "Label: explanation",
"a → b → c", a core-content list whose heading matches the slide) and returns what it found,
or nothing. The planner (``fill``) decides which finding a slide shows.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Direction, ItemList, Lesson, Section, Text
from ..text import STOP_WORDS, split_sentences
from .phrases import is_imperative, overlap, same_label, split_actions, stems, tidy

ORDINALS = ("one", "two", "three", "four", "five", "six", "seven", "eight")
ORDINALS_ALT = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
LAST_WORDS = ("finally", "lastly", "and finally", "last")
CHECK_VERBS = re.compile(
    r"^(?:and\s+|also\s+|then\s+)?(check(?:\s+that)?|make\s+sure|ensure|confirm(?:\s+that)?|verify(?:\s+that)?|"
    r"test\s+that|see\s+that)\b",
    re.I,
)
TITLE_MATCH_THRESHOLD = 0.6
_ARROW = re.compile(r"\s*(?:→|->|⟶|⇒)\s*")
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
_NAME = r"[A-Z][A-Za-z'’-]+"
_CITATION = re.compile(
    rf"\b({_NAME})(?:\s+et al\.?|,?\s+(?:and|&)\s+{_NAME}|(?:,\s+{_NAME})+,?\s+(?:and|&)\s+{_NAME})?"
    r"[,\s]*\(?(?:[^()]*?;\s*)?((?:19|20)\d\d)\b"
)


@dataclass(frozen=True, slots=True)
class Context:
    """What the planner knows while filling one slide: its words, its direction and the lesson."""

    n: int
    title: str
    narration: str
    direction: Direction
    lesson: Lesson
    sections: tuple[Section, ...]
    """The lesson's core-content sections, the one most about this slide first."""
    notes: tuple[str, ...]
    """This slide's production notes."""

    @property
    def best(self) -> Section | None:
        return self.sections[0] if self.sections else None

    def written(self, top: int = 2) -> list[str]:
        """The written text of the most relevant sections: paragraphs, list leads and items, block by block."""
        out: list[str] = []
        for section in self.sections[:top]:
            out.extend(p.text for p in section.paragraphs)
            for block in section.lists:
                out.extend([block.lead] if block.lead else [])
                out.extend(i.text for i in block.items)
        return out


def make_context(
    n: int, title: str, narration: str, direction: Direction, lesson: Lesson, notes: tuple[str, ...]
) -> Context:
    ranked = sorted(lesson.sections, key=lambda s: -relevance(s, title, narration))
    return Context(n, title, narration, direction, lesson, tuple(ranked), notes)


def section_text(section: Section) -> str:
    parts = [section.title, *(p.text for p in section.paragraphs)]
    for block in section.lists:
        parts.append(block.lead)
        parts.extend(i.text for i in block.items)
    for code in section.code:
        parts.extend(code.lines)
    for table in section.tables:
        parts.extend(" ".join(row) for row in (table.header, *table.rows))
    return "\n".join(parts)


def relevance(section: Section, title: str, narration: str) -> float:
    """How much ``section`` is about the slide: its heading against the title, its words against the narration."""
    return max(title_similarity(title, section.title), 0.9 * overlap(narration, section_text(section)))


# --- titles ----------------------------------------------------------------------------------


def _title_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]


def title_similarity(a: str, b: str) -> float:
    """How well two slide titles agree, 0–1, reading acronyms (``PI`` = ``prompt injection``).

    The shorter title's words are looked for in the longer one, so ``Honest answer`` matches
    ``Honest answer + up next``; a character-level ratio backs it up for spelling variants.
    """
    words_a, words_b = _title_words(a), _title_words(b)
    if not words_a or not words_b:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    short, long_ = sorted((words_a, words_b), key=len)
    acronyms = {"".join(w[0] for w in long_[i : i + k]) for k in (2, 3, 4) for i in range(len(long_) - k + 1)}
    covered = sum(1 for w in short if w in long_ or w in acronyms or _close(w, long_))
    coverage = covered / len(short)
    ratio = difflib.SequenceMatcher(None, " ".join(words_a), " ".join(words_b)).ratio()
    return max(coverage, ratio)


def _close(word: str, candidates: Sequence[str]) -> bool:
    return bool(difflib.get_close_matches(word, candidates, n=1, cutoff=0.85))


def expand_acronym(name: str, text: str) -> str:
    """``PI`` -> ``Prompt injection`` when ``text`` spells it out; otherwise unchanged.

    Hyphenated words count letter by letter (``harmful fine-tuning`` -> HFT) and keep their hyphens.
    """
    if not re.fullmatch(r"[A-Z]{2,6}", name):
        return name
    found = list(re.finditer(r"[A-Za-z]+", text))
    for i in range(len(found) - len(name) + 1):
        window = found[i : i + len(name)]
        gaps = (text[a.end() : b.start()] for a, b in itertools.pairwise(window))
        if "".join(w.group(0)[0] for w in window).upper() == name and all(re.fullmatch(r"[\s-]+", g) for g in gaps):
            phrase = text[window[0].start() : window[-1].end()].lower()
            return phrase[:1].upper() + phrase[1:]
    return name


# --- spoken forms ----------------------------------------------------------------------------


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
SEQUENCE_END = ("Finally", "Lastly", "Last", "And finally")


def _sequence(narration: str) -> list[str]:
    """``To start, … Next, … After that, … Lastly, …``: a run that starts, goes on and may end."""
    words = sorted({*SEQUENCE_START, *SEQUENCE_NEXT, *SEQUENCE_END}, key=len, reverse=True)
    pattern = r"(?:(?<=[.!?:;])\s+|^)(" + "|".join(re.escape(w) for w in words) + r")\s*,\s+"
    parts = re.split(pattern, narration)
    found = [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
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
    pattern = r"(?:(?<=[.!?:;])\s+|^)(?:And\s+)?" + lead + "(" + "|".join(names) + r")(?:ly)?\s*[:,.]\s+"
    parts = re.split(pattern, narration)
    found = [(parts[i].lower(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
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
    parts = re.split(pattern, narration)
    found = [(parts[i], parts[i + 2]) for i in range(1, len(parts) - 2, 3)]
    if len(found) < 2 or found[0][0] != "first":
        return []
    return [_first_paragraph(body) for _, body in found]


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
            return [s[:1].upper() + s[1:] for s in following]
    return []


def inline_lists(text: str) -> list[list[str]]:
    """Lists written inside one sentence after a colon: names (``six of them: consent, contract, … and
    legitimate interests``) or actions (``So: pick a lawful basis first, build …, and know …``)."""
    found = []
    for sentence in split_sentences(text):
        if ":" not in sentence:
            continue
        lead, rest = (tidy(p) for p in sentence.split(":", 1))
        parts = [tidy(p) for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", rest) if tidy(p)]
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
            out.append(re.sub(r"^(?:and|also|then)\s+", "", sentence, flags=re.I))
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


# --- the written lesson ----------------------------------------------------------------------


def lists_of(sections: Iterable[Section]) -> list[tuple[Section, ItemList]]:
    return [(section, block) for section in sections for block in section.lists]


def best_list(ctx: Context, count: int | None = None, *, ordered: bool | None = None) -> ItemList | None:
    """The core-content list most about this slide: its section's or lead's match to the slide title,
    or its words in the narration; a list of the asked-for length wins a near tie."""
    best: tuple[float, ItemList | None] = (0.0, None)
    for section, block in lists_of(ctx.sections):
        if len(block.items) < 2 or (ordered is not None and block.ordered != ordered):
            continue
        # The section's heading says what the list is about; its lead and words say which list.
        own = max(
            title_similarity(ctx.title, block.lead) if block.lead else 0.0,
            overlap(" ".join(i.text for i in block.items), ctx.narration),
        )
        # A list the narration does not talk about is another slide's, however well its section matches.
        score = max(own, 0.7 * title_similarity(ctx.title, section.title) + 0.3 * own) if own >= 0.3 else own
        if count is not None and len(block.items) == count:
            score += 0.15
        if score > best[0] and score >= 0.5:
            best = (score, block)
    return best[1]


def explain(label: str, ctx: Context, *, spoken_first: bool = False) -> str:
    """What the lesson says about ``label``: a paragraph or list item that opens with it, a list whose
    lead names it, or a narration sentence labelled with it. Written text first unless ``spoken_first``."""
    spoken = [body for name, body in labelled(ctx.narration) if _names(name, label)]
    written = _written_explanation(label, ctx)
    order = (spoken, written) if spoken_first else (written, spoken)
    for found in order:
        if found:
            return found[0]
    return ""


def _names(name: str, label: str) -> bool:
    """Whether a lead phrase names ``label`` (``At scrape`` names ``scrape``)."""
    name = re.sub(r"^(?:at|in|for|during|on|the|step \d+[:.]?)\s+", "", name.strip(), flags=re.I)
    return same_label(name, label)


def _written_explanation(label: str, ctx: Context) -> list[str]:
    found: list[str] = []
    for section in ctx.sections:
        for paragraph in section.paragraphs:
            head, rest = _split_head(paragraph.text)
            if rest and _names(head, label):
                found.append(rest)
        for block in section.lists:
            head, rest = _split_head(block.lead)
            if block.lead and _names(head or block.lead.rstrip(":"), label):
                lead_rest = rest.rstrip(":") if head else ""
                found.append("; ".join([lead_rest] * bool(lead_rest) + [tidy(i.text) for i in block.items]))
            for item in block.items:
                head, rest = _split_head(item.text)
                if rest and _names(head, label):
                    found.append(rest)
    if not found:
        # "Roll forward when the data is correct …": a sentence that opens with the label explains it.
        opening = re.compile(rf"^{re.escape(label)}\b[,:]?\s+(.+)$", re.I)
        for text in ctx.written(top=2):
            for sentence in split_sentences(text):
                match = opening.match(sentence)
                if match and len(match.group(1).split()) >= 3:
                    found.append(match.group(1))
    return found


def _split_head(text: str) -> tuple[str, str]:
    match = re.match(r"^([^.:—–]{1,60}?)(?:\.|:|\s[—–])\s+(.+)$", text.strip())
    if match and len(match.group(1).split()) <= 6:
        return match.group(1).strip(), match.group(2).strip()
    return "", text


def label_case(label: str, ctx: Context) -> str:
    """``label`` as the lesson writes it (``api keys`` -> ``API keys``), capitalised."""
    pattern = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in label.split()) + r"\b", re.I)
    for text in [*ctx.written(top=len(ctx.sections)), ctx.narration]:
        match = pattern.search(text)
        if match and match.group(0) != match.group(0).lower():
            return match.group(0)[:1].upper() + match.group(0)[1:]
    return label[:1].upper() + label[1:]


def arrow_chains(ctx: Context) -> list[list[str]]:
    """Chains written with arrows (``user → chat front end → …``), most relevant section first."""
    chains: list[list[str]] = []
    texts = [p.text for s in ctx.sections for p in s.paragraphs] + [ctx.direction.text]
    for text in texts:
        for line in text.split("\n"):
            if len(_ARROW.findall(line)) >= 2:
                nodes = [tidy(n.strip(" .,;:()")) for n in _ARROW.split(line)]
                # In prose the chain sits inside a sentence: "the paths are only frontend → api → db. Then …"
                nodes[0] = _tail_phrase(nodes[0])
                nodes[-1] = re.split(r"[.,;:(]\s|\s(?:and|but|which|where|so)\s", nodes[-1] + " ")[0].strip()
                nodes = [n for n in nodes if n and len(n.split()) <= 6]
                if len(nodes) >= 3 and nodes not in chains:
                    chains.append(nodes)
    return chains


def _tail_phrase(text: str) -> str:
    """The end of a sentence that leads into a chain: its words after the last function word or comma."""
    tail = re.split(r"[,:;]\s+", text)[-1].split()
    kept: list[str] = []
    for word in reversed(tail):
        if word.lower() in STOP_WORDS | {"only", "is", "are", "was", "be", "goes", "runs", "path", "paths"} and kept:
            break
        kept.insert(0, word)
    return " ".join(kept)


def code_blocks(ctx: Context) -> list[tuple[str, ...]]:
    return [block.lines for section in ctx.sections for block in section.code]


def citations(text: str) -> list[tuple[str, str]]:
    """Author-year citations in ``text``: (surname, year), as in ``Carlini et al. (2023)`` or
    ``Wei, Haghtalab and Steinhardt (2023)``."""
    return [(m.group(1), m.group(2)) for m in _CITATION.finditer(text)]


def reference(lesson: Lesson, *hints: str) -> str:
    """The lesson's reference entry a hint names (a surname, a study such as ``AgentDojo``, a report
    such as ``Verizon DBIR 2017``), without its URL: its first word and most of its words in the entry."""
    for hint in hints:
        key = stems(hint)
        first = stems(hint.split()[0]) if hint.split() else set()
        if not key or not first:
            continue
        for ref in lesson.references:
            entry = stems(ref.text.split(" — http")[0])
            if first <= entry and len(key & entry) >= max(1, len(key) / 2):
                return _short_reference(ref)
    return ""


def _short_reference(ref: Text) -> str:
    """Authors, title and year: the URL and anything after the year's bracket ("; summary: …") left off."""
    text = re.split(r"\s+[—–-]\s+https?://|\s+https?://", ref.text)[0]
    dated = re.match(r"^(.*?\((?:[^()]*?\b)?(?:19|20)\d\d\b[^()]*\))", text)
    return tidy(dated.group(1) if dated else text)


def spoken_matches(spoken: str, written: str) -> bool:
    """Whether a narration sentence reads out a written passage (``audit at acme-review dot com`` for
    ``audit@acme-review.com``): most of the passage's words are spoken."""
    return overlap(written, spoken) >= 0.7
