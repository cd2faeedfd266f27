"""Items 1-8 of 시행령 제25조제1항 from headings and content, and the parts of a page."""

from __future__ import annotations

import pytest

from transforms.html.document import read_document
from transforms.sections import (
    cctv_blocks,
    device_types,
    in_sections,
    is_general_privacy_policy,
    items_in,
    items_present,
)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("6. 정보주체의 권리행사 및 불복수단", 6),
        ("8. 영상정보처리기기 설치·운영에 관한 사무의 위탁", 8),
        ("5. 개인영상정보의 확인 방법 및 장소", 5),
        ("1. 영상정보처리기기의 설치·운영 근거", 1),
        ("5. 관리책임자에게 미리 연락하신 후 방재실을 방문하시면 확인하실 수 있습니다.", 5),
        ("6. 개인영상정보에 관하여 존재확인 및 열람을 요구할 수 있습니다.", 6),
        ("7. 녹화장치는 잠금장치가 있는 방재실에 둡니다.", 7),
        ("8. 자체운영", 8),
    ],
)
def test_items_from_headings_and_sentences(text: str, item: int) -> None:
    assert item in items_present(text)


def test_hours_and_retention_in_one_sentence_are_item_4() -> None:
    assert 4 in items_present("영상은 24시간 촬영하며 촬영일로부터 30일간 보관합니다.")
    assert 4 not in items_present("영상은 30일간 보관합니다.")


def test_unrelated_text_states_no_item() -> None:
    assert items_present("공지사항 이용안내 오시는 길") == []


PRIVACY = """<html><body><div id="content"><h2>개인정보 처리방침</h2>
<h3>제1조(개인정보의 처리목적)</h3><p>다음의 목적을 위하여 개인정보를 처리합니다.</p>
<h3>제2조(개인정보의 파기)</h3><p>보유기간이 지난 개인정보는 지체 없이 파기합니다.</p>
<h3>제3조(영상정보처리기기 설치·운영)</h3><p>영상정보는 30일간 보관합니다.</p>
<h4>가. 설치 대수</h4><p>로비에 2대를 설치하였습니다.</p>
<h3>제4조(개인정보 보호책임자)</h3><p>총무과장이 보호책임자입니다.</p>
</div></body></html>"""


def test_the_cctv_section_of_a_privacy_policy() -> None:
    doc = read_document(PRIVACY)
    assert is_general_privacy_policy(doc)
    texts = [b.text for b in cctv_blocks(doc)]
    assert "영상정보는 30일간 보관합니다." in texts
    assert "로비에 2대를 설치하였습니다." in texts  # a sub-section stays inside
    assert "총무과장이 보호책임자입니다." not in texts
    assert "보유기간이 지난 개인정보는 지체 없이 파기합니다." not in texts


def test_a_cctv_policy_is_read_whole() -> None:
    page = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <h3>1. 설치 근거 및 목적</h3><p>시설안전을 위하여 영상정보처리기기를 설치합니다.</p>
    <h3>2. 설치 대수</h3><p>로비에 2대를 설치하였습니다.</p></div></body></html>"""
    doc = read_document(page)
    assert not is_general_privacy_policy(doc)
    assert cctv_blocks(doc) == doc.blocks
    paths = dict((b.text, path) for b, path in in_sections(doc))
    assert paths["로비에 2대를 설치하였습니다."] == "영상정보처리기기 운영·관리방침 > 2. 설치 대수"


MOBILE = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
<h3>2. 고정형 영상정보처리기기 설치 현황</h3>
<table><tr><th>설치위치</th><th>설치대수</th></tr><tr><td>청사 로비</td><td>3</td></tr></table>
<h3>3. 이동형 영상정보처리기기 운영 현황</h3>
<table><tr><th>운영부서</th><th>대수</th></tr><tr><td>교통과 단속차량</td><td>2</td></tr></table>
<h3>4. 관리책임자</h3>
<table><tr><th>부서</th><th>대수</th></tr><tr><td>총무과</td><td>1</td></tr></table>
<table><caption>이동형 CCTV 현황</caption><tr><th>부서</th><th>대수</th></tr>
<tr><td>공원과</td><td>1</td></tr></table>
</div></body></html>"""


def test_tables_under_a_mobile_heading_or_caption() -> None:
    doc = read_document(MOBILE)
    names = [b.grid.name for b in doc.blocks if b.kind == "table"]
    kinds = device_types(doc)
    assert [kinds.get(name) for name in names] == [None, "mobile", None, "mobile"]


@pytest.mark.parametrize(
    ("text", "item"),
    [
        (
            "1. 학생 안전 확보를 위하여 「개인정보 보호법」 제25조에 따라 "
            "영상정보처리기기를 설치·운영합니다.",
            1,
        ),
        ("2. 교내 영상정보처리기기는 정문, 후문, 운동장에 모두 8대가 설치되어 있습니다.", 2),
        ("5. 촬영된 영상의 확인은 행정실에 미리 연락한 후 행정실을 방문하여 할 수 있습니다.", 5),
        ("8. 그 밖에 영상정보처리기기의 설치·운영 및 관리에 필요한 사항", 8),
    ],
)
def test_items_from_a_number_and_a_sentence(text: str, item: int) -> None:
    assert item in items_present(text)


def test_items_of_a_privacy_policy_come_from_its_cctv_section() -> None:
    """제2조's 파기 and a 위탁 of other processing are not the CCTV items 4 and 8."""
    page = PRIVACY.replace(
        "<h3>제4조",
        "<h3>제5조(개인정보 처리업무의 위탁)</h3><p>문자 발송을 위탁합니다.</p><h3>제4조",
    )
    doc = read_document(page)
    assert items_in(doc, "") == [2]
    assert 8 in items_present(doc.text)


def test_rows_of_a_mobile_section_are_mobile_and_a_department_name_decides_nothing() -> None:
    from transforms.policy import extract_policy

    page = MOBILE.replace("<td>청사 로비</td>", "<td>중앙버스전용차로(버스정책과)</td>")
    cameras = extract_policy(read_document(page)).cameras
    assert [(c["camera_count"], c["device_type"]) for c in cameras] == [
        (3, "fixed"),
        (2, "mobile"),
        (1, "fixed"),
        (1, "mobile"),
    ]


def test_a_status_heading_worded_운용_is_item_2() -> None:
    assert 2 in items_present("2. 설치·운용 현황")


def test_the_record_of_requests_in_item_4_is_not_item_6() -> None:
    text = (
        "4. 처리방법 : 개인영상정보의 목적 외 이용, 제3자 제공, 파기, 열람 등 요구에 관한 "
        "사항을 기록·관리하고, 보관기간 만료 시 삭제합니다."
    )
    assert 6 not in items_present(text)
    assert 6 in items_present("6. 정보주체의 영상정보 열람 등 요구에 대한 조치")
