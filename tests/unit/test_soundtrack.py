"""The pure parts of the narration track: a slide's length in AAC frames, an ADTS stream's frames."""

from __future__ import annotations

import pytest

from pipeline.errors import PipelineError
from pipeline.media.soundtrack import adts_frames, samples_of


def frame(payload: bytes) -> bytes:
    """One ADTS frame: a 7-byte header (no CRC; only its sync word and length matter here), then ``payload``."""
    length = 7 + len(payload)
    header = bytes([0xFF, 0xF1, 0x50, 0x80 | (length >> 11), (length >> 3) & 0xFF, ((length & 7) << 5) | 0x1F, 0xFC])
    return header + payload


def test_a_stream_splits_into_its_frames_each_with_its_header() -> None:
    first, second = frame(b"abc"), frame(b"defgh" * 300)
    assert adts_frames(first + second, what="x") == [first, second]


@pytest.mark.parametrize("cut", [1, 6, 9])
def test_a_cut_off_or_foreign_stream_is_refused(cut: int) -> None:
    data = frame(b"abc") + frame(b"defgh")
    with pytest.raises(PipelineError, match="ADTS frame"):
        adts_frames(data[:-cut] if cut != 9 else b"ID3" + data, what="x")


def test_a_length_of_whole_aac_frames_is_its_samples_and_any_other_is_refused() -> None:
    assert samples_of(100 * 1024 / 48_000) == 102_400
    assert samples_of(round(100 * 1024 / 48_000, 6)) == 102_400  # as a slide's length is stored
    with pytest.raises(PipelineError, match="whole number of AAC frames"):
        samples_of(1.337)
