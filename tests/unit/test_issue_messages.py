"""Quality-issue messages are read by 개인정보보호위원회 and local-government staff on the
institution pages, the workbook and Data Docs: each one is Korean, with the raw value it is
about quoted as it was written."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from transforms.cameras import as_inventory, rows_from_inventory
from transforms.contract import parse_document
from transforms.grid import Grid
from transforms.issues import Issue, capped

_QUOTED = re.compile(r"'[^']*'")
_HANGUL = re.compile(r"[가-힣]")
# Two English words at the start: a sentence, not a name such as "CSV" or "table 1".
_ENGLISH_LEAD = re.compile(r"^[A-Za-z]+[ ,;:]+[A-Za-z]+")


def english_sentence(message: str) -> bool:
    """True when `message`, its quoted raw values taken out, has no Hangul or opens in
    English words."""
    rest = _QUOTED.sub("", message).strip()
    return (
        not _HANGUL.search(rest)
        or bool(re.match(r"^[a-z][a-z ]+", rest))
        or bool(_ENGLISH_LEAD.match(rest))
    )


@pytest.mark.parametrize(
    "message",
    [
        "the row states no retention period",
        "camera count '두 대' is not a number",
        "coordinates 위도=0, 경도=0 lie outside Korea; nulled",
        "CSV has more than 10 cells",
        "'두 대'",
    ],
)
def test_the_check_catches_an_english_message(message: str) -> None:
    assert english_sentence(message)


def _messages(issues: list[Issue]) -> dict[str, str]:
    return {i.code: i.message for i in issues}


def test_camera_row_findings_are_korean_and_quote_the_raw_value() -> None:
    grid = Grid(
        "table 1",
        [
            ["관리부서", "설치목적", "설치대수", "촬영시간", "보관기간", "비고란X"],
            ["총무과", "시설안전", "두 대", "밤에만 가끔", "담당자 판단", "a"],
            ["민원과", "알 수 없는 목적", "3", "24시간", "", "b"],
        ],
    )
    table = as_inventory(grid)
    assert table is not None
    _rows, issues = rows_from_inventory(table)
    said = _messages(issues)
    assert said["count_unparsed"] == "카메라 대수('두 대')를 숫자로 읽을 수 없음"
    assert said["retention_unparsed"] == "보관기간('담당자 판단')을 기간으로 읽을 수 없음"
    assert said["hours_unparsed"] == "촬영시간('밤에만 가끔')이 알려진 표기 형식에 맞지 않음"
    assert said["retention_missing"] == "보관기간이 적혀 있지 않음"
    assert "'알 수 없는 목적'" in said["purpose_unmapped"]
    assert said["unmapped_column"] == (
        "6번째 열('비고란X', table 1)을 어느 항목에도 대응시키지 못함"
    )
    assert not [i.message for i in issues if english_sentence(i.message)]


def test_a_page_total_that_disagrees_is_reported_in_korean() -> None:
    page = (
        "<html><body><h2>영상정보처리기기 운영·관리 방침</h2><table>"
        "<tr><th>설치장소</th><th>설치대수</th><th>보관기간</th></tr>"
        "<tr><td>정문</td><td>2</td><td>30일</td></tr>"
        "<tr><td>후문</td><td>3</td><td>30일</td></tr>"
        "<tr><td>합계</td><td>6</td><td></td></tr></table></body></html>"
    )
    result = parse_document(page.encode(), url="https://www.example.go.kr/cctv")
    [issue] = [i for i in result["issues"] if i["code"] == "stated_total_mismatch"]
    assert issue["message"].startswith("문서(https://www.example.go.kr/cctv)에 적힌 합계 6대")
    assert issue["message"].endswith("카메라 행의 합 5대와 다름")
    assert not [i["message"] for i in result["issues"] if english_sentence(i["message"])]


def test_the_summary_of_issues_beyond_the_cap_is_korean() -> None:
    *_, summary = capped([Issue("info", "a", "x")] * 3, limit=1)
    assert summary.message == "처음 1건 뒤의 이슈 2건은 목록에 싣지 않음(종류별: a ×2)"
    assert not english_sentence(summary.message)


@pytest.mark.cli
def test_every_message_in_the_demo_warehouse_is_korean(demo_data: Path) -> None:
    con = duckdb.connect(str(demo_data / "warehouse" / "cctv.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT code, message FROM quality_issues").fetchall()
    finally:
        con.close()
    assert len({code for code, _ in rows}) >= 4
    english = [(code, message) for code, message in rows if english_sentence(message or "")]
    assert not english, english
