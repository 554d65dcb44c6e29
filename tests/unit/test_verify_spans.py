"""Which spans of a video a check of what changed decodes (pure arithmetic on picture times)."""

from __future__ import annotations

import pytest

from pipeline.media.verify import BOUNDARY_S, changed_spans

STARTS = [0.0, 10.0, 30.0, 45.0]
DURATION = 60.0


def test_with_every_picture_verified_only_the_ends_are_decoded() -> None:
    spans = changed_spans(STARTS, DURATION, [False] * 4)
    assert spans == [(0.0, BOUNDARY_S), (60.0 - BOUNDARY_S, BOUNDARY_S)]


def test_a_new_picture_is_decoded_for_its_whole_slide() -> None:
    spans = changed_spans(STARTS, DURATION, [False, True, False, False])
    assert [pytest.approx(s) for s in spans] == [(0.0, BOUNDARY_S), (10.0, 20.0), (60.0 - BOUNDARY_S, BOUNDARY_S)]


def test_with_no_picture_verified_the_spans_cover_the_whole_video_once() -> None:
    spans = changed_spans(STARTS, DURATION, [True] * 4)
    assert spans == [(0.0, DURATION)]


def test_spans_never_reach_outside_the_video() -> None:
    spans = changed_spans([0.0, 0.2], 0.6, [False, False])
    assert spans == [(0.0, 0.6)]


def test_a_build_step_is_decoded_only_when_its_picture_is_new() -> None:
    # Slide 2 (from 10 s) builds at 16 s and 22 s; only the picture from 22 s is new.
    starts = [0.0, 10.0, 16.0, 22.0, 30.0, 45.0]
    spans = changed_spans(starts, DURATION, [False, False, False, True, False, False])
    assert [pytest.approx(s) for s in spans] == [(0.0, BOUNDARY_S), (22.0, 8.0), (60.0 - BOUNDARY_S, BOUNDARY_S)]
