"""Looking a slide's content up in the written lesson: lists, explanations, names as written,
arrow chains, code blocks, citations and references.

Everything here reads; nothing invents. Each function looks for one common way authors write a
thing down (a core-content list whose heading matches the slide, "Label: explanation", "a → b
→ c", "Carlini et al. (2023)") and returns what it found, or nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from ..model import ItemList, Lesson, Section, Text
from ..text import STOP_WORDS, split_sentences
from .context import Context, title_similarity
from .labels import unquote
from .phrases import capitalise, overlap, same_label, stems, tidy
from .spoken import labelled

_ARROW = re.compile(r"\s*(?:→|->|⟶|⇒)\s*")
YEAR = r"(?:19|20)\d\d"
"""A year as a citation, a reference or a timeline writes it."""
_NAME = r"[A-Z][A-Za-z'’-]+"
_CITATION = re.compile(
    rf"\b({_NAME})(?:\s+et al\.?|,?\s+(?:and|&)\s+{_NAME}|(?:,\s+{_NAME})+,?\s+(?:and|&)\s+{_NAME})?"
    rf"[,\s]*\(?(?:[^()]*?;\s*)?({YEAR})\b"
)


# --- lists and explanations ------------------------------------------------------------------


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


# --- names as the lesson writes them ---------------------------------------------------------


def label_case(label: str, ctx: Context) -> str:
    """``label`` as the lesson writes it (``api keys`` -> ``API keys``), capitalised."""
    pattern = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in label.split()) + r"\b", re.I)
    for text in ctx.texts():
        match = pattern.search(text)
        if match and match.group(0) != match.group(0).lower():
            return capitalise(match.group(0))
    return capitalise(label)


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
            return capitalise(phrase)
    return name


# --- chains and code -------------------------------------------------------------------------


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


# --- citations and references ----------------------------------------------------------------


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
    dated = re.match(rf"^(.*?\((?:[^()]*?\b)?{YEAR}\b[^()]*\))", text)
    return tidy(dated.group(1) if dated else text)


def cite(ctx: Context) -> str:
    """The reference behind this slide's figures: the direction's source, else the first citation in its section."""
    hints = [ctx.direction.source] if ctx.direction.source else []
    hints += list(unquote(ctx.direction.text).quotes)  # "with "Verizon DBIR 2017" in small print"
    for text in [*ctx.written(top=1), ctx.narration]:
        hints.extend(name for name, _ in citations(text))
    return reference(ctx.lesson, *hints)
