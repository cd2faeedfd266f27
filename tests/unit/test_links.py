from __future__ import annotations

import pytest

from transforms.links import is_attachment_link, is_earlier_version_link, policy_link_score


@pytest.mark.parametrize(
    "text",
    [
        "영상정보처리기기 운영·관리방침",
        "영상정보처리기기 운영ㆍ관리 방침",
        "영상정보처리기기 운영방침",
        "영상정보처리기기 운영관리 방침",
        "영상정보처리기기운영",
        "고정형·이동형 영상정보처리기기 운영·관리방침",
        "CCTV 운영·관리 방침",
        " 영상정보처리기기\n 운영 ･ 관리방침 ",
    ],
)
def test_policy_link_variants_are_recognised(text: str) -> None:
    assert policy_link_score(text) > 0


@pytest.mark.parametrize(
    "text",
    ["개인정보처리방침", "CCTV 설치 민원 안내", "저작권정책", "관리자", "CCTV 위치 지도", ""],
)
def test_decoys_are_not_policy_links(text: str) -> None:
    assert policy_link_score(text) == 0


def test_the_full_title_outranks_a_shorter_mention() -> None:
    assert policy_link_score("영상정보처리기기 운영·관리방침") > policy_link_score(
        "영상정보처리기기운영"
    )


@pytest.mark.parametrize(
    ("href", "text", "expected"),
    [
        ("/portal/bbs/FileDown.do?atchFileId=FILE_0001&fileSn=0", "설치 현황 다운로드", True),
        ("/cmm/fms/FileDown.do?atchFileId=FILE_1&fileSn=1", "붙임-군산시 CCTV 운영현황", True),
        ("/upload/cctv_2024.xlsx", "", True),
        ("/board/view.do?id=3", "현황.hwp", True),
        ("/main/contents.do?key=2286", "저작권정책", False),
        ("javascript:void(0);", "자세히 보기", False),
        ("#top", "", False),
        ("", "다운로드", False),
    ],
)
def test_attachment_links(href: str, text: str, expected: bool) -> None:
    assert is_attachment_link(href, text) is expected


@pytest.mark.parametrize(
    ("context", "earlier"),
    [
        (
            "(클릭 영상정보처리기기 운영·관리방침으로 이동) 2012. 03. 30 ~ 2018. 03. 31.",
            True,
        ),
        ("영상정보처리기기 운영·관리방침 (2018-04-01 시행)", True),
        ("지난 영상정보처리기기 운영방침", True),
        ("이동형 영상정보처리기기 운영·관리방침", False),
        ("사업소 영상정보처리기기 운영·관리방침", False),
    ],
)
def test_earlier_versions_are_told_from_other_policies(context: str, earlier: bool) -> None:
    assert is_earlier_version_link(context) is earlier
