"""Plan a :class:`~pipeline.model.Storyboard` from a :class:`~pipeline.model.Lesson`.

Script segments are paired with outline items by position, and the pairing is confirmed by a
fuzzy title match (``Differs from PI`` ↔ ``Differs from prompt injection``). Each slide gets a
layout chosen from its visual direction and short on-slide phrases taken from the lesson
itself: enumerations in the narration, lead phrases, the matching core-content list, a quoted
pull-quote. Nothing is invented; when the lesson has nothing to show, the slide says so.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from .errors import ConfigError
from .model import LAYOUTS, Item, Layout, Lesson, OutlineItem, ScriptSegment, Section, Slide, Storyboard, Warning
from .text import split_sentences

# On-slide phrases longer than this are not phrases any more: a reader would be reading prose.
MAX_PHRASE_WORDS = 12
MAX_DETAIL_WORDS = 16
MAX_ITEMS = 5
TITLE_MATCH_THRESHOLD = 0.6

STOP_WORDS = frozenset(
    ["a", "an", "and", "the", "of", "for", "to", "in", "on", "from", "with", "your", "our", "its", "is", "are", "vs"]
)
ORDINALS = ("one", "two", "three", "four", "five", "six")
ORDINALS_ALT = ("first", "second", "third", "fourth", "fifth", "sixth")

LAYOUT_CUES: tuple[tuple[Layout, re.Pattern[str]], ...] = (
    ("quote", re.compile(r"\b(pull-?quote|quote)\b", re.I)),
    ("cards", re.compile(r"\bcards?\b|\btiles?\b", re.I)),
    ("comparison", re.compile(r"\b(vs\.?|versus|compar\w*|two-column|side[- ]by[- ]side)\b|\S\s*=\s*\S.*;.*=", re.I)),
    (
        "placeholder",
        re.compile(r"\b(curve|chart|graph|diagram|plot|timeline|map|illustration|image|photo|screenshot)\b", re.I),
    ),
    ("bullets", re.compile(r"\b(bullets?|list)\b", re.I)),
)


def plan(lesson: Lesson) -> Storyboard:
    """Build the storyboard for ``lesson``; disagreements become warnings, never errors."""
    warnings: list[Warning] = list(lesson.warnings)
    warnings.extend(_numbering_warnings(lesson))
    pairs = list(_pair(lesson.segments, lesson.outline, lesson, warnings))
    slides = tuple(_plan_slide(segment, outline, lesson, warnings) for segment, outline in pairs)
    if (lesson.target_s is None or lesson.cap_s is None) and not lesson.warnings:
        warnings.append(
            Warning("no 'Recording: ~N min. Cap M.' production note; the budget cannot be checked", lesson.source)
        )
    return Storyboard(
        stem=lesson.stem,
        path=lesson.path,
        code=lesson.code,
        title=lesson.title,
        module=lesson.metadata.module,
        framework_tags=lesson.metadata.framework_tags,
        target_s=lesson.target_s,
        cap_s=lesson.cap_s,
        declared_words=lesson.declared_words,
        slides=slides,
        warnings=tuple(warnings),
    )


# --- alignment of script and outline ---------------------------------------------------------


def _numbering_warnings(lesson: Lesson) -> Iterable[Warning]:
    expected = 1
    for segment in lesson.segments:
        if segment.n != expected:
            yield Warning(f"slide numbers skip: expected {expected}, found {segment.n}", segment.source, segment.n)
        expected = segment.n + 1


def _pair(
    segments: Sequence[ScriptSegment], outline: Sequence[OutlineItem], lesson: Lesson, warnings: list[Warning]
) -> Iterable[tuple[ScriptSegment, OutlineItem | None]]:
    """Pair each script segment with the outline item at the same position."""
    if outline and len(outline) != len(segments):
        warnings.append(
            Warning(
                f"the script has {len(segments)} slides but the slide outline has {len(outline)}",
                outline[0].source,
            )
        )
    elif not outline:
        warnings.append(Warning("no slide outline; layouts are chosen from the narration alone", lesson.source))
    for index, segment in enumerate(segments):
        item = outline[index] if index < len(outline) else None
        if item is not None and title_similarity(segment.title, item.title) < TITLE_MATCH_THRESHOLD:
            warnings.append(
                Warning(
                    f"slide {segment.n}: script title {segment.title!r} and outline title {item.title!r} disagree",
                    item.source,
                    segment.n,
                )
            )
        yield segment, item


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]


def title_similarity(a: str, b: str) -> float:
    """How well two slide titles agree, 0–1, reading acronyms (``PI`` = ``prompt injection``).

    The shorter title's words are looked for in the longer one, so ``Honest answer`` matches
    ``Honest answer + up next``; a character-level ratio backs it up for spelling variants.
    """
    words_a, words_b = _words(a), _words(b)
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


# --- one slide -------------------------------------------------------------------------------


def _plan_slide(segment: ScriptSegment, outline: OutlineItem | None, lesson: Lesson, warnings: list[Warning]) -> Slide:
    direction = outline.direction if outline else ""
    layout = choose_layout(segment, direction, is_first=segment is lesson.segments[0])
    title = segment.title or (outline.title if outline else f"Slide {segment.n}")
    if layout == "title" and title.strip().lower() in {"title", "title slide", "intro", "introduction"}:
        title = lesson.title
    items = _content(layout, segment, direction, lesson)
    if layout == "comparison" and len(items) != 2:
        layout = "bullets" if items else "placeholder"
        items = _content(layout, segment, direction, lesson)
    if layout == "cards" and not 2 <= len(items) <= 4:
        layout = "bullets"
        items = _content(layout, segment, direction, lesson)
    if layout == "quote" and not items:
        layout = "bullets"
        items = _content(layout, segment, direction, lesson)
    if layout in {"bullets", "cards"} and not items:
        warnings.append(
            Warning(f"slide {segment.n}: found no short phrases to show; check its content", segment.source, segment.n)
        )
    return Slide(
        n=segment.n,
        title=title,
        layout=layout,
        items=items,
        narration=segment.text,
        visual=direction,
        production_notes=tuple(note.text for note in lesson.notes if segment.n in note.slides),
        source=segment.source,
    )


def choose_layout(segment: ScriptSegment, direction: str, *, is_first: bool) -> Layout:
    """The layout a slide's visual direction asks for; the first slide is the title slide."""
    if is_first or segment.title.strip().lower() in {"title", "title slide"}:
        return "title"
    for layout, cue in LAYOUT_CUES:
        if cue.search(direction):
            return layout
    return "bullets"


