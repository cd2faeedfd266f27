"""people: roles, masked names, the person grammar, contacts and 수탁업체 in lines and tables."""

from __future__ import annotations

import pytest

from transforms.grid import Grid
from transforms.html.document import Block, Document
from transforms.people import (
    close_masks,
    contacts_from_grid,
    contacts_from_lines,
    contractors,
    has_masked_name,
    is_masked_name,
    person,
    role_of,
)


def _doc(*blocks: Block) -> Document:
    text = "\n".join(b.text for b in blocks if b.kind != "table")
    return Document(
        title="", blocks=list(blocks), page_headings=[], links=[], text=text, full_text=text
    )


def _lines(*texts: str) -> Document:
    return _doc(*(Block("line", t) for t in texts))


def _table(rows: list[list[str]], header_rows: int = 1) -> Block:
    return Block("table", "", grid=Grid(name="table 1", rows=rows, header_rows=header_rows))


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("관리 책임자", "관리책임자"),
        ("개인정보 보호책임자", "보호책임자"),
        ("책임관", "관리책임자"),
        ("개인정보취급자", "접근권한자"),
        ("관리담당", "담당자"),
        ("총무과", None),
    ],
)
def test_roles(text: str, role: str | None) -> None:
    assert role_of(text) == role


@pytest.mark.parametrize(
    ("text", "masked"),
    [("김○○", True), ("서 * *", True), ("이OO", True), ("홍길동", False), ("0000", False)],
)
def test_masked_names_are_real_people(text: str, masked: bool) -> None:
    assert is_masked_name(text) is masked


def test_a_masked_name_among_other_words() -> None:
    assert has_masked_name("이○○ 주무관")
    assert not has_masked_name("홍길동 주무관")
    assert close_masks("정 * * 주무관") == "정** 주무관"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "안전도시과 주무관 오세진 (042-606-6417)",
            ("안전도시과", "주무관", "오세진", "042-606-6417"),
        ),
        # A local number takes the institution's area code.
        ("총무과장 (☎ 606-6410)", (None, "총무과장", None, "042-606-6410")),
        (
            "정보통신팀 팀장 김○○ 연락처: 02-2123-4567",
            ("정보통신팀", "팀장", "김○○", "02-2123-4567"),
        ),
        # A masked name written with gaps is one token.
        ("시설팀 주임 박 * * TEL. 042-606-6411", ("시설팀", "주임", "박**", "042-606-6411")),
    ],
)
def test_the_person_grammar(text: str, expected: tuple) -> None:
    found = person(text, "042")
    assert (found["department"], found["title"], found["name"], found["phone"]) == expected


def test_contacts_from_role_lines() -> None:
    doc = _lines(
        "관리책임자 : 안전도시과장 김태호 (042-606-6410)",
        "- 접근권한자: 안전도시과 주무관 오세진 (042-606-6417)",
        "관리책임자 : 총무과장",  # no number: not a contact
        "담당자 : 홍길동 (042-606-0000)",  # a template's placeholder person
    )
    assert contacts_from_lines(doc, "042") == [
        {
            "role": "관리책임자",
            "name": "김태호",
            "title": "안전도시과장",
            "department": None,
            "phone": "042-606-6410",
        },
        {
            "role": "접근권한자",
            "name": "오세진",
            "title": "주무관",
            "department": "안전도시과",
            "phone": "042-606-6417",
        },
    ]


def test_one_person_per_number_after_현재() -> None:
    doc = _lines("※ 현재 관리책임자 : 재무과장 (041-830-2151), 문화관광과장 (041-830-2251)")
    assert [(c["title"], c["phone"]) for c in contacts_from_lines(doc, "041")] == [
        ("재무과장", "041-830-2151"),
        ("문화관광과장", "041-830-2251"),
    ]


def test_contacts_named_in_a_sentence() -> None:
    doc = _lines(
        "관리책임자는 경영지원팀장 유경호(☎ 033-760-9410)이며, "
        "운영담당자는 행정실 주무관(☎ 033-760-9414)입니다."
    )
    assert [
        (c["role"], c["department"], c["title"], c["name"], c["phone"])
        for c in contacts_from_lines(doc, "033")
    ] == [
        ("관리책임자", None, "경영지원팀장", "유경호", "033-760-9410"),
        ("담당자", "행정실", "주무관", None, "033-760-9414"),
    ]


