"""The review pages: ``build/<lesson>/report.html`` for one lesson and ``build/index.html`` for all.

One module renders every page from the jinja2 templates in ``templates/``, with autoescaping
on: titles, narration and warnings come from lesson documents and must appear as written,
never as markup. The pages are self-contained (styles inlined, a few lines of script, no
network resources) so they work opened straight from disk as well as served over HTTP, and
every link is relative to the page.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import TEMPLATES
from .budget import Budget, advice, clock
from .cache import write_text_atomic
from .coverage import Coverage
from .errors import ConfigError
from .model import Source, Storyboard

if TYPE_CHECKING:
    from .hearing.check import NarrationHearing

log = logging.getLogger(__name__)

REPORT_NAME = "report.html"
INDEX_NAME = "index.html"

# What a lesson folder may hold that a reviewer downloads, in the order the pages list them.
DOWNLOADS = (
    ("deck.pptx", "Deck (PowerPoint)"),
    ("deck-narrated.pptx", "Narrated deck (plays itself)"),
    ("deck.pdf", "Deck (PDF)"),
    ("video.mp4", "Video (MP4)"),
    ("captions.vtt", "Captions (WebVTT)"),
    ("captions.srt", "Captions (SRT)"),
    ("timing.json", "Timing (JSON)"),
    ("contact.png", "Contact sheet"),
    ("contact-sheet.png", "Contact sheet"),
)
OUTPUT_NAMES = tuple(name for name, _ in DOWNLOADS)

STATUS_LABELS = {
    "ok": "ok",
    "over_cap": "over cap",
    "over_target": "over target",
    "under_target": "under target",
    "unchecked": "no budget",
    "failed": "failed",
}
# Captions are inlined into the page as a data: URL because Chromium refuses to load a <track>
# from a file:// page; beyond this size the page links the file and needs a web server.
INLINE_CAPTIONS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class TakeDeparture:
    """Where a narrator's take left the script: a sentence skipped, read again, or added."""

    kind: str  # "skipped", "repeated", "ad-lib"
    slide: int
    text: str  # the script's sentence (skipped, repeated) or the words heard (ad-lib)
    at_s: float  # seconds into the video


@dataclass(frozen=True, slots=True)
class TakeNotes:
    """A single take as the report shows it."""

    name: str  # the take's file name
    matched: float  # share of the script's words heard as written
    departures: tuple[TakeDeparture, ...]


