"""The names a visual direction lists: cards, nodes, markers, table rows and columns, comparison
sides, chart categories and sketched series.

A label list is read where authors write one: after a colon, in brackets, after "labelled",
between arrows or pipes, in quotes. A part that is not a name ("with the line highlighted",
"one per stage") ends the list, so a direction's remarks never become content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Kind, Label
from .phrases import LIST_JOINS

TREND_WORDS = {
    "flat": "flat", "stable": "flat", "steady": "flat", "level": "flat", "unchanged": "flat",
    "rising": "rising", "rises": "rising", "climbing": "rising", "climbs": "rising", "growing": "rising",
    "grows": "rising", "increasing": "rising", "increases": "rising", "up": "rising",
    "falling": "falling", "falls": "falling", "dropping": "falling", "drops": "falling", "declining": "falling",
    "declines": "falling", "decreasing": "falling", "shrinking": "falling", "down": "falling",
    "peaking": "peaking", "spiking": "peaking",
}  # fmt: skip
# Quoted text: double quotes, single quotes that are not apostrophes, and `code spans`.
QUOTE = re.compile(r"[\"“”](?P<q>[^\"“”]+)[\"“”]|(?<![\w])['‘](?P<s>[^'‘’]+)['’](?![\w])|`(?P<b>[^`]+)`")
GENERIC_LABEL = re.compile(
    r"^(?:with|each|one|every|and|or|the other|others?|no|keep|plus|then|but|illustrative|axis|"
    r"left to right|top to bottom|from above|below|underneath|per|over|under)\b",
    re.I,
)
MAX_LABEL_WORDS = 5
# "three bullets", "5 items", "four-step list": a count of the slide's items, not one of them.
COUNT_PHRASE = re.compile(
    r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[- ](?:[\w-]+ )?"
    r"(?:bullets?|items?|points?|steps?|cards?|tiles?|words?|takeaways?|lines?|rows?|columns?|boxes|markers?)\b",
    re.I,
)
ARROW = r"→|->"
"""An arrow as a direction draws it between two names (``scrape -> filter``)."""
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
# Words that say what the slide is, not what it shows, when they open a list ("process flow Expand -> …").
KIND_WORDS = frozenset(
    {"process", "flow", "pipeline", "diagram", "chain", "chart", "network", "data", "boxes", "arrows", "arrow"}
    | {"with", "of", "the", "a", "an", "left", "to", "right"}
)


@dataclass(frozen=True, slots=True)
class Quoted:
    """The direction with its quoted strings taken out (so their commas and colons do not confuse the readers)."""

    plain: str  # quotes replaced by ⟨0⟩, ⟨1⟩, …
    quotes: tuple[str, ...]

    def restore(self, text: str) -> str:
        return re.sub(r"⟨(\d+)⟩", lambda m: self.quotes[int(m.group(1))], text)


def unquote(raw: str) -> Quoted:
    quotes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        quotes.append((match.group("q") or match.group("s") or match.group("b")).strip())
        return f"⟨{len(quotes) - 1}⟩"

    return Quoted(QUOTE.sub(keep, raw), tuple(quotes))


# --- readers --------------------------------------------------------------------------------------


def read_labels(t: Quoted, kind: Kind) -> tuple[tuple[Label, ...], tuple[str, ...]]:
    """The items and (for tables) the columns the direction names."""
    plain = t.plain
    columns: tuple[str, ...] = ()
    if kind in {"title", "code", "quote", "statement", "stat", "end", "placeholder", "reuse"}:
        return (), ()
    if kind == "table":
        columns = tuple(label.text for label in _columns(t))
        listed = re.search(r"\brows?\s*:\s*([^;()]+)", t.plain, re.I)  # "rows: a, b, c" names them
        named = _as_labels(_split_list(listed.group(1).rstrip(".")), t) if listed else []
        rows = _bracketed(t) or (named if len(named) >= 2 else [])
        return tuple(rows), columns
    if kind == "comparison":
        return _sides(t), ()
    if kind == "venn":
        return _venn(t), ()
    if kind == "hub":
        return _hub(t), ()
    if kind == "chart":
        return _chart_labels(t), ()
    if kind in {"chain", "flow"} and re.search(ARROW, plain):
        return _arrows(t), ()
    for reader in (_after_labelled, _after_colon, _bracketed, _separated, _quoted_list):
        found = reader(t)
        if len(found) >= 2 or (found and kind in {"recap", "cards", "timeline", "bullets", "steps"}):
            return tuple(found), ()
    return (), ()


def _label(text: str, t: Quoted, note: str = "") -> Label | None:
    """A cleaned label, or ``None`` for a phrase that is not a name (too long, a direction word, a
    count such as "three bullets")."""
    text = t.restore(text).strip(" .;:,()[]")
    text = LEADING_ARTICLE.sub("", text)
    if not text or GENERIC_LABEL.match(text) or len(text.split()) > MAX_LABEL_WORDS or COUNT_PHRASE.match(text):
        return None
    return Label(text, note.strip(" .;:,()"))


def _split_list(text: str) -> list[str]:
    """``a, b and c`` / ``a. b. c.`` / ``a | b`` / ``a / b``: the parts of a written list.

    Before a pipe or slash list, the words that name the slide ("two-column compare, ingress | egress",
    "table - right | …") are not part of the first item.
    """
    for separator in (r"\s*\|\s*", r"\s+/\s+"):
        parts = [p for p in re.split(separator, text) if p.strip()]
        if len(parts) >= 2:
            first = re.split(r"[:,;]\s*|\s+[-—–]\s+", parts[0])[-1].split()
            # "horizontal timeline 0 h / 24 h": the first item is as long as the others.
            longest = max(len(p.split()) for p in parts[1:])
            parts[0] = " ".join(first[-longest:])
            return parts
    parts = re.split(LIST_JOINS + r"|(?<=\w)\.\s+", text)  # in a direction, full stops part names too
    return [p for p in parts if p.strip()]


def _as_labels(parts: list[str], t: Quoted) -> list[Label]:
    """Labels for a list's parts, stopping at the first part that is not a name ("with …", "each …")."""
    labels: list[Label] = []
    for part in parts:
        label = _label(part, t)
        if label is None:
            break
        labels.append(label)
    return labels


