"""The child process of the pyttsx3 engine: synthesize one job and exit (see :mod:`.pyttsx3` for why).

Run as ``python -m pipeline.narration.engines.pyttsx3_child JOB.json``; the job names the text,
output path, voice, espeak rate and time limit. It imports only pyttsx3 and the WAV reader: it
starts once per sentence.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..wavfile import wait_for_complete_wav


def _load_driver(driver_file: str) -> str:
    """Register a stand-in driver module from a file under ``pyttsx3.drivers`` and return its name."""
    name = "pipeline_test_driver"
    spec = importlib.util.spec_from_file_location(f"pyttsx3.drivers.{name}", driver_file)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load driver {driver_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return name


def _child(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    import pyttsx3

    driver = _load_driver(job["driver_file"]) if job.get("driver_file") else None
    engine = pyttsx3.init(driver)
    if job["voice"]:
        engine.setProperty("voice", job["voice"])
    engine.setProperty("rate", int(job["rate"]))
    out = Path(job["out"])
    engine.save_to_file(job["text"], str(out))
    engine.runAndWait()
    # runAndWait() may return before the driver's writer has finished: wait for a whole, stable file.
    info = wait_for_complete_wav(out, timeout_s=float(job["wait_s"]))
    sys.stderr.write(f"wrote {info.frames} frames at {info.sample_rate} Hz\n")
    # The rate espeak ended at: the parent retries when it is not ours (see the module docstring).
    Path(job["report"]).write_text(json.dumps({"rate": engine.getProperty("rate")}), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """Child-process entry point: synthesize one job and exit without running espeak's teardown."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _child(args[0])
    except Exception as exc:  # report any failure to the parent as one line on stderr
        sys.stderr.write(f"error: {type(exc).__name__}: {exc}\n")
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    # espeak "has issues when terminating from python" (pyttsx3's own comment); skip the teardown.
    os._exit(code)


if __name__ == "__main__":
    main()
