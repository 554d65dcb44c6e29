"""Fixtures every test folder may ask for; the helpers behind them are in ``support``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.browser import chromium
from support.lessons import SAMPLE

from pipeline.theme import DEFAULT_THEME, Theme, load_theme


@pytest.fixture
def sample_lesson() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def theme() -> Theme:
    """The project's default theme (``templates/theme.yaml``)."""
    return load_theme(DEFAULT_THEME)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, one per test module."""
    with chromium() as context:
        yield context
