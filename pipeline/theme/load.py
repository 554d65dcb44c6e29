"""Reading ``templates/theme.yaml`` (or another theme file) into a :class:`Theme`, checking all of it.

A bad theme is refused with every problem found in it at once (collect, then stop), naming the file.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from .fonts import FontFace, find_face
from .model import DEFAULT_THEME, Colours, Geometry, Sizes, Theme
from .pairs import contrast, low_contrast, readable_shade

HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")
SECTIONS = frozenset({"fonts", "colours", "colors", "sizes", "layout", "logo", "logo_alt"})
FONT_ROLES = {"heading": "Calibri", "body": "Calibri", "code": "Courier New"}
"""Each font the deck uses, and the family it is set in when the theme names none."""


def load_theme(path: Path = DEFAULT_THEME) -> Theme:
    """Read and validate a theme file, resolving its fonts and logo.

    Raises :class:`ConfigError` naming ``path`` on any bad content: unknown keys, colours that
    are not hex, non-positive sizes, a minimum above its start size, a font with no file to
    measure it by, a logo that does not exist, and any two colours the deck draws as text on each
    other (:data:`PAIRS`) reading at under 4.5:1.
    """
    raw = _read(path)
    problems = [
        f"unknown section {key!r}; expected one of {', '.join(sorted(SECTIONS))}" for key in raw.keys() - SECTIONS
    ]
    colours = _colours(raw, problems)
    sizes = _build(Sizes, _section(raw, "sizes", problems), "sizes", _positive, problems)
    geometry = _build(Geometry, _section(raw, "layout", problems), "layout", _positive, problems)
    problems.extend(_minimums_above_start(sizes))
    faces = _faces(_section(raw, "fonts", problems), problems)
    if not any(p.startswith("colours.") for p in problems):
        problems.extend(low_contrast(colours))
    logo, logo_alt = _logo(raw, path, problems)
    if problems:
        # Collect, then stop: the author fixes every problem in one pass.
        raise ConfigError("; ".join(problems), path)
    return Theme(
        heading_font=faces["heading"],
        body_font=faces["body"],
        code_font=faces["code"],
        colours=colours,
        sizes=sizes,
        layout=geometry,
        logo=logo,
        logo_alt=logo_alt,
        path=str(path),
    )


def font_names(path: Path = DEFAULT_THEME) -> dict[str, str]:
    """The family the theme sets each font role in, without looking for the fonts themselves."""
    names = _section(_read(path), "fonts", [])
    return {role: str(names.get(role) or default).strip() for role, default in FONT_ROLES.items()}


def _read(path: Path) -> dict[str, Any]:
    """The theme file's top-level mapping (empty for an empty file)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read theme: {exc.strerror or exc}", path) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"theme is not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError("theme must be a mapping of sections (fonts, colours, sizes, layout, logo)", path)
    return raw


def _colours(raw: dict[str, Any], problems: list[str]) -> Colours:
    """The ``colours`` (or ``colors``) section, with the colours it leaves out derived from those it gives."""
    values = _section(raw, "colours", problems) or _section(raw, "colors", problems)
    return _derived(_build(Colours, values, "colours", _colour, problems), values)


def _derived(colours: Colours, given: dict[str, Any]) -> Colours:
    """Colours a theme leaves out that follow from ones it gives: with a new ``accent`` and no
    ``accent_text``, the accent darkened to read; no ``on_accent``, white or dark to suit it."""
    if "accent" not in given:
        return colours
    c = colours
    if "accent_text" not in given:
        c = replace(c, accent_text=readable_shade(c.accent, (c.background, c.card)))
    if "on_accent" not in given:
        c = replace(c, on_accent=max((c.band_text, c.text), key=lambda text: contrast(text, c.accent)))
    return c


def _minimums_above_start(sizes: Sizes) -> list[str]:
    """A problem for every ``*_min`` size above the size it shrinks from."""
    problems = []
    for field_ in fields(Sizes):
        if field_.name.endswith("_min"):
            start = field_.name.removesuffix("_min")
            if getattr(sizes, field_.name) > getattr(sizes, start):
                problems.append(f"sizes.{field_.name} ({getattr(sizes, field_.name)}) is above sizes.{start}")
    return problems


def _faces(names: dict[str, Any], problems: list[str]) -> dict[str, FontFace]:
    """The font file set of each role in :data:`FONT_ROLES`, named in ``names`` or by default."""
    faces: dict[str, FontFace] = {}
    for role, default in FONT_ROLES.items():
        name = names.get(role, default)
        if not isinstance(name, str) or not name.strip():
            problems.append(f"fonts.{role} must be a font family name")
            continue
        try:
            faces[role] = find_face(name.strip())
        except LookupError as exc:
            problems.append(str(exc))
    problems.extend(f"unknown key fonts.{key}" for key in names.keys() - FONT_ROLES.keys())
    return faces


def _logo(raw: dict[str, Any], path: Path, problems: list[str]) -> tuple[Path | None, str]:
    """The logo's file (relative to the theme file) and its alt text, whitespace collapsed."""
    logo: Path | None = None
    if raw.get("logo"):
        if not isinstance(raw["logo"], str):
            problems.append("logo must be a path to an image")
        else:
            logo = (path.parent / raw["logo"]).resolve()
            if not logo.is_file():
                problems.append(f"logo {raw['logo']!r} not found (looked at {logo})")
    logo_alt = raw.get("logo_alt") or ""
    if not isinstance(logo_alt, str):
        problems.append("logo_alt must be text saying what the logo shows")
        logo_alt = ""
    return logo, " ".join(logo_alt.split())


def _section(raw: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        problems.append(f"{name} must be a mapping")
        return {}
    return value


def _build(cls: Any, values: dict[str, Any], section: str, check: Any, problems: list[str]) -> Any:
    names = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in names:
            problems.append(f"unknown key {section}.{key}")
            continue
        try:
            kwargs[key] = check(value)
        except ValueError as exc:
            problems.append(f"{section}.{key}: {exc}")
    return cls(**kwargs)


def _colour(value: Any) -> str:
    match = HEX.match(str(value).strip()) if isinstance(value, str | int) else None
    if not match:
        raise ValueError(f'{value!r} is not a hex colour like "17324D"')
    return match.group(1).upper()


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{value!r} is not a positive number")
    return float(value)
