"""The budget line of a lesson's production notes: target and cap, in the forms authors write.

``Recording: ~4 min. Cap 5.``, ``Recording: 3–4 min. Cap 4:30.``, ``Recording: about 3 minutes.
Cap 3.5 min.``, ``Target ~90 s, max 2 min``: the target, then the cap. A bare number is minutes,
``4:30`` minutes and seconds, and a range's target its upper end.
"""

from __future__ import annotations

import re

# "Recording: ~4 min. Cap 5.", "Recording: 3–4 min. Cap 4:30.", "Recording: about 3 minutes.
# Cap 3.5 min.", "Target ~90 s, max 2 min": the target, then the cap. A bare number is minutes.
BUDGET_KEY = re.compile(r"^\s*(?:recording|target|length|run\s*-?time|duration|video length)\b\s*[:=—–-]?", re.I)
CAP_KEY = re.compile(
    r"\b(?:hard\s+)?(?:cap(?:ped)?|max(?:imum)?|limit|at\s+most|no\s+more\s+than)\b\s*(?:at|of|is)?\s*[:=]?", re.I
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "half": 0.5,
}  # fmt: skip
_VALUE = r"(?:\d+:[0-5]\d|\d+(?:[.,]\d+)?|" + "|".join(NUMBER_WORDS) + r")"
DURATION = re.compile(
    rf"(?P<first>{_VALUE})(?:\s*(?:[-–—]|to)\s*(?P<second>{_VALUE}))?\s*"
    r"(?P<unit>h(?:ours?|rs?)?\b|min(?:ute)?s?\b|m\b|s(?:ec(?:ond)?s?)?\b|\")?",
    re.I,
)


def is_budget_line(text: str) -> bool:
    """Whether a production note is the budget line (``Recording: …``, ``Target …; cap …``)."""
    return bool(BUDGET_KEY.match(text)) or bool(re.match(r"^\s*cap\b", text, re.I))


def parse_budget_line(text: str) -> tuple[float | None, float | None, str]:
    """``(target_s, cap_s, problem)`` read from a budget line; ``problem`` is empty when both were read.

    A range's target is its upper end (``3–4 min`` aims at 4); ``4:30`` is minutes and seconds.
    """
    cap_match = CAP_KEY.search(text)
    head = text[: cap_match.start()] if cap_match else text
    tail = text[cap_match.end() :] if cap_match else ""
    head = BUDGET_KEY.sub("", head, count=1)
    target = _duration(head)
    cap = _duration(tail) if cap_match else None
    if target is None and cap is None:
        return None, None, "cannot read the budget line (expected e.g. 'Recording: ~4 min. Cap 5.')"
    if target is None:
        return None, cap, "the budget line gives a cap but no target length"
    if cap is None:
        return target, None, "the budget line gives no cap (expected e.g. 'Cap 5.')"
    if cap < target:
        return target, cap, f"the cap ({cap:g} s) is below the target ({target:g} s)"
    return target, cap, ""


def _duration(text: str) -> float | None:
    """Seconds of the first duration in ``text`` (the upper end of a range); ``None`` when there is none."""
    for match in DURATION.finditer(text):
        value = match.group("second") or match.group("first")
        seconds = _seconds(value, match.group("unit") or "")
        if seconds is not None and seconds > 0:
            return seconds
    return None


def _seconds(value: str, unit: str) -> float | None:
    value = value.lower().replace(",", ".")
    if ":" in value:
        minutes, secs = value.split(":")
        return float(int(minutes) * 60 + int(secs))
    number = NUMBER_WORDS.get(value)
    amount = float(value) if number is None else float(number)
    unit = unit.lower()
    if unit.startswith("h"):
        return amount * 3600
    if unit.startswith("s") or unit == '"':
        return amount
    return amount * 60
