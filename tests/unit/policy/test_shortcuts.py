"""Each shortcut the policy readers take gives what the full reading gives: the compact text
put together from the lines, words counted without compact's dot unifying, patterns run only
where their words are, one search over joined texts, headings read once."""

from __future__ import annotations

import random
import re

import pytest

from domain.text import compact, nfkc
from transforms.html.document import (
    _POLICY_WORDS,
    Block,
    Document,
    _flat_words,
    read_document,
)
from transforms.people import contacts_from_lines
from transforms.sections import ITEMS, _joined, item_statements
from transforms.self_naming import _ABOUT_POLICY, _DEFINED, _SPEAKS, _clean, self_named
from transforms.statements import (
    _NEXT_STATEMENT,
    _POINTER,
    _points_elsewhere,
    _statement_parts,
    from_prose,
)

# Characters NFKC changes or compact unifies, in the places that test the joins: full-width
# letters and digits, compatibility jamo and conjoining jamo that compose, middle dots,
# tildes, no-break and ideographic spaces, circled numbers.
ODD = ["ＣＣＴＶ", "３０일", "ㆍ", "·", "～", "\u00a0", "\u3000", "ᄃ", "ᅡ", "ᆫ", "①", "㈜", "Ⅲ", "."]
WORDS = ["영상정보처리기기", "보관기간", "관리책임자", "설치목적", "열람", "위탁", "CCTV", "촬영"]
WORDS += ["운영", "하는", "30일", "가.", "1.", " ", "\n", "다", "에관한사항", "열람등요구"]


def _texts(rng: random.Random, n: int) -> list[str]:
    return [
        "".join(rng.choice(ODD + WORDS) for _ in range(rng.randrange(1, 9))).strip() or "가"
        for _ in range(n)
    ]


def test_a_documents_compact_text_is_its_lines_compact_texts() -> None:
    rng = random.Random(3)
    for _ in range(300):
        lines = _texts(rng, rng.randrange(1, 6))
        blocks = [Block("line", " ".join(t.split())) for t in lines]
        text = "\n".join(b.text for b in blocks)
        doc = Document("", blocks, [], [], text, text)
        assert doc.flat == compact(text)


def test_a_document_whose_text_was_set_apart_is_normalised_as_it_stands() -> None:
    doc = Document("", [Block("line", "보관기간")], [], [], "설치 목적", "설치 목적")
    assert doc.flat == "설치목적"


def test_a_page_read_whole_has_the_compact_text_of_its_text() -> None:
    body = "".join(f"<p>{t}</p>" for t in _texts(random.Random(4), 40))
    doc = read_document(f"<html><body><h3>ＣＣＴＶ 방침</h3>{body}</body></html>")
    assert doc.flat == compact(doc.text)


def test_policy_words_are_counted_alike_without_compacts_dot_unifying() -> None:
    rng = random.Random(5)
    for text in _texts(rng, 2000):
        assert len(_POLICY_WORDS.findall(_flat_words(text))) == len(
            _POLICY_WORDS.findall(compact(text))
        )


def test_the_first_text_an_item_pattern_finds_is_found_by_one_search() -> None:
    rng = random.Random(6)
    texts = [*_texts(rng, 200), "열람등요구", "에관한사항", "위하여", "설치운영", "위하여 .설치"]
    # neighbours a pattern would join across ([^.]{0,40} between 위하여 and 설치운영) or read
    # differently beside (the look-ahead after 열람등요구)
    pairs = [["위하여", "설치운영"], ["열람등요구", "에관한사항"], ["연락", "처확인"]]
    samples = pairs + [rng.sample(texts, rng.randrange(0, 8)) for _ in range(300)]
    for sample in samples:
        kind = [(t, compact(t)) for t in sample]
        joined, starts = _joined(kind)
        for pattern, _ in ITEMS.values():
            expected = next((t for t, flat in kind if pattern.search(flat)), None)
            m = pattern.search(joined)
            found = kind[[s <= m.start() for s in starts].count(True) - 1][0] if m else None
            assert found == expected


def test_an_item_is_stated_by_the_text_that_holds_it_not_by_its_neighbours() -> None:
    # "열람 등 요구" then a line opening "에 관한 사항": the look-ahead of item 6 sees the
    # end of its own line, not the next one's words.
    doc = read_document(
        "<html><body><p>정보주체는 열람 등 요구</p><p>에 관한 사항을 적습니다</p></body></html>"
    )
    assert item_statements(doc, [6]) == [{"item": 6, "text": "정보주체는 열람 등 요구"}]


