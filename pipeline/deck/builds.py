"""Build steps: the deck's slides as they look before all their units have appeared.

The layouts record which shapes (and which bands of a shape that cannot be split, a table's row
or a list's bullet) make up each build unit of a slide. A step picture is the slide with the
units not yet cued taken out: a copy of the slide in a separate *steps deck*, their shapes
removed and their bands covered with the slide's background. LibreOffice renders that deck like
the real one, so every picture in the video is a picture of the deck the reviewer downloads.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from .. import cache
from ..errors import PipelineError
from .page import Unit
from .shapes import decorative, named, rect

# Relationship attributes a copied shape tree may use to point at its slide's parts.
_REL_ATTRIBUTES = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed",
                   "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link",
                   "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")  # fmt: skip


@dataclass(frozen=True, slots=True)
class BuildUnit:
    """One build unit of a slide as drawn: whole shapes (by ``cNvPr`` id) and bands of shapes."""

    shape_ids: tuple[int, ...] = ()
    covers: tuple[tuple[int, int, int, int], ...] = ()
    """(left, top, width, height) in EMU."""


SlideUnits = tuple[BuildUnit, ...]


def frozen_units(drawn: dict[int, Unit]) -> SlideUnits:
    """A slide's units as recorded while drawing (by unit index), in unit order, gaps left empty."""
    if not drawn:
        return ()
    return tuple(
        BuildUnit(tuple(drawn[i].shape_ids), tuple(drawn[i].covers)) if i in drawn else BuildUnit()
        for i in range(max(drawn) + 1)
    )


@dataclass(frozen=True, slots=True)
class StepPicture:
    """A picture of slide ``slide`` (0-based) with the build units in ``hidden`` not yet shown, and
    with ``plain`` its marked things not yet marked."""

    slide: int
    hidden: tuple[int, ...]
    plain: bool = False


def write_steps_deck(
    deck: Path,
    units: Sequence[SlideUnits],
    steps: Sequence[StepPicture],
    out: Path,
    *,
    background: str,
    plain_deck: Path | None = None,
) -> None:
    """Write ``out``: one slide per step picture, in order, copied from ``deck`` (from ``plain_deck``,
    the same deck drawn without marks, for a plain step) with its hidden units removed (shapes) or
    covered in ``background`` (bands)."""
    prs = Presentation(str(deck))
    originals = list(prs.slides)
    plain = list(Presentation(str(plain_deck)).slides) if plain_deck is not None else []
    for step in steps:
        if not 0 <= step.slide < len(originals):
            raise PipelineError(f"step picture of slide {step.slide + 1}, which the deck does not have", deck)
        if step.plain and not plain:
            raise PipelineError(
                f"a plain step picture of slide {step.slide + 1} needs the deck drawn without marks", deck
            )
        # A plain step is the original slide (its layout and parts, in this deck) with the plain
        # deck's shapes: drawn by the same code, they point at the same parts under the same ids.
        shapes = plain[step.slide].shapes._spTree if step.plain else None
        page = _copy_slide(prs, originals[step.slide], shapes)
        for index in step.hidden:
            unit = units[step.slide][index] if index < len(units[step.slide]) else BuildUnit()
            _hide(page, unit, background)
    _drop_slides(prs, len(originals))
    packed = io.BytesIO()
    prs.save(packed)
    with cache.atomic_path(out) as tmp:
        tmp.write_bytes(packed.getvalue())


def _copy_slide(prs: Any, source: Any, shapes: Any = None) -> Any:
    """A new last slide showing what ``source`` shows: its shape tree (or ``shapes``, a tree drawn
    like it), background and the parts they point at (pictures, charts), on the same layout. Notes
    are not copied: never rendered."""
    page = prs.slides.add_slide(source.slide_layout)
    renamed = {}
    for rid, rel in source.part.rels.items():
        if rel.reltype in (RT.SLIDE_LAYOUT, RT.NOTES_SLIDE):
            continue
        if rel.is_external:
            renamed[rid] = page.part.relate_to(rel.target_ref, rel.reltype, is_external=True)
        else:
            renamed[rid] = page.part.relate_to(rel.target_part, rel.reltype)
    tree = copy.deepcopy(source.shapes._spTree if shapes is None else shapes)
    for element in tree.iter():
        for attribute in _REL_ATTRIBUTES:
            old = element.get(attribute)
            if old in renamed:
                element.set(attribute, renamed[old])
    # Fill the new slide's own shape tree (python-pptx keeps a reference to it), not a replacement.
    target = page.shapes._spTree
    for child in list(target):
        target.remove(child)
    for child in tree:
        target.append(child)
    if source._element.cSld.bg is not None:
        page._element.cSld.insert(0, copy.deepcopy(source._element.cSld.bg))
    return page


def _hide(page: Any, unit: BuildUnit, background: str) -> None:
    tree = page.shapes._spTree
    for shape_id in unit.shape_ids:
        for found in tree.xpath(f".//p:cNvPr[@id='{shape_id}']"):
            shape = found.getparent().getparent()
            shape.getparent().remove(shape)
    for left, top, width, height in unit.covers:
        decorative(named(rect(page, left, top, width, height, background), "Not yet shown"))


def _drop_slides(prs: Any, count: int) -> None:
    """Remove the first ``count`` slides (the originals) from the deck's slide list."""
    ids = prs.slides._sldIdLst
    for entry in list(ids)[:count]:
        prs.part.drop_rel(entry.rId)
        ids.remove(entry)


State = tuple[int, tuple[int, ...], bool]
"""From which narration sentence (1 = the slide's start) a slide shows what: the units still hidden,
and whether its marked things are still plain."""


def slide_states(
    cues: Sequence[int], units: SlideUnits, *, highlight: int = 0, enabled: bool = True
) -> tuple[State, ...]:
    """The pictures a slide goes through as its units appear at their cues and its marked things
    take their look at ``highlight``, in order; the last is the slide as the deck has it. Empty
    when the slide has no build.

    Units the cues do not reach (a layout that drew more than the storyboard listed) are shown
    from the start; a picture that would equal the one before it is left out.
    """
    drawn = [i for i, unit in enumerate(units) if unit.shape_ids or unit.covers]
    if not enabled:
        return ()
    cue = {i: (cues[i] if i < len(cues) else 1) for i in drawn}
    states: list[State] = []
    for sentence in sorted({1, *cue.values(), max(highlight, 1)}):
        state = (sentence, tuple(i for i in drawn if cue[i] > sentence), sentence < highlight)
        if not states or states[-1][1:] != state[1:]:
            states.append(state)
    return tuple(states) if len(states) > 1 else ()
