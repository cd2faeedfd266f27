"""Purposes: canonical names, reviewed aliases, and free-text sentences from policy pages."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.values import CANONICAL_PURPOSES, Purpose, classify_purpose
from transforms.values.purposes import ALIAS_TABLE

FRAGMENTS = [
    "방범", "범죄", "시설", "화재", "예방", "및", " ", ".", ",", "교통", "단속", "정보", "수집",
    "쓰레기", "재난", "어린이", "차량", "기타", "다목적", "법령", "(", ")",
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "canonical", "basis"),
    [
        ("생활방범", "생활방범", (2,)),
        ("어린이보호", "어린이보호", (2,)),
        ("교통단속", "교통단속", (4,)),
        ("시설물관리", "시설물관리", (3,)),
        ("재난재해", "재난재해", (3,)),
        ("쓰레기단속", "쓰레기단속", (2,)),
        ("차량방범", "차량방범", (2,)),
        ("교통정보수집", "교통정보수집", (5,)),
        ("다목적", "다목적", ()),
        ("기타", "기타", ()),
        # old standard-data spellings (domain.md §2.4)
        ("도로방범", "생활방범", (2,)),
        ("방범용", "생활방범", (2,)),
        ("구방범", "생활방범", (2,)),
        ("마을방범", "생활방범", (2,)),
        ("생활방범(파출소)", "생활방범", (2,)),
        ("경찰청", "생활방범", (2,)),
        ("도시공원", "생활방범", (2,)),
        ("불법주정차단속", "교통단속", (4,)),
        ("주차단속", "교통단속", (4,)),
        ("그린파킹", "교통단속", (4,)),
        ("쓰레기무단투기", "쓰레기단속", (2,)),
        ("무단투기", "쓰레기단속", (2,)),
        (" 쓰레기불법투기", "쓰레기단속", (2,)),
        ("시설관리", "시설물관리", (3,)),
        ("시설물 관리", "시설물관리", (3,)),
        ("시설물관리(문화재)", "시설물관리", (3,)),
        ("청사관리", "시설물관리", (3,)),
        ("청사내방범", "시설물관리", (3,)),
        ("재난감시", "재난재해", (3,)),
        ("재난관리", "재난재해", (3,)),
        ("산불예방", "재난재해", (3,)),
        ("재난재해(산불감시)", "재난재해", (3,)),
        ("재난재해(수위관측)", "재난재해", (3,)),
        ("재난재해(적설관측)", "재난재해", (3,)),
        ("차번판독", "차량방범", (2,)),
        ("번호인식", "차량방범", (2,)),
        ("학교연계", "어린이보호", (2,)),
        ("초등학교", "어린이보호", (2,)),
        ("중학교", "어린이보호", (2,)),
        ("교통방범", "다목적", (2,)),
        ("물흘림", "기타", ()),
        # free text from policy pages
        ("시설안전 및 화재예방", "시설물관리", (3,)),
        ("시설안전 및 화재 예방", "시설물관리", (3,)),
        ("고객의 안전을 위한 범죄 예방", "생활방범", (2,)),
        ("범죄의 예방 및 수사를 위하여 필요한 경우", "생활방범", (2,)),
        ("불법 주정차 단속용", "교통단속", (4,)),
        ("교통단속을 위하여 필요한 경우", "교통단속", (4,)),
        ("교통정보의 수집·분석 및 제공", "교통정보수집", (5,)),
        ("교통정보의 수집ㆍ분석 및 제공을 위하여 필요한 경우", "교통정보수집", (5,)),
        ("교통정보수집\n·\n분석", "교통정보수집", (5,)),
        ("법령에서 구체적으로 허용하고 있는 경우", "기타", (1,)),
        ("기타\n다른법령", "기타", (1,)),
        ("수위관리 및 시설안전", "다목적", (3,)),
        ("시설안전 및 화재예방. 고객의 안전을 위한 범죄 예방", "다목적", (3, 2)),
        ("시설안전 및 화재예방.\n고객의 안전을 위한\n범죄 예방", "다목적", (3, 2)),
        ("주민의 안전을 위한 범죄 예방 및 재난예방", "다목적", (2, 3)),
        ("재난예방감시, 불법주정차단속 및 교통정보 수집ㆍ분석 등", "다목적", (3, 4, 5)),
        ("다목적(방범, 쓰레기)", "다목적", (2,)),
        ("방범 및 쓰레기 무단투기 단속", "다목적", (2,)),
    ],
)
def test_table(text: str, canonical: str, basis: tuple[int, ...]) -> None:
    p = classify_purpose(text)
    assert (p.canonical, p.legal_basis) == (canonical, basis)


def test_pre_2023_list_is_all_five_items() -> None:
    text = (
        "법령에서 구체적으로 허용하고 있는 경우\n범죄의 예방 및 수사를 위하여 필요한 경우\n"
        "시설안전 및 화재 예방을 위하여 필요한 경우\n교통단속을 위하여 필요한 경우\n"
        "교통정보의 수집ㆍ분석 및 제공을 위하여 필요한 경우"
    )
    p = classify_purpose(text)
    assert (p.canonical, p.legal_basis) == ("다목적", (1, 2, 3, 4, 5))
    assert p.raw is not None and "\n" not in p.raw


@pytest.mark.parametrize("text", ["", None, "   "])
def test_blank(text: str | None) -> None:
    assert classify_purpose(text) == Purpose(None, (), None)


@pytest.mark.parametrize("text", ["블라블라", "관리실", "12"])
def test_unknown(text: str) -> None:
    assert classify_purpose(text) == Purpose(None, (), text)


def test_alias_table_is_reviewed_csv() -> None:
    with ALIAS_TABLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["alias", "canonical"]
        rows = [row for row in reader if row]
    assert rows
    seen: dict[str, str] = {}
    for alias, canonical in rows:
        assert canonical in CANONICAL_PURPOSES
        assert seen.setdefault(alias, canonical) == canonical
        assert classify_purpose(alias).canonical == canonical


def _check(p: Purpose) -> None:
    assert p.canonical is None or p.canonical in CANONICAL_PURPOSES
    assert all(1 <= i <= 6 for i in p.legal_basis)
    assert len(set(p.legal_basis)) == len(p.legal_basis)
    if p.canonical is None:
        assert p.legal_basis == ()


@settings(max_examples=200, database=None, deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _check(classify_purpose(text))


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join))
def test_fragments(text: str) -> None:
    _check(classify_purpose(text))
