"""Command line: ``lecture-pipeline {budget,storyboard,deck,video,watch,new,doctor}`` (or ``python -m pipeline``).

The only place that prints, sets up logging and turns expected errors into ``path:line:
message`` and an exit status (2 for bad input, 1 for a lesson over its cap or a machine that
lacks a required tool). Run in a course folder: its ``course.yaml`` gives the options' defaults.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, build, course
from .budget import DEFAULT_WPM, clock, format_table, to_json
from .errors import PipelineError

log = logging.getLogger("pipeline")

EXIT_OK, EXIT_OVER_CAP, EXIT_BAD_INPUT, EXIT_BAD_OUTPUT = 0, 1, 2, 3
EXIT_MISSING_TOOL = 1  # doctor found a required piece missing


WPM_HELP = (
    "pace: words a minute of finished narration, pauses included, for words of average length "
    "(default %(default)s); long words and short sentences take longer"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    try:
        args = _parser(course.read_settings(Path(course.SETTINGS_NAME))).parse_args(argv)
        _configure_logging(args.verbose - args.quiet)
        return int(args.command(args))
    except PipelineError as exc:
        print(f"error: {exc}" if not exc.path else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser(course_settings: dict[str, object] | None = None) -> argparse.ArgumentParser:
    """The command line; ``course_settings`` (from course.yaml) are the options' defaults, so an option given wins."""
    parser = argparse.ArgumentParser(
        prog="lecture-pipeline",
        description="Turn lesson documents into decks, narration, captions and timed videos checked against a budget.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail (repeat for debug)")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="less output")
    sub = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    commands = []

    def command(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(command=func)
        commands.append(p)
        return p

    p = command("budget", cmd_budget, "words and estimated seconds per slide against the target and cap")
    _lesson_args(p)
    p.add_argument("--wpm", type=float, default=DEFAULT_WPM, help=WPM_HELP)
    p.add_argument("--json", action="store_true", help="print the timing.json document instead of the table")

    p = command("deck", cmd_deck, "write deck.pptx, deck.pdf, frames and a contact sheet under build/<lesson>/")
    _lesson_args(p)
    _build_args(p)

    p = command(
        "video", cmd_video, "build deck, narration, captions and video.mp4 for every lesson, checked against its cap"
    )
    _lesson_args(p)
    _build_args(p)
    _voice_args(p)
    p.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="lessons built at once (default %(default)s)"
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="build the lessons on this Dask cluster (tcp://host:8786)")
    _verify_args(p)

    p = command(
        "watch",
        cmd_watch,
        "serve build/ on localhost, rebuild lessons as their files change, and update the open review pages",
    )
    _lesson_args(p)
    _build_args(p)
    _voice_args(p)
    _verify_args(p)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default %(default)s; 0 picks a free one)")

    p = command("storyboard", cmd_storyboard, "write slides/<stem>.storyboard.yaml for the author to edit")
    _lesson_args(p)
    p.add_argument("--force", action="store_true", help="replace an existing storyboard file")

    p = command("new", cmd_new, "write a starter course into FOLDER: an example lesson, a lexicon, course.yaml")
    p.add_argument("folder", type=Path, metavar="FOLDER", help="a new or empty folder")

    p = command("doctor", cmd_doctor, "check that this machine has what a build needs, and say how to install the rest")
    p.add_argument("--theme", type=Path, default=None, help="theme whose fonts to check (default: the course's)")
    for p in commands:  # after the options exist: set_defaults then replaces their own defaults
        p.set_defaults(**(course_settings or {}))
    return parser


def _lesson_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "lessons", nargs="*", type=Path, metavar="LESSON", help="lesson files (default: every lesson in --slides)"
    )
    p.add_argument("--slides", type=Path, default=Path("slides"), help="folder of lessons (default %(default)s)")


def _build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--build", type=Path, default=Path("build"), help="output folder (default %(default)s)")
    p.add_argument(
        "--theme",
        type=Path,
        default=None,
        help="deck theme file (default: templates/theme.yaml in this folder if there is one, else the package's)",
    )
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")


def _voice_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", "--voice", dest="engine", default="pyttsx3", help="speech engine (default %(default)s)")
    p.add_argument("--voice-name", default="", help="the engine's voice (default: the engine's own)")
    p.add_argument("--wpm", type=float, default=DEFAULT_WPM, help=WPM_HELP)
    p.add_argument(
        "--fit",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="choose a pace within 130–180 wpm that lands between target and cap",
    )


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-builds",
        dest="builds",
        action="store_false",
        default=True,
        help="show every slide whole from its start (by default, list rows, cards, table rows and "
        "diagram boxes appear as the narration reaches them)",
    )
    p.add_argument(
        "--no-hearing",
        dest="hearing",
        action="store_false",
        default=True,
        help="do not check the narration with the speech recognizer (by default each slide's audio is "
        "transcribed and compared with the script)",
    )
    p.add_argument(
        "--verify",
        choices=build.VERIFY_MODES,
        default="changed",
        help="decode the whole video after a build (full), or what changed since the last clean check "
        "(changed: the audio, every slide change and new pictures; the default)",
    )


