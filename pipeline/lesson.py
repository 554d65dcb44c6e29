"""Parse a lesson document into a :class:`~pipeline.model.Lesson`.

Two spellings of the same structure parse to the same result:

* the text export of a docs page: headings end with ``¶``, lists may be flattened onto one
  line (``For your own pipeline: - Audit … - Post-fine-tune …``), metadata on one line;
* the Markdown source: ``#``/``##``/``###`` headings and ordinary ``-`` lists.

Sections are recognised by name, not by heading level, so both spellings share one reader.
Problems are collected and raised together as :class:`~pipeline.errors.LessonErrors`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import LessonError, LessonErrors
from .model import (
    CodeBlock,
    ItemList,
    KeyTerm,
    Lesson,
    Metadata,
    OutlineItem,
    ProductionNote,
    QuizItem,
    ScriptSegment,
    Section,
    Source,
    TableBlock,
    Text,
    Warning,
)

# Lessons are a few pages; anything far larger is a mistake, and reading it would only be slow.
MAX_BYTES = 2_000_000
# A lesson is minutes long; thousands of slides would only make LibreOffice and the encoder grind.
MAX_SLIDES = 200
# Over two hours of speech at 150 words a minute: no lesson, and hours of synthesis to find out.
MAX_SCRIPT_WORDS = 20_000
# C0/C1 control characters (other than tab and line breaks) cannot appear in a deck, a caption
# file or a page; they are always a copy-paste accident, so say where rather than drop them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

DASHES = "—–"
# A title separator: an em/en dash, or a hyphen with spaces round it.
TITLE_SEP = re.compile(r"\s+[—–]\s+|\s+-\s+|\s*[—–]\s*")

SECTION_NAMES = {
    "learning objectives": "objectives",
    "objectives": "objectives",
    "core content": "core",
    "key terms": "terms",
    "references": "references",
    "quiz items": "quiz",
    "quiz": "quiz",
    "video script": "script",
    "slide outline": "outline",
    "production notes": "production",
}

METADATA_KEYS = ("Type", "Duration", "Status", "Module", "Framework tags")
METADATA_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in METADATA_KEYS) + r")\s*:", re.IGNORECASE)
SLIDE_MARKER = re.compile(r"^\s*\*{0,2}\[\s*SLIDE\s+(\d+)\s*(?:[—–:-]\s*(.*?))?\s*\]\*{0,2}\s*$", re.IGNORECASE)
LOOSE_MARKER = re.compile(r"^\s*\[\s*SLIDE\b", re.IGNORECASE)
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")
FLATTENED_LIST = re.compile(r"^(?P<lead>[^\n]*?:)\s+-\s+(?P<rest>.+)$")
DECLARED = re.compile(r"~?\s*([\d,]+)\s*words?.*?~?\s*(\d+(?:\.\d+)?)\s*min", re.IGNORECASE)
# Slides a production note names: "Slide 3 (…) and slide 5", "Slides 4, 6 and 7", "slides 2–4".
NAMES_SLIDES = re.compile(r"\bslides?\s+(\d+(?:\s*(?:,|and|&|or|[–-]|to)\s*\d+)*)", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of the document, classified: a heading (with its name) or body text."""

    number: int
    text: str
    heading: bool
    level: int
    fenced: bool = False
    """Inside a fenced code block (or its fence line): never a heading or a list item."""


