"""One finding type: the parse lists it bare, the warehouse row adds where it was made."""

from __future__ import annotations

import pyarrow as pa

from transforms.issues import MAX_ISSUES, Issue, Provenance, capped
from warehouse.schema import QUALITY_ISSUES


def test_the_row_has_exactly_the_quality_issues_columns_in_order() -> None:
    where = Provenance("parse", "6110000", "ab" * 32, "https://example.org/cctv", "p1")
    row = Issue("warning", "retention_unparsed", "보관기간 '상시' not read", "table 1, row 3").row(
        where
    )
    assert list(row) == QUALITY_ISSUES.names
    assert row == {
        "level": "warning",
        "code": "retention_unparsed",
        "message": "보관기간 '상시' not read",
        "stage": "parse",
        "inst_code": "6110000",
        "row_ref": "table 1, row 3",
        "capture_sha256": "ab" * 32,
        "source_url": "https://example.org/cctv",
        "parser_version": "p1",
    }
    assert pa.Table.from_pylist([row], schema=QUALITY_ISSUES).num_rows == 1


def test_a_crawl_finding_has_no_parser_and_may_have_no_document() -> None:
    row = Issue("error", "fetch_failed", "homepage: timeout", "https://x.go.kr/").row(
        Provenance("crawl", "3510500", None, "https://x.go.kr/")
    )
    assert row["parser_version"] is None and row["capture_sha256"] is None
    assert row["stage"] == "crawl" and row["row_ref"] == "https://x.go.kr/"


def test_the_contract_form_is_unchanged_and_reads_back() -> None:
    issue = Issue("info", "retention_missing", "보관기간이 적혀 있지 않음", "t1, r2")
    listed = issue.as_dict()
    assert listed == {
        "level": "info",
        "code": "retention_missing",
        "message": "보관기간이 적혀 있지 않음",
        "row_ref": "t1, r2",
    }
    assert Issue.from_dict(listed) == issue
    assert Issue.from_dict({"level": "error", "code": "x", "message": "m"}).row_ref is None


def test_capped_keeps_the_first_and_counts_the_rest() -> None:
    issues = [Issue("info", "a", "m")] * MAX_ISSUES + [Issue("warning", "b", "m")] * 3
    kept = capped(issues)
    assert len(kept) == MAX_ISSUES + 1
    assert kept[-1].code == "issues_truncated" and kept[-1].level == "warning"
    assert "b ×3" in kept[-1].message
