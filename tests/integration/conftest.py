"""Fixtures the browser tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration import browser


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's headless Chromium (installed on first use where the machine allows it)."""
    binary = browser.ensure_chromium()
    if binary is None:
        pytest.skip(f"headless Chromium unavailable: {browser.unavailable_reason}")
    return binary
