"""Storyboard -> ``deck.pptx``: one 16:9 slide per storyboard entry, in the layout it names.

Sizes and line spacing are written explicitly; PowerPoint's autofit is never relied on because
LibreOffice does not honour it reliably, and the video is rendered by LibreOffice. The deck is
cached by a key over everything that reaches a slide, dated by the lesson (never the clock) and
written to a temporary name, then renamed.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import re
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.util import Emu

from .. import cache
from ..errors import ConfigError
from ..model import Notice, Source, Storyboard
from ..theme import Theme
from .builds import BuildUnit, SlideUnits, frozen_units
from .fit import ELLIPSIS
from .layouts import BODIES
from .page import Context, Roles, chrome, cover, footer, slide_titles
from .shapes import SLIDE_H, SLIDE_W, clean, clean_notes, unsigned_axis_ids

log = logging.getLogger(__name__)

CODE_VERSION = "deck-9"
"""Bumped whenever a change here alters the deck, so cached decks are rebuilt."""

TITLE_LAYOUT = 5  # "Title Only" in python-pptx's default template: a real title placeholder
# The reproducible-builds convention for "when this was made", in seconds since 1970.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
ZIP_EARLIEST = datetime(1980, 1, 1)  # a zip entry cannot be dated before 1980


@dataclass(frozen=True, slots=True)
class DeckResult:
    """A built deck: where it is, what did not fit, and whether a cached copy was reused."""

    path: Path
    warnings: tuple[Notice, ...]
    key: str
    reused: bool = False
    units: tuple[SlideUnits, ...] = ()
    """Each slide's build units as drawn (see :mod:`.builds`)."""


def deck_key(storyboard: Storyboard, theme: Theme) -> str:
    """Cache key of the deck: every storyboard field that reaches a slide, the theme, the deck's date
    (so a new ``$SOURCE_DATE_EPOCH`` rebuilds it), the code version."""
    board = asdict(storyboard)
    # Planning warnings and the time budget never reach a slide.
    for name in ("warnings", "target_s", "cap_s", "declared_words"):
        board.pop(name, None)
    for slide in board["slides"]:  # when things appear is the video's business, not the deck's
        for name in ("cues", "builds", "highlight"):
            slide.pop(name, None)
    look = asdict(theme)
    look.pop("path", None)
    logo = cache.file_digest(theme.logo) if theme.logo and theme.logo.is_file() else None
    made = deck_date(storyboard.path).isoformat()
    return cache.digest(CODE_VERSION, _code_digest(), board, look, logo, made)


@functools.cache
def _code_digest() -> str:
    """A digest of this package's source: any change to how slides are drawn rebuilds cached decks."""
    here = Path(__file__).resolve().parent
    return cache.digest(*(cache.file_digest(p) for p in sorted(here.rglob("*.py"))))


def stamp_path(out: Path) -> Path:
    """The file beside ``out`` recording the key (and warnings) of the deck written there."""
    return out.with_name(f".{out.name}.key")


