"""Plan a :class:`~pipeline.model.Storyboard` from a :class:`~pipeline.model.Lesson`.

Script segments are paired with outline items by position, and the pairing is confirmed by a
fuzzy title match (``Differs from PI`` ↔ ``Differs from prompt injection``). Each outline
direction is read as a spec (:mod:`.directions`), and the slide is filled from the lesson itself
(:mod:`.fill`, :mod:`.columns`, :mod:`.one_line`, :mod:`.figures`, :mod:`.diagrams`, :mod:`.charts`):
what the direction names, looked up in the narration and the core content. When the lesson
has nothing of the asked-for shape, the slide falls back to the best plain layout with what the
lesson does have (never to an empty slide) and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..model import Diagram, Direction, Kind, Lesson, Notice, OutlineItem, ScriptSegment, Slide, Storyboard
from . import charts, columns, diagrams, figures, fill, one_line
from .context import TITLE_MATCH_THRESHOLD, Context, make_context, title_similarity
from .cues import with_cues
from .directions import read_direction
from .fill import Filled

Filler = Callable[[Context], Filled | None]

# What fills each kind of slide, and what it falls back to when the lesson has nothing of that shape.
FILLERS: dict[str, Filler] = {
    "statement": one_line.statement,
    "stat": one_line.stat,
    "bullets": fill.bullets,
    "steps": fill.steps,
    "checklist": fill.checklist,
    "cards": fill.cards,
    "comparison": columns.comparison,
    "quote": one_line.quote,
    "recap": fill.recap,
    "end": one_line.end,
    "table": figures.table,
    "chain": diagrams.chain,
    "flow": diagrams.flow,
    "hub": diagrams.hub,
    "venn": diagrams.venn,
    "timeline": figures.timeline,
    "chart": charts.chart,
    "code": figures.code,
}
FALLBACKS: dict[str, tuple[str, ...]] = {
    "stat": ("statement", "bullets"),
    "checklist": ("bullets",),
    "cards": ("bullets",),
    "comparison": ("cards", "bullets"),
    "quote": ("statement",),
    "table": ("cards", "bullets"),
    "chain": ("flow", "placeholder"),
    "flow": ("chain", "placeholder"),
    "hub": ("flow", "placeholder"),
    "venn": ("placeholder",),
    "timeline": ("steps",),
    "code": ("placeholder",),
}
# Slides titled like this are not lesson content (the opening card).
TITLE_NAMES = {"title", "title slide", "intro", "introduction", "title card"}


def plan(lesson: Lesson) -> Storyboard:
    """Build the storyboard for ``lesson``; disagreements become warnings, never errors."""
    warnings: list[Notice] = list(lesson.warnings)
    warnings.extend(_numbering_warnings(lesson))
    slides: list[Slide] = []
    for segment, outline in _pair(lesson.segments, lesson.outline, lesson, warnings):
        direction = read_direction(
            outline.direction if outline else "", title=_title(segment, outline), is_first=not slides
        )
        slide, found = plan_slide(lesson, segment, outline, direction, slides)
        slides.append(slide)
        warnings.extend(found)
    if (lesson.target_s is None or lesson.cap_s is None) and not lesson.warnings:
        warnings.append(
            Notice("no 'Recording: ~N min. Cap M.' production note; the budget cannot be checked", lesson.source)
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
        slides=tuple(slides),
        warnings=tuple(warnings),
    )


def plan_slide(
    lesson: Lesson,
    segment: ScriptSegment,
    outline: OutlineItem | None,
    direction: Direction,
    earlier: Sequence[Slide],
) -> tuple[Slide, list[Notice]]:
    """One slide from its script segment and its direction (as read, or as the author corrected it)."""
    title = _title(segment, outline)
    if direction.kind == "title" and title.strip().lower() in TITLE_NAMES:
        title = lesson.title
    notes = tuple(note.text for note in lesson.notes if segment.n in note.slides)
    ctx = make_context(segment.n, title, segment.text, direction, lesson, notes)
    filled, messages = _fill(ctx, earlier)
    slide = Slide(
        n=segment.n,
        title=title,
        layout=filled.layout,
        items=filled.items,
        narration=segment.text,
        visual=outline.direction if outline else "",
        production_notes=notes,
        source=segment.source,
        direction=direction,
        table=filled.table,
        chart=filled.chart,
        diagram=filled.diagram,
        citation=filled.citation,
    )
    source = outline.source if outline else segment.source
    return with_cues(slide), [Notice(f"slide {segment.n}: {m}", source, segment.n) for m in messages]


def _fill(ctx: Context, earlier: Sequence[Slide]) -> tuple[Filled, list[str]]:
    kind: Kind = ctx.direction.kind
    if kind == "title":
        return Filled("title"), []
    if kind == "reuse":
        found = diagrams.reuse(ctx, _diagram_of(earlier, ctx.direction.reuses))
        if found is not None:
            return found, list(found.warnings)
        kind = "flow"
    messages: list[str] = []
    for option in (kind, *FALLBACKS.get(kind, ())):
        if option == "placeholder":
            points = fill.side_points(ctx)
            return Filled("placeholder", points), [
                *messages,
                "the lesson gives nothing to draw; shown as a marked draft visual",
            ]
        filler = FILLERS.get(option, fill.bullets)
        found = filler(ctx)
        if found is not None and (found.items or found.table or found.chart or found.diagram):
            if option != kind:
                messages.append(f"the lesson has nothing for a {kind} slide; shown as {found.layout}")
            return found, [*messages, *found.warnings]
    found = fill.bullets(ctx)
    return found, [*messages, *found.warnings]


def _diagram_of(slides: Sequence[Slide], n: int | None) -> Diagram | None:
    return next((s.diagram for s in slides if s.n == n and s.diagram is not None), None)


def _title(segment: ScriptSegment, outline: OutlineItem | None) -> str:
    return segment.title or (outline.title if outline else f"Slide {segment.n}")


# --- alignment of script and outline ---------------------------------------------------------


def _numbering_warnings(lesson: Lesson) -> Iterable[Notice]:
    expected = 1
    for segment in lesson.segments:
        if segment.n != expected:
            yield Notice(f"slide numbers skip: expected {expected}, found {segment.n}", segment.source, segment.n)
        expected = segment.n + 1


def _pair(
    segments: Sequence[ScriptSegment], outline: Sequence[OutlineItem], lesson: Lesson, warnings: list[Notice]
) -> Iterable[tuple[ScriptSegment, OutlineItem | None]]:
    """Pair each script segment with the outline item at the same position."""
    if outline and len(outline) != len(segments):
        warnings.append(
            Notice(
                f"the script has {len(segments)} slides but the slide outline has {len(outline)}",
                outline[0].source,
            )
        )
    elif not outline:
        warnings.append(Notice("no slide outline; layouts are chosen from the narration alone", lesson.source))
    for index, segment in enumerate(segments):
        item = outline[index] if index < len(outline) else None
        if item is not None and title_similarity(segment.title, item.title) < TITLE_MATCH_THRESHOLD:
            warnings.append(
                Notice(
                    f"slide {segment.n}: script title {segment.title!r} and outline title {item.title!r} disagree",
                    item.source,
                    segment.n,
                )
            )
        yield segment, item
