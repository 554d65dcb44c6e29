"""Lecture video production pipeline: lesson document -> deck, narration, captions, MP4."""

__version__ = "0.1.0"