def build_deck(storyboard: Storyboard, theme: Theme, out: Path, *, force: bool = False) -> DeckResult:
    """Write ``out`` (a .pptx) for ``storyboard`` in ``theme`` and return its fit warnings.

    Skips the work when ``out`` exists and its stamp matches :func:`deck_key` (unless ``force``).
    The deck is written to a temporary name and renamed into place, so a failure never leaves a
    half-written deck and never destroys the last good one.
    """
    key = deck_key(storyboard, theme)
    stamp = stamp_path(out)
    cached = _read_stamp(stamp, key, storyboard) if out.is_file() and not force else None
    if cached is not None:
        log.info("deck unchanged, reusing %s", out)
        return DeckResult(out, cached[0], key, reused=True, units=cached[1])

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    titles, renamed = slide_titles(storyboard)
    ctx = Context(theme, Roles(theme), storyboard, warnings=renamed, titles=titles)
    total = len(storyboard.slides)
    for slide in storyboard.slides:
        page = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
        if slide.layout == "title":
            cover(ctx, page, slide)
        else:
            chrome(ctx, page, slide)
            BODIES.get(slide.layout, BODIES["bullets"])(ctx, page, slide)
            footer(ctx, page, slide, total)
        page.notes_slide.notes_text_frame.text = clean_notes(slide.speaker_notes)
        unsigned_axis_ids(page)

    made = deck_date(storyboard.path)
    props = prs.core_properties
    props.title = _property(storyboard.title)
    props.subject = _property(storyboard.module)
    props.keywords = _property(", ".join(storyboard.framework_tags))
    props.comments = _property(f"Built from {Path(storyboard.path).name} by the lecture video pipeline")
    props.last_modified_by = "lecture-pipeline"
    props.revision = 1
    props.created = props.modified = made

    with cache.atomic_path(out) as tmp:
        _save_dated(prs, tmp, made)
    warnings = tuple(ctx.warnings)
    units = tuple(frozen_units(ctx.units.get(slide.n, {})) for slide in storyboard.slides)
    record = {
        "key": key,
        "warnings": [{"slide": w.slide, "message": w.message} for w in warnings],
        "units": [[[list(u.shape_ids), [list(c) for c in u.covers]] for u in slide] for slide in units],
    }
    cache.write_text_atomic(stamp, json.dumps(record, ensure_ascii=False, indent=1))
    for w in warnings:
        log.warning("%s", w)
    log.info("wrote %s (%d slides)", out, total)
    return DeckResult(out, warnings, key, units=units)


def deck_date(lesson: Path | str) -> datetime:
    """When the deck was made, for its metadata: ``$SOURCE_DATE_EPOCH``, else the lesson's last change.

    Never the build's clock, so the same lesson gives a byte-identical deck (and PDF) on every build.
    A naive datetime in UTC, whole seconds, as the OPC core properties store it.
    """
    raw = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if raw:
        try:
            seconds = int(raw)
        except ValueError:
            raise ConfigError(f"{SOURCE_DATE_EPOCH}={raw!r} is not a whole number of seconds since 1970") from None
    else:
        try:
            seconds = int(Path(lesson).stat().st_mtime)
        except OSError:  # a storyboard made in memory has no file to date it by: a fixed date, still never the clock
            return ZIP_EARLIEST
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _save_dated(prs: Any, out: Path, made: datetime) -> None:
    """Save ``prs`` with every zip entry dated ``made``: python-pptx dates them by the clock."""
    packed = io.BytesIO()
    prs.save(packed)
    with zipfile.ZipFile(packed) as source:
        parts = {item.filename: (item, source.read(item)) for item in source.infolist()}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, (item, data) in parts.items():
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                data = _dated_zip(data, made)  # a chart's workbook, stamped by XlsxWriter's clock
            _write_entry(target, name, data, made, item.external_attr)


def _dated_zip(data: bytes, made: datetime) -> bytes:
    """An embedded Office file re-dated: its entries and its core properties' created/modified."""
    when = made.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "docProps/core.xml":
                part = _CORE_DATES.sub(rb"\g<1>" + when + rb"\g<2>", part)
            _write_entry(target, item.filename, part, made, item.external_attr)
    return packed.getvalue()


# The text of <dcterms:created ...> and <dcterms:modified ...> in a core-properties part.
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _write_entry(target: zipfile.ZipFile, name: str, data: bytes, made: datetime, attributes: int) -> None:
    entry = zipfile.ZipInfo(name, date_time=max(made, ZIP_EARLIEST).timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = attributes
    target.writestr(entry, data)


def _property(text: str) -> str:
    # The OPC core-properties schema caps each value at 255 characters.
    text = clean(text)
    return text if len(text) <= 255 else text[:254].rstrip() + ELLIPSIS


def _read_stamp(
    stamp: Path, key: str, storyboard: Storyboard
) -> tuple[tuple[Notice, ...], tuple[SlideUnits, ...]] | None:
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        sources = {s.n: s.source for s in storyboard.slides}
        fallback = Source(storyboard.path, 1)
        warnings = tuple(
            Notice(w["message"], sources.get(w["slide"], fallback), w["slide"]) for w in record["warnings"]
        )
        units = tuple(
            tuple(BuildUnit(tuple(ids), tuple((c[0], c[1], c[2], c[3]) for c in covers)) for ids, covers in slide)
            for slide in record["units"]
        )
        return warnings, units
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