def read_lesson(path: Path) -> Lesson:
    """Read and parse the lesson at ``path``, raising :class:`LessonError` for bad input."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LessonError(f"cannot read lesson: {exc.strerror or exc}", path) from exc
    return parse_lesson(decode_lesson(data, path), path)


def decode_lesson(data: bytes, path: Path | str) -> str:
    """Decode a lesson's bytes as UTF-8 text, refusing empty, huge and binary files."""
    if len(data) > MAX_BYTES:
        raise LessonError(f"lesson is {len(data):,} bytes; the limit is {MAX_BYTES:,}", path)
    if not data.strip():
        raise LessonError("lesson file is empty", path)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise LessonError("lesson looks like a binary file (it contains NUL bytes)", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LessonError(
            f"lesson is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", path, line
        ) from exc
    text = text.removeprefix("\ufeff")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise LessonError(f"control character U+{ord(bad.group()):04X} in the lesson text; delete it", path, line)
    return text


def parse_lesson(text: str, path: Path | str) -> Lesson:
    """Parse lesson ``text`` read from ``path`` (used for messages and the stem)."""
    path = Path(path)
    file = str(path)
    lines = list(_classify(text))
    errors: list[LessonError] = []

    title_line = next((ln for ln in lines if ln.text.strip()), None)
    if title_line is None:
        raise LessonError("lesson file is empty", file)
    code, title = _split_title(title_line.text)

    sections = _split_sections(lines[lines.index(title_line) + 1 :])
    preamble = sections.pop("", [])
    metadata = _parse_metadata(preamble)

    script_lines = sections.get("script")
    if script_lines is None:
        errors.append(LessonError("no 'Video script' section", file))
        segments: tuple[ScriptSegment, ...] = ()
        declared_words = declared_minutes = None
    else:
        heading = script_lines[0]
        declared_words, declared_minutes = _parse_declared(heading.text)
        segments = _parse_segments(script_lines, file, errors)

    target_s, cap_s, notes, budget_warnings = _parse_production(sections.get("production", []), file)
    if errors:
        raise LessonErrors(errors)
    return Lesson(
        path=file,
        stem=path.stem,
        code=code,
        title=title,
        metadata=metadata,
        objectives=tuple(_list_items(_body(sections.get("objectives", [])), file)),
        sections=tuple(_parse_core(sections.get("core", []), file)),
        key_terms=tuple(_parse_terms(sections.get("terms", []), file)),
        quiz=tuple(_parse_quiz(sections.get("quiz", []), file)),
        declared_words=declared_words,
        declared_minutes=declared_minutes,
        segments=segments,
        outline=tuple(_parse_outline(sections.get("outline", []), file)),
        target_s=target_s,
        cap_s=cap_s,
        notes=notes,
        source=Source(file, title_line.number),
        references=tuple(_list_items(_body(sections.get("references", [])), file)),
        warnings=budget_warnings,
    )


# --- lines and sections -------------------------------------------------------------------


def _classify(text: str) -> Iterator[_Line]:
    """Number the lines and mark headings in either spelling (``¶`` suffix or ``#`` prefix).

    Lines inside a fenced code block are kept as they are: a YAML or shell comment is not a heading.
    """
    fence = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        opening = FENCE.match(line)
        if fence or opening:
            if opening and not fence:
                fence = opening.group(1)
            elif line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = ""
            yield _Line(number, line, False, 0, fenced=True)
            continue
        if line.endswith("¶"):
            yield _Line(number, line[:-1].strip(), True, 0)
            continue
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            yield _Line(number, match.group(2), True, len(match.group(1)))
        else:
            yield _Line(number, line, False, 0)


def _section_key(heading: str) -> str | None:
    name = re.sub(r"\s*\(.*$", "", heading).strip().strip("*").strip().lower()
    return SECTION_NAMES.get(name)


def _split_sections(lines: list[_Line]) -> dict[str, list[_Line]]:
    """Group lines under the known section headings; unknown headings stay inside their section.

    Each section's list starts with its heading line; ``""`` holds what precedes the first one.
    """
    sections: dict[str, list[_Line]] = {"": []}
    current = ""
    for line in lines:
        key = _section_key(line.text) if line.heading else None
        if key is not None and key not in sections:
            current = key
            sections[current] = [line]
        else:
            sections[current].append(line)
    return sections


def _body(section: list[_Line]) -> list[_Line]:
    """A section's lines without its heading and blank lines."""
    return [ln for ln in section[1:] if ln.text.strip()]


def _clean(text: str) -> str:
    """Strip Markdown emphasis markers and surrounding space from a line of prose."""
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text).strip()


def _split_title(line: str) -> tuple[str, str]:
    """``L4.3.1 — Title`` -> (``L4.3.1``, ``Title``); a title with no code gets an empty code."""
    text = _clean(line)
    parts = TITLE_SEP.split(text, maxsplit=1)
    if len(parts) == 2 and re.fullmatch(r"[A-Za-z]*\d[\w.\-]*", parts[0].strip()):
        return parts[0].strip(), parts[1].strip()
    return "", text


