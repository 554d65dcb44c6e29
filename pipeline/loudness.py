"""The loudness standard the narration meets, and its measurement (EBU R128, ffmpeg's ``ebur128``)."""

from __future__ import annotations

import re
from pathlib import Path

from . import tools
from .errors import ToolError

TARGET_LUFS = -16.0  # integrated loudness of speech for online lectures
TRUE_PEAK_LIMIT_DBTP = -1.0  # no inter-sample peak above this, in the delivered file


def measure(path: Path, *, what: str) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``path``'s audio."""
    proc = tools.run(
        tools.FFMPEG,
        ["-nostdin", "-hide_banner", "-nostats", "-i", path, "-vn", "-sn", "-dn",
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        timeout=300,
        what=f"measuring loudness ({what})",
    )  # fmt: skip
    text = proc.stderr.decode("utf-8", "replace")
    summary = text[text.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if integrated is None or peak is None:
        raise ToolError(f"ffmpeg ebur128 printed no measurement ({what}):\n{tools.stderr_tail(proc.stderr)}")
    return float(integrated.group(1)), float(peak.group(1))
