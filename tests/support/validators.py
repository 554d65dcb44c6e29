"""Validators nobody here wrote, run over the pipeline's outputs; each returns the problems it finds.

- ``deck.pptx``: openxml-audit (PyPI), a port of the Open XML SDK's validator: package, schema
  and semantic rules of the Office 2010 file format;
- ``captions.vtt``: the W3C WebVTT parser (npm ``webvtt-parser``, which backs the W3C
  validator) run with node: every parser error;
- ``captions.srt``: the ``srt`` package (PyPI): SubRip blocks, numbering and timestamps;
- ``report.html`` and ``index.html``: the Nu HTML Checker (``vnu.jar`` from npm ``vnu-jar``) on
  a Java runtime: HTML and CSS conformance errors; and axe-core (npm) injected into Chromium:
  WCAG 2.1 A/AA violations of serious or critical impact;
- ``video.mp4``: hachoir's MP4 parser (PyPI): ``moov`` before ``mdat``; video, audio, subtitle
  and chapter tracks.

The npm packages live in the project's ``node_modules`` (``package.json`` and its lock file,
installed by ``scripts/setup.sh``); Java and node come from Debian. A missing validator fails
the test with the command that installs it, never a skip.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support.lessons import ROOT

NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
WEBVTT_CHECK = Path(__file__).resolve().parent / "webvtt_check.js"
SETUP = "run `make setup` (scripts/setup.sh installs the npm packages of package.json with `npm ci`)"

# python-pptx writes the package of PowerPoint 2010 (its template says AppVersion 14 and uses the
# p14 extension namespace): validate against that version, so nothing newer slips in unnoticed.
DECK_FORMAT = "Office2010"
# WCAG 2.1 level A and AA; best practices and AAA are advice, not failures.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_FAILING_IMPACTS = ("serious", "critical")


def _fail_missing(what: str, how: str) -> None:
    pytest.fail(f"{what} is needed for the validator tests and was not found: {how}", pytrace=False)


def _program(env: str, names: Sequence[str], what: str, how: str) -> str:
    for name in (os.environ.get(env, ""), *names):
        found = name and shutil.which(name)
        if found:
            return found
    _fail_missing(what, how)
    raise AssertionError("unreachable")


def _npm_file(path: Path) -> Path:
    if not path.is_file():
        _fail_missing(f"{path.relative_to(ROOT)}", SETUP)
    return path


# --- decks ------------------------------------------------------------------------------------


@functools.cache
def _deck_validator() -> Any:
    try:
        from openxml_audit import FileFormat, OpenXmlValidator
    except ImportError:
        _fail_missing("the Python package 'openxml-audit'", "run `make setup` (it is in the dev extra)")
    file_format = FileFormat.from_version_string(DECK_FORMAT)
    return OpenXmlValidator(file_format=file_format, max_errors=0, security_validation=True)


def deck_problems(path: Path) -> list[str]:
    """Every error the Open XML validator finds in a .pptx: ``part element: message``."""
    from openxml_audit import ValidationSeverity

    result = _deck_validator().validate(str(path))
    return [
        f"{error.part_uri} {error.path or '/'}: {error.description}"
        for error in result.errors
        if error.severity == ValidationSeverity.ERROR
    ]


# --- captions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedCue:
    """A cue as an independent parser read it: seconds and the literal text (lines joined by newlines)."""

    start: float
    end: float
    text: str


def node() -> str:
    """The node executable (``$NODE`` wins); fails the test with how to install it."""
    return _program("NODE", ("node", "nodejs"), "node", "run `apt-get install -y --no-install-recommends nodejs`")


def webvtt_parse(paths: Sequence[Path]) -> dict[Path, tuple[list[str], list[ParsedCue]]]:
    """Each WebVTT file read by the W3C WebVTT parser: its errors (``file:line:col: message``) and cues."""
    _npm_file(NODE_MODULES / "webvtt-parser" / "parser.js")
    proc = subprocess.run(
        [node(), str(WEBVTT_CHECK), *map(str, paths)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(f"the WebVTT parser did not run: {proc.stderr[-2000:]}", pytrace=False)
    report = json.loads(proc.stdout)
    out = {}
    for path in paths:
        found = report[str(path)]
        errors = [f"{path.name}:{e['line']}:{e['col'] or 1}: {e['message']}" for e in found["errors"]]
        cues = [ParsedCue(c["start"], c["end"], c["text"]) for c in found["cues"]]
        out[path] = (errors, cues)
    return out


def vtt_problems(*paths: Path) -> list[str]:
    """Every error the W3C WebVTT parser reports, and any file it finds no cue in."""
    problems = []
    for path, (errors, cues) in webvtt_parse(paths).items():
        problems += errors
        if not cues:
            problems.append(f"{path.name}: no cues")
    return problems


def srt_parse(path: Path) -> tuple[list[str], list[ParsedCue]]:
    """A SubRip file read by the ``srt`` package: its problems and cues."""
    try:
        import srt
    except ImportError:
        _fail_missing("the Python package 'srt'", "run `make setup` (it is in the dev extra)")
    try:
        subtitles = list(srt.parse(path.read_text(encoding="utf-8"), ignore_errors=False))
    except srt.SRTParseError as exc:
        return [f"{path.name}: {exc}"], []
    problems = []
    for expected, sub in enumerate(subtitles, start=1):
        if sub.index != expected:
            problems.append(f"{path.name}: block {expected} is numbered {sub.index}")
        if sub.end <= sub.start:
            problems.append(f"{path.name}: block {sub.index} ends at {sub.end} before it starts at {sub.start}")
        if not sub.content.strip():
            problems.append(f"{path.name}: block {sub.index} has no text")
        # The package lets a block's text run on over blank lines (for files that lost theirs), so a
        # later block that does not parse ends up inside this one's text instead of failing.
        if "\n\n" in sub.content.strip():
            problems.append(f"{path.name}: block {sub.index} runs on into text that is not a block: {sub.content!r}")
    cues = [ParsedCue(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in subtitles]
    if not cues:
        problems.append(f"{path.name}: no subtitles")
    return problems, cues


def srt_problems(path: Path) -> list[str]:
    """What the ``srt`` package cannot read in a SubRip file, or finds out of order."""
    return srt_parse(path)[0]


# --- pages ------------------------------------------------------------------------------------


def java() -> str:
    """The Java runtime (``$JAVA`` wins); fails the test with how to install it."""
    return _program("JAVA", ("java",), "Java", "run `apt-get install -y --no-install-recommends default-jre-headless`")


def html_problems(*paths: Path) -> list[str]:
    """Every error the Nu HTML Checker reports for the pages (their CSS included), in one run."""
    jar = _npm_file(VNU_JAR)
    proc = subprocess.run(
        # C1-only JIT: the checker starts in half the time; it then needs a deeper stack than the default.
        [java(), "-Xss16m", "-XX:TieredStopAtLevel=1", "-jar", str(jar),
         "--format", "json", "--stdout", "--exit-zero-always", "--also-check-css", *map(str, paths)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker did not run: {proc.stdout[-1000:]}{proc.stderr[-2000:]}", pytrace=False)
    names = {p.resolve().as_uri(): p.name for p in paths}
    problems = []
    for m in messages:
        # "error" is a conformance error; "non-document-error" means the file could not be checked at all.
        if m.get("type") in ("error", "non-document-error"):
            where = _vnu_file(m.get("url", ""), names)
            line = m.get("lastLine", m.get("firstLine", ""))
            problems.append(f"{where}:{line}: {m.get('message', '')} [{m.get('extract', '').strip()}]")
    return problems


def _vnu_file(url: str, names: dict[str, str]) -> str:
    # vnu writes file:/path, not file:///path.
    for uri, name in names.items():
        if url in (uri, uri.replace("file:///", "file:/")):
            return name
    return url


def axe_problems(page: Any) -> list[str]:
    """WCAG 2.1 A/AA violations of serious or critical impact that axe-core finds in an open page."""
    page.add_script_tag(path=str(_npm_file(AXE_JS)))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(AXE_TAGS),
    )
    problems = []
    for v in results["violations"]:
        if v.get("impact") not in AXE_FAILING_IMPACTS:
            continue
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"]][:5]
        problems.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s): {targets}")
    return problems


def axe_file_problems(browser: Any, page_file: Path) -> list[str]:
    """:func:`axe_problems` of a page file opened in a new tab of ``browser``, each naming the page."""
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        return [f"{page_file.parent.name}/{page_file.name}: {p}" for p in axe_problems(page)]
    finally:
        page.close()


def axe_version() -> str:
    """The installed axe-core version, from its package.json."""
    return str(json.loads((NODE_MODULES / "axe-core" / "package.json").read_text(encoding="utf-8"))["version"])


# --- video ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Track:
    """One ``trak`` box as the parser read it."""

    track_id: int
    handler: str  # hdlr subtype: vide, soun, sbtl, text…
    sample_format: str  # the first stsd entry's format: avc1, mp4a, tx3g, text…
    samples: int  # stsz sample count
    references: dict[str, tuple[int, ...]]  # tref: reference type -> track ids


@dataclass(frozen=True, slots=True)
class Layout:
    """An MP4's top-level boxes in file order and its tracks."""

    boxes: tuple[str, ...]
    tracks: tuple[Track, ...]