def _after_colon(t: Quoted) -> list[Label]:
    if ":" not in t.plain:
        return []
    rest = t.plain.split(":", 1)[1]
    rest = re.split(r";|\s+—\s+", rest, maxsplit=1)[0]
    return _as_labels(_split_list(rest.strip().rstrip(".")), t)


def _after_labelled(t: Quoted) -> list[Label]:
    match = re.search(r"\b(?:labell?ed|named|called|titled)\s+(.+?)(?:[;:]|,\s*(?:one|each|with)\b|$)", t.plain, re.I)
    return _as_labels(_split_list(match.group(1).rstrip(".")), t) if match else []


def _bracketed(t: Quoted) -> list[Label]:
    for inner in re.findall(r"\(([^()]+)\)", t.plain):
        parts = _split_list(inner)
        labels = _as_labels(parts, t)
        if len(labels) >= 2 and len(labels) == len(parts):
            return labels
    return []


def _separated(t: Quoted) -> list[Label]:
    """A list written with slashes or pipes anywhere in the direction: ``timeline 0 h / 24 h / 72 h``."""
    match = re.search(r"((?:[^,;:/|]+?(?:\s+/\s+|\s*\|\s*)){1,}[^,;:/|.]+)", t.plain)
    if not match or not re.search(r"\s/\s|\|", match.group(1)):
        return []
    parts = _split_list(match.group(1))
    labels = _as_labels(parts, t)
    return labels if len(labels) == len(parts) else []


def _after_word(t: Quoted, word: str) -> list[Label]:
    match = re.search(rf"\b{word}\s*:?\s+([^;]+)", t.plain, re.I)
    return _as_labels(_split_list(match.group(1).rstrip(".")), t) if match else []


def _quoted_list(t: Quoted) -> list[Label]:
    labels = [_label(q, t) for q in t.quotes]
    return [label for label in labels if label is not None] if len(t.quotes) >= 2 else []


def _columns(t: Quoted) -> list[Label]:
    """A table's columns: "columns: a, b, c", "columns a, b, c", or "a | b | c"."""
    match = re.search(r"\bcolumns?\s*[:=]?\s+([^;()]+)", t.plain, re.I)
    if match:
        found = _as_labels(_split_list(match.group(1).rstrip(".")), t)
        if len(found) >= 2:
            return found
    if "|" in t.plain:
        rest = t.plain.split(":", 1)[-1]
        return _as_labels(_split_list(rest.strip().rstrip(".")), t)
    return []


def _arrows(t: Quoted) -> tuple[Label, ...]:
    """``process flow Expand -> Migrate -> Contract, one deploy per arrow`` -> Expand, Migrate, Contract."""
    match = re.search(rf"([^:;(]*?(?:{ARROW})[^;(]*)", t.plain)
    if not match:
        return ()
    parts = [p for p in re.split(ARROW, match.group(1)) if p.strip()]
    first = parts[0].split()
    while len(first) > 1 and first[0].lower() in KIND_WORDS:
        first.pop(0)
    parts[0] = " ".join(first)
    parts[-1] = re.split(r"[,;]", parts[-1])[0]  # what follows the last box is a remark
    return tuple(label for label in (_label(p, t) for p in parts) if label is not None)


