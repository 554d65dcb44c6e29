"""Command line: ``python -m pipeline {budget,storyboard,…}``.

The only place that prints, sets up logging and turns expected errors into ``path:line:
message`` and an exit status (2 for bad input, 1 for a lesson over its cap).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, build
from .budget import DEFAULT_WPM, Pace, format_table, to_json
from .errors import PipelineError

log = logging.getLogger("pipeline")

EXIT_OK, EXIT_OVER_CAP, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = _parser().parse_args(argv)
    _configure_logging(args.verbose - args.quiet)
    try:
        return int(args.command(args))
    except PipelineError as exc:
        print(f"error: {exc}" if not exc.path else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail (repeat for debug)")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="less output")
    sub = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(command=func)
        return p

    p = command("budget", cmd_budget, "words and estimated seconds per slide against the target and cap")
    _lesson_args(p)
    p.add_argument(
        "--wpm", type=float, default=DEFAULT_WPM, help="speaking pace in words per minute (default %(default)s)"
    )
    p.add_argument("--json", action="store_true", help="print the timing.json document instead of the table")

    p = command("storyboard", cmd_storyboard, "write slides/<stem>.storyboard.yaml for the author to edit")
    p.add_argument("lessons", nargs="+", type=Path, metavar="LESSON")
    p.add_argument("--force", action="store_true", help="replace an existing storyboard file")
    return parser


def _lesson_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "lessons", nargs="*", type=Path, metavar="LESSON", help="lesson files (default: every lesson in --slides)"
    )
    p.add_argument("--slides", type=Path, default=Path("slides"), help="folder of lessons (default %(default)s)")


def _configure_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(
        {-1: logging.WARNING, 0: logging.WARNING, 1: logging.INFO}.get(
            level, logging.DEBUG if level > 1 else logging.ERROR
        )
    )


def _lessons(args: argparse.Namespace) -> list[Path]:
    lessons = list(args.lessons) or build.discover_lessons(args.slides)
    if not lessons:
        raise PipelineError("no lesson files (*.txt, *.md) found", args.slides)
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
    pace = Pace(wpm=args.wpm)
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


def cmd_storyboard(args: argparse.Namespace) -> int:
    def one(lesson: Path) -> int:
        path = build.write_storyboard_file(lesson, force=args.force)
        print(f"wrote {path}")
        return EXIT_OK

    return _each_lesson(args, one)
