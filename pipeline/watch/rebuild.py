"""Rebuilding in the background: one build at a time, in a thread of its own, and every lesson
asked for while a build runs built once after it, however many times its files changed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)


class Rebuilder:
    """Runs ``build(lessons)`` for the lessons asked for, one batch at a time, in the order first asked.

    The thread is a daemon: a second Ctrl-C while :meth:`stop` waits for a build must still end
    the process (a build cut short leaves only temporary files, which the next build removes).
    """

    def __init__(self, build: Callable[[Sequence[Path]], None]):
        self._build = build
        self._pending: dict[Path, None] = {}  # an ordered set
        self._busy = False
        self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self, lessons: Iterable[Path]) -> None:
        """Build these lessons when the current build (if any) is done."""
        with self._changed:
            self._pending.update(dict.fromkeys(lessons))
            self._changed.notify_all()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def stop(self, timeout: float | None = None) -> bool:
        """Build nothing more, and wait for the build under way to end; whether the thread ended."""
        with self._changed:
            self._stopping = True
            self._pending.clear()
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def building(self) -> bool:
        """Whether a build is under way."""
        with self._changed:
            return self._busy

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is building or waiting to be built; whether that happened in time."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._busy and not self._pending, timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._stopping)
                if self._stopping:
                    return
                batch = list(self._pending)
                self._pending.clear()
                self._busy = True
            try:
                self._build(batch)
            except Exception:
                # A bug, not a lesson's error (those come back as outcomes): say it with its
                # traceback and keep serving, so the author can still read the last good pages.
                log.exception("rebuilding %s failed", ", ".join(p.name for p in batch))
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()
