"""Running the pipeline as authors do, in a process of its own: ``python -m pipeline`` and
``make``; lesson file names that are awkward on a command line; and the temporary files that
interrupted builds leave behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from support.lessons import ROOT, TWO_SLIDES, write_course

# The pipeline a test runs is this checkout's, whatever folder the build runs in.
PIPELINE_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# Lesson file names that are awkward on a command line, in make and for ffmpeg.
AWKWARD = [
    'it\'s a "lesson" (v2) — é.txt',  # apostrophe, double quotes, parentheses, a dash, non-ASCII
    "-dash.txt",  # read as an option unless the command line says where options end
    "$HOME.txt",  # make and the shell would both expand it
    "back\\slash 日本 `tick` 50%d.txt",  # backslash, CJK, backticks, and a %d ffmpeg reads as a pattern
]

# Temporary files and folders as killed builds left them, relative to a lesson's build folder.
LEFTOVERS = [
    ".video.k3j_x9z2.tmp.mp4",  # mkstemp's names, as earlier versions wrote them
    ".video.0f3a9c1e.tmp.mp4",
    "..build.0f3a9c1e.tmp.json",
    ".frames.0f3a9c1e.tmp.key",
    "audio/.01.0f3a9c1e.tmp.wav",
    ".render-ab12_xyz/lo-profile/user/registrymodifications.xcu",
    ".render-ab12_xyz/png/page-1.png",
]


def run_pipeline(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] = PIPELINE_ENV, timeout: float = 600, **options: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m pipeline ARGS…`` run to the end in ``cwd``, its output captured.

    ``options`` go to ``subprocess.run`` (``umask``, for one).
    """
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False, **options,
    )  # fmt: skip


# The builds of tests about files, names, modes and interruptions leave the narration check out
# (``--no-hearing``): loading the recognizer in every one of their processes would cost the suite
# a minute. The check's own tests, the sample's end-to-end build and the validators' build hear.
NO_HEARING = ("--no-hearing",)


def run_build(
    root: Path, lesson: Path, *extra: str, hearing: bool = False, **options: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m pipeline video LESSON --build ROOT/build EXTRA…`` run in ``root`` (a course folder),
    without the narration check unless ``hearing``."""
    extra = extra if hearing else (*extra, *NO_HEARING)
    return run_pipeline("video", lesson, "--build", root / "build", *extra, cwd=root, **options)


def start_build(
    root: Path, lesson: Path, *extra: str, env: dict[str, str] = PIPELINE_ENV, log: IO[str] | None = None
) -> subprocess.Popen[str]:
    """The build :func:`run_build` runs (without the narration check), started and not waited for, in
    a process group of its own so that a test can kill it and everything it started. Its output goes
    to ``log`` (stderr and stdout together), or without one to pipes the test reads."""
    extra = (*extra, *NO_HEARING)
    streams: dict[str, Any] = (
        {"stdout": log, "stderr": subprocess.STDOUT}
        if log is not None
        else {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    )
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "video", str(lesson), "--build", str(root / "build"), *extra],
        cwd=root, env=env, text=True, start_new_session=True, **streams,
    )  # fmt: skip


def make(target: str, cwd: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``make TARGET VAR=value…`` with the project's Makefile, run in ``cwd`` (a course folder).

    The set-up stamp is taken as done, and the pipeline is this checkout's. Variables of a make
    this suite may itself run under (``make test ARGS=…``) are not passed down.
    """
    env = {
        k: v
        for k, v in PIPELINE_ENV.items()
        if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "LESSON", "VOICE", "ARGS"}
    }
    command = ["make", "-f", str(ROOT / "Makefile"), "-o", ".venv/.setup-done", f"PY={sys.executable}", target]
    command += [f"{name}={value}" for name, value in variables.items()]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def awkward_course(root: Path, names: list[str]) -> Path:
    """A course of two-slide lessons under these file names; returns its ``slides/`` folder."""
    write_course(root, dict.fromkeys(names, TWO_SLIDES))
    return root / "slides"


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def plant(root: Path, names: list[str]) -> None:
    """A one-byte file at each of ``names`` (relative paths) under ``root``."""
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
