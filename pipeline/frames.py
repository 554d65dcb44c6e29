"""``deck.pptx`` -> ``deck.pdf``, one 1920x1080 PNG per slide, and a contact sheet.

LibreOffice renders the deck the reviewer downloads, so the video shows exactly that deck.
Each run gets its own LibreOffice profile in a private temporary folder: concurrent renders do
not fight over a lock, and a stale or broken profile from an earlier crash cannot break this
one. Everything is rendered in that folder and renamed into place; a stamp written last lets
an unchanged deck skip the (slow) render next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation

from . import cache, tools
from .errors import ToolError
from .media.specs import HEIGHT, WIDTH
from .theme import find_face

log = logging.getLogger(__name__)

CODE_VERSION = "frames-2"
"""Bumped whenever a change here alters the frames, so cached frames are re-rendered."""

SOFFICE_TIMEOUT = 300.0  # a cold LibreOffice start alone can take ~20 s on a small machine
PDFTOPPM_TIMEOUT = 180.0
STAMP = ".frames.key"
CONTACT_SHEET = "contact-sheet.png"
THUMB_W = 480


@dataclass(frozen=True, slots=True)
class RenderedDeck:
    """What :func:`render_frames` produced."""

    pdf: Path
    frames: tuple[Path, ...]
    """``frames/01.png`` … in slide order, each exactly ``width`` x ``height``."""
    contact_sheet: Path
    key: str
    reused: bool = False


# Parts of a deck that never reach a rendered page: the core properties (title, dates) and the
# speaker notes (LibreOffice exports the slides, not the notes pages). An edit to the narration
# changes a slide's notes and nothing it shows, so it must not re-render the deck.
UNSEEN_PARTS = re.compile(r"docProps/core\.xml|ppt/notesSlides/notesSlide\d+\.xml")


def frames_key(deck: Path, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """Cache key of a render: what the deck shows (not its notes or zip timestamps), the size, the code version."""
    return _deck_key(_seen_parts(deck), width, height)


def _seen_parts(deck: Path) -> dict[str, bytes]:
    """The sha256 of every part of ``deck`` that can reach a rendered page, by part name."""
    try:
        with zipfile.ZipFile(deck) as z:
            return {
                name: hashlib.sha256(z.read(name)).digest()
                for name in sorted(z.namelist())
                if not UNSEEN_PARTS.fullmatch(name)
            }
    except (OSError, zipfile.BadZipFile) as exc:
        raise ToolError(f"cannot read the deck: {exc}", deck) from exc


def _deck_key(parts: dict[str, bytes], width: int, height: int) -> str:
    h = hashlib.sha256()
    for name, digest in parts.items():
        h.update(name.encode())
        h.update(digest)
    return cache.digest(CODE_VERSION, width, height, h.hexdigest())


def render_frames(
    deck: Path, out_dir: Path, *, width: int = WIDTH, height: int = HEIGHT, force: bool = False
) -> RenderedDeck:
    """Render ``deck`` to ``out_dir/<stem>.pdf``, ``out_dir/frames/NN.png`` and a contact sheet.

    Raises :class:`ToolError` when LibreOffice or pdftoppm is missing or fails, or when the PDF
    does not have one page per slide. Skips the work when the stamp in ``out_dir`` matches the
    deck's content and every output exists (unless ``force``).
    """
    return render_decks([(deck, out_dir)], width=width, height=height, force=force)[0]


def render_decks(
    jobs: Sequence[tuple[Path, Path]], *, width: int = WIDTH, height: int = HEIGHT, force: bool = False
) -> list[RenderedDeck]:
    """:func:`render_frames` for each (deck, out_dir), the decks that need it converted by one
    LibreOffice process: starting LibreOffice costs as much as converting a deck."""
    done: dict[int, RenderedDeck] = {}
    todo: list[tuple[int, str]] = []
    parts = [_seen_parts(deck) for deck, _ in jobs]
    for i, (deck, out_dir) in enumerate(jobs):
        key = _deck_key(parts[i], width, height)
        reused = None if force else _reuse(out_dir / STAMP, key, out_dir / f"{deck.stem}.pdf", out_dir / "frames",
                                           out_dir / CONTACT_SHEET)  # fmt: skip
        if reused is not None:
            log.info("deck unchanged, reusing frames in %s", out_dir / "frames")
            done[i] = RenderedDeck(out_dir / f"{deck.stem}.pdf", reused, out_dir / CONTACT_SHEET, key, reused=True)
        else:
            todo.append((i, key))
    if todo:
        with contextlib.ExitStack() as stack:
            folders = [Path(stack.enter_context(cache.temporary_folder(jobs[i][1], "render"))) for i, _ in todo]
            pdfs = _to_pdfs([jobs[i][0] for i, _ in todo], folders)
            for (i, key), tmp, pdf in zip(todo, folders, pdfs, strict=True):
                slides, made = _read_deck(jobs[i][0])
                pages = _page_keys(slides, parts[i], width, height)
                done[i] = _finish(jobs[i][0], jobs[i][1], key, pages, made, tmp, pdf, width, height, force=force)
    return [done[i] for i in range(len(jobs))]


def _finish(
    deck: Path,
    out_dir: Path,
    key: str,
    pages: list[str],
    made: datetime | None,
    tmp: Path,
    tmp_pdf: Path,
    width: int,
    height: int,
    *,
    force: bool,
) -> RenderedDeck:
    """From a deck's fresh PDF in its temporary folder ``tmp``: the frames and contact sheet, all
    renamed into ``out_dir``, the stamp written last; ``made`` dates the PDF. Only the pages whose
    key in ``pages`` changed since the last render are rasterised again (all of them when
    ``force``); the others keep their frames."""
    pdf = out_dir / f"{deck.stem}.pdf"
    frames_dir = out_dir / "frames"
    sheet = out_dir / CONTACT_SHEET
    expected = len(pages)
    _pin_pdf_metadata(tmp_pdf, made)
    count = _page_count(tmp_pdf)
    if count != expected:
        raise ToolError(
            f"LibreOffice produced {count} page(s) for a deck of {expected} slide(s); "
            "open the deck in LibreOffice Impress to see what it cannot read",
            deck,
        )
    digits = max(2, len(str(count)))
    names = [f"{i:0{digits}d}.png" for i in range(1, count + 1)]
    kept = {} if force else _kept_frames(out_dir / STAMP, frames_dir, names, pages)
    fresh = _to_pngs(tmp_pdf, tmp / "png", width, height, [n for n in range(1, count + 1) if n not in kept])
    frames = [fresh[n] if n in fresh else kept[n] for n in range(1, count + 1)]
    contact_sheet(frames, tmp / CONTACT_SHEET)

    # Rename into place; the stamp goes last, so an interrupted run re-renders next time.
    (out_dir / STAMP).unlink(missing_ok=True)
    frames_dir.mkdir(parents=True, exist_ok=True)
    os.replace(tmp_pdf, pdf)
    for n, png in fresh.items():
        os.replace(png, frames_dir / names[n - 1])
    for stale in frames_dir.glob("*.png"):
        if stale.name not in names:
            stale.unlink()
    os.replace(tmp / CONTACT_SHEET, sheet)
    record = {"key": key, "frames": names, "pages": pages}
    cache.write_text_atomic(out_dir / STAMP, json.dumps(record, indent=1))
    log.info("rendered %d frames to %s (%d rasterised again)", count, frames_dir, len(fresh))
    return RenderedDeck(pdf, tuple(frames_dir / name for name in names), sheet, key)


def _kept_frames(stamp: Path, frames_dir: Path, names: list[str], pages: list[str]) -> dict[int, Path]:
    """The frames of the last render (by page number) whose page key is unchanged, under the same name."""
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
        before = dict(zip(record["frames"], record["pages"], strict=True))
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {
        n: frames_dir / name
        for n, (name, page) in enumerate(zip(names, pages, strict=True), 1)
        if before.get(name) == page and (frames_dir / name).is_file()
    }


def _read_deck(deck: Path) -> tuple[list[str], datetime | None]:
    """The deck's slide parts in slide order, and the date it says it was made."""
    try:
        prs = Presentation(str(deck))
        return [str(slide.part.partname).lstrip("/") for slide in prs.slides], prs.core_properties.modified
    except Exception as exc:  # python-pptx raises a variety of errors on a damaged file
        raise ToolError(f"cannot open the deck to count its slides: {exc}", deck) from exc


