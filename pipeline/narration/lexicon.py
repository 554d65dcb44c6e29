"""The course pronunciation lexicon: written form -> spoken form, applied to speech input only.

Matching is whole-word and case-sensitive ("LoRA" is respelled, "lora" and "LoRAs" are not),
longest entry first, in one pass, so a respelling is never itself respelled. Captions always
keep the text as written; only the engine hears the respelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Pronunciation entries as ``(written, spoken)`` pairs, in file order."""

    entries: tuple[tuple[str, str], ...] = ()
    source: str = ""
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.entries:
            # Longest first so "QLoRA" and "Qi et al" win over anything they contain.
            written = sorted((w for w, _ in self.entries), key=len, reverse=True)
            alternation = "|".join(re.escape(w) for w in written)
            object.__setattr__(self, "_pattern", re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"))

    def apply(self, text: str) -> str:
        """Return ``text`` with every whole-word, case-sensitive match replaced by its spoken form."""
        if self._pattern is None:
            return text
        spoken = dict(self.entries)
        return self._pattern.sub(lambda m: spoken[m.group(0)], text)

    def __len__(self) -> int:
        return len(self.entries)


def load_lexicon(path: Path | None) -> Lexicon:
    """Read a YAML mapping of written form to spoken form.

    A missing file (or ``None``) gives an empty lexicon. Anything else that is not a flat mapping
    of non-empty strings raises :class:`ConfigError` naming the file and line.
    """
    if path is None or not path.exists():
        return Lexicon()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read pronunciation lexicon: {exc}", path) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML in pronunciation lexicon: {problem}", path, line) from exc
    if root is None:
        return Lexicon(source=str(path))
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError("pronunciation lexicon must be a mapping of written form: spoken form", path, _line(root))
    entries: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = _line(key_node)
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            raise ConfigError("each lexicon entry must be `written form: spoken form` (plain text)", path, line)
        written, spoken = str(key_node.value).strip(), str(value_node.value).strip()
        if not written or not spoken:
            raise ConfigError(f"lexicon entry {written!r} needs both a written and a spoken form", path, line)
        if written in seen:
            raise ConfigError(f"lexicon entry {written!r} repeats the one on line {seen[written]}", path, line)
        seen[written] = line
        entries.append((written, spoken))
    return Lexicon(entries=tuple(entries), source=str(path))


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1
