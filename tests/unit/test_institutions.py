"""관리기관명 variants → one 7-digit 기관코드 valid on the row's date, through the institution
dimension (both eras of the 2026-07-01 reorganisation); ambiguity is reported, never guessed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from crawler.registry import load_registry
from crawler.registry.dimension import COLUMNS, DimensionError, load_institutions
from transforms.institutions import InstitutionResolver, InstitutionRow

ROWS = load_institutions()
RESOLVER = InstitutionResolver(ROWS)
D2019 = dt.date(2019, 3, 1)


def _era(day: dt.date) -> Counter[str]:
    return Counter(r.level for r in ROWS if r.valid_on(day))


def test_the_dimension_covers_both_eras_of_the_reorganisation() -> None:
    assert len(ROWS) == 310
    assert _era(dt.date(2026, 6, 30)) == {"sido": 17, "si": 75, "gun": 82, "gu": 69}
    assert _era(dt.date(2026, 7, 1)) == {"sido": 16, "si": 75, "gun": 82, "gu": 70}
    by_code = {r.inst_code: r for r in ROWS}
    assert by_code["3510500"].short_name == "미추홀구"
    assert by_code["3630000"].successor_code == "5825000"
    assert by_code["3490000"].successor_code == "3501000;3491000"
    assert by_code["5825000"].sigungu_code5 == "12330"


def test_every_crawled_institution_is_in_the_dimension() -> None:
    codes = {r.inst_code for r in ROWS}
    assert {i.inst_code for i in load_registry()} <= codes


def _write(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "dimension.csv"
    good = "6470000,경상북도,경상북도,sido,,47000,https://www.gb.go.kr,,,"
    path.write_text(",".join(COLUMNS) + "\n" + good + "\n" + row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("506000,경상북도 김천시,김천시,si,6470000,47150,,,,", "7-digit"),
        ("5060000,경상북도 김천시,김천시,city,6470000,47150,,,,", "level"),
        ("5060000,경상북도 김천시,김천시,si,,47150,,,,", "parent_code"),
        ("5060000,경상북도 김천시,김천시,si,6470000,4715,,,,", "sigungu_code5"),
        ("5060000,경상북도 김천시,김천시,si,6470000,47150,www.x.kr,,,", "homepage"),
        ("5060000,경상북도 김천시,김천시,si,6470000,47150,,2024-13-01,,", "valid_from"),
        ("5060000,경상북도 김천시,김천시,si,6470000,47150,,2024-02-01,2024-01-01,", "before"),
        ("5060000,경상북도 김천시,김천시,si,6470000,47150,,,,123", "successor_code"),
        ("5060000,경상북도 김천시,김천시,si,6480000,47150,,,,", "not in the file"),
        ("6470000,경상북도,경상북도,sido,,47000,,,,", "repeats line 2"),
    ],
)
def test_a_bad_dimension_row_is_an_error_naming_its_line(
    tmp_path: Path, row: str, message: str
) -> None:
    with pytest.raises(DimensionError, match=message) as caught:
        load_institutions(_write(tmp_path, row))
    assert ":3" in str(caught.value) or "parent" in message or "not in the file" in message


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("서울특별시 종로구청", "3000000"),
        ("서울특별시 강남구청", "3220000"),
        ("관악구청", "3200000"),
        ("용산구청", "3020000"),
        ("서울특별시_서초구", "3210000"),
        ("서울특별시동작구청", "3190000"),
        ("서울특별시 영등포구", "3180000"),
        ("서울시 강남구", "3220000"),
        ("서울 강남구", "3220000"),
        ("부산광역시 사상구", "3390000"),
        ("부산광역시 기장군청", "3400000"),
        ("부산광역시(자연재난과) 부산진구청", "3290000"),
        ("유성구청", "3670000"),
        ("대전광역시 중구청", "3650000"),
        ("경상북도 경산시청", "5130000"),
        ("경북 경산시", "5130000"),
        ("경기도 성남시 분당구", "3780000"),
        ("광주시청", "5540000"),  # 경기도 광주시, not 광주광역시
        ("광주 광산구", "3630000"),
        ("서울특별시청", "6110000"),
        ("세종특별자치시", "5690000"),
        ("인천광역시 남구청", "3510500"),  # renamed 미추홀구 in 2018
    ],
)
def test_name_variants_resolve_to_one_code(name: str, code: str) -> None:
    found = RESOLVER.resolve(name, on=D2019)
    assert (found.inst_code, found.status) == (code, "name")


@pytest.mark.parametrize("name", ["중구", "중구청", "동구청", "서구", "고성군"])
def test_a_name_in_several_provinces_is_ambiguous_without_a_prefix_or_code(name: str) -> None:
    found = RESOLVER.resolve(name, on=D2019)
    assert found.inst_code is None
    assert found.status == "ambiguous"
    assert "candidates" in found.detail


def test_the_province_prefix_or_the_code_column_settles_an_ambiguous_name() -> None:
    assert RESOLVER.resolve("부산광역시 중구", on=D2019).inst_code == "3250000"
    assert RESOLVER.resolve("경상남도 고성군", on=D2019).inst_code == "5420000"
    assert RESOLVER.resolve("중구청", on=D2019, code="3650000").inst_code == "3650000"
    # a 광역 code (the provider trailer of 공공데이터 files) only tells the province
    assert RESOLVER.resolve("중구", on=D2019, code="6110000").inst_code == "3010000"


def test_validity_on_the_rows_date_picks_the_era() -> None:
    assert RESOLVER.resolve("강원도 고성군", on=D2019).inst_code == "4340000"
    assert RESOLVER.resolve("강원도 춘천시", on=D2019).inst_code == "4180000"
    assert RESOLVER.resolve("강원도 춘천시", on=dt.date(2024, 1, 1)).inst_code == "4181000"
    assert RESOLVER.resolve("광주광역시 광산구", on=dt.date(2025, 1, 1)).inst_code == "3630000"
    after = RESOLVER.resolve("광주광역시 광산구", on=dt.date(2026, 8, 1))
    assert (after.inst_code, after.status) == ("5825000", "name")


def test_an_old_code_after_its_end_is_kept_and_marked_expired() -> None:
    found = RESOLVER.resolve("인천광역시 중구청", on=dt.date(2026, 8, 1))
    assert (found.inst_code, found.status) == ("3490000", "expired")
    lagging = RESOLVER.resolve("광주광역시 광산구", on=dt.date(2026, 8, 1), code="3630000")
    assert (lagging.inst_code, lagging.status) == ("3630000", "expired")


def test_the_code_column_wins_over_a_name_that_disagrees_and_says_so() -> None:
    found = RESOLVER.resolve("대전광역시 중구청", on=D2019, code="3640000")
    assert (found.inst_code, found.status) == ("3640000", "mismatch")
    assert "3650000" in found.detail
    renamed = RESOLVER.resolve("인천광역시 중구청", on=dt.date(2026, 8, 1), code="3501000")
    assert (renamed.inst_code, renamed.status) == ("3501000", "name")


def test_a_body_that_is_no_institution_is_unknown_or_taken_from_the_code_column() -> None:
    found = RESOLVER.resolve("서울특별시 강북경찰서", on=D2019)
    assert (found.inst_code, found.status) == (None, "unknown")
    coded = RESOLVER.resolve("서울특별시 강북경찰서", on=D2019, code="3080000")
    assert (coded.inst_code, coded.status) == ("3080000", "code")
    assert RESOLVER.resolve(None, code="3000000").inst_code == "3000000"
    assert RESOLVER.resolve("", code=None).status == "unknown"


def test_old_alias_codes_are_read_as_their_successor() -> None:
    assert RESOLVER.resolve(None, code="3510000").inst_code == "3510500"


def test_crawl_registry_rows_work_as_institutions_too() -> None:
    registry = InstitutionResolver(load_registry())
    assert registry.resolve("경상북도 김천시청", on=D2019).inst_code == "5060000"


def test_rows_know_their_validity() -> None:
    row = InstitutionRow("1234567", "x", "x", "gu", "6110000", valid_to=dt.date(2020, 1, 1))
    assert row.valid_on(dt.date(2019, 12, 31)) and not row.valid_on(dt.date(2020, 1, 2))