def _page_keys(slides: list[str], parts: dict[str, bytes], width: int, height: int) -> list[str]:
    """A key per page, for the slide parts ``slides`` in order: what its slide shows (its own part
    and relationships), everything the slides share (layouts, masters, theme, media, the
    presentation's list of slides), its place, the size and the code version. An edit to one
    slide's content changes that slide's key only."""
    own = {name: hashlib.sha256() for name in slides}
    shared = hashlib.sha256()
    for name, digest in parts.items():
        h = own.get(_SLIDE_RELS.sub(r"\1\2", name), shared)  # a slide's relationships belong to that slide
        h.update(name.encode())
        h.update(digest)
    common = shared.hexdigest()
    return [
        cache.digest(CODE_VERSION, width, height, common, n, own[name].hexdigest()) for n, name in enumerate(slides, 1)
    ]


_SLIDE_RELS = re.compile(r"^(ppt/slides/)_rels/(slide\d+\.xml)\.rels$")


# LibreOffice stamps each PDF with the clock (in UTC, as we run it), a document ID and its own
# checksum, all of which change on every render. They are overwritten in place with values of
# the same length, so the cross-reference offsets stay valid: the deck's own date, and a digest
# of the rest of the file.
_PDF_CREATED = re.compile(rb"/CreationDate\(D:\d{14}Z'\)")
_PDF_ID = re.compile(rb"/ID \[ <[0-9A-F]{32}>\s<[0-9A-F]{32}> \]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum /[0-9A-F]{32}")


