"""Lecture video production pipeline: lesson document -> deck, narration, captions, MP4."""

from pathlib import Path

__version__ = "0.1.0"  # the one place the version is written; the package's metadata reads it

TEMPLATES = Path(__file__).parent / "templates"
"""The package's templates: deck theme, review pages, starter course. In the repository this is a
link to the top-level ``templates/`` (the source of truth); a wheel carries a copy."""
