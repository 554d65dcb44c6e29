"""The Piper neural speech engine (onnxruntime on the CPU), run in persistent worker processes.

Why workers: loading the voice (a 63 MB ONNX graph) takes about half a second, far longer than
speaking one sentence, so each worker loads it once and is then fed one sentence job at a time
over a pipe (one JSON line each way). Why processes, not threads in our own: a hang or a crash in
onnxruntime or the espeak phonemizer must become a clear error within a time limit, so the parent
waits for every answer with a deadline and kills a worker that misses it or dies.

Both cores: measured on the 2-core build machine, 48 sample-lesson sentences (real-time factor,
lower is better): one worker per core with one onnxruntime thread each 0.041 on a quiet machine
(0.054 with other jobs running), one worker with two intra-op threads 0.045 (0.079-0.116 loaded),
one single-threaded worker 0.078. So the default is one single-threaded worker per core: narrate()
already hands sentences over from a small thread pool, and separate processes never contend for
one session's thread pool. ``scripts/bench_tts.py --piper-layouts 2x1,1x2,1x1`` repeats this.

Supply chain: the voice's model and config are hashed before loading and refused unless they
match the sha256 pinned in :mod:`pipeline.narration.voices`; the worker loads the very bytes it
hashed. Nothing is ever downloaded: Piper's download helpers are never called.

Run as ``python -m pipeline.narration.piper_engine --worker`` (the parent does this).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import itertools
import json
import logging
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from .. import tools
from ..cache import file_digest
from ..errors import ToolError
from .base import SpeechEngine, register
from .pyttsx3_engine import validate_speech
from .voices import NEURAL_INSTALL_HINT, PinnedVoice, pinned_voice

log = logging.getLogger(__name__)

# Point the engine at a copy of the pinned model elsewhere (its config beside it as ``.onnx.json``,
# or PIPELINE_PIPER_CONFIG). The copy must still match the pinned hashes.
MODEL_ENV = "PIPELINE_PIPER_MODEL"
CONFIG_ENV = "PIPELINE_PIPER_CONFIG"

CALIBRATION_VERSION = 3  # 3: speaking rates counting clause breaks, measured on seven lessons


def length_scale_for(voice: PinnedVoice, speaking_wpm: float) -> float:
    """Piper's length_scale that yields the speaking rate ``speaking_wpm`` for ``voice``.

    Interpolates the voice's measured table in 1/wpm (duration is close to linear in
    length_scale, so length_scale is close to linear in seconds per word); beyond the table the
    nearest segment is extended, and the result is kept within Piper's sane 0.3-3.0.
    """
    pairs = list(itertools.pairwise(voice.calibration))
    (s0, w0), (s1, w1) = next(((a, b) for a, b in pairs if speaking_wpm <= b[1]), pairs[-1])
    x, x0, x1 = 1.0 / speaking_wpm, 1.0 / w0, 1.0 / w1
    scale = s0 + (x - x0) * (s1 - s0) / (x1 - x0)
    return round(min(3.0, max(0.3, scale)), 4)


def _require_extra() -> None:
    missing = [m for m in ("piper", "onnxruntime") if importlib.util.find_spec(m) is None]
    if missing:
        raise ToolError(f"the piper speech engine needs {' and '.join(missing)}; {NEURAL_INSTALL_HINT}")


@functools.cache
def _library_versions() -> str:
    versions = []
    for dist in ("piper-tts", "onnxruntime"):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} missing")
    return "; ".join(versions)


def verify_file(path: Path, expected: str, what: str) -> str:
    """Return ``path``'s sha256 if it equals ``expected``; :class:`ToolError` naming both hashes otherwise."""
    try:
        actual = file_digest(path)
    except OSError as exc:
        raise ToolError(f"cannot read the {what} {path}: {exc}; {NEURAL_INSTALL_HINT}") from exc
    if actual != expected:
        raise ToolError(
            f"refusing to load the {what} {path}: its sha256 is {actual}, expected {expected} "
            "(the file was modified or replaced; reinstall the pinned voice package)"
        )
    return actual


