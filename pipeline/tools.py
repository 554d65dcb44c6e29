"""The one place external programs are found and run.

Each tool is looked up lazily (never at import time), can be overridden by an environment
variable, and fails with a :class:`ToolError` that quotes the command, the tail of its stderr
and how to fix it.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolError

log = logging.getLogger(__name__)

INSTALL_HINT = "install it (Debian/Ubuntu: sudo apt-get install {package}); `lecture-pipeline doctor` checks everything"


@dataclass(frozen=True, slots=True)
class Tool:
    """An external program: its names on PATH, the variable that overrides it, its packages."""

    name: str
    env_var: str
    candidates: tuple[str, ...]
    package: str  # Debian/Ubuntu
    brew: str = ""  # Homebrew formula (or cask), where one exists
    version_flag: str = "--version"  # prints the version on the first line of its output


SOFFICE = Tool(
    "LibreOffice", "PIPELINE_SOFFICE", ("soffice", "libreoffice"), "libreoffice-impress", "--cask libreoffice"
)
FFMPEG = Tool("ffmpeg", "PIPELINE_FFMPEG", ("ffmpeg",), "ffmpeg", "ffmpeg", "-version")
FFPROBE = Tool("ffprobe", "PIPELINE_FFPROBE", ("ffprobe",), "ffmpeg", "ffmpeg", "-version")


def find(tool: Tool) -> str:
    """Return the executable for ``tool`` or raise a one-line error saying how to install it."""
    override = os.environ.get(tool.env_var)
    if override:
        path = shutil.which(override)
        if path is None:
            raise ToolError(f"{tool.name}: {tool.env_var}={override!r} is not an executable")
        return path
    for name in tool.candidates:
        path = shutil.which(name)
        if path:
            return path
    if tool is FFMPEG:
        # moviepy ships an ffmpeg through imageio-ffmpeg; use it when the system has none.
        try:
            import imageio_ffmpeg

            return str(imageio_ffmpeg.get_ffmpeg_exe())
        except (ImportError, RuntimeError):
            pass
    raise ToolError(f"{tool.name} not found; " + INSTALL_HINT.format(package=tool.package))


def run(
    tool: Tool,
    args: Sequence[str | Path],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    what: str = "",
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``tool`` with ``args`` (never through a shell) and return the finished process.

    ``what`` names the work for the error message, e.g. ``"rendering slide 3"``; ``stdin`` is fed
    to the program (else it reads nothing).
    """
    cmd = [find(tool), *map(str, args)]
    log.debug("running %s", shlex.join(cmd))
    doing = f" while {what}" if what else ""
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{tool.name} timed out after {timeout:.0f}s{doing}: {shlex.join(cmd)}") from exc
    except OSError as exc:
        raise ToolError(
            f"{tool.name} could not start{doing}: {exc}; " + INSTALL_HINT.format(package=tool.package)
        ) from exc
    if proc.returncode != 0:
        tail = stderr_tail(proc.stderr)
        raise ToolError(f"{tool.name} failed (exit {proc.returncode}){doing}: {shlex.join(cmd)}\n{tail}")
    return proc


def stderr_tail(stderr: bytes, lines: int = 8) -> str:
    """The last few lines of a program's stderr, indented for an error message."""
    text = stderr.decode("utf-8", "replace").strip().splitlines()[-lines:]
    return "\n".join("    " + line for line in text)


# Our own interpreter, for work isolated in a child process (speech synthesis).
PYTHON = Tool("Python", "PIPELINE_PYTHON", (sys.executable,), "python3")
PDFTOPPM = Tool("pdftoppm", "PIPELINE_PDFTOPPM", ("pdftoppm",), "poppler-utils", "poppler", "-v")
PDFINFO = Tool("pdfinfo", "PIPELINE_PDFINFO", ("pdfinfo",), "poppler-utils", "poppler", "-v")