def _content(layout: Layout, segment: ScriptSegment, direction: str, lesson: Lesson) -> tuple[Item, ...]:
    if layout == "title":
        return ()
    if layout == "quote":
        quote = _quoted(direction)
        return (Item(quote),) if quote else ()
    if layout == "comparison":
        return tuple(_comparison(direction, segment.text))
    if layout == "cards":
        return tuple(enumeration(segment.text)[:4])
    return tuple(_key_points(segment, lesson))


def _quoted(text: str) -> str:
    match = re.search(r"[\"“](.+?)[\"”]", text)
    return match.group(1).strip() if match else ""


def enumeration(narration: str) -> list[Item]:
    """Items spoken as ``One: … Two: … Three: …``: the phrase after each ordinal, then a short detail."""
    for ordinals in (ORDINALS, ORDINALS_ALT):
        pattern = r"\b(" + "|".join(o.capitalize() for o in ordinals) + r")\s*[:,]\s+"
        parts = re.split(pattern, narration)
        found = [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
        names = [name.lower() for name, _ in found]
        if len(found) >= 2 and names == list(ordinals[: len(found)]):
            return [_item_from(body) for _, body in found]
    return []


def _item_from(body: str) -> Item:
    """Heading = the first sentence; detail = the next sentence when it is short enough."""
    sentences = split_sentences(body)
    head = _trim_phrase(sentences[0]) if sentences else ""
    detail = sentences[1] if len(sentences) > 1 else ""
    if len(detail.split()) > MAX_DETAIL_WORDS:
        detail = ""
    return Item(head, detail.rstrip("."))


def _comparison(direction: str, narration: str) -> list[Item]:
    """``PI = property of deployment; HFT = produces a different model`` -> two columns."""
    items = []
    for part in re.split(r"\s*;\s*", direction.rstrip(".")):
        if "=" not in part:
            continue
        name, _, what = part.partition("=")
        name = name.strip()
        items.append(Item(_expand_acronym(name, narration), _capitalise(what.strip().rstrip("."))))
    if len(items) != 2:
        vs = re.split(r"\s+(?:vs\.?|versus)\s+", direction.rstrip("."), flags=re.I)
        if len(vs) == 2:
            items = [Item(_capitalise(side.strip())) for side in vs]
    return items


def _expand_acronym(name: str, narration: str) -> str:
    """``PI`` -> ``Prompt injection`` when the narration spells it out; otherwise unchanged.

    Hyphenated words count letter by letter (``harmful fine-tuning`` -> HFT) and keep their hyphens.
    """
    if not re.fullmatch(r"[A-Z]{2,6}", name):
        return name
    words = list(re.finditer(r"[A-Za-z]+", narration))
    for i in range(len(words) - len(name) + 1):
        window = words[i : i + len(name)]
        gaps = (narration[a.end() : b.start()] for a, b in itertools.pairwise(window))
        if "".join(w.group(0)[0] for w in window).upper() == name and all(re.fullmatch(r"[\s-]+", g) for g in gaps):
            return _capitalise(narration[window[0].start() : window[-1].end()].lower())
    return name


def _key_points(segment: ScriptSegment, lesson: Lesson) -> list[Item]:
    """Bullets: lead phrases of the narration, else the best-matching core-content list."""
    leads = lead_phrases(segment.text)
    if len(leads) >= 2:
        return leads[:MAX_ITEMS]
    section_items = _matching_list(segment, lesson.sections)
    if section_items:
        return section_items[:MAX_ITEMS]
    enumerated = enumeration(segment.text)
    if enumerated:
        return enumerated[:MAX_ITEMS]
    return leads


def lead_phrases(narration: str) -> list[Item]:
    """Sentences shaped ``Lead phrase — explanation``: the lead is the bullet, a short explanation its detail."""
    items = []
    for sentence in split_sentences(narration):
        parts = re.split(r"\s+[—–]\s+", sentence, maxsplit=1)
        if len(parts) != 2 or not 1 <= len(parts[0].split()) <= MAX_PHRASE_WORDS:
            continue
        lead, rest = parts
        detail = rest.rstrip(".")
        if len(detail.split()) > MAX_DETAIL_WORDS:
            detail = ""
        items.append(Item(_capitalise(lead.rstrip(".,:;")), _capitalise(detail)))
    return items


def _matching_list(segment: ScriptSegment, sections: Sequence[Section]) -> list[Item]:
    """The core-content list whose heading or lead best matches the slide, as short phrases."""
    best: tuple[float, list[Item]] = (0.0, [])
    for section in sections:
        for block in section.lists:
            score = max(title_similarity(segment.title, section.title), title_similarity(segment.title, block.lead))
            overlap = _overlap(" ".join(i.text for i in block.items), segment.text)
            score = max(score, overlap)
            if score > best[0] and score >= 0.5:
                best = (score, [Item(_trim_phrase(i.text)) for i in block.items])
    return best[1]


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(_words(a)), set(_words(b))
    return len(words_a & words_b) / len(words_a) if words_a else 0.0


def _trim_phrase(text: str) -> str:
    """A list item's lead phrase: up to its first full stop, dash or colon, at most a dozen words."""
    head = re.split(r"(?<=[a-z0-9)])\.\s|\s[—–]\s|\s\(", text.strip(), maxsplit=1)[0].rstrip(".")
    if len(head.split()) > MAX_PHRASE_WORDS:
        head = head.split(": ", 1)[0]
    words = head.split()
    if len(words) > MAX_PHRASE_WORDS:
        head = " ".join(words[:MAX_PHRASE_WORDS]) + "…"
    return _capitalise(head)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- the author's editable storyboard file -----------------------------------------------------

STORYBOARD_HEADER = """\
# Storyboard for {code} — {title}
# Edit each slide's title, layout and on-slide items; the build uses this file while it exists
# (delete it to go back to the automatic plan). The narration always comes from the lesson's
# video script and cannot be changed here.
# layouts: {layouts}
# items: a list of phrases, or of {{text: heading, detail: supporting line}} for cards and columns
"""


def to_yaml(storyboard: Storyboard) -> str:
    """The editable storyboard file for ``storyboard`` (titles, layouts and items only)."""
    slides = []
    for slide in storyboard.slides:
        items: list[object] = [
            {"text": item.text, "detail": item.detail} if item.detail else item.text for item in slide.items
        ]
        slides.append({"n": slide.n, "title": slide.title, "layout": slide.layout, "items": items})
    header = STORYBOARD_HEADER.format(code=storyboard.code, title=storyboard.title, layouts=", ".join(LAYOUTS))
    body = yaml.safe_dump(
        {"lesson": Path(storyboard.path).name, "slides": slides}, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body


def apply_overrides(storyboard: Storyboard, path: Path) -> Storyboard:
    """The storyboard with the titles, layouts and items of the author's file at ``path``.

    Every problem in the file is collected and raised together as one :class:`ConfigError`.
    """
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read storyboard file: {exc}", path) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None
        ) from exc
    problems: list[ConfigError] = []
    by_number = {slide.n: slide for slide in storyboard.slides}
    changed: dict[int, Slide] = {}
    for node in _slide_nodes(root, path, problems):
        override = _read_slide(node, path, problems)
        if override is None:
            continue
        n, fields = override
        if n not in by_number:
            problems.append(ConfigError(f"slide {n} is not in the lesson's script", path, node.start_mark.line + 1))
            continue
        changed[n] = replace(by_number[n], **fields)  # type: ignore[arg-type]
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))
    slides = tuple(changed.get(slide.n, slide) for slide in storyboard.slides)
    return replace(storyboard, slides=slides)


