"""sections: the eight items of 시행령 제25조제1항 by vocabulary, and the parts of a page."""

from __future__ import annotations

import pytest

from transforms.grid import Grid
from transforms.html.document import Block, Document
from transforms.sections import (
    cctv_blocks,
    device_types,
    in_sections,
    is_general_privacy_policy,
    items_in,
    items_present,
    section_title,
)


def _doc(*blocks: Block) -> Document:
    text = "\n".join(b.text for b in blocks if b.kind != "table")
    return Document(
        title="", blocks=list(blocks), page_headings=[], links=[], text=text, full_text=text
    )


def _line(text: str) -> Block:
    return Block("line", text)


def _heading(text: str, level: int = 3) -> Block:
    return Block("heading", text, level=level)


def _table(name: str, rows: list[list[str]], caption: str = "") -> Block:
    return Block("table", caption, grid=Grid(name=name, rows=rows, header_rows=1, caption=caption))


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("설치목적 및 장소", [1]),
        ("시설 안전을 위하여 청사에 CCTV를 설치·운영합니다", [1]),
        ("설치 및 운영 근거", [1]),
        ("총 12대를 설치", [2]),
        ("설치 대수 및 촬영 범위", [2]),
        ("관리책임자 및 접근권한자", [3]),
        ("보관기간 및 보관장소", [4]),
        ("촬영일로부터 30일간 보관하며 파기", [4]),
        ("확인방법", [5]),
        ("관제센터에 방문하여 확인", [5]),
        ("열람 등 요구", [6]),
        ("열람·존재확인 청구", [6]),
        ("잠금장치", [7]),
        ("기술적·관리적 및 물리적 조치", [7]),
        ("유지보수 위탁", [8]),
        ("방침 변경", [8]),
        ("그 밖에 영상정보처리기기의 설치·운영 및 관리에 필요한 사항", [8]),
    ],
)
def test_each_item_by_its_vocabulary(text: str, items: list[int]) -> None:
    assert items_present(text) == items


def test_item_4_needs_two_distinct_words() -> None:
    assert items_present("보관기간 30일") == []
    assert items_present("보관기간 30일, 보관기간 만료") == []
    assert items_present("보관기간 30일, 보관장소 관제실") == [4]


def test_hours_of_filming_count_for_item_4() -> None:
    assert items_present("24시간 연속 촬영, 30일간 보관") == [4]


def test_the_processing_record_of_item_4_is_not_item_6() -> None:
    """ "…파기, 열람 등 요구에 관한 사항을 기록·관리" describes 처리방법, not the right to ask."""
    assert items_present("파기, 열람 등 요구에 관한 사항을 기록·관리") == []


def test_items_are_found_in_spaced_text_and_in_order() -> None:
    text = "8. 방침 변경\n3. 관리 책임자\n1. 설치 목적"
    assert items_present(text) == [1, 3, 8]


def test_unrelated_text_has_no_items() -> None:
    assert items_present("오시는 길 · 사이트맵 · 저작권 정책") == []


@pytest.mark.parametrize(
    ("block", "title"),
    [
        (_heading("아무 제목"), "아무 제목"),
        (_line("제3조(영상정보처리기기 설치)"), "제3조(영상정보처리기기 설치)"),
        (_line("제 3 조 (목적)"), "제 3 조 (목적)"),
        (_line("3. 이동형 영상정보처리기기 운영"), "3. 이동형 영상정보처리기기 운영"),
        (_line("2) 보관기간"), "2) 보관기간"),
        (_line("가. 설치 대수"), "가. 설치 대수"),
        (_line("【설치현황】"), "【설치현황】"),
        (_line("<관리책임자>"), "<관리책임자>"),
    ],
)
def test_a_heading_or_short_numbered_line_opens_a_section(block: Block, title: str) -> None:
    assert section_title(block) == title


@pytest.mark.parametrize(
    "block",
    [
        _line("1. 영상정보처리기기를 설치합니다."),  # a sentence
        _line("보관기간"),  # not numbered
        _line("1. " + "설치" * 35),  # longer than a title
        _table("table 1", [["설치위치"], ["정문"]]),
    ],
)
def test_sentences_unnumbered_long_lines_and_tables_open_nothing(block: Block) -> None:
    assert section_title(block) is None


def test_sections_nest_by_numbering_and_a_title_closes_its_level() -> None:
    doc = _doc(
        _line("제1조(목적)"),
        _line("본문"),
        _line("가. 고정형"),
        _line("고정형 본문"),
        _line("나. 이동형"),
        _line("제2조(보관)"),
        _line("끝"),
    )
    assert [path for _, path in in_sections(doc)] == [
        "제1조(목적)",
        "제1조(목적)",
        "제1조(목적) > 가. 고정형",
        "제1조(목적) > 가. 고정형",
        "제1조(목적) > 나. 이동형",
        "제2조(보관)",
        "제2조(보관)",
    ]


def test_a_block_before_any_title_has_an_empty_path() -> None:
    doc = _doc(_line("머리말"), _heading("영상정보처리기기 운영·관리 방침", 2))
    assert [path for _, path in in_sections(doc)] == ["", "영상정보처리기기 운영·관리 방침"]


def test_headings_nest_by_their_tag_above_numbered_lines() -> None:
    doc = _doc(
        _heading("방침", 2),
        _heading("보관", 3),
        _line("1. 기간"),
        _heading("열람", 3),
    )
    assert [path for _, path in in_sections(doc)] == [
        "방침",
        "방침 > 보관",
        "방침 > 보관 > 1. 기간",
        "방침 > 열람",
    ]


