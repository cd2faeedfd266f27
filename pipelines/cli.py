"""`cctv`: one command for every stage. Errors are one clear line plus where the detail is."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crawler.registry import REGISTRY_CSV, RegistryError, by_code, load_registry
from warehouse.paths import DataPaths, data_paths

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Korean public CCTV disclosures: crawl, archive, parse, build, validate.",
)
console = Console(stderr=True)
out = Console()

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Data directory (default: $CCTV_DATA_DIR or data/ in the project)."
    ),
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _paths(data_dir: Path | None) -> DataPaths:
    return data_paths(data_dir)


@app.command()
def crawl(
    sample: Annotated[
        bool,
        typer.Option(
            "--sample", help="Crawl the bundled sample web on 127.0.0.1 instead of the live sites."
        ),
    ] = False,
    institution: Annotated[
        list[str] | None,
        typer.Option("--institution", "-i", help="Only this inst_code (repeatable)."),
    ] = None,
    registry: Annotated[Path, typer.Option(help="Institution registry CSV.")] = REGISTRY_CSV,
    data_dir: DataDir = None,
) -> None:
    """Fetch policy pages and their attachments into the WARC archive."""
    from pipelines.stages import StageError, crawl_sample
    from pipelines.stages import crawl as run_crawl

    paths = _paths(data_dir)
    try:
        with console.status("crawling…") as status:
            echo = status.update
            result = (
                crawl_sample(paths, echo=echo, institutions=institution)
                if sample
                else run_crawl(paths, registry_path=registry, institutions=institution, echo=echo)
            )
    except (StageError, RegistryError) as exc:
        raise _fail(str(exc)) from exc
    _print_crawl_report(_paths(data_dir), result.crawl_id)
    console.print(
        f"crawl {result.crawl_id}: {result.archived} documents found, "
        f"{result.problems} problems; events in {result.events_path}"
    )


def _print_crawl_report(paths: DataPaths, crawl_id: str) -> None:
    """Per institution: was the policy reached, what came with it, what went wrong."""
    from warehouse.archive import read_crawl_log, read_index
    from warehouse.crawl_report import crawl_report_rows

    captures = [c for c in read_index(paths) if c.crawl_id == crawl_id]
    events = [e for e in read_crawl_log(paths) if e.get("crawl_id") == crawl_id]
    rows = crawl_report_rows(captures, events)
    table = Table(
        "inst_code",
        "policy",
        "files",
        "responses",
        "problems",
        title=crawl_id,
        title_justify="left",
    )
    for r in rows:
        policy = (
            "found" + (" (개인정보 처리방침)" if r["policy_in_privacy"] else "")
            if r["policy_found"]
            else "NOT FOUND"
        )
        table.add_row(
            r["inst_code"],
            policy,
            str(r["attachments"]),
            str(r["responses"]),
            ", ".join(r["problem_kinds"]) or "–",
        )
    out.print(table)
    found = sum(r["policy_found"] for r in rows)
    out.print(f"{found} of {len(rows)} institutions: policy page reached")


@app.command("import")
def import_files(
    files: Annotated[list[Path], typer.Argument(help="Files to add to the archive.")],
    institution: Annotated[str | None, typer.Option("--institution", "-i")] = None,
    url: Annotated[str | None, typer.Option(help="Where the file was published.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Bring hand-collected files into the archive, indexed like crawled ones. Standard-data
    files (any generation of 전국CCTV표준데이터) are recognised by their header."""
    from pipelines.standard import ImportFailed
    from pipelines.standard import import_files as archive_files

    try:
        captures = archive_files(_paths(data_dir), files, institution=institution, url=url)
    except (ImportFailed, OSError) as exc:
        raise _fail(str(exc)) from exc
    for file, capture in zip(files, captures, strict=True):
        console.print(f"{file} → {capture.sha256[:12]} ({capture.role}, {capture.media_type})")
    console.print("run `cctv build` to load them into the warehouse")


