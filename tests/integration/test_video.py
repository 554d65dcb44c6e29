"""Assembling a tiny three-slide video and checking it with ffprobe, a full decode and its cuts."""

from __future__ import annotations

import functools
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support.media import loudness

from pipeline.media import captions, verify, video
from pipeline.media.specs import AUDIO_BITRATE, VIDEO_TIMESCALE

COLOURS = [(200, 30, 30), (30, 160, 60), (40, 60, 220)]
AAC_FRAME_S = 1024 / 48_000
# Whole AAC frames, as the narration makes every slide's sound, but not whole video frames, so
# frame rounding is exercised.
LENGTHS = [n * AAC_FRAME_S for n in (63, 102, 73)]
TITLES = ["Intro", "Why = matters; #1", "Wrap-up \\ next"]


def solid_frame(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (1920, 1080), colour).save(path)
    return path


def sine_wav(path: Path, seconds: float, hz: float) -> float:
    """Write a 48 kHz mono sine WAV; return its exact length."""
    t = np.arange(round(seconds * 48_000)) / 48_000
    return write_wav(path, 0.2 * np.sin(2 * np.pi * hz * t))


def write_wav(path: Path, samples: np.ndarray) -> float:
    """Write float samples in [-1, 1] as a 48 kHz mono 16-bit WAV; return its length."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48_000)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return len(samples) / 48_000


def make_segments(folder: Path, lengths: list[float] = LENGTHS) -> list[video.Segment]:
    folder.mkdir(parents=True, exist_ok=True)
    segments = []
    for i, (colour, seconds, title) in enumerate(zip(COLOURS, lengths, TITLES, strict=True)):
        frame = solid_frame(folder / f"slide{i}.png", colour)
        duration = sine_wav(folder / f"slide{i}.wav", seconds, 220 * (i + 1))
        segments.append(video.Segment(title=title, frame=frame, audio=folder / f"slide{i}.wav", duration_s=duration))
    return segments


def cues_for(segments: list[video.Segment]) -> tuple[captions.Cue, ...]:
    t, sentences = 0.0, []
    for seg, text in zip(segments, ["Hello & <b>welcome</b>.", "Why it matters.", "See you next time."], strict=True):
        sentences.append((text, t + 0.1, t + seg.duration_s - 0.1))
        t += seg.duration_s
    return captions.make_cues(sentences)


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("video")
    segments = make_segments(folder / "in")
    out = folder / "video.mp4"
    video.assemble(
        segments, out, title="T1.1 — A = small; lesson", cues=cues_for(segments),
        work_dir=folder / "work",
    )  # fmt: skip
    return out, segments


def test_the_video_meets_the_delivery_standard(assembled):
    out, _segments = assembled
    info = verify.probe(out)
    assert (info.video_codec, info.profile, info.pix_fmt, info.width, info.height) == (
        "h264", "High", "yuv420p", 1920, 1080,
    )  # fmt: skip
    assert (info.audio_codec, info.audio_profile, info.sample_rate) == ("aac", "LC", 48_000)
    assert info.fps == 25
    assert info.faststart
    assert info.subtitle_codecs == ("mov_text",)
    assert info.title == "T1.1 — A = small; lesson"
    assert verify.check(info, expected_slides=3) == []


def test_there_is_one_chapter_per_slide_named_by_its_title_starting_with_its_narration(assembled):
    out, segments = assembled
    chapters = verify.probe(out).chapters
    assert [c[0] for c in chapters] == TITLES
    start = 0.0
    for (_, chapter_start, _), seg in zip(chapters, segments, strict=True):
        assert chapter_start == pytest.approx(start, abs=0.5 / 25 + 1e-6)
        start += seg.duration_s


def test_the_video_lasts_as_long_as_the_narration_and_decodes_without_errors(assembled):
    out, segments = assembled
    assert verify.probe(out).duration_s == pytest.approx(sum(s.duration_s for s in segments), abs=0.5 / 25 + 1e-3)
    assert verify.decode_errors(out) == []
    assert verify.decode_errors(out, duration_s=verify.probe(out).duration_s, parts=3) == []


def test_a_damaged_video_is_found_by_the_split_decode_too(assembled, tmp_path):
    out, _ = assembled
    damaged = tmp_path / "damaged.mp4"
    data = bytearray(out.read_bytes())
    mdat = data.index(b"mdat")
    # Overwrite a run of bytes late in the media data, inside the last span of a 3-way split.
    at = mdat + (len(data) - mdat) * 3 // 4
    data[at : at + 4000] = bytes(4000)
    damaged.write_bytes(bytes(data))
    assert verify.decode_errors(damaged, duration_s=verify.probe(out).duration_s, parts=3)


def test_decoding_what_changed_is_clean_on_a_good_file_and_finds_damage_in_its_spans(assembled, tmp_path):
    out, _ = assembled
    duration = verify.probe(out).duration_s
    late = [(duration * 0.7, duration * 0.3)]
    assert verify.decode_changed(out, late, duration) == []
    damaged = tmp_path / "damaged.mp4"
    data = bytearray(out.read_bytes())
    mdat = data.index(b"mdat")
    at = mdat + (len(data) - mdat) * 3 // 4  # late in the media data: inside the late span
    data[at : at + 4000] = bytes(4000)
    damaged.write_bytes(bytes(data))
    assert verify.decode_changed(damaged, late, duration)


def test_every_slide_change_lands_within_one_frame_of_its_narration(assembled):
    out, segments = assembled
    changes = verify.scene_changes(out)
    starts = np.cumsum([s.duration_s for s in segments])[:-1]
    assert len(changes) == len(starts), changes
    for change, start in zip(changes, starts, strict=True):
        assert abs(change - start) <= 1 / 25 + 1e-6, (change, start)


def test_the_subtitle_track_carries_the_script_text_literally(assembled, tmp_path):
    out, _ = assembled
    from pipeline import tools

    tools.run(tools.FFMPEG, ["-v", "error", "-i", out, "-map", "0:s", "-c", "copy", "-f", "data", tmp_path / "s.bin"],
              timeout=60)  # fmt: skip
    assert b"Hello & <b>welcome</b>." in (tmp_path / "s.bin").read_bytes()


def test_a_failed_check_names_what_is_wrong(assembled):
    out, _ = assembled
    problems = verify.check(verify.probe(out), expected_slides=4)
    assert problems == ["chapter count is 3, expected 4"]


def test_changing_one_slides_narration_length_re_encodes_no_picture_and_moves_the_cut(tmp_path):
    work = tmp_path / "work"
    segments = make_segments(tmp_path / "in")
    video.assemble(segments, tmp_path / "a.mp4", title="t", cues=(), work_dir=work)
    pictures = {p: p.stat().st_mtime_ns for p in (work / "pictures").iterdir()}
    assert len(pictures) == 3

    longer = make_segments(tmp_path / "in", [LENGTHS[0], LENGTHS[1] + 42 * AAC_FRAME_S, LENGTHS[2]])
    events: list[str] = []
    video.assemble(
        longer, tmp_path / "b.mp4", title="t", cues=(), work_dir=work,
        progress=lambda i, n, message: events.append(message),
    )  # fmt: skip
    assert {p: p.stat().st_mtime_ns for p in (work / "pictures").iterdir()} == pictures
    assert not any("encoded" in e for e in events), events
    changes = verify.scene_changes(tmp_path / "b.mp4")
    assert changes[1] == pytest.approx(sum(s.duration_s for s in longer[:2]), abs=1 / 25)


def test_changing_one_slides_picture_re_encodes_only_that_slide(tmp_path):
    work = tmp_path / "work"
    segments = make_segments(tmp_path / "in")
    video.assemble(segments, tmp_path / "a.mp4", title="t", cues=(), work_dir=work)
    solid_frame(segments[1].frame, (250, 200, 0))
    events: list[str] = []
    video.assemble(
        segments, tmp_path / "b.mp4", title="t", cues=(), work_dir=work,
        progress=lambda i, n, message: events.append(message),
    )  # fmt: skip
    assert [e.split(":")[0] for e in events if "encoded picture" in e] == ["slide 2"], events
    assert len(list((work / "pictures").iterdir())) == 4


def test_the_encoded_narration_stays_under_the_true_peak_limit_though_aac_overshoots(tmp_path):
    # A full-band 150 Hz square wave finished to -1.2 dBTP: AAC's band limit rings on its edges.
    t = np.arange(141 * 1024) / 48_000
    square = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 147, 2))
    wav = tmp_path / "square.wav"
    write_wav(wav, 0.5 * square / np.abs(square).max())
    _, peak = loudness(wav)
    duration = write_wav(wav, 0.5 * square / np.abs(square).max() * 10 ** ((-1.2 - peak) / 20))
    assert loudness(wav)[1] <= -1.0
    plain = tmp_path / "plain.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-i", wav, "-c:a", "aac", "-b:a", AUDIO_BITRATE, plain], check=True)
    assert loudness(plain)[1] > -1.0  # what a plain encode does to it

    out = tmp_path / "v.mp4"
    segment = video.Segment("loud", solid_frame(tmp_path / "f.png", COLOURS[0]), wav, duration)
    video.assemble([segment], out, title="t", cues=(), work_dir=tmp_path / "work")
    integrated, true_peak = loudness(out)
    assert true_peak <= -1.0
    assert integrated > loudness(wav)[0] - 5  # quieter only by the overshoot, not silenced


def test_the_timeline_rounds_cumulative_time_so_error_never_accumulates():
    plan = video.timeline([1.01] * 100)
    for i in range(101):
        assert abs(plan.starts[i] / 25 - 1.01 * i) <= 0.5 / 25 + 1e-9


def test_chapter_titles_are_escaped_for_ffmetadata():
    text = video.ffmetadata("a=b", ["x;y#z\\w\nv"], video.timeline([2.0]))
    assert "title=a\\=b" in text
    assert "title=x\\;y\\#z\\\\w\\\nv" in text
    assert "START=0\nEND=2000" in text


def test_a_missing_input_is_a_clear_error(tmp_path):
    from pipeline.errors import PipelineError

    seg = video.Segment("x", tmp_path / "none.png", tmp_path / "none.wav", 1.0)
    with pytest.raises(PipelineError, match="missing"):
        video.assemble([seg], tmp_path / "o.mp4", title="t", cues=(), work_dir=tmp_path)
    assert not (tmp_path / "o.mp4").exists()


def test_each_slides_narration_is_encoded_once_and_reused_until_its_sound_changes(tmp_path):
    segments = make_segments(tmp_path / "in")
    work = tmp_path / "work"

    def assemble(name: str) -> bytes:
        video.assemble(segments, tmp_path / name, title="T1.1", cues=cues_for(segments), work_dir=work)
        return (tmp_path / name).read_bytes()

    def pieces() -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for p in (work / "narration").glob("*.aac")}

    first = assemble("a.mp4")
    encoded = pieces()
    assert len(encoded) == 3
    assert assemble("b.mp4") == first  # the same sounds: the cached pieces, muxed the same way
    assert pieces() == encoded
    sine_wav(segments[1].audio, LENGTHS[1], 330)  # slide 2 says something else, just as long
    assert assemble("c.mp4") != first
    again = pieces()
    assert len(again) == 4
    assert {p: t for p, t in again.items() if p in encoded} == encoded  # the other slides not encoded again
    assert not list((work / "narration").glob(".*"))  # no temporary left behind


def spoken(seconds: float, hz: float) -> np.ndarray:
    """A slide's sound as the narration makes it: a lead-in's silence, a warbling tone, a hold's silence."""
    n = round(seconds / AAC_FRAME_S) * 1024
    t = np.arange(n) / 48_000
    voice = 0.3 * np.sin(2 * np.pi * hz * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)) / 1.5
    voice[: round(0.3 * 48_000)] = 0
    voice[n - round(0.5 * 48_000) :] = 0
    return voice


