"""The orchestrator: runs the stages for one lesson, reading and checking everything before writing.

Stages never call each other; this module hands each one the data the previous produced.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import budget as budget_mod
from .cache import write_text_atomic
from .errors import ConfigError
from .lesson import read_lesson
from .model import Storyboard
from .storyboard import apply_overrides, plan, to_yaml

log = logging.getLogger(__name__)

LESSON_SUFFIXES = (".txt", ".md", ".markdown")


def discover_lessons(slides_dir: Path) -> list[Path]:
    """Every lesson document directly under ``slides_dir``, sorted by name."""
    if not slides_dir.is_dir():
        raise ConfigError("no such folder", slides_dir)
    return sorted(p for p in slides_dir.iterdir() if p.is_file() and p.suffix.lower() in LESSON_SUFFIXES)


def storyboard_file(lesson: Path) -> Path:
    """Where the author's editable storyboard for ``lesson`` lives: ``slides/<stem>.storyboard.yaml``."""
    return lesson.with_name(f"{lesson.stem}.storyboard.yaml")


def load_storyboard(lesson: Path) -> Storyboard:
    """Parse and plan ``lesson``; the author's storyboard file, when present, wins for layouts and content."""
    storyboard = plan(read_lesson(lesson))
    override = storyboard_file(lesson)
    if override.exists():
        log.info("using the author's storyboard %s", override)
        storyboard = apply_overrides(storyboard, override)
    return storyboard


def write_storyboard_file(lesson: Path, *, force: bool = False) -> Path:
    """Write the editable storyboard for ``lesson``; refuse to overwrite an author's edits unless ``force``."""
    target = storyboard_file(lesson)
    if target.exists() and not force:
        raise ConfigError("storyboard file already exists (use --force to replace it)", target)
    write_text_atomic(target, to_yaml(plan(read_lesson(lesson))))
    return target


def lesson_budget(storyboard: Storyboard, pace: budget_mod.Pace) -> budget_mod.Budget:
    """The estimated budget of a planned lesson."""
    return budget_mod.estimate(storyboard, pace)
