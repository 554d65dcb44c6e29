"""Turn a storyboard's narration into one finished WAV per slide with sentence timings."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import atomic_path, file_digest
from ..errors import ConfigError
from ..model import Slide, Storyboard
from ..text import split_sentences
from . import audio
from .engines.base import SpeechEngine, get_engine
from .lexicon import Lexicon
from .models import Narration, NarrationSettings, Recording, SlideAudio, TimedSentence
from .store import NarrationCache, sentence_key, slide_key
from .wavfile import read_wav_info

log = logging.getLogger(__name__)

RECORDING_SUFFIXES = (".wav", ".mp3", ".m4a")

Progress = Callable[[int, int, str], None]


def narrate(
    storyboard: Storyboard,
    settings: NarrationSettings,
    *,
    cache_dir: Path,
    out_dir: Path,
    lexicon: Lexicon,
    recordings_dir: Path | None = None,
    takes: Mapping[int, Recording] | None = None,
    progress: Progress | None = None,
    engine: SpeechEngine | None = None,
    on_synthesis: Callable[[], None] | None = None,
) -> Narration:
    """Narrate every slide of ``storyboard`` into ``out_dir/NN.wav`` and return the timings.

    Each slide's narration is split into sentences; each sentence is respelled with ``lexicon``,
    synthesized (or taken from the cache under ``cache_dir``), trimmed, joined with
    ``settings.sentence_pause_s`` pauses between a lead-in and a hold, normalised to about
    -16 LUFS and resampled to 48 kHz. A narrator's file ``recordings_dir/NN.wav`` (or ``.mp3``,
    ``.m4a``) replaces that slide's synthetic speech; so does a slide's piece of a single take
    (``takes``, by slide number), whose sentences are timed as they were heard in it. A slide's own
    file wins over its piece of a take. ``progress(i, total, message)`` is called after each slide;
    ``on_synthesis()`` once, as soon as it is known that some sentence is not in the cache (so a
    caller can get ready for new audio while it is made).

    ``engine`` is the engine named by ``settings.engine``, made by the caller, who closes it (a
    build makes one for its key and every narration); without it one is made and closed here.
    """
    cache = NarrationCache(cache_dir)
    out_dir = Path(out_dir)
    total = len(storyboard.slides)
    slides: list[SlideAudio] = []
    # One pool for every slide's missing sentences: the cores stay busy synthesizing later
    # slides while earlier ones are joined and normalised. Each synthesis is its own child
    # process, so threads are enough to use the cores.
    workers = max(1, min(os.cpu_count() or 1, 4))
    recordings = {slide.n: _recording(recordings_dir, takes or {}, slide.n) for slide in storyboard.slides}
    with _engine_for(settings, engine) as engine, ThreadPoolExecutor(workers, thread_name_prefix="tts") as pool:
        identity = engine.identity()  # the same for every sentence; it may hash a voice model
        plans = {
            slide.n: _plan_sentences(slide, settings, identity, lexicon, cache)
            for slide in storyboard.slides
            if recordings[slide.n] is None
        }
        pending = _submit_missing(plans.values(), pool, engine, settings, cache)
        if pending and on_synthesis is not None:
            on_synthesis()
        for i, slide in enumerate(storyboard.slides, 1):
            recording = recordings[slide.n]
            if recording is not None:
                result = _recorded_slide(slide, recording, settings, cache, out_dir)
            else:
                for key in plans[slide.n].missing:
                    pending[key].result()  # re-raises the synthesis error, if any
                result = _synthetic_slide(slide, plans[slide.n], settings, cache, out_dir)
            message = _told(slide.n, result, recording)
            log.info(message)
            slides.append(result)
            if progress is not None:
                progress(i, total, message)
    return Narration(
        tuple(slides),
        engine=settings.engine,
        voice=settings.voice,
        pace_wpm=settings.pace_wpm,
        speaking_wpm=settings.speaking_wpm,
    )


def _submit_missing(
    plans: Iterable[_SentencePlan],
    pool: ThreadPoolExecutor,
    engine: SpeechEngine,
    settings: NarrationSettings,
    cache: NarrationCache,
) -> dict[str, Future[None]]:
    """Start synthesizing every sentence missing from the cache, each once however often it is said."""
    pending: dict[str, Future[None]] = {}
    for plan in plans:
        for key, text in plan.missing.items():
            if key not in pending:
                pending[key] = pool.submit(_synthesize_one, engine, key, text, settings, cache)
    return pending


def _recording(recordings_dir: Path | None, takes: Mapping[int, Recording], n: int) -> Recording | None:
    """Slide ``n``'s own recording, else its piece of a take, else None (it is synthesized)."""
    own = find_recording(recordings_dir, n)
    return Recording(own) if own is not None else takes.get(n)


