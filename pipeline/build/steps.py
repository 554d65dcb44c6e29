"""The pictures each slide shows while it builds, rendered from the deck by LibreOffice, and the
narrated deck that builds the same way.

Each slide's states (which units are still hidden from which sentence on, and whether its marks
are shown yet) come from its cues and the units the deck drew; every state but the last (the
slide as the deck has it, already in ``frames/``) becomes a slide of that slide's steps deck,
``build/<stem>/steps/NN/steps.pptx``, rendered to ``steps/NN/frames/``.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Item, Storyboard

if TYPE_CHECKING:
    from ..deck import DeckResult
    from ..deck.builds import SlideUnits, State
    from ..deck.narrated import Overlay
    from ..narration import Narration, SlideAudio
    from ..theme import Theme

STEPS_DIR = "steps"


@dataclass(frozen=True, slots=True)
class Step:
    """One picture of a slide while it builds: shown from narration sentence ``sentence`` (1: the
    slide's start) with the build units ``hidden`` not yet there; ``picture`` None is the slide's own
    frame (every unit shown)."""

    sentence: int
    hidden: tuple[int, ...]
    picture: Path | None
    plain: bool = False  # its marked things not yet marked


Build = tuple[Step, ...]
"""A slide's steps in order; empty for a slide that does not build."""


@dataclass(frozen=True, slots=True)
class StepsDeck:
    """The states each slide goes through, and the deck of their pictures to render (None: no slide builds)."""

    states: tuple[tuple[State, ...], ...]
    decks: tuple[Path | None, ...]
    """Per slide, the deck of its step pictures (None for a slide that does not build): one deck a
    slide, so an edit to one slide renders only that slide's steps again."""
    plain: Path | None = None
    """The deck drawn without marks, when a slide's marks come at a cue of their own."""


def write_steps(storyboard: Storyboard, deck: DeckResult, theme: Theme, out: Path) -> StepsDeck:
    """Each slide's states, and for each slide that builds ``out/steps/NN/steps.pptx`` with a slide per
    step picture (the folder removed when no slide builds)."""
    from ..deck import build_deck
    from ..deck.builds import StepPicture, slide_states, write_steps_deck

    units = deck.units or tuple(() for _ in storyboard.slides)
    states = tuple(
        slide_states(slide.cues, slide_units, highlight=slide.highlight, enabled=slide.builds)
        for slide, slide_units in zip(storyboard.slides, units, strict=True)
    )
    wanted = [StepPicture(i, hidden, plain) for i, slide in enumerate(states) for _, hidden, plain in slide[:-1]]
    folder = out / STEPS_DIR
    if not wanted:
        shutil.rmtree(folder, ignore_errors=True)
        return StepsDeck(states, tuple(None for _ in states))
    folder.mkdir(parents=True, exist_ok=True)
    plain = None
    if any(step.plain for step in wanted):
        # The same slides drawn without their marks: shapes in the same places under the same ids.
        plain = build_deck(unmarked(storyboard), theme, folder / "plain.pptx").path
    decks: list[Path | None] = []
    for i in range(len(states)):
        mine = [step for step in wanted if step.slide == i]
        if not mine:
            decks.append(None)
            continue
        path = folder / f"{i + 1:02d}" / "steps.pptx"
        path.parent.mkdir(exist_ok=True)
        write_steps_deck(deck.path, units, mine, path, background=theme.colours.background, plain_deck=plain)
        decks.append(path)
    kept = {p.parent.name for p in decks if p is not None}
    for stale in folder.iterdir():
        if stale.is_dir() and stale.name.isdigit() and stale.name not in kept:
            shutil.rmtree(stale)  # a slide that no longer builds
    return StepsDeck(states, tuple(decks), plain)


def unmarked(storyboard: Storyboard) -> Storyboard:
    """``storyboard`` with nothing marked: no highlighted item, point or box, nothing greyed out."""

    def plain(item: Item) -> Item:
        return replace(item, marked=False, points=tuple(plain(p) for p in item.points))

    slides = []
    for slide in storyboard.slides:
        diagram = slide.diagram
        if diagram is not None:
            diagram = replace(diagram, nodes=tuple(plain(n) for n in diagram.nodes), dim_unmarked=False)
        slides.append(replace(slide, items=tuple(plain(i) for i in slide.items), diagram=diagram))
    return replace(storyboard, slides=tuple(slides))


def builds_of(steps: StepsDeck, pictures: Sequence[Sequence[Path]]) -> tuple[Build, ...]:
    """Each slide's build, given the rendered pictures of each slide's steps deck (none for a slide
    that does not build)."""
    return tuple(
        tuple(
            Step(sentence, hidden, shown[k] if k < len(slide) - 1 else None, plain)
            for k, (sentence, hidden, plain) in enumerate(slide)
        )
        for slide, shown in zip(steps.states, pictures, strict=True)
    )


def sentence_start(audio: SlideAudio, sentence: int) -> float:
    """When sentence ``sentence`` (1 = first) of a slide starts in its audio; the first at the slide's start."""
    if sentence <= 1 or not audio.sentences:
        return 0.0
    return audio.sentences[min(sentence, len(audio.sentences)) - 1].start_s


NARRATED_DECK = "deck-narrated.pptx"


def write_narrated_deck(
    deck: DeckResult,
    builds: Sequence[Build],
    narration: Narration,
    theme: Theme,
    out: Path,
    pieces: Sequence[Path],
) -> Path:
    """``out/deck-narrated.pptx``: the deck with each slide's narration (the video's AAC ``pieces`` of
    it), its automatic advance, and its units appearing at the same times as in the video."""
    from ..deck.narrated import NarratedSlide, Reveal
    from ..deck.narrated import write_narrated_deck as write
    from ..media.soundtrack import slide_sounds

    units = deck.units or tuple(() for _ in builds)
    sounds = slide_sounds(pieces)
    plain = _PlainLooks(deck.path, out / STEPS_DIR / "plain.pptx") if any(s.plain for b in builds for s in b) else None
    slides = []
    for index, (build, slide_units, audio, sound) in enumerate(
        zip(builds, units, narration.slides, sounds, strict=True)
    ):
        reveals = []
        # A unit appears at the first step that no longer hides it.
        for before, step in itertools.pairwise(build):
            parts = [slide_units[i] for i in sorted(set(before.hidden) - set(step.hidden)) if i < len(slide_units)]
            ids = tuple(i for part in parts for i in part.shape_ids)
            covers = tuple(c for part in parts for c in part.covers)
            if ids or covers:
                reveals.append(Reveal(sentence_start(audio, step.sentence), ids, covers))
        overlays = plain.overlays(index, build, slide_units, audio) if plain is not None else ()
        slides.append(NarratedSlide(sound, audio.duration_s, tuple(reveals), overlays))
    path = out / NARRATED_DECK
    write(deck.path, slides, path, background=theme.colours.background)
    return path


class _PlainLooks:
    """The deck's shapes as drawn without marks, to lie over the marked ones until their cue."""

    def __init__(self, deck: Path, plain: Path):
        from pptx import Presentation

        self.marked = [_leaf_shapes(page) for page in Presentation(str(deck)).slides]
        self.plain = [_leaf_shapes(page) for page in Presentation(str(plain)).slides]

    def overlays(self, index: int, build: Build, units: SlideUnits, audio: SlideAudio) -> tuple[Overlay, ...]:
        """Slide ``index``'s shapes whose plain look differs from their marked one, each shown from
        when it appears until the step that marks them."""
        from ..deck.narrated import Overlay

        marking = next((k for k, step in enumerate(build) if k and build[k - 1].plain and not step.plain), None)
        if marking is None:
            return ()
        until = sentence_start(audio, build[marking].sentence)
        unit_of = {shape_id: u for u, unit in enumerate(units) for shape_id in unit.shape_ids}
        found = []
        for shape_id, xml in self.marked[index].items():
            plain = self.plain[index].get(shape_id)
            if plain is None or plain == xml:
                continue
            unit = unit_of.get(shape_id)
            appears = next((k for k, step in enumerate(build) if unit not in step.hidden), 0)
            since = sentence_start(audio, build[appears].sentence) if appears else 0.0
            if since < until:
                found.append(Overlay(plain, since, until))
        return tuple(found)


def _leaf_shapes(page: Any) -> dict[int, str]:
    """Every shape of a slide that is not a group (members of groups included), as XML by id."""
    from lxml import etree
    from pptx.oxml.ns import qn

    shapes = {}
    for found in page.shapes._spTree.iter(qn("p:cNvPr")):
        shape = found.getparent().getparent()
        if etree.QName(shape).localname not in ("grpSp", "spTree"):  # the tree and groups hold shapes
            shapes[int(found.get("id"))] = etree.tostring(shape, encoding="unicode")
    return shapes


def write_filmstrips(strips: dict[int, tuple[tuple[float, str], ...]], out: Path) -> None:
    """``steps/filmstrip-NN.png`` for each building slide: its pictures in a row, each under the time
    it appears in the video; a slide that no longer builds loses its filmstrip."""
    from .. import cache
    from ..frames import contact_sheet

    folder = out / STEPS_DIR
    if not strips:
        return  # nothing builds: write_steps removed the folder
    wanted = {f"filmstrip-{n:02d}.png" for n in strips}
    for stale in folder.glob("filmstrip-*.png"):
        if stale.name not in wanted:
            stale.unlink()
    record = folder / ".filmstrips.json"
    try:
        made = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        made = {}
    keys = {}
    for n, strip in strips.items():
        name = f"filmstrip-{n:02d}.png"
        labels = [f"{int(at // 60)}:{at % 60:04.1f}" for at, _ in strip]
        pictures = [out / picture for _, picture in strip]
        keys[name] = cache.digest(labels, [cache.file_digest(p) for p in pictures])
        if made.get(name) == keys[name] and (folder / name).is_file():
            continue  # the same pictures at the same times: a rebuild need not draw it again
        with cache.atomic_path(folder / name) as tmp:
            contact_sheet(pictures, tmp, labels=labels, columns=len(strip))
    cache.write_text_atomic(record, json.dumps(keys, indent=1))
