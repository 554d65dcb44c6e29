"""Building one lesson: each stage handed the data the previous one produced, under the lesson's lock.

Stages never call each other. The heavy stages (deck, narration, video) are imported when a build
needs them, so ``budget`` stays quick.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import budget as budget_mod
from .. import cache
from ..errors import LessonError
from ..model import Storyboard
from .inputs import BuildSettings, Inputs, load_storyboard, read_inputs
from .records import LessonBuild, reuse, write_stamp
from .steps import Build, builds_of, sentence_start, write_filmstrips, write_narrated_deck, write_steps
from .take import LessonTake, split_lesson_take

if TYPE_CHECKING:
    from ..deck import DeckResult
    from ..frames import RenderedDeck
    from ..hearing.check import NarrationHearing
    from ..media.captions import Cue
    from ..media.video import Shot
    from ..narration import Narration, NarrationSettings
    from ..report import IndexEntry, TakeNotes
    from ..theme import Theme

log = logging.getLogger(__name__)
# Progress lines go through their own logger so the CLI can show them (and worker processes
# inherit the same set-up) without any stage printing.
progress_log = logging.getLogger("pipeline.progress")

Progress = Callable[[str], None]


def out_dir_for(lesson: Path, settings: BuildSettings) -> Path:
    """``build/<stem>/`` for a lesson file; a name that would not give a folder of its own is refused.

    ``...txt`` has the stem ``..`` and ``..txt`` the stem ``.``: either would write outside its
    folder (or over ``build/`` itself), and a dotted name would hide the outputs.
    """
    if lesson.stem.startswith("."):
        raise LessonError(
            f"a lesson's file name must not start with a dot (its outputs would go to {lesson.stem!r}); rename it",
            lesson,
        )
    return settings.build_dir / lesson.stem


def build_lesson(lesson: Path, settings: BuildSettings, progress: Progress | None = None) -> LessonBuild:
    """Build every output of ``lesson`` under ``build/<stem>/``, reusing whatever is unchanged.

    Reads, plans and checks the lesson (and the theme and lexicon) before writing anything, and
    holds the lesson's lock while writing, so concurrent builds of one lesson take turns.
    """
    started = time.monotonic()
    out = out_dir_for(lesson, settings)
    say = progress or logged_progress(lesson.stem)
    inputs = read_inputs(lesson, settings)
    with contextlib.closing(inputs.engine), lesson_lock(settings.build_dir, lesson.stem, say):
        remove_leftovers(out, say)
        key = inputs.key
        reused = None if settings.force else reuse(out, key, inputs.storyboard, inputs.voice)
        if reused is not None:
            say("unchanged, nothing to rebuild")
            return replace(reused, seconds=time.monotonic() - started, advice=inputs.advice)
        # The cache is shared by every lesson's build: its own leftovers are removed only when no
        # other build is using it (see cache.shared_folder).
        with cache.shared_folder(settings.cache_dir) as removed:
            if removed:
                say(f"removed {_count(removed)} left in the cache by interrupted builds")
            result, entry = _produce(inputs, out, settings, say, started)
        write_stamp(out, key, result, entry)
        return result


@dataclass(frozen=True, slots=True)
class _Made:
    """The deck, its frames and the narration, made side by side."""

    deck: DeckResult
    rendered: RenderedDeck
    builds: tuple[Build, ...]
    narration: Narration
    voice: NarrationSettings
    advice: tuple[str, ...]
    take: LessonTake | None  # the narrator's single take, split onto the slides


def _produce(
    inputs: Inputs, out: Path, settings: BuildSettings, say: Progress, started: float
) -> tuple[LessonBuild, IndexEntry]:
    """Run every stage: deck and frames with narration, captions, video, verification, timing.json, report."""
    storyboard = inputs.storyboard
    # The recognizer listens to the narration while the video is made from it; it gets its model
    # ready while the narration is synthesized.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="hearing") as ear:
        made = _pictures_and_narration(inputs, out, settings, say, ear)
        budget = budget_mod.with_audio(
            budget_mod.estimate(storyboard, made.voice.pace), [s.duration_s for s in made.narration.slides]
        )
        heard = ear.submit(_hear, inputs, made, settings.cache_dir, say)
        cues = _captions(made.narration, budget, out)
        work = settings.cache_dir / "video"
        shots, pieces = _video(storyboard, made, cues, out, work, say)
        strips = _build_strips(storyboard, made, budget, out)
        # The narrated deck takes its sounds from the video's encoded narration; it and the filmstrips
        # are written while the video is checked.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="narrated") as side:
            narrated = side.submit(
                write_narrated_deck, made.deck, made.builds, made.narration, inputs.theme, out, pieces
            )
            filmstrips = side.submit(write_filmstrips, strips, out)
            problems = _verify(out, budget, shots, full=settings.verify == "full", say=say)
            narrated.result()
            filmstrips.result()
        hearing = heard.result()
    if hearing is not None:
        problems.extend(f"narration of slide {s.n}: {s.reason}" for s in hearing.broken)
    timing = budget_mod.to_json(budget, wer=_wer_by_slide(hearing))
    cache.write_text_atomic(out / "timing.json", json.dumps(timing, indent=2, ensure_ascii=False))
    return _report(inputs, made, budget, strips, problems, hearing, out, time.monotonic() - started)


def _hear(inputs: Inputs, made: _Made, cache_dir: Path, say: Progress) -> NarrationHearing | None:
    """Each slide's narration transcribed (or its transcript reused) and set against the script."""
    if inputs.recognizer is None or not inputs.hearing:
        say(inputs.hearing_notice)
        return None
    from ..hearing import check
    from ..hearing.recognizer import TranscriptCache

    transcripts = TranscriptCache(cache_dir)
    slides = []
    for i, audio in enumerate(made.narration.slides, 1):
        # A sentence a narrator's take skipped has no time: it is listed with the take, not heard for here.
        said = [s.text for s in audio.sentences if s.end_s > s.start_s]
        slides.append((audio.n, said, transcripts.heard(audio.path, inputs.recognizer)))
        say(f"hearing [{i}/{len(made.narration.slides)}] slide {audio.n} transcribed")
    # A narrator's voice is not a TTS voice the corpus measured: it gets the default thresholds.
    recorded = all(audio.recorded for audio in made.narration.slides)
    hearing = check.hear_narration(
        slides,
        voice=check.RECORDED if recorded else check.voice_key(made.voice.engine, made.voice.voice),
        lexicon=inputs.lexicon.entries,
    )
    say(f"hearing: {hearing.wer:.0%} of the script's words misheard; {len(hearing.broken)} slide(s) broken")
    return hearing