def _told(n: int, result: SlideAudio, recording: Recording | None) -> str:
    """The progress line for a finished slide."""
    if recording is not None:
        return f"slide {n}: recording {recording.path.name} ({result.duration_s:.1f}s)"
    reused = len(result.sentences) - result.synthesized
    return (
        f"slide {n}: {len(result.sentences)} sentences, {result.synthesized} synthesized, "
        f"{reused} cached ({result.duration_s:.1f}s)"
    )


@contextlib.contextmanager
def _engine_for(settings: NarrationSettings, engine: SpeechEngine | None) -> Iterator[SpeechEngine]:
    """The caller's engine, checked against the settings; else a new one, closed afterwards."""
    if engine is not None:
        if engine.name != settings.engine:
            raise ValueError(f"narrate() was given the {engine.name!r} engine for settings naming {settings.engine!r}")
        yield engine
        return
    with contextlib.closing(get_engine(settings.engine)) as own:  # engines may keep workers between sentences
        yield own


def find_recording(recordings_dir: Path | None, n: int) -> Path | None:
    """The narrator's file for slide ``n`` (``03.wav``, ``3.mp3``, …), if there is one."""
    if recordings_dir is None or not recordings_dir.is_dir():
        return None
    for stem in (f"{n:02d}", str(n)):
        for suffix in RECORDING_SUFFIXES:
            candidate = recordings_dir / f"{stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


@dataclass(frozen=True, slots=True)
class _SentencePlan:
    """A slide's sentences as written, their cache keys, and the ones not cached yet."""

    written: tuple[str, ...]
    keys: tuple[str, ...]
    missing: dict[str, str]  # key -> spoken text


def _plan_sentences(
    slide: Slide, settings: NarrationSettings, identity: str, lexicon: Lexicon, cache: NarrationCache
) -> _SentencePlan:
    written = split_sentences(slide.narration)
    spoken = [lexicon.apply(s) for s in written]
    speaking_wpm = settings.speaking_wpm
    keys = tuple(
        sentence_key(
            text,
            engine=settings.engine,
            identity=identity,
            voice=settings.voice,
            speaking_wpm=speaking_wpm,
            finishing=audio.FINISHING,
        )
        for text in spoken
    )
    missing = {key: text for key, text in zip(keys, spoken, strict=True) if not cache.sentence(key).exists()}
    return _SentencePlan(written, keys, missing)


def _synthetic_slide(
    slide: Slide, plan: _SentencePlan, settings: NarrationSettings, cache: NarrationCache, out_dir: Path
) -> SlideAudio:
    if not plan.written:
        return _silent_slide(slide, settings, out_dir)
    key = slide_key(
        list(plan.keys),
        pause_s=settings.sentence_pause_s,
        lead_in_s=settings.lead_in_s,
        hold_s=settings.hold_s,
        finishing=audio.FINISHING,
    )
    meta = cache.read_slide(key)
    if meta is None:
        meta = _finish_synthetic(slide, [cache.sentence(k) for k in plan.keys], settings, cache, key)
    times = meta["times"]
    sentences = tuple(TimedSentence(text, start, end) for text, (start, end) in zip(plan.written, times, strict=True))
    path = _publish(cache.slide(key), out_dir, slide.n)
    synthesized = len(plan.missing)
    return SlideAudio(slide.n, path, float(meta["duration_s"]), sentences, recorded=False, synthesized=synthesized)


def _synthesize_one(
    engine: SpeechEngine, key: str, text: str, settings: NarrationSettings, cache: NarrationCache
) -> None:
    with tempfile.TemporaryDirectory(prefix="narration-") as tmp:
        raw = Path(tmp) / "raw.wav"
        engine.synthesize(text, raw, voice=settings.voice, speaking_wpm=settings.speaking_wpm)
        clip = audio.trim(audio.load_wav(raw))
        # Written to a temporary name and renamed: a failure never leaves a cache entry.
        with atomic_path(cache.sentence(key)) as entry:
            audio.export_wav(clip, entry)


def _finish_synthetic(
    slide: Slide, clips: Sequence[Path], settings: NarrationSettings, cache: NarrationCache, key: str
) -> dict[str, Any]:
    segments = [audio.load_wav(p) for p in clips]
    first = segments[0]
    joined = audio.silence(settings.lead_in_s, first)
    times: list[tuple[float, float]] = []
    for i, seg in enumerate(segments):
        if i:
            joined += audio.silence(settings.sentence_pause_s, first)
        start = audio.seconds(joined)
        joined += seg
        times.append((round(start, 3), round(audio.seconds(joined), 3)))
    joined += audio.silence(settings.hold_s, first)
    return _normalise_into_cache(slide, joined, times, cache, key)


