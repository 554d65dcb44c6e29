"""The pictures each slide shows while it builds, rendered from the deck by LibreOffice.

Each slide's states (which units are still hidden from which sentence on) come from its cues and
the units the deck drew; every state but the last (the slide as the deck has it, already in
``frames/``) becomes a slide of ``build/<stem>/steps/steps.pptx``, rendered to
``steps/frames/`` with a contact sheet of every step.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Storyboard

if TYPE_CHECKING:
    from ..deck import DeckResult
    from ..theme import Theme

STEPS_DIR = "steps"

Build = tuple[tuple[int, Path | None], ...]
"""A slide's pictures while it builds: from which sentence each shows; ``None`` is the slide's own
frame (every unit shown). Empty for a slide that does not build."""


def build_pictures(
    storyboard: Storyboard, deck: DeckResult, theme: Theme, out: Path, say: Callable[[str], None]
) -> tuple[Build, ...]:
    """Each slide's build, its step pictures rendered under ``out/steps`` (removed when no slide builds)."""
    from ..deck.builds import StepPicture, slide_states, write_steps_deck
    from ..frames import render_frames

    units = deck.units or tuple(() for _ in storyboard.slides)
    states = [
        slide_states(slide.cues, slide_units, enabled=slide.builds)
        for slide, slide_units in zip(storyboard.slides, units, strict=True)
    ]
    wanted = [StepPicture(i, hidden) for i, slide in enumerate(states) for _, hidden in slide[:-1]]
    folder = out / STEPS_DIR
    if not wanted:
        shutil.rmtree(folder, ignore_errors=True)
        return tuple(() for _ in states)
    say(f"deck: rendering {len(wanted)} build step(s) with LibreOffice")
    folder.mkdir(parents=True, exist_ok=True)
    steps_deck = folder / "steps.pptx"
    write_steps_deck(deck.path, units, wanted, steps_deck, background=theme.colours.background)
    pictures = iter(render_frames(steps_deck, folder).frames)
    return tuple(
        tuple((sentence, next(pictures) if k < len(slide) - 1 else None) for k, (sentence, _) in enumerate(slide))
        for slide in states
    )
