"""Model files shipped in pinned PyPI packages (a Piper voice, the recognizer's Whisper model):
where an installed package keeps them, and which version is installed, found without importing it."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path


def package_folder(module: str) -> Path | None:
    """The folder of the installed package ``module``, or None when it is not installed."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def installed_version(distribution: str) -> str:
    """The installed distribution's version, or ``"not installed"``."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