def _normalise_into_cache(
    slide: Slide,
    joined: audio.AudioSegment,
    times: list[tuple[float, float]],
    cache: NarrationCache,
    key: str,
    *,
    trimmed_s: float | None = None,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="narration-") as tmp:
        raw = Path(tmp) / "joined.wav"
        audio.export_wav(joined, raw)
        with atomic_path(cache.slide(key)) as finished:
            audio.normalise(raw, finished, what=f"slide {slide.n}")
            audio.pad_to_whole_frames(finished)
            duration = read_wav_info(finished).duration_s
    # Microseconds: the video counts a slide's samples from this, and needs every one of them.
    meta: dict[str, Any] = {"times": times, "duration_s": round(duration, 6)}
    if trimmed_s is not None:  # a recording's: the silence cut from its start
        meta["trimmed_s"] = round(trimmed_s, 4)
    cache.write_slide_meta(key, meta)
    return meta


def _recorded_slide(
    slide: Slide, recording: Recording, settings: NarrationSettings, cache: NarrationCache, out_dir: Path
) -> SlideAudio:
    written = split_sentences(slide.narration)
    key = slide_key(
        ["recording", file_digest(recording.path)],
        pause_s=0.0,
        lead_in_s=settings.lead_in_s,
        hold_s=settings.hold_s,
        finishing=audio.FINISHING,
    )
    meta = cache.read_slide(key)
    if meta is None or "trimmed_s" not in meta:
        with tempfile.TemporaryDirectory(prefix="narration-") as tmp:
            decoded = Path(tmp) / "decoded.wav"
            audio.decode_to_wav(recording.path, decoded, what=f"reading the recording for slide {slide.n}")
            whole = audio.load_wav(decoded)
            trimmed_s, speech = audio.trim_with_offset(whole)
            if len(speech) == 0:
                raise ConfigError(f"the recording for slide {slide.n} is silent", recording.path)
        joined = audio.silence(settings.lead_in_s, speech) + speech + audio.silence(settings.hold_s, speech)
        speech_span = (settings.lead_in_s, settings.lead_in_s + audio.seconds(speech))
        meta = _normalise_into_cache(slide, joined, [speech_span], cache, key, trimmed_s=trimmed_s)
    start, end = (float(t) for t in meta["times"][0])
    if recording.sentences is not None and len(recording.sentences) == len(written):
        # Heard times move with the trim: the speech now starts after the lead-in, not where it did.
        shift = start - float(meta["trimmed_s"])
        sentences = _heard_times(written, recording.sentences, shift, start, end)
    else:
        sentences = _proportional(written, start, end)
    path = _publish(cache.slide(key), out_dir, slide.n)
    return SlideAudio(slide.n, path, float(meta["duration_s"]), sentences, recorded=True)


def _heard_times(
    written: Sequence[str], heard: Sequence[tuple[float, float] | None], shift: float, start: float, end: float
) -> tuple[TimedSentence, ...]:
    """Sentences at the times they were heard, moved by ``shift`` and kept within the speech.

    A sentence the narrator skipped gets no time of its own: it sits, zero-length, where it would
    have been (after the sentence before it), so captions leave it out and cues still find it.
    """
    out: list[TimedSentence] = []
    at = start
    for text, span in zip(written, heard, strict=True):
        if span is None:
            out.append(TimedSentence(text, round(at, 3), round(at, 3)))
            continue
        s = min(max(span[0] + shift, at), end)
        e = min(max(span[1] + shift, s), end)
        out.append(TimedSentence(text, round(s, 3), round(e, 3)))
        at = e
    return tuple(out)


def _proportional(written: Sequence[str], start: float, end: float) -> tuple[TimedSentence, ...]:
    """Spread sentences across a recording in proportion to their length in characters."""
    total = sum(len(s) for s in written)
    if not total:
        return ()
    out: list[TimedSentence] = []
    at = start
    for text in written:
        span = (end - start) * len(text) / total
        out.append(TimedSentence(text, round(at, 3), round(at + span, 3)))
        at += span
    return tuple(out)


def _silent_slide(slide: Slide, settings: NarrationSettings, out_dir: Path) -> SlideAudio:
    """A slide without narration still gets its lead-in and hold (at least a second) of silence."""
    seconds = max(1.0, settings.lead_in_s + settings.hold_s)
    final = out_dir / f"{slide.n:02d}.wav"
    with atomic_path(final) as tmp:
        audio.write_silence(tmp, seconds)
    return SlideAudio(slide.n, final, read_wav_info(final).duration_s, (), recorded=False)


def _publish(cached: Path, out_dir: Path, n: int) -> Path:
    final = out_dir / f"{n:02d}.wav"
    with atomic_path(final) as tmp:
        shutil.copyfile(cached, tmp)
    return final
