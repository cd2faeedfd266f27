"""The policy vocabulary (transforms/maps/policy_vocabulary.csv) and the link rules built on
it: every reviewed wording scores as a policy link, every decoy does not."""

from __future__ import annotations

import pytest

from transforms.links import (
    MIN_POLICY_SCORE,
    attachment_kind,
    has_cctv_policy,
    is_attachment_link,
    is_earlier_version_link,
    is_privacy_link,
    is_sitemap_link,
    names_file,
    names_policy,
    policy_link_score,
    policy_scope,
    read_vocabulary,
    term_key,
    terms,
    vocabulary,
)


def _terms(kind: str) -> list[str]:
    return [t.text for t in terms(kind)]


def test_the_vocabulary_loads_and_every_kind_is_used() -> None:
    kinds = {t.kind for t in vocabulary()}
    assert kinds >= {"title", "device", "policy_word", "scope", "privacy", "not_policy"}
    assert kinds >= {"earlier_version", "current", "sitemap", "fact", "js_notice"}
    assert kinds >= {"browser_block", "login", "error_page", "attachment"}
    keys = [(t.kind, t.key) for t in vocabulary()]
    assert len(keys) == len(set(keys)), "a term listed twice under one kind"


@pytest.mark.parametrize(
    "row",
    [
        "영상정보처리기기 운영방침,titel,8,a typo in the kind",
        "영상정보처리기기 운영방침,title,eight,a weight that is not a number",
        "·,title,8,a term of punctuation only",
    ],
)
def test_a_bad_vocabulary_row_names_its_line(row: str) -> None:
    with pytest.raises(ValueError, match="line 3"):
        read_vocabulary(["term,kind,weight,notes", "CCTV,device,2,", row])


@pytest.mark.parametrize("term", _terms("title"))
def test_every_reviewed_wording_scores_as_a_policy_link(term: str) -> None:
    weight = next(t.weight for t in terms("title") if t.text == term)
    assert policy_link_score(term) >= max(weight, MIN_POLICY_SCORE)


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
        "cctv 운영방침",
        " 영상정보처리기기\n 운영 ･ 관리방침 ",
        "영상정보처리기기 운영·관리방침 바로가기",
        "개인영상정보 보호방침",
        "CCTV 설치·운영 안내",
        "폐쇄회로 텔레비전 설치·운영 방침",
        "영상정보처리기기(CCTV) 운영·관리방침(사업소)",
        "ＣＣＴＶ 운영방침",  # full-width letters, as some CMSs write them
    ],
)
def test_policy_link_variants_are_recognised(text: str) -> None:
    assert policy_link_score(text) > 0


@pytest.mark.parametrize(
    "text",
    [
        "개인정보처리방침",
        "개인정보 보호방침",
        "CCTV 설치 민원 안내",
        "CCTV 설치 요청",
        "저작권정책",
        "이메일무단수집거부",
        "관리자",
        "CCTV 위치 지도",
        "CCTV 통합관제센터",
        "CCTV 통합관제센터 견학 신청",
        "방범용 CCTV(영상정보처리기기) 설치 행정예고",
        "CCTV 안심귀갓길 안내",
        "개인영상정보 열람 청구",
        "CCTV 현황보기",
        "CCTV",
        "영상정보처리기기",
        "",
    ],
)
def test_decoys_are_not_policy_links(text: str) -> None:
    assert policy_link_score(text) == 0


@pytest.mark.parametrize("term", _terms("not_policy"))
def test_every_not_policy_term_vetoes_a_link(term: str) -> None:
    assert policy_link_score(f"CCTV {term} 운영 안내") == 0


@pytest.mark.parametrize("term", _terms("privacy"))
def test_the_privacy_policy_is_never_the_cctv_policy_link(term: str) -> None:
    assert is_privacy_link(term)
    assert policy_link_score(term) == 0
    assert not names_policy(term)


@pytest.mark.parametrize("term", _terms("device"))
def test_every_device_name_with_policy_words_is_a_policy_link(term: str) -> None:
    assert policy_link_score(f"{term} 운영방침") > 0
    assert policy_link_score(term) == 0  # the device alone is not a policy