def _wer_by_slide(hearing: NarrationHearing | None) -> dict[int, float]:
    return {s.n: s.wer for s in hearing.slides} if hearing is not None else {}


def _pictures_and_narration(
    inputs: Inputs, out: Path, settings: BuildSettings, say: Progress, ear: concurrent.futures.Executor
) -> _Made:
    """The deck, its frames and their encoded pictures beside the narration: they need nothing from
    each other (LibreOffice and x264 on one side, speech synthesis on the other). When a sentence
    is to be synthesized, the recognizer loads its model on ``ear`` once the pictures are done: the
    new audio will be heard."""
    from ..media import video
    from ..narration import fit_rate, narrate

    storyboard = inputs.storyboard

    def pictures() -> tuple[DeckResult, RenderedDeck, tuple[Build, ...]]:
        deck_result, rendered, builds = _deck_and_frames(storyboard, inputs.theme, out, settings.force, say, steps=True)
        # Encoded beside the narration, on both cores: synthesis often finishes first and leaves one idle.
        pictures = [
            [step.picture or frame for step in build] or [frame]
            for build, frame in zip(builds, rendered.frames, strict=True)
        ]
        video.encode_ahead(pictures, settings.cache_dir / "video")
        return deck_result, rendered, builds

    def speak(voice: NarrationSettings) -> Narration:
        def narration_progress(i: int, total: int, message: str) -> None:
            say(f"narration [{i}/{total}] {message}")

        return narrate(
            storyboard,
            voice,
            cache_dir=settings.cache_dir,
            out_dir=out / "audio",
            lexicon=inputs.lexicon,
            recordings_dir=inputs.recordings,
            takes=take.pieces if take is not None else None,
            progress=narration_progress,
            engine=inputs.engine,
            on_synthesis=warm_up,
        )

    def warm_up() -> None:
        recognizer = inputs.recognizer
        if recognizer is not None and inputs.hearing:
            # Once the pictures are encoded: the model's memory beside LibreOffice's and x264's
            # would only raise the build's peak. A failure shows again when the narration is heard.
            visuals.add_done_callback(lambda _: ear.submit(recognizer.warm_up))

    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pictures") as side:
        visuals = side.submit(pictures)
        take = (
            split_lesson_take(inputs.take, storyboard, inputs.recognizer, settings.cache_dir, say)
            if inputs.take is not None and inputs.recognizer is not None
            else None
        )
        voice, advice = inputs.voice, inputs.advice
        narration = speak(voice)
        if settings.fit:
            # The first pace came from an estimate; the measured narration may still miss, so refit once.
            refit = fit_rate(storyboard, storyboard.target_s, storyboard.cap_s, settings=voice, narration=narration)
            advice = (refit.message,)
            if abs(refit.pace_wpm - voice.pace_wpm) >= 2:
                voice = replace(voice, pace_wpm=refit.pace_wpm)
                narration = speak(voice)
        deck_result, rendered, builds = visuals.result()
    return _Made(deck_result, rendered, builds, narration, voice, advice, take)


