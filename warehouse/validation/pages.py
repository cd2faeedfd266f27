"""Two Korean pages beside the Data Docs: which institutions fail which rule, and the
failing rows themselves, each with 기관코드, 기관명 and the URL it was read from.

GE's own pages show a failed rule with counts and a sample of values, but not whose rows
they are; a regulator acting on a failure needs the institution and the page. The pages are
plain HTML: `datadocs.build` gives them the same offline stylesheet and security policy as
GE's pages and links them from the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from warehouse.labels import MISSING, column_label, value_label
from warehouse.site.format import count, kst_time

if TYPE_CHECKING:
    from warehouse.validation.runner import ExpectationOutcome as Outcome

SUMMARY_PAGE = "summary.html"
FAILURES_PAGE = "failures.html"
UNKNOWN_INSTITUTION = "기관 미상"
# Trace columns shown first, in this order; the failing value follows.
TRACE = ("inst_code", "inst_name_raw", "source_url", "capture_sha256", "row_ref")


def rule_title(outcome: Outcome) -> str:
    """The rule as its column heading reads: its Korean name, else the column's name."""
    return outcome.name or _column(outcome.table, outcome.column)


def _column(table: str, column: str | None) -> str:
    if not column:
        return "표 전체"
    names = []
    for part in column.split(", "):
        try:
            names.append(column_label(table, part))
        except KeyError:
            names.append(part)
    return ", ".join(names)


def _anchor(n: int) -> str:
    return f"rule-{n}"


def _badge(severity: str) -> str:
    css = "badge-danger" if severity == "error" else "badge-warning"
    return f'<span class="badge {css}">{escape(value_label("severity", severity))}</span>'


def _page(title: str, run_time: datetime, body: str, other: tuple[str, str]) -> str:
    link, label = other
    return f"""<!DOCTYPE html>
<html lang="ko"><head><title>{escape(title)}</title></head>
<body>
<nav class="navbar"><a class="offline-brand" href="index.html">검증 보고서</a>
<ol class="breadcrumb"><li class="breadcrumb-item"><a href="index.html">처음</a></li>
<li class="breadcrumb-item active">{escape(title)}</li></ol></nav>
<main class="container-fluid pt-4 pb-4">
<h4>{escape(title)}</h4>
<p class="lead">검증 시각 {escape(kst_time(run_time))} · <a href="{link}">{escape(label)}</a></p>
{body}
</main></body></html>
"""


def _count_or_blank(n: int | None) -> str:
    """A cell of the matrix: blank where the institution passes, so failures stand out."""
    return count(n) if n else ""


