"""Contacts from tables real pages use: roles across the header, a person in one cell."""

from __future__ import annotations

from transforms.grid import Grid
from transforms.people import contacts_from_grid


def test_roles_as_column_headers_with_a_phone_in_the_cell() -> None:
    grid = Grid(
        name="table 2",
        rows=[
            ["관리 책임자", "접근 권한자"],
            ["사무국장 제갈소연 (☎051-752-0391)", "관리직 봉태민 (☎051-752-0398)"],
        ],
        header_rows=1,
    )
    assert contacts_from_grid(grid, "051") == [
        {
            "role": "관리책임자",
            "name": "제갈소연",
            "title": "사무국장",
            "department": None,
            "phone": "051-752-0391",
        },
        {
            "role": "접근권한자",
            "name": "봉태민",
            "title": "관리직",
            "department": None,
            "phone": "051-752-0398",
        },
    ]


def test_title_and_name_in_the_person_column_and_extension_lists() -> None:
    grid = Grid(
        name="table 1",
        rows=[
            ["구분", "담당자", "연락처"],
            ["책임관", "학교장 반석우", "031-8005-2200"],
            ["운영담당자", "행정실장 차은경", "031-8005-2210 (내선 211, 212)"],
            ["실시간 모니터링 전담자", "학생안전부장 구본혁", "031-8005-2230~1"],
        ],
        header_rows=1,
    )
    found = contacts_from_grid(grid, "031")
    assert [(c["role"], c["title"], c["name"], c["phone"]) for c in found] == [
        ("관리책임자", "학교장", "반석우", "031-8005-2200"),
        ("담당자", "행정실장", "차은경", "031-8005-2210"),
        ("담당자", "학생안전부장", "구본혁", "031-8005-2230"),
    ]


def test_a_table_of_places_has_no_contacts() -> None:
    grid = Grid(
        name="table 3", rows=[["설치장소", "대수"], ["정문", "1"], ["후문", "2"]], header_rows=1
    )
    assert contacts_from_grid(grid, "031") == []