def _parse_metadata(lines: list[_Line]) -> Metadata:
    """Read ``Key: value`` pairs from the lines between the title and the first section."""
    text = " ".join(_clean(ln.text).lstrip("-* ") for ln in lines if not ln.heading and ln.text.strip())
    text = text.replace("**", "")
    matches = list(METADATA_RE.finditer(text))
    values: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        values[match.group(1).lower()] = text[match.end() : end].strip(" ·|;")
    tags = values.get("framework tags", "")
    return Metadata(
        type=values.get("type", ""),
        duration=values.get("duration", ""),
        status=values.get("status", ""),
        module=values.get("module", ""),
        framework_tags=tuple(t.strip() for t in re.split(r"\s+·\s+|\s*;\s*", tags) if t.strip()),
    )


# --- lists ---------------------------------------------------------------------------------


def _split_flattened(text: str) -> tuple[str, list[str]]:
    """``Lead: - a - b`` -> (``Lead:``, [a, b]); other text -> (text, [])."""
    match = FLATTENED_LIST.match(text)
    if not match:
        return text, []
    items = [item.strip() for item in re.split(r"\s+-\s+(?=\S)", match.group("rest")) if item.strip()]
    return match.group("lead").strip(), items


def _list_items(lines: list[_Line], file: str) -> Iterator[Text]:
    """Every list item in ``lines`` (normal or flattened), with its location."""
    for ln in lines:
        match = LIST_ITEM.match(ln.text)
        if match:
            yield Text(_clean(match.group(1)), Source(file, ln.number))
            continue
        _, flattened = _split_flattened(_clean(ln.text))
        for item in flattened:
            yield Text(item, Source(file, ln.number))


@dataclass(slots=True)
class _SectionBuilder:
    """The parts of one core-content sub-section, gathered line by line."""

    title: str
    start: int
    paragraphs: list[Text]
    lists: list[ItemList]
    code: list[CodeBlock]
    tables: list[TableBlock]
    quotes: list[Text]

    def section(self, file: str) -> Section | None:
        if not (self.title or self.paragraphs or self.lists or self.code or self.tables):
            return None
        return Section(
            self.title,
            tuple(self.paragraphs),
            tuple(self.lists),
            Source(file, self.start),
            code=tuple(self.code),
            tables=tuple(self.tables),
            quotes=tuple(self.quotes),
        )


def _parse_core(section: list[_Line], file: str) -> Iterator[Section]:
    """Split Core content into its sub-sections: paragraphs, lists, code blocks, tables and quotes."""
    part = _SectionBuilder("", section[0].number if section else 0, [], [], [], [], [])
    lines = section[1:]
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.heading:
            done = part.section(file)
            if done:
                yield done
            part = _SectionBuilder(_clean(ln.text), ln.number, [], [], [], [], [])
            i += 1
            continue
        if ln.fenced:
            i = _read_fenced(lines, i, part, file)
            continue
        if _is_indented_code(ln, lines[i - 1] if i else None, part):
            i = _read_indented(lines, i, part, file)
            continue
        if TABLE_ROW.match(ln.text) or "\t" in ln.text.strip():
            table, after = _read_table(lines, i, file)
            if table is not None:
                part.tables.append(table)
                i = after
                continue
        i += 1
        text = _clean(ln.text)
        if not text:
            continue
        if text.startswith(">"):
            quote = Text(_clean(text.lstrip("> ")), Source(file, ln.number))
            if quote.text:
                part.quotes.append(quote)
                part.paragraphs.append(quote)
            continue
        _add_text(part, text, ln.number, file)
    done = part.section(file)
    if done:
        yield done


def _add_text(part: _SectionBuilder, text: str, number: int, file: str) -> None:
    """A line of prose or a list item, added to the section being read."""
    match = LIST_ITEM.match(text)
    if match:
        item = Text(_clean(match.group(1)), Source(file, number))
        lists = part.lists
        if lists and lists[-1].items and lists[-1].items[-1].source.line >= number - 2:
            lists[-1] = ItemList(lists[-1].lead, (*lists[-1].items, item), lists[-1].ordered)
        else:
            # A paragraph ending in a colon introduces the list: it is the list's lead, as in the
            # flattened spelling, not a paragraph of its own.
            paragraphs = part.paragraphs
            lead = paragraphs.pop().text if paragraphs and paragraphs[-1].text.endswith(":") else ""
            lists.append(ItemList(lead, (item,), ordered=bool(re.match(r"^\s*\d", text))))
        return
    lead, flattened = _split_flattened(text)
    if flattened:
        part.lists.append(ItemList(lead, tuple(Text(i, Source(file, number)) for i in flattened)))
    else:
        part.paragraphs.append(Text(text, Source(file, number)))


