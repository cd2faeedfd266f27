"""`cctv demo`: sample web → crawl → build → validate → notebooks, then the summary a
person reads (or the same as one JSON document)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from archive.paths import DataPaths, data_paths
from domain.text import display_width
from pipelines.cli.common import paths_of
from pipelines.console import (
    AsJson,
    DataDir,
    Quiet,
    fail,
    info,
    out,
    print_json,
    progress_bars,
    quiet_flag,
    result_line,
)
from registry import RegistryError


def demo(data_dir: DataDir = None, as_json: AsJson = False, quiet: Quiet = False) -> None:
    """Sample web → crawl → build → validate → notebooks, then a summary."""
    from pipelines.crawl_watch import CrawlProgress
    from pipelines.notebooks import NotebookError, run_notebooks
    from pipelines.stages import StageError, crawl_sample, run_build, run_validate

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    started = time.perf_counter()
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("crawling the sample web", total=None)

            def crawled(now: CrawlProgress) -> None:
                bar.update(task, completed=now.institutions_done, total=now.institutions_total)

            result = crawl_sample(paths, progress=crawled)
            bar.remove_task(task)
            info(
                f"crawl {result.crawl_id}: {result.archived} documents, "
                f"{result.problems} problems logged",
                quiet,
                "[green]✓[/] ",
            )
            task = bar.add_task("building the warehouse", total=None)
            report = run_build(
                paths, progress=lambda _u, n, total: bar.update(task, completed=n, total=total)
            )
            bar.remove_task(task)
            info(f"build: {report.parsed} parsed, {report.reused} reused", quiet, "[green]✓[/] ")
            task = bar.add_task("validating", total=None)
            validation = run_validate(paths)
            bar.update(task, description="running notebooks")
            notebooks = run_notebooks(paths.root, paths.root / "notebooks")
    except (StageError, NotebookError, RegistryError) as exc:
        raise fail(str(exc)) from exc
    seconds = time.perf_counter() - started
    if as_json:
        print_json(_demo_json(paths, result, report, validation, notebooks, seconds))
    else:
        _print_summary(paths, validation, notebooks, seconds)
    if not validation.ok:
        raise typer.Exit(1)


def _demo_json(paths: DataPaths, crawl, build, validation, notebooks, seconds: float) -> dict:
    from warehouse.summary import summary

    rows, totals = summary(paths.duckdb)
    return {
        "crawl": {
            "crawl_id": crawl.crawl_id,
            "documents": crawl.archived,
            "problems": crawl.problems,
            "events": str(crawl.events_path),
        },
        "build": {
            "parsed": build.parsed,
            "reused": build.reused,
            "unreadable": len(build.failed),
            "rows": build.rows,
        },
        "validation": {
            "ok": validation.ok,
            "passed": validation.passed,
            "failed": validation.failed,
            "error_failures": validation.error_failures,
            "warning_failures": validation.warning_failures,
        },
        "institutions": rows,
        "totals": totals,
        "paths": {
            "warehouse": str(paths.duckdb),
            "parquet": str(paths.parquet_dir),
            "data_docs": str(validation.docs_index),
            "notebooks": [str(n) for n in notebooks],
            "archive": str(paths.warc_dir),
        },
        "seconds": round(seconds, 1),
    }


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def _days(r: dict) -> str:
    return "/".join(_fmt(r[k]) for k in ("retention_min", "retention_median", "retention_max"))


# The summary's columns: (header, what it counts), the header from the shared vocabulary.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("기관", "기관의 약칭"),
    ("기관코드", "행정표준기관코드 7자리"),
    ("방침", "수집해 읽은 영상정보처리기기 운영·관리 방침 페이지 수"),
    ("첨부", "방침에 딸린 첨부파일 수(설치 현황 엑셀·한글·PDF 파일)"),
    ("카메라 행", "설치 현황 표에서 읽은 카메라 행 수(서식 행 제외)"),
    ("서식 행", "○○○, 00대처럼 빈칸이 남은 서식(템플릿) 행 수: 대수와 보관기간 집계에서 뺌"),
    ("대수", "카메라 행에 적힌 대수의 합계"),
    (
        "보관(일)",
        "보관기간 최소/중앙값/최대: 카메라 행과 방침 본문에 적힌 보관기간, – 는 적힌 곳이 없음",
    ),
)
ISSUES_SQL = (
    "SELECT level, code, inst_code, message, source_url FROM quality_issues "
    "ORDER BY inst_code, level"
)


def _issue_levels(paths: DataPaths) -> dict[str, int]:
    """Quality issues by level (error, warning, info) in the warehouse just built."""
    from warehouse.query import run_query

    result = run_query(paths, "SELECT level, count(*) FROM quality_issues GROUP BY level")
    return {level: count for level, count in result.rows}


def _issue_lines(paths: DataPaths, total: int, docs_index: Path) -> list[str]:
    """Where the quality issues are: the table, the query that lists them, the workbook
    sheet and the validation report."""
    from warehouse.labels import value_label

    levels = _issue_levels(paths)
    counts = ", ".join(
        f"{value_label('issue_level', level)} {levels.get(level, 0):,}"
        for level in ("error", "warning", "info")
    )
    default = paths.root == data_paths(None).root
    data_dir = "" if default else f" --data-dir {shlex.quote(str(paths.root))}"
    return [
        f"품질 이슈 {total:,}건({counts}): 무엇이 어디에서 문제인지, 출처 URL과 함께",
        f"  웨어하우스의 표   quality_issues ({paths.duckdb})",
        f'  목록 보기         cctv query{data_dir} "{ISSUES_SQL}"',
        f"  통합문서          cctv export excel{data_dir} 비교표.xlsx → 품질이슈 시트",
        f"  검증 보고서       {docs_index} (Data Docs)",
    ]


def _print_summary(paths: DataPaths, validation, notebooks: list[Path], seconds: float) -> None:
    from warehouse.summary import summary

    rows, totals = summary(paths.duckdb)
    table = Table(
        title=f"CCTV 운영·관리 방침 데모: 표본 웹 {totals['institutions']}개 기관",
        title_justify="left",
        box=box.SIMPLE_HEAD,  # Hangul is two columns wide: borders would push cells to "…"
        pad_edge=False,
    )
    for column, _ in COLUMNS:
        if column in ("기관", "기관코드"):  # names and codes whole; headers of counts may wrap
            table.add_column(column, no_wrap=True, min_width=8)
        else:
            table.add_column(column, justify="right")
    for r in rows:
        table.add_row(
            r["short_name"],
            r["inst_code"],
            _fmt(r["pages"]),
            _fmt(r["attachments"]),
            _fmt(r["camera_rows"]),
            _fmt(r["template_rows"]),
            _fmt(r["cameras"]),
            _days(r),
        )
    table.add_section()
    table.add_row(
        f"{totals['institutions']}개 기관",
        "",
        _fmt(totals["pages"]),
        _fmt(totals["attachments"]),
        _fmt(totals["camera_rows"]),
        _fmt(sum(r["template_rows"] for r in rows)),
        _fmt(totals["cameras"]),
        _days(totals),
    )
    out.print(table)
    width = max(display_width(column) for column, _ in COLUMNS)
    result_line("열 설명")
    for column, meaning in COLUMNS[2:]:
        result_line(f"  {column}{' ' * (width - display_width(column))}  {meaning}")
    result_line("")
    result_line(
        f"검증 규칙: {validation.passed:,}개 통과, {validation.failed:,}개 실패"
        f"(오류 {validation.error_failures:,}개, 경고 {validation.warning_failures:,}개)"
    )
    for line in _issue_lines(paths, totals["quality_issues"], validation.docs_index):
        result_line(line)
    result_line("")
    result_line(f"웨어하우스:  {paths.duckdb}")
    result_line(f"Parquet:     {paths.parquet_dir}")
    result_line(f"검증 보고서: {validation.docs_index}")
    for notebook in notebooks:
        result_line(f"노트북:      {notebook}")
    result_line(f"보관본(WARC): {paths.warc_dir}")
    result_line(f"완료: {seconds:.0f}초")