def test_a_contact_table_with_a_header() -> None:
    grid = Grid(
        "table 1",
        [
            ["구분", "성명", "직위", "소속", "연락처"],
            ["관리책임자", "김○○", "과장", "총무과", "02-2100-1234"],
            ["접근권한자", "홍길동", "주무관", "총무과", "02-2100-1235"],
            ["담당자", "이철수", "주무관", "총무과", "☎ 2100-1236"],
        ],
        header_rows=1,
    )
    assert contacts_from_grid(grid, "02") == [
        {
            "role": "관리책임자",
            "name": "김○○",
            "title": "과장",
            "department": "총무과",
            "phone": "02-2100-1234",
        },
        {
            "role": "담당자",
            "name": "이철수",
            "title": "주무관",
            "department": "총무과",
            "phone": "02-2100-1236",
        },
    ]


def test_a_contact_table_without_a_header_is_read_by_shape() -> None:
    grid = Grid("table 1", [["관리책임자", "총무과장", "김철수", "02-2222-3333"]])
    assert contacts_from_grid(grid, "02") == [
        {
            "role": "관리책임자",
            "name": "김철수",
            "title": "총무과장",
            "department": None,
            "phone": "02-2222-3333",
        }
    ]


def test_a_table_without_roles_has_no_contacts() -> None:
    grid = Grid("table 1", [["설치위치", "대수"], ["정문", "2"]], header_rows=1)
    assert contacts_from_grid(grid, "02") == []


def test_contractors_on_one_line_with_their_numbers() -> None:
    doc = _lines("수탁업체 : (주)한빛정보통신(031-946-2280), 남도통신(주) / 061-722-1100")
    assert contractors(doc, None) == [
        {"name": "(주)한빛정보통신", "phone": "031-946-2280"},
        {"name": "남도통신(주)", "phone": "061-722-1100"},
    ]


def test_a_contractor_and_its_number_in_separate_parts() -> None:
    doc = _lines("수탁업체 : (주)다산보안, 연락처 031-590-8800")
    assert contractors(doc, None) == [{"name": "(주)다산보안", "phone": "031-590-8800"}]


def test_a_contractor_named_in_a_sentence() -> None:
    doc = _lines(
        "영상정보처리기기 유지보수 업무를 (주)가람시스템(033-745-2280)에 위탁하고 있습니다."
    )
    assert contractors(doc, None) == [{"name": "(주)가람시스템", "phone": "033-745-2280"}]


def test_a_number_line_counts_only_under_a_contract_heading() -> None:
    line = Block("line", "(주)가람시스템 033-745-2280")
    assert contractors(_doc(line), None) == []
    heading = Block("heading", "위탁에 관한 사항", level=3)
    assert contractors(_doc(heading, line), None) == [
        {"name": "(주)가람시스템", "phone": "033-745-2280"}
    ]


@pytest.mark.parametrize(
    "line", ["수탁업체 : 직영", "수탁업체 : 해당없음", "수탁업체 : 홍길동(02-2000-0000)"]
)
def test_no_contractor(line: str) -> None:
    assert contractors(_lines(line), None) == []


def test_a_contractor_table() -> None:
    table = _table(
        [["수탁업체", "연락처", "위탁업무"], ["(주)누리보안", "02-2555-1234", "CCTV 유지보수"]]
    )
    assert contractors(_doc(table), None) == [{"name": "(주)누리보안", "phone": "02-2555-1234"}]


def test_the_수탁자_row_of_a_contact_table() -> None:
    table = _table(
        [
            ["구분", "이름", "연락처"],
            ["수탁자", "㈜미래보안", "02-2555-9876"],
            ["관리책임자", "김철수", "02-2555-1111"],
        ]
    )
    assert contractors(_doc(table), None) == [{"name": "㈜미래보안", "phone": "02-2555-9876"}]


def test_a_name_given_with_and_without_its_number_is_one_contractor() -> None:
    doc = _lines("수탁업체 : (주)누리보안 (02-2555-1234)", "수탁업체 : (주)누리보안")
    assert contractors(doc, None) == [{"name": "(주)누리보안", "phone": "02-2555-1234"}]


def test_a_privacy_policys_other_contractors_are_not_cctv_contractors() -> None:
    doc = _doc(
        Block("heading", "제1조(개인정보의 처리목적)", level=3),
        Block("heading", "제2조(개인정보 처리업무의 위탁)", level=3),
        Block("line", "홈페이지 유지보수: (주)웹솔루션(02-2555-1234)에 위탁합니다."),
        Block("heading", "제3조(영상정보처리기기 설치·운영)", level=3),
        Block("line", "영상정보처리기기 유지보수는 (주)안전보안(02-2777-8888)에 위탁합니다."),
    )
    assert contractors(doc, None) == [{"name": "(주)안전보안", "phone": "02-2777-8888"}]
