"""`cctv`: one command for every stage. Errors are one clear line plus where the detail is.

Exit codes: 0 ok; 1 a stage failed, an error-level expectation failed, or the warehouse is
missing; 2 a usage error (unknown option or institution code, a file that cannot be read).
Results go to stdout; progress bars (on a terminal only), notices and errors to stderr.
"""

from __future__ import annotations

import errno
import json
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from archive.paths import DataPaths, data_paths
from pipelines.console import (
    AsJson,
    DataDir,
    Quiet,
    RegistryFile,
    cell,
    console,
    fail,
    info,
    out,
    print_csv,
    print_json,
    progress_bars,
    quiet_flag,
    result_line,
    set_global_options,
    terminal_safe,
)
from registry import REGISTRY_CSV, RegistryError, by_code, load_registry
from transforms.sniff import check_name

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Korean public CCTV disclosures: crawl, archive, parse, build, validate.",
)
app.callback()(set_global_options)


def _paths(data_dir: Path | None) -> DataPaths:
    """The data directory, refused at once when it is not a directory (a file given by
    mistake would otherwise fail later, deep inside a stage)."""
    paths = data_paths(data_dir)
    if paths.root.exists() and not paths.root.is_dir():
        where = "--data-dir" if data_dir is not None else "the data directory"
        raise fail(f"{where} {paths.root} is not a directory: give a directory", 2)
    return paths


def _require_warehouse(paths: DataPaths) -> Path:
    """The warehouse file, or the one-line error that says which command builds it."""
    from pipelines.stages import missing_warehouse

    if not paths.duckdb.exists():
        raise fail(missing_warehouse(paths))
    return paths.duckdb


def _resolve(values: list[str], known, where: str) -> list[str]:
    """Codes for what was typed (codes, or names of one institution); exit 2 otherwise."""
    from registry.lookup import UnknownInstitution, resolve_all

    try:
        return resolve_all(values, known, where)
    except UnknownInstitution as exc:
        raise fail(str(exc), 2) from exc


def _registry_known(registry: Path):
    from registry.lookup import registry_institutions

    try:
        return registry_institutions(registry)
    except RegistryError as exc:
        raise fail(str(exc)) from exc


def _all_known():
    """Registry and dimension institutions: every code a document can belong to."""
    from registry.lookup import dimension_institutions

    known = {k.code: k for k in dimension_institutions()}
    known.update({k.code: k for k in _registry_known(REGISTRY_CSV)})
    return list(known.values())


