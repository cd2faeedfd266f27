"""`cctv crawl`: the registry's sites (or the sample web) into the WARC archive, then a
table of what was reached per institution."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from archive.paths import DataPaths
from pipelines.cli.common import paths_of, registry_known, resolve
from pipelines.console import (
    DataDir,
    Quiet,
    RegistryFile,
    cell,
    fail,
    info,
    out,
    progress_bars,
    quiet_flag,
    result_line,
)
from registry import REGISTRY_CSV, RegistryError, by_code, load_registry


def _crawl_codes(values: list[str], registry: Path, sample: bool) -> list[str]:
    """The codes to crawl: each in the registry, crawled, and (with --sample) on the
    sample web; otherwise a usage error naming the code and what would work."""
    from crawler.sample_web.hosted import on_sample_web
    from registry import crawlable

    registry = REGISTRY_CSV if sample else registry  # the sample crawl uses the bundled one
    codes = resolve(values, registry_known(registry), f"the registry {registry}")
    institutions = by_code(load_registry(registry))
    active = {i.inst_code for i in crawlable(list(institutions.values()))}
    idle = [c for c in codes if c not in active]
    if idle:
        labels = ", ".join(f"{c} {institutions[c].name}" for c in idle)
        raise fail(f"{labels}: not crawled (disabled in {registry}, or not in office)", 2)
    if sample:
        on_web = on_sample_web(institutions.values())
        off = [c for c in codes if c not in {i.inst_code for i in on_web}]
        if off:
            labels = ", ".join(f"{c} {institutions[c].name}" for c in off)
            have = ", ".join(f"{i.inst_code} {i.name}" for i in on_web)
            raise fail(f"{labels}: not on the sample web, which has {have}", 2)
    return codes


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
    from pipelines.crawl_watch import CrawlProgress
    from pipelines.stages import StageError, crawl_sample
    from pipelines.stages import crawl as run_crawl

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
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
    print_crawl_report(paths, result.crawl_id)
    info(
        f"crawl {result.crawl_id}: {result.archived} documents found, "
        f"{result.problems} problems; events in {result.events_path}",
        quiet,
    )


def print_crawl_report(paths: DataPaths, crawl_id: str) -> None:
    """Per institution: was the policy reached and how (or why not), what came with it,
    what went wrong."""
    from archive.crawl_log import read_crawl_log
    from archive.index import read_index
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
