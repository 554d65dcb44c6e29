"""Lessons for the tests: the sample and the corpus in the project, small lessons written on the
fly, storyboards built directly, and course folders of their own for whole builds."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path

from pipeline.model import Slide, Source, Storyboard

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "slides" / "L4.3.1-harmful-fine-tuning.txt"
COURSE_LEXICON = ROOT / "slides" / "lexicon.yaml"
DATA = ROOT / "tests" / "data"
SAMPLE_MD = DATA / "L4.3.1-harmful-fine-tuning.md"
CORPUS = DATA / "corpus"  # the development corpus, with what each slide should show (expected.json)
UNSEEN = DATA / "unseen"  # lessons written after the planner was tuned, in other authors' phrasings


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


# Two slides of three sentences: the quickest lesson a whole build can be run on.
TWO_SLIDES = small_lesson([("One", "First slide speaks. It has two sentences."), ("Two", "Second slide speaks too.")])


def storyboard_of(*narrations: str, target_s: float | None = None, cap_s: float | None = None) -> Storyboard:
    """A storyboard of bullet slides with the given narrations, built directly (no lesson file)."""
    source = Source("lesson.txt", 1)
    slides = tuple(Slide(i, f"Slide {i}", "bullets", (), text, "", (), source) for i, text in enumerate(narrations, 1))
    return Storyboard("lesson", "lesson.txt", "L1", "Lesson", "M1", (), target_s, cap_s, None, slides)


def write_course(root: Path, lessons: Mapping[str, str]) -> list[Path]:
    """A course folder of its own: each lesson (file name -> text) written into ``root/slides/``.

    Returns the lessons' paths, in the order given.
    """
    slides = root / "slides"
    slides.mkdir(parents=True, exist_ok=True)
    return [write_lesson(slides, name, body) for name, body in lessons.items()]


def sample_course(root: Path) -> Path:
    """A course folder of its own holding a copy of the sample lesson and the course lexicon, so a
    build (and any edit a test makes to the lesson) never touches the project's ``slides/``.

    Returns the course's ``slides/`` folder.
    """
    slides = root / "slides"
    slides.mkdir(parents=True)
    shutil.copy(SAMPLE, slides)
    shutil.copy(COURSE_LEXICON, slides)
    return slides