@dataclass(frozen=True, slots=True)
class LessonReport:
    """Everything one lesson's report page shows.

    ``budget`` is the measured budget (:func:`pipeline.budget.with_audio`) once narration
    exists, else the estimate; chapters then use estimated start times and the page says so.
    ``files`` and ``frames`` are names relative to the lesson folder, as :func:`outputs_in`
    and :func:`frames_in` find them. ``warnings`` are shown as given (storyboard and deck-fit
    warnings, budget advice; see :func:`lesson_warnings`); ``problems`` are failed checks of the
    finished video. ``status`` overrides the budget's status (``"failed"`` for a stopped build).
    """

    storyboard: Storyboard
    budget: Budget
    coverage: tuple[Coverage, ...] = ()
    warnings: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    build_seconds: float | None = None
    status: str = ""
    problems: tuple[str, ...] = ()
    builds: dict[int, tuple[tuple[float, str], ...]] = field(default_factory=dict)
    """By slide number, the pictures a slide shows while it builds: each with the time it appears in
    the video and its file (relative to the lesson folder); the slide's own frame is last."""
    hearing: NarrationHearing | None = None  # the narration as the recognizer heard it
    hearing_notice: str = ""  # why it was not heard, when it was not
    take: TakeNotes | None = None  # the narrator's single take, when the narration came from one

    @property
    def verdict(self) -> str:
        """The status the pages show: the override when given, else the budget's."""
        return self.status or self.budget.status


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One row of ``build/index.html``: a lesson's summary and the files in its folder.

    Build one from a report with :meth:`from_report`; a lesson whose build stopped before a
    report existed can still be listed with its ``error``.
    """

    stem: str
    code: str
    title: str
    status: str
    duration_s: float | None = None
    measured: bool = False
    target_s: float | None = None
    cap_s: float | None = None
    slides: int = 0
    words: int = 0
    build_seconds: float | None = None
    files: tuple[str, ...] = ()
    has_report: bool = False
    warnings: int = 0
    problems: int = 0
    error: str = ""

    @classmethod
    def from_report(cls, report: LessonReport) -> IndexEntry:
        """The index row for a lesson whose report page is written alongside."""
        budget = report.budget
        return cls(
            stem=report.storyboard.stem,
            code=report.storyboard.code,
            title=report.storyboard.title,
            status=report.verdict,
            duration_s=budget.duration_s,
            measured=budget.measured,
            target_s=budget.target_s,
            cap_s=budget.cap_s,
            slides=len(report.storyboard.slides),
            words=budget.words,
            build_seconds=report.build_seconds,
            files=report.files,
            has_report=True,
            warnings=len(report.warnings),
            problems=len(report.problems),
        )


# --- public API -------------------------------------------------------------------------------


def render_lesson_report(report: LessonReport, out_dir: Path, *, templates: Path | None = None) -> Path:
    """Write ``out_dir/report.html`` (``out_dir`` is the lesson folder) and return its path.

    ``templates`` is a course's folder of templates overriding the package's, when it has one.
    """
    path = out_dir / REPORT_NAME
    captions = out_dir / "captions.vtt" if "captions.vtt" in report.files else None
    write_text_atomic(path, report_html(report, captions_file=captions, templates=templates))
    log.info("wrote %s", path)
    return path


def render_index(
    lessons: Sequence[LessonReport | IndexEntry], build_dir: Path, *, templates: Path | None = None
) -> Path:
    """Write ``build_dir/index.html`` listing every lesson (in the order given) and return its path."""
    path = build_dir / INDEX_NAME
    write_text_atomic(path, index_html(lessons, templates=templates))
    log.info("wrote %s", path)
    return path


def report_html(report: LessonReport, *, captions_file: Path | None = None, templates: Path | None = None) -> str:
    """The report page as text. ``captions_file``, when given and small, is inlined for file:// viewing."""
    return _render("report.html.j2", _report_context(report, captions_file), templates)


def index_html(lessons: Sequence[LessonReport | IndexEntry], *, templates: Path | None = None) -> str:
    """The index page as text."""
    entries = [e if isinstance(e, IndexEntry) else IndexEntry.from_report(e) for e in lessons]
    return _render("index.html.j2", _index_context(entries), templates)


def outputs_in(folder: Path) -> tuple[str, ...]:
    """The downloadable outputs present in a lesson folder, as names relative to it."""
    return tuple(name for name in OUTPUT_NAMES if (folder / name).is_file())


def frames_in(folder: Path) -> tuple[str, ...]:
    """``frames/01.png`` … present in a lesson folder, in slide order."""
    frames = folder / "frames"
    if not frames.is_dir():
        return ()
    pngs = [p for p in frames.iterdir() if p.suffix.lower() == ".png" and p.stem.isdigit()]
    return tuple(f"frames/{p.name}" for p in sorted(pngs, key=lambda p: int(p.stem)))


def lesson_warnings(storyboard: Storyboard, budget: Budget, extra: Sequence[object] = ()) -> tuple[str, ...]:
    """The warnings a report shows: the storyboard's, then ``extra`` (deck fit…), then budget advice.

    Warnings that carry a source read ``<file name>:<line>: <message>``: the reviewer knows
    which lesson the page is about, and the build folder's absolute path is only noise there.
    """
    lines = []
    for w in (*storyboard.warnings, *extra):
        source = getattr(w, "source", None)
        message = getattr(w, "message", None)
        if isinstance(source, Source) and isinstance(message, str):
            lines.append(f"{os.path.basename(source.path)}:{source.line}: {message}")
        else:
            lines.append(str(w))
    return (*lines, *advice(budget))


# --- page data ------------------------------------------------------------------------------


def _render(name: str, context: dict[str, Any], templates: Path | None) -> str:
    """Template ``name`` rendered; a course's broken template is an error naming its file (and line)."""
    try:
        return _environment(templates).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"page template: {exc.message}", exc.filename or name, exc.lineno) from exc
    except jinja2.TemplateError as exc:
        where = templates / name if templates and (templates / name).is_file() else TEMPLATES / name
        raise ConfigError(f"page template: {exc}", where) from exc


