"""The names a page gives itself, in the shapes real Korean public bodies' pages use: the
opening "본 ○○(이하 '…')" sentence, "○○시는 …", the policy title, the browser title and the
footer's copyright line."""

from __future__ import annotations

import pytest

from transforms.self_naming import PageName, footer_names, page_names, self_named, title_names


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # welfare centres open with "본 ○○(이하 본 복지관이라 함)는 …"
        (
            "본 한빛노인종합복지관 (이하 본 복지관이라 함)는 개인정보 보호법 시행에 따른",
            "한빛노인종합복지관",
        ),
        (
            "본 연산구장애인복지관(이하 '복지관')은 영상정보처리기기 운영·관리 방침을",
            "연산구장애인복지관",
        ),
        # a legal form in front is not part of the name
        ("(재)가온시복지재단(이하 복지재단)은 개인정보 보호법 제30조에 따라", "가온시복지재단"),
        # a centre with an annex speaks as the first body it names
        (
            "새봄종합사회복지관과 부설 새봄주간보호센터(이하 ‘복지관’이라 한다)는 개인정보",
            "새봄종합사회복지관",
        ),
        ("본 바다청소년문화의집(이하 '문화의집')은 영상정보처리기기를", "바다청소년문화의집"),
        (
            "김천시는 「개인정보 보호법」 제25조에 따라 영상정보처리기기를 설치·운영합니다.",
            "김천시",
        ),
        ("① 서대문구는 다음과 같은 목적으로 영상정보처리기기를 설치·운영합니다.", "서대문구"),
        (
            "원주시시설관리공단(이하 “공단”이라 한다)은 「개인정보 보호법」에 따라",
            "원주시시설관리공단",
        ),
    ],
)
def test_opening_sentences_name_the_body(line: str, name: str) -> None:
    assert self_named([line]) == [name]


@pytest.mark.parametrize(
    "line",
    [
        "본 기관(이하 '기관'이라 함)은 영상정보처리기기 운영·관리 방침을 통해",  # generic
        "우리 복지관은 「개인정보 보호법」 제25조 제1항에 따라",  # no name
        "서울특별시는 시민의 안전을 위해 노력합니다.",  # not about the policy
        "주차대수 30대를 초과하는 규모의 경우 「주차장법 시행규칙」 제6조",
    ],
)
def test_sentences_that_name_nobody(line: str) -> None:
    assert self_named([line]) == []


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("파주시 영상정보처리기기 운영·관리 방침", "파주시"),
        ("【종로구시설관리공단 영상정보처리기기 운영ㆍ관리방침】", "종로구시설관리공단"),
        ("서울특별시 마포구 고정형 영상정보처리기기 운영·관리 방침", "서울특별시 마포구"),
        ("영상정보처리방침 < 이용안내 < 마포구립서강도서관", "마포구립서강도서관"),
        ("영상정보처리기기 운영·관리 방침 | 정보공개 | 김천시청", "김천시청"),
    ],
)
def test_titles_name_their_author(title: str, name: str) -> None:
    assert title_names([title]) == [name]


@pytest.mark.parametrize(
    "title",
    ["영상정보처리기기 운영·관리 방침", "8. 영상정보처리기기 운영·관리 방침 변경에 관한 사항", ""],
)
def test_titles_without_an_author(title: str) -> None:
    assert title_names([title]) == []


def test_footer_copyright_lines() -> None:
    markup = """
    <p>가온시 CCTV 통합관제센터 안내 ©는 저작권 표시입니다</p>
    <div id="footer">
      <address>(12345) 가온로 10 대표전화 031-000-1234</address>
      <p class="copy">Copyright &copy; 2019-2024 <strong>달빛구시설관리공단</strong>.
         All Rights Reserved.</p>
      <p>ⓒ 해솔군청<br>개인정보처리방침</p>
    </div>"""
    assert footer_names(markup) == ["해솔군청", "달빛구시설관리공단"]


def test_page_names_in_order_of_trust() -> None:
    names = page_names(
        ["본 한빛도서관(이하 '도서관')은 영상정보처리기기를"],
        ["한빛구 영상정보처리기기 운영·관리 방침"],
        "정보공개 | 한빛구청",
        "<footer>COPYRIGHT(C) 한빛구. ALL RIGHTS RESERVED</footer>",
    )
    assert names == [
        PageName("한빛도서관", "self_naming"),
        PageName("한빛구", "title"),
        PageName("한빛구청", "title"),
        PageName("한빛구", "footer"),
    ]


def test_a_long_page_is_read_in_linear_time() -> None:
    """Copyright marks by the thousand and long lines without names stay cheap: the regexes
    are bounded per match, so this finishes at once instead of backtracking."""
    markup = "ⓒ " * 50_000 + "<p>" + "가" * 200_000 + "</p>"
    lines = ["본 " + "나 " * 20_000 + "(이하"] * 3
    assert footer_names(markup) == []
    assert self_named(lines) == []


@pytest.mark.parametrize(
    "markup",
    [
        "<p>COPYRIGHT(C) 한빛구 &COPY; 2024</p><p>Ⓒ 해솔군청</p>",
        # "İ" lowers to two characters and "ı" is taken for "i": the case-blind scan decides
        "<p>İ</p><p>Copyright 달빛구청</p>",
        "<p>COPYRıGHT 달빛구청</p>",
    ],
)
def test_copyright_marks_match_the_case_blind_pattern(markup: str) -> None:
    from transforms.self_naming import _COPYRIGHT, _copyright_marks

    expected = [m.span() for m in _COPYRIGHT.finditer(markup)]
    assert expected
    assert [m.span() for m in _copyright_marks(markup)] == expected