def _crawl_codes(values: list[str], registry: Path, sample: bool) -> list[str]:
    """The codes to crawl: each in the registry, crawled, and (with --sample) on the
    sample web; otherwise a usage error naming the code and what would work."""
    from crawler.sample_web import SITES_DIR
    from crawler.sample_web.server import normalise_homepage
    from registry import crawlable

    registry = REGISTRY_CSV if sample else registry  # the sample crawl uses the bundled one
    codes = _resolve(values, _registry_known(registry), f"the registry {registry}")
    institutions = by_code(load_registry(registry))
    active = {i.inst_code for i in crawlable(list(institutions.values()))}
    idle = [c for c in codes if c not in active]
    if idle:
        labels = ", ".join(f"{c} {institutions[c].name}" for c in idle)
        raise fail(f"{labels}: not crawled (disabled in {registry}, or not in office)", 2)
    if sample:
        homepages = {
            normalise_homepage(json.loads(p.read_text(encoding="utf-8"))["homepage"])
            for p in SITES_DIR.glob("*/routes.json")
        }
        on_web = [i for i in institutions.values() if normalise_homepage(i.homepage) in homepages]
        off = [c for c in codes if c not in {i.inst_code for i in on_web}]
        if off:
            labels = ", ".join(f"{c} {institutions[c].name}" for c in off)
            have = ", ".join(f"{i.inst_code} {i.name}" for i in on_web)
            raise fail(f"{labels}: not on the sample web, which has {have}", 2)
    return codes


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
        typer.Option(
            "--institution", "-i", help="Only this inst_code (or unambiguous name); repeatable."
        ),
    ] = None,
    registry: RegistryFile = REGISTRY_CSV,
    max_pages: Annotated[
        int | None,
        typer.Option(
            "--max-pages",
            min=1,
            help="Requests per site at most (default 200, or $CCTV_MAX_PAGES_PER_SITE).",
        ),
    ] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Fetch policy pages and their attachments into the WARC archive."""
    from pipelines.stages import CrawlProgress, StageError, crawl_sample
    from pipelines.stages import crawl as run_crawl

    quiet = quiet_flag(quiet)
    paths = _paths(data_dir)
    codes = _crawl_codes(institution, registry, sample) if institution else None
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("crawling", total=None)

            def show(now: CrawlProgress) -> None:
                bar.update(
                    task,
                    completed=now.institutions_done,
                    total=now.institutions_total,
                    description=f"crawling: {now.documents} documents, {now.problems} problems;"
                    " institutions",
                )

            result = (
                crawl_sample(paths, institutions=codes, progress=show)
                if sample
                else run_crawl(
                    paths,
                    registry_path=registry,
                    institutions=codes,
                    progress=show,
                    max_pages=max_pages,
                )
            )
    except (StageError, RegistryError) as exc:
        raise fail(str(exc)) from exc
    _print_crawl_report(paths, result.crawl_id)
    info(
        f"crawl {result.crawl_id}: {result.archived} documents found, "
        f"{result.problems} problems; events in {result.events_path}",
        quiet,
    )


def _print_crawl_report(paths: DataPaths, crawl_id: str) -> None:
    """Per institution: was the policy reached and how (or why not), what came with it,
    what went wrong."""
    from archive.warc import read_crawl_log, read_index
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
        if r["policy_found"]:
            how = "개인정보 처리방침" if r["policy_in_privacy"] else r.get("route")
            policy = "found" + (f" ({how})" if how else "")
        else:
            policy = "NOT FOUND" + (f" ({r['reason']})" if r.get("reason") else "")
        table.add_row(
            cell(r["inst_code"]),
            cell(policy),
            cell(r["attachments"]),
            cell(r["responses"]),
            cell(", ".join(r["problem_kinds"]) or "–"),
        )
    out.print(table)
    found = sum(r["policy_found"] for r in rows)
    result_line(f"{found} of {len(rows)} institutions: policy page reached")


@app.command("import")
def import_files(
    files: Annotated[list[Path], typer.Argument(help="Files to add to the archive.")],
    institution: Annotated[
        str | None, typer.Option("--institution", "-i", help="inst_code (or unambiguous name).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Where the file was published.")] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Bring hand-collected files into the archive, indexed like crawled ones.

    Standard-data files (any generation of 전국CCTV표준데이터) are recognised by their
    header. A file whose content is not what its name says is read by its content (with
    a notice) when its bytes show what it is, and refused otherwise (text under a
    spreadsheet name, a zip no reader handles)."""
    from pipelines.standard import ImportFailed
    from pipelines.standard import import_files as archive_files

    quiet = quiet_flag(quiet)
    code = _resolve([institution], _all_known(), "the registry")[0] if institution else None
    notices = []
    for file in files:  # every file checked before any is archived
        body = _read_document(file)
        check = check_name(file.name, body)
        if check.misnamed and not check.readable:
            raise fail(f"{check.what()}, which no reader handles; nothing imported", 2)
        if check.misnamed and check.content == "text":  # no magic bytes: the name would win
            raise fail(
                f"{check.what()}, which the build would read as {check.named} by its name: "
                "rename it to .csv; nothing imported",
                2,
            )
        if check.misnamed:
            notices.append(f"notice: {check.what()}; the build reads it as {check.read_as()}")
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("archiving", total=len(files))
            captures = archive_files(
                _paths(data_dir),
                files,
                institution=code,
                url=url,
                progress=lambda file, n, _total: bar.update(
                    task,
                    completed=n - 1,
                    description=f"archiving {escape(terminal_safe(file.name))}",
                ),
            )
    except (ImportFailed, OSError) as exc:
        raise fail(str(exc)) from exc
    for notice in notices:
        info(notice, quiet)
    for file, capture in zip(files, captures, strict=True):
        info(f"{file} → {capture.sha256[:12]} ({capture.role}, {capture.media_type})", quiet)
    info("run `cctv build` to load them into the warehouse", quiet)


