"""Content hashing and atomic writes, shared by every stage that caches or writes outputs.

A temporary file is created with mode ``0o666``, as a plain ``open()`` creates one, so the
kernel applies the process umask (or the folder's default ACL) and the renamed output gets the
permissions any other file the user saves would get; folders are made by ``mkdir()`` (``0o777``
less the umask).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any


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
        tmp = final.with_name(f".{final.stem}.{secrets.token_hex(4)}.tmp{final.suffix}")
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


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
