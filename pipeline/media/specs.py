"""The delivered media's fixed properties, defined once: frame size and rate, sample rate, the
loudness standard, the narration's codec settings."""

from __future__ import annotations

WIDTH, HEIGHT = 1920, 1080
FPS = 25
VIDEO_TIMESCALE = FPS * 512  # the MP4 video track's ticks per second (ffmpeg's usual one for 25 fps)
SAMPLE_RATE = 48_000
TARGET_LUFS = -16.0  # integrated loudness of speech for online lectures
TRUE_PEAK_LIMIT_DBTP = -1.0  # no inter-sample peak above this, in the delivered file
AUDIO_BITRATE = "96k"  # the narration is mono speech: 96 kbit/s AAC-LC is transparent for it
AAC_FRAME_SAMPLES = 1024  # samples per AAC-LC coded frame: every slide's sound lasts a whole number of them
