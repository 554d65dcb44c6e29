"""A course folder: its settings file, its overrides of the package's templates, and a starter course.

Any folder is a course. Run in it, the pipeline reads lessons from ``slides/`` and writes
``build/``; an optional ``course.yaml`` there holds what would otherwise be passed as options
every time (voice, pace, pauses, theme, output folder), and options on the command line win
over it. A course may place its own ``templates/theme.yaml`` and page templates in
``templates/``; whatever it does not override comes from the package (:data:`pipeline.TEMPLATES`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import TEMPLATES
from .errors import ConfigError

SETTINGS_NAME = "course.yaml"
TEMPLATES_NAME = "templates"
THEME_NAME = "theme.yaml"
STARTER = TEMPLATES / "course"


@dataclass(frozen=True, slots=True)
class Setting:
    """One key of the settings file: the command-line option it stands for and its type."""

    key: str  # as written in course.yaml, nested keys joined by dots
    dest: str  # the option's name in the parsed command line
    kind: type
    choices: tuple[str, ...] = ()  # the values it may take, when it is one of a few words


SETTINGS = (
    Setting("slides", "slides", Path),
    Setting("build", "build", Path),
    Setting("voice", "engine", str),
    Setting("voice_name", "voice_name", str),
    Setting("wpm", "wpm", float),
    Setting("fit", "fit", bool),
    Setting("pauses.sentence", "sentence_pause_s", float),
    Setting("pauses.slide_start", "lead_in_s", float),
    Setting("pauses.slide_end", "hold_s", float),
    Setting("theme", "theme", Path),
    Setting("jobs", "jobs", int),
    Setting("verify", "verify", str, ("changed", "full")),
    Setting("builds", "builds", bool),
    Setting("hearing", "hearing", bool),
)


def read_settings(path: Path) -> dict[str, Any]:
    """The settings ``path`` gives, by option name (``{"engine": "piper", ...}``); none when it is absent.

    Paths in the file are relative to its folder. Every problem in the file is reported at once,
    each with its line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read course settings: {exc.strerror or exc}", path) from exc
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        values = _flatten(root, "", loader, path) if root is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"course settings are not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from exc
    finally:
        loader.dispose()
    by_key = {s.key: s for s in SETTINGS}
    settings: dict[str, Any] = {}
    problems = []
    for key, (value, line) in values.items():
        setting = by_key.get(key)
        if setting is None:
            known = ", ".join(s.key for s in SETTINGS)
            problems.append(ConfigError(f"unknown setting {key!r} (known: {known})", path, line))
            continue
        try:
            settings[setting.dest] = _typed(value, setting, path.parent)
        except ValueError as exc:
            problems.append(ConfigError(f"{key}: {exc}", path, line))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))
    return settings


def _flatten(node: yaml.Node, prefix: str, loader: yaml.SafeLoader, path: Path) -> dict[str, tuple[Any, int]]:
    """Every leaf of a mapping as ``dotted.key -> (value, line)``."""
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1
        raise ConfigError(f"{prefix or 'the settings'} must be a mapping of keys to values", path, line)
    leaves: dict[str, tuple[Any, int]] = {}
    for key_node, value_node in node.value:
        key = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
        if isinstance(value_node, yaml.MappingNode):
            leaves.update(_flatten(value_node, key, loader, path))
        else:
            leaves[key] = (loader.construct_object(value_node, deep=True), key_node.start_mark.line + 1)
    return leaves


def _typed(value: Any, setting: Setting, folder: Path) -> Any:
    """``value`` as the setting's type (raises ``ValueError`` saying what was expected)."""
    kind = setting.kind
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, not {value!r}")
        return value
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and value != int(value)):
            raise ValueError(f"expected {'a whole number' if kind is int else 'a number'}, not {value!r}")
        return kind(value)
    if not isinstance(value, str) or (kind is Path and not value.strip()):
        raise ValueError(f"expected {'a path' if kind is Path else 'text'}, not {value!r}")
    if setting.choices and value not in setting.choices:
        raise ValueError(f"expected one of {', '.join(setting.choices)}, not {value!r}")
    return folder / value if kind is Path else value


def course_theme(root: Path) -> Path | None:
    """The course's own theme, ``templates/theme.yaml`` under ``root``, when it has one."""
    theme = root / TEMPLATES_NAME / THEME_NAME
    return theme if theme.is_file() else None


def course_templates(root: Path) -> Path | None:
    """The course's folder of page templates that override the package's, when it has one."""
    folder = root / TEMPLATES_NAME
    return folder if folder.is_dir() and folder.resolve() != TEMPLATES.resolve() else None


def new_course(folder: Path) -> list[Path]:
    """Write a starter course into ``folder`` (new or empty) and return the files written.

    An example lesson and a lexicon in ``slides/``, ``course.yaml`` with every setting commented
    and a README for the course team; it never overwrites a file.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError("already exists and is not an empty folder; choose a new one", folder)
    if not STARTER.is_dir():
        raise ConfigError("the starter course is missing from this installation; reinstall the package", STARTER)
    shutil.copytree(STARTER, folder, dirs_exist_ok=True)
    return sorted(p for p in folder.rglob("*") if p.is_file())