def _captions(narration: Narration, budget: budget_mod.Budget, out: Path) -> tuple[Cue, ...]:
    """The captions from the narration's sentence timings, written as WebVTT and SRT; the cues returned."""
    from ..media import captions

    timeline = [
        (sentence.text, (slide.start_s or 0.0) + sentence.start_s, (slide.start_s or 0.0) + sentence.end_s)
        for audio, slide in zip(narration.slides, budget.slides, strict=True)
        for sentence in audio.sentences
        if sentence.end_s > sentence.start_s  # a sentence a narrator's take skipped is not captioned
    ]
    cues = captions.make_cues(timeline)
    cache.write_text_atomic(out / "captions.vtt", captions.to_vtt(cues))
    cache.write_text_atomic(out / "captions.srt", captions.to_srt(cues))
    return cues


def _video(
    storyboard: Storyboard, made: _Made, cues: Sequence[Cue], out: Path, work: Path, say: Progress
) -> tuple[list[Shot], tuple[Path, ...]]:
    """Write video.mp4; return its shots (every picture with its frames) and each slide's encoded narration."""
    from ..media import video

    say("video: assembling video.mp4")
    segments = [
        video.Segment(
            title=slide.title,
            frame=frame,
            audio=audio.path,
            duration_s=audio.duration_s,
            builds=tuple((sentence_start(audio, step.sentence), step.picture or frame) for step in build),
        )
        for slide, frame, audio, build in zip(
            storyboard.slides, made.rendered.frames, made.narration.slides, made.builds, strict=True
        )
    ]
    title = f"{storyboard.code} — {storyboard.title}".strip(" —")
    pieces = video.assemble(segments, out / "video.mp4", title=title, cues=cues, work_dir=work)
    return video.shots(segments, video.timeline([s.duration_s for s in segments])), pieces


def _report(
    inputs: Inputs,
    made: _Made,
    budget: budget_mod.Budget,
    strips: dict[int, tuple[tuple[float, str], ...]],
    problems: list[str],
    hearing: NarrationHearing | None,
    out: Path,
    seconds: float,
) -> tuple[LessonBuild, IndexEntry]:
    """The review page written, and the build's result and index entry."""
    from .. import report
    from ..coverage import coverage

    storyboard = inputs.storyboard
    page = report.LessonReport(
        storyboard=storyboard,
        budget=budget,
        coverage=coverage(inputs.lesson, storyboard),
        warnings=report.lesson_warnings(storyboard, budget, made.deck.warnings),
        files=report.outputs_in(out),
        frames=report.frames_in(out),
        build_seconds=seconds,
        problems=tuple(problems),
        builds=strips,
        hearing=hearing,
        hearing_notice=inputs.hearing_notice,
        take=_take_notes(made, budget),
    )
    report.render_lesson_report(page, out, templates=inputs.templates)
    result = LessonBuild(
        stem=storyboard.stem,
        out_dir=out,
        budget=budget,
        warnings=tuple(str(w) for w in (*storyboard.warnings, *made.deck.warnings)),
        problems=tuple(problems),
        seconds=seconds,
        pace_wpm=made.voice.pace_wpm,
        advice=made.advice,
    )
    return result, report.IndexEntry.from_report(page)


