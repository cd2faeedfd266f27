"""The release's README.md, in Korean: what is in the folder, on what terms, how to cite
it, what the latest validation found, who has no policy and why, which capture dates it
covers. It holds no time of making (release.json holds the release's creation and the
validation's run), so it is the same for the same data, even from a warehouse rebuilt and
validated again.
"""

from __future__ import annotations

from warehouse.labels import MISSING, column_label, issue_title
from warehouse.release.changes import CHANGES, number
from warehouse.release.checksums import SUMS
from warehouse.release.facts import Facts
from warehouse.release.licences import LICENCE_LINES, PROJECT
from warehouse.release.package import PACKAGE
from warehouse.release.tables import TableFiles, table_title

README = "README.md"
RELEASE_JSON = "release.json"
DUCKDB_FILE = "cctv.duckdb"


def citation(release: str) -> str:
    """The one line to cite this release by."""
    return (
        f"{PROJECT.holder}. 「{PROJECT.title}」, 묶음 {release}. "
        f"{PROJECT.package} {PROJECT.version}."
    )


def _day(day: object) -> str:
    return str(day) if day is not None else MISSING


def _table(name: str) -> str:
    try:
        return table_title(name)
    except KeyError:
        return name


def _column(table: str, name: str) -> str:
    if not name:
        return MISSING
    try:
        return column_label(table, name)
    except KeyError:
        return name


def _size(n: int) -> str:
    return f"{n:,}바이트"


def readme_markdown(
    *,
    release: str,
    tables: list[TableFiles],
    sizes: dict[str, int],
    facts: Facts,
    standard_file: str,
    standard_note: str | None,
    previous: str | None,
) -> str:
    v = facts.validation
    out = [
        f"# {PROJECT.title} — 묶음 {release}",
        "",
        PROJECT.description,
        "",
        f"- 수집 기간(한국 시각): {_day(facts.first_capture)} ~ {_day(facts.last_capture)}",
        f"- 수집 회차: {len(facts.crawls):,}회"
        + (f" ({facts.crawls[0]} ~ {facts.crawls[-1]})" if facts.crawls else ""),
        f"- 이전 묶음: {previous or '없음 (첫 공개본)'}",
        "",
        "## 인용",
        "",
        citation(release),
        "",
        "## 들어 있는 것",
        "",
        "| 표 | 이름 | 행 | Parquet | CSV |",
        "|---|---|---:|---:|---:|",
    ]
    for t in tables:
        out.append(
            f"| {t.name} | {table_title(t.name)} | {t.rows:,} | {_size(sizes[t.parquet])} | "
            f"{_size(sizes[t.csv])} |"
        )
    out += [
        "",
        "- `parquet/`: 표마다 Parquet 파일 (기본 키 순서).",
        "- `csv/`: 같은 표의 CSV (UTF-8, BOM 포함이라 엑셀에서 바로 열림). 수식으로 읽힐 수 있는 "
        "글자(= + - @ 등)로 시작하는 칸은 앞에 `'`를 붙였습니다. 목록은 JSON 배열, 시각은 UTC.",
        f"- `{standard_file}`: 카메라 행을 전국CCTV표준데이터 양식으로"
        + (" (cp949, LOCALDATA와 같은 인코딩)." if "cp949" in standard_file else " (UTF-8)."),
        f"- `{DUCKDB_FILE}`: 창고 DuckDB 파일 (표, 뷰, 검증 결과). 같은 보관본에서 다시 만든 "
        "DuckDB 파일은 바이트까지 같지 않으므로 재현성 확인에서 제외합니다.",
        f"- `{PACKAGE}`: Frictionless 데이터 패키지 (열마다 형식, 단위, 설명, 한국어 이름, "
        "기본 키와 외래 키, 라이선스).",
        f"- `{SUMS}`: 모든 파일의 SHA-256 (`sha256sum -c {SUMS}`로 확인). "
        f"`{RELEASE_JSON}`: 만든 시각 (이 묶음에서 시각이 적힌 유일한 곳).",
        f"- `{CHANGES}`: 이전 묶음과 달라진 점.",
    ]
    if standard_note:
        out.append(f"- 참고: {standard_note}")
    out += ["", "## 라이선스", "", *LICENCE_LINES, "", "## 검증", ""]
    if v.run_at is None:
        out.append("이 창고에는 검증 결과가 없습니다 (검증을 실행하지 않음).")
    else:
        out.append(
            f"마지막 검증(실행 시각은 {RELEASE_JSON}의 validated_at): 통과 {v.passed:,}건, "
            f"실패 {v.failed:,}건 (오류 수준 {v.error_failures:,}건)."
        )
        if v.failures:
            out += ["", "| 수준 | 표 | 열 | 규칙 | 어긋난 행 |", "|---|---|---|---|---:|"]
            for severity, table, column, rule, count in v.failures:
                shown = number(count)
                out.append(
                    f"| {'오류' if severity == 'error' else '경고'} | {_table(table)} | "
                    f"{_column(table, column)} | {rule} | {shown} |"
                )
    out += ["", "## 방침을 찾지 못한 기관", ""]
    if facts.no_policy:
        out += ["| 기관코드 | 기관 | 사유 |", "|---|---|---|"]
        out += [f"| {n.inst_code} | {n.name} | {n.why} |" for n in facts.no_policy]
    else:
        out.append("수집한 기관은 모두 방침을 찾았습니다.")
    out += [
        "",
        f"수집 대상이 아니었거나 아직 수집하지 않은 기관: {facts.not_crawled:,}곳 "
        "(기관 표의 `crawled`가 거짓).",
        "",
        "## 전국 수치",
        "",
        "| 항목 | 값 |",
        "|---|---:|",
        *(f"| {k} | {number(val)} |" for k, val in facts.figures.items()),
        "",
        f"품질 이슈의 뜻은 `quality_issues` 표의 `code` 열을 보십시오 (예: "
        f"{issue_title('document_unreadable')}).",
        "",
    ]
    return "\n".join(out)