@register
class PiperEngine(SpeechEngine):
    """Piper with a pinned voice, in a pool of persistent worker processes.

    ``model_path``/``config_path`` point at a copy of the pinned voice's files (default: the
    installed voice package, or ``PIPELINE_PIPER_MODEL``/``PIPELINE_PIPER_CONFIG``); the copy must
    still match the pinned hashes. ``workers`` processes (default one per core) each run
    ``threads`` onnxruntime threads (default: cores shared out among the workers).
    ``timeout_s`` limits each sentence, ``load_timeout_s`` a worker's start. Call :meth:`close`
    (narrate() does) to stop the workers; they also stop when this object is collected or the
    parent exits.
    """

    name = "piper"

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        config_path: Path | None = None,
        workers: int | None = None,
        threads: int | None = None,
        timeout_s: float = 60.0,
        load_timeout_s: float = 60.0,
    ) -> None:
        env_model = os.environ.get(MODEL_ENV)
        env_config = os.environ.get(CONFIG_ENV)
        self.model_path = model_path or (Path(env_model) if env_model else None)
        self.config_path = config_path or (Path(env_config) if env_config else None)
        cores = os.cpu_count() or 1
        self.workers = max(1, workers or cores)
        self.threads = max(1, threads or cores // self.workers)
        self.timeout_s = timeout_s
        self.load_timeout_s = load_timeout_s
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []  # loaded and free
        self._all: list[_Worker] = []  # loaded, free or busy
        self._starting = 0
        self._verified: dict[tuple[str, str], tuple[int, int]] = {}
        self._finalizer = weakref.finalize(self, _stop_all, self._all)

    # --- files and identity -----------------------------------------------------------------

    def files(self, voice: str = "") -> tuple[PinnedVoice, Path, Path]:
        """The pinned voice and the model and config files that will be loaded for it."""
        pinned = pinned_voice(voice)
        if self.model_path is not None:
            model = Path(self.model_path)
            config = Path(self.config_path) if self.config_path else Path(f"{model}.json")
        else:
            folder = pinned.package_dir()
            model = folder / pinned.model_file
            config = Path(self.config_path) if self.config_path else folder / pinned.config_file
        return pinned, model, config

    def verify(self, voice: str = "") -> tuple[PinnedVoice, Path, Path]:
        """:meth:`files`, after checking both against the pinned sha256 (rechecked when a file changes)."""
        _require_extra()
        pinned, model, config = self.files(voice)
        installed = pinned.installed_version()
        if self.model_path is None and installed != pinned.package_version:
            log.warning(
                "%s is %s, pinned %s; using it because its files match the pinned hashes",
                pinned.package,
                installed,
                pinned.package_version,
            )
        for path, expected, what in (
            (model, pinned.model_sha256, f"Piper voice model ({pinned.name})"),
            (config, pinned.config_sha256, f"Piper voice config ({pinned.name})"),
        ):
            try:
                st = path.stat()
            except OSError as exc:
                raise ToolError(f"the {what} {path} is missing: {exc}; {NEURAL_INSTALL_HINT}") from exc
            stamp = (st.st_size, st.st_mtime_ns)
            if self._verified.get((str(path), expected)) != stamp:
                verify_file(path, expected, what)
                self._verified[(str(path), expected)] = stamp
        return pinned, model, config

    def identity(self) -> str:
        pinned, _, _ = self.verify()
        return (
            f"{self.name}; {_library_versions()}; voice {pinned.name} ({pinned.package} {pinned.package_version}); "
            f"model sha256 {pinned.model_sha256}; config sha256 {pinned.config_sha256}; "
            f"calibration {CALIBRATION_VERSION}"
        )

    # --- synthesis ------------------------------------------------------------------------

    def synthesize(self, text: str, out: Path, *, voice: str, speaking_wpm: float) -> None:
        """Speak ``text`` into the WAV ``out`` on a worker; :class:`ToolError` on failure or timeout."""
        if not text.strip():
            raise ValueError("cannot synthesize empty text")
        pinned, model, config = self.verify(voice)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        job = {"text": text, "length_scale": length_scale_for(pinned, speaking_wpm)}
        worker = self._acquire(pinned, model, config)
        try:
            with tempfile.TemporaryDirectory(prefix="piper-") as tmp:
                speech = Path(tmp) / "speech.wav"
                worker.request({**job, "out": str(speech)}, self.timeout_s, f"synthesizing {_preview(text)!r}")
                validate_speech(speech, text, speaking_wpm)
                shutil.move(speech, out)
        except BaseException:
            # A worker that failed may be in any state: never hand it another job.
            self._release(worker, keep=False)
            raise
        self._release(worker, keep=True)

    def close(self) -> None:
        """Stop every worker process (a later synthesis starts new ones)."""
        with self._cond:
            workers, self._all[:], self._idle[:] = list(self._all), [], []
            self._cond.notify_all()
        _stop_all(workers)

    def _acquire(self, pinned: PinnedVoice, model: Path, config: Path) -> _Worker:
        """A free worker speaking ``pinned``: an idle one, a new one while the pool has room, or the next freed."""
        with self._cond:
            while True:
                for other in [w for w in self._idle if w.voice != pinned.name]:
                    self._idle.remove(other)
                    self._all.remove(other)
                    other.stop()
                if self._idle:
                    return self._idle.pop()
                if len(self._all) + self._starting < self.workers:
                    self._starting += 1
                    break
                self._cond.wait()
        try:
            worker = _Worker.start(pinned, model, config, self.threads, self.load_timeout_s)
        finally:
            with self._cond:
                self._starting -= 1
                self._cond.notify()
        with self._cond:
            self._all.append(worker)
        return worker

    def _release(self, worker: _Worker, *, keep: bool) -> None:
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


def _preview(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stop_all(workers: Sequence[_Worker]) -> None:
    for worker in workers:
        worker.stop()


class _Worker:
    """One child process holding a loaded voice, answering one JSON line per job line."""

    def __init__(self, voice: str, proc: subprocess.Popen[bytes], stderr: IO[bytes]) -> None:
        self.voice = voice
        self.proc = proc
        self.stderr = stderr
        self._buffer = b""

    @classmethod
    def start(cls, pinned: PinnedVoice, model: Path, config: Path, threads: int, timeout_s: float) -> _Worker:
        python = tools.find(tools.PYTHON)
        # Not a pipe: nobody reads it until something fails, and a full pipe would stall the worker.
        stderr = tempfile.TemporaryFile(prefix="piper-worker-")  # noqa: SIM115 - closed with the worker
        cmd = [python, "-m", __name__, "--worker"]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, bufsize=0)
        except OSError as exc:
            stderr.close()
            raise ToolError(f"cannot start the Piper worker ({' '.join(cmd)}): {exc}") from exc
        worker = cls(pinned.name, proc, stderr)
        hello = {
            "voice": pinned.name,
            "model": str(model),
            "config": str(config),
            "model_sha256": pinned.model_sha256,
            "config_sha256": pinned.config_sha256,
            "threads": threads,
        }
        try:
            worker.request(hello, timeout_s, f"loading the Piper voice {pinned.name}")
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


# --- the worker process ----------------------------------------------------------------------


def _load(hello: dict[str, Any]) -> Any:
    """Hash the voice's bytes, refuse a mismatch, and load exactly those bytes."""
    import hashlib

    model_bytes = Path(hello["model"]).read_bytes()
    config_bytes = Path(hello["config"]).read_bytes()
    for path, data, expected in (
        (hello["model"], model_bytes, hello["model_sha256"]),
        (hello["config"], config_bytes, hello["config_sha256"]),
    ):
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise RuntimeError(f"refusing to load {path}: its sha256 is {actual}, expected {expected}")

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = int(hello["threads"])
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: warnings would drown the stderr tail we report
    session = onnxruntime.InferenceSession(model_bytes, sess_options=options, providers=["CPUExecutionProvider"])
    config = PiperConfig.from_dict(json.loads(config_bytes.decode("utf-8")))
    return PiperVoice(session=session, config=config)


def _speak(voice: Any, job: dict[str, Any]) -> int:
    import wave

    from piper import SynthesisConfig

    out = Path(job["out"])
    frames = 0
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(voice.config.sample_rate)
        for chunk in voice.synthesize(job["text"], syn_config=SynthesisConfig(length_scale=job["length_scale"])):
            data = chunk.audio_int16_bytes
            wav.writeframes(data)
            frames += len(data) // 2
    if not frames:
        raise RuntimeError("Piper produced no audio (nothing it could pronounce?)")
    return frames


def _serve(answers: IO[str]) -> int:
    def answer(**fields: Any) -> None:
        answers.write(json.dumps(fields) + "\n")
        answers.flush()

    first = sys.stdin.readline()
    if not first:
        return 0
    try:
        voice = _load(json.loads(first))
    except Exception as exc:
        answer(ok=False, error=f"{type(exc).__name__}: {exc}")
        return 3
    answer(ok=True)
    for line in sys.stdin:
        try:
            frames = _speak(voice, json.loads(line))
        except Exception as exc:  # report it and stay up: the parent decides whether to go on
            answer(ok=False, error=f"{type(exc).__name__}: {exc}")
        else:
            answer(ok=True, frames=frames)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """Worker entry point: answer jobs on stdin until it closes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["--worker"]:
        sys.stderr.write("usage: python -m pipeline.narration.piper_engine --worker (started by the pipeline)\n")
        raise SystemExit(2)
    # Answers go to a private copy of stdout; anything a library prints lands on stderr instead.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    raise SystemExit(_serve(answers))


if __name__ == "__main__":
    main()
