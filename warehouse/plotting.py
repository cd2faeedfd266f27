"""Matplotlib set-up for Korean text: institution names and purposes are Hangul.

Without a Korean font matplotlib draws every Hangul character as an empty box (and warns
"Glyph ... missing"), so a chart of 생활방범 vs 시설물관리 would be unreadable. The Nanum
Gothic files bundled with koreanize-matplotlib are registered with matplotlib's font manager
directly; the package itself is not imported because its import runs code that imports the
deprecated ``distutils`` and changes global settings as a side effect.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

# Characters every Korean-capable font must have; 가나 한글 covers the common syllable range.
HANGUL_PROBE = "가나한글"

# Font families already installed on some systems (Debian fonts-nanum, Noto CJK), tried when
# the bundled files are unavailable.
SYSTEM_KOREAN_FAMILIES = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "UnDotum")


def _bundled_font_files() -> list[Path]:
    """Nanum Gothic files shipped by koreanize-matplotlib, found without importing it."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return []
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return sorted(fonts.glob("*.ttf"))


def _register(files: list[Path]) -> str | None:
    """Add the font files to the running font manager once; return the regular face's family.

    ``addfont`` only appends to the in-memory list, so no font cache is rebuilt.
    """
    family = None
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in files:
        fname = str(path)
        if fname not in known:
            font_manager.fontManager.addfont(fname)
        if family is None and path.stem == "NanumGothic":
            family = font_manager.FontProperties(fname=fname).get_name()
    return family


def _font_file(family: str) -> str | None:
    """The file matplotlib would use for ``family``, or None when it has no such family."""
    try:
        return font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        return None


def has_hangul_glyphs(family: str) -> bool:
    """True when the font matplotlib resolves for ``family`` really contains Hangul glyphs.

    Checks the file itself (glyph index 0 means "missing"), so a family that merely exists
    but would render boxes is rejected.
    """
    path = _font_file(family)
    if path is None:
        return False
    font = FT2Font(path)
    return all(font.get_char_index(ord(char)) != 0 for char in HANGUL_PROBE)


def use_korean_font() -> str:
    """Make matplotlib draw Hangul; return the Korean font family now in use.

    The Korean family comes first and "sans-serif" second, so matplotlib's per-glyph
    fallback takes characters the Korean font lacks (e.g. the minus sign) from the default
    sans-serif font. Safe to call repeatedly: files are registered once, settings re-applied.
    """
    family = _register(_bundled_font_files())
    if family is None or not has_hangul_glyphs(family):
        family = next((f for f in SYSTEM_KOREAN_FAMILIES if has_hangul_glyphs(f)), None)
    if family is None:
        raise RuntimeError(
            "no Korean font found: install koreanize-matplotlib or a Korean font (e.g. fonts-nanum)"
        )
    mpl.rcParams["font.family"] = [family, "sans-serif"]
    return family