def mp4_layout(path: Path) -> Layout:
    """Read an MP4's box layout with hachoir's MP4 parser (pymp4 misreads an H.264 High-profile ``avcC``)."""
    try:
        from hachoir.parser.container.mp4 import MP4File
        from hachoir.stream import FileInputStream
    except ImportError:
        _fail_missing("the Python package 'hachoir'", "run `make setup` (it is in the dev extra)")
    with FileInputStream(str(path)) as stream:
        parser = MP4File(stream)
        if parser.validate() is not True:
            return Layout((), ())
        boxes = tuple(str(atom["tag"].value) for atom in parser)
        tracks = tuple(_track(trak) for moov in _tagged(parser, "moov") for trak in _tagged(_children(moov), "trak"))
        return Layout(boxes, tracks)


def _children(atom: Any) -> Iterator[Any]:
    """The boxes inside a container box (hachoir names the list after the box: movie, track, media…)."""
    for field in atom:
        if field.name not in ("size", "size64", "tag") and field.is_field_set:
            yield from (child for child in field if child.name.startswith("atom["))


def _tagged(atoms: Any, tag: str) -> list[Any]:
    return [atom for atom in atoms if atom["tag"].value == tag]


def _find(atom: Any, *path: str) -> Any | None:
    """The first box along ``path`` of tags below ``atom``, or None."""
    for tag in path:
        found = _tagged(_children(atom), tag)
        if not found:
            return None
        atom = found[0]
    return atom


