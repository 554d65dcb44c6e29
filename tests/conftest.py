"""Shared fixtures: the sample lesson and small lesson documents written on the fly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

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
