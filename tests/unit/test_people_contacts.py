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


def _lines(*lines: str):
    from transforms.html.document import read_document

    body = "".join(f"<p>{line}</p>" for line in lines)
    return read_document(
        f"""<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
        <h3>3. 관리책임자 및 접근권한자</h3>{body}<h3>4. 보관기간</h3>
        <p>보관기간 : 촬영일로부터 30일</p></div></body></html>"""
    )


def test_people_named_in_sentences() -> None:
    from transforms.people import contacts_from_lines

    doc = _lines(
        "관리책임자는 경영지원팀장 유경호(☎ 033-760-9410)이며, 영상정보에 접근할 수 있는 "
        "접근권한자는 경영지원팀 주임 서하늘(☎ 033-760-9415)입니다.",
        "책임관은 학교장(☎ 031-755-0711)이며, 운영담당자는 행정실 주무관(☎ 031-755-0714)입니다.",
    )
    found = contacts_from_lines(doc, None)
    assert [(c["role"], c["department"], c["title"], c["name"], c["phone"]) for c in found] == [
        ("관리책임자", None, "경영지원팀장", "유경호", "033-760-9410"),
        ("접근권한자", "경영지원팀", "주임", "서하늘", "033-760-9415"),
        ("관리책임자", None, "학교장", None, "031-755-0711"),
        ("담당자", "행정실", "주무관", None, "031-755-0714"),
    ]


def test_role_lines_numbered_with_a_bracket_or_spaced() -> None:
    from transforms.people import contacts_from_lines

    doc = _lines(
        "가) 개인영상정보 보호책임자 : 행정처장 류성재 (053-560-3710)",
        "관리 책임자 : 부관장 황보영진 (042-627-3301)",
    )
    found = contacts_from_lines(doc, None)
    assert [(c["role"], c["name"], c["phone"]) for c in found] == [
        ("보호책임자", "류성재", "053-560-3710"),
        ("관리책임자", "황보영진", "042-627-3301"),
    ]


def test_two_people_on_one_role_line_and_a_current_note() -> None:
    from transforms.people import contacts_from_lines

    doc = _lines(
        "관리책임자 : 재무과장 (041-830-2151), 문화관광과장 (041-830-2251)",
        "※ 현재 관리책임자 : 화곡본동장 (02-2600-7301)",
        "담당자 : 공하늘 (연락처 032) 760-4154, 4171)",
    )
    found = contacts_from_lines(doc, None)
    assert [(c["title"], c["name"], c["phone"]) for c in found] == [
        ("재무과장", None, "041-830-2151"),
        ("문화관광과장", None, "041-830-2251"),
        ("화곡본동장", None, "02-2600-7301"),
        (None, "공하늘", "032-760-4154"),
    ]


def test_a_key_value_table_with_the_person_and_number_in_one_cell() -> None:
    grid = Grid(
        name="table 4",
        rows=[
            ["개인영상정보 보호책임자", "경영지원본부장 설재훈 (02-2290-6010)"],
            ["관리책임자", "각 운영부서의 장 (위 현황 참조)"],
            ["접근권한자", "정보보안팀 주임 노가은 (02-2290-6187)"],
        ],
        header_rows=0,
    )
    found = contacts_from_grid(grid, "02")
    assert [(c["role"], c["department"], c["title"], c["name"], c["phone"]) for c in found] == [
        ("보호책임자", None, "경영지원본부장", "설재훈", "02-2290-6010"),
        ("접근권한자", "정보보안팀", "주임", "노가은", "02-2290-6187"),
    ]