def _pin_pdf_metadata(pdf: Path, made: datetime | None) -> None:
    data = pdf.read_bytes()
    if made is not None:
        data = _PDF_CREATED.sub(f"/CreationDate(D:{made:%Y%m%d%H%M%S}Z')".encode(), data)
    # The ID and checksum are a digest of the file with both zeroed, so they follow its content.
    data = _with_id(data, b"0" * 32)
    pdf.write_bytes(_with_id(data, hashlib.md5(data, usedforsecurity=False).hexdigest().upper().encode()))


def _with_id(data: bytes, value: bytes) -> bytes:
    data = _PDF_ID.sub(b"/ID [ <" + value + b">\n<" + value + b"> ]", data)
    return _PDF_CHECKSUM.sub(b"/DocChecksum /" + value, data)


def _reuse(stamp: Path, key: str, pdf: Path, frames_dir: Path, sheet: Path) -> tuple[Path, ...] | None:
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        frames = tuple(frames_dir / str(name) for name in record["frames"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pdf.is_file() and sheet.is_file() and all(f.is_file() for f in frames):
        return frames
    return None


def _to_pdfs(decks: Sequence[Path], folders: Sequence[Path]) -> list[Path]:
    """Convert every deck with one LibreOffice process and a fresh private profile; deck ``i``'s
    PDF ends up in ``folders[i]`` (its temporary folder)."""
    work = folders[0].resolve()  # LibreOffice runs with cwd=work, so every path it sees must be absolute
    profile = work / "lo-profile"
    outdir = work / "pdf"
    outdir.mkdir()
    # Plain copies under fixed names: a deck may be a temporary name or contain odd characters.
    sources = []
    for i, deck in enumerate(decks):
        source = work / f"deck-{i}.pptx"
        shutil.copyfile(deck, source)
        sources.append(source)
    env = dict(os.environ)
    env["HOME"] = str(work)  # some LibreOffice builds write beside $HOME even with a custom profile
    env["TZ"] = "UTC"  # the PDF's dates then end in Z, the form _pin_pdf_metadata rewrites
    proc = tools.run(
        tools.SOFFICE,
        [
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:impress_pdf_Export",
            "--outdir",
            outdir,
            *sources,
        ],
        timeout=SOFFICE_TIMEOUT * len(decks),
        cwd=work,
        env=env,
        what="rendering the deck to PDF",
    )
    pdfs = []
    for source, deck, folder in zip(sources, decks, folders, strict=True):
        pdf = outdir / f"{source.stem}.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            # LibreOffice exits 0 even when it cannot load the file; say what it printed.
            said = tools.stderr_tail(proc.stdout + proc.stderr)
            raise ToolError(f"LibreOffice wrote no PDF while rendering the deck to PDF:\n{said}", deck)
        moved = folder / "deck.pdf"
        os.replace(pdf, moved)
        pdfs.append(moved)
    return pdfs


def _page_count(pdf: Path) -> int:
    """The number of pages in ``pdf``, as poppler reads it."""
    proc = tools.run(tools.PDFINFO, [pdf], timeout=PDFTOPPM_TIMEOUT, what="counting the rendered deck's pages")
    found = re.search(rb"^Pages:\s+(\d+)", proc.stdout, flags=re.M)
    if found is None:
        raise ToolError(f"pdfinfo did not say how many pages {pdf.name} has:\n{tools.stderr_tail(proc.stdout)}")
    return int(found.group(1))


def _to_pngs(pdf: Path, folder: Path, width: int, height: int, pages: Sequence[int]) -> dict[int, Path]:
    """Rasterise ``pages`` (numbers from 1) to exactly ``width`` x ``height`` PNGs, by page number;
    one pdftoppm run per run of consecutive pages."""
    folder.mkdir()
    runs: list[list[int]] = []
    for n in sorted(pages):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    for run in runs:
        tools.run(
            tools.PDFTOPPM,
            ["-png", "-f", str(run[0]), "-l", str(run[-1]), "-scale-to-x", str(width), "-scale-to-y", str(height),
             pdf, folder / "page"],
            timeout=PDFTOPPM_TIMEOUT,
            what="rasterising the deck's PDF into frames",
        )  # fmt: skip
    found = {int(re.sub(r"\D", "", p.stem) or 0): p for p in folder.glob("page-*.png")}
    if sorted(found) != sorted(pages):
        raise ToolError(f"pdftoppm wrote pages {sorted(found)} of {pdf.name}, not {sorted(pages)}")
    for page in found.values():
        with Image.open(page) as img:
            if img.size == (width, height) and img.mode == "RGB":
                continue
            # pdftoppm can be a pixel off when the page size does not divide evenly.
            log.debug("resizing %s from %s to %dx%d", page.name, img.size, width, height)
            fixed = img.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
        fixed.save(page)
    return found


def contact_sheet(
    frames: Sequence[Path], out: Path, *, labels: Sequence[str] | None = None, columns: int | None = None
) -> None:
    """All frames as thumbnails in one PNG grid, each under its label (``Slide n`` by default), at
    most four a row unless ``columns`` says how many (a filmstrip: all in one)."""
    cols = columns or min(len(frames), max(1, math.ceil(math.sqrt(len(frames)))), 4) or 1
    rows = max(1, math.ceil(len(frames) / cols))
    with Image.open(frames[0]) as first:
        thumb_h = round(THUMB_W * first.height / first.width)
    gap, label_h = 24, 34
    sheet = Image.new("RGB", (gap + cols * (THUMB_W + gap), gap + rows * (label_h + thumb_h + gap)), "#E9EDF1")
    draw = ImageDraw.Draw(sheet)
    font = _label_font(22)
    for i, frame in enumerate(frames):
        x = gap + (i % cols) * (THUMB_W + gap)
        y = gap + (i // cols) * (label_h + thumb_h + gap)
        draw.text((x, y + 2), labels[i] if labels else f"Slide {i + 1}", fill="#1E2A36", font=font)
        with Image.open(frame) as img:
            factor, rest = divmod(img.width, THUMB_W)
            if not rest and img.height == factor * thumb_h:
                thumb = img.convert("RGB").reduce(factor)  # a box filter: as sharp here, many times quicker
            else:
                thumb = img.convert("RGB").resize((THUMB_W, thumb_h), Image.Resampling.LANCZOS)
        top = y + label_h
        sheet.paste(thumb, (x, top))
        draw.rectangle((x - 1, top - 1, x + THUMB_W, top + thumb_h), outline="#9AA5B1")
    sheet.save(out)


def _label_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("Carlito", "Liberation Sans", "DejaVu Sans"):
        try:
            return ImageFont.truetype(str(find_face(name).bold), size)
        except (LookupError, OSError):
            continue
    return ImageFont.load_default(size)
