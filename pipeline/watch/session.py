"""A ``watch`` session: the build folder served, the lessons' files watched, what changed rebuilt.

The builds are the ones ``video`` runs (:func:`pipeline.build.build_one`, then
:func:`pipeline.build.write_index`), so the outputs are the same; each is incremental, so a
rebuild after an edit redoes only what the edit changed. Before each build the lesson is planned
and its estimated budget sent to the pages at once, long before its audio exists.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import select
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

from .. import build
from ..errors import ConfigError, PipelineError
from . import events
from .changes import Watched, affected, ignored
from .rebuild import Rebuilder
from .server import WatchServer

log = logging.getLogger(__name__)
progress_log = build.progress_log

# watchfiles yields once no change has come for STEP_MS, and at the latest after DEBOUNCE_MS:
# an editor's save (write a temporary file, rename it, touch a backup) arrives as one batch.
STEP_MS = 100
DEBOUNCE_MS = 1600

OnBuild = Callable[[build.Outcome], None]
OnIndex = Callable[[Path], None]


class Session:
    """Serves ``settings.build_dir`` on ``host:port`` and rebuilds ``lessons`` as their files change.

    ``slides``, when the lessons were found there rather than named, is watched for new lessons.
    ``on_build`` hears every lesson's outcome and ``on_index`` every index written (the command
    line prints them). The server's socket is bound here, so :attr:`url` is known before
    :meth:`run`; call :meth:`close` in any case.
    """

    def __init__(
        self,
        lessons: Sequence[Path],
        settings: build.BuildSettings,
        *,
        slides: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        on_build: OnBuild | None = None,
        on_index: OnIndex | None = None,
    ):
        self.settings = settings
        self._on_build = on_build or (lambda outcome: None)
        self._on_index = on_index or (lambda path: None)
        # Lessons by resolved path (as the watcher reports them) -> as named (as messages show them).
        self._lessons = {lesson.resolve(): lesson for lesson in lessons}
        self._slides = slides
        self.watched = Watched(
            lessons=frozenset(self._lessons),
            build_dir=settings.build_dir.resolve(),
            theme=settings.theme.resolve() if settings.theme else None,
            templates=settings.templates.resolve() if settings.templates else None,
            slides=slides.resolve() if slides else None,
        )
        self.hub = events.Hub(server_id=os.urandom(8).hex())
        settings.build_dir.mkdir(parents=True, exist_ok=True)
        self.server = WatchServer(settings.build_dir, self.hub, host, port)
        self._serving = threading.Thread(target=self.server.serve_forever, args=(0.1,), name="serve", daemon=True)
        self.rebuilder = Rebuilder(self._build_batch)
        self._stop = threading.Event()
        self._interrupts = _Interrupts()
        self._pace = settings.narration().pace

    @property
    def url(self) -> str:
        return self.server.url

    def run(self) -> None:
        """Serve, build every lesson once, then rebuild on every change until Ctrl-C (KeyboardInterrupt)
        or :meth:`close` from another thread."""
        folders = [f for f in self.watched.folders() if f.is_dir()]
        if not folders:
            raise ConfigError("nothing to watch: none of the lessons' folders exists")
        self._interrupts.listen()
        self._serving.start()
        self.rebuilder.start()
        self.rebuilder.request(self._lessons)
        keep = self._keep
        for changes in watchfiles.watch(
            *folders,
            watch_filter=lambda _change, path: keep(path),
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            raise_interrupt=True,
            ignore_permission_denied=True,
        ):
            self._changed({Path(path) for _change, path in changes})

    def _keep(self, path: str) -> bool:
        return not ignored(Path(path), self.watched.build_dir)

    def _changed(self, paths: set[Path]) -> None:
        lessons = affected(paths, self.watched)
        if not lessons:
            return
        new = lessons - self.watched.lessons
        if new and self._slides is not None:
            for lesson in new:
                self._lessons[lesson] = self._slides / lesson.name
            self.watched = dataclasses.replace(self.watched, lessons=self.watched.lessons | new)
        names = sorted(_shown(p) for p in paths if affected((p,), self.watched))
        progress_log.info("changed: %s", ", ".join(names))
        self.rebuilder.request(sorted(lessons, key=lambda p: str(self._lessons[p])))

    def _build_batch(self, lessons: Sequence[Path]) -> None:
        outcomes = []
        for lesson in lessons:
            if self.rebuilder.stopping:
                return
            outcomes.append(self._build_one(self._lessons[lesson]))
        if self._stopping():
            return  # a build cut short by Ctrl-C is no failure of the lesson: the index keeps the last good one
        try:
            index = build.write_index(self.settings.build_dir, outcomes, templates=self.settings.templates)
        except PipelineError as exc:
            log.error("%s", exc)
            return
        self.hub.publish(events.index())
        self._on_index(index)

    def _build_one(self, lesson: Path) -> build.Outcome:
        """Plan the lesson and send its budget, then build it; its outcome sent to the pages and ``on_build``."""
        stem = lesson.stem
        self.hub.publish(events.building(stem))
        try:
            storyboard = build.load_storyboard(lesson)
        except PipelineError as exc:
            outcome = build.Outcome(lesson, None, str(exc), exc.exit_code)
        else:
            self.hub.publish(events.budget(stem, build.lesson_budget(storyboard, self._pace)))
            outcome = build.build_one(lesson, self.settings)
        if outcome.result is None and self._stopping(grace_s=0.2):
            progress_log.info("[%s] stopped", stem)  # its tools were interrupted with us: not the lesson's fault
            return outcome
        if outcome.result is None:
            self.hub.publish(events.failed(stem, outcome.error))
        else:
            self.hub.publish(events.built(stem, reused=outcome.result.reused, status=outcome.result.status))
        self._on_build(outcome)
        return outcome

    def _stopping(self, grace_s: float = 0.0) -> bool:
        """Whether the session is stopping, or Ctrl-C has arrived and the main thread has yet to see it.

        Ctrl-C in a terminal interrupts the build's tools too, and the build fails at once, often
        before the main thread runs: without this its failure would be reported as the lesson's.
        """
        return self.rebuilder.stopping or self._interrupts.arrived(grace_s)

    def close(self) -> None:
        """Stop watching and serving, and wait for the build under way (a second Ctrl-C ends it at once)."""
        self._stop.set()
        self.hub.close()
        if self._serving.is_alive():
            self.server.shutdown()
        self.server.server_close()
        if self.rebuilder.building:
            progress_log.info("stopping: waiting for the build under way to end (Ctrl-C again to stop at once)")
        self.rebuilder.stop()
        self._interrupts.close()


def _shown(path: Path) -> str:
    """A changed file's path as the author knows it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Interrupts:
    """Tells any thread that SIGINT has arrived, as soon as it arrives.

    Python runs signal handlers in the main thread only, when it next gets there; the C-level
    handler also writes the signal's number to the wakeup file descriptor at once, from whatever
    thread the signal lands in.
    """

    def __init__(self) -> None:
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous: int | None = None
        self._seen = False
        self._lock = threading.Lock()

    def listen(self) -> None:
        """Start listening (the main thread only: elsewhere Python refuses, and nothing is heard)."""
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)

    def arrived(self, wait_s: float = 0.0) -> bool:
        """Whether SIGINT has arrived since :meth:`listen`, waiting up to ``wait_s`` for it."""
        with self._lock:
            if not self._seen and self._previous is not None:
                readable, _, _ = select.select([self._reader], [], [], wait_s)
                if readable:
                    with contextlib.suppress(BlockingIOError):
                        self._seen = signal.SIGINT in self._reader.recv(4096)
            return self._seen

    def close(self) -> None:
        if self._previous is not None:
            signal.set_wakeup_fd(self._previous)
            self._previous = None
        self._reader.close()
        self._writer.close()