def _take_notes(made: _Made, budget: budget_mod.Budget) -> TakeNotes | None:
    """The take's departures from the script, each placed in the video.

    A piece of the take keeps its sounds in order, so a moment of it is as far from the slide's
    first heard sentence in the video as it was in the take.
    """
    from ..report import TakeDeparture, TakeNotes

    if made.take is None:
        return None
    pieces = {piece.n: piece for piece in made.take.split.slides}
    offsets = {}
    for audio, timing in zip(made.narration.slides, budget.slides, strict=True):
        piece = pieces.get(audio.n)
        if piece is None:
            continue
        for said, span in zip(audio.sentences, piece.sentences, strict=False):
            if span is not None:
                offsets[audio.n] = (timing.start_s or 0.0) + said.start_s - (piece.start_s + span[0])
                break
    departures = tuple(
        TakeDeparture(d.kind, d.slide, d.text, round(max(0.0, d.start_s + offsets.get(d.slide, 0.0)), 2))
        for d in made.take.split.departures
    )
    return TakeNotes(made.take.path.name, made.take.split.matched, departures)


def _build_strips(
    storyboard: Storyboard, made: _Made, budget: budget_mod.Budget, out: Path
) -> dict[int, tuple[tuple[float, str], ...]]:
    """For the report: each building slide's pictures with the time each appears in the video."""
    strips = {}
    for slide, timing, audio, frame, build in zip(
        storyboard.slides, budget.slides, made.narration.slides, made.rendered.frames, made.builds, strict=True
    ):
        if build:
            start = timing.start_s or 0.0
            strips[slide.n] = tuple(
                (
                    round(start + sentence_start(audio, step.sentence), 2),
                    (step.picture or frame).relative_to(out).as_posix(),
                )
                for step in build
            )
    return strips


def build_deck_only(lesson: Path, settings: BuildSettings, progress: Progress | None = None) -> tuple[Path, ...]:
    """Write the deck, its PDF, frames and contact sheet for ``lesson``; return the files written."""
    from ..theme import DEFAULT_THEME, load_theme

    storyboard = load_storyboard(lesson)
    theme = load_theme(settings.theme or DEFAULT_THEME)
    out = out_dir_for(lesson, settings)
    say = progress or logged_progress(lesson.stem)
    with lesson_lock(settings.build_dir, lesson.stem, say):
        remove_leftovers(out, say)
        deck_result, rendered, _ = _deck_and_frames(storyboard, theme, out, settings.force, say)
    for warning in (*storyboard.warnings, *deck_result.warnings):
        log.warning("%s", warning)
    return (deck_result.path, rendered.pdf, rendered.contact_sheet, *rendered.frames)


def _deck_and_frames(
    storyboard: Storyboard, theme: Theme, out: Path, force: bool, say: Progress, *, steps: bool = False
) -> tuple[DeckResult, RenderedDeck, tuple[Build, ...]]:
    """The deck, its frames, and (with ``steps``) the pictures of its builds, rendered from a deck of
    its own by the same LibreOffice process."""
    from .. import deck, frames

    say("deck: writing deck.pptx")
    deck_result = deck.build_deck(storyboard, theme, out / "deck.pptx", force=force)
    planned = write_steps(storyboard, deck_result, theme, out) if steps else None
    decks = [d for d in planned.decks if d is not None] if planned is not None else []
    if decks:
        count = sum(len(states) - 1 for states in planned.states if states) if planned is not None else 0
        say(f"deck: rendering PDF, frames and {count} build step(s) with LibreOffice")
    else:
        say("deck: rendering PDF and frames with LibreOffice")
    rendered, *rendered_steps = frames.render_decks([(deck_result.path, out), *((d, d.parent) for d in decks)])
    if planned is None:
        return deck_result, rendered, ()
    by_deck = dict(zip(decks, (r.frames for r in rendered_steps), strict=True))
    pictures = [by_deck[d] if d is not None else () for d in planned.decks]
    return deck_result, rendered, builds_of(planned, pictures)


