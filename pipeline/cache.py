"""Content hashing, atomic writes and temporary names, shared by every stage that caches or writes outputs.

Every output is written under a temporary name beside its final one and renamed into place.
The temporary names follow two patterns, defined here and nowhere else, so that what an
interrupted (killed) writer leaves behind can be recognised and removed later:

- files: ``.<final stem>.<8 random characters>.tmp<final suffix>`` (:func:`atomic_path`);
- folders: ``.<purpose>-<8 random characters>`` (:func:`temporary_folder`).

A temporary file is created with mode ``0o666``, as a plain ``open()`` creates one, so the
kernel applies the process umask (or the folder's default ACL) and the renamed output gets the
permissions any other file the user saves would get; folders are made by ``mkdir()`` (``0o777``
less the umask). A temporary folder is private (``0o700``) and never renamed into place: what
is moved out of it was created inside it by ``open()`` too.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# mkstemp's and mkdtemp's alphabet and length; ours is its subset, so names from earlier versions match too.
_RANDOM = r"[a-z0-9_]{8}"
_TEMP_FILE = re.compile(rf"\..+\.{_RANDOM}\.tmp(\.[^.]+)?", re.ASCII | re.DOTALL)
_TEMP_FOLDER = re.compile(rf"\.[a-z]+-{_RANDOM}", re.ASCII)
LOCK_NAME = ".lock"


def digest(*parts: Any) -> str:
    """A stable hex digest of JSON-serialisable parts (dataclasses should be converted first)."""
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _new_temporary_file(final: Path) -> Path:
    """Create an empty file under a fresh temporary name beside ``final`` and return its path.

    Unlike :func:`tempfile.mkstemp` (always ``0o600``), the file is created with ``0o666``
    minus the umask, as ``open()`` would: the umask is applied by the kernel, never read, so
    there is no window in which another thread's files get a borrowed umask.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    for _ in range(100):
        tmp = final.with_name(f".{final.stem}.{os.urandom(4).hex()}.tmp{final.suffix}")
        try:
            os.close(os.open(tmp, flags, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"no free temporary name beside {final}")


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it into place only if the block succeeds.

    A failed or interrupted write never leaves a half-written file under the final name and
    never destroys the last good one. The temporary name keeps the final suffix so tools that
    sniff the extension (ffmpeg, LibreOffice) still work. The file has the permissions a plain
    ``open()`` gives (see :func:`_new_temporary_file`); writers overwrite it in place.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_temporary_file(final)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def temporary_folder(parent: Path, purpose: str) -> tempfile.TemporaryDirectory[str]:
    """A private working folder ``parent/.<purpose>-XXXXXXXX``, removed when its ``with`` block ends.

    ``purpose`` is a lowercase word (``render``). One left behind by a killed process is found
    by :func:`remove_temporaries`.
    """
    if not re.fullmatch(r"[a-z]+", purpose):
        raise ValueError(f"a temporary folder's purpose is a lowercase word, not {purpose!r}")
    parent.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=f".{purpose}-", dir=parent)


def is_temporary(name: str, *, folder: bool = False) -> bool:
    """Whether ``name`` is one of our temporary names (a file's, or a folder's when ``folder``)."""
    return bool((_TEMP_FOLDER if folder else _TEMP_FILE).fullmatch(name))


def remove_temporaries(root: Path) -> list[Path]:
    """Remove every temporary file and folder (see the module's docstring) under ``root``.

    Only for leftovers of writers that are gone: the caller must know (by a lock) that no
    process is writing under ``root`` now. Returns what was removed.
    """
    removed: list[Path] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        for name in list(dirs):
            if is_temporary(name, folder=True):
                dirs.remove(name)  # not walked into: it goes whole
                shutil.rmtree(here / name, ignore_errors=True)
                removed.append(here / name)
        for name in files:
            if is_temporary(name):
                with contextlib.suppress(FileNotFoundError):
                    (here / name).unlink()
                    removed.append(here / name)
    return removed


@contextlib.contextmanager
def shared_folder(folder: Path) -> Iterator[list[Path]]:
    """Use ``folder`` (a cache several builds write to at once) while holding a shared lock on it.

    When no other process holds the folder, the leftovers of killed writers are removed first
    (:func:`remove_temporaries`) and the list of them is yielded; when another does, its
    temporary files may be live and nothing is removed. The lock is an ``flock`` on
    ``folder/.lock``, released by the kernel if the process dies.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_NAME).open("a") as handle:
        removed: list[Path] = []
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # in use: another build's temporary files may be live
        else:
            removed = remove_temporaries(folder)
        # Turns the exclusive lock into a shared one (or waits for a sweep by another build to end).
        # flock may drop the lock before taking the shared one; nothing of ours exists yet to lose.
        fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield removed
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