def test_the_full_title_outranks_a_shorter_mention() -> None:
    assert policy_link_score("영상정보처리기기 운영·관리방침") > policy_link_score(
        "영상정보처리기기운영"
    )
    assert policy_link_score("영상정보처리기기 운영방침") > policy_link_score("CCTV 설치·운영 안내")


@pytest.mark.parametrize("term", _terms("scope"))
def test_scopes_tell_separate_policies_apart(term: str) -> None:
    assert policy_scope(f"{term} 영상정보처리기기 운영·관리방침") == {term_key(term)}
    assert policy_scope("영상정보처리기기 운영·관리방침") == frozenset()


def test_a_page_for_both_kinds_of_device_has_both_scopes() -> None:
    assert policy_scope("고정형·이동형 영상정보처리기기 운영·관리방침") == {"고정형", "이동형"}


@pytest.mark.parametrize("term", _terms("sitemap"))
def test_sitemap_links(term: str) -> None:
    assert is_sitemap_link(term)


def test_naming_the_policy_needs_a_full_title() -> None:
    assert names_policy("영상정보처리기기 운영·관리방침 게시")
    assert names_policy("[공지] 고정형 영상정보처리기기 운영·관리 방침 개정 안내")
    assert not names_policy("영상정보처리기기 운영 현황")
    assert not names_policy("CCTV 설치·운영 안내")
    assert not names_policy("개인정보 처리방침")


@pytest.mark.parametrize("term", _terms("fact"))
def test_every_fact_counts_towards_a_policy(term: str) -> None:
    others = [t for t in _terms("fact") if term_key(t) != term_key(term)][:2]
    assert has_cctv_policy(f"영상정보처리기기 {term} {' '.join(others)}")
    assert not has_cctv_policy(f"{term} {' '.join(others)}")  # the device is not named


def test_a_page_needs_three_of_the_decrees_items() -> None:
    assert not has_cctv_policy("영상정보처리기기 운영·관리방침 보관기간 30일, 촬영시간 24시간")
    assert has_cctv_policy("CCTV 보관기간 30일, 촬영시간 24시간, 관리책임자 총무과장")


@pytest.mark.parametrize(
    ("href", "text", "expected"),
    [
        ("/portal/bbs/FileDown.do?atchFileId=FILE_0001&fileSn=0", "설치 현황 다운로드", True),
        ("/cmm/fms/FileDown.do?atchFileId=FILE_1&fileSn=1", "붙임-군산시 CCTV 운영현황", True),
        ("/upload/cctv_2024.xlsx", "", True),
        ("/board/view.do?id=3", "현황.hwp", True),
        ("/board/view.do?id=4", "운영방침.hwpx (35KB)", True),
        ("/main/contents.do?key=2286", "저작권정책", False),
        ("javascript:void(0);", "자세히 보기", False),
        ("#top", "", False),
        ("", "다운로드", False),
    ],
)
def test_attachment_links(href: str, text: str, expected: bool) -> None:
    assert is_attachment_link(href, text) is expected


def test_file_names_in_link_text() -> None:
    assert names_file("영상정보처리기기 운영방침.HWP")
    assert names_file("붙임 1. 설치현황.xlsx(12KB)")
    assert not names_file("영상정보처리기기 운영방침")
    assert not names_file("hwp 뷰어 설치")


@pytest.mark.parametrize(
    ("context", "earlier"),
    [
        (
            "(클릭 영상정보처리기기 운영·관리방침으로 이동) 2012. 03. 30 ~ 2018. 03. 31.",
            True,
        ),
        ("영상정보처리기기 운영·관리방침 (2018-04-01 시행)", True),
        ("지난 영상정보처리기기 운영방침", True),
        ("이전 방침 보기", True),
        ("종전 영상정보처리기기 운영·관리방침", True),
        ("영상정보처리기기 운영·관리방침 2016.05.01", True),
        ("영상정보처리기기 운영·관리방침 (2024. 1. 1. ~ 현재)", False),
        ("현행 영상정보처리기기 운영·관리방침 2024.01.01", False),
        ("이동형 영상정보처리기기 운영·관리방침", False),
        ("사업소 영상정보처리기기 운영·관리방침", False),
    ],
)
def test_earlier_versions_are_told_from_other_policies(context: str, earlier: bool) -> None:
    assert is_earlier_version_link(context) is earlier


