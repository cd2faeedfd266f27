"""Page-level statements: prose in a 개인정보 처리방침's CCTV section, pointer sentences."""

from __future__ import annotations

import pytest

from transforms.html.document import read_document
from transforms.statements import from_lines, from_prose, is_pointer, page_defaults, with_prose

PRIVACY_POLICY = """<html><body><div id="content"><h2>개인정보 처리방침</h2>
<h3>제1조(개인정보의 처리목적)</h3><p>본 관은 다음의 목적을 위하여 개인정보를 처리합니다.</p>
<h3>제2조(개인정보의 처리 및 보유기간)</h3><p>회원 정보는 회원 탈퇴 시까지 1년간 보유합니다.</p>
<h3>제3조(개인정보 처리업무의 위탁)</h3>
<p>홈페이지 유지보수: (주)웹솔루션(02-555-1234)에 위탁합니다.</p>
<h3>제4조(영상정보처리기기 설치·운영)</h3><p>{cctv}</p>
<p>영상정보처리기기의 유지보수는 (주)안전보안(02-777-8888)에 위탁합니다.</p>
<h3>제5조(개인정보 보호책임자)</h3><p>보호책임자: 총무과장 김철수 (02-111-2222)</p>
</div></body></html>"""


def _doc(cctv: str):
    return read_document(PRIVACY_POLICY.format(cctv=cctv))


def test_one_sentence_is_read_like_a_table() -> None:
    doc = _doc("영상정보는 24시간 촬영되며 촬영일로부터 30일간 관제실에 보관합니다.")
    assert from_prose(doc) == [
        ("촬영시간", "24시간", False),
        ("보관기간", "촬영일로부터 30일간", False),
        ("보관장소", "관제실", False),
    ]
    assert page_defaults(from_prose(doc)) == {
        "recording_hours": "24시간",
        "retention": "촬영일로부터 30일간",
        "storage_location": "관제실",
    }


def test_scheduled_hours_and_a_place_of_two_words() -> None:
    doc = _doc("CCTV는 09:00~18:00 녹화하며 영상은 1개월 동안 본관 상황실에 보관됩니다.")
    said = dict((k, v) for k, v, _ in from_prose(doc))
    assert said == {"촬영시간": "09:00~18:00", "보관기간": "1개월 동안", "보관장소": "본관 상황실"}


def test_other_processing_of_a_privacy_policy_is_not_cctv() -> None:
    """제2조's 1년간 보유 is about members' data, not footage."""
    doc = _doc("영상정보처리기기를 설치·운영합니다.")
    assert from_prose(doc) == []


def test_a_pointer_gives_no_place() -> None:
    doc = _doc("촬영된 영상정보는 위 표의 보관장소에 30일간 보관합니다.")
    assert from_prose(doc) == [("보관기간", "30일간", False)]


def test_a_stated_value_is_not_overridden_by_prose() -> None:
    doc = _doc("영상정보는 24시간 촬영되며 촬영일로부터 30일간 관제실에 보관합니다.")
    said = with_prose(doc, [("보관기간", "촬영일로부터 14일", False)])
    assert ("보관기간", "촬영일로부터 14일", False) in said
    assert all(v != "촬영일로부터 30일간" for _, v, _ in said)


@pytest.mark.parametrize(
    "text",
    [
        "위 표의 보관장소",
        "위 시설별 설치 현황의 보관일수 및 저장 위치와 같습니다.",
        "붙임 참조",
        "별첨과 같음",
        "위 현황과 같음",
        "상기 표 참조",
        "아래 표와 같습니다",
    ],
)
def test_pointers(text: str) -> None:
    assert is_pointer(text)


@pytest.mark.parametrize(
    "text", ["관제센터", "촬영일로부터 30일", "본관 1층 방재실", "각 시설 방재실", "위생과 사무실"]
)
def test_values_are_not_pointers(text: str) -> None:
    assert not is_pointer(text)


def test_a_key_value_line_that_points_elsewhere_states_nothing() -> None:
    page = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <h3>4. 영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법</h3>
    <p>- 촬영시간 : 24시간</p><p>- 보관장소 : 위 표의 보관장소와 같음</p>
    <p>- 보관기간 : 촬영일로부터 30일</p></div></body></html>"""
    keys = [k for k, _, _ in from_lines(read_document(page))]
    assert keys == ["촬영시간", "보관기간"]


def test_several_statements_on_one_line() -> None:
    page = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <h3>4. 영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법</h3>
    <p>촬영시간 : 24시간 / 보관기간 : 촬영일로부터 20일 / 보관장소 : 1층 종합안내실</p>
    <h3>5. 확인 방법</h3><p>모든 영상정보처리기기는 24시간 촬영하며, 보관기간 : 촬영일로부터
    30일, 보관장소 : 영주시 CCTV 통합관제센터</p></div></body></html>"""
    said = from_lines(read_document(page))
    assert said == [
        ("촬영시간", "24시간", False),
        ("보관기간", "촬영일로부터 20일", False),
        ("보관장소", "1층 종합안내실", False),
        ("보관기간", "촬영일로부터 30일", False),
        ("보관장소", "영주시 CCTV 통합관제센터", False),
    ]


def test_a_listed_key_line_read_as_prose() -> None:
    doc = _doc(
        "④ 촬영시간, 보관기간 및 보관장소 : 24시간 촬영하며, "
        "촬영일로부터 15일간 1층 사무실에 보관합니다."
    )
    assert dict((k, v) for k, v, _ in from_prose(doc)) == {
        "촬영시간": "24시간",
        "보관기간": "촬영일로부터 15일간",
        "보관장소": "1층 사무실",
    }


def test_a_board_is_no_storage_place() -> None:
    assert is_pointer("제3조의 게시판에 시설별로 공개")