def _slide_nodes(root: yaml.Node | None, path: Path, problems: list[ConfigError]) -> list[yaml.MappingNode]:
    if not isinstance(root, yaml.MappingNode):
        problems.append(ConfigError("expected a mapping with a 'slides' list", path, 1))
        return []
    for key, value in root.value:
        if key.value == "slides":
            if not isinstance(value, yaml.SequenceNode):
                problems.append(ConfigError("'slides' must be a list", path, value.start_mark.line + 1))
                return []
            good = [v for v in value.value if isinstance(v, yaml.MappingNode)]
            for v in value.value:
                if not isinstance(v, yaml.MappingNode):
                    problems.append(ConfigError("each slide must be a mapping with 'n'", path, v.start_mark.line + 1))
            return good
    problems.append(ConfigError("no 'slides' list", path, 1))
    return []


def _read_slide(
    node: yaml.MappingNode, path: Path, problems: list[ConfigError]
) -> tuple[int, dict[str, object]] | None:
    fields: dict[str, object] = {}
    n: int | None = None
    for key, value in node.value:
        line = value.start_mark.line + 1
        name = key.value
        if name == "n":
            if isinstance(value, yaml.ScalarNode) and value.value.isdigit():
                n = int(value.value)
            else:
                problems.append(ConfigError("'n' must be a slide number", path, line))
        elif name == "title" and isinstance(value, yaml.ScalarNode):
            fields["title"] = value.value
        elif name == "layout":
            if isinstance(value, yaml.ScalarNode) and value.value in LAYOUTS:
                fields["layout"] = value.value
            else:
                problems.append(
                    ConfigError(f"unknown layout {value.value!r}; use one of {', '.join(LAYOUTS)}", path, line)
                )
        elif name == "items":
            items = _read_items(value, path, problems)
            if items is not None:
                fields["items"] = items
        else:
            problems.append(
                ConfigError(f"unknown or malformed field {name!r} (fields: n, title, layout, items)", path, line)
            )
    if n is None:
        problems.append(ConfigError("slide entry has no 'n'", path, node.start_mark.line + 1))
        return None
    return n, fields


def _read_items(node: yaml.Node, path: Path, problems: list[ConfigError]) -> tuple[Item, ...] | None:
    if not isinstance(node, yaml.SequenceNode):
        problems.append(ConfigError("'items' must be a list", path, node.start_mark.line + 1))
        return None
    items = []
    for entry in node.value:
        if isinstance(entry, yaml.ScalarNode):
            items.append(Item(entry.value))
        elif isinstance(entry, yaml.MappingNode):
            values = {k.value: v.value for k, v in entry.value if isinstance(v, yaml.ScalarNode)}
            if "text" not in values or not set(values) <= {"text", "detail"}:
                problems.append(
                    ConfigError("an item needs 'text' (and may have 'detail')", path, entry.start_mark.line + 1)
                )
                continue
            items.append(Item(values["text"], values.get("detail", "")))
        else:
            problems.append(ConfigError("an item must be a phrase or {text, detail}", path, entry.start_mark.line + 1))
    return tuple(items)