def _read_fenced(lines: list[_Line], i: int, part: _SectionBuilder, file: str) -> int:
    """A fenced block from its opening fence at ``lines[i]``; returns the index after it."""
    opening = FENCE.match(lines[i].text)
    language = opening.group(2) if opening else ""
    body: list[str] = []
    j = i + 1
    while j < len(lines) and lines[j].fenced and not FENCE.match(lines[j].text):
        body.append(lines[j].text)
        j += 1
    j += 1 if j < len(lines) and lines[j].fenced else 0
    if any(line.strip() for line in body):
        part.code.append(CodeBlock(language, tuple(_dedent(body)), Source(file, lines[i].number + 1)))
    return j


def _is_indented_code(ln: _Line, previous: _Line | None, part: _SectionBuilder) -> bool:
    """An indented line that is not the continuation of a list item: the text export's code block."""
    if not re.match(r"^(?: {4}|\t)", ln.text) or not ln.text.strip():
        return False
    last_item = part.lists[-1].items[-1].source.line if part.lists and part.lists[-1].items else -1
    return previous is None or previous.number != last_item


def _read_indented(lines: list[_Line], i: int, part: _SectionBuilder, file: str) -> int:
    """An indented code block starting at ``lines[i]``; blank lines inside it are kept."""
    body: list[str] = []
    j = i
    while (
        j < len(lines)
        and not lines[j].heading
        and (re.match(r"^(?: {4}|\t)", lines[j].text) or not lines[j].text.strip())
    ):
        body.append(lines[j].text)
        j += 1
    while body and not body[-1].strip():
        body.pop()
    part.code.append(CodeBlock("", tuple(_dedent(body)), Source(file, lines[i].number)))
    return i + len(body)


def _dedent(lines: list[str]) -> list[str]:
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:].rstrip() for line in lines]


def _read_table(lines: list[_Line], i: int, file: str) -> tuple[TableBlock | None, int]:
    """A Markdown pipe table or a run of tab-separated rows at ``lines[i]``: (table or None, index after)."""
    rows: list[tuple[str, ...]] = []
    j = i
    piped = bool(TABLE_ROW.match(lines[i].text))
    while j < len(lines) and not lines[j].heading and lines[j].text.strip():
        text = lines[j].text.strip()
        if piped:
            if not TABLE_ROW.match(text):
                break
            if not TABLE_RULE.match(text):
                rows.append(tuple(_clean(c) for c in text.strip("|").split("|")))
        else:
            if "\t" not in text:
                break
            rows.append(tuple(_clean(c) for c in re.split(r"\t+", text)))
        j += 1
    width = len(rows[0]) if rows else 0
    if len(rows) < 2 or width < 2 or any(len(r) != width for r in rows):
        return None, i
    return TableBlock(rows[0], tuple(rows[1:]), Source(file, lines[i].number)), j


def _parse_terms(section: list[_Line], file: str) -> Iterator[KeyTerm]:
    for item in _list_items(_body(section), file):
        parts = TITLE_SEP.split(item.text, maxsplit=1)
        if len(parts) == 1:
            parts = item.text.split(":", 1)
        term, definition = [*parts, ""][:2]
        yield KeyTerm(term.strip(), definition.strip(), item.source)


def _parse_quiz(section: list[_Line], file: str) -> Iterator[QuizItem]:
    """``- Q: … A: …`` on one line, or a ``Q:`` line followed by an ``A:`` line."""
    pending: Text | None = None
    for ln in _body(section):
        match = LIST_ITEM.match(ln.text)
        text = _clean(match.group(1) if match else ln.text)
        qa = re.match(r"^Q\s*[:.]\s*(.*?)\s+A\s*[:.]\s*(.*)$", text)
        if qa:
            yield QuizItem(qa.group(1).strip(), qa.group(2).strip(), Source(file, ln.number))
            pending = None
        elif re.match(r"^Q\s*[:.]", text):
            pending = Text(re.sub(r"^Q\s*[:.]\s*", "", text), Source(file, ln.number))
        elif pending and re.match(r"^A\s*[:.]", text):
            yield QuizItem(pending.text, re.sub(r"^A\s*[:.]\s*", "", text), pending.source)
            pending = None


