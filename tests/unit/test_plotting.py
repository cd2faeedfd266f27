"""Hangul renders in matplotlib figures: no boxes, no "Glyph ... missing" warnings."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from warehouse.plotting import has_hangul_glyphs, use_korean_font


def test_use_korean_font_returns_family_with_hangul() -> None:
    family = use_korean_font()
    assert has_hangul_glyphs(family)
    assert matplotlib.rcParams["font.family"][0] == family


def test_use_korean_font_is_idempotent() -> None:
    first = use_korean_font()
    fonts = len(font_manager.fontManager.ttflist)
    assert use_korean_font() == first
    assert len(font_manager.fontManager.ttflist) == fonts


def test_hangul_figure_saves_without_missing_glyph_warnings(tmp_path: Path) -> None:
    # pytest turns warnings into errors, so a "Glyph ... missing" warning fails this test.
    use_korean_font()
    fig = Figure()  # no pyplot: no global figure state, no GUI backend
    ax = fig.subplots()
    ax.barh(["생활방범", "시설물관리", "어린이보호"], [200, -20, 25])
    ax.set_title("설치목적별 카메라 수")
    ax.set_xlabel("카메라 수 (대)")
    fig.savefig(tmp_path / "hangul.png")
    assert (tmp_path / "hangul.png").stat().st_size > 1_000


def test_font_without_hangul_is_rejected() -> None:
    assert not has_hangul_glyphs("DejaVu Sans")


def test_unknown_family_is_rejected() -> None:
    assert not has_hangul_glyphs("No Such Font Family")