VERIFIED_NAME = ".verified.json"  # the encoded pictures a decode of this lesson's video found clean


def _verify(out: Path, budget: budget_mod.Budget, shots: Sequence[Shot], *, full: bool, say: Progress) -> list[str]:
    """Check the written video against the standards: probe it, check its frames' structure, decode it.

    The structure (every frame where the plan puts it, every picture starting on a keyframe) is
    read from the index. The decode covers what changed since the last clean check (``full``
    decodes it all): all of the audio (it decodes quickly), the video's ends, and the pictures
    that were not in the video last verified; the other pictures are the very bytes decoded then.
    """
    from ..media import verify, video
    from ..media.specs import VIDEO_TIMESCALE

    path = out / "video.mp4"
    info = verify.probe(path)
    problems = list(verify.check(info, len(budget.slides)))
    if abs(info.duration_s - budget.duration_s) > 0.1:
        problems.append(f"video lasts {info.duration_s:.2f} s but the narration {budget.duration_s:.2f} s")
    clips = [video.shot_keys(shot) for shot in shots]
    pictures = [key for keys in clips for key in keys]
    verified = set() if full else _verified_pictures(out)
    spans = verify.changed_spans(
        [shot.start / video.FPS for shot in shots], info.duration_s, [not set(keys) <= verified for keys in clips]
    )
    decoded = sum(length for _, length in spans)
    say(f"verify: probing video.mp4 and decoding {'all' if full else f'{decoded:.0f} s of {info.duration_s:.0f} s'}")
    keyframes = sorted({frame for shot in shots for frame in (shot.start, shot.start + shot.fade)})
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="joins") as side:
        joins = side.submit(
            verify.join_problems, path, keyframes, shots[-1].end, fps=video.FPS, time_base=VIDEO_TIMESCALE
        )
        errors = (
            verify.decode_errors(path, duration_s=info.duration_s)
            if full
            else verify.decode_changed(path, spans, info.duration_s)
        )
        problems.extend(f"frames: {line}" for line in joins.result())
    problems.extend(f"decode: {line}" for line in errors)
    if errors:
        (out / VERIFIED_NAME).unlink(missing_ok=True)
    else:
        cache.write_text_atomic(out / VERIFIED_NAME, json.dumps({"pictures": sorted(set(pictures))}))
    return problems


def _verified_pictures(out: Path) -> set[str]:
    """The pictures the last clean decode of ``out``'s video covered (none when unknown)."""
    try:
        return set(json.loads((out / VERIFIED_NAME).read_text(encoding="utf-8"))["pictures"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


# --- locks, leftovers, progress --------------------------------------------------------------------


def logged_progress(stem: str) -> Progress:
    def say(message: str) -> None:
        progress_log.info("[%s] %s", stem, message)

    return say


@contextlib.contextmanager
def lesson_lock(build_dir: Path, stem: str, say: Progress) -> Iterator[None]:
    """Hold an exclusive lock on one lesson's outputs, so two builds of it run one after the other.

    The lock is an ``flock`` on ``build/.locks/<stem>.lock``: the kernel releases it when the
    process dies, so a killed build never leaves a stale lock behind.
    """
    locks = build_dir / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{stem}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("waiting for another build of this lesson to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(out: Path, say: Progress) -> None:
    """Remove what interrupted builds of this lesson left in its folder: temporary files and folders.

    Called with the lesson's lock held, so no build of this lesson is running: every temporary
    name in its folder belongs to a build that is gone. Other lessons' folders are not touched.
    """
    if out.is_dir():
        removed = cache.remove_temporaries(out)
        if removed:
            say(f"removed {_count(removed)} left by an interrupted build")


def _count(paths: Sequence[Path]) -> str:
    return f"{len(paths)} temporary file{'s' if len(paths) != 1 else ''}"