@app.command("fetch-standard")
def fetch_standard_cmd(
    url: Annotated[
        str | None,
        typer.Argument(help="The bulk file's URL (default: $CCTV_STANDARD_URL or the public one)."),
    ] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Download the national standard data file into the archive."""
    from pipelines.standard import StandardFetchError, fetch_standard

    quiet = quiet_flag(quiet)
    try:
        with progress_bars(quiet) as bar:
            bar.add_task("downloading the national standard data", total=None)
            capture = fetch_standard(_paths(data_dir), url)
    except StandardFetchError as exc:
        raise fail(str(exc)) from exc
    info(
        f"{capture.url} → {capture.sha256[:12]} ({capture.size_bytes:,} bytes); "
        "run `cctv build` to load it",
        quiet,
    )


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(help="A saved policy page or inventory file.")],
    url: Annotated[str | None, typer.Option(help="The URL it was fetched from.")] = None,
    institution: Annotated[
        str | None, typer.Option(help="inst_code (or unambiguous name), when known.")
    ] = None,
) -> None:
    """Print what the pipeline extracts from ONE document, as cctv-parse/1 JSON.

    A file whose content is not what its name says is parsed by its content, with a
    notice on stderr."""
    from registry.area_codes import area_code_for
    from registry.dimension import load_institutions
    from registry.institutions import InstitutionDirectory, InstitutionHint
    from transforms.contract import DocumentError
    from transforms.sniff import MEDIA_TYPES
    from warehouse.sandbox import ReaderStopped, parse_untrusted

    body = _read_document(path)
    registry = by_code(load_registry())
    dimension = load_institutions()
    # Without --institution the parse names it from the URL's host and the page itself.
    hint = InstitutionHint(directory=InstitutionDirectory.of(dimension, registry.values()))
    if institution:
        (code,) = _resolve([institution], _all_known(), "the registry")
        inst = registry.get(code) or by_code(dimension).get(code)
        hint = (
            inst.hint(hint.directory)
            if inst
            else replace(hint, code=code, area_code=area_code_for(code))
        )
    check = check_name(path.name, body)
    # Read by content: a declared type is what settles a file without magic bytes.
    content_type = None
    if check.misnamed and check.content:
        content_type = "text/csv" if check.content == "text" else MEDIA_TYPES[check.content]

    def parse_as(hint: InstitutionHint) -> dict:
        # The build's own path: the same sandboxed parse, so a hostile file stops here too.
        return parse_untrusted(
            body,
            name=str(path),
            path=str(path),
            url=url,
            content_type=content_type,
            filename=path.name,
            institution=hint,
        )[0]

    try:
        result = parse_as(hint)
    except ReaderStopped as exc:
        raise fail(str(exc), 2) from exc
    except DocumentError as exc:
        if check.misnamed or check.unsigned:
            raise fail(f"{check.what()}; {exc}", 2) from exc
        raise fail(f"{path}: {exc}", 2) from exc
    if check.misnamed:
        info(f"notice: {check.what()}; parsed as {check.read_as()}", quiet_flag(False))
    print_json(result)


def _read_document(path: Path) -> bytes:
    """The bytes of a file given to `parse` or `import`: a regular file within the readers'
    size limit (a device, a pipe or a directory is refused, unread, with exit 2)."""
    from warehouse.safe_read import UnreadableFile, read_named_file

    try:
        return read_named_file(path)
    except UnreadableFile as exc:
        raise fail(str(exc), 2) from exc


@app.command("build")
def build_cmd(
    registry: RegistryFile = REGISTRY_CSV,
    force: Annotated[bool, typer.Option(help="Rebuild even when nothing changed.")] = False,
    reparse: Annotated[
        bool,
        typer.Option(help="Parse every document again instead of reusing earlier parses."),
    ] = False,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Parse the archive into Parquet tables and the DuckDB warehouse."""
    from pipelines.stages import StageError, run_build

    quiet = quiet_flag(quiet)
    paths = _paths(data_dir)
    started = time.perf_counter()
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("reading the archive", total=None)
            report = run_build(
                paths,
                registry,
                progress=lambda _url, n, total: bar.update(
                    task,
                    completed=n,
                    total=total,
                    description="parsing documents" if n < total else "writing Parquet and DuckDB",
                ),
                force=force,
                reparse=reparse,
            )
    except (RegistryError, StageError) as exc:
        raise fail(str(exc)) from exc
    if report.repaired:
        info(
            f"the warehouse did not match its last build ({report.repaired[0]}): rebuilt it",
            quiet,
        )
    if report.up_to_date:
        info(
            f"{report.duckdb_path} is up to date (nothing changed since the last "
            "build; --force rebuilds)",
            quiet,
        )
        return
    rows = ", ".join(f"{name} {count}" for name, count in report.rows.items())
    info(
        f"built {report.duckdb_path} in {time.perf_counter() - started:.1f}s "
        f"({report.parsed} parsed, {report.reused} reused): {rows}",
        quiet,
    )
    if report.failed:
        info(f"{len(report.failed)} documents unreadable: see table quality_issues", quiet)


@app.command()
def reindex(data_dir: DataDir = None, quiet: Quiet = False) -> None:
    """Rebuild the capture index from the WARC files (after a crash, or a lost index)."""
    from archive.reindex import reindex as rebuild_index

    quiet = quiet_flag(quiet)
    paths = _paths(data_dir)
    if not paths.warc_dir.is_dir():
        raise fail(f"no WARC files in {paths.warc_dir}: nothing to index")
    with progress_bars(quiet) as bar:
        bar.add_task("reading the WARC files", total=None)
        report = rebuild_index(paths)
    for line in report.damaged:
        info(f"skipped: {line}", quiet)
    if report.without_provenance:
        info(
            f"{report.without_provenance} records predate the provenance fields: their "
            "institution and role are unknown",
            quiet,
        )
    info(
        f"indexed {report.captures:,} captures from {report.warc_files} WARC files "
        f"into {paths.index_dir}"
        + (f"; {len(report.damaged)} damaged records skipped" if report.damaged else ""),
        quiet,
    )


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="standard (CSV in the national layout) or excel.")],
    out: Annotated[
        Path,
        typer.Argument(
            help="The file to write: a new file in an existing folder, or a regular file to "
            "replace (never a directory, device, FIFO or symbolic link)."
        ),
    ],
    encoding: Annotated[str, typer.Option(help="For standard: utf-8 or cp949.")] = "utf-8",
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Write the warehouse out: the national standard-data CSV, or a regulators' workbook.

    Text that a spreadsheet would run as a formula (starting with = + - @, TAB or CR)
    is written with a leading apostrophe, so opening the file runs nothing."""
    import duckdb

    from warehouse.export import (
        ExportEncodingError,
        export_excel,
        export_standard,
        standard_codec,
    )
    from warehouse.safe_write import TargetError, WriteFailed, check_target

    quiet = quiet_flag(quiet)
    if kind not in ("standard", "excel"):
        raise fail(f"export kind must be standard or excel, not {kind!r}", 2)
    paths = _paths(data_dir)
    try:
        if kind == "standard":
            standard_codec(encoding)
        target = check_target(_outside_the_store(paths, out))  # before the warehouse is read
    except (ValueError, TargetError) as exc:
        raise fail(str(exc), 2) from exc
    except WriteFailed as exc:
        raise fail(str(exc)) from exc
    _require_warehouse(paths)
    try:
        if kind == "standard":
            rows = export_standard(paths.duckdb, out, encoding=encoding)
            info(f"wrote {rows:,} camera rows to {out} ({encoding})", quiet)
        else:
            export_excel(paths.duckdb, out)
            info(f"wrote {out}", quiet)
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except (ExportEncodingError, WriteFailed, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc
    except duckdb.Error as exc:
        raise fail(f"cannot read the warehouse {paths.duckdb}: {str(exc).splitlines()[0]}") from exc
    if target.replaces:
        info(f"replaced {out}", quiet)


@app.command()
def diff(
    from_crawl: Annotated[str | None, typer.Option("--from", help="Earlier crawl id.")] = None,
    to_crawl: Annotated[str | None, typer.Option("--to", help="Later crawl id.")] = None,
    registry: RegistryFile = REGISTRY_CSV,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """What changed between two crawls (default: the last two), field by field: per
    institution, its policies (retention, hours, storage, items, dates), its camera total
    and its camera rows (added, removed, changed)."""
    from archive.warc import read_index
    from pipelines.stages import missing_archive
    from warehouse.history import crawl_ids, diff_crawls, diff_document, diff_lines
    from warehouse.parsing import DocumentParser
    from warehouse.policy_pages import judged

    paths = _paths(data_dir)
    captures = read_index(paths)
    crawls = crawl_ids(captures)
    if not crawls:
        raise fail(missing_archive(paths))
    if len(crawls) < 2 and not (from_crawl and to_crawl):
        raise fail(f"need two crawls to compare; the archive has {len(crawls)}")
    from_crawl = from_crawl or crawls[-2]
    to_crawl = to_crawl or crawls[-1]
    for crawl_id in (from_crawl, to_crawl):
        if crawl_id not in crawls:
            raise fail(f"no crawl {crawl_id!r} in the archive; crawls: {', '.join(crawls)}")
    institutions = load_registry(registry)
    parser = DocumentParser(paths, institutions, captures)
    # The pages the build takes as policies, and only those (not a login or error page).
    result = diff_crawls(judged(captures, parser.reader.payload), parser, from_crawl, to_crawl)
    names = {i.inst_code: i.name for i in institutions}
    if as_json:
        print_json(diff_document(result, names))
        return
    for line in diff_lines(result, names):
        result_line(line)


@app.command("validate")
def validate_cmd(data_dir: DataDir = None, as_json: AsJson = False, quiet: Quiet = False) -> None:
    """Run the great-expectations suites; exit 1 when an error-level expectation fails."""
    from pipelines.stages import StageError, run_validate

    quiet = quiet_flag(quiet)
    paths = _paths(data_dir)
    _require_warehouse(paths)
    try:
        with progress_bars(quiet) as bar:
            bar.add_task("validating", total=None)
            report = run_validate(paths)
    except StageError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        print_json(_validation_json(report))
    else:
        _print_validation(report, quiet)
    if not report.ok:
        raise typer.Exit(1)


def _validation_json(report) -> dict:
    """Counts, where the detail is, and every outcome: what scripts need to act on a run."""
    return {
        "ok": report.ok,
        "passed": report.passed,
        "failed": report.failed,
        "error_failures": report.error_failures,
        "warning_failures": report.warning_failures,
        "docs_index": str(report.docs_index),
        "results_path": str(report.results_path),
        "run_time": report.run_time.isoformat(),
        "row_counts": report.row_counts,
        "outcomes": [
            {
                "severity": o.severity,
                "table": o.table,
                "column": o.column,
                "expectation": o.expectation_type,
                "success": o.success,
                "unexpected_count": o.unexpected_count,
                "element_count": o.element_count,
                "note": o.note,
            }
            for o in report.outcomes
        ],
    }


def _print_validation(report, quiet: bool = False) -> None:
    """Failed expectations and the counts; with --quiet only the error-level failures."""
    failed = [o for o in report.outcomes if not o.success]
    for outcome in failed:
        if quiet and outcome.severity != "error":
            continue
        console.print(
            f"  [{'red' if outcome.severity == 'error' else 'yellow'}]"
            f"{outcome.severity}[/] "
            + escape(
                terminal_safe(
                    f"{outcome.table}.{outcome.column or '*'} "
                    f"{outcome.expectation_type}: {outcome.unexpected_count} unexpected "
                    f"({outcome.note})"
                )
            ),
            highlight=False,
            soft_wrap=True,
        )
    info(
        f"expectations: {report.passed} passed, {report.failed} failed "
        f"({report.error_failures} error-level); Data Docs: {report.docs_index}",
        quiet,
    )


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="A read-only SQL query.")],
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Run one read-only query (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE) and print it.

    --json is --format json: a list of records. Nothing else runs: no COPY, ATTACH,
    INSTALL or SET, no second statement, no file outside the warehouse."""
    from warehouse.query import QueryFailed, QueryRefused, run_query

    if output not in ("table", "csv", "json"):
        raise fail(f"--format must be table, csv or json, not {output!r}", 2)
    if as_json:
        if output not in ("table", "json"):
            raise fail(f"--json and --format {output} ask for different outputs", 2)
        output = "json"
    paths = _paths(data_dir)
    _require_warehouse(paths)
    try:
        result = run_query(paths, sql)
    except QueryRefused as exc:
        raise fail(str(exc), 2) from exc
    except QueryFailed as exc:
        raise fail(str(exc)) from exc
    names, rows = result.columns, result.rows
    if output == "csv":
        # The rows as stored, for programs (a pipe, a file): not made formula-safe, which
        # would change values such as "+82 …"; `cctv export` writes files for spreadsheets.
        print_csv([names, *rows])
    elif output == "json":
        print_json([dict(zip(names, row, strict=True)) for row in rows])
    else:
        table = Table()
        for name in names:
            table.add_column(cell(name))
        for row in rows:
            table.add_row(*(cell(v) for v in row))
        out.print(table)