@pytest.mark.parametrize("term", _terms("earlier_version"))
def test_every_earlier_version_word_marks_history(term: str) -> None:
    assert is_earlier_version_link(f"{term} 영상정보처리기기 운영방침 보기")


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("2015. 01.  최초 제정 되었으며 즉시 적용됩니다.", True),
        ("2016. 01. 변경 되었으며 즉시 적용됩니다.", True),
        ("2019. 4. 1. 개정", True),
        ("2024. 1. 1. 개정 (현행)", False),  # the one in force
        ("CCTV 설치 현황 (2024.06.30. 기준)", False),  # a dated inventory, not a version
        ("최초 제정", False),  # no date: not an entry of a history list
    ],
)
def test_revision_history_entries(context: str, expected: bool) -> None:
    from transforms.links import is_version_entry

    assert is_version_entry(context) is expected


@pytest.mark.parametrize(
    ("href", "text", "title", "kind"),
    [
        ("/upload/현황.xlsx", "설치현황", None, "xlsx"),
        ("/cmm/fileDown.do?fileNm=cctv_list.hwp&sn=2", "첨부파일", None, "hwp"),
        ("/getFile?file=/upload/a.PDF&sn=1", "내려받기", None, "pdf"),
        ("/board/down.do?id=3", "hwp다운로드", None, "hwp"),
        ("/fileDown.do?atchFileId=F1", "[PDF] 설치현황", None, "pdf"),
        ("/fileDown.do?atchFileId=F1", "다운로드", "CCTV 설치현황.xlsx", "xlsx"),
        ("/fileDown.do?atchFileId=F1", "운영방침.hwp (35KB)", None, "hwp"),
        ("/fileDown.do?atchFileId=F1", "한글파일 다운로드", None, "hwp"),
        ("/fileDown.do?atchFileId=F1", "첨부파일", None, "unknown"),
    ],
)
def test_attachment_kind_before_the_file_is_fetched(
    href: str, text: str, title: str | None, kind: str
) -> None:
    assert attachment_kind(href, text, title) == kind


@pytest.mark.parametrize(
    ("href", "text"),
    [("/down.do?fileNm=cctv.hwp", "첨부"), ("/view.do?seq=3", "hwp다운로드"), ("/v?x=1", "[PDF]")],
)
def test_links_that_name_their_file_elsewhere_are_attachments(href: str, text: str) -> None:
    assert is_attachment_link(href, text)


def test_a_page_link_is_not_an_attachment() -> None:
    assert not is_attachment_link("/board/view.do?menu=3&fileNm=", "설치현황")
    assert attachment_kind("/board/view.do?menu=3", "설치현황") == "unknown"


def test_a_policy_types_its_attachments_by_title_query_and_words() -> None:
    from transforms.html.document import read_document
    from transforms.policy import extract_policy

    page = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <h3>2. 설치 대수, 설치 위치 및 촬영범위</h3><p>설치 현황은 붙임 파일과 같습니다.</p>
    <p><a href="/common/fileDown.do?seq=4471" title="설치현황(2024).hwp 다운로드">
    설치현황 다운로드</a>
    <a href="/common/download.jsp?fileNm=cctv_list.xlsx&amp;path=p">촬영범위 내려받기</a>
    <a href="/portal/bbs/download/8813">PDF 내려받기</a></p>
    <h3>3. 관리책임자</h3><p>관리책임자 : 총무과장 김철수 (02-111-2222)</p></div></body></html>"""
    facts = extract_policy(read_document(page), base_url="https://www.example.go.kr/p")
    assert [a["kind"] for a in facts.policy["attachments"]] == ["hwp", "xlsx", "pdf"]
