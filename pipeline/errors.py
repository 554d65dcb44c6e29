"""The project's exception family.

The CLI prints any :class:`PipelineError` as ``path:line: message`` with no traceback;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class PipelineError(Exception):
    """Base of every error the pipeline expects and explains to its user."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class LessonError(PipelineError):
    """The lesson document cannot be read or does not have the structure we need."""


class LessonErrors(LessonError):
    """Several problems found in one lesson, reported together (collect, then stop)."""

    def __init__(self, errors: Sequence[LessonError]):
        self.errors = tuple(errors)
        first = self.errors[0]
        super().__init__(first.message, first.path, first.line)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ConfigError(PipelineError):
    """A setting, storyboard file or lexicon is invalid."""


class ToolError(PipelineError):
    """An external program is missing or failed."""