@app.command()
def demo(data_dir: DataDir = None, as_json: AsJson = False, quiet: Quiet = False) -> None:
    """Sample web → crawl → build → validate → notebooks, then a summary."""
    from pipelines.notebooks import NotebookError, run_notebooks
    from pipelines.stages import CrawlProgress, StageError, crawl_sample, run_build, run_validate

    quiet = quiet_flag(quiet)
    paths = _paths(data_dir)
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
    from pipelines.stages import summary

    rows, totals = summary(paths)
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
    result_line(f"warehouse:  {paths.duckdb}")
    result_line(f"parquet:    {paths.parquet_dir}")
    result_line(f"data docs:  {validation.docs_index}")
    for notebook in notebooks:
        result_line(f"notebook:   {notebook}")
    result_line(f"archive:    {paths.warc_dir}")
    result_line(f"done in {seconds:.0f}s")


@app.command()
def report(
    institution: Annotated[
        list[str],
        typer.Option(
            "--institution",
            "-i",
            help="inst_code (or unambiguous name) to compare; repeatable.",
        ),
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the report (default: <data-dir>/reports; created if missing, in "
            "an existing folder), or an .html file (a new one, or a regular file to replace).",
        ),
    ] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Compare institutions: the comparison notebook as one self-contained HTML file.

    Figures are embedded and there are no scripts, so it opens offline. Prints its path."""
    from pipelines.notebooks import NotebookError
    from pipelines.report import REPORT_NOTEBOOK, default_name, write_report
    from registry.lookup import warehouse_institutions
    from warehouse.safe_write import TargetError, WriteFailed, check_target

    quiet = quiet_flag(quiet)
    paths = _paths(data_dir)
    _require_warehouse(paths)
    known = warehouse_institutions(paths.duckdb)
    codes = _resolve(institution, known, f"the warehouse {paths.duckdb}")
    try:
        target = check_target(_report_target(paths, out_dir, default_name(codes)))
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except WriteFailed as exc:
        raise fail(str(exc)) from exc
    try:
        with progress_bars(quiet) as bar:
            bar.add_task(f"running notebook {REPORT_NOTEBOOK}", total=None)
            written = write_report(paths, codes, target.path, {k.code: k.name for k in known})
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except (NotebookError, WriteFailed, ValueError, OSError) as exc:
        raise fail(str(exc)) from exc
    if target.replaces:
        info(f"replaced {written}", quiet)
    result_line(str(written))


def _outside_the_store(paths: DataPaths, target: Path) -> Path:
    """`target`, unless it lies in the archive or the warehouse folder: a file renamed onto
    cctv.duckdb or into the WARC folder would destroy what every build reads."""
    from warehouse.safe_write import TargetError

    where = target.parent.resolve() / target.name
    for store in (paths.archive, paths.warehouse):
        if where.is_relative_to(store.resolve()):
            raise TargetError(
                f"{target} is inside {store}, which holds the data this command reads: "
                "write the file elsewhere; nothing written"
            )
    return target


def _report_target(paths: DataPaths, out_dir: Path | None, name: str) -> Path:
    """Where `--out` puts the page: the .html file named, or `name` in the folder named
    (made if missing, but only inside a folder that exists) or in data/reports."""
    from warehouse.safe_write import TargetError, WriteFailed

    if out_dir is not None and out_dir.suffix.lower() in (".html", ".htm"):
        return _outside_the_store(paths, out_dir)
    folder = out_dir or paths.root / "reports"
    _outside_the_store(paths, folder / name)  # before a folder is made there
    if folder.exists() and not folder.is_dir():
        raise TargetError(f"{folder} is not a folder: give a folder or an .html file name")
    if out_dir is not None and not out_dir.parent.is_dir():
        raise TargetError(
            f"cannot make the folder {out_dir}: {out_dir.parent} does not exist (create it first)"
        )
    try:
        folder.mkdir(parents=out_dir is None, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"cannot make the folder {folder}: {exc.strerror}") from exc
    return folder / name


_WHAT_TO_DO = {
    errno.ENOSPC: "free some space and run it again; what was stored before is unchanged",
    errno.EDQUOT: "free some space and run it again; what was stored before is unchanged",
    errno.EROFS: "the data directory must be writable: choose another with --data-dir",
    errno.EACCES: "the data directory must be writable: choose another with --data-dir",
    errno.EPERM: "the data directory must be writable: choose another with --data-dir",
    errno.ENOTDIR: "a path inside the data directory is a file where a folder belongs",
}


def os_error_line(exc: OSError) -> str:
    """An operating-system failure as one line: what, where, and what to do."""
    where = f": {exc.filename}" if exc.filename else ""
    line = f"{exc.strerror or exc}{where}"
    if (advice := _WHAT_TO_DO.get(exc.errno or 0)) is not None:
        line += f" ({advice})"
    return line


def _held_lock_line(exc: Exception) -> str | None:
    """DuckDB's lock conflict, said as what to do: another program has the file open."""
    text = str(exc)
    if "Conflicting lock" not in text:
        return None
    file = re.search(r'lock on file "([^"]+)"', text)
    pid = re.search(r"PID (\d+)", text)
    return (
        f"{file.group(1) if file else 'the warehouse'} is open for writing in another "
        f"program{f' (PID {pid.group(1)})' if pid else ''}: close it (a notebook, a DuckDB "
        "shell) and run this again"
    )


def error_line(exc: Exception) -> str | None:
    """The one line for a failure that is the machine's or the data's, not the code's:
    a full disk, a read-only folder, an archive that cannot be read, a warehouse that
    another program holds. None for anything else (a bug, which keeps its traceback)."""
    import duckdb

    from archive.warc import ArchiveError

    if isinstance(exc, OSError):
        return os_error_line(exc)
    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, duckdb.Error):
        return _held_lock_line(exc) or (str(exc).splitlines() or [type(exc).__name__])[0]
    return None


def main() -> None:  # pragma: no cover - console entry point
    """`cctv`: failures of the machine or the data end in one line, whatever the command."""
    try:
        app()
    except Exception as exc:
        line = error_line(exc)
        if line is None:
            raise
        sys.exit(fail(line).exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