def _failed(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Failed rules, errors first, then by how many rows fail."""
    failed = [o for o in outcomes if not o.success]
    return sorted(failed, key=lambda o: (o.severity != "error", -(o.unexpected_count or 0)))


def _summary_body(failed: list[Outcome], names: Mapping[str, str]) -> str:
    traced = [(n, o) for n, o in enumerate(failed, 1) if o.by_institution]
    if not failed:
        return '<p class="alert alert-secondary">모든 규칙을 통과했습니다.</p>'
    parts = []
    if traced:
        codes: dict[str, int] = {}
        for _, o in traced:
            for code, n in o.by_institution.items():
                codes[code] = codes.get(code, 0) + n
        order = sorted(codes, key=lambda c: (-codes[c], c == "", c))
        head = "".join(
            f'<th><a href="{FAILURES_PAGE}#{_anchor(n)}">{escape(rule_title(o))}</a><br>'
            f"{_badge(o.severity)} <small>{escape(value_label('table_name', o.table))}</small>"
            "</th>"
            for n, o in traced
        )
        rows = []
        for code in order:
            cells = "".join(
                f'<td class="num">{_count_or_blank(o.by_institution.get(code))}</td>'
                for _, o in traced
            )
            name = names.get(code, UNKNOWN_INSTITUTION if not code else MISSING)
            rows.append(
                f"<tr><td>{escape(code or MISSING)}</td><td>{escape(name)}</td>"
                f'<td class="num"><strong>{count(codes[code])}</strong></td>{cells}</tr>'
            )
        parts.append(
            "<p>행: 기관, 열: 통과하지 못한 규칙, 칸: 그 기관의 위반 행 수. 규칙 이름을 누르면 "
            "위반 행(출처 URL 포함)을 볼 수 있습니다.</p>"
            '<div class="table-responsive"><table class="table table-sm matrix">'
            f"<thead><tr><th>기관코드</th><th>기관명</th><th>합계</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
    untraced = [(n, o) for n, o in enumerate(failed, 1) if not o.by_institution]
    if untraced:
        items = "".join(
            f'<li>{_badge(o.severity)} <a href="{FAILURES_PAGE}#{_anchor(n)}">'
            f"{escape(rule_title(o))}</a> ({escape(value_label('table_name', o.table))}): "
            + escape(table_finding(o, names) or o.note)
            + "</li>"
            for n, o in untraced
        )
        parts.append(f"<h5>기관별로 나눌 수 없는 규칙</h5><ul>{items}</ul>")
    return "\n".join(parts)


def _missing(outcome: Outcome) -> list[str]:
    """The codes a "these institutions have a policy" rule found without one."""
    if outcome.expectation_type != "expect_column_distinct_values_to_contain_set":
        return []
    listed = outcome.details.get("missing_list") or outcome.details.get("partial_missing_list")
    if listed:
        return sorted(map(str, listed))
    wanted = outcome.details.get("kwargs", {}).get("value_set") or []
    seen = outcome.details.get("observed_value") or []
    return sorted(set(map(str, wanted)) - set(map(str, seen)))


def _named(codes: list[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{code} {names[code]}" if code in names else code for code in codes)


def table_finding(outcome: Outcome, names: Mapping[str, str] | None = None) -> str:
    """What a failed rule on the whole table found, in a sentence: the institutions without
    a policy, the columns missing, or the count against the bound; "" for row rules."""
    if missing := _missing(outcome):
        return f"방침이 없는 기관 {len(missing):,}곳: {_named(missing, names or {})}"
    mismatched = (outcome.details.get("details") or {}).get("mismatched") or {}
    if absent := mismatched.get("missing"):
        return f"없는 열: {_column(outcome.table, ', '.join(absent))}"
    observed = outcome.details.get("observed_value")
    low = outcome.details.get("kwargs", {}).get("min_value")
    if outcome.expectation_type.startswith("expect_column_unique_value_count") and low:
        return f"{count(observed)}곳 (필요: {count(low)}곳 이상)"
    return ""


def _value_columns(outcome: Outcome) -> list[str]:
    columns: list[str] = []
    for row in outcome.rows:
        columns += [k for k in row if k not in TRACE and k not in columns]
    return columns


def _cell(column: str, value: Any) -> str:
    if column == "source_url" and value:
        return f'<td class="url">{escape(str(value))}</td>'
    if column == "capture_sha256" and value:
        return f'<td><code title="{escape(str(value))}">{escape(str(value)[:12])}…</code></td>'
    return f"<td>{escape(value_label(column, value))}</td>"


def _rows_table(outcome: Outcome, names: Mapping[str, str]) -> str:
    values = _value_columns(outcome)
    trace = [c for c in TRACE if any(c in row for row in outcome.rows)]
    head = ["기관코드", "기관명"] + [_column(outcome.table, c) for c in trace if c != "inst_code"]
    head += [f"값: {_column(outcome.table, c)}" for c in values]
    body = []
    for row in outcome.rows:
        code = row.get("inst_code")
        name = names.get(str(code), MISSING) if code else UNKNOWN_INSTITUTION
        cells = [f"<td>{escape(str(code) if code else MISSING)}</td>", f"<td>{escape(name)}</td>"]
        cells += [_cell(c, row.get(c)) for c in trace if c != "inst_code"]
        cells += [_cell(c, row.get(c)) for c in values]
        body.append(f"<tr>{''.join(cells)}</tr>")
    shown = ""
    if outcome.unexpected_count and outcome.unexpected_count > len(outcome.rows):
        shown = f"<p>처음 {count(len(outcome.rows))}행만 보입니다.</p>"
    return (
        f'{shown}<div class="table-responsive"><table class="table table-sm failing"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _failures_body(failed: list[Outcome], names: Mapping[str, str]) -> str:
    if not failed:
        return '<p class="alert alert-secondary">통과하지 못한 규칙이 없습니다.</p>'
    sections = []
    for n, o in enumerate(failed, 1):
        institutions = len([c for c in o.by_institution if c])
        facts = [f"{escape(value_label('table_name', o.table))}"]
        facts.append(f"검사 대상: {escape(_column(o.table, o.column))}")
        if o.unexpected_count is not None:
            facts.append(f"위반 {count(o.unexpected_count)}행")
        if institutions:
            facts.append(f"기관 {count(institutions)}곳")
        if o.rows:
            detail = _rows_table(o, names)
        elif finding := table_finding(o, names):
            detail = f"<p>{escape(finding)}</p>"
        else:
            detail = (
                "<p>이 규칙은 행이 아니라 표 전체를 판정합니다: Data Docs의 관측값을 보십시오.</p>"
            )
        sections.append(
            f'<section id="{_anchor(n)}" class="ge-section card">'
            f'<div class="card-header">{_badge(o.severity)} '
            f"<strong>{escape(rule_title(o))}</strong>"
            f" · {' · '.join(facts)}</div>"
            f'<div class="card-body"><p class="note">근거: {escape(o.note)}</p>{detail}</div>'
            "</section>"
        )
    return "\n".join(sections)


def render(
    outcomes: Iterable[Outcome], names: Mapping[str, str], run_time: datetime
) -> dict[str, str]:
    """The two pages by file name, for `datadocs.build` to write beside the Data Docs."""
    failed = _failed(outcomes)
    return {
        SUMMARY_PAGE: _page(
            "기관별 검증 결과",
            run_time,
            _summary_body(failed, names),
            (FAILURES_PAGE, "위반 행 목록"),
        ),
        FAILURES_PAGE: _page(
            "위반 행 목록",
            run_time,
            _failures_body(failed, names),
            (SUMMARY_PAGE, "기관별 검증 결과"),
        ),
    }
