"""Header synonyms: the place, contractor and other columns under the headers real tables use."""

from __future__ import annotations

import pytest

from transforms.columns import map_columns, map_header
from transforms.grid import Grid


@pytest.mark.parametrize(
    "header",
    [
        "구역",
        "장소",
        "설치장소",
        "위치",
        "설치위치",
        "설치위치 및 촬영범위",
        "촬영범위",
        "설치 장소(위치)",
        "설치구역",
        "감시구역",
        "촬영 범위(방향)",
        "CCTV 설치장소",
    ],
)
def test_place_headers(header: str) -> None:
    assert map_header(header) == "location"


@pytest.mark.parametrize(
    "header", ["유지보수업체", "위탁업체", "수탁자", "수탁업체명", "유지보수 업체명", "수탁기관"]
)
def test_contractor_headers(header: str) -> None:
    assert map_header(header) == "contractor"


@pytest.mark.parametrize("header", ["위탁업무", "층", "비고란 참고사항 기타 내용이 긴 문장입니다"])
def test_other_headers_are_not_places_or_contractors(header: str) -> None:
    assert map_header(header) not in ("location", "contractor")


def _grid(header: list[str], *rows: list[str]) -> Grid:
    return Grid(name="table 1", rows=[header, *rows], header_rows=1)


def test_a_zone_column_gives_way_to_the_place_column() -> None:
    """구역 beside 설치장소: the specific header is the place, the zone is reported."""
    columns = map_columns(_grid(["구역", "설치장소", "대수"], ["주경기장", "본부석 출입구", "6"]))
    assert columns.fields == {1: "location", 2: "camera_count"}
    assert columns.unmapped == [(0, "구역")]


def test_an_unfamiliar_header_is_reported_by_name() -> None:
    columns = map_columns(_grid(["설치장소", "대수", "층"], ["로비", "2", "1층"]))
    assert columns.fields == {0: "location", 1: "camera_count"}
    assert columns.unmapped == [(2, "층")]