def _settings(args: argparse.Namespace) -> build.BuildSettings:
    build_dir = getattr(args, "build", Path("build"))  # budget has no outputs
    return build.BuildSettings(
        build_dir=build_dir,
        cache_dir=build_dir / ".cache",
        theme=_theme(args),
        engine=getattr(args, "engine", "pyttsx3"),
        voice=getattr(args, "voice_name", ""),
        pace_wpm=getattr(args, "wpm", DEFAULT_WPM),
        fit=getattr(args, "fit", False),
        sentence_pause_s=getattr(args, "sentence_pause_s", None),
        lead_in_s=getattr(args, "lead_in_s", None),
        hold_s=getattr(args, "hold_s", None),
        templates=course.course_templates(Path.cwd()),
        force=getattr(args, "force", False),
        verify=getattr(args, "verify", "changed"),
        builds=getattr(args, "builds", True),
        hearing=getattr(args, "hearing", True),
    )


def _theme(args: argparse.Namespace) -> Path | None:
    """The theme named by an option or course.yaml, else the course's own, else None (the package's)."""
    return getattr(args, "theme", None) or course.course_theme(Path.cwd())


def _configure_logging(level: int) -> None:
    """Warnings and errors always; progress lines unless --quiet; stage detail with -v, debug with -vv."""
    started = time.monotonic()

    class Elapsed(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return f"{time.monotonic() - started:6.1f}s {record.getMessage()}"

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if level > 1 else logging.INFO if level == 1 else logging.WARNING)
    progress = logging.getLogger("pipeline.progress")
    progress_handler = logging.StreamHandler(sys.stderr)
    progress_handler.setFormatter(Elapsed())
    progress.addHandler(progress_handler)
    progress.propagate = False
    progress.setLevel(logging.INFO if level >= 0 else logging.WARNING)


def _lessons(args: argparse.Namespace) -> list[Path]:
    """The lessons named (a folder stands for every lesson in it), or every lesson in ``--slides``."""
    named = list(args.lessons) or [args.slides]
    lessons = [
        found
        for path in named
        for found in (build.discover_lessons(path) if path.is_dir() or not args.lessons else [path])
    ]
    if not lessons:
        folder = next((path for path in named if path.is_dir()), args.slides)
        raise PipelineError("no lesson files (*.txt, *.md) found", folder)
    return lessons


def _each_lesson(args: argparse.Namespace, run: Callable[[Path], int]) -> int:
    """Run ``run`` for every lesson, reporting bad ones and going on; the worst exit status wins."""
    status = EXIT_OK
    for lesson in _lessons(args):
        try:
            status = max(status, run(lesson))
        except PipelineError as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, exc.exit_code)
    return status


def cmd_budget(args: argparse.Namespace) -> int:
    pace = _settings(args).narration().pace
    documents = []

    def one(lesson: Path) -> int:
        storyboard = build.load_storyboard(lesson)
        for warning in storyboard.warnings:
            print(warning, file=sys.stderr)
        budget = build.lesson_budget(storyboard, pace)
        if args.json:
            documents.append(to_json(budget))
        else:
            print(format_table(budget), end="\n\n")
        return EXIT_OVER_CAP if budget.status == "over_cap" else EXIT_OK

    status = _each_lesson(args, one)
    if args.json and documents:
        print(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2, ensure_ascii=False))
    return status


def cmd_deck(args: argparse.Namespace) -> int:
    settings = _settings(args)

    def one(lesson: Path) -> int:
        files = build.build_deck_only(lesson, settings)
        print(f"{lesson.stem}: {len(files) - 3} slides -> {files[0]}, {files[1].name}, {files[2].name}, frames/")
        return EXIT_OK

    return _each_lesson(args, one)


def cmd_video(args: argparse.Namespace) -> int:
    lessons = _lessons(args)
    settings = _settings(args)
    outcomes = build.build_many(lessons, settings, jobs=args.jobs, scheduler=args.scheduler)
    status = EXIT_OK
    for outcome in outcomes:
        if outcome.result is None:
            print(outcome.error, file=sys.stderr)
            status = max(status, outcome.exit_code)
            continue
        result = outcome.result
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        print(summary(result))
        if result.problems:
            status = max(status, EXIT_BAD_OUTPUT)
        elif result.status == "over_cap":
            status = max(status, EXIT_OVER_CAP)
    if len(outcomes) > 1:
        print(summary_table(outcomes))
    print(f"review: {build.write_index(settings.build_dir, outcomes, templates=settings.templates)}")
    return status


