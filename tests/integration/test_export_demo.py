"""The exports on the demo warehouse: what a regulator gets from `cctv demo`'s data."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from archive.paths import data_paths
from tests.seeds import INSTITUTIONS, MICHUHOL, SEOUL, TEMPLATES
from tests.support import query_warehouse
from warehouse.exports.standard_csv import export_standard
from warehouse.exports.workbook import export_excel

pytestmark = pytest.mark.slow


q = query_warehouse


def rows_of(path: Path, encoding: str) -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_standard_csv_of_the_demo(demo_data: Path, tmp_path: Path, encoding: str) -> None:
    out = tmp_path / f"standard-{encoding}.csv"
    written = export_standard(data_paths(demo_data).duckdb, out, encoding=encoding)
    rows = rows_of(out, "utf-8-sig" if encoding == "utf-8" else "cp949")
    assert (
        written
        == len(rows)
        == q(demo_data, "SELECT count(*) FROM cameras WHERE NOT is_template")[0][0]
    )
    michuhol = [r for r in rows if r["개방자치단체코드"] == MICHUHOL.code]
    assert len(michuhol) == MICHUHOL.camera_rows
    assert sum(int(r["카메라대수"]) for r in michuhol if r["카메라대수"]) == MICHUHOL.cameras
    assert {r["관리기관명"] for r in michuhol} == {MICHUHOL.name}
    assert "본청 전체(각층), 종합민원실,주차장 등" in {r["소재지지번주소"] for r in michuhol}
    # The two rows that state no retention stay empty; 녹화무 is a stated 0.
    assert sum(r["보관일수"] == "" for r in michuhol) == 2
    assert "0" in {r["보관일수"] for r in michuhol}
    # Template pages (서울특별시, 군산시's page) contribute no rows.
    assert all(r["개방자치단체코드"] != SEOUL.code for r in rows)
    assert (
        sum(int(r["카메라대수"] or 0) for r in rows)
        == q(demo_data, "SELECT sum(camera_count) FROM cameras WHERE NOT is_template")[0][0]
    )


def test_comparison_workbook_of_the_demo(demo_data: Path, tmp_path: Path) -> None:
    out = export_excel(data_paths(demo_data).duckdb, tmp_path / "compare.xlsx")
    wb = openpyxl.load_workbook(out)
    assert {"기관별 비교", "보관기간", "필수항목", "품질이슈", "출처", "설명"} <= set(wb.sheetnames)
    ws = wb["기관별 비교"]
    headers = [c.value for c in ws[1]]
    rows = {
        r[0]: dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {seed.code for seed in INSTITUTIONS}
    michuhol = rows[MICHUHOL.code]
    assert (michuhol["카메라 행 수"], michuhol["카메라 대수 합계"]) == (
        MICHUHOL.camera_rows,
        MICHUHOL.cameras,
    )
    assert (michuhol["방침 보관기간 최소(일)"], michuhol["방침 보관기간 최대(일)"]) == (7, 30)
    assert michuhol["서식(템플릿) 여부"] == "아니오"
    assert [rows[seed.code]["서식(템플릿) 여부"] for seed in TEMPLATES] == ["예"] * len(TEMPLATES)
    issues = q(demo_data, "SELECT level, count(*) FROM quality_issues GROUP BY ALL")
    shown = {"error": "품질이슈 오류", "warning": "품질이슈 경고", "info": "품질이슈 참고"}
    for level, count in issues:
        assert sum(r[shown[level]] for r in rows.values()) == count
    assert wb["품질이슈"].max_row - 1 == sum(c for _, c in issues)

    sources = wb["출처"]
    listed = {sources.cell(r, 5).value for r in range(8, sources.max_row + 1)}
    used = q(
        demo_data,
        "SELECT capture_sha256 FROM cameras UNION SELECT capture_sha256 FROM policies",
    )
    assert {sha for (sha,) in used} <= listed
    legend = wb["설명"]
    explained = {
        (legend.cell(r, 1).value, legend.cell(r, 2).value) for r in range(8, legend.max_row + 1)
    }
    for sheet in wb.sheetnames[:-1]:
        header_row = 7 if sheet == "출처" else 1
        assert {(sheet, c.value) for c in wb[sheet][header_row]} <= explained, sheet