def _privacy_policy(*cctv: Block) -> Document:
    return _doc(
        _heading("제1조(개인정보의 처리목적)"),
        _line("회원 가입 및 민원 처리를 위하여 개인정보를 처리합니다."),
        _heading("제2조(개인정보의 처리 위탁)"),
        _line("홈페이지 유지보수를 (주)웹누리에 위탁합니다."),
        _heading("제3조(영상정보처리기기 설치·운영)"),
        *cctv,
        _heading("제4조(개인정보의 파기)"),
        _line("보유기간이 지난 개인정보는 파기합니다."),
    )


def test_a_privacy_policy_is_told_by_two_of_its_own_sections() -> None:
    assert is_general_privacy_policy(_privacy_policy())


def test_one_privacy_section_does_not_make_a_privacy_policy() -> None:
    doc = _doc(_heading("1. 개인정보의 처리목적"), _heading("2. 영상정보처리기기 설치 근거"))
    assert not is_general_privacy_policy(doc)


def test_a_cctv_policy_is_not_a_privacy_policy() -> None:
    doc = _doc(_heading("1. 설치근거 및 목적"), _heading("2. 보관기간"), _line("관리책임자"))
    assert not is_general_privacy_policy(doc)


def test_the_cctv_blocks_of_a_privacy_policy_are_its_cctv_section() -> None:
    doc = _privacy_policy(_line("청사 출입구에 CCTV 4대를 설치·운영합니다."))
    assert [b.text for b in cctv_blocks(doc)] == [
        "제3조(영상정보처리기기 설치·운영)",
        "청사 출입구에 CCTV 4대를 설치·운영합니다.",
    ]


def test_every_block_of_a_cctv_policy_is_a_cctv_block() -> None:
    doc = _doc(_heading("1. 설치목적"), _line("범죄 예방"), _heading("2. 위탁"))
    assert cctv_blocks(doc) == doc.blocks


def test_items_of_a_privacy_policy_come_from_its_cctv_section_only() -> None:
    """Its 위탁 of homepage maintenance is not item 8; its 파기 is not item 4."""
    doc = _privacy_policy(
        _line("청사 보안을 위하여 CCTV를 설치·운영합니다."),
        _table("table 1", [["설치대수", "설치위치"], ["4", "출입구"]]),
    )
    assert items_in(doc, "") == [1, 2]


def test_items_of_a_cctv_policy_include_the_table_headers() -> None:
    doc = _doc(_heading("1. 설치목적"), _line("범죄 예방"))
    assert items_in(doc, "") == [1]
    assert items_in(doc, "설치위치 설치대수 보관기간 보관장소") == [1, 2, 4]


def test_tables_in_a_mobile_section_are_mobile() -> None:
    doc = _doc(
        _line("1. 고정형 영상정보처리기기"),
        _table("table 1", [["설치위치", "대수"], ["정문", "2"]]),
        _line("2. 이동형 영상정보처리기기"),
        _table("table 2", [["운영부서", "대수"], ["단속팀", "1"]]),
        _line("3. 드론"),
        _table("table 3", [["운영부서", "대수"], ["재난과", "1"]]),
    )
    assert device_types(doc) == {"table 2": "mobile", "table 3": "mobile"}


def test_a_section_naming_both_kinds_is_not_mobile() -> None:
    doc = _doc(
        _line("1. 고정형·이동형 영상정보처리기기 현황"),
        _table("table 1", [["설치위치", "대수"], ["정문", "2"]]),
    )
    assert device_types(doc) == {}


def test_a_mobile_caption_makes_its_table_mobile() -> None:
    doc = _doc(_table("table 1", [["부서", "대수"], ["교통과", "3"]], caption="차량용 카메라 현황"))
    assert device_types(doc) == {"table 1": "mobile"}


def test_each_item_is_shown_in_the_pages_own_words_titles_first() -> None:
    from transforms.html.document import read_document
    from transforms.sections import item_statements

    page = read_document(
        "<html><body><div id='content'>"
        "<p>관리책임자에게 연락하시면 확인할 수 있습니다.</p>"
        "<h3>3. 관리책임자 및 접근권한자</h3><p>관리책임자 : 총무과장</p>"
        "<p>보관기간 : 30일</p>"
        "</div></body></html>"
    )
    assert item_statements(page, [3, 4, 5]) == [
        {
            "item": 3,
            "text": "3. 관리책임자 및 접근권한자",
        },  # the section title, not the first mention
        {"item": 4, "text": "보관기간 : 30일"},
        {"item": 5, "text": "관리책임자에게 연락하시면 확인할 수 있습니다."},
    ]


def test_a_long_statement_is_cut_and_says_so() -> None:
    from transforms.html.document import read_document
    from transforms.sections import STATEMENT_CHARS, item_statements

    page = read_document("<html><body><p>보관기간은 " + "가" * 400 + "</p></body></html>")
    (statement,) = item_statements(page, [4])
    assert len(statement["text"]) == STATEMENT_CHARS and statement["text"].endswith("…")


def test_sections_are_worked_out_again_when_the_blocks_change() -> None:
    """Titles and paths are kept per document, for its blocks as they are when asked."""
    doc = _doc(_heading("방침", 2), _line("본문"))
    assert [path for _, path in in_sections(doc)] == ["방침", "방침"]
    doc.blocks.insert(1, _heading("보관", 3))
    assert [path for _, path in in_sections(doc)] == ["방침", "방침 > 보관", "방침 > 보관"]
    doc.blocks = [_line("머리말")]
    assert [path for _, path in in_sections(doc)] == [""]
    assert cctv_blocks(doc) == doc.blocks
