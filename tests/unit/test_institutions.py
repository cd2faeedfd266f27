"""관리기관명 variants → one 7-digit 기관코드 valid on the row's date, through the institution
dimension (both eras of the 2026-07-01 reorganisation); ambiguity is reported, never guessed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from registry import load_registry
from registry.dimension import COLUMNS, DimensionError, load_institutions
from registry.institutions import (
    Identification,
    InstitutionDirectory,
    InstitutionHint,
    InstitutionResolver,
    InstitutionRow,
    identify_institution,
)
from transforms.contract import parse_document

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
    assert found.detail.startswith("후보 ") and "," in found.detail


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


# ── Which institution a page is from ───────────────────────────────────────────────────

DIRECTORY = InstitutionDirectory.of(ROWS, load_registry())


def _who(url: str | None = None, *names: tuple[str, str], **kwargs: str) -> tuple:
    found = identify_institution(DIRECTORY, url=url, names=names, **kwargs)
    return found.code, found.name, found.identified_by, found.confidence


def _issues(url: str | None = None, *names: tuple[str, str], **kwargs: str) -> list[str]:
    found = identify_institution(DIRECTORY, url=url, names=names, **kwargs)
    return [code for _, code, _ in found.issues]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.gimcheon.go.kr/policy.do", ("5060000", "registry_host", "high")),
        # parent domain and subdomains of a registered host
        ("https://seoul.go.kr/cctv", ("6110000", "registry_parent_host", "medium")),
        ("https://news.seoul.go.kr/gov/cctv", ("6110000", "registry_parent_host", "medium")),
        ("https://lib.gimcheon.go.kr:8443/x", ("5060000", "registry_parent_host", "medium")),
        # never up to the shared suffix: go.kr is nobody's
        ("https://www.unknown-library.go.kr/", (None, None, None)),
    ],
)
def test_the_registry_by_host(url: str, expected: tuple) -> None:
    code, _, how, sure = _who(url)
    assert (code, how, sure) == expected


def test_bodies_are_named_as_the_page_names_them_with_their_government_code() -> None:
    assert _who("https://www.jfmc.or.kr/", ("종로구시설관리공단", "title")) == (
        "3000000",
        "종로구시설관리공단",
        "title",
        "medium",
    )
    # a name without 시/군/구 still starts with the government's: 용인도시공사, 대구의료원
    assert _who("https://x.or.kr/", ("용인도시공사", "self_naming"))[:2] == (
        "4050000",
        "용인도시공사",
    )
    assert _who("https://x.or.kr/", ("대구의료원", "self_naming"))[:2] == ("6270000", "대구의료원")
    # two of the page's names agreeing make it sure
    assert _who(
        "https://x.or.kr/", ("김천시립도서관", "self_naming"), ("Copyright 김천시", "footer")
    )[2:] == ("self_naming", "high")
    # a school is its 광역's (the 교육청 runs it)
    assert _who("https://x.es.kr/", ("안동중앙초등학교", "self_naming"))[0] == "6470000"


def test_a_body_on_its_government_host_keeps_its_own_name() -> None:
    assert _who("https://www.gimcheon.go.kr/lib", ("김천시립도서관", "self_naming")) == (
        "5060000",
        "김천시립도서관",
        "registry_host",
        "high",
    )


def test_short_names_in_several_provinces_are_never_guessed() -> None:
    code, name, how, sure = _who("https://x.or.kr/", ("중구시설관리공단", "title"))
    assert (code, name, how, sure) == (None, "중구시설관리공단", "title", "low")
    assert _issues("https://x.or.kr/", ("중구시설관리공단", "title")) == [
        "institution_unidentified"
    ]
    # the 광역 named with it, or the host's, decides
    assert _who("https://x.or.kr/", ("대구광역시 중구", "footer"))[0] == "3410000"
    assert _who("https://x.or.kr/", ("부산광역시 중구시설관리공단", "title"))[0] == "3250000"
    assert _who("https://cctv.djjunggu.go.kr/", ("중구청", "title"))[0] == "3650000"
    # "광주시" is 경기도's, 광주광역시 spelled out is the 광역시
    assert _who("https://x.kr/", ("광주시", "title"))[0] == "5540000"
    assert _who("https://x.kr/", ("광주광역시", "title"))[0] in {"6290000", "6130000"}


def test_both_eras_of_the_reorganisation() -> None:
    # 전라남도 became 전남광주통합특별시 on 2026-07-01: its name means that body today
    assert _who("https://x.kr/", ("전남대학교병원", "self_naming"))[0] == "6130000"
    # a body split in two keeps its own code: nothing says which successor
    assert _who("https://x.kr/", ("인천광역시 중구", "footer"))[0] == "3490000"


def test_a_page_naming_another_institution_keeps_the_registry_one() -> None:
    found = identify_institution(
        DIRECTORY,
        url="https://www.gimcheon.go.kr/policy",
        names=[("파주시", "title")],
        hint_code="5060000",
        hint_name="경상북도 김천시",
    )
    assert (found.code, found.name, found.identified_by) == (
        "5060000",
        "경상북도 김천시",
        "registry_host",
    )
    ((level, code, message),) = found.issues
    assert (level, code) == ("warning", "institution_mismatch")
    assert "파주시" in message and "4060000" in message and "5060000" in message
    # its own 광역 is not another institution
    assert not _issues("https://www.gimcheon.go.kr/", ("경상북도", "footer"), hint_code="5060000")


def test_unnamed_pages_get_an_issue_never_a_guess() -> None:
    assert _who("https://x.kr/") == (None, None, None, None)
    assert _issues("https://x.kr/") == ["institution_unidentified"]
    assert _who("https://x.kr/", ("해오름복지관", "self_naming")) == (
        None,
        "해오름복지관",
        "self_naming",
        "low",
    )
    # a two-letter name inside a word is not a mention (집중구역 is not 중구)
    assert _who("https://x.kr/", opening="집중구역 순찰 안내")[0] is None
    assert _who("https://x.kr/", opening="김천시 CCTV 통합관제센터 운영 안내") == (
        "5060000",
        "경상북도 김천시",
        "dimension_name",
        "low",
    )


def test_without_a_directory_only_the_hint_counts() -> None:
    found = identify_institution(None, url="https://www.gimcheon.go.kr/", hint_code="5060000")
    assert (found.code, found.identified_by) == ("5060000", "hint")
    assert identify_institution(None, url="https://www.gimcheon.go.kr/") == Identification()


PAGE = """<html><head><title>영상정보처리방침 | 이용안내 | 누리도서관</title></head><body>
<div id="header"><ul class="gnb"><li>도서관소개</li></ul></div>
<div id="contents"><h3>영상정보처리기기 운영·관리 방침</h3>
<p>본 누리도서관(이하 '도서관'이라 함)은 영상정보처리기기 운영·관리 방침을 통해 도서관에서
처리하는 영상정보가 어떠한 용도와 방식으로 이용·관리되고 있는지 알려드립니다.</p>
<h4>1. 영상정보처리기기의 설치 근거 및 설치 목적</h4>
<p>도서관은 「개인정보 보호법」 제25조 제1항에 따라 시설안전 및 화재 예방을 위하여
영상정보처리기기를 설치·운영합니다.</p>
<h4>2. 설치 대수, 설치 위치 및 촬영 범위</h4>
<table><tr><th>설치 대수</th><th>설치 위치 및 촬영 범위</th></tr>
<tr><td>6대</td><td>1층 로비, 자료실</td></tr></table>
<h4>3. 관리책임자</h4><p>관리책임자 : 운영팀장 (☎ 453-2100)</p>
</div>
<div id="footer"><p>Copyright © 2024 인천광역시 남동구 누리도서관. All rights reserved.</p></div>
</body></html>"""


def test_the_parse_contract_names_the_institution_and_says_how() -> None:
    result = parse_document(
        PAGE.encode("utf-8"),
        url="https://nuri.lib.example.kr/cctv",
        institution=InstitutionHint(directory=DIRECTORY),
    )
    assert result["institution"] == {
        "name": "누리도서관",
        "code": "3530000",
        "identified_by": "footer",
        "confidence": "medium",
    }
    # the identified government's area code completes the phone written without one
    assert result["policy"]["contacts"][0]["phone"] == "032-453-2100"
    assert not [i for i in result["issues"] if i["code"].startswith("institution_")]


def test_the_parse_contract_records_an_unnamed_page() -> None:
    page = PAGE.replace("누리도서관", "도서관").replace("인천광역시 남동구 ", "")
    result = parse_document(
        page.encode("utf-8"),
        url="https://nuri.lib.example.kr/cctv",
        institution=InstitutionHint(directory=DIRECTORY),
    )
    assert result["institution"]["code"] is None
    (issue,) = [i for i in result["issues"] if i["code"].startswith("institution_")]
    assert (issue["level"], issue["code"], issue["row_ref"]) == (
        "warning",
        "institution_unidentified",
        "institution",
    )


def test_the_warehouse_keeps_who_each_policy_is_from(tmp_path: Path) -> None:
    """Through the build (archive → sandboxed parse → policies and quality_issues): a library
    page on a registered government's subdomain keeps its name with the government's code; a
    page crawled for one government that names another keeps the registry's, with the issue."""
    from archive.paths import data_paths
    from archive.writer import ArchiveWriter
    from tests.support import archive_response, query_warehouse
    from warehouse.build import build

    paths = data_paths(tmp_path)
    other = PAGE.replace("인천광역시 남동구 누리도서관", "경기도 파주시").replace(
        "누리도서관", "파주시"
    )
    with ArchiveWriter(paths, "crawl-1") as writer:
        for url, body in (
            ("https://lib.gimcheon.go.kr/cctv", PAGE.replace("인천광역시 남동구 ", "")),
            ("https://www.gimcheon.go.kr/policy", other),
        ):
            archive_response(
                writer,
                url,
                body.encode("utf-8"),
                inst_code="5060000",
                role="policy",
                fetched_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
            )
    build(paths, load_registry())
    rows = query_warehouse(
        tmp_path,
        "SELECT source_url, inst_code, institution_name, institution_identified_by, "
        "institution_confidence FROM policies ORDER BY source_url",
    )
    assert [row[1:] for row in rows] == [
        ("5060000", "누리도서관", "registry_parent_host", "medium"),
        ("5060000", "경상북도 김천시", "registry_host", "high"),
    ]
    issues = query_warehouse(
        tmp_path, "SELECT code, message FROM quality_issues WHERE code LIKE 'institution_%'"
    )
    assert [code for code, _ in issues] == ["institution_mismatch"]
    assert "파주시" in issues[0][1] and "5060000" in issues[0][1]
