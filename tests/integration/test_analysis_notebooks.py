"""Notebooks 02–05 run top to bottom on a small hand-built warehouse and show the right numbers.

The warehouse below has four 시·군·구 in four 광역, policy pages captured on three days,
inventories with retention under, at and over the 30-day default, two policy versions that
change retention (one only because a newer parser read the page again), standard data in two
vintages with a point outside Korea and one whose institution did not resolve, quality issues
at every stage, and a validation run. Every expected number is worked out by hand in the
comments. The real standard data (../shared/realdata) is used too when it is present.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import pyarrow as pa
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import pipelines.notebooks
from archive.paths import data_paths
from pipelines.notebooks import NOTEBOOKS_DIR, NotebookError, run_notebooks
from tests.integration.test_notebook import (
    HANGUL,
    assert_readable_tables,
    build_warehouse,
    cell_outputs,
    chart_titles,
    output_text,
)
from tests.support import realdata
from warehouse.build import view_files
from warehouse.plotting import use_korean_font
from warehouse.schema import VALIDATION_RESULTS

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

NOTEBOOKS = [
    "02_retention_practices",
    "03_compare_institutions",
    "04_data_quality",
    "05_camera_map",
]
FIGURES = {
    "02_retention_practices": [
        "retention_distribution.png",
        "retention_by_region.png",
        "retention_by_purpose.png",
    ],
    "03_compare_institutions": [
        "compare_5060000-3510500_items.png",
        "compare_5060000-3510500_retention.png",
        "compare_5060000-3510500_cameras.png",
    ],
    "04_data_quality": ["quality_by_institution.png", "quality_by_stage.png"],
    "05_camera_map": ["camera_map.png"],
}


# Axis units the charts use: days, cameras, installation points, institutions, issues,
# degrees, item numbers.
UNIT = re.compile(r"\((일|대|개소|곳|건|°E|°N|항목 번호)\)")


def _at(day: int, month: int = 5, year: int = 2024) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


def _prov(sha: str, fetched: datetime) -> dict[str, Any]:
    return {
        "capture_sha256": sha,
        "source_url": f"https://example.kr/{sha}",
        "fetched_at": fetched,
        "parser_version": "test-1",
    }


INSTITUTIONS = {  # code: (name, level, parent)
    "6110000": ("서울특별시", "sido", None),
    "6280000": ("인천광역시", "sido", None),
    "6470000": ("경상북도", "sido", None),
    "6300000": ("대전광역시", "sido", None),
    "3220000": ("서울특별시 강남구", "gu", "6110000"),
    "3510500": ("인천광역시 미추홀구", "gu", "6280000"),
    "5060000": ("경상북도 김천시", "si", "6470000"),
    "3640000": ("대전광역시 동구", "gu", "6300000"),
}
# Policy pages: captured 2024-05-01 (서울, a template), 05-02 (강남, 김천) and 05-03 (미추홀).
POLICIES = [
    (
        "6110000",
        "○○ 영상정보처리기기 운영·관리 방침",
        [1, 2, 3, 4, 5, 6, 7, 8],
        None,
        None,
        True,
        1,
    ),
    (
        "3220000",
        "강남구 영상정보처리기기 운영·관리 방침",
        [1, 2, 3, 4, 5, 6, 7, 8],
        14,
        60,
        False,
        2,
    ),
    ("3510500", "미추홀구 영상정보처리기기 운영·관리 방침", [1, 3, 4, 6, 8], 7, 30, False, 3),
    ("5060000", "김천시 영상정보처리기기 운영ㆍ관리 방침", [1, 2, 3, 4, 5, 6, 7], 30, 30, False, 2),
]
CAPTURE_DAY = {code: day for code, *_, day in POLICIES}


def _camera(inst: str, purpose: str | None, count: int | None, days: int | None, **extra: Any):
    row = {
        "inst_code": inst,
        "purpose": purpose,
        "purpose_raw": purpose,
        "camera_count": count,
        "retention_days": days,
        "recording": True,
        "is_template": False,
        "source_kind": "page",
        "row_ref": f"table 1, row {count}",
        **_prov(f"sha-{inst}", _at(CAPTURE_DAY[inst])),
    }
    return {**row, **extra}


def _point(
    inst: str | None,
    purpose: str,
    cameras: int,
    days: int | None,
    lat: float,
    lon: float,
    **extra: Any,
) -> dict[str, Any]:
    row = {
        "inst_code": inst,
        "inst_name_raw": INSTITUTIONS[inst][0] + "청" if inst else "○○공단",
        "purpose": purpose,
        "purpose_raw": purpose,
        "camera_count": cameras,
        "retention_days": days,
        "latitude": lat,
        "longitude": lon,
        "reference_date": {"3220000": date(2024, 3, 31), "5060000": date(2023, 12, 31)}.get(
            inst or "", date(2024, 1, 15)
        ),
        "schema_generation": "G4",
        "row_number": 1,
        "row_ref": f"row {cameras}",
        **_prov("sha-std-2024", _at(1, 6)),
    }
    return {**row, **extra}


def _version(
    inst: str,
    version: int,
    start: datetime,
    end: datetime | None,
    low: int,
    high: int,
    rederived_from: str | None = None,
) -> dict[str, Any]:
    return {
        "inst_code": inst,
        "version": version,
        "content_hash": f"{inst}-v{version}",
        "valid_from": start,
        "valid_to": end,
        "is_current": end is None,
        "first_capture_sha256": f"sha-{inst}-v{version}",
        "last_capture_sha256": f"sha-{inst}-v{version}",
        "captures": 1,
        "retention_days_min": low,
        "retention_days_max": high,
        "source_url": f"https://{inst}.example.kr/cctv",
        "parser_version": "test-1",
        "rederived_from": rederived_from,
    }


def _issue(inst: str | None, level: str, code: str, stage: str) -> dict[str, Any]:
    return {
        "level": level,
        "code": code,
        "message": f"{code} here",
        "stage": stage,
        "inst_code": inst,
    }


ROWS: dict[str, list[dict[str, Any]]] = {
    "institutions": [
        {
            "inst_code": code,
            "name": name,
            "level": level,
            "parent_code": parent,
            "valid_from": date(2020, 1, 1),
            "crawled": level != "sido" or code == "6110000",
        }
        for code, (name, level, parent) in INSTITUTIONS.items()
    ],
    "captures": [
        {
            "sha256": f"sha-{code}",
            "url": f"https://example.kr/sha-{code}",
            "fetched_at": _at(day),
            "inst_code": code,
            "role": "policy",
            "warc_file": "a.warc.gz",
            "warc_offset": number,
            "record_type": "response",
            "crawl_id": "c1",
        }
        for number, (code, *_, day) in enumerate(POLICIES)
    ],
    "policies": [
        {
            "inst_code": code,
            "title": title,
            "items_present": items,
            "retention_days_min": low,
            "retention_days_max": high,
            "is_template": template,
            "attachment_count": 2 * template,
            **_prov(f"sha-{code}", _at(day)),
        }
        for code, title, items, low, high, template, day in POLICIES
    ],
    # Retention per camera, recording devices: 80 @7, 15 @14, 201 @30 (120 + 25 + 50 + 6),
    # 40 @60: 336 cameras, 95 under 30 (28.3%), 201 at 30 (59.8%), 40 over 30 (11.9%).
    "cameras": [
        _camera("3220000", "생활방범", 120, 30),
        _camera("3220000", "어린이보호", 40, 60),
        _camera("3220000", "시설물관리", 15, 14),
        _camera("3510500", "생활방범", 80, 7),
        _camera("3510500", "다목적", 25, 30),
        _camera("3510500", "교통단속", 10, 0, recording=False),  # 녹화무: no retention
        _camera("5060000", "생활방범", 50, 30, source_kind="attachment"),
        _camera("5060000", "재난재해", 6, 30, source_kind="attachment"),
        _camera("6110000", None, None, None, is_template=True, row_ref="table 1, row 1"),
    ],
    # Current standard data, per point: 14 (동구), 30 ×4 (강남 ×2, 김천, the unresolved
    # 공단), 45 (김천), 60 (강남), and 동구's point without retention at 0/0 (off the map):
    # 7 points with retention, 1 under 30 (14.3%), 4 at 30 (57.1%), 2 over 30 (28.6%).
    "standard_points": [
        _point("3220000", "생활방범", 2, 30, 37.4979, 127.0276),
        _point("3220000", "어린이보호", 1, 60, 37.5012, 127.0396),
        _point("3220000", "시설물관리", 1, 30, 37.5172, 127.0473),
        _point("5060000", "생활방범", 40, 30, 36.1398, 128.1136),
        _point("5060000", "교통단속", 30, 45, 36.1201, 128.0987),
        _point("3640000", "생활방범", 1, 14, 36.3119, 127.4548),
        _point("3640000", "쓰레기단속", 1, None, 0.0, 0.0),
        _point(None, "차량방범", 1, 30, 35.1796, 129.0756),
        # An older vintage of 강남 (another file): history, not counted as current.
        *(
            _point(
                "3220000",
                purpose,
                5,
                30,
                37.50,
                127.03,
                reference_date=date(2022, 12, 31),
                **_prov("sha-std-2022", _at(15, 1, 2023)),
            )
            for purpose in ("생활방범", "어린이보호")
        ),
    ],
    # 강남 went from 14–30 to 14–60 days; 미추홀's 7–20 became 7–30 only because a newer
    # parser read the same page again; 김천's new version keeps 30 days.
    "policy_versions": [
        _version("3220000", 1, _at(10, 1, 2023), _at(2), 14, 30),
        _version("3220000", 2, _at(2), None, 14, 60),
        _version("3510500", 1, _at(31, 3, 2023), _at(3), 7, 20),
        _version("3510500", 2, _at(3), None, 7, 30, rederived_from="0.1.0"),
        _version("5060000", 1, _at(1, 6, 2023), _at(2), 30, 30),
        _version("5060000", 2, _at(2), None, 30, 30),
    ],
    # 8 issues of 7 kinds: 1 error, 4 warnings, 3 infos; 4 parse, 1 crawl, 1 build, 2 standard.
    "quality_issues": [
        _issue("6110000", "warning", "template_placeholder", "parse"),
        _issue("6110000", "warning", "request_failed", "crawl"),
        _issue("3510500", "info", "retention_missing", "parse"),
        _issue("3510500", "info", "retention_missing", "parse"),
        _issue("5060000", "info", "inventory_elsewhere", "parse"),
        _issue("3220000", "error", "document_unreadable", "build"),
        _issue("3640000", "warning", "coord_out_of_range", "standard"),
        _issue(None, "warning", "inst_unresolved", "standard"),
    ],
}
# The latest `cctv validate`: 3 expectations, 2 failed (1 error-level, 1 warning-level).
VALIDATION = [
    {
        "suite": "cameras-errors",
        "table_name": "cameras",
        "column_name": "camera_count",
        "expectation_type": "expect_column_values_to_be_between",
        "severity": "error",
        "success": True,
        "unexpected_count": 0,
        "element_count": 9,
        "note": "§6 rule 4",
    },
    {
        "suite": "cameras-errors",
        "table_name": "cameras",
        "column_name": "retention_days",
        "expectation_type": "expect_column_values_to_be_between",
        "severity": "error",
        "success": False,
        "unexpected_count": 1,
        "element_count": 9,
        "note": "§6 rule 5",
    },
    {
        "suite": "policies-warnings",
        "table_name": "policies",
        "column_name": "items",
        "expectation_type": "expect_column_values_to_be_in_set",
        "severity": "warning",
        "success": False,
        "unexpected_count": 2,
        "element_count": 4,
        "note": "§6 rule 1: all items stated",
    },
]


def build_full_warehouse(
    root: Path,
    rows: dict[str, list[dict[str, Any]]],
    validation: list[dict[str, Any]] | None = None,
) -> Path:
    """`build_warehouse` plus the views of warehouse/sql and, when given, the results of a
    validation run (a table that exists only once `cctv validate` has run)."""
    path = build_warehouse(root, rows)
    con = duckdb.connect(str(path))
    try:
        for sql in view_files():
            con.execute(sql.read_text(encoding="utf-8"))
        if validation is not None:
            run_at = {"run_at": datetime(2024, 5, 4, 1, 0, tzinfo=UTC)}
            table = pa.Table.from_pylist(
                [{**run_at, **row} for row in validation], schema=VALIDATION_RESULTS
            )
            con.register("results", table)
            con.execute("CREATE TABLE validation_results AS SELECT * FROM results")
    finally:
        con.close()
    return path


def lines_of(nb: nbformat.NotebookNode) -> list[str]:
    return output_text(nb).splitlines()


def line_with(nb: nbformat.NotebookNode, *words: str) -> str:
    hits = [line for line in lines_of(nb) if all(w in line for w in words)]
    assert hits, f"no output line with {words}"
    return hits[0]


def assert_clean(nb: nbformat.NotebookNode) -> None:
    outputs = cell_outputs(nb)
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    assert not errors, errors
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr  # e.g. matplotlib's "Glyph ... missing" warnings
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def images(nb: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for o in cell_outputs(nb))


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    root = tmp_path_factory.mktemp("data")
    build_full_warehouse(root, ROWS, VALIDATION)
    out = tmp_path_factory.mktemp("out")
    paths = run_notebooks(root, out, names=NOTEBOOKS)
    assert [p.stem for p in paths] == NOTEBOOKS
    return {p.stem: nbformat.read(p, as_version=4) for p in paths}, out


# --- the committed notebooks ------------------------------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("name", ["01_overview", *NOTEBOOKS])
def test_every_saved_chart_has_a_source_line_title_and_axis_units(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    charts = [c.source for c in nb.cells if c.cell_type == "code" and ".savefig(" in c.source]
    assert charts
    for source in charts:
        assert "source_note(fig, " in source
        assert source.index("source_note(") < source.index(".savefig(")
        assert 'bbox_inches="tight"' in source  # the note sits under the axes
        assert "FIGURES_DIR / " in source
        assert ".set_title(" in source or ".suptitle(" in source
        assert all(HANGUL.search(title) for title in chart_titles(nb)), chart_titles(nb)
        assert ("set_xlabel(" in source and "set_ylabel(" in source) or "01_" in name
        assert UNIT.search(source), source  # e.g. "보관기간 (일)", "카메라 수 (대)"


def test_compare_notebook_has_a_papermill_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / "03_compare_institutions.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "import duckdb" in code[0].source  # the imports
    assert code[1].metadata.get("tags") == ["parameters"]
    assert code[1].source.strip() == 'inst_codes = ["5060000", "3510500"]'
    assert not any("parameters" in c.metadata.get("tags", []) for c in code[2:])


# --- executed on the hand-built warehouse -----------------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_without_errors_or_warnings(executed: tuple[dict, Path], name: str) -> None:
    assert_clean(executed[0][name])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_tables_read_in_korean(executed: tuple[dict, Path], name: str) -> None:
    # Korean headers on every displayed table, no NaN/None, no whole number shown as 12.0.
    assert_readable_tables(executed[0][name])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_figures_are_saved_and_shown(executed: tuple[dict, Path], name: str) -> None:
    notebooks, out = executed
    for figure in FIGURES[name]:
        png = out / "figures" / figure
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", figure
        assert png.stat().st_size > 10_000, figure
    assert images(notebooks[name]) == len(FIGURES[name])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chart_font_has_hangul_glyphs(executed: tuple[dict, Path], name: str) -> None:
    # The setup cell prints the family matplotlib was told to use; it must resolve to a
    # file that really holds Hangul (not a fallback drawing boxes).
    family = line_with(executed[0][name], "글꼴:").split("글꼴:")[1].strip()
    use_korean_font()  # registers the same bundled files here as in the kernel
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    charmap = FT2Font(path).get_charmap()
    assert all(ord(char) in charmap for char in "가출처보관기간카메라수")


def test_retention_notebook_numbers(executed: tuple[dict, Path]) -> None:
    nb = executed[0]["02_retention_practices"]
    text = output_text(nb)
    assert "출처: 영상정보처리기기 운영·관리 방침, 수집 2024-05-01–2024-05-03" in text
    assert "전국CCTV표준데이터, 데이터기준일 2023-12-31–2024-03-31, 수집 2024-06-01" in text
    assert line_with(
        nb, "방침 설치 현황, 카메라 대수", "모두 336", "30일 미만 28.3%", "30일 59.8%", "초과 11.9%"
    )
    assert line_with(
        nb, "표준데이터, 설치 지점 수", "모두 7", "30일 미만 14.3%", "30일 57.1%", "30일 초과 28.6%"
    )
    # days, camera rows, cameras, standard points, standard cameras
    assert line_with(nb, " 30 ", " 4 ", " 201 ", " 44")
    assert line_with(nb, " 60 ", " 1 ", " 40 ")
    assert line_with(nb, " 45 ", " 0 ", " 30")
    # Per region and level: 서울 구 (강남) states 60 days; 대전 only in standard data (–).
    assert line_with(nb, "서울특별시", " 구 ", " 60 ")
    assert line_with(nb, "대전광역시", " 구 ", " – ")
    # By purpose: 생활방범 250 cameras in 3 rows, 80 of them under 30 days; 어린이보호 40 over.
    assert line_with(nb, "생활방범", " 3 ", " 250 ", " 80")
    assert line_with(nb, "어린이보호", " 40 ")
    # Over 30 days: 강남 in both sources, 김천 in the standard data only (45 days).
    assert "4곳 중 2곳이 30일 넘게 적음: 방침 1곳, 표준데이터 2곳, 둘 다 1곳" in text
    assert line_with(nb, "서울특별시 강남구", "방침+표준데이터", "60")
    assert line_with(nb, "경상북도 김천시", "표준데이터", "45")
    # Change over time: 6 versions of 3 policies, 2 change retention, 1 by a parser change.
    assert "방침 3개의 판 6개; 그중 2개가 적힌 보관기간을 바꿈 (그중 1개는 파서 변경 때문)" in text
    assert line_with(nb, "서울특별시 강남구", "1 → 2", "2024년 5월 2일", "14–30", "14–60")
    assert line_with(nb, "인천광역시 미추홀구", "7–20", "7–30", "0.1.0")
    # 강남 is in two standard-data files: 2022-12-31 (2 points) and 2024-03-31 (3 points).
    assert "여러 표준데이터 파일에 나오는 기관: 1곳" in text
    assert line_with(nb, "서울특별시 강남구", "2022년 12월 31일", " 2 ", " 30 ")
    assert line_with(nb, "서울특별시 강남구", "2024년 3월 31일", " 3 ", "60", "33.3")


def test_compare_notebook_numbers(executed: tuple[dict, Path]) -> None:
    nb = executed[0]["03_compare_institutions"]
    text = output_text(nb)
    assert "비교 기관 2곳: 경상북도 김천시 (5060000), 인천광역시 미추홀구 (3510500)" in text
    # At a glance, 김천 then 미추홀 (the order of inst_codes).
    assert line_with(nb, "필수 기재사항 수(1–7)", " 7 ", " 4")
    assert line_with(nb, "방침 보관기간 ", "30일", "7–30일")
    assert line_with(nb, "카메라 행 수", " 2 ", " 3")
    assert line_with(nb, "카메라 대수 합계", " 56 ", " 115")
    assert line_with(nb, "표준데이터 카메라 대수", " 70 ", " 0")
    assert line_with(nb, "대조 결과", "표준데이터가 방침보다 20% 넘게 많음", "표준데이터 없음")
    assert line_with(nb, "품질 이슈(오류/경고/참고)", "0/0/1", "0/0/2")
    assert line_with(nb, "수집일", "수집 2024-05-02", "수집 2024-05-03")
    # Required items: 미추홀 misses 2, 5 and 7; 김천 misses only 8 (not required).
    assert line_with(nb, "제2호 대수·위치·범위", "○", "✗")
    assert line_with(nb, "제8호 그 밖의 사항", "✗", "○")
    assert line_with(nb, "제3호 관리책임자·접근권한").count("○") == 2
    # Retention: 김천's standard data goes to 45 days, half its points over 30.
    assert line_with(nb, "경상북도 김천시 (5060000)", "30", "45", "50")
    assert line_with(nb, "인천광역시 미추홀구 (3510500)", "7", "18.5", "30")
    # Cameras by purpose, policy (standard): 김천 생활방범 50 (40), 미추홀 80 (0).
    assert line_with(nb, "생활방범", "50 (40)", "80 (0)")
    assert line_with(nb, "합계", "56 (70)", "115 (0)")
    assert "경상북도 김천시 (5060000): 표준데이터가 방침보다 20% 넘게 많음" in text
    assert "인천광역시 미추홀구 (3510500): 표준데이터 없음" in text
    assert line_with(nb, "보관기간 미기재", "해석", " 0 ", " 2")
    assert "문서를 읽을 수 없음" not in text  # 강남's issue is not one of theirs


def test_quality_notebook_numbers(executed: tuple[dict, Path]) -> None:
    nb = executed[0]["04_data_quality"]
    text = output_text(nb)
    assert "출처: 품질 이슈 (수집·해석·구축), 아카이브 수집 2024-05-01–2024-05-03" in text
    assert "이슈 8건, 7종류: 오류 1건, 경고 4건, 참고 3건" in text
    assert line_with(nb, "보관기간 미기재", " 2 ", " 1 ", "해석")
    # By institution, errors first: 강남 (구, 서울특별시) has the one error.
    first = text.split("가장 많은 이슈")[1].splitlines()[1]
    assert all(w in first for w in ("서울특별시 강남구", "3220000", " 구 ", "서울특별시", " 1 "))
    assert line_with(nb, "서울특별시", "광역", "서울특별시", " 0 ", " 2 ", " 0 ", " 2 ")
    assert line_with(nb, "(기관 미상)", "inst_unresolved")
    # By stage: 해석 0 errors, 1 warning, 3 infos, 4 issues of 3 institutions, 3 kinds.
    assert line_with(nb, "해석 ", " 0 ", " 1 ", " 3 ", " 4 ", " 3 ", " 3")
    assert line_with(nb, "표준데이터 ", " 0 ", " 2 ", " 0 ", " 2 ", " 1 ", " 2")
    # Validation: the latest run and what failed, error-level first.
    assert "가장 최근 검증(실행 2024-05-04): 규칙 3개 중 2개 실패 (오류 1개, 경고 1개)" in text
    assert line_with(nb, "방침의 설치 현황 · 오류", "오류", " 2 ", " 1 ", " 1")
    assert line_with(nb, "운영·관리 방침 · 경고", "운영·관리 방침", "items", "경고", " 2 ", " 4 ")
    assert text.index("보관기간(일)") < text.index("§6 rule 1: all items stated")
    # Template pages: 서울's page, no inventory parsed from its attachments.
    assert "서식(템플릿) 방침 페이지: 4개 중 1개; 첨부파일에서 설치 현황을 읽은 곳 0개, " in text
    assert line_with(nb, "서울특별시", "6110000", "광역", " 2 ", " 1 ", " 0 ", "2024년 5월 1일")


def test_map_notebook_numbers(executed: tuple[dict, Path]) -> None:
    nb = executed[0]["05_camera_map"]
    text = output_text(nb)
    assert "설치 지점 8개 (기관 4곳); 국내 범위 안 좌표 7개" in text
    assert "출처: 전국CCTV표준데이터, 데이터기준일 2023-12-31–2024-03-31, 수집 2024-06-01" in text
    # purpose, points, cameras, on map, institutions, off map
    assert line_with(nb, "생활방범", " 3 ", " 43 ", " 3 ", " 3 ", " 0")
    assert line_with(nb, "쓰레기단속", " 1 ", " 1 ", " 0 ", " 1 ", " 1")
    # The frame follows the seven points inside Korea, not the one at (0, 0).
    assert "지도 범위: 경도 126.98–129.13°E, 위도 35.13–37.57°N (국내 범위 안 지점 7개" in text
    # The point it cannot place is listed with its institution and coordinates.
    assert "지도 밖 지점: 1개 (좌표 없음 0개, 국내 범위 밖 1개)" in text
    assert line_with(nb, "대전광역시 동구", "3640000", " 0 ", " 0")
    assert "지도 밖 지점: 1개; 10곳 이상이 같은 좌표인 지점: 0개" in text
    assert line_with(nb, "3640000", "대전광역시 동구", " 2 ", " 1 ", " 1 ")
    assert line_with(nb, "?", "○○공단", " 1 ", " 1 ", " 0 ")


def test_map_frame_ignores_a_point_at_zero(tmp_path: Path) -> None:
    # One point at (0, 0) and one in Seoul: the map frames Seoul, inside Korea, and lists
    # the other point under it instead of dropping it or zooming out to the equator.
    rows = {
        "institutions": ROWS["institutions"],
        "standard_points": [
            _point("3220000", "생활방범", 2, 30, 37.5, 127.0, address_road="서울 강남구 1"),
            _point("3640000", "생활방범", 1, 30, 0.0, 0.0, address_road="대전 동구 2"),
        ],
    }
    build_full_warehouse(tmp_path / "data", rows)
    (path,) = run_notebooks(tmp_path / "data", tmp_path / "out", names=["05_camera_map"])
    nb = nbformat.read(path, as_version=4)
    assert_clean(nb)
    frame = re.search(
        r"지도 범위: 경도 ([\d.]+)–([\d.]+)°E, 위도 ([\d.]+)–([\d.]+)°N", output_text(nb)
    )
    assert frame, output_text(nb)
    lon0, lon1, lat0, lat1 = map(float, frame.groups())
    assert 124.5 <= lon0 < 127.0 < lon1 <= 132.0
    assert 33.0 <= lat0 < 37.5 < lat1 <= 38.7
    assert line_with(nb, "대전광역시 동구", "3640000", "대전 동구 2", " 0 ", " 0")
    assert "서울 강남구 1" not in output_text(nb)  # the point on the map is not listed
    assert (tmp_path / "out" / "figures" / "camera_map.png").stat().st_size > 5_000


# --- parameters of the comparison: one code, an unknown code -----------------------------------


def _with_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codes: list[str]) -> None:
    """A copy of the comparison notebook with `inst_codes` set in a cell injected right after
    the `parameters` cell, as papermill and `cctv report` do; run_notebooks then runs it."""
    nb = nbformat.read(NOTEBOOKS_DIR / "03_compare_institutions.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nbformat.v4.new_code_cell(f"inst_codes = {codes!r}")
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(at + 1, injected)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(nb, notebooks / "03_compare_institutions.ipynb")
    monkeypatch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", notebooks)


def test_compare_notebook_with_one_injected_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_full_warehouse(tmp_path / "data", ROWS)
    _with_codes(tmp_path, monkeypatch, ["3220000"])
    (path,) = run_notebooks(tmp_path / "data", tmp_path / "out", names=["03_compare_institutions"])
    nb = nbformat.read(path, as_version=4)
    assert_clean(nb)
    text = output_text(nb)
    assert "비교 기관 1곳: 서울특별시 강남구 (3220000)" in text
    assert "김천" not in text and "미추홀" not in text
    assert line_with(nb, "방침 보관기간 ", "14–60일")
    assert line_with(nb, "카메라 대수 합계", " 175")
    assert line_with(nb, "표준데이터 카메라 대수", " 4")
    assert line_with(nb, "대조 결과", "정상")
    assert line_with(nb, "품질 이슈(오류/경고/참고)", "1/0/0")
    assert "서울특별시 강남구 (3220000): 정상" in text
    assert line_with(nb, "생활방범", "120 (2)")
    for kind in ("items", "retention", "cameras"):
        assert (tmp_path / "out" / "figures" / f"compare_3220000_{kind}.png").stat().st_size
    assert images(nb) == 3


def test_compare_notebook_rejects_an_unknown_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_full_warehouse(tmp_path / "data", ROWS)
    _with_codes(tmp_path, monkeypatch, ["5060000", "9999999"])
    with pytest.raises(NotebookError) as caught:
        run_notebooks(tmp_path / "data", tmp_path / "out", names=["03_compare_institutions"])
    message = str(caught.value)
    assert "\n" not in message
    assert caught.value.error.startswith("ValueError: unknown institution code 9999999: ")
    assert "5060000" not in caught.value.error


# --- a warehouse with (almost) nothing in it ----------------------------------------------------


def test_notebooks_on_a_nearly_empty_warehouse(tmp_path: Path) -> None:
    # Tables exist but hold no policy, camera, standard point or issue; one policy version;
    # `cctv validate` never ran.
    rows = {
        "institutions": ROWS["institutions"],
        "policy_versions": [_version("5060000", 1, _at(2), None, 30, 30)],
    }
    build_full_warehouse(tmp_path / "data", rows)
    paths = run_notebooks(tmp_path / "data", tmp_path / "out", names=NOTEBOOKS)
    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in paths}
    for name, nb in notebooks.items():
        assert_clean(nb)
        assert images(nb) == len(FIGURES[name]), name
    text = {name: output_text(nb) for name, nb in notebooks.items()}
    assert "기재된 보관기간 없음" in text["02_retention_practices"]
    assert "아직 방침마다 판이 하나뿐입니다(방침 1개, 기관 1곳)" in text["02_retention_practices"]
    assert "전국CCTV표준데이터: 자료 없음" in text["02_retention_practices"]
    assert "이슈 0건, 0종류" in text["04_data_quality"]
    assert (
        "이 웨어하우스에는 검증 결과가 없습니다: `cctv validate`를 아직 실행하지 않아"
        in text["04_data_quality"]
    )
    assert "표준데이터 지점(standard_points)이 없습니다" in text["05_camera_map"]
    assert "이 기관들에 기록된 품질 이슈가 없습니다" in text["03_compare_institutions"]
    assert (tmp_path / "out" / "figures" / "camera_map.png").stat().st_size > 5_000


def test_notebooks_without_a_warehouse_say_so(tmp_path: Path) -> None:
    with pytest.raises(NotebookError) as caught:
        run_notebooks(tmp_path / "none", tmp_path / "out", names=["02_retention_practices"])
    assert caught.value.error.startswith("FileNotFoundError: no warehouse at ")
    assert "cctv build" in caught.value.error


# --- real standard data ------------------------------------------------------------------------


@pytest.mark.realdata
def test_retention_and_map_on_real_standard_data(tmp_path: Path) -> None:
    # 대전 5 구 (9,037 records, G4) and 서울 성북구 (1,114 records, G1): PROVENANCE.md §1a/§1c
    # gives their 보관일수: 30 ×(816 + 6,705), 7 ×(28 + 380), 14 ×246, 20 ×(14 + 42); 성북구's
    # ten 0s mean "unknown" and 대전's 1,910 blanks state nothing.
    from pipelines.standard import import_files
    from registry import load_registry
    from warehouse.build import build

    files = [
        realdata("std_data", "daejeon_2025-2026", "cctv.csv"),
        realdata("std_data", "seoul_gu_2017-2019", "서울특별시_성북구_CCTV_20181031.csv"),
    ]
    paths = data_paths(tmp_path / "data")
    import_files(paths, files)
    build(paths, load_registry())
    out = tmp_path / "out"
    written = run_notebooks(paths.root, out, names=["02_retention_practices", "05_camera_map"])
    retention, camera_map = (nbformat.read(p, as_version=4) for p in written)
    for nb in (retention, camera_map):
        assert_clean(nb)
    assert line_with(
        retention,
        "표준데이터, 설치 지점 수",
        "모두 8,231",
        "30일 미만 8.6%",
        "30일 91.4%",
        "30일 초과 0.0%",
    )
    assert line_with(retention, " 30 ", " 0 ", " 7,521 ")
    assert line_with(retention, " 7 ", " 0 ", " 408 ")
    assert line_with(retention, "서울특별시", " 구 ", " 1 ")
    # Four of the five 대전 구 state a period; 동구 leaves every 보관일수 blank.
    assert line_with(retention, "대전광역시", " 구 ", " 4 ", " 0 ", " – ", " 4 ", " 0")
    assert "데이터기준일 2018-10-01–2026-05-20" in output_text(retention)
    assert "설치 지점 10,151개 (기관 6곳)" in output_text(camera_map)
    assert (out / "figures" / "camera_map.png").stat().st_size > 50_000
    assert (out / "figures" / "retention_distribution.png").stat().st_size > 10_000
