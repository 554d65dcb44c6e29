"""The author's editable storyboard file, ``slides/<stem>.storyboard.yaml``.

It shows, per slide, the direction as the planner read it (a spec) and what the slide shows.
Authors correct either: an edited ``direction`` re-plans the slide from the lesson, and any
content key (``title``, ``layout``, ``items``, ``table``, ``chart``, ``diagram``, ``citation``)
that differs from what the planner wrote wins over the plan. Content left as written follows
the lesson. The narration always comes from the lesson's script.

Reading is generic over the model's dataclasses, so every field the file can hold is checked
against its type, and every problem is reported with its line, all at once.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..model import KINDS, LAYOUTS, Chart, Diagram, Direction, Item, Lesson, Slide, Storyboard, Table
from ..text import split_sentences
from .cues import build_units, with_cues
from .plan import plan_slide

CONTENT_KEYS = ("title", "layout", "items", "table", "chart", "diagram", "citation")
CONTENT_TYPES: dict[str, Any] = {
    "title": str,
    "layout": str,
    "items": tuple[Item, ...],
    "table": Table | None,
    "chart": Chart | None,
    "diagram": Diagram | None,
    "citation": str,
}
# Aliases authors may know from older storyboard files.
LAYOUT_ALIASES = {"visual": "placeholder"}

HEADER = """\
# Storyboard for {code} — {title}
# Each slide shows the visual direction as the planner read it ("direction") and what the slide
# shows. Edit the direction (kind, count, labels, marks …) to re-plan a slide from the lesson, or
# edit the content to override it; content you leave as written keeps following the lesson.
# Delete this file to go back to the automatic plan. The narration always comes from the script.
# Builds: "cues" gives, for each list row, card, marker, table row or diagram box in order, the
# narration sentence (1 = first) at which it appears; "highlight" the sentence at which marked
# things take their marked look (0: at once); "builds: false" on a slide (or at the top, for the
# whole lesson) shows slides whole from their start.
# direction kinds: {kinds}
# layouts: {layouts}
"""


# --- writing ---------------------------------------------------------------------------------


def to_yaml(storyboard: Storyboard) -> str:
    """The editable storyboard file for ``storyboard``."""
    slides = []
    lesson_builds = any(slide.builds for slide in storyboard.slides)
    for slide in storyboard.slides:
        entry: dict[str, Any] = {"n": slide.n, "title": slide.title}
        if slide.direction is not None:
            entry["direction"] = plain(slide.direction)
        entry["layout"] = slide.layout
        for key in CONTENT_KEYS[2:]:
            value = plain(getattr(slide, key))
            if value not in (None, "", [], {}):
                entry[key] = value
        if len(set(slide.cues)) > 1:
            entry["cues"] = list(slide.cues)
        if slide.highlight:
            entry["highlight"] = slide.highlight
        if slide.builds != lesson_builds:
            entry["builds"] = slide.builds
        slides.append(entry)
    header = HEADER.format(
        code=storyboard.code, title=storyboard.title, kinds=", ".join(KINDS), layouts=", ".join(LAYOUTS)
    )
    body = yaml.dump(
        {"lesson": Path(storyboard.path).name, "builds": lesson_builds, "slides": slides},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + body


class _Dumper(yaml.SafeDumper):
    """Safe YAML with lists of numbers (diagram edges, chart values) on one line: ``[0, 1]``."""

    def represent_list(self, data: Any) -> yaml.SequenceNode:
        data = list(data)
        flat = all(isinstance(v, int | float) and not isinstance(v, bool) for v in data)
        nested = all(isinstance(v, list) and all(isinstance(x, int | float | str) for x in v) for v in data)
        flow = bool(data) and (flat or (nested and all(len(v) <= 3 for v in data)))
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _Dumper.represent_list)


def plain(value: Any) -> Any:
    """A dataclass as YAML-ready plain data, fields at their defaults left out; one that holds only
    its first field (an item's or a label's text) as that value alone."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            required = f.default is dataclasses.MISSING
            if required or (item != f.default and item not in ((), "", None)):
                out[f.name] = plain(item)
        first = fields(value)[0].name
        if list(out) == [first] and _shorthand(type(value)):
            return out[first]
        return out
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Edit:
    """What the file says about one slide."""

    direction: Direction | None
    content: dict[str, Any]
    cues: tuple[int, ...] | None = None
    cues_line: int = 0
    builds: bool | None = None
    highlight: int | None = None
    highlight_line: int = 0


