"""extract_policy: a page's blocks → the policy facts, the camera rows and the findings."""

from __future__ import annotations

import pytest

from transforms.html.document import read_document
from transforms.policy import extract_policy

BASE = "https://www.example.go.kr/board/policy.do"


def _page(body: str, title: str = "개인정보 | 영상정보처리기기 운영·관리 방침 | 시청") -> str:
    return (
        f"<html><head><title>{title}</title></head><body>"
        "<div id='gnb'><a href='/menu.do'>열린시장실</a></div>"
        f"<div id='content'>{body}</div>"
        "<div id='footer'>개인정보처리방침 | 저작권정책</div></body></html>"
    )


FULL = _page(
    "<h3>영상정보처리기기 운영·관리 방침</h3>"
    "<p>1. 설치근거 및 설치목적: 시설 안전 및 범죄예방을 위하여 설치·운영합니다.</p>"
    "<table><tr><th>설치위치</th><th>설치대수</th></tr>"
    "<tr><td>정문</td><td>2</td></tr><tr><td>주차장</td><td>3</td></tr></table>"
    "<p>촬영시간 : 24시간 / 보관기간 : 촬영일로부터 30일 / 보관장소 : 본관 1층 관제실</p>"
    "<p>관리책임자 : 총무과장 김철수 (02-2100-1234)</p>"
    "<p>수탁업체 : (주)누리보안(02-2555-1234)</p>"
    "<p>이 방침은 2015. 3. 2. 제정되었으며, 2023. 9. 15. 개정되었습니다.</p>"
    "<p><a href='/files/cctv_list.xlsx'>CCTV 설치현황.xlsx</a> "
    "<a href='/files/form.hwp'>열람 청구서</a> <a href='/viewer?f=1'>미리보기</a></p>"
)


def _extract(html: str, area_code: str | None = "02"):
    return extract_policy(read_document(html), base_url=BASE, area_code=area_code)


def test_a_whole_policy_page() -> None:
    facts = _extract(FULL)
    assert facts.policy == {
        "title": "영상정보처리기기 운영·관리 방침",
        "device_scope": "fixed",
        "items_present": [1, 2, 3, 4],
        "item_statements": [
            {
                "item": 1,
                "text": "1. 설치근거 및 설치목적: 시설 안전 및 범죄예방을 위하여 설치·운영합니다.",
            },
            {"item": 2, "text": "CCTV 설치현황.xlsx 열람 청구서 미리보기"},
            {"item": 3, "text": "관리책임자 : 총무과장 김철수 (02-2100-1234)"},
            {
                "item": 4,
                "text": "촬영시간 : 24시간 / 보관기간 : 촬영일로부터 30일 / "
                "보관장소 : 본관 1층 관제실",
            },
        ],
        "recording_hours": "24h",
        "retention_days_max": 30,
        "retention_days_min": 30,
        "storage_locations": ["본관 1층 관제실"],
        "enacted_on": "2015-03-02",
        "revised_on": "2023-09-15",
        "contractors": [{"name": "(주)누리보안", "phone": "02-2555-1234"}],
        "contacts": [
            {
                "role": "관리책임자",
                "name": "김철수",
                "title": "총무과장",
                "department": None,
                "phone": "02-2100-1234",
            }
        ],
        "attachments": [
            {
                "url": "https://www.example.go.kr/files/cctv_list.xlsx",
                "text": "CCTV 설치현황.xlsx",
                "kind": "xlsx",
            }
        ],
        "is_template": False,
        "stated_total": None,
    }


def test_the_page_statements_fill_every_camera_row() -> None:
    cameras = _extract(FULL).cameras
    assert [
        (c["location"], c["camera_count"], c["recording_hours"], c["retention_days"])
        for c in cameras
    ] == [("정문", 2, "24h", 30), ("주차장", 3, "24h", 30)]
    assert {c["storage_location"] for c in cameras} == {"본관 1층 관제실"}
    assert [c["row_ref"] for c in cameras] == ["table 1, row 2", "table 1, row 3"]


def test_a_page_with_an_inventory_has_no_inventory_finding() -> None:
    codes = {i.code for i in _extract(FULL).issues}
    assert not codes & {"no_inventory", "inventory_elsewhere", "template_inventory"}


def test_a_page_without_an_inventory_points_to_its_attachment() -> None:
    html = _page(
        "<h3>영상정보처리기기 운영·관리 방침</h3><p>보관기간 : 30일</p>"
        "<p><a href='/down.do?fileNm=list.hwp'>설치 현황 다운로드</a></p>"
    )
    facts = _extract(html)
    assert facts.cameras == []
    assert facts.policy["attachments"] == [
        {
            "url": "https://www.example.go.kr/down.do?fileNm=list.hwp",
            "text": "설치 현황 다운로드",
            "kind": "hwp",
        }
    ]
    assert [(i.level, i.code) for i in facts.issues] == [("info", "inventory_elsewhere")]


