"""Read a slide's visual direction as a small language: the kind of slide and what it names.

Authors phrase directions their own way ("five boxes left to right with arrows: a, b, c",
"2×2 grid of cards, one per stage (scrape, filter, dedupe, train)", "same diagram as slide 3,
with the email tool highlighted in red"), so the grammar is a set of independent readers, each
looking for one thing: the kind (from its nouns, the words before the first colon weighing
most), a count attached to the kind's noun, the labels it lists (after a colon, in brackets,
after "labelled", between arrows or pipes, in quotes), marks (highlighted, in red, greyed out,
a dashed boundary, a callout), a quoted sentence, a reused slide, "illustrative". Whatever a
direction does not say is left empty; the planner falls back on the lesson itself.
"""

from __future__ import annotations

import re

from ..model import Direction, Kind, Mark
from .labels import ARROW, GENERIC_LABEL, LEADING_ARTICLE, MAX_LABEL_WORDS, TREND_WORDS, Quoted, read_labels, unquote

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "single": 1, "a pair of": 2, "pair of": 2,
}  # fmt: skip
_NUM = r"(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

# Kind cues, most specific first. Each is tried on the words before the first colon (the
# author's name for the slide), then on the whole direction.
KIND_CUES: tuple[tuple[Kind, str], ...] = (
    ("title", r"\btitle (?:card|slide)\b|\bcover slide\b|^cover\b"),
    ("reuse", r"\bsame (?:diagram|picture|figure|layout|visual|flow)\b|"
     r"\b(?:diagram|figure|visual) (?:from|of) slide \d"),
    ("code", r"\bcode\b|\bsnippet\b|\bmonospace\b|\blisting\b|\bprompt block\b|\bterminal\b|\bmanifest\b|"
     r"\b(?:yaml|json|toml|sql|javascript|typescript|dockerfile|regex|html|css)\b|"
     r"\b(?:python|bash|shell|go|rust|java) (?:snippet|script|block|command|code|session|listing)s?\b"),
    ("venn", r"\bvenn\b|\boverlapping circles\b"),
    ("table", r"\btable\b|\bmatrix\b"),
    ("timeline", r"\btime ?line\b"),
    ("chart", r"\b(?:bar|column|line|pie|area) (?:chart|graph)\b|\bchart\b|\bgraph\b|\bplot\b|\bhistogram\b|\bcurve\b"),
    ("hub", r"\bin the (?:middle|centre|center)\b|\bhub\b|\bat the (?:centre|center)\b"),
    ("flow", r"\bflow ?(?:diagram|chart)\b|\bdata ?flow\b|\barchitecture\b|\bnodes\b|\bsequence diagram\b|"
     r"\bnetwork (?:diagram|map)\b"),
    ("chain", rf"\bpipeline\b|\bprocess\b|\bchain\b|{ARROW}|\bboxes\b.*\barrows?\b|\barrows?\b.*\bboxes\b|\bfunnel\b"),
    ("quote", r"\bpull-?quote\b|\bquote\b|\bquotation\b|\battribution\b"),
    ("end", r"\bend (?:card|slide|screen)\b|\bup next\b|\bnext lesson\b|\bclosing (?:card|slide|screen)\b|\boutro\b|"
     r"\bfinal slide\b"),
    ("stat", r"\bkey (?:stat|statistic|figure|number)\b|\b(?:big|headline|hero) (?:number|figure|stat)\b|\bstat\b|"
     r"\bstatistic\b"),
    ("comparison", r"\btwo[- ]columns?\b|\bside[- ]by[- ]side\b|\bsplit[- ]screen\b|\bbefore\b.*\bafter\b|"
     r"\bvs\.?\b|\bversus\b|\bpros and cons\b|\bon the left\b|\bleft\b.*\bright\b|\S\s*=\s*\S.*;.*=|"
     r"\b[\w'’]+ ?/ ?[\w'’]+ columns\b|\bcompare\b"),
    ("cards", r"\bcards?\b|\btiles?\b|\bpanels\b|\bgrid\b|\bboxes\b"),
    ("checklist", r"\bcheck ?list\b|\bcheck ?boxes\b|\btick ?boxes\b"),
    ("steps", r"\bnumbered\b|\bsteps?\b|\bstep-by-step\b"),
    ("recap", r"\brecap\b|\bsummary\b|\btakeaways?\b|\bwords? on screen\b|\bthree words\b"),
    ("statement", r"\bstatement\b|\bone (?:line|sentence)\b|\bjust the\b|\bsingle (?:line|sentence)\b|\bheadline\b|"
     r"\blarge (?:centred|centered) type\b|\bon screen\b"),
    ("bullets", r"\bbullets?\b|\blist\b|\bpoints\b"),
    ("placeholder", r"\bphoto\b|\bimage\b|\billustration\b|\bscreenshot\b|\bpicture\b|\banimation\b|\bmap\b|"
     r"\bicons?\b|\bsketch\b"),
)  # fmt: skip
_CHART_CUE = dict(KIND_CUES)["chart"]
# A bare "diagram" says only that something is drawn: the lesson's arrows decide what.
GENERIC_DIAGRAM = r"\bdiagram\b|\bfigure\b|\bvisual\b"
# A kind's nouns, for a count attached to them ("five-bullet", "three cards", "4-step").
COUNT_NOUNS = (
    r"bullets?|points?|steps?|cards?|tiles?|boxes|box|items?|rows?|takeaways?|words?|markers?|nodes?|stages?|"
    r"panels?|columns?|circles?|bars?|entries|lines?|tips?|rules?|questions?|examples?|lessons?|phases?|reasons?|"
    r"risks?|families|kinds?|types?"
)
# Slide titles that say what the slide is, when the direction does not.
TITLE_KINDS: tuple[tuple[Kind, str], ...] = (
    ("end", r"^(?:up next|next(?: lesson| up)?|what'?s next|coming up)\b"),
    ("recap", r"^(?:recap|summary|key takeaways|takeaways|in summary|wrap[- ]up)\b"),
)
COLOURS = r"red|grey|gray|amber|orange|green|teal|blue|navy|accent"
ILLUSTRATIVE = re.compile(
    r"\billustrative\b|\bno (?:real )?(?:data|values|numbers)\b|\bschematic\b|\bnot to scale\b|\bsketch\b|\bmock-?up\b",
    re.I,
)


