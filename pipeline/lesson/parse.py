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
from pathlib import Path

from ..errors import LessonError, LessonErrors
from ..model import (
    KeyTerm,
    Lesson,
    Metadata,
    Notice,
    OutlineItem,
    ProductionNote,
    QuizItem,
    ScriptSegment,
    Source,
    Text,
)
from .budget_line import is_budget_line, parse_budget_line
from .core import parse_core
from .lines import LIST_ITEM, Line, body, classify, clean, list_items

# Lessons are a few pages; anything far larger is a mistake, and reading it would only be slow.
MAX_BYTES = 2_000_000
# A lesson is minutes long; thousands of slides would only make LibreOffice and the encoder grind.
MAX_SLIDES = 200
# Over two hours of speech at 150 words a minute: no lesson, and hours of synthesis to find out.
MAX_SCRIPT_WORDS = 20_000
# C0/C1 control characters (other than tab and line breaks) cannot appear in a deck, a caption
# file or a page; they are always a copy-paste accident, so say where rather than drop them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

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
DECLARED = re.compile(r"~?\s*([\d,]+)\s*words?.*?~?\s*(\d+(?:\.\d+)?)\s*min", re.IGNORECASE)
# Slides a production note names: "Slide 3 (…) and slide 5", "Slides 4, 6 and 7", "slides 2–4".
NAMES_SLIDES = re.compile(r"\bslides?\s+(\d+(?:\s*(?:,|and|&|or|[–-]|to)\s*\d+)*)", re.IGNORECASE)


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
    lines = list(classify(text))
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
        objectives=tuple(list_items(body(sections.get("objectives", [])), file)),
        sections=tuple(parse_core(sections.get("core", []), file)),
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
        references=tuple(list_items(body(sections.get("references", [])), file)),
        warnings=budget_warnings,
    )


# --- lines and sections -------------------------------------------------------------------


def _section_key(heading: str) -> str | None:
    name = re.sub(r"\s*\(.*$", "", heading).strip().strip("*").strip().lower()
    return SECTION_NAMES.get(name)


def _split_sections(lines: list[Line]) -> dict[str, list[Line]]:
    """Group lines under the known section headings; unknown headings stay inside their section.

    Each section's list starts with its heading line; ``""`` holds what precedes the first one.
    """
    sections: dict[str, list[Line]] = {"": []}
    current = ""
    for line in lines:
        key = _section_key(line.text) if line.heading else None
        if key is not None and key not in sections:
            current = key
            sections[current] = [line]
        else:
            sections[current].append(line)
    return sections


def _split_title(line: str) -> tuple[str, str]:
    """``L4.3.1 — Title`` -> (``L4.3.1``, ``Title``); a title with no code gets an empty code."""
    text = clean(line)
    parts = TITLE_SEP.split(text, maxsplit=1)
    if len(parts) == 2 and re.fullmatch(r"[A-Za-z]*\d[\w.\-]*", parts[0].strip()):
        return parts[0].strip(), parts[1].strip()
    return "", text


def _parse_metadata(lines: list[Line]) -> Metadata:
    """Read ``Key: value`` pairs from the lines between the title and the first section."""
    text = " ".join(clean(ln.text).lstrip("-* ") for ln in lines if not ln.heading and ln.text.strip())
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


def _parse_terms(section: list[Line], file: str) -> Iterator[KeyTerm]:
    for item in list_items(body(section), file):
        parts = TITLE_SEP.split(item.text, maxsplit=1)
        if len(parts) == 1:
            parts = item.text.split(":", 1)
        term, definition = [*parts, ""][:2]
        yield KeyTerm(term.strip(), definition.strip(), item.source)


def _parse_quiz(section: list[Line], file: str) -> Iterator[QuizItem]:
    """``- Q: … A: …`` on one line, or a ``Q:`` line followed by an ``A:`` line."""
    pending: Text | None = None
    for ln in body(section):
        match = LIST_ITEM.match(ln.text)
        text = clean(match.group(1) if match else ln.text)
        qa = re.match(r"^Q\s*[:.]\s*(.*?)\s+A\s*[:.]\s*(.*)$", text)
        if qa:
            yield QuizItem(qa.group(1).strip(), qa.group(2).strip(), Source(file, ln.number))
            pending = None
        elif re.match(r"^Q\s*[:.]", text):
            pending = Text(re.sub(r"^Q\s*[:.]\s*", "", text), Source(file, ln.number))
        elif pending and re.match(r"^A\s*[:.]", text):
            yield QuizItem(pending.text, re.sub(r"^A\s*[:.]\s*", "", text), pending.source)
            pending = None


def _parse_outline(section: list[Line], file: str) -> Iterator[OutlineItem]:
    for item in list_items(body(section), file):
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


def _parse_segments(section: list[Line], file: str, errors: list[LessonError]) -> tuple[ScriptSegment, ...]:
    """Split the script at ``[SLIDE n — Title]`` markers; report duplicates and empty slides."""
    heading = section[0]
    markers: list[tuple[Line, int, str]] = []
    bodies: list[list[str]] = []
    stray: list[Line] = []
    for ln in section[1:]:
        match = SLIDE_MARKER.match(ln.text)
        if match:
            markers.append((ln, int(match.group(1)), clean(match.group(2) or "")))
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

    words = sum(len(" ".join(lines).split()) for lines in bodies)
    if words > MAX_SCRIPT_WORDS:
        message = f"the script has {words:,} words; a lesson may have at most {MAX_SCRIPT_WORDS:,}"
        errors.append(LessonError(message, file, heading.number))
        return ()
    segments = []
    seen: dict[int, int] = {}
    for (ln, n, title), lines in zip(markers, bodies, strict=True):
        if n in seen:
            errors.append(LessonError(f"slide {n} is used twice (first at line {seen[n]})", file, ln.number))
        seen.setdefault(n, ln.number)
        text = "\n\n".join(_paragraphs(lines))
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
    section: list[Line], file: str
) -> tuple[float | None, float | None, tuple[ProductionNote, ...], tuple[Notice, ...]]:
    """Target and cap (seconds) from the budget line; every other note kept as text.

    An unreadable budget line is a warning naming its line, never a silent default.
    """
    target = cap = None
    notes = []
    warnings = []
    items = list(list_items(body(section), file)) or [
        Text(clean(ln.text), Source(file, ln.number)) for ln in body(section)
    ]
    for item in items:
        if is_budget_line(item.text):
            read_target, read_cap, problem = parse_budget_line(item.text)
            target = read_target if read_target is not None else target
            cap = read_cap if read_cap is not None else cap
            if problem:
                warnings.append(Notice(f"{problem}: {item.text!r}", item.source))
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