def test_a_page_without_an_inventory_or_an_attachment() -> None:
    facts = _extract(_page("<h3>영상정보처리기기 운영·관리 방침</h3><p>보관기간 : 30일</p>"))
    assert [(i.level, i.code) for i in facts.issues] == [("warning", "no_inventory")]
    assert facts.policy["retention_days_max"] == 30
    assert facts.policy["is_template"] is False


def test_a_stated_total_that_disagrees_with_the_rows() -> None:
    html = FULL.replace("<table>", "<p>청사에 총 7대를 설치·운영하고 있습니다.</p><table>")
    facts = _extract(html)
    assert facts.policy["stated_total"] == 7
    assert "stated_total_mismatch" in {i.code for i in facts.issues}


def test_a_stated_total_that_agrees_is_no_finding() -> None:
    html = FULL.replace("<table>", "<p>청사에 총 5대를 설치·운영하고 있습니다.</p><table>")
    facts = _extract(html)
    assert facts.policy["stated_total"] == 5
    assert "stated_total_mismatch" not in {i.code for i in facts.issues}


def test_the_title_is_not_a_numbered_section_that_mentions_the_policy() -> None:
    html = _page(
        "<h4>10. 영상정보처리기기 운영·관리 방침 변경에 관한 사항</h4>"
        "<h3>【CCTV 운영·관리 방침】</h3><p>보관기간 : 30일</p>",
        title="시청",
    )
    assert _extract(html).policy["title"] == "CCTV 운영·관리 방침"


def test_the_title_falls_back_to_a_part_of_the_page_title() -> None:
    html = _page("<p>보관기간 : 30일</p><p>관리책임자 : 총무과장</p>")
    assert _extract(html).policy["title"] == "영상정보처리기기 운영·관리 방침"


def test_a_privacy_policy_name_is_the_title_only_without_a_cctv_one() -> None:
    html = _page("<h2>개인정보 처리방침</h2><p>보관기간 : 30일</p>", title="시청")
    assert _extract(html).policy["title"] == "개인정보 처리방침"


def test_no_title_when_nothing_names_a_policy() -> None:
    html = _page("<h2>알림마당</h2><p>보관기간 : 30일</p>", title="시청")
    assert _extract(html).policy["title"] is None


def test_a_mobile_policy_title() -> None:
    html = _page("<h2>이동형 영상정보처리기기 운영 방침</h2><p>보관기간 : 30일</p>", "시청")
    assert _extract(html).policy["device_scope"] == "mobile"


@pytest.mark.parametrize(
    ("heading", "scope"),
    [
        ("이동형 영상정보처리기기 운영·관리 방침", "mobile"),  # the standard name
        ("고정형·이동형 영상정보처리기기 운영·관리 방침", "both"),
        ("고정·이동형 영상정보처리기기 운영방침", "both"),
    ],
)
def test_the_middle_dot_of_운영_관리_does_not_make_a_mobile_policy_both(
    heading: str, scope: str
) -> None:
    html = _page(f"<h2>{heading}</h2><p>보관기간 : 30일</p>", "시청")
    assert _extract(html).policy["device_scope"] == scope


def test_a_page_that_sets_out_mobile_devices_covers_both() -> None:
    html = _page(
        "<h2>영상정보처리기기 운영·관리 방침</h2><p>보관기간 : 30일</p>"
        "<p>3. 이동형 영상정보처리기기 운영 : 불법주정차 단속 차량에 설치</p>",
        "시청",
    )
    assert _extract(html).policy["device_scope"] == "both"


def test_retention_spans_the_page_and_its_rows() -> None:
    html = _page(
        "<h3>영상정보처리기기 운영·관리 방침</h3>"
        "<table><tr><th>설치위치</th><th>설치대수</th><th>보관기간</th></tr>"
        "<tr><td>정문</td><td>2</td><td>14일</td></tr>"
        "<tr><td>주차장</td><td>3</td><td>60일</td></tr></table>"
    )
    facts = _extract(html)
    assert (facts.policy["retention_days_min"], facts.policy["retention_days_max"]) == (14, 60)
    assert facts.policy["recording_hours"] is None


def test_every_row_a_placeholder_is_a_template() -> None:
    html = _page(
        "<h3>영상정보처리기기 운영·관리 방침</h3>"
        "<table><tr><th>설치위치</th><th>설치대수</th></tr>"
        "<tr><td>○○○</td><td>00대</td></tr></table>"
    )
    facts = _extract(html)
    assert facts.policy["is_template"] is True
    assert "template_inventory" in {i.code for i in facts.issues}


def test_attachments_are_deduplicated_and_kept_without_a_base_url() -> None:
    html = _page(
        "<h3>영상정보처리기기 운영·관리 방침</h3><p>보관기간 : 30일</p>"
        "<p><a href='/a/list.pdf'>CCTV 설치현황</a><a href='/a/list.pdf'>내려받기</a></p>"
    )
    facts = extract_policy(read_document(html))
    assert facts.policy["attachments"] == [
        {"url": "/a/list.pdf", "text": "CCTV 설치현황", "kind": "pdf"}
    ]