def read_direction(text: str, *, title: str = "", is_first: bool = False) -> Direction:
    """The spec a direction gives: kind, count, labels, quote, marks and the rest (see :class:`Direction`)."""
    raw = " ".join(text.split())
    t = unquote(raw)
    kind = _kind(t, title, is_first)
    labels, columns = read_labels(t, kind)
    if kind == "placeholder" and re.search(r"\bicons?\b", raw, re.I):
        # "icon row: unique, long, managed, MFA": the icons decorate named items, which are the content.
        named, _ = read_labels(t, "cards")
        if len(named) >= 2:
            kind, labels = "cards", named
    quote = _main_quote(t, kind)
    grid = _grid(t.plain)
    count = _count(t.plain)
    if count is None and grid is not None:
        count = grid[0] * grid[1]
    return Direction(
        kind=kind,
        text=raw,
        count=count,
        labels=labels,
        columns=columns,
        quote=quote,
        marks=_marks(t),
        reuses=_reused_slide(t.plain) if kind == "reuse" else None,
        illustrative=bool(ILLUSTRATIVE.search(raw)),
        measure=_measure(t, kind),
        per=_per(t.plain, kind),
        grid=grid,
        source=_source(t),
    )


# --- kind ------------------------------------------------------------------------------------


def _kind(t: Quoted, title: str, is_first: bool) -> Kind:
    if is_first or title.strip().lower() in {"title", "title slide", "title card"}:
        return "title"
    plain = t.plain.lower()
    head = plain.split(":", 1)[0] if ":" in plain else plain
    head = head.split(" — ", 1)[-1] if " — " in head else head
    for text in (head, plain):
        for kind, cue in KIND_CUES:
            if re.search(cue, text):
                return _refine(kind, t, title)
    if re.search(GENERIC_DIAGRAM, plain):
        return "flow"
    for kind, cue in TITLE_KINDS:
        if re.search(cue, title.strip().lower()):
            return kind
    if t.quotes and len(t.quotes[0].split()) >= 3:
        return "statement"
    return "bullets"