def test_pointer_values_are_found_as_the_whole_pattern_finds_them() -> None:
    pieces = ["위", "상기", "아래", "해당", "의", "표", "현황", "내용", "붙임", "별첨", "첨부"]
    pieces += ["참조", "참고", "같", "확인", "게시판", "홈페이지", "제3조", "별도", "공개", "게시"]
    pieces += ["안내", "과", "와", "음", "습니다", "다", ".", "바랍니다", "보관", "30일", "\n"]
    rng = random.Random(7)
    for _ in range(20_000):
        flat = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 9)))
        assert _points_elsewhere(flat) == (bool(flat) and bool(_POINTER.search(flat)))


def test_a_line_is_split_into_statements_as_the_splitting_pattern_splits_it() -> None:
    pieces = ["촬영시간", "보관기간", "보관장소", " : ", "24시간", "30일", " / ", ", ", "·", "|"]
    pieces += ["가. ", "나. ", " ", "3. ", "관제실", "."]
    rng = random.Random(8)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 10)))
        expected = [p for p in _NEXT_STATEMENT.split(text) if p and p.strip()]
        assert _statement_parts(text) == expected


def _self_named_every_line(lines: list[str]) -> list[str]:
    """self_named as it reads when every opening line is normalised first."""
    found: list[str] = []
    for line in lines[:60]:
        text = nfkc(line)
        if "이하" in text:
            found.extend(match["name"] for match in _DEFINED.finditer(text))
        speaks = ("은" in text or "는" in text) and _ABOUT_POLICY.search(text)
        if speaks and (spoken := _SPEAKS.match(text)):
            found.append(spoken["name"])
    return [n for n in map(_clean, found) if n]


@pytest.mark.parametrize(
    "lines",
    [
        ["김천시는 「개인정보 보호법」에 따라 영상정보처리기기를 운영합니다."],
        ["본 한빛복지관(이하 '복지관'이라 함)은 CCTV를 설치·운영합니다."],
        # full-width letters and conjoining jamo: the names and words appear only in NFKC
        ["해솔군는 ＣＣＴＶ를 운영합니다.", "본 달빛도서관(이ᄒᆞ)", "ᄒᆞᆫ빛시는 방침을 둡니다"],
        ["공지사항", "오시는 길", "Copyright", ""],
    ],
)
def test_opening_lines_name_the_body_as_when_every_line_is_normalised(lines: list[str]) -> None:
    assert self_named(lines) == _self_named_every_line(lines)


def test_a_heading_with_chrome_inside_loses_the_chrome_and_keeps_its_words() -> None:
    doc = read_document(
        "<html><body><div><h3>영상정보처리기기 운영·관리 방침<span class='share'>공유하기</span>"
        "</h3><p>보관기간 : 30일</p><p>설치목적 : 범죄 예방</p></div></body></html>"
    )
    assert doc.blocks[0].text == "영상정보처리기기 운영·관리 방침"
    assert doc.page_headings == ["영상정보처리기기 운영·관리 방침공유하기"]


def test_prose_values_written_in_full_width_digits_are_still_read() -> None:
    # \d takes any decimal digit: the test for a number before the patterns must as well
    doc = read_document(
        "<html><body><p>CCTV 영상은 상시 촬영하며 촬영일로부터 ３０일간 관제실에 보관합니다."
        "</p></body></html>"
    )
    assert from_prose(doc) == [
        ("보관기간", "촬영일로부터 ３０일간", False),
        ("보관장소", "관제실", False),
    ]


def test_lines_without_a_role_word_name_no_contact() -> None:
    doc = read_document(
        "<html><body><p>관리 책임자 : 안전도시과장 김태호 (042-606-6410)</p>"
        "<p>문의처 : 안전도시과 (042-606-6411)</p></body></html>"
    )
    assert [(c["role"], c["phone"]) for c in contacts_from_lines(doc, "042")] == [
        ("관리책임자", "042-606-6410")
    ]


def test_count_of_policy_words_ignores_nothing_compact_keeps() -> None:
    assert re.fullmatch(r"[^·~]*", _POLICY_WORDS.pattern)  # no word holds a dot or a tilde


def test_roles_are_told_as_the_role_patterns_tell_them() -> None:
    from transforms.people import ROLES, role_of

    pieces = ["보호", "관리", "책임", "자", "관", "접근", "권한", "권", "취급", "담당", "전담", " "]
    pieces += ["가", "ᄃ", "ᅡ", "ＣＣＴＶ"]
    rng = random.Random(9)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 6)))
        expected = next((role for role, p in ROLES if p.search(compact(text))), None)
        assert role_of(text) == expected


def test_a_title_part_is_a_name_as_the_name_pattern_says() -> None:
    from transforms.self_naming import _BODY_ENDINGS, _NAME, _is_name

    pieces = ["한빛", "해솔", " ", "(재)", "영상정보", "2", *_BODY_ENDINGS[:12], "구", "청", "방침"]
    rng = random.Random(10)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 5)))
        assert _is_name(text) == (_NAME.fullmatch(text) is not None)
