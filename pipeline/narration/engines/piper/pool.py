"""Piper worker processes, seen from the parent: start, reuse, kill on failure, restart, shut down.

Why processes, not threads in our own: a hang or a crash in onnxruntime or the espeak phonemizer
must become a clear error within a time limit, so the parent waits for every answer with a
deadline and kills a worker that misses it or dies. A worker that failed in any way is never
handed another job; the next job starts a fresh one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .... import tools
from ....errors import ToolError

log = logging.getLogger(__name__)

# The module the worker processes run (see its docstring for the protocol).
WORKER_MODULE = __name__.rpartition(".")[0] + ".worker"


@dataclass(frozen=True, slots=True)
class VoiceLoad:
    """What a worker loads: a pinned voice's files, and the sha256 their bytes must have."""

    voice: str  # the voice's name: a worker is reused only for the voice it loaded
    model: Path
    config: Path
    model_sha256: str
    config_sha256: str

    def hello(self, threads: int) -> dict[str, Any]:
        """The worker's first line: what to load and how many onnxruntime threads to run."""
        return {
            "voice": self.voice,
            "model": str(self.model),
            "config": str(self.config),
            "model_sha256": self.model_sha256,
            "config_sha256": self.config_sha256,
            "threads": threads,
        }


class WorkerPool:
    """Up to ``size`` worker processes of ``threads`` onnxruntime threads each, started on demand.

    Safe to use from several threads: :meth:`worker` lends a free worker (an idle one, a new one
    while the pool has room, or the next one freed). :meth:`close` stops them all; they also stop
    when the pool is collected or the parent exits.
    """

    def __init__(self, size: int, threads: int, load_timeout_s: float) -> None:
        self.size = size
        self.threads = threads
        self.load_timeout_s = load_timeout_s
        self._cond = threading.Condition()
        self._idle: list[Worker] = []  # loaded and free
        self._all: list[Worker] = []  # loaded, free or busy
        self._starting = 0
        self._finalizer = weakref.finalize(self, _stop_all, self._all)

    def running(self) -> tuple[Worker, ...]:
        """The workers started and not yet stopped, free or busy."""
        with self._cond:
            return tuple(self._all)

    @contextlib.contextmanager
    def worker(self, load: VoiceLoad) -> Iterator[Worker]:
        """Lend a worker speaking ``load``'s voice; one that fails while lent is killed, never reused."""
        worker = self._acquire(load)
        try:
            yield worker
        except BaseException:
            # A worker that failed may be in any state: never hand it another job.
            self._release(worker, keep=False)
            raise
        self._release(worker, keep=True)

    def close(self) -> None:
        """Stop every worker process (a later job starts new ones)."""
        with self._cond:
            workers, self._all[:], self._idle[:] = list(self._all), [], []
            self._cond.notify_all()
        _stop_all(workers)

    def _acquire(self, load: VoiceLoad) -> Worker:
        with self._cond:
            while True:
                for other in [w for w in self._idle if w.voice != load.voice]:
                    self._idle.remove(other)
                    self._all.remove(other)
                    other.stop()
                if self._idle:
                    return self._idle.pop()
                if len(self._all) + self._starting < self.size:
                    self._starting += 1
                    break
                self._cond.wait()
        try:
            worker = Worker.start(load, self.threads, self.load_timeout_s)
        finally:
            with self._cond:
                self._starting -= 1
                self._cond.notify()
        with self._cond:
            self._all.append(worker)
        return worker

    def _release(self, worker: Worker, *, keep: bool) -> None:
        with self._cond:
            known = worker in self._all
            if keep and known:
                self._idle.append(worker)
            elif known:
                self._all.remove(worker)
            self._cond.notify()
        if not keep:
            worker.kill()
        elif not known:  # closed while it was busy
            worker.stop()


def _stop_all(workers: Sequence[Worker]) -> None:
    for worker in workers:
        worker.stop()


class Worker:
    """One child process holding a loaded voice, answering one JSON line per job line."""

    def __init__(self, voice: str, proc: subprocess.Popen[bytes], stderr: IO[bytes]) -> None:
        self.voice = voice
        self.proc = proc
        self.stderr = stderr
        self._buffer = b""

    @classmethod
    def start(cls, load: VoiceLoad, threads: int, timeout_s: float) -> Worker:
        """Start a worker and wait until it has loaded ``load``'s voice; :class:`ToolError` otherwise."""
        python = tools.find(tools.PYTHON)
        # Not a pipe: nobody reads it until something fails, and a full pipe would stall the worker.
        stderr = tempfile.TemporaryFile(prefix="piper-worker-")  # noqa: SIM115 - closed with the worker
        cmd = [python, "-m", WORKER_MODULE, "--worker"]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, bufsize=0)
        except OSError as exc:
            stderr.close()
            raise ToolError(f"cannot start the Piper worker ({' '.join(cmd)}): {exc}") from exc
        worker = cls(load.voice, proc, stderr)
        try:
            worker.request(load.hello(threads), timeout_s, f"loading the Piper voice {load.voice}")
        except BaseException:
            worker.kill()
            raise
        log.debug("started Piper worker %d (%d threads)", proc.pid, threads)
        return worker

    def request(self, job: dict[str, Any], timeout_s: float, what: str) -> dict[str, Any]:
        """Send ``job`` and return the worker's answer; :class:`ToolError` on an error, a death or the time limit."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except OSError as exc:
            raise self._failure(f"the Piper worker is gone ({exc}) while {what}") from exc
        line = self._readline(time.monotonic() + timeout_s)
        if line is None:
            raise self._failure(f"the Piper worker timed out after {timeout_s:.0f}s while {what}")
        if not line:
            raise self._failure(f"the Piper worker died while {what}")
        answer: dict[str, Any] = json.loads(line)
        if not answer.get("ok"):
            raise ToolError(f"Piper failed while {what}: {answer.get('error', 'no message')}")
        return answer

    def _readline(self, deadline: float) -> bytes | None:
        """One line from the worker, ``b""`` at end of file, ``None`` past ``deadline``."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return None
                chunk = os.read(fd, 65536)
                if not chunk:
                    return b""
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _failure(self, message: str) -> ToolError:
        """Kill the worker and return an error quoting the tail of its stderr."""
        self._terminate()
        tail = ""
        with contextlib.suppress(OSError, ValueError):
            self.stderr.seek(0)
            tail = tools.stderr_tail(self.stderr.read())
        self._close_files()
        return ToolError(f"{message}\n{tail}" if tail else message)

    def stop(self, grace_s: float = 5.0) -> None:
        """Close the worker's input (it exits at end of input); kill it if it lingers."""
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close_files()

    def kill(self) -> None:
        """Kill the worker at once."""
        self._terminate()
        self._close_files()

    def _terminate(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def _close_files(self) -> None:
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            with contextlib.suppress(OSError, ValueError):
                if f is not None:
                    f.close()
