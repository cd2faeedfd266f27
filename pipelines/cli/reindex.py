"""`cctv reindex`: the capture index rebuilt from the WARC files alone."""

from __future__ import annotations

from pipelines.cli.common import paths_of
from pipelines.console import DataDir, Quiet, fail, info, progress_bars, quiet_flag


def reindex(data_dir: DataDir = None, quiet: Quiet = False) -> None:
    """Rebuild the capture index from the WARC files (after a crash, or a lost index)."""
    from archive.reindex import reindex as rebuild_index

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
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