def summary(result: build.LessonBuild) -> str:
    """What a producer needs from one lesson's build: duration against target and cap, pass or fail."""
    b = result.budget
    lines = [
        f"{result.stem}: {clock(b.duration_s)} ({b.duration_s:.1f} s) against target {clock(b.target_s)}, "
        f"cap {clock(b.cap_s)}: {b.status.replace('_', ' ')}"
        + (" (unchanged)" if result.reused else f" [built in {result.seconds:.1f} s]")
    ]
    if b.status == "over_cap" and b.cap_s is not None:
        longest = sorted(b.slides, key=lambda s: s.duration_s, reverse=True)[:3]
        lines.append(
            f"  FAIL: over the cap by {b.duration_s - b.cap_s:.1f} s; longest slides: "
            + ", ".join(f"{s.n} {s.title!r} ({s.duration_s:.0f} s)" for s in longest)
        )
    elif b.status == "under_target" and b.target_s is not None:
        lines.append(f"  warning: under the target by {b.target_s - b.duration_s:.0f} s")
    lines.extend(f"  {line}" for line in result.advice)
    lines.extend(f"  FAIL: {problem}" for problem in result.problems)
    files = "video.mp4, deck.pptx, deck-narrated.pptx, deck.pdf, captions.vtt/.srt, timing.json"
    lines.append(f"  outputs: {result.out_dir}/ ({files})")
    return "\n".join(lines)


def summary_table(outcomes: Sequence[build.Outcome]) -> str:
    """One line per lesson: status, duration against cap, time taken."""
    width = max(len(o.lesson.stem) for o in outcomes)
    rows = [f"{'lesson':<{width}}  {'status':<12}  {'duration':>8}  {'cap':>5}  {'took':>6}"]
    for o in outcomes:
        r = o.result
        if r is None:
            rows.append(f"{o.lesson.stem:<{width}}  {'failed':<12}  {'–':>8}  {'–':>5}  {'–':>6}")
            continue
        status = "bad output" if r.problems else r.status.replace("_", " ")
        duration, cap = clock(r.budget.duration_s), clock(r.budget.cap_s)
        rows.append(f"{r.stem:<{width}}  {status:<12}  {duration:>8}  {cap:>5}  {r.seconds:>5.1f}s")
    return "\n".join(rows)


def cmd_watch(args: argparse.Namespace) -> int:
    """Serve and rebuild until Ctrl-C, which is how it ends: exit 0 once stopped cleanly."""
    from . import watch

    lessons = _lessons(args)

    def built(outcome: build.Outcome) -> None:
        if outcome.result is None:
            print(outcome.error, file=sys.stderr, flush=True)
            return
        for warning in outcome.result.warnings:
            print(warning, file=sys.stderr)
        print(summary(outcome.result), flush=True)

    session = watch.Session(
        lessons,
        _settings(args),
        slides=None if args.lessons else args.slides,
        port=args.port,
        on_build=built,
    )
    try:
        print(f"serving {args.build}/ at {session.url} (Ctrl-C to stop)", flush=True)
        for lesson in lessons:
            print(f"  {lesson.stem}: {session.url}{urllib.parse.quote(lesson.stem)}/report.html", flush=True)
        session.run()
    except KeyboardInterrupt:
        pass
    finally:
        session.close()  # waits for a build under way; a second Ctrl-C reaches main(): exit 130
    print("stopped", file=sys.stderr)
    return EXIT_OK


def cmd_storyboard(args: argparse.Namespace) -> int:
    def one(lesson: Path) -> int:
        path = build.write_storyboard_file(lesson, force=args.force)
        print(f"wrote {path}")
        return EXIT_OK

    return _each_lesson(args, one)


def cmd_new(args: argparse.Namespace) -> int:
    files = course.new_course(args.folder)
    for path in files:
        print(f"wrote {path}")
    print(
        f"next: cd {shlex.quote(str(args.folder))} && lecture-pipeline budget && lecture-pipeline video"
        " (then open build/index.html); README.md there explains the rest"
    )
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from . import doctor
    from .theme import DEFAULT_THEME

    checks = doctor.run_checks(_theme(args) or DEFAULT_THEME)
    print(doctor.format_report(checks))
    return EXIT_MISSING_TOOL if doctor.missing_required(checks) else EXIT_OK
