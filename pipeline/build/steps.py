"""The pictures each slide shows while it builds, rendered from the deck by LibreOffice.

Each slide's states (which units are still hidden from which sentence on) come from its cues and
the units the deck drew; every state but the last (the slide as the deck has it, already in
``frames/``) becomes a slide of ``build/<stem>/steps/steps.pptx``, rendered to
``steps/frames/`` with a contact sheet of every step.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Storyboard

if TYPE_CHECKING:
    from ..deck import DeckResult
    from ..deck.builds import State
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


Build = tuple[Step, ...]
"""A slide's steps in order; empty for a slide that does not build."""


@dataclass(frozen=True, slots=True)
class StepsDeck:
    """The states each slide goes through, and the deck of their pictures to render (None: no slide builds)."""

    states: tuple[tuple[State, ...], ...]
    deck: Path | None


def write_steps(storyboard: Storyboard, deck: DeckResult, theme: Theme, out: Path) -> StepsDeck:
    """Each slide's states, and ``out/steps/steps.pptx`` with a slide per step picture (the folder
    removed when no slide builds)."""
    from ..deck.builds import StepPicture, slide_states, write_steps_deck

    units = deck.units or tuple(() for _ in storyboard.slides)
    states = tuple(
        slide_states(slide.cues, slide_units, enabled=slide.builds)
        for slide, slide_units in zip(storyboard.slides, units, strict=True)
    )
    wanted = [StepPicture(i, hidden) for i, slide in enumerate(states) for _, hidden in slide[:-1]]
    folder = out / STEPS_DIR
    if not wanted:
        shutil.rmtree(folder, ignore_errors=True)
        return StepsDeck(states, None)
    folder.mkdir(parents=True, exist_ok=True)
    steps_deck = folder / "steps.pptx"
    write_steps_deck(deck.path, units, wanted, steps_deck, background=theme.colours.background)
    return StepsDeck(states, steps_deck)


def builds_of(steps: StepsDeck, pictures: Sequence[Path]) -> tuple[Build, ...]:
    """Each slide's build, given the rendered pictures of ``steps.deck`` in order."""
    shown = iter(pictures)
    return tuple(
        tuple(
            Step(sentence, hidden, next(shown) if k < len(slide) - 1 else None)
            for k, (sentence, hidden) in enumerate(slide)
        )
        for slide in steps.states
    )


def sentence_start(audio: SlideAudio, sentence: int) -> float:
    """When sentence ``sentence`` (1 = first) of a slide starts in its audio; the first at the slide's start."""
    if sentence <= 1 or not audio.sentences:
        return 0.0
    return audio.sentences[min(sentence, len(audio.sentences)) - 1].start_s


NARRATED_DECK = "deck-narrated.pptx"


def write_narrated_deck(
    deck: DeckResult, builds: Sequence[Build], narration: Narration, theme: Theme, out: Path, track: Path
) -> Path:
    """``out/deck-narrated.pptx``: the deck with each slide's narration (its part of the video's AAC
    ``track``), its automatic advance, and its units appearing at the same times as in the video."""
    from ..deck.narrated import NarratedSlide, Reveal
    from ..deck.narrated import write_narrated_deck as write
    from ..media.video import slide_sounds

    units = deck.units or tuple(() for _ in builds)
    sounds = slide_sounds(track, [audio.duration_s for audio in narration.slides])
    slides = []
    for build, slide_units, audio, sound in zip(builds, units, narration.slides, sounds, strict=True):
        reveals = []
        # A unit appears at the first step that no longer hides it.
        for before, step in itertools.pairwise(build):
            parts = [slide_units[i] for i in sorted(set(before.hidden) - set(step.hidden)) if i < len(slide_units)]
            ids = tuple(i for part in parts for i in part.shape_ids)
            covers = tuple(c for part in parts for c in part.covers)
            if ids or covers:
                reveals.append(Reveal(sentence_start(audio, step.sentence), ids, covers))
        slides.append(NarratedSlide(sound, audio.duration_s, tuple(reveals)))
    path = out / NARRATED_DECK
    write(deck.path, slides, path, background=theme.colours.background)
    return path
