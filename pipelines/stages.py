"""The stages the `cctv` command composes: crawl → build → validate (→ notebooks)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.paths import PROJECT_ROOT, DataPaths
from crawler.sample_web import SampleWeb
from pipelines.crawl_watch import (
    STOP_GRACE,
    CrawlProgress,
    CrawlTally,
    StopForwarder,
    crawl_total,
)
from registry import (
    COLUMNS,
    OVERRIDE_COLUMNS,
    REGISTRY_CSV,
    Institution,
    load_registry,
)
from warehouse.build import BuildRefused, BuildReport, build


class StageError(RuntimeError):
    """A stage failed; the message says where the detail is kept."""


def missing_warehouse(paths: DataPaths) -> str:
    """What to say when a command needs the warehouse and there is none yet."""
    return f"no warehouse at {paths.duckdb}: run `cctv build` (or `cctv demo` for the sample)"


def missing_archive(paths: DataPaths) -> str:
    """What to say when a command needs crawled captures and there are none yet."""
    return f"no crawl in {paths.archive}: run `cctv crawl` (or `cctv demo` for the sample)"


@dataclass
class CrawlResult:
    crawl_id: str
    returncode: int
    log_path: Path
    events_path: Path
    archived: int
    problems: int


def new_crawl_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("crawl-%Y%m%dT%H%M%S%fZ")


def write_registry(institutions: list[Institution], path: Path) -> Path:
    """A registry file for a crawl (e.g. homepages moved onto the local sample web)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS + OVERRIDE_COLUMNS)
        for i in institutions:
            values = {**i.__dict__, "enabled": "yes" if i.enabled else "no"}
            writer.writerow(
                ["" if values[c] is None else values[c] for c in COLUMNS + OVERRIDE_COLUMNS]
            )
    return path


MAX_PAGES_ENV = "CCTV_MAX_PAGES_PER_SITE"


def max_pages_from_env() -> int | None:
    """The per-crawl cap on requests per institution from $CCTV_MAX_PAGES_PER_SITE."""
    value = os.environ.get(MAX_PAGES_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise StageError(f"{MAX_PAGES_ENV}={value!r} is not a whole number of requests (1 or more)")
    return int(value)


def crawl(
    paths: DataPaths,
    *,
    registry_path: Path | None = None,
    institutions: list[str] | None = None,
    fast: bool = False,
    download_timeout: float | None = None,
    delay: float | None = None,
    max_pages: int | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> CrawlResult:
    """Run the spider in a subprocess (Scrapy's reactor runs once per process).
    `progress` is called while it runs, each time its event log grows. `max_pages` caps
    the requests per institution (default: $CCTV_MAX_PAGES_PER_SITE, else 200).
    SIGTERM, SIGINT or SIGHUP stop the crawler cleanly and end in a StageError."""
    max_pages = max_pages or max_pages_from_env()
    crawl_id = new_crawl_id()
    paths.crawl_log_dir.mkdir(parents=True, exist_ok=True)
    log_path = paths.crawl_log_dir / f"{crawl_id}.scrapy.log"
    events_path = paths.crawl_log_dir / f"{crawl_id}.jsonl"
    command = [
        sys.executable,
        "-m",
        "crawler.run",
        "--data-dir",
        str(paths.root),
        "--crawl-id",
        crawl_id,
        "--log-file",
        str(log_path),
    ]
    if registry_path:
        command += ["--registry", str(registry_path)]
    if institutions:
        command += ["--institutions", ",".join(institutions)]
    if fast:
        command.append("--fast")
    if download_timeout:
        command += ["--download-timeout", str(download_timeout)]
    if delay is not None:
        command += ["--delay", str(delay)]
    if max_pages:
        command += ["--max-pages", str(max_pages)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    stderr_path = paths.crawl_log_dir / f"{crawl_id}.stderr"
    # stderr goes to a file, not a pipe: a chatty crawl can never block on a full pipe.
    with (
        stderr_path.open("w", encoding="utf-8") as stderr_file,
        subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr_file,
            process_group=0,
        ) as process,
        StopForwarder(process) as stopper,
    ):
        try:
            total = crawl_total(registry_path, institutions) if progress is not None else None
            tally = CrawlTally(events_path, total)
            reported: CrawlProgress | None = None
            while process.poll() is None:
                if progress is not None and (now := tally.read()) != reported:
                    progress(now)
                    reported = now
                if stopper.overdue():
                    stopper.stop(signal.SIGKILL)
                time.sleep(0.2)
        finally:
            stopper.end()
    final = tally.read()  # the log's last lines, written as the crawl closed
    if stopper.received is not None:
        name = signal.Signals(stopper.received).name
        how = (
            "stopped cleanly and kept what it had fetched"
            if process.returncode != -signal.SIGKILL
            else f"did not stop within {STOP_GRACE:.0f} s and was killed (`cctv reindex` "
            "indexes what its WARC file holds)"
        )
        raise StageError(
            f"crawl {crawl_id} interrupted by {name}: the crawler {how}; see {log_path}"
        )
    if progress is not None and process.returncode == 0:  # every institution is done now
        done = final.institutions_total or final.institutions_done
        progress(dataclasses.replace(final, institutions_done=done))
    stderr = stderr_path.read_text(encoding="utf-8", errors="replace")
    archived, problems = final.documents, final.problems
    if process.returncode != 0:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        raise StageError(f"crawl {crawl_id} failed ({last}); see {log_path} and {stderr_path}")
    return CrawlResult(crawl_id, process.returncode, log_path, events_path, archived, problems)


def crawl_sample(
    paths: DataPaths,
    institutions: list[str] | None = None,
    web: SampleWeb | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> CrawlResult:
    """Crawl the bundled sample web: the registry's homepages served on 127.0.0.1.
    A running `web` is reused; otherwise one is started for the crawl and stopped after."""
    if web is None:
        with SampleWeb() as started:
            return crawl_sample(paths, institutions, started, progress)
    local = [
        dataclasses.replace(i, homepage=web.local_url(i.homepage).rstrip("/"), network="local")
        for i in load_registry()
        if i.homepage in web.homepages
    ]
    registry_path = write_registry(local, paths.root / "sample" / "registry.csv")
    return crawl(
        paths,
        registry_path=registry_path,
        institutions=institutions,
        fast=True,
        progress=progress,
    )


def run_build(
    paths: DataPaths,
    registry_path: Path = REGISTRY_CSV,
    progress: Callable[[str, int, int], None] | None = None,
    force: bool = False,
    reparse: bool = False,
) -> BuildReport:
    try:
        return build(
            paths, load_registry(registry_path), progress=progress, force=force, reparse=reparse
        )
    except BuildRefused as exc:
        raise StageError(str(exc)) from exc


def run_validate(paths: DataPaths):
    """Validate, then keep the outcomes in the warehouse as `validation_results` so that
    notebooks and exports can use them."""
    import duckdb

    from warehouse.validation import store_results, validate

    if not paths.duckdb.exists():
        raise StageError(missing_warehouse(paths))
    report = validate(paths.duckdb, paths.data_docs, paths.validation_dir)
    try:
        store_results(paths.duckdb, report)
    except duckdb.Error as exc:  # another process holds the file for writing
        raise StageError(
            f"validation ran but its results could not be stored: {exc}; "
            f"they are in {report.results_path}"
        ) from exc
    return report