def _track(trak: Any) -> Track:
    tkhd = _find(trak, "tkhd")
    hdlr = _find(trak, "mdia", "hdlr")
    stbl = _find(trak, "mdia", "minf", "stbl")
    stsd = _find(stbl, "stsd") if stbl is not None else None
    stsz = _find(stbl, "stsz") if stbl is not None else None
    tref = _find(trak, "tref")
    references = {}
    for ref in _children(tref) if tref is not None else ():
        # hachoir knows only a few reference types; the others stay raw: a list of 32-bit track ids.
        raw = ref["data"].value if "data" in ref else b""
        references[str(ref["tag"].value)] = struct.unpack(f">{len(raw) // 4}I", raw[: len(raw) // 4 * 4])
    return Track(
        track_id=int(tkhd["track_hdr/track_id"].value) if tkhd is not None else 0,
        handler=_text(hdlr["hdlr/subtype"].value) if hdlr is not None else "",
        sample_format=_text(stsd["stsd/sample_entry[0]/format"].value) if stsd is not None else "",
        samples=int(stsz["stsz/count"].value) if stsz is not None else 0,
        references=references,
    )


def _text(value: str | bytes) -> str:
    """A four-character code as text (hachoir gives some as bytes)."""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def mp4_problems(path: Path, *, chapters: int | None = None) -> list[str]:
    """What an MP4 lacks for progressive playback and navigation, read by an independent parser.

    ``moov`` must come before ``mdat`` (+faststart), and there must be an H.264 video track, an
    AAC audio track, a soft subtitle track (``sbtl``/``tx3g``) and a chapter track (a text track
    that another track's ``tref/chap`` points to) with ``chapters`` samples, when given.
    """
    layout = mp4_layout(path)
    if not layout.boxes:
        return [f"{path.name}: not an MP4 file"]
    problems = []
    for box in ("ftyp", "moov", "mdat"):
        if layout.boxes.count(box) != 1:
            problems.append(f"{path.name}: {layout.boxes.count(box)} '{box}' boxes at the top level, not 1")
    if "moov" in layout.boxes and "mdat" in layout.boxes and layout.boxes.index("moov") > layout.boxes.index("mdat"):
        problems.append(f"{path.name}: 'moov' comes after 'mdat' (not +faststart): {' '.join(layout.boxes)}")
    by_id = {t.track_id: t for t in layout.tracks}
    chapter_ids = {i for t in layout.tracks for i in t.references.get("chap", ())}
    kinds = {
        "an H.264 video track": [t for t in layout.tracks if (t.handler, t.sample_format) == ("vide", "avc1")],
        "an AAC audio track": [t for t in layout.tracks if (t.handler, t.sample_format) == ("soun", "mp4a")],
        "a subtitle track": [
            t
            for t in layout.tracks
            if t.handler == "sbtl" and t.sample_format == "tx3g" and t.track_id not in chapter_ids
        ],
        "a chapter track": [by_id[i] for i in sorted(chapter_ids) if i in by_id and by_id[i].handler == "text"],
    }
    for what, found in kinds.items():
        if len(found) != 1:
            seen = [(t.handler, t.sample_format) for t in layout.tracks]
            problems.append(f"{path.name}: {len(found)} tracks are {what}, not 1 (tracks: {seen})")
    chapter_tracks = kinds["a chapter track"]
    if chapters is not None and len(chapter_tracks) == 1 and chapter_tracks[0].samples != chapters:
        problems.append(f"{path.name}: the chapter track has {chapter_tracks[0].samples} chapters, not {chapters}")
    return problems