def _refine(kind: Kind, t: Quoted, title: str) -> Kind:
    """Second looks that a keyword alone gets wrong."""
    plain = t.plain.lower()
    if kind == "statement" and t.quotes and re.match(r"^(?:next|up next)\b", t.quotes[0], re.I):
        return "end"
    if kind in {"statement", "placeholder"}:
        for title_kind, cue in TITLE_KINDS:
            if re.search(cue, title.strip().lower()):
                return title_kind
    if kind == "cards" and re.search(r"\barrows?\b", plain):
        return "chain"
    if kind == "steps" and re.search(r"\bbox(?:es)?\b.*\barrows?\b", plain):
        return "chain"
    return kind


# --- count and grid ----------------------------------------------------------------------------


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def _count(plain: str) -> int | None:
    """The number attached to the kind's noun: "five-bullet list", "three cards", "4-step"; not "one per stage"."""
    for clause in re.split(r"[,;:(]", plain):
        if re.search(r"\b(?:each|per|every)\b", clause, re.I):
            continue  # "one icon each", "a two- or three-word caption under each marker"
        match = re.search(rf"\b{_NUM}[- ](?:[a-z-]+[- ])?(?:{COUNT_NOUNS})\b", clause, re.I)
        if match:
            number = _number(match.group(1))
            if number is not None and 0 < number <= 12:
                return number
    return None


def _grid(plain: str) -> tuple[int, int] | None:
    match = re.search(r"\b(\d)\s*[×x*]\s*(\d)\b", plain)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None


# --- quote, marks, reuse, measure --------------------------------------------------------------


def _main_quote(t: Quoted, kind: Kind) -> str:
    """The quoted text a statement, quote, stat, end card or title shows."""
    if not t.quotes or kind in {"comparison", "venn", "table"}:
        return ""
    if kind in {"chart", "cards", "bullets", "steps", "chain", "flow", "hub", "timeline", "recap"}:
        # Quotes there are labels or axis words ("illustrative" watermark, "research-only").
        return ""
    return max(t.quotes, key=len)


def _marks(t: Quoted) -> tuple[Mark, ...]:
    marks: list[Mark] = []
    plain = t.plain
    for match in re.finditer(
        rf"(?:with\s+)?(?:the\s+|a\s+|an\s+)?(?P<target>[^,;:]+?)\s+(?:(?:is\s+)?(?:highlighted|marked)\s*)?"
        rf"(?:in\s+(?P<colour>{COLOURS})\b|(?<=highlighted)|(?<=marked))",
        plain,
        re.I,
    ):
        target = _mark_target(match.group("target"), t)
        if target:
            marks.append(Mark(target, "highlight", (match.group("colour") or "").lower()))
    for match in re.finditer(
        r"\b(?:highlight(?:ing)?|call(?:ing)? out|emphasi[sz]e|point(?:ing)? (?:at|to))\s+(?:the\s+)?([^,;:.]+)",
        plain,
        re.I,
    ):
        target = _mark_target(match.group(1), t)
        if target:
            marks.append(Mark(target, "highlight"))
    if re.search(
        r"\b(?:the\s+)?(?:others?|rest|remaining)\b[^,;]*\b(?:greyed|grayed|dimmed|faded|in grey|in gray)", plain, re.I
    ):
        marks.append(Mark("others", "dim-others"))
    boundary = re.search(
        r"\b(?:dashed|dotted)?\s*(?:boundary|border|box|line|outline)\s+(?:around|enclosing|round)\s+([^,;.]+)",
        plain,
        re.I,
    )
    if boundary:
        marks.append(Mark(t.restore(boundary.group(1)).strip(), "boundary"))
    callout = re.search(
        r"(?:with\s+)?(?:the\s+|a\s+)?(?P<note>[\w' -]+?)\s+(?:entering|enters|arriving|arrives|getting in|gets in|"
        r"coming in|comes in)\s+(?:at|into|in|through)\s+(?:the\s+)?(?P<target>[\w -]+)",
        plain,
        re.I,
    )
    if callout:
        note = re.sub(r"^(?:with\s+)?(?:the\s+|a\s+)?", "", callout.group("note").strip(), flags=re.I)
        marks.append(Mark(t.restore(callout.group("target")).strip(), "callout", note=note))
    unique = {(m.target.lower(), m.style): m for m in marks}
    return tuple(unique.values())