def apply_overrides(storyboard: Storyboard, path: Path, lesson: Lesson) -> Storyboard:
    """The storyboard with the author's corrections in the file at ``path``.

    Every problem in the file is collected and raised together as one :class:`ConfigError`.
    """
    root = _compose(path)
    problems: list[ConfigError] = []
    edits: dict[int, _Edit] = {}
    numbers = {slide.n for slide in storyboard.slides}
    lesson_builds = _lesson_builds(root, path, problems)
    for node in _slide_nodes(root, path, problems):
        edit = _read_slide(node, path, problems)
        if edit is None:
            continue
        n, read = edit
        if n not in numbers:
            problems.append(ConfigError(f"slide {n} is not in the lesson's script", path, node.start_mark.line + 1))
            continue
        edits[n] = read
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))
    return _apply(storyboard, edits, lesson, lesson_builds, path)


def _apply(
    storyboard: Storyboard, edits: dict[int, _Edit], lesson: Lesson, lesson_builds: bool, path: Path
) -> Storyboard:
    segments = {s.n: s for s in lesson.segments}
    outline = {s.n: (lesson.outline[i] if i < len(lesson.outline) else None) for i, s in enumerate(lesson.segments)}
    slides: list[Slide] = []
    problems: list[ConfigError] = []
    for planned in storyboard.slides:
        edit = edits.get(planned.n, _Edit(None, {}))
        content = edit.content
        slide = planned
        if edit.direction is not None and edit.direction != planned.direction:
            slide, _ = plan_slide(lesson, segments[planned.n], outline[planned.n], edit.direction, slides)
            # What the file still holds as the planner first wrote it was generated, not edited.
            content = {k: v for k, v in content.items() if v != getattr(planned, k)}
        slide = with_cues(replace(slide, **content))
        if edit.cues is not None and edit.cues != planned.cues:
            # Cues the author moved win; cues left as written follow the (possibly edited) content.
            problem = _cue_problem(slide, edit.cues)
            if problem:
                problems.append(ConfigError(f"slide {planned.n}: {problem}", path, edit.cues_line))
            slide = replace(slide, cues=edit.cues)
        if edit.highlight is not None and edit.highlight != planned.highlight:
            count = len(split_sentences(slide.narration))
            if not 0 <= edit.highlight <= count:
                message = f"slide {planned.n}: highlight {edit.highlight} is not a sentence of this slide's narration"
                problems.append(ConfigError(f"{message} (it has {count}; 0 marks at once)", path, edit.highlight_line))
            slide = replace(slide, highlight=edit.highlight)
        slides.append(replace(slide, builds=lesson_builds if edit.builds is None else edit.builds))
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))
    return replace(storyboard, slides=tuple(slides))


def _cue_problem(slide: Slide, cues: tuple[int, ...]) -> str:
    """What is wrong with the author's ``cues`` for ``slide`` (empty when nothing)."""
    units, sentences = len(build_units(slide)), len(split_sentences(slide.narration))
    if len(cues) != units:
        return f"'cues' lists {len(cues)} sentence(s) but the slide has {units} thing(s) that appear one by one"
    wrong = [c for c in cues if not 1 <= c <= sentences]
    if wrong:
        return f"cue {wrong[0]} is not a sentence of this slide's narration (it has {sentences})"
    return ""


def _lesson_builds(root: yaml.Node | None, path: Path, problems: list[ConfigError]) -> bool:
    """The file's top-level ``builds`` switch (on when absent)."""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "builds":
                found = _read(value, bool, path, problems)
                return True if found is None else bool(found)
    return True


def _compose(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read storyboard file: {exc}", path) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None
        ) from exc


def _slide_nodes(root: yaml.Node | None, path: Path, problems: list[ConfigError]) -> list[yaml.MappingNode]:
    if not isinstance(root, yaml.MappingNode):
        problems.append(ConfigError("expected a mapping with a 'slides' list", path, 1))
        return []
    for key, value in root.value:
        if key.value == "slides":
            if not isinstance(value, yaml.SequenceNode):
                problems.append(ConfigError("'slides' must be a list", path, value.start_mark.line + 1))
                return []
            for v in value.value:
                if not isinstance(v, yaml.MappingNode):
                    problems.append(ConfigError("each slide must be a mapping with 'n'", path, v.start_mark.line + 1))
            return [v for v in value.value if isinstance(v, yaml.MappingNode)]
    problems.append(ConfigError("no 'slides' list", path, 1))
    return []