@app.command("fetch-standard")
def fetch_standard_cmd(
    url: Annotated[
        str | None,
        typer.Argument(help="The bulk file's URL (default: $CCTV_STANDARD_URL or the public one)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Download the national standard data file into the archive."""
    from pipelines.standard import StandardFetchError, fetch_standard

    try:
        with console.status("downloading the national standard data…"):
            capture = fetch_standard(_paths(data_dir), url)
    except StandardFetchError as exc:
        raise _fail(str(exc)) from exc
    console.print(
        f"{capture.url} → {capture.sha256[:12]} ({capture.size_bytes:,} bytes); "
        "run `cctv build` to load it"
    )


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(help="A saved policy page or inventory file.")],
    url: Annotated[str | None, typer.Option(help="The URL it was fetched from.")] = None,
    institution: Annotated[str | None, typer.Option(help="inst_code, when known.")] = None,
) -> None:
    """Print what the pipeline extracts from ONE document, as cctv-parse/1 JSON."""
    from transforms.contract import DocumentError, InstitutionHint, parse_document
    from transforms.values import area_code_for

    try:
        body = path.read_bytes()
    except OSError as exc:
        console.print(f"cannot read {path}: {exc.strerror}", highlight=False)
        raise typer.Exit(2) from exc
    hint = InstitutionHint()
    registry = by_code(load_registry())
    if institution:
        inst = registry.get(institution)
        hint = InstitutionHint(
            code=institution,
            name=inst.name if inst else None,
            area_code=area_code_for(institution, inst.parent_code if inst else None),
        )
    try:
        result = parse_document(body, path=str(path), url=url, filename=path.name, institution=hint)
    except DocumentError as exc:
        console.print(f"{path}: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if not institution:
        guess = _guess_institution(result, registry.values())
        if guess is not None:
            hint = InstitutionHint(
                code=guess.inst_code,
                name=guess.name,
                area_code=area_code_for(guess.inst_code, guess.parent_code),
            )
            result = parse_document(
                body, path=str(path), url=url, filename=path.name, institution=hint
            )
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


def _guess_institution(result: dict, institutions):
    """The registry institution a page names in its title or URL host, if exactly one."""
    from urllib.parse import urlsplit

    title = (result.get("policy") or {}).get("title") or ""
    host = urlsplit(result["source"].get("url") or "").netloc
    matches = [
        i
        for i in institutions
        if (host and urlsplit(i.homepage).netloc == host) or i.short_name in title
    ]
    return matches[0] if len(matches) == 1 else None


@app.command("build")
def build_cmd(
    registry: Annotated[Path, typer.Option(help="Institution registry CSV.")] = REGISTRY_CSV,
    force: Annotated[bool, typer.Option(help="Rebuild even when nothing changed.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Parse the archive into Parquet tables and the DuckDB warehouse."""
    from pipelines.stages import run_build

    paths = _paths(data_dir)
    started = time.perf_counter()
    try:
        with console.status("building…") as status:
            report = run_build(
                paths,
                registry,
                progress=lambda url, n, total: status.update(f"parsing {n}/{total}: {url}"),
                force=force,
            )
    except RegistryError as exc:
        raise _fail(str(exc)) from exc
    if report.up_to_date:
        console.print(
            f"{report.duckdb_path} is up to date (nothing changed since the last "
            "build; --force rebuilds)"
        )
        return
    rows = ", ".join(f"{name} {count}" for name, count in report.rows.items())
    console.print(
        f"built {report.duckdb_path} in {time.perf_counter() - started:.1f}s "
        f"({report.parsed} parsed, {report.reused} reused): {rows}"
    )
    if report.failed:
        console.print(f"{len(report.failed)} documents unreadable: see table quality_issues")


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="standard (CSV in the national layout) or excel.")],
    out: Annotated[Path, typer.Argument(help="The file to write.")],
    encoding: Annotated[str, typer.Option(help="For standard: utf-8 or cp949.")] = "utf-8",
    data_dir: DataDir = None,
) -> None:
    """Write the warehouse out: the national standard-data CSV, or a regulators' workbook."""
    from warehouse.export import ExportEncodingError, export_excel, export_standard

    paths = _paths(data_dir)
    try:
        if kind == "standard":
            rows = export_standard(paths.duckdb, out, encoding=encoding)
            console.print(f"wrote {rows:,} camera rows to {out} ({encoding})")
        elif kind == "excel":
            export_excel(paths.duckdb, out)
            console.print(f"wrote {out}")
        else:
            raise _fail(f"export kind must be standard or excel, not {kind!r}", 2)
    except (ExportEncodingError, ValueError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from exc


@app.command()
def diff(
    from_crawl: Annotated[str | None, typer.Option("--from", help="Earlier crawl id.")] = None,
    to_crawl: Annotated[str | None, typer.Option("--to", help="Later crawl id.")] = None,
    registry: Annotated[Path, typer.Option(help="Institution registry CSV.")] = REGISTRY_CSV,
    data_dir: DataDir = None,
) -> None:
    """What changed between two crawls (default: the last two): policies and camera rows."""
    from warehouse.archive import read_index
    from warehouse.history import crawl_ids, diff_crawls
    from warehouse.parsing import DocumentParser

    paths = _paths(data_dir)
    captures = read_index(paths)
    crawls = crawl_ids(captures)
    if len(crawls) < 2 and not (from_crawl and to_crawl):
        raise _fail(f"need two crawls to compare; the archive has {len(crawls)}")
    from_crawl = from_crawl or crawls[-2]
    to_crawl = to_crawl or crawls[-1]
    for crawl_id in (from_crawl, to_crawl):
        if crawl_id not in crawls:
            raise _fail(f"no crawl {crawl_id!r} in the archive; crawls: {', '.join(crawls)}")
    result = diff_crawls(
        captures, DocumentParser(paths, load_registry(registry)), from_crawl, to_crawl
    )
    out.print(f"{from_crawl} → {to_crawl}")
    for label, codes in (
        ("policies added", result.policies_added),
        ("policies removed", result.policies_removed),
        ("policies changed", result.policies_changed),
    ):
        out.print(f"{label}: {', '.join(codes) or '–'}")
    if not result.rows:
        out.print("camera rows: no change")
        return
    table = Table("inst_code", "row", "change", "cameras", "retention (days)")
    for row in result.rows:
        table.add_row(
            row.inst_code,
            row.key,
            row.change,
            f"{row.camera_count_before} → {row.camera_count_after}",
            f"{row.retention_before} → {row.retention_after}",
        )
    out.print(table)


@app.command("validate")
def validate_cmd(data_dir: DataDir = None) -> None:
    """Run the great-expectations suites; exit 1 when an error-level expectation fails."""
    from pipelines.stages import StageError, run_validate

    paths = _paths(data_dir)
    try:
        with console.status("validating…"):
            report = run_validate(paths)
    except StageError as exc:
        raise _fail(str(exc)) from exc
    _print_validation(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_validation(report) -> None:
    failed = [o for o in report.outcomes if not o.success]
    for outcome in failed:
        console.print(
            f"  [{'red' if outcome.severity == 'error' else 'yellow'}]"
            f"{outcome.severity}[/] {outcome.table}.{outcome.column or '*'} "
            f"{outcome.expectation_type}: {outcome.unexpected_count} unexpected "
            f"({outcome.note})",
            highlight=False,
        )
    console.print(
        f"expectations: {report.passed} passed, {report.failed} failed "
        f"({report.error_failures} error-level); Data Docs: {report.docs_index}"
    )


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="A read-only SQL query.")],
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    data_dir: DataDir = None,
) -> None:
    """Run a read-only SQL query against the warehouse and print the result."""
    import csv as csv_module

    import duckdb

    if output not in ("table", "csv", "json"):
        raise _fail(f"--format must be table, csv or json, not {output!r}", 2)
    paths = _paths(data_dir)
    if not paths.duckdb.exists():
        raise _fail(f"no warehouse at {paths.duckdb}: run `cctv build` first")
    con = duckdb.connect(str(paths.duckdb), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except duckdb.Error as exc:
        raise _fail(str(exc).splitlines()[0]) from exc
    finally:
        con.close()
    if output == "csv":
        writer = csv_module.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    elif output == "json":
        records = [dict(zip(names, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        table = Table(*names)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


@app.command()
def demo(data_dir: DataDir = None) -> None:
    """Sample web → crawl → build → validate → notebooks, then a summary."""
    from pipelines.notebooks import NotebookError, run_notebooks
    from pipelines.stages import StageError, crawl_sample, run_build, run_validate

    paths = _paths(data_dir)
    started = time.perf_counter()
    try:
        with console.status("starting the sample web…") as status:
            result = crawl_sample(paths, echo=status.update)
            console.print(
                f"[green]✓[/] crawl {result.crawl_id}: {result.archived} documents, "
                f"{result.problems} problems logged"
            )
            status.update("building the warehouse…")
            report = run_build(paths)
            console.print(f"[green]✓[/] build: {report.parsed} parsed, {report.reused} reused")
            status.update("validating…")
            validation = run_validate(paths)
            status.update("running notebooks…")
            notebooks = run_notebooks(paths.root, paths.root / "notebooks")
    except (StageError, NotebookError, RegistryError) as exc:
        raise _fail(str(exc)) from exc
    _print_summary(paths, validation, notebooks, time.perf_counter() - started)
    if not validation.ok:
        raise typer.Exit(1)


def _print_summary(paths: DataPaths, validation, notebooks: list[Path], seconds: float) -> None:
    from pipelines.stages import summary

    rows, totals = summary(paths)

    def fmt(value) -> str:
        if value is None:
            return "–"
        return f"{value:,.0f}" if isinstance(value, int | float) else str(value)

    def days(r: dict) -> str:
        return "/".join(fmt(r[k]) for k in ("retention_min", "retention_median", "retention_max"))

    table = Table(
        title="CCTV disclosures: demo warehouse (retention in days: min/median/max)",
        title_justify="left",
    )
    for column in (
        "기관",
        "inst_code",
        "pages",
        "files",
        "rows",
        "template",
        "cameras",
        "days",
    ):
        table.add_column(column, justify="left" if column in ("기관", "inst_code") else "right")
    for r in rows:
        table.add_row(
            r["short_name"],
            r["inst_code"],
            fmt(r["pages"]),
            fmt(r["attachments"]),
            fmt(r["camera_rows"]),
            fmt(r["template_rows"]),
            fmt(r["cameras"]),
            days(r),
        )
    table.add_section()
    table.add_row(
        f"{totals['institutions']} 기관",
        "",
        fmt(totals["pages"]),
        fmt(totals["attachments"]),
        fmt(totals["camera_rows"]),
        fmt(sum(r["template_rows"] for r in rows)),
        fmt(totals["cameras"]),
        days(totals),
    )
    out.print(table)
    out.print(
        f"expectations: {validation.passed} passed, {validation.failed} failed "
        f"({validation.error_failures} error-level)   "
        f"quality issues: {totals['quality_issues']}"
    )
    out.print(f"warehouse:  {paths.duckdb}")
    out.print(f"parquet:    {paths.parquet_dir}")
    out.print(f"data docs:  {validation.docs_index}")
    for notebook in notebooks:
        out.print(f"notebook:   {notebook}")
    out.print(f"archive:    {paths.warc_dir}")
    out.print(f"done in {seconds:.0f}s")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
