"""The Piper worker process: loads one pinned voice into onnxruntime and speaks jobs from its pipe.

Started by :mod:`.pool` as ``python -m pipeline.narration.engines.piper.worker --worker``. The
first line on stdin names the voice's files, the sha256 their bytes must have and the number of
onnxruntime threads; every later line is one job (text, length_scale, output WAV). Each line is
answered with one JSON line (``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``) on a
private copy of stdout; anything a library prints goes to stderr, which the parent quotes when
the worker fails. The worker exits at the end of its input.

Imports only what it needs (the standard library here, onnxruntime and piper when loading):
nothing of the pipeline beyond its package's empty ``__init__`` files.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any


def load_voice(hello: dict[str, Any]) -> Any:
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


def speak(voice: Any, job: dict[str, Any]) -> int:
    """Write the job's text spoken by ``voice`` to its WAV; return the number of frames."""
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


def serve(answers: IO[str]) -> int:
    """Load the voice named by the first line of stdin, then answer each job line; the exit status."""

    def answer(**fields: Any) -> None:
        answers.write(json.dumps(fields) + "\n")
        answers.flush()

    first = sys.stdin.readline()
    if not first:
        return 0
    try:
        voice = load_voice(json.loads(first))
    except Exception as exc:
        answer(ok=False, error=f"{type(exc).__name__}: {exc}")
        return 3
    answer(ok=True)
    for line in sys.stdin:
        try:
            frames = speak(voice, json.loads(line))
        except Exception as exc:  # report it and stay up: the parent decides whether to go on
            answer(ok=False, error=f"{type(exc).__name__}: {exc}")
        else:
            answer(ok=True, frames=frames)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """Worker entry point: answer jobs on stdin until it closes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["--worker"]:
        sys.stderr.write(
            "usage: python -m pipeline.narration.engines.piper.worker --worker (started by the pipeline)\n"
        )
        raise SystemExit(2)
    # Answers go to a private copy of stdout; anything a library prints lands on stderr instead.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    raise SystemExit(serve(answers))


if __name__ == "__main__":
    main()
