"""The orchestrator: reads and checks a lesson's inputs before writing anything (``inputs``), builds
one lesson stage by stage under its lock (``lesson``), builds a course locally or on Dask and writes
its index (``course``), and keeps the records a later build reads (``records``)."""

from .course import Outcome, build_many, build_one, write_index
from .inputs import (
    LESSON_SUFFIXES,
    LEXICON_NAME,
    VERIFY_MODES,
    BuildSettings,
    discover_lessons,
    lesson_budget,
    load,
    load_storyboard,
    storyboard_file,
    write_storyboard_file,
)
from .lesson import build_deck_only, build_lesson, lesson_lock, out_dir_for, progress_log
from .records import OUTPUTS, STAMP_NAME, LessonBuild

__all__ = [
    "LESSON_SUFFIXES",
    "LEXICON_NAME",
    "OUTPUTS",
    "STAMP_NAME",
    "VERIFY_MODES",
    "BuildSettings",
    "LessonBuild",
    "Outcome",
    "build_deck_only",
    "build_lesson",
    "build_many",
    "build_one",
    "discover_lessons",
    "lesson_budget",
    "lesson_lock",
    "load",
    "load_storyboard",
    "out_dir_for",
    "progress_log",
    "storyboard_file",
    "write_index",
    "write_storyboard_file",
]