def _environment(templates: Path | None) -> jinja2.Environment:
    # A course's own templates come first; any it does not override are the package's.
    # Autoescape every template, whatever its name: lesson text is untrusted.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*([templates] if templates else []), TEMPLATES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True, slots=True)
class _Row:
    """One slide as the report shows it: timing, chapter start, frame and notes."""

    n: int
    title: str
    words: int
    estimate_s: float
    audio_s: float | None
    start_s: float
    start_estimated: bool
    estimate_pct: float
    audio_pct: float | None
    frame: str | None
    notes: tuple[str, ...]
    layout: str
    warnings: tuple[str, ...] = field(default=())
    builds: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True, slots=True)
class _Heard:
    """A word the recognizer heard differently from the script, placed in the video."""

    kind: str  # "missed", "substituted", "added"
    expected: str
    heard: str
    at_s: float  # seconds into the video
    note: str = ""  # the lexicon's respelling of the word, when it has one
    as_respelled: bool = False  # heard as that respelling reads


@dataclass(frozen=True, slots=True)
class _HeardSlide:
    n: int
    title: str
    wer: float
    verdict: str
    reason: str
    heard: str
    words: tuple[_Heard, ...]


def _hearing_view(hearing: NarrationHearing | None, rows: dict[int, _Row]) -> dict[str, Any] | None:
    """The narration check as the page shows it: every time counted from the video's start."""
    if hearing is None:
        return None
    respelled = {(w.slide, w.error): w.respelling for w in hearing.lexicon_heard}
    slides = []
    for slide in hearing.slides:
        row = rows[slide.n]
        words = tuple(
            _Heard(e.kind, e.expected, e.heard, round(row.start_s + e.start_s, 2), respelled.get((slide.n, e), ""))
            for e in slide.errors
        )
        slides.append(_HeardSlide(slide.n, row.title, slide.wer, slide.verdict, slide.reason, slide.heard, words))
    lexicon = [
        _Heard(
            w.error.kind,
            w.error.expected,
            w.error.heard,
            round(rows[w.slide].start_s + w.error.start_s, 2),
            w.respelling,
            w.as_respelled,
        )
        for w in hearing.lexicon_heard
    ]
    suggestions = [(s, [round(rows[n].start_s + at, 2) for n, at in s.times]) for s in hearing.suggestions]
    return {
        "voice": hearing.voice,
        "wer": hearing.wer,
        "threshold": hearing.threshold,
        "slides": slides,
        "flagged": sum(1 for s in slides if s.verdict != "ok"),
        "lexicon": lexicon,
        "suggestions": suggestions,
    }


def _report_context(report: LessonReport, captions_file: Path | None) -> dict[str, Any]:
    storyboard, budget = report.storyboard, report.budget
    measured = budget.measured
    longest = max((max(s.estimate_s, s.audio_s or 0.0) for s in budget.slides), default=0.0) or 1.0
    frames = {_frame_number(f): f for f in report.frames}
    rows = []
    elapsed = 0.0
    for slide, timing in zip(storyboard.slides, budget.slides, strict=True):
        start = timing.start_s if timing.start_s is not None else elapsed
        rows.append(
            _Row(
                n=slide.n,
                title=slide.title,
                words=timing.words,
                estimate_s=timing.estimate_s,
                audio_s=timing.audio_s,
                start_s=start,
                start_estimated=timing.start_s is None,
                estimate_pct=_pct(timing.estimate_s, longest),
                audio_pct=_pct(timing.audio_s, longest) if timing.audio_s is not None else None,
                frame=frames.get(slide.n),
                notes=tuple(p.strip() for p in slide.speaker_notes.split("\n\n") if p.strip()),
                layout=slide.layout,
                warnings=tuple(w.message for w in storyboard.warnings if w.slide == slide.n),
                builds=report.builds.get(slide.n, ()),
            )
        )
        elapsed = start + timing.duration_s
    files = set(report.files)
    return {
        "r": report,
        "sb": storyboard,
        "budget": budget,
        "rows": rows,
        "measured": measured,
        "status": report.verdict,
        "status_label": STATUS_LABELS.get(report.verdict, report.verdict.replace("_", " ")),
        "timeline": _timeline(budget),
        "downloads": [(name, label) for name, label in DOWNLOADS if name in files],
        "has_video": "video.mp4" in files,
        "captions_src": _captions_src(captions_file) if "captions.vtt" in files else None,
        "contact": next((n for n in ("contact.png", "contact-sheet.png") if n in files), None),
        "coverage": _coverage_groups(report.coverage),
        "hearing": _hearing_view(report.hearing, {row.n: row for row in rows}),
        "uncovered": sum(1 for c in report.coverage if not c.covered),
        "clock": clock,
        "seconds": _seconds,
    }