def _mark_target(text: str, t: Quoted) -> str:
    """What a highlight applies to: ``the {retrieved_documents} line`` -> ``{retrieved_documents}``."""
    text = t.restore(text).strip()
    text = re.sub(r"^(?:with|and)\s+", "", text, flags=re.I)
    text = LEADING_ARTICLE.sub("", text)
    text = re.sub(r"\s+(?:line|box|node|bar|row|column|item|step|card|cell|word)$", "", text, flags=re.I)
    if not text or len(text.split()) > MAX_LABEL_WORDS or re.search(r"\b(?:other|rest|remaining)\b", text, re.I):
        return ""
    return text


def span(direction: str) -> tuple[str, str]:
    """The quoted ends of a sketched curve: ``dropping from "research-only" to "anyone"`` -> both ends."""
    t = unquote(" ".join(direction.split()))
    match = re.search(r"\bfrom\s+⟨(\d+)⟩\s+to\s+⟨(\d+)⟩", t.plain)
    ends = (t.quotes[int(match.group(1))], t.quotes[int(match.group(2))]) if match else ("", "")
    return ends[0].rstrip("."), ends[1].rstrip(".")


def _reused_slide(plain: str) -> int | None:
    match = re.search(r"\bslide\s+(\d+)", plain, re.I)
    return int(match.group(1)) if match else None


def _measure(t: Quoted, kind: Kind) -> str:
    """What a chart shows: the clause that is not the kind, the categories or a remark."""
    if kind != "chart":
        return ""
    for clause in re.split(r"[:;,]", re.sub(r"\(.*?\)", "", t.plain)):
        clause = clause.strip().rstrip(".")
        low = clause.lower()
        if not clause or re.search(_CHART_CUE, low) or ILLUSTRATIVE.search(low) or GENERIC_LABEL.match(low):
            continue
        if re.search(
            r"\b(?:numbers|data|figures|values)\s+from\b|\baxis\b|\bwatermark\b|\bin (?:grey|gray|red)\b", low
        ):
            continue
        if any(w in TREND_WORDS for w in low.split()) or re.search(r"\b(?:scale|axis|axes|legend)\b", low):
            continue
        measure = re.split(r"\s+per\s+|\s+by\s+", clause, maxsplit=1)[0]
        return t.restore(measure).strip()
    return ""


def _per(plain: str, kind: Kind) -> str:
    if kind != "chart":
        return ""
    match = re.search(r"\b(?:per|by|through|over|across)\s+([\w -]+?)(?:\s*[(,;:.]|$)", plain, re.I)
    return match.group(1).strip() if match else ""


def _source(t: Quoted) -> str:
    """Where the content comes from: ``from Wei et al. (2023)``, ``numbers from the AgentDojo study``,
    ``quote card, Article 25``."""
    named = re.match(
        r"^\s*(?:pull-?quote|quote(?: card)?|quotation)\s*(?:,|:|by)\s*([A-Z][^,;:]{0,40}?)\.?\s*$", t.plain
    )
    if named:
        return t.restore(named.group(1)).strip()
    match = re.search(
        r"\b(?:from|per|source:?)\s+(?:the\s+)?([A-Z][^,;:]*?(?:\(\d{4}\))?)(?:[,;:]|\s+study\b|$)", t.plain
    )
    if match:
        return t.restore(match.group(1)).strip().rstrip(".")
    return ""
