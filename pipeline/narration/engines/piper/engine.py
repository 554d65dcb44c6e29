"""The Piper neural speech engine (onnxruntime on the CPU), speaking through a pool of worker processes.

Why workers: loading the voice (a 63 MB ONNX graph) takes about half a second, far longer than
speaking one sentence, so each worker (:mod:`.worker`, managed by :mod:`.pool`) loads it once and
is then fed one sentence job at a time over a pipe.

Both cores: measured on the 2-core build machine, 48 sample-lesson sentences (real-time factor,
lower is better): one worker per core with one onnxruntime thread each 0.041 on a quiet machine
(0.054 with other jobs running), one worker with two intra-op threads 0.045 (0.079-0.116 loaded),
one single-threaded worker 0.078. So the default is one single-threaded worker per core: narrate()
already hands sentences over from a small thread pool, and separate processes never contend for
one session's thread pool. ``scripts/bench_tts.py --piper-layouts 2x1,1x2,1x1`` repeats this.

Supply chain: the voice's model and config are hashed before loading and refused unless they
match the sha256 pinned in :mod:`pipeline.narration.voices`; the worker loads the very bytes it
hashed. The engine hashes the files once (again only if one changes on disk): one engine serves
a whole build, so the 63 MB model is read once for the build key and the narration together.
Nothing is ever downloaded: Piper's download helpers are never called.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import logging
import os
from pathlib import Path

from ....cache import file_digest
from ....errors import ToolError
from ...voices import NEURAL_INSTALL_HINT, PinnedVoice, pinned_voice
from ..base import (
    Calibration,
    SpeechEngine,
    calibration_label,
    calibration_segment,
    preview,
    register,
    validate_speech,
)
from .pool import VoiceLoad, WorkerPool

log = logging.getLogger(__name__)

# Point the engine at a copy of the pinned model elsewhere (its config beside it as ``.onnx.json``,
# or PIPELINE_PIPER_CONFIG). The copy must still match the pinned hashes.
MODEL_ENV = "PIPELINE_PIPER_MODEL"
CONFIG_ENV = "PIPELINE_PIPER_CONFIG"

CALIBRATION_VERSION = 3  # 3: speaking rates counting clause breaks, measured on seven lessons


def length_scale_for(calibration: Calibration, speaking_wpm: float) -> float:
    """Piper's length_scale that yields the speaking rate ``speaking_wpm`` by the table ``calibration``.

    Interpolates the measured table (a voice's :attr:`~PinnedVoice.calibration`) in 1/wpm
    (duration is close to linear in length_scale, so length_scale is close to linear in seconds
    per word); beyond the table the nearest segment is extended, and the result is kept within
    Piper's sane 0.3-3.0.
    """
    (s0, w0), (s1, w1) = calibration_segment(calibration, speaking_wpm)
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
    still match the pinned hashes. ``calibration`` maps speaking rates to length_scale (default:
    each pinned voice's measured table; the calibration script passes its own). ``workers``
    processes (default one per core) each run ``threads`` onnxruntime threads (default: cores
    shared out among the workers). ``timeout_s`` limits each sentence, ``load_timeout_s`` a
    worker's start. Call :meth:`close` to stop the workers; they also stop when this object is
    collected or the parent exits.
    """

    name = "piper"

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        config_path: Path | None = None,
        calibration: Calibration | None = None,
        workers: int | None = None,
        threads: int | None = None,
        timeout_s: float = 60.0,
        load_timeout_s: float = 60.0,
    ) -> None:
        env_model = os.environ.get(MODEL_ENV)
        env_config = os.environ.get(CONFIG_ENV)
        self.model_path = model_path or (Path(env_model) if env_model else None)
        self.config_path = config_path or (Path(env_config) if env_config else None)
        self.calibration = tuple(calibration) if calibration is not None else None
        cores = os.cpu_count() or 1
        self.workers = max(1, workers or cores)
        self.threads = max(1, threads or cores // self.workers)
        self.timeout_s = timeout_s
        self.pool = WorkerPool(self.workers, self.threads, load_timeout_s)
        self._verified: dict[tuple[str, str], tuple[int, int]] = {}

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

    def calibration_of(self, pinned: PinnedVoice) -> Calibration:
        """The table that maps speaking rates to length_scale for ``pinned``: the one passed in, or the voice's own."""
        return self.calibration if self.calibration is not None else pinned.calibration

    def identity(self) -> str:
        pinned, _, _ = self.verify()
        calibration = calibration_label(CALIBRATION_VERSION, self.calibration_of(pinned), pinned.calibration)
        return (
            f"{self.name}; {_library_versions()}; voice {pinned.name} ({pinned.package} {pinned.package_version}); "
            f"model sha256 {pinned.model_sha256}; config sha256 {pinned.config_sha256}; {calibration}"
        )

    # --- synthesis ------------------------------------------------------------------------

    def speak(self, text: str, speech: Path, *, voice: str, speaking_wpm: float) -> None:
        """Speak ``text`` into the WAV ``speech`` on a worker; :class:`ToolError` on failure or timeout."""
        pinned, model, config = self.verify(voice)
        job = {"text": text, "length_scale": length_scale_for(self.calibration_of(pinned), speaking_wpm)}
        load = VoiceLoad(pinned.name, model, config, pinned.model_sha256, pinned.config_sha256)
        with self.pool.worker(load) as worker:
            worker.request({**job, "out": str(speech)}, self.timeout_s, f"synthesizing {preview(text)!r}")
            validate_speech(speech, text, speaking_wpm)

    def close(self) -> None:
        """Stop every worker process (a later synthesis starts new ones)."""
        self.pool.close()