def _timeline(budget: Budget) -> dict[str, Any]:
    """The total-duration bar: one segment per slide on a scale that fits the target and the cap."""
    total = budget.duration_s
    scale = max(total, budget.target_s or 0.0, budget.cap_s or 0.0) * 1.08 or 1.0
    segments = []
    start = 0.0
    for s in budget.slides:
        segments.append({"n": s.n, "title": s.title, "left": _pct(start, scale), "width": _pct(s.duration_s, scale)})
        start += s.duration_s
    marks = [
        {"kind": kind, "label": f"{label} {clock(value)}", "left": _pct(value, scale)}
        for kind, label, value in (("target", "target", budget.target_s), ("cap", "cap", budget.cap_s))
        if value is not None
    ]
    return {"segments": segments, "marks": marks, "total_pct": _pct(total, scale)}


def _coverage_groups(items: Sequence[Coverage]) -> list[dict[str, Any]]:
    """Key terms first, then each quiz question with its answer parts, in the lesson's order."""
    groups: list[dict[str, Any]] = []
    terms = [c for c in items if c.kind == "term"]
    if terms:
        groups.append({"heading": "Key terms", "items": terms})
    for c in items:
        if c.kind != "answer":
            continue
        if not groups or groups[-1]["heading"] != c.question:
            groups.append({"heading": c.question, "items": []})
        groups[-1]["items"].append(c)
    return groups


def _captions_src(path: Path | None) -> str:
    """A data: URL of the captions when they are small enough to inline, else the relative name."""
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            log.warning("cannot inline %s: %s", path, exc)
        else:
            if len(data) <= INLINE_CAPTIONS_MAX_BYTES:
                return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")
    return "captions.vtt"


def _index_context(entries: Sequence[IndexEntry]) -> dict[str, Any]:
    rows = []
    for e in entries:
        scale = max(e.duration_s or 0.0, e.target_s or 0.0, e.cap_s or 0.0) * 1.08 or 1.0
        rows.append(
            {
                "e": e,
                "label": STATUS_LABELS.get(e.status, e.status.replace("_", " ")),
                "bar": _pct(e.duration_s or 0.0, scale),
                "target": _pct(e.target_s, scale) if e.target_s is not None else None,
                "cap": _pct(e.cap_s, scale) if e.cap_s is not None else None,
                "downloads": [(name, label) for name, label in DOWNLOADS if name in e.files],
            }
        )
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.status] = counts.get(e.status, 0) + 1
    summary = [(STATUS_LABELS.get(s, s), s, n) for s, n in sorted(counts.items(), key=lambda kv: _status_rank(kv[0]))]
    return {"rows": rows, "summary": summary, "clock": clock, "seconds": _seconds}


def _status_rank(status: str) -> int:
    """Worst first, so the summary leads with what needs attention."""
    order = ("failed", "over_cap", "over_target", "under_target", "ok", "unchecked")
    return order.index(status) if status in order else len(order)


def _pct(value: float | None, scale: float) -> float:
    return round(100.0 * (value or 0.0) / scale, 2) if scale else 0.0


def _seconds(value: float | None) -> str:
    """``12.345`` -> ``12.3 s``; ``125`` -> ``2 min 05 s`` (not ``2:05``, which reads as a lesson's length)."""
    if value is None:
        return "–"
    if value < 100:
        return f"{value:.1f} s"
    minutes, secs = divmod(round(value), 60)
    return f"{minutes} min {secs:02d} s"


def _frame_number(path: str) -> int | None:
    stem = os.path.splitext(os.path.basename(path))[0]
    return int(stem) if stem.isdigit() else None