def test_the_slides_encoded_apart_join_into_one_track_without_gaps_or_drift(tmp_path):
    sounds = [spoken(seconds, hz) for seconds, hz in ((2.2, 220), (3.1, 330), (1.7, 440), (2.6, 550))]
    segments = []
    for i, sound in enumerate(sounds):
        wav = tmp_path / f"{i}.wav"
        segments.append(video.Segment(f"s{i}", solid_frame(tmp_path / f"{i}.png", COLOURS[i % 3]), wav,
                                      write_wav(wav, sound)))  # fmt: skip
    out = tmp_path / "v.mp4"
    video.assemble(segments, out, title="t", cues=(), work_dir=tmp_path / "work")
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", out, "-map", "0:a", "-f", "s16le", "-ac", "1", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    heard = np.frombuffer(decoded, "<i2") / 32768
    wanted = np.concatenate(sounds)
    assert len(heard) == len(wanted)  # not a sample more or less than the slides
    error = heard - wanted
    signal = np.sqrt(np.mean(wanted**2))
    assert np.sqrt(np.mean(error**2)) < 0.05 * signal  # the coding's own error, nothing shifted
    late = heard[1024:] - wanted[:-1024]  # what one frame of drift would look like
    assert np.sqrt(np.mean(late**2)) > 0.5 * signal
    joins = np.cumsum([len(s) for s in sounds])[:-1]
    for at in joins:
        assert np.abs(heard[at - 4800 : at + 4800]).max() < 1e-3, at  # silence either side of each join


def test_a_slide_whose_sound_is_not_whole_aac_frames_is_refused(tmp_path):
    from pipeline.errors import PipelineError

    wav = tmp_path / "a.wav"
    seg = video.Segment("odd", solid_frame(tmp_path / "f.png", COLOURS[0]), wav, sine_wav(wav, 1.337, 220))
    with pytest.raises(PipelineError, match="whole number of AAC frames"):
        video.assemble([seg], tmp_path / "o.mp4", title="t", cues=(), work_dir=tmp_path / "work")
    assert not (tmp_path / "o.mp4").exists()


def test_the_frames_structure_is_checked_from_the_index(assembled):
    out, segments = assembled
    plan = video.timeline([s.duration_s for s in segments])
    starts = list(plan.starts[:-1])
    frames = plan.starts[-1]
    check = functools.partial(verify.join_problems, fps=25, time_base=VIDEO_TIMESCALE)
    assert check(out, starts, frames) == []
    inside = starts[1] + 3  # a P-frame: the slide's picture repeated
    assert check(out, [*starts, inside], frames) == [f"frame {inside} starts a picture but is not a keyframe"]
    assert check(out, starts, frames + 1) == [f"the video has {frames} frames, expected {frames + 1}"]
