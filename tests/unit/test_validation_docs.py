"""Data Docs as Korean staff read them: Korean words, warning-only suites shown as warnings,
and failing rows traced to 기관코드, 기관명 and source URL on pages linked from the index."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tests.unit.test_validation_results import institution, validated
from warehouse.validation import ValidationReport
from warehouse.validation.korean import suite_label, translate
from warehouse.validation.pages import FAILURES_PAGE, SUMMARY_PAGE

GUNSAN = "4671000"
MICHUHOL = "3510500"
GUNSAN_URL = "https://www.gunsan.go.kr/cctv"
RED_FAILED = re.compile(r"text-danger|fa-times|Failed|실패")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path]:
    """미추홀구 keeps one camera 45 days (a warning); 군산시 states 400 days (an error)."""
    gunsan = {"inst_code": GUNSAN, "source_url": GUNSAN_URL, "capture_sha256": "e" * 64}
    rows = {
        "institutions": [
            institution("6280000", "sido"),
            institution(MICHUHOL, "gu", "6280000") | {"name": "인천광역시 미추홀구"},
            institution("6450000", "sido"),
            institution(GUNSAN, "si", "6450000") | {"name": "전북특별자치도 군산시"},
        ],
        "cameras": [
            {},
            {"row_ref": "table 1, row 2", "retention_days": 45},
            {**gunsan, "row_ref": "table 2, row 7", "retention_days": 400},
        ],
        "policies": [{}],
    }
    report, _ = validated(tmp_path_factory.mktemp("docs"), rows)
    return report, report.docs_index.parent


def page_of(docs: Path, suite: str) -> str:
    (page,) = (docs / "validations" / suite).rglob("*.html")
    return page.read_text(encoding="utf-8")


def visible_text(html: str) -> str:
    doc = lxml.html.document_fromstring(html)
    for style in doc.iter("style"):
        style.drop_tree()
    return doc.text_content()


@pytest.mark.slow
def test_a_failing_warning_only_suite_reads_as_a_warning(
    docs: tuple[ValidationReport, Path],
) -> None:
    report, root = docs
    assert any(not o.success for o in report.outcomes if o.severity == "warning")
    html = page_of(root, "cameras-warnings")
    body = html[html.index("<body") :]
    assert not RED_FAILED.search(body), RED_FAILED.findall(body)
    assert "fa-exclamation-triangle text-warning" in body
    assert "경고" in visible_text(html)
    # the error suite that fails still says so, in red
    errors = page_of(root, "cameras-errors")
    assert "fa-times text-danger" in errors and "실패" in visible_text(errors)


@pytest.mark.slow
def test_the_index_shows_warnings_apart_from_failures(
    docs: tuple[ValidationReport, Path],
) -> None:
    _, root = docs
    doc = lxml.html.document_fromstring((root / "index.html").read_text(encoding="utf-8"))
    status = {}
    for row in doc.iter("tr"):
        links = [a.get("href", "") for a in row.iter("a") if "validations/" in a.get("href", "")]
        if links:
            status[links[0].split("/")[1]] = row[0].text_content().strip()
    assert status["cameras-warnings"].endswith("경고")
    assert status["cameras-errors"].endswith("실패")
    assert status["policies-errors"].endswith("통과")
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert {SUMMARY_PAGE, FAILURES_PAGE} <= hrefs


@pytest.mark.slow
def test_ge_pages_read_in_korean(docs: tuple[ValidationReport, Path]) -> None:
    _, root = docs
    html = page_of(root, "cameras-warnings")
    text = visible_text(html)
    for korean in ("개요", "상태", "통계", "검사한 규칙", "보관기간 30일 이하", "목차"):
        assert korean in text, korean
    for english in ("Overview", "Expectation Suite", "Status", "Statistics", "Show more info"):
        assert english not in text, english
    assert suite_label("cameras", "warning") in text
    # each rule of the result carries its reason, as the suite's page does
    assert "근거: 표준 개인정보 보호지침은 보관기간을" in text
    suite_page = (root / "expectations" / "cameras-warnings.html").read_text(encoding="utf-8")
    suite_text = visible_text(suite_page)
    assert "표준 개인정보 보호지침" in suite_text  # the note cites the rule by what it says
    assert "§" not in suite_text and "rule" not in suite_text


@pytest.mark.slow
def test_summary_page_counts_failing_rows_by_institution_and_rule(
    docs: tuple[ValidationReport, Path],
) -> None:
    _, root = docs
    doc = lxml.html.document_fromstring((root / SUMMARY_PAGE).read_text(encoding="utf-8"))
    (matrix,) = doc.find_class("matrix")
    header = [th.text_content().strip() for th in matrix.iter("th")]
    assert header[:3] == ["기관코드", "기관명", "합계"]
    rules = header[3:]
    rows = {
        tr[0].text_content(): [td.text_content().strip() for td in tr]
        for tr in matrix.find("tbody").iter("tr")
    }
    assert rows[GUNSAN][1] == "전북특별자치도 군산시"
    assert rows[MICHUHOL][1] == "인천광역시 미추홀구"
    by_rule = {
        code: {rule: cell for rule, cell in zip(rules, cells[3:], strict=True) if cell}
        for code, cells in rows.items()
    }
    over_365 = next(r for r in rules if r.startswith("보관기간 0–365일"))
    over_30 = next(r for r in rules if r.startswith("보관기간 30일 이하"))
    assert by_rule[GUNSAN][over_365] == "1" and by_rule[GUNSAN][over_30] == "1"
    assert by_rule[MICHUHOL] == {over_30: "1"}
    assert "Content-Security-Policy" in (root / SUMMARY_PAGE).read_text(encoding="utf-8")


@pytest.mark.slow
def test_failures_page_lists_each_row_with_its_institution_and_source(
    docs: tuple[ValidationReport, Path],
) -> None:
    _, root = docs
    html = (root / FAILURES_PAGE).read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(html)
    sections = {s.get("id"): s for s in doc.iter("section")}
    over_365 = next(s for s in sections.values() if "보관기간 0–365일" in s.text_content())
    cells = [td.text_content().strip() for td in over_365.iter("td")]
    assert cells[:3] == [GUNSAN, "전북특별자치도 군산시", GUNSAN_URL]
    assert "table 2, row 7" in cells and "400" in cells
    assert "근거:" in over_365.text_content()
    # every rule heading on the summary links to its section here
    summary = (root / SUMMARY_PAGE).read_text(encoding="utf-8")
    for anchor in re.findall(rf'href="{FAILURES_PAGE}#([^"]+)"', summary):
        assert anchor in sections


def test_translate_leaves_links_and_names_columns() -> None:
    doc = lxml.html.document_fromstring(
        '<html><body><h5 class="m-0"> retention_days </h5>'
        '<a href="validations/cameras-warnings/x.html">cameras-warnings</a>'
        "<span>Status:</span> Failed<div>3 unexpected values found. 75% of 4 total rows.</div>"
        "<td>cameras</td></body></html>"
    )
    translate(doc, "cameras")
    out = lxml.html.tostring(doc, encoding="unicode")
    assert "보관기간" in out and "retention_days" not in out.split("<a")[0]
    assert 'href="validations/cameras-warnings/x.html"' in out
    assert ">방침의 설치 현황 · 경고<" in out
    assert "상태:" in out and "실패" in out
    assert "4행 중 3행(75%)이 규칙을 어깁니다." in out
    assert "<td>방침의 설치 현황</td>" in out


@pytest.mark.slow
def test_rules_on_the_whole_table_say_what_they_found(
    docs: tuple[ValidationReport, Path],
) -> None:
    """The two 광역 of the registry have no policy page: named with their names, not a count."""
    _, root = docs
    text = visible_text((root / FAILURES_PAGE).read_text(encoding="utf-8"))
    assert "방침이 없는 기관 2곳: 6280000 기관 6280000, 6450000 기관 6450000" in text
    summary = visible_text((root / SUMMARY_PAGE).read_text(encoding="utf-8"))
    assert "모든 광역에 방침 있음" in summary and "6450000 기관 6450000" in summary


@pytest.mark.slow
def test_run_times_read_in_korean_time(docs: tuple[ValidationReport, Path]) -> None:
    _, root = docs
    index = visible_text((root / "index.html").read_text(encoding="utf-8"))
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)", index)
    assert " UTC" not in index
    assert "방침의 설치 현황" in index and "warehouse-cameras" not in index