def _parse_outline(section: list[_Line], file: str) -> Iterator[OutlineItem]:
    for item in _list_items(_body(section), file):
        parts = TITLE_SEP.split(item.text, maxsplit=1)
        title = parts[0].strip().strip("\"“”'")
        direction = parts[1].strip() if len(parts) > 1 else ""
        yield OutlineItem(title, direction, item.source)


# --- video script --------------------------------------------------------------------------


def _parse_declared(heading: str) -> tuple[int | None, float | None]:
    match = DECLARED.search(heading)
    if not match:
        return None, None
    return int(match.group(1).replace(",", "")), float(match.group(2))


def _parse_segments(section: list[_Line], file: str, errors: list[LessonError]) -> tuple[ScriptSegment, ...]:
    """Split the script at ``[SLIDE n — Title]`` markers; report duplicates and empty slides."""
    heading = section[0]
    markers: list[tuple[_Line, int, str]] = []
    bodies: list[list[str]] = []
    stray: list[_Line] = []
    for ln in section[1:]:
        match = SLIDE_MARKER.match(ln.text)
        if match:
            markers.append((ln, int(match.group(1)), _clean(match.group(2) or "")))
            bodies.append([])
        elif LOOSE_MARKER.match(ln.text):
            errors.append(LessonError("malformed slide marker; expected [SLIDE n — Title]", file, ln.number))
        elif bodies:
            bodies[-1].append(ln.text.strip())
        elif ln.text.strip() and not ln.heading:
            stray.append(ln)
    if not markers:
        errors.append(LessonError("video script has no [SLIDE n — Title] markers", file, heading.number))
        return ()
    if len(markers) > MAX_SLIDES:
        message = f"{len(markers)} slides; a lesson may have at most {MAX_SLIDES}"
        errors.append(LessonError(message, file, heading.number))
        return ()
    if stray:
        errors.append(LessonError("narration before the first [SLIDE n — Title] marker", file, stray[0].number))

    words = sum(len(" ".join(body).split()) for body in bodies)
    if words > MAX_SCRIPT_WORDS:
        message = f"the script has {words:,} words; a lesson may have at most {MAX_SCRIPT_WORDS:,}"
        errors.append(LessonError(message, file, heading.number))
        return ()
    segments = []
    seen: dict[int, int] = {}
    for (ln, n, title), body in zip(markers, bodies, strict=True):
        if n in seen:
            errors.append(LessonError(f"slide {n} is used twice (first at line {seen[n]})", file, ln.number))
        seen.setdefault(n, ln.number)
        text = "\n\n".join(_paragraphs(body))
        if not re.search(r"\w", text):
            errors.append(LessonError(f"slide {n} has no narration", file, ln.number))
        segments.append(ScriptSegment(n, title, text, Source(file, ln.number)))
    return tuple(segments)