def _sides(t: Quoted) -> tuple[Label, ...]:
    """The two columns of a comparison, with what the direction says each shows."""
    plain = t.plain
    body = plain.split(":", 1)[1] if ":" in plain else plain
    if "=" in body and ";" in body:  # "PI = property of deployment; HFT = produces a different model"
        pairs = [p.split("=", 1) for p in body.rstrip(".").split(";") if "=" in p]
        return tuple(Label(t.restore(a).strip(), t.restore(b).strip().rstrip(".")) for a, b in pairs)[:2]
    if "|" in body:
        return tuple(_as_labels(_split_list(body.rstrip(".")), t))[:2]
    vs = re.split(r"\s+(?:vs\.?|versus)\s+", body.rstrip("."), maxsplit=1, flags=re.I)
    if len(vs) == 2:
        return tuple(label for label in (_label(v, t) for v in vs) if label is not None)
    sides: list[Label] = []
    for part in re.split(r",\s*(?![^()]*\))|;\s*", body):
        match = re.match(r"\s*(.+?)\s+on the (?:left|right)\s*(?:\((?P<note>[^)]*)\))?", part) or re.match(
            r"\s*(?:left|right)\s*[=:]\s*(.+?)\s*(?:\((?P<note>[^)]*)\))?\s*\.?$", part
        )
        if match:
            label = _label(match.group(1), t, t.restore(match.group("note") or ""))
            if label is not None:
                sides.append(label)
    if len(sides) == 2:
        return tuple(sides)
    slash = re.search(r"\b([\w'’]+(?: [\w'’]+)?) ?/ ?([\w'’]+(?: [\w'’]+)?) columns\b", body, re.I)
    if slash:
        return (Label(slash.group(1)), Label(slash.group(2)))
    before_after = re.findall(r"\b(before|after)\b", plain, re.I)
    if {w.lower() for w in before_after} == {"before", "after"}:
        return (Label("Before"), Label("After"))
    return ()


def _venn(t: Quoted) -> tuple[Label, ...]:
    sets = [Label(q) for q in t.quotes if len(q.split()) <= MAX_LABEL_WORDS]
    if len(sets) < 2:
        sets = _after_colon(t) or _bracketed(t)
    member = re.search(r"(?:,|;|with)\s+(?:the\s+)?([^,;]+?)\s+in the (?:overlap|intersection|middle)", t.plain, re.I)
    labels = list(sets)
    if member:
        label = _label(member.group(1), t, "overlap")
        if label is not None:
            labels.append(label)
    return tuple(labels)


def _hub(t: Quoted) -> tuple[Label, ...]:
    centre = re.search(
        r"(?:^|[:,;]\s*)(?:the\s+|an?\s+)?([\w' -]+?)\s+(?:in|at) the (?:middle|centre|center)", t.plain, re.I
    )
    around = _bracketed(t) or _after_word(t, r"around it|round it|around")
    labels: list[Label] = []
    if centre:
        label = _label(centre.group(1), t, "centre")
        if label is not None:
            labels.append(label)
    return tuple(labels + [a for a in around if not labels or a.text.lower() != labels[0].text.lower()])


def _chart_labels(t: Quoted) -> tuple[Label, ...]:
    """A chart's categories when named ("one column per model size (600M, 2B, 7B, 13B)"), or its sketched series."""
    bracketed = _bracketed(t)
    if bracketed:
        return tuple(bracketed)
    series: list[Label] = []
    rest = t.plain.split(":", 1)[1] if ":" in t.plain else t.plain
    for part in re.split(r"[,;]", rest):
        words = part.strip().rstrip(".").split()
        at = next((i for i, w in enumerate(words) if w.lower() in TREND_WORDS), None)
        if at:
            # The note keeps the author's words for the shape ("flat through training"); see trend_of.
            name = re.sub(r"\s+(?:curve|line)$", "", " ".join(words[:at]), flags=re.I)
            shape = re.split(r"\s+from\s+⟨", " ".join(words[at:]))[0]  # the quoted ends are the axis
            label = _label(name, t, t.restore(shape))
            if label is not None:
                series.append(label)
    if not series:  # "cost curve dropping from "research-only" to "anyone""
        match = re.search(r"([\w-]+)\s+(?:curve|line)\s+(\w+)", t.plain, re.I)
        if match and match.group(2).lower() in TREND_WORDS:
            series.append(Label(match.group(1), match.group(2)))
    return tuple(series)


def trend_of(words: str) -> str:
    """The shape a sketched series' words name: ``climbing steadily`` -> ``rising``; empty when none."""
    return next((TREND_WORDS[w] for w in words.lower().split() if w in TREND_WORDS), "")
