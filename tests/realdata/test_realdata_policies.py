"""Real institutional page sources (../shared/realdata/policy_html): every page parses, and
the facts a person reads on them come out."""

from __future__ import annotations

import pytest

from registry.institutions import InstitutionHint
from tests.support import realdata
from transforms.contract import parse_document

pytestmark = pytest.mark.realdata

JONGNO = ["video_1.jsp", "video_2.jsp", "video_3.jsp", "video_5.jsp"]


def parse(*parts: str, area_code: str | None = None) -> dict:
    path = realdata("policy_html", *parts)
    return parse_document(
        path.read_bytes(), path=str(path), institution=InstitutionHint(area_code=area_code)
    )


@pytest.mark.parametrize("page", JONGNO)
def test_jongno_facilities_keep_footage_five_days(page: str) -> None:
    result = parse("jongno_sisul_gongdan", page, area_code="02")
    policy, cameras = result["policy"], result["cameras"]
    assert (policy["retention_days_min"], policy["retention_days_max"]) == (5, 5)
    assert policy["recording_hours"] == "24h"
    assert policy["enacted_on"] == "2013-07-03"
    assert cameras, "the facility's camera rows"
    assert all(c["retention_days"] == 5 and c["recording_hours"] == "24h" for c in cameras)
    assert all(c["camera_count"] >= 1 and c["location"] for c in cameras)
    # `총11대 | 5개소` is a total, not a camera row.
    assert not any((c["location"] or "").endswith("개소") for c in cameras)
    assert policy["storage_locations"] and len(policy["storage_locations"]) == 1


def test_jongno_first_facility_totals() -> None:
    cameras = parse("jongno_sisul_gongdan", "video_1.jsp")["cameras"]
    assert (len(cameras), sum(c["camera_count"] for c in cameras)) == (5, 11)
    assert cameras[0]["location"] == "주차장" and cameras[0]["camera_count"] == 7


def test_bujeon_library() -> None:
    result = parse("busan_bujeon_library", "videoinfo.jsp", area_code="051")
    cameras = result["cameras"]
    assert len(cameras) == 10
    assert sum(c["camera_count"] for c in cameras) == 12
    assert {c["retention_days"] for c in cameras} == {30}
    assert {c["storage_location"] for c in cameras} == {"안내실"}
    policy = result["policy"]
    assert policy["title"] == "부산광역시립부전도서관의 영상정보처리기기 운영·관리 방침"
    assert policy["retention_days_max"] == 30 and policy["storage_locations"] == ["안내실"]
    assert policy["enacted_on"] == "2016-10-30"
    assert {c["role"] for c in policy["contacts"]} >= {"보호책임자", "접근권한자"}


def test_dangjin_points_elsewhere_and_invents_nothing() -> None:
    result = parse("dangjin_city", "sitemap_13_02.jsp", area_code="041")
    assert result["cameras"] == []
    attachments = {a["text"]: a for a in result["policy"]["attachments"]}
    board = attachments["당진시 홈페이지 CCTV 운영 내역 공개"]
    assert board["url"].endswith("/cop/bbs/BBSMSTR_000000000250/selectBoardList.do")
    assert "inventory_elsewhere" in [i["code"] for i in result["issues"]]
    assert set(result["policy"]["items_present"]) >= {1, 2, 3, 4, 5, 6, 7}


@pytest.mark.parametrize(
    "page",
    [("dangjin_city", "sitemap_13_05.jsp"), ("dangjin_city", "sub05_07_01.backup.jsp")],
)
def test_fragments_parse_without_inventing_rows(page: tuple[str, str]) -> None:
    result = parse(*page)
    assert result["contract"] == "cctv-parse/1"
    assert all(c["camera_count"] is None or c["camera_count"] >= 1 for c in result["cameras"])


def test_a_place_list_without_counts_is_reported_not_turned_into_rows() -> None:
    result = parse("dangjin_city", "sub05_07_01.backup.jsp")
    assert result["cameras"] == []
    found = [i for i in result["issues"] if i["code"] == "places_without_counts"]
    assert found and "설치 장소 33곳" in found[0]["message"]