def _paragraphs(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs.

    A paragraph ends at a blank line or at a line ending a sentence, so the docs export (a
    paragraph per line) and hand-wrapped Markdown give the same paragraphs.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        if current and (not line or re.search(r"[.!?…:;\"”)]$", line)):
            paragraphs.append(" ".join(" ".join(current).split()))
            current = []
    return paragraphs


# --- production notes ----------------------------------------------------------------------


def _parse_production(
    section: list[_Line], file: str
) -> tuple[float | None, float | None, tuple[ProductionNote, ...], tuple[Warning, ...]]:
    """Target and cap (seconds) from the budget line; every other note kept as text.

    An unreadable budget line is a warning naming its line, never a silent default.
    """
    target = cap = None
    notes = []
    warnings = []
    items = list(_list_items(_body(section), file)) or [
        Text(_clean(ln.text), Source(file, ln.number)) for ln in _body(section)
    ]
    for item in items:
        if is_budget_line(item.text):
            read_target, read_cap, problem = parse_budget_line(item.text)
            target = read_target if read_target is not None else target
            cap = read_cap if read_cap is not None else cap
            if problem:
                warnings.append(Warning(f"{problem}: {item.text!r}", item.source))
            continue
        notes.append(ProductionNote(item.text, _named_slides(item.text), item.source))
    return target, cap, tuple(notes), tuple(warnings)


def _named_slides(note: str) -> tuple[int, ...]:
    """The slide numbers a note names, in order: ``Slide 3 (…) and slide 5`` -> (3, 5)."""
    found: list[int] = []
    for match in NAMES_SLIDES.finditer(note):
        numbers = match.group(1)
        for lo, hi in re.findall(r"(\d+)\s*(?:[–-]|to)\s*(\d+)", numbers):
            found.extend(range(int(lo), int(hi) + 1))
        found.extend(int(n) for n in re.findall(r"\d+", re.sub(r"\d+\s*(?:[–-]|to)\s*\d+", "", numbers)))
    return tuple(dict.fromkeys(n for n in found if 0 < n <= MAX_SLIDES))


# --- the budget line -----------------------------------------------------------------------

# "Recording: ~4 min. Cap 5.", "Recording: 3–4 min. Cap 4:30.", "Recording: about 3 minutes.
# Cap 3.5 min.", "Target ~90 s, max 2 min": the target, then the cap. A bare number is minutes.
BUDGET_KEY = re.compile(r"^\s*(?:recording|target|length|run\s*-?time|duration|video length)\b\s*[:=—–-]?", re.I)
CAP_KEY = re.compile(
    r"\b(?:hard\s+)?(?:cap(?:ped)?|max(?:imum)?|limit|at\s+most|no\s+more\s+than)\b\s*(?:at|of|is)?\s*[:=]?", re.I
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "half": 0.5,
}  # fmt: skip
_VALUE = r"(?:\d+:[0-5]\d|\d+(?:[.,]\d+)?|" + "|".join(NUMBER_WORDS) + r")"
DURATION = re.compile(
    rf"(?P<first>{_VALUE})(?:\s*(?:[-–—]|to)\s*(?P<second>{_VALUE}))?\s*"
    r"(?P<unit>h(?:ours?|rs?)?\b|min(?:ute)?s?\b|m\b|s(?:ec(?:ond)?s?)?\b|\")?",
    re.I,
)


def is_budget_line(text: str) -> bool:
    """Whether a production note is the budget line (``Recording: …``, ``Target …; cap …``)."""
    return bool(BUDGET_KEY.match(text)) or bool(re.match(r"^\s*cap\b", text, re.I))


def parse_budget_line(text: str) -> tuple[float | None, float | None, str]:
    """``(target_s, cap_s, problem)`` read from a budget line; ``problem`` is empty when both were read.

    A range's target is its upper end (``3–4 min`` aims at 4); ``4:30`` is minutes and seconds.
    """
    cap_match = CAP_KEY.search(text)
    head = text[: cap_match.start()] if cap_match else text
    tail = text[cap_match.end() :] if cap_match else ""
    head = BUDGET_KEY.sub("", head, count=1)
    target = _duration(head)
    cap = _duration(tail) if cap_match else None
    if target is None and cap is None:
        return None, None, "cannot read the budget line (expected e.g. 'Recording: ~4 min. Cap 5.')"
    if target is None:
        return None, cap, "the budget line gives a cap but no target length"
    if cap is None:
        return target, None, "the budget line gives no cap (expected e.g. 'Cap 5.')"
    if cap < target:
        return target, cap, f"the cap ({cap:g} s) is below the target ({target:g} s)"
    return target, cap, ""


def _duration(text: str) -> float | None:
    """Seconds of the first duration in ``text`` (the upper end of a range); ``None`` when there is none."""
    for match in DURATION.finditer(text):
        value = match.group("second") or match.group("first")
        seconds = _seconds(value, match.group("unit") or "")
        if seconds is not None and seconds > 0:
            return seconds
    return None


def _seconds(value: str, unit: str) -> float | None:
    value = value.lower().replace(",", ".")
    if ":" in value:
        minutes, secs = value.split(":")
        return float(int(minutes) * 60 + int(secs))
    number = NUMBER_WORDS.get(value)
    amount = float(value) if number is None else float(number)
    unit = unit.lower()
    if unit.startswith("h"):
        return amount * 3600
    if unit.startswith("s") or unit == '"':
        return amount
    return amount * 60