def _read_slide(node: yaml.MappingNode, path: Path, problems: list[ConfigError]) -> tuple[int, _Edit] | None:
    n: int | None = None
    direction: Direction | None = None
    content: dict[str, Any] = {}
    cues: tuple[int, ...] | None = None
    cues_line = 0
    builds: bool | None = None
    highlight: int | None = None
    highlight_line = 0
    before = len(problems)
    for key, value in node.value:
        line = value.start_mark.line + 1
        name = key.value
        if name == "n":
            if isinstance(value, yaml.ScalarNode) and value.value.isdigit():
                n = int(value.value)
            else:
                problems.append(ConfigError("'n' must be a slide number", path, line))
        elif name == "direction":
            direction = _read(value, Direction, path, problems)
        elif name == "layout":
            layout = LAYOUT_ALIASES.get(str(value.value), value.value) if isinstance(value, yaml.ScalarNode) else None
            if layout in LAYOUTS:
                content["layout"] = layout
            else:
                shown = value.value if isinstance(value, yaml.ScalarNode) else "(not a name)"
                problems.append(ConfigError(f"unknown layout {shown!r}; use one of {', '.join(LAYOUTS)}", path, line))
        elif name in CONTENT_TYPES:
            content[name] = _read(value, CONTENT_TYPES[name], path, problems)
        elif name == "cues":
            cues, cues_line = _read(value, tuple[int, ...], path, problems), line
        elif name == "builds":
            builds = _read(value, bool, path, problems)
        elif name == "highlight":
            highlight, highlight_line = _read(value, int, path, problems), line
        else:
            keys = ", ".join(("n", "direction", *CONTENT_KEYS, "cues", "highlight", "builds"))
            problems.append(ConfigError(f"unknown field {name!r} (fields: {keys})", path, line))
    if n is None:
        problems.append(ConfigError("slide entry has no 'n'", path, node.start_mark.line + 1))
        return None
    if len(problems) != before:
        return None
    return n, _Edit(direction, content, cues, cues_line, builds, highlight, highlight_line)


def _read(node: yaml.Node, kind: Any, path: Path, problems: list[ConfigError]) -> Any:
    """The value of type ``kind`` written at ``node``; a problem (and ``None``) when it does not fit."""
    line = node.start_mark.line + 1
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return None
        return _read(node, options[0], path, problems)
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(node, yaml.SequenceNode):
            problems.append(ConfigError("expected a list", path, line))
            return ()
        inner = args[0] if len(args) == 2 and args[1] is Ellipsis else None
        values = node.value
        if inner is None and len(values) != len(args):
            problems.append(ConfigError(f"expected a list of {len(args)}", path, line))
            return ()
        return tuple(_read(v, inner or args[i], path, problems) for i, v in enumerate(values))
    if origin is typing.Literal:
        allowed = typing.get_args(kind)
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in allowed:
            problems.append(ConfigError(f"{value!r} is not one of {', '.join(map(str, allowed))}", path, line))
        return value
    if is_dataclass(kind):
        return _read_dataclass(node, kind, path, problems)
    if not isinstance(node, yaml.ScalarNode):
        problems.append(ConfigError(f"expected a {kind.__name__}", path, line))
        return None
    return _scalar(node, kind, path, problems)


def _shorthand(kind: Any) -> bool:
    """Whether ``kind`` may be written as its first field alone: that field is text and the rest have defaults."""
    first, *rest = fields(kind)
    return typing.get_type_hints(kind)[first.name] is str and all(f.default is not dataclasses.MISSING for f in rest)


def _read_dataclass(node: yaml.Node, kind: Any, path: Path, problems: list[ConfigError]) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and _shorthand(kind):
        return kind(node.value)
    if not isinstance(node, yaml.MappingNode):
        problems.append(ConfigError(f"expected a mapping ({', '.join(f.name for f in fields(kind))})", path, line))
        return None
    hints = typing.get_type_hints(kind)
    names = {f.name for f in fields(kind)}
    values: dict[str, Any] = {}
    for key, value in node.value:
        if key.value not in names:
            problems.append(
                ConfigError(
                    f"unknown key {key.value!r} (keys: {', '.join(sorted(names))})", path, key.start_mark.line + 1
                )
            )
            continue
        values[key.value] = _read(value, hints[key.value], path, problems)
    missing = [f.name for f in fields(kind) if f.default is dataclasses.MISSING and f.name not in values]
    if missing:
        problems.append(ConfigError(f"missing {', '.join(missing)}", path, line))
        return None
    try:
        return kind(**values)
    except (TypeError, ValueError) as exc:
        problems.append(ConfigError(str(exc), path, line))
        return None


def _scalar(node: yaml.ScalarNode, kind: Any, path: Path, problems: list[ConfigError]) -> Any:
    line = node.start_mark.line + 1
    text = node.value
    try:
        if kind is bool:
            if text.lower() not in {"true", "false", "yes", "no"}:
                raise ValueError
            return text.lower() in {"true", "yes"}
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
    except ValueError:
        problems.append(ConfigError(f"{text!r} is not a {kind.__name__}", path, line))
        return None
    return text
